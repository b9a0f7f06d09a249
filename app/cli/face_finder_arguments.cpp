#include "face_finder_arguments.h"

#include <QCommandLineParser>
#include <QFileInfo>

namespace fa::cli {

FaceFinderArguments::FaceFinderArguments(Scope scope)
    : m_scope(scope)
    , m_detector(QStringLiteral("detector"), QStringLiteral("Face detector: dlib (HOG, default) or yunet."),
                 QStringLiteral("NAME"), QStringLiteral("dlib"))
    , m_yunetModel(QStringLiteral("yunet-model"),
                   QStringLiteral("YuNet ONNX model (the 2022-02 fixed-shape export, yunet_2022feb_120x160.onnx) for "
                                  "--detector yunet."),
                   QStringLiteral("FILE"))
    , m_minFace(QStringLiteral("min-face"),
                QStringLiteral("Smallest face kept, as the height of the detector's box in pixels of the original image "
                               "(default 40; %1-%2). Images are searched at their own resolution, upsampled only where "
                               "this needs it.").arg(FaceFinderOptions::kMinFaceSizeLowest).arg(FaceFinderOptions::kMinFaceSizeHighest),
                QStringLiteral("PX"), QStringLiteral("40"))
    , m_tiltSearch(QStringLiteral("tilt-search"),
                   QStringLiteral("Also search images turned by +/-25 degrees, for heads tilted beyond the ~35 degrees "
                                  "found upright (about 3x slower)."))
    , m_allFaces(QStringLiteral("all-faces"),
                 QStringLiteral("Videos: every face of each scanned frame (searched as a photo), not only the largest."))
{
}

QList<QCommandLineOption> FaceFinderArguments::options() const
{
    if (m_scope == Scope::Detector)
        return {m_detector, m_yunetModel};
    return {m_detector, m_yunetModel, m_minFace, m_tiltSearch, m_allFaces};
}

QString FaceFinderArguments::apply(const QCommandLineParser &parser, FaceFinderOptions *options) const
{
    if (parser.isSet(m_detector)) {
        const std::optional<FaceDetector::Backend> backend = FaceFinderOptions::backendFromName(parser.value(m_detector));
        if (!backend)
            return QStringLiteral("--detector: unknown detector '%1' (dlib or yunet)").arg(parser.value(m_detector));
        options->backend = *backend;
    }
    if (parser.isSet(m_yunetModel))
        options->yunetModelPath = QFileInfo(parser.value(m_yunetModel)).absoluteFilePath();
    if (options->backend == FaceDetector::Backend::YuNet && options->yunetModelPath.isEmpty())
        return QStringLiteral("--detector yunet needs --yunet-model FILE");
    if (m_scope == Scope::Search) {
        if (parser.isSet(m_minFace)) {
            bool ok = false;
            const int size = parser.value(m_minFace).toInt(&ok);
            if (!ok || size < FaceFinderOptions::kMinFaceSizeLowest || size > FaceFinderOptions::kMinFaceSizeHighest)
                return QStringLiteral("--min-face: '%1' is not a whole number of pixels (%2-%3)")
                    .arg(parser.value(m_minFace)).arg(FaceFinderOptions::kMinFaceSizeLowest)
                    .arg(FaceFinderOptions::kMinFaceSizeHighest);
            options->minFaceSize = size;
        }
        if (parser.isSet(m_tiltSearch))
            options->tiltSearch = true;
        if (parser.isSet(m_allFaces))
            options->allFacesInVideos = true;
    }
    return options->problems();
}

QList<QPair<QString, QString>> FaceFinderArguments::configSettings(const QCommandLineParser &parser) const
{
    QList<QPair<QString, QString>> settings;
    if (parser.isSet(m_detector))
        settings.append({QStringLiteral("detector"), parser.value(m_detector)});
    if (parser.isSet(m_yunetModel))
        settings.append({QStringLiteral("yunet_model"), QFileInfo(parser.value(m_yunetModel)).absoluteFilePath()});
    if (m_scope == Scope::Search) {
        if (parser.isSet(m_minFace))
            settings.append({QStringLiteral("min_face"), parser.value(m_minFace)});
        if (parser.isSet(m_tiltSearch))
            settings.append({QStringLiteral("tilt_search"), QStringLiteral("true")});
        if (parser.isSet(m_allFaces))
            settings.append({QStringLiteral("all_faces"), QStringLiteral("true")});
    }
    return settings;
}

} // namespace fa::cli
