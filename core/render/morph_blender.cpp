#include "render/morph_blender.h"

#include <algorithm>
#include <cmath>

namespace fa {

namespace {

bool isZero(const QVector3D &v)
{
    return v.x() == 0.0f && v.y() == 0.0f && v.z() == 0.0f;
}

float weightOf(const std::vector<float> &values, int control)
{
    if (control < 0 || size_t(control) >= values.size())
        return 0.0f;
    const float w = values[size_t(control)];
    return std::isfinite(w) ? w : 0.0f;
}

} // namespace

MorphBlender::SparseTarget MorphBlender::sparseTarget(const AvatarMesh &mesh, const MorphTarget &target, int control)
{
    SparseTarget sparse;
    sparse.control = control;
    const size_t n = mesh.positions.size();
    const bool positions = target.positionDeltas.size() == n;
    const bool normals = target.normalDeltas.size() == n && mesh.normals.size() == n;
    for (size_t v = 0; v < n; ++v) {
        const QVector3D dp = positions ? target.positionDeltas[v] : QVector3D();
        const QVector3D dn = normals ? target.normalDeltas[v] : QVector3D();
        if (isZero(dp) && isZero(dn))
            continue;
        sparse.vertices.push_back(quint32(v));
        sparse.positionDeltas.push_back(dp);
        if (normals)
            sparse.normalDeltas.push_back(dn);
    }
    return sparse;
}

void MorphBlender::setAvatar(std::shared_ptr<const Avatar> avatar)
{
    m_avatar = std::move(avatar);
    m_meshes.clear();
    m_controlCount = 0;
    if (!m_avatar)
        return;
    const RigDefinition rig = m_avatar->rig();
    m_controlCount = rig.controlCount();
    m_meshes.resize(m_avatar->meshes.size());
    for (size_t m = 0; m < m_avatar->meshes.size(); ++m) {
        const AvatarMesh &mesh = m_avatar->meshes[m];
        MeshState &state = m_meshes[m];
        state.positions = mesh.positions;
        state.normals = mesh.normals.size() == mesh.positions.size() ? mesh.normals : std::vector<QVector3D>();
        for (int t = 0; t < int(mesh.morphTargets.size()); ++t) {
            if (!mesh.targetMoves(t))
                continue;
            const int control = rig.indexOf(mesh.morphTargets[size_t(t)].name);
            SparseTarget sparse = sparseTarget(mesh, mesh.morphTargets[size_t(t)], control);
            if (control < 0 || sparse.vertices.empty())
                continue;
            if (std::find(state.controls.begin(), state.controls.end(), control) == state.controls.end())
                state.controls.push_back(control);
            state.targets.push_back(std::move(sparse));
        }
        state.lastWeights.assign(state.controls.size(), 0.0f);
    }
}

long long MorphBlender::storedDeltaCount() const
{
    long long count = 0;
    for (const MeshState &state : m_meshes)
        for (const SparseTarget &target : state.targets)
            count += (long long)target.vertices.size();
    return count;
}

std::vector<int> MorphBlender::blend(const std::vector<float> &rigValues)
{
    std::vector<int> changed;
    for (int m = 0; m < int(m_meshes.size()); ++m) {
        MeshState &state = m_meshes[size_t(m)];
        if (state.targets.empty())
            continue;
        bool same = state.blended;
        for (size_t c = 0; c < state.controls.size() && same; ++c)
            same = weightOf(rigValues, state.controls[c]) == state.lastWeights[c];
        if (same)
            continue;
        blendMesh(m, rigValues);
        changed.push_back(m);
    }
    return changed;
}

void MorphBlender::blendMesh(int m, const std::vector<float> &weights)
{
    const AvatarMesh &mesh = m_avatar->meshes[size_t(m)];
    MeshState &state = m_meshes[size_t(m)];
    for (size_t c = 0; c < state.controls.size(); ++c)
        state.lastWeights[c] = weightOf(weights, state.controls[c]);
    state.blended = true;

    std::copy(mesh.positions.begin(), mesh.positions.end(), state.positions.begin());
    const bool hasNormals = !state.normals.empty();
    if (hasNormals)
        std::copy(mesh.normals.begin(), mesh.normals.end(), state.normals.begin());
    QVector3D *positions = state.positions.data();
    QVector3D *normals = state.normals.data();
    for (const SparseTarget &target : state.targets) {
        const float w = weightOf(weights, target.control);
        if (w == 0.0f)
            continue;
        const size_t n = target.vertices.size();
        const quint32 *vertices = target.vertices.data();
        const QVector3D *dp = target.positionDeltas.data();
        for (size_t i = 0; i < n; ++i)
            positions[vertices[i]] += w * dp[i];
        if (hasNormals && !target.normalDeltas.empty()) {
            const QVector3D *dn = target.normalDeltas.data();
            for (size_t i = 0; i < n; ++i)
                normals[vertices[i]] += w * dn[i];
        }
    }
}

} // namespace fa
