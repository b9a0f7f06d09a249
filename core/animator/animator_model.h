#pragma once

#include "training/animator_run_info.h"

#include <QString>
#include <QStringList>

#include <opencv2/core/mat.hpp>

#include <memory>
#include <optional>
#include <vector>

namespace fa {

/// A trained rig-decoder run (an "animator model", `freeavatar train rig-decoder`) loaded for
/// inference: face crops in, one avatar's rig out (REFERENCE.md section 5). The encoder is the
/// run's (animator.json names it with its fingerprint); the decoder and its identity table are
/// the run's model.pt.
///
/// Threads: one call at a time per object; load() and the solves may run on any thread. The
/// networks run in eval mode under NoGradGuard on every CPU core (or CUDA when asked for).
class AnimatorModel
{
public:
    /// From a rig-decoder run folder (or one of its checkpoint folders). `device`: "auto", "cpu"
    /// or "cuda". Errors "PATH: what": not an animator model (no animator.json, another kind of
    /// run), no model.pt yet, its encoder run missing or changed since training (fingerprint),
    /// an encoder of another width than the decoder reads, one of its renderer runs missing,
    /// weights that do not match animator.json.
    static std::unique_ptr<AnimatorModel> load(const QString &runDir, const QString &device, QString *error);
    ~AnimatorModel();
    /// The animator models (rig-decoder runs with a model.pt) among `projectDirectory`/runs/*
    /// that drive `avatar` ("", "mannequin" or an avatar file), absolute, sorted by path;
    /// unreadable folders are skipped.
    static QStringList findRuns(const QString &projectDirectory, const QString &avatar);

    const AnimatorRunInfo &info() const;
    QString runDirectory() const;
    QString deviceDescription() const;

    /// The avatar `avatar` names ("mannequin", "" or an avatar file, as `--avatar` takes it) among
    /// info().avatars; nullopt + "RUN: trained for A, B; not for X" when the model does not
    /// drive it.
    std::optional<int> avatarIndex(const QString &avatar, QString *error) const;

    /// Rigs of `avatar` (index into info().avatars) for 8-bit BGR eye-aligned face crops
    /// (FaceCropper's WholeFace framing, any size; the encoder's eval transform is applied), one
    /// row of info().avatars[avatar].controls.size() values in [0, 1] per crop. Empty + error on
    /// a torch failure or an empty crop.
    std::vector<std::vector<float>> solve(const std::vector<cv::Mat> &crops, int avatar, QString *error);

private:
    AnimatorModel();
    struct Private;
    std::unique_ptr<Private> d;
};

} // namespace fa
