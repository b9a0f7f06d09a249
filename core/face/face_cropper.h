#pragma once

#include <opencv2/core/mat.hpp>
#include <opencv2/core/matx.hpp>
#include <opencv2/core/types.hpp>

#include <optional>

namespace fa {

/// Square face crops at a fixed size, for display and for the expression encoder (which
/// reads 224x224, REFERENCE.md section 2).
///
/// crop() aligns on the eyes with a similarity transform (rotation, uniform scale,
/// translation): the eyes end up level, `eyeDistance * size` apart, centred horizontally, at
/// height `eyeLine * size`. cropBox() is for boxes without landmarks (dlib HOG): a square of
/// `boxScale` times the box's longer side around the box centre, no rotation.
///
/// Framing (where the face sits in the crop) comes in two sets of values, see Framing. The
/// default, WholeFace, holds every one of dlib's 68 landmarks of the face: measured on 757
/// faces of the shared photos and every 5th frame of the shared videos (open mouths,
/// shouting, heads turned up to about 45 degrees), in units of the distance between the eye
/// centres and from their midpoint, the landmarks span x in [-1.91, 1.97] (99 %: [-1.40,
/// 1.37]) and y in [-0.62, 2.46] (chin; median 1.85). With eyes 0.25 apart at height 0.34,
/// that is x in [0.02, 0.99] and y in [0.19, 0.96] of the crop. Compact, the framing of
/// projects made before (eyes 0.35 apart at 0.40), cut the chin of most faces (its median
/// chin lies at 1.05 of the crop) and is kept only so that those projects stay consistent.
/// tests/projectio (test_face_finder) checks the whole-face framing on the portraits, the
/// group photo, tilted heads and the shouting frames of liveportrait_d18.
///
/// Coordinates are OpenCV pixel-centre coordinates (pixel (i, j) is centred on (i, j)), in
/// both the source frame and the crop. Sampling is bilinear; when the crop shrinks the face
/// by more than 2x the source region is first reduced with INTER_AREA, so that small crops of
/// large frames do not alias. Pixels outside the frame follow `borderMode`.
class FaceCropper
{
public:
    enum class Framing {
        WholeFace, ///< eyes 0.25 apart at 0.34: the whole face, chin and jaw included (default)
        Compact,   ///< eyes 0.35 apart at 0.40: projects made before whole-face crops
    };

    struct Options
    {
        int size = 224;           ///< Crop side in pixels (> 0).
        float eyeDistance = 0.25f; ///< Inter-ocular distance as a fraction of size.
        float eyeLine = 0.34f;     ///< Height of the eyes (from the top) as a fraction of size.
        /// cropBox(): crop side as a multiple of the box's longer side, and vertical offset of
        /// the crop centre from the box centre as a fraction of the crop side (negative = up).
        /// The defaults frame a dlib HOG box like crop() frames the eyes. Measured on 21
        /// shared images (tests/face): YuNet's eyes lie 0.41 dlib box sides apart, 0.22 box
        /// sides above the dlib box centre; so boxScale = 0.41 / eyeDistance and
        /// boxShiftY = (0.5 - eyeLine) - 0.22 / boxScale (Compact: 1.17 and -0.09). For YuNet
        /// boxes (taller, forehead included) the eyes lie about 0.35 box sides apart near the
        /// box centre.
        float boxScale = 1.64f;
        float boxShiftY = 0.026f;
        int borderMode = cv::BORDER_CONSTANT; ///< cv::BorderTypes; constant = black.
    };

    /// The options of a framing at a crop size.
    static Options framingOptions(Framing framing, int size = 224);

    FaceCropper() = default;
    explicit FaceCropper(const Options &options) : m_options(options) {}

    void setOptions(const Options &options) { m_options = options; }
    const Options &options() const { return m_options; }

    /// Where crop() puts the subject's left eye (image right) and right eye (image left), in
    /// crop pixel-centre coordinates: x = size * (0.5 +/- eyeDistance / 2) - 0.5,
    /// y = size * eyeLine - 0.5.
    cv::Point2f leftEyeTarget() const;
    cv::Point2f rightEyeTarget() const;

    /// Eye-aligned crop of an 8-bit 1-, 3- or 4-channel frame; returns size x size CV_8UC3
    /// BGR. leftEye/rightEye are the subject's (e.g. FaceDetection keypoints LeftEye and
    /// RightEye). `transform` (optional) receives the 2x3 CV_64F affine frame -> crop.
    /// Returns an empty Mat for an empty or unsupported frame, coincident eyes, or size <= 0.
    cv::Mat crop(const cv::Mat &bgr, cv::Point2f leftEye, cv::Point2f rightEye,
                 cv::Mat *transform = nullptr) const;

    /// The square of a crop() / cropBox() output that the Compact framing would have cut out
    /// (brows to mouth, little background), in crop pixels, clamped to the crop: the whole crop
    /// for the Compact framing, the middle 71 % (x from 14 %, y from 5 % of the side) for
    /// WholeFace. Comparisons between faces (the near-duplicate filter) look at this part, so
    /// that a looser framing does not make different expressions look alike.
    cv::Rect faceCore() const;

    /// The 2x3 affine frame -> crop that crop() / cropBox() apply (pixel-centre coordinates),
    /// without cropping: e.g. to map a stored face box into its crop. nullopt where those
    /// functions fail (coincident eyes, empty box).
    std::optional<cv::Matx23d> eyeTransform(cv::Point2f leftEye, cv::Point2f rightEye) const;
    std::optional<cv::Matx23d> boxTransform(const cv::Rect2f &box) const;

    /// Square crop around `box` (full-frame pixels, x/y = top-left corner), no rotation; same
    /// output and failure rules as crop() (an empty box gives an empty Mat).
    cv::Mat cropBox(const cv::Mat &bgr, const cv::Rect2f &box, cv::Mat *transform = nullptr) const;

private:
    cv::Mat warp(const cv::Mat &bgr, const cv::Matx23d &transform) const;

    Options m_options;
};

} // namespace fa
