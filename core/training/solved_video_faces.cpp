#include "training/solved_video_faces.h"

#include "common/arkit.h"
#include "common/error_text.h"
#include "projectio/face_crop_geometry.h"
#include "retarget/clip_solver.h"
#include "retarget/video_measurer.h"

#include <QCryptographicHash>
#include <QFileInfo>

#include <opencv2/imgcodecs.hpp>

namespace fa {

std::optional<SolvedVideoFaces> loadSolvedVideoFaces(const QStringList &videos, const SolvedVideoFacesOptions &options,
                                                     QString *error)
{
    SolvedVideoFaces out;
    std::vector<FaceCropItem> items;
    const FaceCropper cropper(options.crop);
    const int step = std::max(1, options.frameStep);
    for (int v = 0; v < videos.size(); ++v) {
        const QString &path = videos[v];
        if (options.progress)
            options.progress(double(v) / double(videos.size()),
                             QStringLiteral("%1/%2 %3").arg(v + 1).arg(videos.size()).arg(QFileInfo(path).fileName()));
        RetargetOptions retarget;
        retarget.videoPath = path;
        // The crops of frame k, by measurement index (the clip's frame index).
        std::vector<std::pair<int, FaceCropItem>> cropped;
        int measured = 0;
        auto onImage = [&](const FrameMeasurement &frame, const cv::Mat &image) {
            const int index = measured++;
            if (frame.videoFrame % step != 0 || !frame.hasFace() || !frame.hasLandmarks())
                return;
            cv::Point2f left, right;
            if (!eyeCentres(frame.landmarks, &left, &right))
                return;
            const cv::Mat crop = cropper.crop(image, left, right);
            std::vector<uchar> jpeg;
            if (crop.empty() || !cv::imencode(".jpg", crop, jpeg, {cv::IMWRITE_JPEG_QUALITY, 95}))
                return;
            FaceCropItem item;
            item.encoded = QByteArray(reinterpret_cast<const char *>(jpeg.data()), qsizetype(jpeg.size()));
            item.origin = QStringLiteral("%1 frame %2").arg(path).arg(frame.videoFrame);
            item.identity = QFileInfo(path).completeBaseName();
            item.key = "jpeg:" + QCryptographicHash::hash(item.encoded, QCryptographicHash::Sha256).toHex();
            cropped.emplace_back(index, std::move(item));
        };
        auto onFrame = [&](const FrameMeasurement &, const RetargetProgress &) {
            return !(options.cancel && options.cancel->load());
        };
        VideoMeasurer measurer;
        if (!measurer.measure(retarget, onFrame, {}, onImage)) {
            failWith(error, measurer.wasCanceled() ? QStringLiteral("cancelled") : measurer.errorString());
            return std::nullopt;
        }
        const std::optional<AnimationClip> clip =
            ClipSolver::solve(measurer.measurements(), retarget.neutralFrame, retarget.smoothing, error);
        if (!clip)
            return std::nullopt;
        const int arkitCount = int(arkit::canonicalNames().size()); // the clip's first 52 controls
        int kept = 0;
        for (auto &[index, item] : cropped) {
            if (index >= clip->frameCount() || !clip->faceFound(index))
                continue;
            const float *row = clip->frame(index);
            out.arkit.emplace_back(row, row + arkitCount);
            out.video.push_back(v);
            out.position.push_back(kept++);
            items.push_back(std::move(item));
        }
        out.facesPerVideo.push_back(kept);
    }
    if (options.progress)
        options.progress(1.0, QStringLiteral("videos solved"));
    out.faces = FaceCropDataset(std::move(items));
    return out;
}

} // namespace fa
