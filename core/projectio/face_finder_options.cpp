#include "projectio/face_finder_options.h"

namespace fa {

QString FaceFinderOptions::backendName(FaceDetector::Backend backend)
{
    return backend == FaceDetector::Backend::YuNet ? QStringLiteral("yunet") : QStringLiteral("dlib");
}

std::optional<FaceDetector::Backend> FaceFinderOptions::backendFromName(const QString &name)
{
    if (name.compare(QLatin1String("dlib"), Qt::CaseInsensitive) == 0)
        return FaceDetector::Backend::DlibHog;
    if (name.compare(QLatin1String("yunet"), Qt::CaseInsensitive) == 0)
        return FaceDetector::Backend::YuNet;
    return std::nullopt;
}

QString FaceFinderOptions::problems() const
{
    if (minFaceSize < kMinFaceSizeLowest || minFaceSize > kMinFaceSizeHighest)
        return QStringLiteral("minimum face size %1 px is out of range (%2-%3)")
            .arg(minFaceSize).arg(kMinFaceSizeLowest).arg(kMinFaceSizeHighest);
    if (cropSize < 16 || cropSize > 4096)
        return QStringLiteral("crop size %1 px is out of range (16-4096)").arg(cropSize);
    if (backend == FaceDetector::Backend::YuNet && yunetModelPath.isEmpty())
        return QStringLiteral("the YuNet detector needs a model file (yunet_2022feb_120x160.onnx)");
    return {};
}

FaceDetector::Options FaceFinderOptions::detectorOptions() const
{
    FaceDetector::Options options;
    options.backend = backend;
    options.yunetModelPath = backend == FaceDetector::Backend::YuNet ? yunetModelPath : QString();
    return options;
}

StillFaceSearch::Options FaceFinderOptions::stillSearchOptions() const
{
    StillFaceSearch::Options options;
    options.minFaceSize = minFaceSize;
    options.tiltAngle = tiltSearch ? kTiltSearchAngle : 0.0;
    return options;
}

QString FaceFinderOptions::description() const
{
    QString text = QStringLiteral("%1, faces from %2 px")
                       .arg(backend == FaceDetector::Backend::YuNet ? QStringLiteral("YuNet") : QStringLiteral("dlib HOG"))
                       .arg(minFaceSize);
    if (tiltSearch)
        text += QStringLiteral(", tilted search");
    if (allFacesInVideos)
        text += QStringLiteral(", every face of video frames");
    return text;
}

bool FaceFinderOptions::operator==(const FaceFinderOptions &other) const
{
    return backend == other.backend && yunetModelPath == other.yunetModelPath && minFaceSize == other.minFaceSize
           && tiltSearch == other.tiltSearch && allFacesInVideos == other.allFacesInVideos
           && cropSize == other.cropSize && framing == other.framing;
}

} // namespace fa
