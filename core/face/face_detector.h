#pragma once

#include "face/face_detection.h"

#include <QString>

#include <opencv2/core/mat.hpp>

#include <limits>
#include <memory>
#include <optional>
#include <vector>

namespace fa {

/// Finds faces in BGR frames with one of two backends:
///
/// - DlibHog: dlib's frontal-face HOG + linear SVM (dlib::get_frontal_face_detector(); no model
///   file). Frontal and near-frontal faces, about 80x80 px at the smallest in the image it
///   scans. No landmarks.
/// - YuNet: OpenCV's cv::FaceDetectorYN with the 2022-02 fixed-shape ONNX
///   (yunet_2022feb_120x160.onnx; later exports fail on OpenCV 4.6). Gives 5 keypoints.
///
/// Frames are downscaled (INTER_AREA) so that the longer side is at most detectionMaxSide
/// before detection, and boxes are mapped back to full-frame pixels. dlib only: frames whose
/// longer side is at most half of detectionMaxSide are scanned at twice their size (faces down
/// to ~40 px of the frame are found; the cost stays below that of a detectionMaxSide scan).
///
/// Boxes may reach slightly past the frame edges for faces cut by them. Regions with almost
/// no contrast are never reported (YuNet alone would see a face in an all-black frame).
///
/// Accepted frames: 8-bit, 1 (grey), 3 (BGR) or 4 (BGRA) channels. Empty or other frames give
/// no face (never an exception). detect() is const and may be called from several threads;
/// calls on one detector are serialised internally (setOptions() too; only options() must
/// not race with setOptions()).
class FaceDetector
{
public:
    enum class Backend { DlibHog, YuNet };

    struct Options
    {
        Backend backend = Backend::DlibHog;

        /// ONNX file of YuNet (required for Backend::YuNet), e.g.
        /// FA_DATA_DIR/models/yunet/yunet_2022feb_120x160.onnx.
        QString yunetModelPath;

        /// Frames are downscaled so that their longer side is at most this many pixels before
        /// detection; <= 0 means full resolution. Detection time grows with its square. Measured
        /// with dlib (tests/face, test_face_video): liveportrait_d3 (512x512) 354/354 frames at
        /// 256 already, but opencv-doc's Megamind.avi (720x528, smaller faces) 164/270 at 256,
        /// 241 at 320, 262 at 384, 265 at 512; YuNet finds 269/270 from 160 up. 384 keeps
        /// faces of ~20 % of the frame's longer side above dlib's 80-px minimum.
        int detectionMaxSide = 384;

        /// Minimum score. NaN (the default) means the backend's own default, see
        /// defaultScoreThreshold(): 0 for dlib HOG (dlib's trained threshold; negative values
        /// find more faces and more false ones), 0.7 for YuNet (range [0,1]).
        float scoreThreshold = std::numeric_limits<float>::quiet_NaN();

        /// dlib only: scan frames of at most detectionMaxSide / 2 (longer side) at twice their
        /// size, see the class comment.
        bool dlibUpsampleSmallFrames = true;

        /// The threshold actually used: scoreThreshold, or the backend default when NaN.
        float effectiveScoreThreshold() const;
    };

    /// 0 for DlibHog, 0.7 for YuNet.
    static float defaultScoreThreshold(Backend backend);

    FaceDetector(); ///< Ready with default Options (dlib HOG).
    ~FaceDetector();
    FaceDetector(const FaceDetector &) = delete;
    FaceDetector &operator=(const FaceDetector &) = delete;

    /// Applies options, loading the YuNet model if needed. Returns false and sets
    /// errorString() ("PATH: what is wrong") when the YuNet model is missing or unreadable;
    /// the previous options then stay in force.
    bool setOptions(const Options &options);
    const Options &options() const;

    /// All faces with score >= the threshold, largest box area first.
    std::vector<FaceDetection> detect(const cv::Mat &bgr) const;

    /// The largest face, or nullopt.
    std::optional<FaceDetection> detectLargest(const cv::Mat &bgr) const;

    /// All faces with score >= the threshold, the image scanned at `scale` (scan pixels per
    /// image pixel: 1 = its own resolution, 2 = upsampled twice, 0.5 = halved), whatever
    /// detectionMaxSide and dlibUpsampleSmallFrames say; largest box area first, boxes in image
    /// pixels. The smallest face found is about smallestScanFace() / scale pixels. Scale must be
    /// in (0, 8]; others, and images of over 2^30 scan pixels, give no face. StillFaceSearch
    /// builds on this.
    std::vector<FaceDetection> detectAtScale(const cv::Mat &bgr, double scale) const;

    /// The smallest face box side, in pixels of the scanned image, that a backend finds: 80 for
    /// dlib HOG (the side of its 80x80 detection window; dlib's boxes come in sizes
    /// 80 * (6/5)^k), 10 for YuNet (its smallest anchor, libfacedetection's min_sizes
    /// {10, 16, 24} at stride 8).
    static int smallestScanFace(Backend backend);
    /// The largest face box side, in pixels of the scanned image, a backend finds in one scan,
    /// or 0 when a scan finds every larger face (dlib HOG scans an image pyramid down to 64 px).
    /// YuNet: 256, its largest anchor; larger faces need a downscaled scan (and at its own
    /// resolution a large face's eyes and mouth are taken for faces).
    static int largestScanFace(Backend backend);

    /// Cheap re-detection for tracking: scans only the square region centred on previousBox
    /// with twice its longer side (clipped to the frame), scaled so that the previous face is
    /// about 120 px (dlib, 1.5x its minimum) or 96 px (YuNet) wide, upscaling at most 2x.
    /// Typically 2-3x cheaper than detect() (tests/face). Returns the largest face found
    /// there, in full-frame pixels, or nullopt (no face there, previousBox empty, or outside
    /// the frame): the caller then falls back to detect()/detectLargest().
    std::optional<FaceDetection> detectLargestNear(const cv::Mat &bgr,
                                                   const cv::Rect2f &previousBox) const;

    /// The last setOptions() error, in one line.
    QString errorString() const;

private:
    class Impl;
    std::unique_ptr<Impl> d;
};

} // namespace fa
