#include "projectio/image_file.h"

#include "common/file_kind.h"
#include "common/stderr_capture.h"

#include <QByteArray>
#include <QFile>

#include <opencv2/imgcodecs.hpp>

namespace fa {
namespace {

// A JPEG needs its end-of-image marker after the last start-of-scan marker, a PNG its IEND
// chunk. Checked before decoding: libjpeg would decode a cut JPEG (grey where data is lost),
// and both libraries would print their complaints on stderr.
QString truncation(const QByteArray &bytes)
{
    if (bytes.startsWith("\xFF\xD8")) {
        const qsizetype scan = bytes.lastIndexOf("\xFF\xDA");
        if (scan < 0 || bytes.indexOf("\xFF\xD9", scan) < 0)
            return QStringLiteral("truncated JPEG (no end-of-image marker)");
    }
    if (bytes.startsWith("\x89PNG\r\n\x1A\n") && bytes.lastIndexOf("IEND") < 0)
        return QStringLiteral("truncated PNG (no IEND chunk)");
    return QString();
}

} // namespace

cv::Mat readImageFile(const QString &path, QString *problem)
{
    // A FIFO or device would block readAll() forever (issue 16).
    if (const QString special = specialFileProblem(path); !special.isEmpty()) {
        *problem = special;
        return {};
    }
    QFile file(path);
    if (!file.open(QIODevice::ReadOnly)) {
        *problem = QStringLiteral("%1: cannot read: %2").arg(path, file.errorString());
        return {};
    }
    const QByteArray bytes = file.readAll();
    const QString truncated = truncation(bytes);
    if (!truncated.isEmpty()) {
        *problem = QStringLiteral("%1: %2").arg(path, truncated);
        return {};
    }
    cv::Mat image;
    QString libraryText; // what libjpeg / libpng printed, captured off the terminal
    if (!bytes.isEmpty()) {
        const cv::Mat buffer(1, int(bytes.size()), CV_8U, const_cast<char *>(bytes.constData()));
        StderrCapture capture;
        image = cv::imdecode(buffer, cv::IMREAD_COLOR);
        libraryText = QString::fromUtf8(capture.finish()).simplified();
    }
    // libjpeg decodes a JPEG whose scan data ends early, the rest grey: damaged, not a face.
    if (!image.empty() && libraryText.contains(QLatin1String("premature end of data segment"), Qt::CaseInsensitive)) {
        *problem = QStringLiteral("%1: damaged JPEG (%2)").arg(path, libraryText.left(200));
        return {};
    }
    if (!image.empty())
        return image;
    *problem = QStringLiteral("%1: not an image that can be decoded (not an image, or damaged)").arg(path);
    if (!libraryText.isEmpty())
        *problem += QStringLiteral(": %1").arg(libraryText.left(200));
    return {};
}

} // namespace fa
