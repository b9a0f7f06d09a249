#include "avatar/mannequin_mesh.h"

#include <cmath>

namespace fa::mannequin {
namespace {

constexpr float kPi = 3.14159265358979f;

} // namespace

int MeshBuild::addVertex(const QVector3D &p, const QVector2D &uv, Part part, float lower)
{
    const int index = int(mesh.positions.size());
    mesh.positions.push_back(p);
    mesh.uvs.push_back(uv);
    VertexInfo vi;
    vi.position = p;
    vi.lower = lower;
    vi.part = part;
    info.push_back(vi);
    mirror.push_back(index);
    normalWeld.push_back(index);
    return index;
}

void MeshBuild::addTriangle(int a, int b, int c)
{
    if (a == b || b == c || a == c)
        return;
    mesh.indices.push_back(quint32(a));
    mesh.indices.push_back(quint32(b));
    mesh.indices.push_back(quint32(c));
}

std::vector<QVector3D> computeNormals(const MeshBuild &build, const std::vector<QVector3D> &positions)
{
    std::vector<QVector3D> sum(positions.size());
    const auto &idx = build.mesh.indices;
    for (size_t t = 0; t + 2 < idx.size(); t += 3) {
        const QVector3D &a = positions[idx[t]];
        const QVector3D &b = positions[idx[t + 1]];
        const QVector3D &c = positions[idx[t + 2]];
        const QVector3D n = QVector3D::crossProduct(b - a, c - a); // length = 2 x area
        for (int k = 0; k < 3; ++k)
            sum[size_t(build.normalWeld[idx[t + k]])] += n;
    }
    std::vector<QVector3D> normals(positions.size());
    for (size_t v = 0; v < positions.size(); ++v) {
        QVector3D n = sum[size_t(build.normalWeld[v])];
        const float len = n.length();
        normals[v] = len > 0.0f ? n / len : QVector3D(0.0f, 0.0f, 1.0f);
    }
    return normals;
}

bool isMirrorSource(const MeshBuild &build, int v)
{
    const int m = build.mirror[size_t(v)];
    if (m == v)
        return true;
    const float x = build.mesh.positions[size_t(v)].x();
    const float mx = build.mesh.positions[size_t(m)].x();
    if (x != mx)
        return x > mx;
    return v > m;
}

void symmetrisePositions(MeshBuild &build)
{
    auto &pos = build.mesh.positions;
    // Decide the sources first: the pass changes x.
    std::vector<char> source(pos.size());
    for (size_t v = 0; v < pos.size(); ++v)
        source[v] = isMirrorSource(build, int(v));
    for (size_t v = 0; v < pos.size(); ++v) {
        const int m = build.mirror[v];
        if (m == int(v))
            pos[v].setX(0.0f);
        else if (!source[v])
            pos[v] = mirrored(pos[size_t(m)]);
    }
    for (size_t v = 0; v < pos.size(); ++v)
        build.info[v].position = pos[v];
}

void symmetriseOffsets(const MeshBuild &build, std::vector<QVector3D> &offsets)
{
    for (size_t v = 0; v < offsets.size(); ++v) {
        const int m = build.mirror[v];
        if (m == int(v))
            offsets[v].setX(0.0f);
        else if (!isMirrorSource(build, int(v)))
            offsets[v] = mirrored(offsets[size_t(m)]);
    }
}

void orientOutwards(MeshBuild &build)
{
    auto &idx = build.mesh.indices;
    const auto &pos = build.mesh.positions;
    double volume = 0.0;
    for (size_t t = 0; t + 2 < idx.size(); t += 3)
        volume += QVector3D::dotProduct(pos[idx[t]], QVector3D::crossProduct(pos[idx[t + 1]], pos[idx[t + 2]]));
    if (volume < 0.0)
        for (size_t t = 0; t + 2 < idx.size(); t += 3)
            std::swap(idx[t + 1], idx[t + 2]);
}

void appendEllipsoid(MeshBuild &build, const QVector3D &centre, const QVector3D &axes, int rings,
                     int segments, Part part)
{
    const int front = build.addVertex(centre + QVector3D(0, 0, axes.z()), {0.5f, 1.0f}, part);
    std::vector<int> ring(size_t(rings - 1) * size_t(segments));
    for (int r = 1; r < rings; ++r) {
        const float g = kPi * float(r) / float(rings);
        for (int s = 0; s < segments; ++s) {
            const float psi = 2.0f * kPi * float(s) / float(segments);
            const QVector3D p = centre
                                + QVector3D(axes.x() * std::sin(g) * std::cos(psi),
                                            axes.y() * std::sin(g) * std::sin(psi), axes.z() * std::cos(g));
            ring[size_t(r - 1) * size_t(segments) + size_t(s)]
                = build.addVertex(p, {float(s) / float(segments), 1.0f - float(r) / float(rings)}, part);
        }
    }
    const int back = build.addVertex(centre - QVector3D(0, 0, axes.z()), {0.5f, 0.0f}, part);
    auto at = [&](int r, int s) {
        if (r == 0)
            return front;
        if (r == rings)
            return back;
        return ring[size_t(r - 1) * size_t(segments) + size_t((s + segments) % segments)];
    };
    for (int r = 0; r < rings; ++r)
        for (int s = 0; s < segments; ++s) {
            build.addTriangle(at(r, s), at(r + 1, s), at(r + 1, s + 1));
            build.addTriangle(at(r, s), at(r + 1, s + 1), at(r, s + 1));
        }
    // psi -> pi - psi mirrors x.
    for (int r = 1; r < rings; ++r)
        for (int s = 0; s < segments; ++s)
            build.mirror[size_t(at(r, s))] = at(r, segments / 2 - s);
}

void appendCap(MeshBuild &build, const QVector3D &centre, float capAngle, int rings, int segments,
               float (*radius)(float gamma), Part part)
{
    const int front = build.addVertex(centre + QVector3D(0, 0, radius(0.0f)), {0.5f, 0.5f}, part);
    std::vector<int> ring(size_t(rings) * size_t(segments));
    for (int r = 1; r <= rings; ++r) {
        const float g = capAngle * float(r) / float(rings);
        for (int s = 0; s < segments; ++s) {
            const float psi = 2.0f * kPi * float(s) / float(segments);
            const QVector3D dir(std::sin(g) * std::cos(psi), std::sin(g) * std::sin(psi), std::cos(g));
            const float t = 0.5f * float(r) / float(rings);
            ring[size_t(r - 1) * size_t(segments) + size_t(s)] = build.addVertex(
                centre + radius(g) * dir, {0.5f + t * std::cos(psi), 0.5f + t * std::sin(psi)}, part);
        }
    }
    auto at = [&](int r, int s) {
        return r == 0 ? front : ring[size_t(r - 1) * size_t(segments) + size_t((s + segments) % segments)];
    };
    for (int r = 0; r < rings; ++r)
        for (int s = 0; s < segments; ++s) {
            build.addTriangle(at(r, s), at(r + 1, s), at(r + 1, s + 1));
            build.addTriangle(at(r, s), at(r + 1, s + 1), at(r, s + 1));
        }
    for (int r = 1; r <= rings; ++r)
        for (int s = 0; s < segments; ++s)
            build.mirror[size_t(at(r, s))] = at(r, segments / 2 - s);
}

void appendTeethArch(MeshBuild &build, float yBottom, float yTop, float zFront, Part part)
{
    constexpr int kSamples = 51; // odd: the middle sample lies on x = 0
    constexpr float kSpan = 1.3f;   // radians each side of the front
    constexpr float kHalfWidth = 0.0225f;
    constexpr float kDepth = 0.021f;
    constexpr float kToothAngle = 0.30f;
    const int first = int(build.mesh.positions.size());
    for (int s = 0; s < kSamples; ++s) {
        const float psi = -kSpan + 2.0f * kSpan * float(s) / float(kSamples - 1);
        const QVector3D centre(kHalfWidth * std::sin(psi), 0.0f, zFront - 0.003f - kDepth * (1.0f - std::cos(psi)));
        const QVector3D out = QVector3D(kDepth * std::sin(psi), 0.0f, kHalfWidth * std::cos(psi)).normalized();
        // Teeth bulge between the gaps; the back teeth are lower and wider.
        const float bulge = 0.0006f * std::abs(std::sin(kPi * psi / kToothAngle));
        const float outer = 0.0028f + bulge;
        const float inner = 0.0028f;
        const float shrink = 0.0015f * std::abs(psi) / kSpan;
        const float top = yTop - (part == Part::UpperTeeth ? 0.0f : shrink);
        const float bottom = yBottom + (part == Part::UpperTeeth ? shrink : 0.0f);
        const float u = float(s) / float(kSamples - 1);
        build.addVertex(centre + out * outer + QVector3D(0, top, 0), {u, 1.0f}, part);
        build.addVertex(centre + out * outer + QVector3D(0, bottom, 0), {u, 0.66f}, part);
        build.addVertex(centre - out * inner + QVector3D(0, bottom, 0), {u, 0.33f}, part);
        build.addVertex(centre - out * inner + QVector3D(0, top, 0), {u, 0.0f}, part);
    }
    auto at = [&](int s, int k) { return first + 4 * s + (k % 4); };
    for (int s = 0; s + 1 < kSamples; ++s)
        for (int k = 0; k < 4; ++k) {
            build.addTriangle(at(s, k), at(s, k + 1), at(s + 1, k + 1));
            build.addTriangle(at(s, k), at(s + 1, k + 1), at(s + 1, k));
        }
    // End caps, facing away from the arch.
    build.addTriangle(at(0, 0), at(0, 2), at(0, 1));
    build.addTriangle(at(0, 0), at(0, 3), at(0, 2));
    build.addTriangle(at(kSamples - 1, 0), at(kSamples - 1, 1), at(kSamples - 1, 2));
    build.addTriangle(at(kSamples - 1, 0), at(kSamples - 1, 2), at(kSamples - 1, 3));
    for (int s = 0; s < kSamples; ++s)
        for (int k = 0; k < 4; ++k)
            build.mirror[size_t(at(s, k))] = at(kSamples - 1 - s, k);
}

} // namespace fa::mannequin
