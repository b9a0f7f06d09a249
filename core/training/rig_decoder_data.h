#pragma once

// Everything a rig-decoder run trains on (internal to core/training; torch headers: include only
// from .cpp files): the frozen encoder, each avatar's frozen neural renderer and render set, the
// real faces with their landmark-solver targets, and every source face's encoder output computed
// once (the encoder is frozen and faces are not augmented, so a face's features never change).

#include "nn/rig_decoder_loss.h"
#include "training/animator_run_info.h"
#include "training/face_crop_dataset.h"
#include "training/network_runs.h"
#include "training/render_pair_set.h"
#include "training/training_config.h"

#include <QString>

#include <atomic>
#include <functional>
#include <memory>
#include <optional>
#include <vector>

namespace fa {

/// One avatar of the run; its position in RigDecoderData::avatars() is its identity row.
struct DecoderAvatarData
{
    QString avatarArgument;  ///< the AVATAR of "AVATAR:RENDERER_RUN" ("mannequin" or a file)
    RendererRun renderer;    ///< frozen (nn::freezeModule)
    QString rendererFingerprint;
    std::shared_ptr<const RenderPairSet> renders; ///< its render set at the renderer's size
    /// Per control: the index among the 52 canonical ARKit shapes (arkit::indexOf, any spelling)
    /// that a real frame's landmark-solver target gives it, or -1 (no target for that control).
    std::vector<int> arkitOfControl;
    /// [n_k] int64: each control's left/right mirror (ARKit names), itself when none.
    torch::Tensor mirror;
    /// Encoder outputs of every render-set image (the eval transform of its PNG):
    /// [items, D] patch mean, [items, E] embedding, CPU float32.
    torch::Tensor renderPatchMean;
    torch::Tensor renderEmbedding;

    int rigSize() const { return renderer.info.controls.size(); }
    QString name() const { return renderer.info.avatarName; }
};

class RigDecoderData
{
public:
    using Progress = std::function<void(double fraction, const QString &status)>;

    /// Loads config.encoder, config.avatars and config.data on `device` (see TrainingConfig's
    /// rig-decoder keys). Errors "PATH: what": an encoder or renderer run that cannot be loaded,
    /// an AVATAR:RENDERER_RUN whose renderer was trained for another avatar, a renderer whose
    /// render set is gone or changed, unreadable videos or folders, no face in a video;
    /// "cancelled".
    static std::optional<RigDecoderData> load(const TrainingConfig &config, torch::Device device,
                                              const Progress &progress, const std::atomic_bool *cancel,
                                              QString *error);

    const EncoderRun &encoder() const { return m_encoder; }
    nn::ExpressionEncoder encoderNetwork() const { return m_encoder.encoder; }
    const std::vector<DecoderAvatarData> &avatars() const { return m_avatars; }
    /// The decoder's view of the avatars (renderers and mirror maps).
    std::vector<nn::DecoderAvatar> decoderAvatars() const;
    /// n_max: the largest rig among the avatars.
    int rigSize() const;
    int featureSize() const;
    /// The largest renderer side: image targets of a batch are at this size.
    int imageSize() const;

    /// Real faces (videos, folders, projects) and, per face, the 52 ARKit weights of the
    /// landmark solver (empty: no target: stills and project crops).
    const FaceCropDataset &faces() const { return m_faces; }
    const std::vector<std::vector<float>> &faceTargets() const { return m_faceTargets; }
    /// Encoder outputs of every real face: [faces, D], [faces, E], CPU float32.
    const torch::Tensor &facePatchMean() const { return m_facePatchMean; }
    const torch::Tensor &faceEmbedding() const { return m_faceEmbedding; }
    /// Real faces trained on / held out: the last held_out_fraction of each video's faces (its
    /// end, so that no held-out frame sits between training frames), and a fixed hash share of
    /// the other faces.
    const std::vector<qsizetype> &trainingFaces() const { return m_trainingFaces; }
    const std::vector<qsizetype> &heldOutFaces() const { return m_heldOutFaces; }

    /// The description written to the run folder (animator.json).
    AnimatorRunInfo runInfo(const TrainingConfig &config) const;
    /// Encoder, renderers, render sets and faces together: a resume on other data is refused.
    QString fingerprint() const { return m_fingerprint; }

private:
    EncoderRun m_encoder;
    QString m_encoderFingerprint;
    std::vector<DecoderAvatarData> m_avatars;
    FaceCropDataset m_faces;
    std::vector<std::vector<float>> m_faceTargets;
    torch::Tensor m_facePatchMean;
    torch::Tensor m_faceEmbedding;
    std::vector<qsizetype> m_trainingFaces;
    std::vector<qsizetype> m_heldOutFaces;
    QString m_fingerprint;
};

} // namespace fa
