#pragma once

#include <QVector3D>

// Geometry helpers of the procedural mannequin head (see mannequin_head.h): the sculpted base
// surface and the eye-local coordinates the eyelid shapes use. Internal to fa_avatar.
//
// Frame: metres, +Y up, +Z forward (the face looks down +Z), +X is the mannequin's own LEFT.
// The head centre is the origin; the crown is at about y = +0.11, the chin at about y = -0.10.
// Every function here is mirror-symmetric in x unless its name says Left.

namespace fa::mannequin {

/// Fixed anatomical landmarks (all for the LEFT side, x > 0; the right side is the mirror).
struct Landmarks
{
    QVector3D eyeCentre{0.031f, 0.013f, 0.056f}; ///< Left eyeball centre.
    float eyeRadius = 0.0130f;     ///< Eyeball radius.
    float lidThickness = 0.0013f;  ///< Eyelid shell radius = eyeRadius + lidThickness.
    float socketDepth = 0.0035f;   ///< Skin inside the eye opening sits this far behind the eyeball.
    float mouthTheta = 0.0f;       ///< Polar angle (from +Y) of the mouth slit ring at the front.
    QVector3D mouthCentre;         ///< Centre of the mouth slit (x = 0), on the lips.
    float mouthHalfWidth = 0.0235f; ///< Half the distance between the mouth corners.
    QVector3D jawPivot{0.0f, -0.014f, 0.004f}; ///< Jaw hinge axis (parallel to X) passes here.
    float jawOpenAngle = 0.36f;    ///< jawOpen = 1 turns the jaw this far (radians, ~21 degrees).
};

/// The landmarks; computed once (the mouth centre comes from the sculpted surface).
const Landmarks &landmarks();

/// Smooth maximum (polynomial, blend width k).
float smoothMax(float a, float b, float k);
/// Hermite smoothstep from 0 at e0 to 1 at e1 (e0 > e1 allowed: decreasing).
float smoothStep(float e0, float e1, float x);

/// Point of the sculpted skin in direction (theta from +Y, phi from +Z towards +X), before the
/// mouth groove-and-slit bookkeeping done by the builder. Mirror-symmetric: phi -> -phi gives
/// x -> -x.
QVector3D skinPoint(float theta, float phi);

/// Height (y) of the mouth slit ring in the column at azimuth phi (the slit is the ring at
/// polar angle Landmarks::mouthTheta, so the mouth line follows that ring).
float mouthLineY(float phi);

/// Eye-local coordinates of a point about the LEFT eye centre: rho (distance), alpha (elevation
/// about the eye's X axis: atan2(y, z)), beta (azimuth: asin(x / rho)) and u (beta normalised
/// to the eye corners: -1 medial corner, +1 lateral corner).
struct EyeCoords
{
    float rho = 0.0f;
    float alpha = 0.0f;
    float beta = 0.0f;
    float u = 0.0f;
};
EyeCoords eyeCoordsLeft(const QVector3D &p);
QVector3D fromEyeCoordsLeft(float rho, float alpha, float beta);

/// Upper and lower eyelid edge elevations (radians) at normalised azimuth u in [-1, 1].
float upperLidAlpha(float u);
float lowerLidAlpha(float u);

/// How much a point belongs to the left eye region (1 near the eyeball, 0 outside the orbit).
float eyeRegionWeight(const EyeCoords &c);

} // namespace fa::mannequin
