#include "info_command.h"

#include "exit_codes.h"
#include "terminal_text.h"

#include "retarget/file_description.h"

#include <QCommandLineParser>
#include <QTextStream>

namespace fa::cli {

int runInfo(const QStringList &arguments)
{
    QCommandLineParser parser;
    parser.setApplicationDescription(QStringLiteral("Print what the studio sees in a video or an avatar."));
    parser.addHelpOption();
    parser.addPositionalArgument(QStringLiteral("FILE"), QStringLiteral("A video or an avatar (glTF/GLB, FBX, OBJ)."));
    QTextStream err(stderr);
    if (!parser.parse(arguments)) {
        err << "freeavatar info: " << terminalText(parser.errorText()) << '\n';
        return ExitBadInput;
    }
    if (parser.isSet(QStringLiteral("help"))) {
        QTextStream(stdout) << parser.helpText();
        return ExitSuccess;
    }
    if (parser.positionalArguments().size() != 1) {
        err << "freeavatar info: expected one FILE (see freeavatar info --help)\n";
        return ExitBadInput;
    }
    QString error;
    const std::optional<QString> text = describeFile(parser.positionalArguments().first(), &error);
    if (!text) {
        err << "freeavatar info: " << terminalText(error) << '\n';
        return ExitBadInput;
    }
    QTextStream(stdout) << *text;
    return ExitSuccess;
}

} // namespace fa::cli
