// freeavatar-studio: FreeAvatar Studio's desktop application.
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
    parser.addPositionalArgument(QStringLiteral("FILE"), QStringLiteral("A video or avatar to open."), QStringLiteral("[FILE]"));
    parser.process(app);

    fa::studio::MainWindow window;
    window.show();
    if (!parser.positionalArguments().isEmpty())
        window.openFile(parser.positionalArguments().first());
    return app.exec();
}
