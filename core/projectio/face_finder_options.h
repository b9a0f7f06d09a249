#pragma once

#include "face/face_cropper.h"
#include "face/face_detector.h"
#include "face/still_face_search.h"

#include <QString>

#include <optional>

namespace fa {

/// How faces are found in images and videos: one set of settings for every tool that does it
/// (project import in the CLI and the GUI, training data, embeddings), so that a face found by
/// one is found by all. The CLI spells them `--detector dlib|yunet --yunet-model FILE
/// --min-face PX --all-faces --tilt-search` (app/cli/face_finder_arguments.h), training
/// configurations `detector`, `yunet_model`, `min_face`, `all_faces`, `tilt_search`.
struct FaceFinderOptions
{
    /// Degrees a tilted search turns the image each way (StillFaceSearch::Options::tiltAngle).
    static constexpr double kTiltSearchAngle = 25.0;
    static constexpr int kMinFaceSizeLowest = 8;
    static constexpr int kMinFaceSizeHighest = 4096;

    FaceDetector::Backend backend = FaceDetector::Backend::DlibHog;
    QString yunetModelPath;  ///< YuNet's ONNX file (2022-02 fixed-shape export); required for YuNet
    /// Smallest face kept, as the height of the detector's box in pixels of the original image
    /// or frame, in [kMinFaceSizeLowest, kMinFaceSizeHighest]. Still images are searched at their
    /// own resolution, upsampled only where this needs it (StillFaceSearch).
    int minFaceSize = 40;
    /// Stills (and all-face video frames): also search the image turned by +/-25 degrees,
    /// for heads tilted beyond the ~35 degrees the detector finds upright. About 3x slower.
    bool tiltSearch = false;
    /// Videos: every face of each scanned frame (searched like a still), instead of the fast
    /// path that keeps the largest face of a frame scanned at 384 px (FaceDetector::detect).
    bool allFacesInVideos = false;
    int cropSize = 224;      ///< side of the eye-aligned crops (the expression encoder reads 224)
    /// Where the face sits in its crop (FaceCropper::Framing). A project import uses the
    /// project's own framing (projectCropFraming()), whatever this says.
    FaceCropper::Framing framing = FaceCropper::Framing::WholeFace;

    /// "dlib" or "yunet".
    static QString backendName(FaceDetector::Backend backend);
    /// The backend named "dlib" or "yunet" (case-insensitive), nullopt for another name.
    static std::optional<FaceDetector::Backend> backendFromName(const QString &name);

    /// Empty when the values are usable, else one line naming the first bad one ("minimum
    /// face size 2 px is out of range (8-4096)", "YuNet needs a model file"). Does not open
    /// the model file (FaceFinder::setOptions does).
    QString problems() const;

    /// Detector options of the fast video path: this backend and model, frames scanned at
    /// FaceDetector::Options' default 384 px.
    FaceDetector::Options detectorOptions() const;
    /// The still-image search these options ask for.
    StillFaceSearch::Options stillSearchOptions() const;
    /// For logs, e.g. "dlib HOG, faces from 40 px" or "YuNet, faces from 40 px, tilted search".
    QString description() const;

    bool operator==(const FaceFinderOptions &other) const;
    bool operator!=(const FaceFinderOptions &other) const { return !(*this == other); }
};

} // namespace fa
