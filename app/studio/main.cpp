// freeavatar-studio: FreeAvatar Studio's desktop application.
//
//   freeavatar-studio [FILE]                              inspect a video or avatar
//   freeavatar-studio --project DIR [--annotator NAME]    open a project straight into labelling
//   freeavatar-studio [--project DIR] --animate VIDEO [--avatar AVATAR]
//                                                         retarget a video in the Animate workspace
#include "main_window.h"

#include <QApplication>
#include <QCommandLineParser>

int main(int argc, char *argv[])
{
    QApplication app(argc, argv);
    QApplication::setOrganizationName(QStringLiteral("FreeAvatar"));
    QApplication::setApplicationName(QStringLiteral("FreeAvatar Studio"));
    QApplication::setApplicationVersion(QStringLiteral(FA_VERSION));

    QCommandLineParser parser;
    parser.setApplicationDescription(QStringLiteral("FreeAvatar Studio"));
    parser.addHelpOption();
    parser.addVersionOption();
    const QCommandLineOption projectOption(QStringLiteral("project"),
                                           QStringLiteral("Open the project in DIR in the Label workspace."),
                                           QStringLiteral("DIR"));
    const QCommandLineOption annotatorOption(
        QStringLiteral("annotator"),
        QStringLiteral("Label as NAME (default: the name remembered on this machine)."), QStringLiteral("NAME"));
    const QCommandLineOption animateOption(
        QStringLiteral("animate"),
        QStringLiteral("Open VIDEO in the Animate workspace and start solving it (sessions are saved in --project)."),
        QStringLiteral("VIDEO"));
    const QCommandLineOption avatarOption(QStringLiteral("avatar"),
                                          QStringLiteral("The avatar to animate (with --animate)."),
                                          QStringLiteral("AVATAR"));
    parser.addOption(animateOption);
    parser.addOption(avatarOption);
    parser.addOption(projectOption);
    parser.addOption(annotatorOption);
    parser.addPositionalArgument(QStringLiteral("FILE"), QStringLiteral("A video or avatar to open."), QStringLiteral("[FILE]"));
    parser.process(app);

    fa::studio::MainWindow window;
    window.show();
    if (parser.isSet(projectOption))
        window.openProject(parser.value(projectOption), parser.value(annotatorOption));
    if (parser.isSet(animateOption) || parser.isSet(avatarOption))
        window.animate(parser.value(animateOption), parser.value(avatarOption));
    if (!parser.positionalArguments().isEmpty())
        window.openFile(parser.positionalArguments().first());
    return app.exec();
}
