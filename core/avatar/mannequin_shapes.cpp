#include "avatar/mannequin_shapes.h"

#include "avatar/mannequin_sculpt.h"

#include <QMatrix4x4>

#include <algorithm>
#include <cmath>

namespace fa::mannequin {
namespace {

using S = ArkitShape;

float gauss2(float dx, float dy, float sx, float sy)
{
    const float t = (dx / sx) * (dx / sx) + (dy / sy) * (dy / sy);
    return t > 16.0f ? 0.0f : std::exp(-t);
}

float gauss1(float d, float s)
{
    const float t = (d / s) * (d / s);
    return t > 16.0f ? 0.0f : std::exp(-t);
}

// Local frame of the mouth.
struct Mouth
{
    float y = 0.0f;     // slit height
    float w = 0.0f;     // half width
    float front = 0.0f; // 1 on the face, 0 on the back of the head
    float dy = 0.0f;    // height above the slit
    float lipArea = 0.0f;
    float upperLip = 0.0f;
    float lowerLip = 0.0f;
};

Mouth mouthFrame(const VertexInfo &v, float lateralMargin = 0.010f, float height = 0.011f)
{
    const Landmarks &lm = landmarks();
    const QVector3D &p = v.position;
    Mouth m;
    m.y = lm.mouthCentre.y();
    m.w = lm.mouthHalfWidth;
    m.front = smoothStep(0.02f, 0.06f, p.z());
    m.dy = p.y() - m.y;
    m.lipArea = smoothStep(m.w + lateralMargin, m.w - 0.006f, std::abs(p.x()))
                * gauss1(m.dy, height) * m.front;
    m.upperLip = m.lipArea * (1.0f - v.lower);
    m.lowerLip = m.lipArea * v.lower;
    return m;
}

// Share of a point on the mannequin's left half (smooth across the midline; L + R = 1).
float leftHalf(float x)
{
    return smoothStep(-0.010f, 0.010f, x);
}

float jawWeight(const VertexInfo &v)
{
    return v.lower * smoothStep(-0.035f, 0.005f, v.position.z());
}

// Eyelid remapping about the left eyeball centre: the upper lid edge moves by upperShift and
// the lower lid edge by lowerShift (radians of elevation); the lid skin between stays on its
// shell, the skin of a closing opening comes forward onto the shell.
QVector3D lidMap(const QVector3D &p, float upperShift, float lowerShift, bool closeToLine = false)
{
    const Landmarks &lm = landmarks();
    const EyeCoords c = eyeCoordsLeft(p);
    if (std::abs(c.alpha) > 1.5f || std::abs(c.u) > 1.3f)
        return {};
    const float shell = lm.eyeRadius + lm.lidThickness;
    const float fade = smoothStep(1.3f, 0.95f, std::abs(c.u)) * smoothStep(shell + 0.011f, shell + 0.003f, c.rho);
    if (fade <= 0.0f)
        return {};
    const float uc = std::clamp(c.u, -1.0f, 1.0f);
    const float au = upperLidAlpha(uc);
    const float al = lowerLidAlpha(uc);
    const float gap = std::max(au - al, 0.02f);
    float nu = au + upperShift;
    float nl = al + lowerShift;
    if (closeToLine) {
        const float line = al + 0.22f * gap;
        nu = line;
        nl = line;
    }
    nu = std::max(nu, nl);
    const float top = au + 0.75f;
    const float bottom = al - 0.6f;
    float a = c.alpha;
    if (a >= au && a <= top)
        a = nu + (a - au) * (top - nu) / (top - au);
    else if (a >= al && a < au)
        a = nl + (a - al) * (nu - nl) / gap;
    else if (a < al && a >= bottom)
        a = nl + (a - al) * (nl - bottom) / (al - bottom);
    float rho = c.rho;
    const float closing = std::clamp(1.0f - (nu - nl) / gap, 0.0f, 1.0f);
    if (closing > 0.0f) {
        const float inOpening = smoothStep(au + 0.10f, au, c.alpha) * smoothStep(al - 0.10f, al, c.alpha);
        rho += (std::max(rho, shell) - rho) * closing * inOpening;
    }
    return (fromEyeCoordsLeft(rho, a, c.beta) - p) * fade;
}

// Sideways turn of the lids about the eye's vertical axis (eyeLookIn/Out follow).
QVector3D lidTurn(const QVector3D &p, float angle)
{
    const Landmarks &lm = landmarks();
    const EyeCoords c = eyeCoordsLeft(p);
    const float shell = lm.eyeRadius + lm.lidThickness;
    const float w = eyeRegionWeight(c) * smoothStep(shell + 0.010f, shell + 0.003f, c.rho);
    if (w <= 0.0f)
        return {};
    return (fromEyeCoordsLeft(c.rho, c.alpha, c.beta + angle) - p) * w;
}

// Translation damped inside the eye region (where the lid maps take over).
float outsideEye(const QVector3D &p)
{
    return 1.0f - eyeRegionWeight(eyeCoordsLeft(p));
}

QVector3D rotateAbout(const QVector3D &p, const QVector3D &pivot, const QVector3D &axis, float radians)
{
    QMatrix4x4 m;
    m.rotate(radians * 180.0f / 3.14159265358979f, axis);
    return m.map(p - pivot) + pivot - p;
}

QVector3D eyeballDelta(ArkitShape shape, const QVector3D &p)
{
    const QVector3D c = landmarks().eyeCentre;
    switch (shape) {
    case S::EyeLookUpLeft: return rotateAbout(p, c, {1, 0, 0}, -0.38f);
    case S::EyeLookDownLeft: return rotateAbout(p, c, {1, 0, 0}, 0.42f);
    case S::EyeLookInLeft: return rotateAbout(p, c, {0, 1, 0}, -0.45f);
    case S::EyeLookOutLeft: return rotateAbout(p, c, {0, 1, 0}, 0.50f);
    default: return {};
    }
}

QVector3D skinDelta(ArkitShape shape, const VertexInfo &v)
{
    const QVector3D &p = v.position;
    const float x = p.x();
    const float y = p.y();
    const Mouth m = mouthFrame(v);
    const float face = m.front;
    // Mouth corner of the left side.
    const float corner = gauss2(x - m.w, m.dy - 0.001f, 0.014f, 0.012f) * face;
    switch (shape) {
    case S::JawOpen:
    case S::JawForward:
    case S::JawLeft:
        return jawRigidDelta(shape, p) * jawWeight(v);
    case S::MouthClose: {
        // Undoes the lip gap of jawOpen: the lower lip comes 65 % of the way up, the upper lip
        // 35 % down, so that they meet when both shapes are at 1.
        const float lip = smoothStep(m.w + 0.025f, m.w + 0.002f, std::abs(x)) * gauss1(m.dy, 0.009f) * face;
        const QVector3D gap = jawRigidDelta(S::JawOpen, p) * smoothStep(-0.035f, 0.005f, p.z()) * lip;
        return gap * (0.35f * (1.0f - v.lower) - 0.65f * v.lower);
    }
    case S::MouthFunnel: {
        const float open = gauss1(m.dy, 0.006f);
        return QVector3D(-0.30f * x * m.lipArea, (0.004f * m.upperLip - 0.005f * m.lowerLip) * open,
                         0.007f * m.lipArea);
    }
    case S::MouthPucker: {
        const Mouth wide = mouthFrame(v, 0.016f, 0.014f);
        return QVector3D(-0.42f * x, -0.25f * m.dy, 0.011f) * wide.lipArea;
    }
    case S::MouthLeft: {
        const float region = smoothStep(m.w + 0.022f, m.w, std::abs(x)) * gauss1(m.dy, 0.015f) * face;
        return QVector3D(0.009f, 0.0f, -0.009f * x / 0.06f) * region;
    }
    case S::MouthSmileLeft: {
        const float cheek = gauss2(x - 0.036f, m.dy - 0.024f, 0.013f, 0.012f) * face * outsideEye(p);
        return QVector3D(0.006f, 0.0105f, -0.004f) * corner + QVector3D(0.0f, 0.0035f, 0.004f) * cheek
               + QVector3D(0.0f, 0.001f, 0.0f) * m.upperLip * leftHalf(x);
    }
    case S::MouthFrownLeft: {
        const float chin = gauss2(x - 0.02f, m.dy + 0.02f, 0.012f, 0.012f) * face * v.lower;
        return QVector3D(0.002f, -0.0065f, -0.001f) * corner + QVector3D(0.0f, -0.002f, 0.0f) * chin;
    }
    case S::MouthDimpleLeft:
        return QVector3D(0.003f, 0.001f, -0.0055f) * corner;
    case S::MouthStretchLeft: {
        const float wideCorner = gauss2(x - m.w, m.dy, 0.016f, 0.014f) * face;
        return QVector3D(0.008f, -0.003f, -0.004f) * wideCorner
               + QVector3D(0.002f, -0.002f, 0.0f) * m.lowerLip * leftHalf(x);
    }
    case S::MouthRollLower:
        return QVector3D(0.0f, 0.0025f, -0.0065f) * m.lowerLip * gauss1(m.dy, 0.006f);
    case S::MouthRollUpper:
        return QVector3D(0.0f, -0.0025f, -0.0065f) * m.upperLip * gauss1(m.dy, 0.006f);
    case S::MouthShrugLower: {
        const float chin = v.lower * gauss2(x, m.dy + 0.03f, 0.022f, 0.02f) * face;
        return QVector3D(0.0f, 0.0045f, 0.003f) * std::max(m.lowerLip, chin);
    }
    case S::MouthShrugUpper:
        return QVector3D(0.0f, 0.004f, 0.0025f) * m.upperLip;
    case S::MouthPressLeft: {
        const float body = smoothStep(0.001f, 0.005f, std::abs(m.dy)) * leftHalf(x);
        return (QVector3D(0.0f, -0.002f, -0.0015f) * m.upperLip + QVector3D(0.0f, 0.0025f, -0.0015f) * m.lowerLip)
               * body;
    }
    case S::MouthLowerDownLeft:
        return QVector3D(0.0f, -0.0075f, 0.0015f) * m.lowerLip * leftHalf(x);
    case S::MouthUpperUpLeft:
        return QVector3D(0.0f, 0.0065f, 0.0015f) * m.upperLip * leftHalf(x);
    case S::BrowDownLeft: {
        const float brow = gauss2(x - 0.024f, y - 0.031f, 0.017f, 0.012f) * face;
        return QVector3D(-0.003f, -0.008f, 0.002f) * brow * (1.0f - 0.6f * eyeRegionWeight(eyeCoordsLeft(p)))
               + lidMap(p, -0.12f, 0.0f) * brow;
    }
    case S::BrowInnerUp: {
        const float brow = gauss2(std::abs(x) - 0.014f, y - 0.032f, 0.013f, 0.016f) * face;
        const float forehead = gauss2(x, y - 0.05f, 0.02f, 0.02f) * face;
        const float side = x >= 0.0f ? 1.0f : -1.0f;
        const QVector3D mirrored(std::abs(x), y, p.z());
        QVector3D lids = lidMap(mirrored, 0.10f, 0.0f) * brow;
        lids.setX(lids.x() * side);
        return QVector3D(0.0f, 0.011f, 0.0f) * brow * (1.0f - 0.6f * eyeRegionWeight(eyeCoordsLeft(mirrored)))
               + QVector3D(0.0f, 0.003f, 0.0f) * forehead + lids;
    }
    case S::BrowOuterUpLeft: {
        const float brow = gauss2(x - 0.042f, y - 0.028f, 0.014f, 0.015f) * face;
        return QVector3D(0.0f, 0.0095f, 0.0f) * brow * (1.0f - 0.6f * eyeRegionWeight(eyeCoordsLeft(p)))
               + lidMap(p, 0.06f, 0.0f) * brow;
    }
    case S::CheekPuff: {
        const float cheek = gauss2(std::abs(x) - 0.040f, m.dy - 0.006f, 0.020f, 0.020f) * face;
        return v.normal * (0.016f * cheek) + QVector3D(0.0f, 0.0f, 0.002f) * m.lipArea;
    }
    case S::CheekSquintLeft: {
        const float cheek = gauss2(x - 0.036f, y + 0.010f, 0.015f, 0.011f) * face;
        return QVector3D(0.0f, 0.006f, 0.002f) * cheek * outsideEye(p) + lidMap(p, 0.0f, 0.10f);
    }
    case S::NoseSneerLeft: {
        const float nose = gauss2(x - 0.012f, y + 0.017f, 0.009f, 0.012f) * face;
        const float brow = gauss2(x - 0.012f, y - 0.022f, 0.010f, 0.010f) * face * outsideEye(p);
        return QVector3D(0.0f, 0.0055f, 0.0015f) * nose + QVector3D(-0.0015f, -0.003f, 0.0f) * brow;
    }
    case S::TongueOut: // the lips part around the tongue, the lower lip more
        return (QVector3D(0.0f, -0.006f, 0.002f) * m.lowerLip + QVector3D(0.0f, 0.0015f, 0.0f) * m.upperLip)
               * gauss1(m.dy, 0.008f) * smoothStep(0.024f, 0.010f, std::abs(x));
    case S::EyeBlinkLeft: return lidMap(p, 0.0f, 0.0f, true);
    case S::EyeSquintLeft: {
        const float cheek = gauss2(x - 0.034f, y + 0.008f, 0.014f, 0.010f) * face * outsideEye(p);
        return lidMap(p, -0.06f, 0.20f) + QVector3D(0.0f, 0.003f, 0.0015f) * cheek;
    }
    case S::EyeWideLeft: return lidMap(p, 0.16f, -0.04f);
    case S::EyeLookUpLeft: return lidMap(p, 0.10f, 0.07f);
    case S::EyeLookDownLeft: return lidMap(p, -0.20f, -0.10f);
    case S::EyeLookInLeft: return lidTurn(p, -0.09f);
    case S::EyeLookOutLeft: return lidTurn(p, 0.09f);
    default: return {};
    }
}

} // namespace

bool isRightShape(ArkitShape shape)
{
    return arkit::canonicalName(shape).endsWith(QLatin1String("Right"));
}

ArkitShape leftTwin(ArkitShape shape)
{
    if (!isRightShape(shape))
        return shape;
    QString name = arkit::canonicalName(shape);
    name.chop(5);
    name += QLatin1String("Left");
    return ArkitShape(arkit::indexOf(name));
}

QVector3D jawRigidDelta(ArkitShape shape, const QVector3D &p)
{
    const Landmarks &lm = landmarks();
    switch (shape) {
    case S::JawOpen: return rotateAbout(p, lm.jawPivot, {1, 0, 0}, lm.jawOpenAngle);
    case S::JawForward: return {0.0f, 0.0f, 0.008f};
    case S::JawLeft: return QVector3D(0.008f, 0.0f, 0.0f) + rotateAbout(p, lm.jawPivot, {0, 1, 0}, 0.04f);
    default: return {};
    }
}

QVector3D tongueCentre()
{
    const Landmarks &lm = landmarks();
    return {0.0f, lm.mouthCentre.y() - 0.0085f, lm.mouthCentre.z() - 0.032f};
}

QVector3D tongueAxes()
{
    return {0.0145f, 0.0055f, 0.025f};
}

QVector3D shapeDelta(ArkitShape shape, const VertexInfo &v)
{
    switch (v.part) {
    case Part::Skin:
        return skinDelta(shape, v);
    case Part::MouthInterior:
        if (shape == S::MouthClose) // the cavity follows the lips back up
            return jawRigidDelta(S::JawOpen, v.position) * (0.35f * (1.0f - v.lower) - 0.65f * v.lower);
        return jawRigidDelta(shape, v.position) * v.lower;
    case Part::UpperTeeth:
        return {};
    case Part::LowerTeeth:
        return jawRigidDelta(shape, v.position);
    case Part::Tongue: {
        QVector3D d = jawRigidDelta(shape, v.position);
        if (shape == S::TongueOut) {
            const QVector3D rel = v.position - tongueCentre();
            d += QVector3D(-0.12f * rel.x(), 0.003f - 0.1f * rel.z(), 0.028f + 0.3f * rel.z());
        }
        return d;
    }
    case Part::EyeLeft:
        return eyeballDelta(shape, v.position);
    }
    return {};
}

} // namespace fa::mannequin
