#pragma once

#include "face/face_cropper.h"
#include "project/face_record.h"

#include <QRectF>

#include <opencv2/core/matx.hpp>

#include <optional>
#include <vector>

namespace fa {

// Where a stored face crop came from: the geometry FaceCropper applied, recomputed from what a
// FaceRecord keeps (box, landmarks), so that exports can say where the face box lies in the
// crop without the source image. The rule matches the importers: a face with 68 landmarks was
// cropped by FaceCropper::crop() on its eye centres, any other face by FaceCropper::cropBox()
// on its box, both with default FaceCropper options apart from the size.

/// The subject's left eye (mean of landmarks 42-47, image right) and right eye (36-41), in
/// pixel-centre coordinates. False when `landmarks` does not hold 68 points.
bool eyeCentres(const std::vector<QPointF> &landmarks, cv::Point2f *leftEye, cv::Point2f *rightEye);

/// The face's box mapped into its crop (the axis-aligned bounds of the four mapped corners
/// when the crop is rotated) as fractions of the crop side, clamped to [0,1]: x = left,
/// y = top. Independent of the crop size. nullopt when the face has no box (invalid QRectF),
/// or when the box lies entirely outside the crop.
std::optional<QRectF> normalisedBoxInCrop(const FaceRecord &face);

} // namespace fa
