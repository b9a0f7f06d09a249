#include "animator/freeavatar_retargeter.h"

#include "animator/animator_model.h"
#include "common/arkit.h"
#include "face/face_cropper.h"
#include "projectio/face_crop_geometry.h"
#include "retarget/clip_solver.h"
#include "retarget/video_measurer.h"

#include <QElapsedTimer>

namespace fa {

FreeAvatarRetargeter::FreeAvatarRetargeter(std::shared_ptr<AnimatorModel> model, int avatar)
    : m_model(std::move(model))
    , m_avatar(avatar)
{
}

bool FreeAvatarRetargeter::fail(const QString &error)
{
    m_error = error;
    return false;
}

bool FreeAvatarRetargeter::run(const RetargetOptions &options, const ProgressCallback &progress)
{
    m_error.clear();
    m_warning.clear();
    m_canceled = false;
    m_clip = AnimationClip();
    m_measurements = ClipMeasurements();
    m_elapsedSeconds = m_setupSeconds = 0.0;
    QElapsedTimer timer;
    timer.start();
    if (!m_model || m_avatar < 0 || m_avatar >= int(m_model->info().avatars.size()))
        return fail(QStringLiteral("%1: no animator model for this avatar").arg(options.videoPath));
    const QStringList controls = m_model->info().avatars[std::size_t(m_avatar)].controls;

    // Pass 1: measure every frame; crop the faces and decode them in batches as they come.
    const FaceCropper cropper(FaceCropper::framingOptions(FaceCropper::Framing::WholeFace, 224));
    std::vector<std::vector<float>> rigs; // per measured frame; empty = no crop
    std::vector<cv::Mat> pending;
    std::vector<int> pendingFrames;
    QString solveError;
    auto flush = [&]() {
        if (pending.empty())
            return true;
        std::vector<std::vector<float>> solved = m_model->solve(pending, m_avatar, &solveError);
        if (solved.size() != pending.size())
            return false;
        for (std::size_t i = 0; i < solved.size(); ++i)
            rigs[std::size_t(pendingFrames[i])] = std::move(solved[i]);
        pending.clear();
        pendingFrames.clear();
        return true;
    };
    bool solvedOk = true;
    auto onImage = [&](const FrameMeasurement &frame, const cv::Mat &image) {
        rigs.emplace_back();
        cv::Point2f left, right;
        if (!solvedOk || !frame.hasFace() || !eyeCentres(frame.landmarks, &left, &right))
            return;
        cv::Mat crop = cropper.crop(image, left, right);
        if (crop.empty())
            return;
        pending.push_back(std::move(crop));
        pendingFrames.push_back(int(rigs.size()) - 1);
        if (int(pending.size()) >= kBatch)
            solvedOk = flush();
    };
    auto onFrame = [&](const FrameMeasurement &, const RetargetProgress &status) {
        return solvedOk && (!progress || progress(status));
    };
    VideoMeasurer measurer;
    const bool measured = measurer.measure(options, onFrame, {}, onImage);
    m_setupSeconds = measurer.setupSeconds();
    m_measurements = measurer.takeMeasurements();
    m_warning = measurer.warningString();
    if (solvedOk)
        solvedOk = flush();
    if (!solvedOk)
        return fail(QStringLiteral("%1: %2").arg(options.videoPath, solveError));
    m_canceled = measurer.wasCanceled();
    if (!measured)
        return fail(measurer.errorString());

    // Pass 2: head rotations and the face-found mask from the landmark path; the rig from the
    // decoder; frames without a decoded face hold the last rig.
    SmoothingOptions unsmoothed; // the whole clip is smoothed once, below
    unsmoothed.method = SmoothingMethod::None;
    std::optional<AnimationClip> landmarks = ClipSolver::solve(m_measurements, options.neutralFrame, unsmoothed, &m_error);
    if (!landmarks)
        return false;
    const QStringList rotations = arkit::rotationChannelNames();
    m_clip = AnimationClip(controls + rotations, landmarks->fps());
    std::vector<float> row(std::size_t(controls.size() + rotations.size()), 0.0f);
    for (int f = 0; f < landmarks->frameCount(); ++f) {
        const bool decoded = std::size_t(f) < rigs.size() && !rigs[std::size_t(f)].empty();
        if (decoded)
            std::copy(rigs[std::size_t(f)].begin(), rigs[std::size_t(f)].end(), row.begin());
        for (int r = 0; r < rotations.size(); ++r)
            row[std::size_t(controls.size() + r)] = landmarks->value(f, landmarks->controlIndex(rotations[r]));
        m_clip.appendFrame(landmarks->frameTime(f), row, decoded && landmarks->faceFound(f));
    }
    if (!smoothClip(m_clip, options.smoothing, &m_error))
        return false;
    m_elapsedSeconds = timer.nsecsElapsed() * 1e-9;
    return true;
}

} // namespace fa
