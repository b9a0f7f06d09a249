#pragma once

#include "face/face_detection.h"

#include <opencv2/core/mat.hpp>

#include <vector>

namespace fa {

class FaceDetector;

/// Every face of a still image (a photo, or a video frame searched like one), as opposed to
/// FaceDetector::detect(), which scans a downscaled frame for speed.
///
/// Scale: the image is scanned at its own resolution, upsampled only when the minimum face
/// size needs it: scale = FaceDetector::smallestScanFace(backend) / minFaceSize when that is
/// above 1, else 1. With dlib HOG (80-px window) and the default 40 px, that is a 2x scan,
/// which finds faces from 40 px up; with YuNet (10-px anchors) the image's own resolution.
/// The upright scan is capped at maxScanPixels scan pixels (memory and time); a capped scan
/// finds faces from Result::effectiveMinFaceSize up.
///
/// Face size: the height of the detector's box in image pixels. dlib HOG's box spans about
/// brows to chin; YuNet's box is about 1.2 times taller (forehead included), so the same
/// minFaceSize keeps somewhat smaller YuNet faces.
///
/// Tilt: dlib's frontal detector has components for faces turned in the image plane, and
/// finds frontal faces tilted by up to about 35 degrees in an upright scan (measured in
/// tests/face on the shared photos turned in 5-degree steps). With tiltAngle > 0 the image is
/// also scanned turned by +tiltAngle and -tiltAngle (about its centre, the canvas grown to
/// hold the whole image), which extends that range by tiltAngle either way; those faces carry
/// their FaceDetection::roll. Costs two more scans of about 1.5 times the upright one's pixels.
///
/// Large faces: dlib scans an image pyramid and finds faces of any larger size in one scan;
/// YuNet's largest anchor is 256 px, so the image is also scanned at 0.4, 0.16, ... times the
/// first scale until that covers the image's shorter side (about 1.2 times the cost of one
/// scan), else a close-up portrait gives its eyes and mouth as faces and not the face.
///
/// Merging: candidates of all scans, strongest first, are kept unless their box overlaps a
/// kept box by more than half of the smaller box's area (the same face seen by two scans or
/// two detector components), so no face is reported twice; a box at least 4 times larger
/// than the kept boxes it overlaps so replaces them (they were its eyes or mouth: no face
/// lies inside another).
///
/// Deterministic for a given image, detector options and search options.
class StillFaceSearch
{
public:
    struct Options
    {
        /// Smallest face kept, as the box height in pixels of the image (>= 1). Faces found
        /// below it go to Result::tooSmall (half a pixel of slack for rounding).
        int minFaceSize = 40;
        /// Degrees (0 = off, else in (0, 45]): also scan the image turned by +/- this much.
        double tiltAngle = 0;
        /// Most pixels of the upright scan (scale^2 * width * height); 48 M keeps a 12-MP
        /// photo at 2x in about 0.6 GB of dlib features.
        double maxScanPixels = 48e6;
    };

    struct Result
    {
        std::vector<FaceDetection> faces;    ///< at or above the minimum size, largest first
        std::vector<FaceDetection> tooSmall; ///< found but below the minimum size, largest first
        /// The image's shorter side is below minFaceSize: nothing was searched.
        bool imageTooSmall = false;
        double scale = 1;                    ///< scan pixels per image pixel of the upright scan
        /// minFaceSize, or the larger size the scan could reach when maxScanPixels capped it.
        int effectiveMinFaceSize = 0;
    };

    /// Scale of the first upright scan for an image of `width` x `height` (see the class comment).
    static double scanScale(const FaceDetector &detector, int width, int height, const Options &options);
    /// Every scale scanned: scanScale(), then, for a backend with a largest face
    /// (FaceDetector::largestScanFace: YuNet), 0.4 times the previous scale until its largest
    /// face reaches the image's shorter side.
    static std::vector<double> scanScales(const FaceDetector &detector, int width, int height, const Options &options);

    /// Searches an 8-bit grey, BGR or BGRA image. An empty or unsupported image gives an empty
    /// Result; never throws (allocation failures give no face).
    static Result search(const FaceDetector &detector, const cv::Mat &image, const Options &options);
};

} // namespace fa
