#pragma once

#include "training/face_crop_dataset.h"
#include "face/face_cropper.h"

#include <QString>
#include <QStringList>

#include <atomic>
#include <functional>
#include <optional>
#include <vector>

namespace fa {

/// Faces of videos with rig targets from the landmark solver: the role the commercial landmark
/// retargeter plays for the reference's real footage (REFERENCE.md section 5). Each video is
/// measured once (VideoMeasurer: decode, face tracker, 68 landmarks) and solved like
/// `freeavatar retarget` (ClipSolver: automatic neutral calibration, zero-phase smoothing); every
/// frameStep-th frame whose landmarks were found is cropped on its eye centres (FaceCropper,
/// WholeFace framing by default: the framing of the render sets) and kept as JPEG quality 95.
struct SolvedVideoFaces
{
    FaceCropDataset faces;                 ///< crops in video order, then frame order
    std::vector<std::vector<float>> arkit; ///< per face: the 52 canonical ARKit weights, [0, 1]
    std::vector<int> video;                ///< per face: index of its video in the request
    std::vector<int> position;             ///< per face: its rank among its video's faces (0-based)
    std::vector<int> facesPerVideo;        ///< per video: faces kept
};

struct SolvedVideoFacesOptions
{
    int frameStep = 2;                     ///< frames 0, N, 2N, ... of each video are cropped (>= 1)
    FaceCropper::Options crop = FaceCropper::framingOptions(FaceCropper::Framing::WholeFace, 224);
    /// fraction in [0, 1] over the videos, status e.g. "2/4 liveportrait_d3.mp4"
    std::function<void(double fraction, const QString &status)> progress;
    const std::atomic_bool *cancel = nullptr; ///< checked between frames
};

/// Errors "VIDEO: what" (unreadable or truncated video, no face in the whole video, landmark
/// model missing) or "cancelled": the whole request fails, since a missing video would
/// silently change what a run trains on.
std::optional<SolvedVideoFaces> loadSolvedVideoFaces(const QStringList &videos, const SolvedVideoFacesOptions &options,
                                                     QString *error);

} // namespace fa
