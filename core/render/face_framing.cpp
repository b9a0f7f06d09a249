#include "render/face_framing.h"

#include "animation/rig_region.h"
#include "common/arkit.h"
#include "render/face_bounds.h"

#include <QMatrix4x4>
#include <QVector4D>
#include <QtMath>

#include <algorithm>
#include <cmath>
#include <functional>
#include <limits>

namespace fa {

namespace {

/// Share of a target's largest |delta| below which a vertex does not count as moved: for the
/// eye centres (weighted by |delta| anyway) and for the region boxes.
constexpr float kEyeMovedShare = 0.05f;
constexpr float kRegionMovedShare = 0.25f;

/// |delta|-weighted mean of base + 0.5 * delta over the moved vertices of the targets whose
/// ARKit shape is in `shapes`, over all meshes (avatar space).
struct WeightedMean
{
    QVector3D sum;
    double weight = 0.0;

    bool valid() const { return weight > 0.0; }
    QVector3D mean() const { return sum / float(weight); }
};

template<typename Accept>
void forMovedVertices(const Avatar &avatar, float movedShare, Accept accept,
                      const std::function<void(const AvatarMesh &, const QVector3D &, const QVector3D &, float)> &visit)
{
    for (const AvatarMesh &mesh : avatar.meshes) {
        for (int t = 0; t < int(mesh.morphTargets.size()); ++t) {
            const MorphTarget &target = mesh.morphTargets[size_t(t)];
            if (!accept(target.name) || !mesh.targetMoves(t))
                continue;
            const float threshold = std::max(movedShare * target.maxPositionDelta(),
                                             1e-4f * mesh.boundingBoxDiagonal());
            const size_t n = std::min(mesh.positions.size(), target.positionDeltas.size());
            for (size_t v = 0; v < n; ++v) {
                const float length = target.positionDeltas[v].length();
                if (length >= threshold && length > 0.0f)
                    visit(mesh, mesh.positions[v], target.positionDeltas[v], length);
            }
        }
    }
}

WeightedMean eyeMean(const Avatar &avatar, const std::vector<int> &shapes)
{
    WeightedMean mean;
    forMovedVertices(
        avatar, kEyeMovedShare,
        [&](const QString &name) {
            return std::find(shapes.begin(), shapes.end(), arkit::indexOf(name)) != shapes.end();
        },
        [&](const AvatarMesh &mesh, const QVector3D &base, const QVector3D &delta, float length) {
            mean.sum += mesh.transform.map(base + 0.5f * delta) * length;
            mean.weight += length;
        });
    return mean;
}

std::vector<int> shapes(std::initializer_list<ArkitShape> list)
{
    std::vector<int> out;
    for (ArkitShape s : list)
        out.push_back(int(s));
    return out;
}

struct Box3
{
    QVector3D lo{std::numeric_limits<float>::max(), std::numeric_limits<float>::max(), std::numeric_limits<float>::max()};
    QVector3D hi{-std::numeric_limits<float>::max(), -std::numeric_limits<float>::max(), -std::numeric_limits<float>::max()};
    bool empty = true;

    void add(const QVector3D &p)
    {
        lo = QVector3D(std::min(lo.x(), p.x()), std::min(lo.y(), p.y()), std::min(lo.z(), p.z()));
        hi = QVector3D(std::max(hi.x(), p.x()), std::max(hi.y(), p.y()), std::max(hi.z(), p.z()));
        empty = false;
    }
};

bool hasMovingTarget(const AvatarMesh &mesh)
{
    for (int t = 0; t < int(mesh.morphTargets.size()); ++t)
        if (mesh.targetMoves(t))
            return true;
    return false;
}

/// The box of the meshes faceBounds() frames (moving meshes, else all).
Box3 faceBox(const Avatar &avatar)
{
    Box3 box;
    for (const AvatarMesh &mesh : avatar.meshes)
        if (hasMovingTarget(mesh))
            for (const QVector3D &p : mesh.positions)
                box.add(mesh.transform.map(p));
    if (box.empty)
        for (const AvatarMesh &mesh : avatar.meshes)
            for (const QVector3D &p : mesh.positions)
                box.add(mesh.transform.map(p));
    return box;
}

} // namespace

FaceFraming::FaceFraming(const Avatar &avatar)
{
    // Eye centres: blinks, then the other eye shapes, then the face box's proportions.
    const WeightedMean blinkLeft = eyeMean(avatar, shapes({ArkitShape::EyeBlinkLeft}));
    const WeightedMean blinkRight = eyeMean(avatar, shapes({ArkitShape::EyeBlinkRight}));
    if (blinkLeft.valid() && blinkRight.valid()) {
        m_leftEye = blinkLeft.mean();
        m_rightEye = blinkRight.mean();
        m_eyeSource = EyeSource::EyeBlink;
    } else {
        const WeightedMean left = eyeMean(avatar, shapes({ArkitShape::EyeLookDownLeft, ArkitShape::EyeLookInLeft,
                                                          ArkitShape::EyeLookOutLeft, ArkitShape::EyeLookUpLeft,
                                                          ArkitShape::EyeSquintLeft, ArkitShape::EyeWideLeft}));
        const WeightedMean right = eyeMean(avatar, shapes({ArkitShape::EyeLookDownRight, ArkitShape::EyeLookInRight,
                                                           ArkitShape::EyeLookOutRight, ArkitShape::EyeLookUpRight,
                                                           ArkitShape::EyeSquintRight, ArkitShape::EyeWideRight}));
        if (left.valid() && right.valid()) {
            m_leftEye = left.mean();
            m_rightEye = right.mean();
            m_eyeSource = EyeSource::EyeShapes;
        } else {
            const Box3 box = faceBox(avatar);
            if (!box.empty) {
                const QVector3D size = box.hi - box.lo;
                const float centreX = (box.lo.x() + box.hi.x()) / 2.0f;
                const float y = (box.lo.y() + box.hi.y()) / 2.0f;
                const float z = box.hi.z() - 0.15f * size.z();
                m_leftEye = QVector3D(centreX + 0.21f * size.x(), y, z);
                m_rightEye = QVector3D(centreX - 0.21f * size.x(), y, z);
                m_eyeSource = EyeSource::FaceBounds;
            }
        }
    }

    // Region points: base and fully activated positions of the moved vertices.
    auto collect = [&](std::vector<QVector3D> *points, auto accept) {
        forMovedVertices(avatar, kRegionMovedShare, accept,
                         [&](const AvatarMesh &mesh, const QVector3D &base, const QVector3D &delta, float) {
                             points->push_back(mesh.transform.map(base));
                             points->push_back(mesh.transform.map(base + delta));
                         });
    };
    collect(&m_mouthPoints, [](const QString &name) {
        const RigRegion region = rigRegion(name);
        return region == RigRegion::Mouth || region == RigRegion::Jaw;
    });
    collect(&m_eyePoints, [](const QString &name) { return rigRegion(name) == RigRegion::Eyes; });
}

QString FaceFraming::eyeSourceName(EyeSource source)
{
    switch (source) {
    case EyeSource::EyeBlink:
        return QStringLiteral("eyeBlink");
    case EyeSource::EyeShapes:
        return QStringLiteral("eye shapes");
    case EyeSource::FaceBounds:
        return QStringLiteral("face bounds");
    case EyeSource::None:
        break;
    }
    return QStringLiteral("none");
}

OrbitCamera FaceFraming::camera(float eyeDistance, float eyeLine, float fovDegrees) const
{
    OrbitCamera camera;
    camera.setFovDegrees(fovDegrees);
    camera.setYaw(0.0f);
    camera.setPitch(0.0f);
    if (!(eyeDistance > 0.0f) || !std::isfinite(eyeDistance))
        eyeDistance = kDefaultEyeDistance;
    if (!std::isfinite(eyeLine))
        eyeLine = kDefaultEyeLine;
    const float halfTan = std::tan(qDegreesToRadians(camera.fovDegrees()) / 2.0f);
    const QVector3D mid = (m_leftEye + m_rightEye) / 2.0f;
    float separation = std::abs(m_leftEye.x() - m_rightEye.x());
    if (!(separation > 1e-9f))
        separation = std::max(1e-6f, (m_leftEye - m_rightEye).length());

    // Closed form with both eyes at the midpoint's depth: NDC spacing 2 * eyeDistance, the
    // midpoint at NDC y = 1 - 2 * eyeLine.
    float distance = separation / (2.0f * eyeDistance * halfTan);
    camera.setDistance(distance);
    camera.setTarget(QVector3D(mid.x(), mid.y() - (1.0f - 2.0f * eyeLine) * distance * halfTan, mid.z()));

    // Eyes at different depths (a turned head) project off the closed form: a few fixed-point
    // steps on the projected spacing and midpoint (pixels of a reference square image).
    const int size = 1024;
    const QSize pixels(size, size);
    const QPointF leftTarget(size * (0.5 + eyeDistance / 2.0) - 0.5, size * eyeLine - 0.5);
    const QPointF rightTarget(size * (0.5 - eyeDistance / 2.0) - 0.5, size * eyeLine - 0.5);
    for (int step = 0; step < 8; ++step) {
        const QPointF l = project(camera, pixels, m_leftEye);
        const QPointF r = project(camera, pixels, m_rightEye);
        const double spacing = std::abs(l.x() - r.x());
        const double wanted = leftTarget.x() - rightTarget.x();
        const QPointF offset = (l + r) / 2.0 - (leftTarget + rightTarget) / 2.0;
        if (std::abs(spacing - wanted) < 1e-3 && std::abs(offset.x()) < 1e-3 && std::abs(offset.y()) < 1e-3)
            break;
        if (spacing > 1e-9)
            distance *= float(spacing / wanted);
        const float upp = camera.unitsPerPixel(pixels);
        QVector3D target = camera.target();
        target += QVector3D(float(offset.x()) * upp, -float(offset.y()) * upp, 0.0f);
        camera.setTarget(target);
        camera.setDistance(distance);
    }
    return camera;
}

QPointF FaceFraming::project(const OrbitCamera &camera, const QSize &size, const QVector3D &point)
{
    if (size.isEmpty())
        return {};
    const float aspect = float(size.width()) / float(size.height());
    const QVector4D clip = camera.projection(aspect) * camera.view() * QVector4D(point, 1.0f);
    if (!(std::abs(clip.w()) > 0.0f))
        return {};
    const double ndcX = double(clip.x()) / double(clip.w());
    const double ndcY = double(clip.y()) / double(clip.w());
    return {(ndcX + 1.0) / 2.0 * size.width() - 0.5, (1.0 - ndcY) / 2.0 * size.height() - 0.5};
}

QRect FaceFraming::box(const std::vector<QVector3D> &points, const OrbitCamera &camera, const QSize &size)
{
    if (points.empty() || size.isEmpty())
        return {};
    const float aspect = float(size.width()) / float(size.height());
    const QMatrix4x4 mvp = camera.projection(aspect) * camera.view();
    double x0 = std::numeric_limits<double>::max(), y0 = x0;
    double x1 = -x0, y1 = -x0;
    for (const QVector3D &p : points) {
        const QVector4D clip = mvp * QVector4D(p, 1.0f);
        if (!(clip.w() > 0.0f))
            continue; // behind the camera
        const double x = (double(clip.x()) / clip.w() + 1.0) / 2.0 * size.width() - 0.5;
        const double y = (1.0 - double(clip.y()) / clip.w()) / 2.0 * size.height() - 0.5;
        x0 = std::min(x0, x);
        x1 = std::max(x1, x);
        y0 = std::min(y0, y);
        y1 = std::max(y1, y);
    }
    if (x1 < x0)
        return {};
    // Pixels whose centres the bound covers, rounded outwards, clamped to the image.
    const int left = std::max(0, int(std::floor(x0 + 0.5)));
    const int top = std::max(0, int(std::floor(y0 + 0.5)));
    const int right = std::min(size.width() - 1, int(std::ceil(x1 - 0.5)));
    const int bottom = std::min(size.height() - 1, int(std::ceil(y1 - 0.5)));
    if (right < left || bottom < top)
        return {};
    return QRect(QPoint(left, top), QPoint(right, bottom));
}

QRect FaceFraming::mouthBox(const OrbitCamera &camera, const QSize &size) const
{
    return box(m_mouthPoints, camera, size);
}

QRect FaceFraming::eyeBox(const OrbitCamera &camera, const QSize &size) const
{
    return box(m_eyePoints, camera, size);
}

} // namespace fa
