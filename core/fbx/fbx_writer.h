#pragma once

#include <QString>

namespace fa {

struct Avatar;
class AnimationClip;

/// Options of FbxWriter::write (spelt FbxWriter::Options; declared at namespace scope because
/// GCC rejects `= {}` default arguments of a nested struct with member initialisers).
struct FbxWriterOptions
{
    /// 7400 (FBX 2014/2015, 32-bit record offsets) or 7500 (FBX 2016+, 64-bit offsets).
    int version = 7400;
    /// Writes the base meshes' normals (LayerElementNormal). Shapes always carry Normals.
    bool writeNormals = true;
};

/// Writes an avatar and a blendshape animation as a binary FBX file (7.4 or 7.5) that Blender's
/// FBX importer and Assimp's FBX importer read back with the same morph targets and curves.
///
/// What goes into the file (the structure Blender's own exporter, io_scene_fbx, writes):
/// - per AvatarMesh a `Model` "Mesh" under the scene root, named like the mesh ("Mesh" when it has
///   no name; a repeated name gets a suffix _2, _3 …, since Assimp keys morph animation channels
///   by model name), with Lcl Translation/Rotation/Scaling decomposed from AvatarMesh::transform
///   (Euler XYZ, degrees). A transform with shear cannot be
///   expressed that way; it is then baked into the vertices and the model gets the identity;
/// - its `Geometry` "Mesh": Vertices, PolygonVertexIndex (triangles, last index of each polygon
///   bitwise-negated), LayerElementNormal (ByPolygonVertex, Direct) when Options::writeNormals and
///   the mesh has normals, LayerElementUV "UVMap" (ByPolygonVertex, IndexToDirect) when the mesh has
///   UVs (written as given: the studio keeps UVs with v pointing up, as FBX does);
/// - when the mesh has morph targets, a `Deformer` "BlendShape" and per target a `Deformer`
///   "BlendShapeChannel" (DeformPercent 0, FullWeights 100 per index) and a `Geometry` "Shape"
///   named like the target: Indexes of the vertices that move (offset above 1e-6 of the mesh's
///   bounding-box diagonal, or normal offset above 1e-5), Vertices as deltas from the base
///   mesh and Normals as normal deltas (zeros when the target has none; Assimp requires the array).
///   A target that moves no vertex is written with one zero delta on vertex 0 (as Blender's
///   exporter does) so that every reader still creates it under its name;
/// - when the clip has frames, an `AnimationStack` and `AnimationLayer` named "FaceAnimation" and,
///   for every morph target whose name is a clip control, an `AnimationCurveNode` "DeformPercent"
///   (property d|DeformPercent) linked to the channel's DeformPercent and an `AnimationCurve` with
///   one linear key per clip frame: time = frame time − first frame time, in FBX ticks
///   (46,186,158,000 per second), value = control value × 100 (percent; the clip's [0,1] weights).
///   Targets no control names get no curve and stay at 0 %. Blender shows the keys at frame
///   1 + t × fps; Assimp gives one aiMeshMorphAnim per animated mesh, named "<model>*0";
/// - GlobalSettings: Y up, front +Z, X right (right-handed, as glTF); UnitScaleFactor
///   Avatar::unitScaleToMeters × 100 (centimetres per unit: 100 for glTF avatars in metres);
///   TimeMode matching the clip's fps (a standard FBX rate, else custom with CustomFrameRate =
///   fps); TimeSpanStart 0, TimeSpanStop the last key. No materials or textures are written.
///
/// Arrays above 128 bytes are zlib-compressed. The output is deterministic apart from the
/// CreationTimeStamp record.
class FbxWriter
{
public:
    using Options = FbxWriterOptions;

    /// Writes `avatar` and `clip` to `path` atomically (QSaveFile: an existing file is replaced
    /// only once the new one is complete). `clip` may be empty (no frames: a static export of the
    /// meshes and shapes). Returns false and sets errorString() ("PATH: what is wrong") when the
    /// version is not supported, the avatar has no mesh or inconsistent arrays (index out of
    /// range, attribute or delta arrays of the wrong length, non-finite values), the clip's
    /// fps is not positive or its frame times do not increase, or the file cannot be written.
    bool write(const QString &path, const Avatar &avatar, const AnimationClip &clip,
               const Options &options = {});

    QString errorString() const { return m_error; }

private:
    QString m_error;
};

} // namespace fa
