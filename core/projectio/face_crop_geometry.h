#pragma once

#include "face/face_cropper.h"
#include "project/face_record.h"

#include <QRectF>

#include <opencv2/core/matx.hpp>

#include <optional>
#include <vector>

namespace fa {

class Project;

// Where a stored face crop came from: the geometry FaceCropper applied, recomputed from what a
// FaceRecord keeps (box, landmarks), so that exports can say where the face box lies in the
// crop without the source image. The rule matches the importers: a face with 68 landmarks was
// cropped by FaceCropper::crop() on its eye centres, any other face by FaceCropper::cropBox()
// on its box, both with the project's framing (projectCropFraming()) apart from the size.

/// The subject's left eye (mean of landmarks 42-47, image right) and right eye (36-41), in
/// pixel-centre coordinates. False when `landmarks` does not hold 68 points.
bool eyeCentres(const std::vector<QPointF> &landmarks, cv::Point2f *leftEye, cv::Point2f *rightEye);

/// The framing of a project's crops: its setting "crop_framing" ("whole-face" or "compact");
/// without it, Compact when the project already has faces (made before the setting, with the
/// compact framing), else WholeFace.
FaceCropper::Framing projectCropFraming(Project &project);
/// Records the framing in the project's settings when it is not there yet (the importers do
/// before adding faces), so that every crop of a project has one framing. False with
/// "PATH: what" on a database failure.
bool rememberProjectCropFraming(Project &project, QString *error);

/// The face's box mapped into its crop (the axis-aligned bounds of the four mapped corners
/// when the crop is rotated) as fractions of the crop side, clamped to [0,1]: x = left,
/// y = top. Independent of the crop size. nullopt when the face has no box (invalid QRectF),
/// or when the box lies entirely outside the crop.
std::optional<QRectF> normalisedBoxInCrop(const FaceRecord &face, FaceCropper::Framing framing);

} // namespace fa
