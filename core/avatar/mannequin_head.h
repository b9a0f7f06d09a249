#pragma once

#include "avatar/avatar.h"

#include <memory>

namespace fa {

/// Options of the procedural mannequin head.
struct MannequinOptions
{
    /// Tessellation level of the skin, clamped to [12, 160]: the skin grid has 3 x resolution
    /// columns around the head and 2 x resolution rings from crown to chin, denser on the face.
    /// The default gives about 11,000 vertices in all (9,600 of them on the skin).
    int resolution = 40;
};

/// The studio's default avatar: a procedural "mannequin head" built entirely by our own code
/// (no third-party mesh), carrying the 52 ARKit blendshapes as geometric deformations.
///
/// Frame and units: metres, head about 0.21 m from crown to chin, +Y up, +Z forward (the face
/// looks down +Z), and +X is the mannequin's own LEFT, so an ARKit "...Left" shape moves
/// vertices with x > 0. The head centre is the origin. All mesh transforms are identity.
///
/// Meshes (no textures; suggested colours for a renderer in brackets):
/// - "Head" (skin): a sculpted, mirror-symmetric closed surface except for the mouth, a slit
///   whose upper and lower lip edge vertices coincide at neutral (so jawOpen opens a gap).
///   Eye openings are where the skin dips behind the eyeballs; the lids are shells over them.
///   Carries all 52 ARKit morph targets, in canonical order (so the rig is the 52 shapes in
///   arkit::canonicalNames() order).
/// - "MouthInterior" [dark red]: the mouth cavity, a pouch attached to the lip edges; its rim
///   duplicates the head's slit vertices and moves with them.
/// - "EyeLeft", "EyeRight" [white]: eyeballs (radius 12.5 mm); "IrisLeft", "IrisRight" [dark
///   brown]: iris discs on them. They carry the eyeLook shapes of their side (rotations).
/// - "Teeth" [off-white]: upper and lower rows; the lower row follows the jaw shapes.
/// - "Tongue" [pink]: follows the jaw; tongueOut pushes it out between the lips.
///
/// Shapes: jawOpen turns the lower jaw, chin and lower lip about a hinge axis parallel to X;
/// jawForward/Left/Right shift it; mouthClose brings the lower lip back up against the upper;
/// mouthSmile/Frown/Dimple/Stretch move the lip corners; mouthPucker/Funnel protrude and narrow
/// the lips; mouthRoll curls them in; mouthShrug, mouthPress, mouthLowerDown, mouthUpperUp move
/// one lip; eyeBlink closes the upper lid down to the lower; eyeSquint/Wide and eyeLook move the
/// lids (the eyeballs turn with eyeLook); brow shapes move the brow ridges; cheekPuff inflates
/// the cheeks along their normals; cheekSquint raises them; noseSneer lifts the nose wings.
/// Deltas are position offsets at weight 1 (metres) with normal deltas (normals of the deformed
/// mesh minus base normals). Every ...Right shape is the exact mirror image of its ...Left twin
/// (vertex v of the Left shape equals the mirrored Right delta at the mirrored vertex), and the
/// unsided shapes are mirror-symmetric.
///
/// Deterministic (same options, bit-identical avatar) and fast (40-70 ms at the default
/// resolution on the 2-core build machine). Never fails.
std::unique_ptr<Avatar> createMannequinHead(const MannequinOptions &options = {});

} // namespace fa
