#include "library_output.h"

#include "terminal_text.h"

#include <QtGlobal>

#include <opencv2/core/utils/logger.hpp>

#include <cstdio>

namespace fa::cli {

namespace {

void dropLibraryMessages(QtMsgType type, const QMessageLogContext &, const QString &message)
{
    if (type != QtCriticalMsg && type != QtFatalMsg)
        return;
    std::fprintf(stderr, "freeavatar: internal: %s\n", terminalText(message).toLocal8Bit().constData());
}

} // namespace

void quietLibraryOutput()
{
    if (qEnvironmentVariableIntValue("FREEAVATAR_DEBUG") != 0)
        return;
    qInstallMessageHandler(dropLibraryMessages);
    cv::utils::logging::setLogLevel(cv::utils::logging::LOG_LEVEL_SILENT);
}

} // namespace fa::cli
