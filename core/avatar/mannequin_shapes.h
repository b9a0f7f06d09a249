#pragma once

#include "common/arkit.h"

#include <QVector3D>

// The 52 ARKit blendshapes of the procedural mannequin head (see mannequin_head.h) as smooth
// deformation fields: a region weight with falloff times a displacement, a rotation about a
// pivot, or a remapping of the eyelids about the eyeball centre. Internal to fa_avatar.
//
// Only the Left shapes and the unsided ones are defined here; the builder makes every Right
// shape by mirroring its Left twin, so that the two are exact mirror images.

namespace fa::mannequin {

/// What a vertex belongs to; decides which fields move it.
enum class Part { Skin, MouthInterior, UpperTeeth, LowerTeeth, Tongue, EyeLeft };

struct VertexInfo
{
    QVector3D position; ///< Base position.
    QVector3D normal;   ///< Base normal (unit).
    float lower = 0.0f; ///< 1 for the jaw side of the mouth (lower lip, chin), 0 above, blended beyond the mouth corners.
    Part part = Part::Skin;
};

/// True for the shapes named ...Right (built by mirroring ...Left).
bool isRightShape(ArkitShape shape);
/// The ...Left twin of a ...Right shape (itself for any other shape).
ArkitShape leftTwin(ArkitShape shape);

/// Offset of a vertex at weight 1 for a Left or unsided shape. For MouthInterior vertices
/// this is the motion of the mouth cavity away from the lips (the builder blends it with the
/// rim); EyeLeft vertices rotate with the eyeLook shapes.
QVector3D shapeDelta(ArkitShape shape, const VertexInfo &v);

/// Motion of a point rigidly attached to the jaw at weight 1 (jawOpen, jawForward, jawLeft;
/// zero for other shapes).
QVector3D jawRigidDelta(ArkitShape shape, const QVector3D &p);

/// Tongue placement (centre and semi-axes) used by the builder and by tongueOut.
QVector3D tongueCentre();
QVector3D tongueAxes();

} // namespace fa::mannequin
