#pragma once

#include "retarget/clip_measurements.h"
#include "retarget/video_solver.h"

#include <memory>

namespace fa {

class AnimatorModel;

/// The FreeAvatar solver (REFERENCE.md sections 1 and 5): decode -> face box and landmarks (the
/// landmark path's tracker, VideoMeasurer) -> eye-aligned crop (FaceCropper, WholeFace: the
/// framing the decoder was trained on) -> encoder, in batches -> rig decoder with the avatar's
/// identity -> one rig per frame. No landmark reaches the rig: landmarks only place the crop and
/// give the head (and eye) rotation channels and the face-found mask, through the landmark
/// path's ClipSolver, as the issue asks. Then the same smoothing as the landmark solver.
///
/// clip(): the avatar's controls (AnimatorRunInfo::avatars[k].controls, values in [0, 1]), then
/// fa::arkit::rotationChannelNames() (degrees). Frames without a face hold the last solved rig
/// (0 before the first face). Memory: the measurements (about 1.3 kB per frame without
/// landmarks) plus one rig per frame; crops live only until their batch is encoded.
class FreeAvatarRetargeter : public VideoSolver
{
public:
    /// Crops encoded per forward pass.
    static constexpr int kBatch = 16;

    /// Drives avatar `avatar` (an index into model->info().avatars) of `model`.
    FreeAvatarRetargeter(std::shared_ptr<AnimatorModel> model, int avatar);

    QString name() const override { return QStringLiteral("freeavatar"); }
    bool solvesArkit() const override { return false; }
    bool run(const RetargetOptions &options, const ProgressCallback &progress = {}) override;
    const AnimationClip &clip() const override { return m_clip; }
    QString errorString() const override { return m_error; }
    QString warningString() const override { return m_warning; }
    bool wasCanceled() const override { return m_canceled; }
    double elapsedSeconds() const override { return m_elapsedSeconds; }
    double setupSeconds() const override { return m_setupSeconds; }

    const ClipMeasurements &measurements() const override { return m_measurements; }

private:
    bool fail(const QString &error);

    std::shared_ptr<AnimatorModel> m_model;
    int m_avatar = 0;
    AnimationClip m_clip;
    ClipMeasurements m_measurements;
    QString m_error;
    QString m_warning;
    bool m_canceled = false;
    double m_elapsedSeconds = 0.0;
    double m_setupSeconds = 0.0;
};

} // namespace fa
