#include "avatar/mannequin_head.h"

#include "avatar/mannequin_mesh.h"
#include "avatar/mannequin_sculpt.h"
#include "avatar/mannequin_shapes.h"
#include "common/arkit.h"

#include <algorithm>
#include <array>
#include <cmath>
#include <functional>

namespace fa {
namespace {

using namespace mannequin;

constexpr float kPi = 3.14159265358979f;
constexpr float kTinyDelta = 1e-7f; // offsets below this (metres) are stored as exact zeros

// count + 1 angles from 0 to range at evenly spaced quantiles of the density
// 1 + gain * exp(-((a - centre) / width)^2): the grid is denser where the density is higher.
std::vector<float> warpedAngles(int count, float range, float centre, float width, float gain)
{
    constexpr int kTable = 4096;
    std::vector<double> cdf(kTable + 1, 0.0);
    for (int k = 1; k <= kTable; ++k) {
        const double t = (range * (k - 0.5) / kTable - centre) / width;
        cdf[size_t(k)] = cdf[size_t(k - 1)] + 1.0 + gain * std::exp(-t * t);
    }
    std::vector<float> angles(size_t(count) + 1);
    for (int i = 0; i <= count; ++i) {
        const double target = cdf[kTable] * i / count;
        const int k = std::clamp(int(std::lower_bound(cdf.begin(), cdf.end(), target) - cdf.begin()), 1, kTable);
        const double f = (target - cdf[size_t(k - 1)]) / (cdf[size_t(k)] - cdf[size_t(k - 1)]);
        angles[size_t(i)] = float(range * (k - 1 + f) / kTable);
    }
    angles.front() = 0.0f;
    angles.back() = range;
    return angles;
}

struct HeadBuild
{
    MeshBuild build;
    std::vector<int> rimLoop; ///< Head vertices around the mouth opening, upper lip first.
};

// The skin: a latitude-longitude grid (poles on Y, seam at the back) over the sculpted surface,
// with the ring of the mouth slit split into upper and lower lip vertices between the corners.
HeadBuild buildHead(int resolution)
{
    const Landmarks &lm = landmarks();
    const int half = (3 * resolution) / 2; // columns per side
    const int cols = 2 * half;
    const int rings = 2 * resolution;
    std::vector<float> theta = warpedAngles(rings, kPi, 1.75f, 0.70f, 2.0f);
    int slit = 1;
    for (int i = 1; i < rings; ++i)
        if (std::abs(theta[size_t(i)] - lm.mouthTheta) < std::abs(theta[size_t(slit)] - lm.mouthTheta))
            slit = i;
    theta[size_t(slit)] = lm.mouthTheta;
    const std::vector<float> phiLeft = warpedAngles(half, kPi, 0.0f, 0.80f, 2.5f);
    auto phiOf = [&](int j) { return j >= half ? phiLeft[size_t(j - half)] : -phiLeft[size_t(half - j)]; };

    HeadBuild head;
    MeshBuild &b = head.build;
    b.mesh.name = QStringLiteral("Head");
    const int top = b.addVertex(skinPoint(0.0f, 0.0f), {0.5f, 1.0f}, Part::Skin);
    std::vector<int> grid(size_t(rings - 1) * size_t(cols + 1));
    auto gridAt = [&](int i, int j) -> int & { return grid[size_t(i - 1) * size_t(cols + 1) + size_t(j)]; };
    for (int i = 1; i < rings; ++i)
        for (int j = 0; j <= cols; ++j) {
            QVector3D p = skinPoint(theta[size_t(i)], phiOf(j));
            if (j == 0 || j == half || j == cols)
                p.setX(0.0f);
            const QVector2D uv(0.5f + phiOf(j) / (2.0f * kPi), 1.0f - theta[size_t(i)] / kPi);
            gridAt(i, j) = b.addVertex(p, uv, Part::Skin);
        }
    const int bottom = b.addVertex(skinPoint(kPi, 0.0f), {0.5f, 0.0f}, Part::Skin);
    for (int i = 1; i < rings; ++i) {
        for (int j = 0; j <= cols; ++j)
            b.mirror[size_t(gridAt(i, j))] = gridAt(i, cols - j);
        b.normalWeld[size_t(gridAt(i, 0))] = gridAt(i, cols);
    }

    // Jaw side of every skin vertex: below the mouth line between the corners, blended over a
    // band that widens beyond the corners.
    const float w = lm.mouthHalfWidth;
    for (int i = 1; i < rings; ++i)
        for (int j = 0; j <= cols; ++j) {
            VertexInfo &vi = b.info[size_t(gridAt(i, j))];
            const float dy = vi.position.y() - mouthLineY(std::abs(phiOf(j)));
            const float h = std::max(0.0004f, 0.8f * (std::abs(vi.position.x()) - w + 0.002f));
            vi.lower = smoothStep(h, -h, dy);
        }
    b.info[size_t(top)].lower = 0.0f;
    b.info[size_t(bottom)].lower = 1.0f;

    // Mouth corners: the slit columns closest to the corner width.
    int corner = half + 2;
    for (int j = half + 2; j <= cols - 2 && phiOf(j) < 0.5f * kPi; ++j)
        if (std::abs(b.mesh.positions[size_t(gridAt(slit, j))].x() - w)
            < std::abs(b.mesh.positions[size_t(gridAt(slit, corner))].x() - w))
            corner = j;
    std::vector<int> lowerLip(size_t(cols + 1), -1);
    for (int j = cols - corner + 1; j <= corner - 1; ++j) {
        const int upper = gridAt(slit, j);
        b.info[size_t(upper)].lower = 0.0f;
        lowerLip[size_t(j)] = b.addVertex(b.mesh.positions[size_t(upper)], b.mesh.uvs[size_t(upper)], Part::Skin, 1.0f);
    }
    for (int j = cols - corner + 1; j <= corner - 1; ++j)
        b.mirror[size_t(lowerLip[size_t(j)])] = lowerLip[size_t(cols - j)];
    b.info[size_t(gridAt(slit, corner))].lower = 0.5f;
    b.info[size_t(gridAt(slit, cols - corner))].lower = 0.5f;

    auto vertexAt = [&](int i, int j, bool belowSlit) {
        if (i == 0)
            return top;
        if (i == rings)
            return bottom;
        if (i == slit && belowSlit && lowerLip[size_t(j)] >= 0)
            return lowerLip[size_t(j)];
        return gridAt(i, j);
    };
    // Quads a-b-c-d run counter-clockwise seen from outside; the diagonal is mirrored between
    // the halves so that the triangulation is symmetric too.
    for (int i = 0; i < rings; ++i)
        for (int j = 0; j < cols; ++j) {
            const int a = vertexAt(i, j, true);
            const int d = vertexAt(i, j + 1, true);
            const int bb = vertexAt(i + 1, j, false);
            const int c = vertexAt(i + 1, j + 1, false);
            if (j >= half) {
                b.addTriangle(a, bb, c);
                b.addTriangle(a, c, d);
            } else {
                b.addTriangle(a, bb, d);
                b.addTriangle(bb, c, d);
            }
        }

    head.rimLoop.push_back(gridAt(slit, corner));
    for (int j = corner - 1; j >= cols - corner + 1; --j)
        head.rimLoop.push_back(gridAt(slit, j));
    head.rimLoop.push_back(gridAt(slit, cols - corner));
    for (int j = cols - corner + 1; j <= corner - 1; ++j)
        head.rimLoop.push_back(lowerLip[size_t(j)]);
    return head;
}

struct InteriorBuild
{
    MeshBuild build;
    std::vector<int> rim;        ///< Per vertex: the head vertex it hangs from.
    std::vector<float> depth;    ///< Per vertex: 0 on the lips, 1 at the back of the cavity.
};

// The mouth cavity: rings of growing depth hanging from the lip edges, closed at the back.
InteriorBuild buildMouthInterior(const HeadBuild &head)
{
    constexpr int kRings = 6;
    static const std::array<float, kRings + 1> depth{0.0f, 0.003f, 0.009f, 0.016f, 0.024f, 0.031f, 0.036f};
    static const std::array<float, kRings + 1> height{0.0f, 0.004f, 0.011f, 0.015f, 0.016f, 0.013f, 0.007f};
    static const std::array<float, kRings + 1> widen{1.0f, 1.02f, 1.10f, 1.15f, 1.10f, 0.85f, 0.45f};
    const Landmarks &lm = landmarks();
    const MeshBuild &skin = head.build;
    const int loop = int(head.rimLoop.size());
    std::vector<int> loopIndex(skin.mesh.positions.size(), -1);
    for (int l = 0; l < loop; ++l)
        loopIndex[size_t(head.rimLoop[size_t(l)])] = l;

    InteriorBuild in;
    MeshBuild &b = in.build;
    b.mesh.name = QStringLiteral("MouthInterior");
    for (int k = 0; k <= kRings; ++k)
        for (int l = 0; l < loop; ++l) {
            const int rimVertex = head.rimLoop[size_t(l)];
            const QVector3D rim = skin.mesh.positions[size_t(rimVertex)];
            const float lower = skin.info[size_t(rimVertex)].lower;
            const float side = lower < 0.25f ? 1.0f : (lower > 0.75f ? -1.0f : 0.0f);
            const float across = std::sqrt(std::max(0.0f, 1.0f - std::pow(rim.x() / (lm.mouthHalfWidth * 1.02f), 2.0f)));
            const float f = float(k) / float(kRings);
            const QVector3D p = k == 0 ? rim
                                       : QVector3D(rim.x() * widen[size_t(k)],
                                                   rim.y() - 0.002f * f
                                                       + side * height[size_t(k)] * across * (side < 0.0f ? 1.1f : 1.0f),
                                                   rim.z() - depth[size_t(k)]);
            b.addVertex(p, {float(l) / float(loop), 1.0f - f * 0.9f}, Part::MouthInterior, lower);
            in.rim.push_back(rimVertex);
            in.depth.push_back(f);
        }
    const QVector3D back(0.0f, lm.mouthCentre.y() - 0.003f, lm.mouthCentre.z() - depth.back() - 0.004f);
    const int cap = b.addVertex(back, {0.5f, 0.0f}, Part::MouthInterior, 0.5f);
    in.rim.push_back(-1);
    in.depth.push_back(1.0f);

    auto at = [&](int k, int l) { return k * loop + (l + loop) % loop; };
    for (int k = 0; k < kRings; ++k)
        for (int l = 0; l < loop; ++l) {
            const float midX = skin.mesh.positions[size_t(head.rimLoop[size_t(l)])].x()
                               + skin.mesh.positions[size_t(head.rimLoop[size_t((l + 1) % loop)])].x();
            if (midX > 0.0f) {
                b.addTriangle(at(k, l), at(k, l + 1), at(k + 1, l + 1));
                b.addTriangle(at(k, l), at(k + 1, l + 1), at(k + 1, l));
            } else {
                b.addTriangle(at(k, l), at(k, l + 1), at(k + 1, l));
                b.addTriangle(at(k, l + 1), at(k + 1, l + 1), at(k + 1, l));
            }
        }
    for (int l = 0; l < loop; ++l)
        b.addTriangle(at(kRings, l), at(kRings, l + 1), cap);
    for (int k = 0; k <= kRings; ++k)
        for (int l = 0; l < loop; ++l)
            b.mirror[size_t(at(k, l))] = at(k, loopIndex[size_t(skin.mirror[size_t(head.rimLoop[size_t(l)])])]);
    // The cavity's surface faces into the cavity, continuing the skin's outward side: seen
    // alone, the closed pouch then encloses negative volume.
    orientOutwards(b);
    auto &idx = b.mesh.indices;
    for (size_t t = 0; t + 2 < idx.size(); t += 3)
        std::swap(idx[t + 1], idx[t + 2]);
    return in;
}

float irisRadius(float gamma)
{
    const Landmarks &lm = landmarks();
    const float g = gamma / 0.42f;
    return lm.eyeRadius + 0.0004f + 0.0008f * (1.0f - g * g) - 0.0005f * std::exp(-(gamma / 0.16f) * (gamma / 0.16f));
}

using DeltaFn = std::function<QVector3D(ArkitShape, int)>;

// Morph targets of one mesh: Left and unsided shapes from `delta`, Right shapes as mirrors of
// their Left twins (when `mirrorable`); empty targets are dropped unless keepAll.
void addTargets(MeshBuild &b, const DeltaFn &delta, bool mirrorable, bool keepAll)
{
    const size_t n = b.mesh.positions.size();
    std::array<std::vector<QVector3D>, arkit::kShapeCount> deltas;
    for (int s = 0; s < arkit::kShapeCount; ++s) {
        const ArkitShape shape = ArkitShape(s);
        if (isRightShape(shape))
            continue;
        auto &d = deltas[size_t(s)];
        d.resize(n);
        for (size_t v = 0; v < n; ++v)
            d[v] = delta(shape, int(v));
        if (mirrorable && leftTwin(shape) == shape && !arkit::canonicalName(shape).endsWith(QLatin1String("Left")))
            symmetriseOffsets(b, d);
    }
    for (int s = 0; s < arkit::kShapeCount; ++s) {
        const ArkitShape shape = ArkitShape(s);
        if (!isRightShape(shape))
            continue;
        auto &d = deltas[size_t(s)];
        d.assign(n, QVector3D());
        if (mirrorable) {
            const auto &left = deltas[size_t(leftTwin(shape))];
            for (size_t v = 0; v < n; ++v)
                d[v] = mirrored(left[size_t(b.mirror[v])]);
        }
    }
    for (int s = 0; s < arkit::kShapeCount; ++s) {
        auto &d = deltas[size_t(s)];
        bool any = false;
        for (QVector3D &o : d) {
            if (o.lengthSquared() < kTinyDelta * kTinyDelta)
                o = QVector3D();
            else
                any = true;
        }
        if (!any && !keepAll)
            continue;
        std::vector<QVector3D> moved(n);
        for (size_t v = 0; v < n; ++v)
            moved[v] = b.mesh.positions[v] + d[v];
        const std::vector<QVector3D> normals = computeNormals(b, moved);
        MorphTarget target;
        target.name = arkit::canonicalName(s);
        target.normalDeltas.resize(n);
        for (size_t v = 0; v < n; ++v)
            target.normalDeltas[v] = normals[v] - b.mesh.normals[v];
        target.positionDeltas = std::move(d);
        b.mesh.morphTargets.push_back(std::move(target));
    }
}

void finishGeometry(MeshBuild &b)
{
    b.mesh.normals = computeNormals(b, b.mesh.positions);
    for (size_t v = 0; v < b.info.size(); ++v)
        b.info[v].normal = b.mesh.normals[v];
}

// The right-hand copy of a left-eye mesh: mirrored geometry, Left targets renamed Right.
AvatarMesh mirroredEyeMesh(const AvatarMesh &left, const QString &name)
{
    AvatarMesh m = left;
    m.name = name;
    for (QVector3D &p : m.positions)
        p = mirrored(p);
    for (QVector3D &n : m.normals)
        n = mirrored(n);
    for (size_t t = 0; t + 2 < m.indices.size(); t += 3)
        std::swap(m.indices[t + 1], m.indices[t + 2]);
    for (MorphTarget &target : m.morphTargets) {
        target.name.chop(4);
        target.name += QLatin1String("Right");
        for (QVector3D &d : target.positionDeltas)
            d = mirrored(d);
        for (QVector3D &d : target.normalDeltas)
            d = mirrored(d);
    }
    return m;
}

} // namespace

std::unique_ptr<Avatar> createMannequinHead(const MannequinOptions &options)
{
    const int resolution = std::clamp(options.resolution, 12, 160);
    const Landmarks &lm = landmarks();
    auto avatar = std::make_unique<Avatar>();
    avatar->name = QStringLiteral("Mannequin");

    HeadBuild head = buildHead(resolution);
    MeshBuild &skin = head.build;
    symmetrisePositions(skin);
    orientOutwards(skin);
    finishGeometry(skin);
    addTargets(skin, [&](ArkitShape s, int v) { return shapeDelta(s, skin.info[size_t(v)]); }, true, true);

    InteriorBuild interior = buildMouthInterior(head);
    MeshBuild &mouth = interior.build;
    symmetrisePositions(mouth);
    finishGeometry(mouth);
    addTargets(mouth, [&](ArkitShape s, int v) {
        const int rim = interior.rim[size_t(v)];
        const QVector3D cavity = shapeDelta(s, mouth.info[size_t(v)]);
        if (rim < 0)
            return cavity;
        const QVector3D lips = skin.mesh.morphTargets[size_t(s)].positionDeltas[size_t(rim)];
        const float t = smoothStep(0.0f, 0.5f, interior.depth[size_t(v)]);
        return lips + (cavity - lips) * t;
    }, true, false);

    MeshBuild eye;
    eye.mesh.name = QStringLiteral("EyeLeft");
    appendEllipsoid(eye, lm.eyeCentre, QVector3D(1, 1, 1) * lm.eyeRadius, 16, 24, Part::EyeLeft);
    finishGeometry(eye);
    addTargets(eye, [&](ArkitShape s, int v) { return shapeDelta(s, eye.info[size_t(v)]); }, false, false);

    MeshBuild iris;
    iris.mesh.name = QStringLiteral("IrisLeft");
    appendCap(iris, lm.eyeCentre, 0.42f, 5, 24, irisRadius, Part::EyeLeft);
    finishGeometry(iris);
    addTargets(iris, [&](ArkitShape s, int v) { return shapeDelta(s, iris.info[size_t(v)]); }, false, false);

    MeshBuild teeth;
    teeth.mesh.name = QStringLiteral("Teeth");
    const float ym = lm.mouthCentre.y();
    const float zm = lm.mouthCentre.z();
    // The upper incisors reach 2.5 mm below the lip line (they show when the jaw opens); the
    // lower row sits behind and below them.
    appendTeethArch(teeth, ym - 0.0025f, ym + 0.0075f, zm - 0.0045f, Part::UpperTeeth);
    appendTeethArch(teeth, ym - 0.0105f, ym - 0.0032f, zm - 0.0062f, Part::LowerTeeth);
    symmetrisePositions(teeth);
    finishGeometry(teeth);
    addTargets(teeth, [&](ArkitShape s, int v) { return shapeDelta(s, teeth.info[size_t(v)]); }, true, false);

    MeshBuild tongue;
    tongue.mesh.name = QStringLiteral("Tongue");
    appendEllipsoid(tongue, tongueCentre(), tongueAxes(), 10, 16, Part::Tongue);
    symmetrisePositions(tongue);
    finishGeometry(tongue);
    addTargets(tongue, [&](ArkitShape s, int v) { return shapeDelta(s, tongue.info[size_t(v)]); }, true, false);

    avatar->meshes.push_back(std::move(skin.mesh));
    avatar->meshes.push_back(std::move(mouth.mesh));
    avatar->meshes.push_back(eye.mesh);
    avatar->meshes.push_back(iris.mesh);
    avatar->meshes.push_back(mirroredEyeMesh(eye.mesh, QStringLiteral("EyeRight")));
    avatar->meshes.push_back(mirroredEyeMesh(iris.mesh, QStringLiteral("IrisRight")));
    avatar->meshes.push_back(std::move(teeth.mesh));
    avatar->meshes.push_back(std::move(tongue.mesh));
    return avatar;
}

} // namespace fa
