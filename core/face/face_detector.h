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
/// before detection, and boxes are mapped back to full-frame pixels. When the image to scan is
/// so small that faces may fall under dlib's 80 px minimum (longer side < dlibUpsampleBelow),
/// the dlib backend scans it upsampled twice (dlib::pyramid_up), which costs ~4x time.
///
/// Accepted frames: 8-bit, 1 (grey), 3 (BGR) or 4 (BGRA) channels. Empty or other frames give
/// no face (never an exception). detect() is const and may be called from several threads;
/// calls on one detector are serialised internally.
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
        /// detection (never upscaled by this rule); <= 0 means full resolution. Measured on
        /// the shared videos (tests/face): 256 finds a face in 354/354 frames of
        /// liveportrait_d3 (512x512) with dlib; opencv-doc's Megamind.avi (720x528, small
        /// faces) needs the dlib upsampling below (see dlibUpsampleBelow).
        int detectionMaxSide = 256;

        /// Minimum score. NaN (the default) means the backend's own default, see
        /// defaultScoreThreshold(): 0 for dlib HOG (dlib's trained threshold; negative values
        /// find more faces and more false ones), 0.7 for YuNet (range [0,1]).
        float scoreThreshold = std::numeric_limits<float>::quiet_NaN();

        /// dlib only: when the image to scan (after the detectionMaxSide downscale) has a
        /// longer side below this, it is scanned upsampled x2 so faces down to ~40 px of that
        /// image are found. 0 disables upsampling.
        int dlibUpsampleBelow = 0;

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

    /// Cheap re-detection for tracking: scans only the square region centred on previousBox
    /// with twice its longer side (clipped to the frame), at a scale where the previous face
    /// is about 1.5x the backend's minimum face size (never coarser than the full-frame rule).
    /// Returns the largest face found there, in full-frame pixels, or nullopt (no face there,
    /// or previousBox empty / outside the frame): the caller then falls back to detect().
    std::optional<FaceDetection> detectLargestNear(const cv::Mat &bgr,
                                                   const cv::Rect2f &previousBox) const;

    /// The last setOptions() error, in one line.
    QString errorString() const;

private:
    class Impl;
    std::unique_ptr<Impl> d;
};

} // namespace fa
