#include "avatar/mannequin_sculpt.h"

#include <algorithm>
#include <cmath>

namespace fa::mannequin {
namespace {

constexpr float kPi = 3.14159265358979f;

// Eye corners in azimuth (radians about the eye centre): medial (towards the nose), lateral.
constexpr float kMedialCorner = 1.0f;
constexpr float kLateralCorner = 1.38f;

struct Ellipsoid
{
    QVector3D centre;
    QVector3D axes;
};

// Distance from the origin along unit direction d to the far side of an ellipsoid, or 0 when
// the ray misses it.
float rayEllipsoid(const QVector3D &d, const Ellipsoid &e)
{
    const QVector3D dn = d / e.axes;
    const QVector3D cn = e.centre / e.axes;
    const float a = QVector3D::dotProduct(dn, dn);
    const float b = -2.0f * QVector3D::dotProduct(dn, cn);
    const float c = QVector3D::dotProduct(cn, cn) - 1.0f;
    const float disc = b * b - 4.0f * a * c;
    if (disc <= 0.0f)
        return 0.0f;
    return std::max(0.0f, (-b + std::sqrt(disc)) / (2.0f * a));
}

// Height profile of a ball of radius r whose centre sits zc above the floor, at planar distance
// dist; continued outside the footprint by a slope so that the field stays continuous.
float ballHeight(float dist, float r, float zc, float slope)
{
    if (dist < r)
        return zc + std::sqrt(r * r - dist * dist);
    return zc - slope * (dist - r);
}

float gauss(float d, float sigma)
{
    const float t = d / sigma;
    return std::exp(-t * t);
}

// Radius of the head blob (smooth union of ellipsoids) along unit direction d (x >= 0 side).
float headRadius(const QVector3D &d)
{
    static const Ellipsoid cranium{{0.0f, 0.012f, -0.014f}, {0.073f, 0.100f, 0.097f}};
    static const Ellipsoid jaw{{0.0f, -0.040f, 0.016f}, {0.054f, 0.058f, 0.068f}};
    static const Ellipsoid muzzle{{0.0f, -0.046f, 0.050f}, {0.033f, 0.032f, 0.036f}};
    static const Ellipsoid chin{{0.0f, -0.079f, 0.052f}, {0.027f, 0.021f, 0.023f}};
    static const Ellipsoid cheek{{0.035f, -0.010f, 0.037f}, {0.025f, 0.021f, 0.031f}};
    static const Ellipsoid brow{{0.025f, 0.031f, 0.061f}, {0.026f, 0.009f, 0.022f}};
    static const Ellipsoid ear{{0.070f, 0.002f, -0.008f}, {0.012f, 0.027f, 0.015f}};
    static const Ellipsoid cheekOther{{-0.035f, -0.010f, 0.037f}, {0.025f, 0.021f, 0.031f}};
    static const Ellipsoid browOther{{-0.025f, 0.031f, 0.061f}, {0.026f, 0.009f, 0.022f}};
    static const Ellipsoid earOther{{-0.070f, 0.002f, -0.008f}, {0.012f, 0.027f, 0.015f}};
    float r = rayEllipsoid(d, cranium);
    r = smoothMax(r, rayEllipsoid(d, jaw), 0.014f);
    r = smoothMax(r, rayEllipsoid(d, muzzle), 0.012f);
    r = smoothMax(r, rayEllipsoid(d, chin), 0.020f);
    // Both sides of the paired features, so that the blend stays symmetric near x = 0.
    r = smoothMax(r, rayEllipsoid(d, cheek), 0.016f);
    r = smoothMax(r, rayEllipsoid(d, cheekOther), 0.016f);
    r = smoothMax(r, rayEllipsoid(d, brow), 0.012f);
    r = smoothMax(r, rayEllipsoid(d, browOther), 0.012f);
    r = smoothMax(r, rayEllipsoid(d, ear), 0.006f);
    r = smoothMax(r, rayEllipsoid(d, earOther), 0.006f);
    return r;
}

// Forward relief of the nose (x >= 0), metres along +Z.
float noseHeight(float x, float y)
{
    constexpr float yNasion = 0.016f;
    constexpr float yTip = -0.023f;
    const float t = std::clamp((yNasion - y) / (yNasion - yTip), 0.0f, 1.0f);
    float ridgeTop = 0.003f + 0.0155f * std::pow(t, 1.3f);
    if (y > yNasion)
        ridgeTop -= 0.35f * (y - yNasion);
    if (y < yTip)
        ridgeTop -= 2.5f * (yTip - y);
    const float halfWidth = 0.0055f + 0.005f * t;
    const float profile = 0.003f + 0.0155f * std::pow(t, 1.3f);
    const float ridge = ridgeTop - profile * (x / halfWidth) * (x / halfWidth);
    const float tip = ballHeight(std::hypot(x, (y - yTip) * 0.9f), 0.0092f, 0.0100f, 2.2f);
    const float ala = ballHeight(std::hypot(x - 0.0112f, y - (yTip - 0.0055f)), 0.0066f, 0.0010f, 1.4f);
    float h = smoothMax(ridge, tip, 0.004f);
    h = smoothMax(h, ala, 0.003f);
    return smoothMax(h, 0.0f, 0.0015f);
}

// Forward relief of the lips, mouth groove and chin crease (x >= 0).
// dy: height above the mouth slit line in the same column.
float mouthHeight(float x, float dy, const Landmarks &lm)
{
    const float w = lm.mouthHalfWidth;
    const float lipWidth = smoothStep(w + 0.001f, w - 0.012f, x);
    const float upper = 0.0036f * gauss(dy - 0.0045f, 0.0042f) * lipWidth;
    const float lower = 0.0042f * gauss(dy + 0.0058f, 0.0048f) * lipWidth;
    const float groove = -0.0022f * gauss(dy, 0.0014f) * smoothStep(w + 0.004f, w - 0.004f, x);
    const float corner = -0.0025f * gauss(x - w, 0.004f) * gauss(dy, 0.005f);
    const float philtrum = -0.0008f * gauss(x, 0.0035f) * gauss(dy - 0.011f, 0.005f);
    const float chinCrease = -0.0018f * gauss(dy + 0.0165f, 0.0042f) * gauss(x, 0.018f);
    return upper + lower + groove + corner + philtrum + chinCrease;
}

// Pulls the skin around the left eye onto an eyelid shell around the eyeball; inside the eye
// opening the skin sinks behind the eyeball so that the eyeball shows.
QVector3D sculptEyeLeft(const QVector3D &p)
{
    const Landmarks &lm = landmarks();
    const EyeCoords c = eyeCoordsLeft(p);
    const float region = eyeRegionWeight(c);
    if (region <= 0.0f)
        return p;
    float lid = 1.0f; // 1 on the lids, 0 inside the opening
    if (std::abs(c.u) < 1.0f) {
        const float margin = std::min(upperLidAlpha(c.u) - c.alpha, c.alpha - lowerLidAlpha(c.u));
        lid = smoothStep(0.12f, -0.06f, margin);
    }
    const float shell = lm.eyeRadius + lm.lidThickness;
    const float inner = lm.eyeRadius - lm.socketDepth;
    const float target = inner + (shell - inner) * lid;
    const float rho = c.rho + (target - c.rho) * region;
    return fromEyeCoordsLeft(rho, c.alpha, c.beta);
}

Landmarks computeLandmarks()
{
    Landmarks lm;
    // The mouth slit: the direction from the head centre to the point between the lips.
    lm.mouthTheta = std::acos(-0.050f / std::hypot(0.050f, 0.088f));
    const QVector3D d(0.0f, std::cos(lm.mouthTheta), std::sin(lm.mouthTheta));
    lm.mouthCentre = headRadius(d) * d;
    lm.mouthCentre.setZ(lm.mouthCentre.z() + mouthHeight(0.0f, 0.0f, lm));
    return lm;
}

} // namespace

const Landmarks &landmarks()
{
    static const Landmarks lm = computeLandmarks();
    return lm;
}

float smoothMax(float a, float b, float k)
{
    const float h = std::max(k - std::abs(a - b), 0.0f) / k;
    return std::max(a, b) + h * h * k * 0.25f;
}

float smoothStep(float e0, float e1, float x)
{
    const float t = std::clamp((x - e0) / (e1 - e0), 0.0f, 1.0f);
    return t * t * (3.0f - 2.0f * t);
}

QVector3D skinPoint(float theta, float phi)
{
    const float side = phi < 0.0f ? -1.0f : 1.0f;
    const float aphi = std::abs(phi);
    const QVector3D d(std::sin(theta) * std::sin(aphi), std::cos(theta),
                      std::sin(theta) * std::cos(aphi));
    QVector3D p = headRadius(d) * d;
    const float front = smoothStep(0.35f, 0.7f, d.z());
    if (front > 0.0f) {
        const float dy = p.y() - mouthLineY(aphi);
        p.setZ(p.z() + front * (noseHeight(p.x(), p.y()) + mouthHeight(p.x(), dy, landmarks())));
    }
    p = sculptEyeLeft(p);
    p.setX(side * p.x());
    return p;
}

float mouthLineY(float phi)
{
    const float theta = landmarks().mouthTheta;
    const QVector3D d(std::sin(theta) * std::sin(phi), std::cos(theta),
                      std::sin(theta) * std::cos(phi));
    return headRadius(d) * d.y();
}

EyeCoords eyeCoordsLeft(const QVector3D &p)
{
    const Landmarks &lm = landmarks();
    const QVector3D q = p - lm.eyeCentre;
    EyeCoords c;
    c.rho = std::max(q.length(), 1e-6f);
    c.alpha = std::atan2(q.y(), q.z());
    c.beta = std::asin(std::clamp(q.x() / c.rho, -1.0f, 1.0f));
    c.u = c.beta < 0.0f ? c.beta / kMedialCorner : c.beta / kLateralCorner;
    return c;
}

QVector3D fromEyeCoordsLeft(float rho, float alpha, float beta)
{
    const float cb = std::cos(beta);
    return landmarks().eyeCentre
           + rho * QVector3D(std::sin(beta), cb * std::sin(alpha), cb * std::cos(alpha));
}

float upperLidAlpha(float u)
{
    const float s = std::max(0.0f, 1.0f - u * u);
    return 0.52f * std::pow(s, 0.55f) + 0.07f * u;
}

float lowerLidAlpha(float u)
{
    const float s = std::max(0.0f, 1.0f - u * u);
    return -0.40f * std::pow(s, 0.7f) + 0.07f * u;
}

float eyeRegionWeight(const EyeCoords &c)
{
    if (std::abs(c.alpha) > 0.5f * kPi)
        return 0.0f;
    const float bs = c.beta < 0.0f ? 1.12f : 1.65f;
    const float as = c.alpha > 0.0f ? 1.05f : 0.92f;
    const float e = std::hypot(c.beta / bs, c.alpha / as);
    return smoothStep(1.0f, 0.55f, e) * smoothStep(0.055f, 0.028f, c.rho);
}

} // namespace fa::mannequin
