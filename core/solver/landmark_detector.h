#pragma once

#include "solver/face_landmarks.h"

#include <QString>

#include <opencv2/core/mat.hpp>

#include <memory>

namespace fa {

/// dlib's 68-point shape predictor (an ensemble of regression trees, Kazemi & Sullivan 2014)
/// run on a face box found by a face detector.
///
/// The model file is the 100 MB shape_predictor_68_face_landmarks.dat (Debian libdlib-data).
/// Loading it takes about a second, so the loaded predictor is held by a shared pointer to
/// const: copies of a LandmarkDetector are cheap and share it, and detect() is const and
/// thread-safe (the predictor has no mutable state). dlib stays out of this header.
///
/// The predictor was trained on boxes from dlib's HOG frontal-face detector; boxes from other
/// detectors work best when they are scaled to a similar framing (roughly brows to chin,
/// ear to ear).
class LandmarkDetector
{
public:
    LandmarkDetector();
    ~LandmarkDetector();
    LandmarkDetector(const LandmarkDetector &);
    LandmarkDetector &operator=(const LandmarkDetector &);
    LandmarkDetector(LandmarkDetector &&) noexcept;
    LandmarkDetector &operator=(LandmarkDetector &&) noexcept;

    /// /usr/share/dlib/shape_predictor_68_face_landmarks.dat (Debian package libdlib-data).
    static QString defaultModelPath();

    /// Loads the model. On failure returns false, keeps no model and sets errorString()
    /// to "FILE: what is wrong".
    bool load(const QString &path = defaultModelPath());
    bool isLoaded() const;

    /// The 68 landmarks of the face inside `faceBox` (image pixels) of an 8-bit BGR, BGRA or
    /// grey image. Returns an empty FaceLandmarks (isEmpty() true) when no model is loaded,
    /// the image is empty or of another type, or the box does not overlap the image.
    FaceLandmarks detect(const cv::Mat &bgrOrGray, const cv::Rect2f &faceBox) const;

    QString errorString() const;

private:
    struct Model;
    std::shared_ptr<const Model> m_model;
    QString m_error;
};

} // namespace fa
