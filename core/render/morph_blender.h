#pragma once

#include "avatar/avatar.h"

#include <QVector3D>

#include <memory>
#include <vector>

namespace fa {

/// CPU morph-target (blendshape) blending of an avatar's meshes for a rig vector:
///
///   position_v = base_v + sum_t w(t) * positionDelta_t,v
///   normal_v   = base normal_v + sum_t w(t) * normalDelta_t,v   (not normalised)
///
/// (the glTF 2.0 morph-target formula, section 3.7.2.2; w(t) is the value of the rig control
/// named like target t: Avatar::rig() order). Mesh space, the file's units; AvatarMesh::transform
/// is not applied (the renderer does that on the GPU).
///
/// Sparse: setAvatar() keeps, per target, only the vertices whose position or normal delta is
/// not exactly zero, and drops targets that do not move (AvatarMesh::targetMoves: every delta
/// below 1e-4 x the mesh's bounding-box diagonal, float noise that FBX exporters store on body
/// meshes; Rocketbox keeps 173 of 175 targets on its head, none on the others). A blend costs
/// a copy of the base arrays of the meshes whose weights changed plus, per control with a
/// non-zero weight, its targets' moved vertices; zero weights cost nothing.
///
/// Normals: a target's normalDeltas are blended when the file has them (glTF NORMAL targets,
/// FBX shape normals via Assimp); a target without them leaves the base normals (a cheap
/// approximation: shading lags the shape, the silhouette and the texture do not). The
/// renderer normalises per fragment, so blended normals need no normalisation here.
///
/// Weights are used as given (values outside [0,1] extrapolate); missing trailing values and
/// non-finite values count as 0. Not thread-safe; the avatar is shared, never modified.
class MorphBlender
{
public:
    /// Builds the sparse tables (O(vertices x targets) once). nullptr clears.
    void setAvatar(std::shared_ptr<const Avatar> avatar);
    const std::shared_ptr<const Avatar> &avatar() const { return m_avatar; }

    int meshCount() const { return int(m_meshes.size()); }
    /// Number of rig controls (Avatar::rig().controlCount()).
    int controlCount() const { return m_controlCount; }
    /// True when some target of mesh `mesh` moves: its blended arrays can differ from the base.
    bool isDeformable(int mesh) const { return !m_meshes[size_t(mesh)].targets.empty(); }
    /// Total stored (vertex, target) deltas over all meshes, the size of the sparse tables.
    long long storedDeltaCount() const;

    /// Blends every deformable mesh whose weights differ from the previous blend (the first
    /// blend after setAvatar() blends all of them). Returns the indices of the meshes whose
    /// positions()/normals() changed, ascending.
    std::vector<int> blend(const std::vector<float> &rigValues);

    /// Blended positions/normals of mesh `mesh`, one per vertex (the base arrays before the
    /// first blend). normals() is empty when the mesh has no normals.
    const std::vector<QVector3D> &positions(int mesh) const { return m_meshes[size_t(mesh)].positions; }
    const std::vector<QVector3D> &normals(int mesh) const { return m_meshes[size_t(mesh)].normals; }

private:
    struct SparseTarget
    {
        int control = -1;
        std::vector<quint32> vertices;
        std::vector<QVector3D> positionDeltas; // per entry of `vertices`
        std::vector<QVector3D> normalDeltas;   // per entry of `vertices`, or empty
    };
    struct MeshState
    {
        std::vector<SparseTarget> targets;
        std::vector<int> controls;       // distinct controls of `targets`
        std::vector<float> lastWeights;  // per entry of `controls`, weights of the last blend
        bool blended = false;
        std::vector<QVector3D> positions;
        std::vector<QVector3D> normals;
    };

    static SparseTarget sparseTarget(const AvatarMesh &mesh, const MorphTarget &target, int control);
    void blendMesh(int mesh, const std::vector<float> &weights);

    std::shared_ptr<const Avatar> m_avatar;
    std::vector<MeshState> m_meshes;
    int m_controlCount = 0;
};

} // namespace fa
