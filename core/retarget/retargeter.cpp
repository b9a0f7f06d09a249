#include "retarget/retargeter.h"

#include "common/arkit.h"
#include "media/video_reader.h"
#include "retarget/face_tracker.h"
#include "solver/head_pose.h"
#include "solver/landmark_detector.h"
#include "solver/landmark_features.h"
#include "solver/landmark_solver.h"

#include <QElapsedTimer>

#include <cmath>
#include <future>
#include <optional>

namespace fa {
namespace {

// What the first pass keeps of a frame: enough to solve it once the neutral pose is known.
struct SolvedFrame
{
    double timeSeconds = 0.0;
    qint64 videoFrame = 0;
    std::optional<LandmarkFeatures> features;
    HeadPose pose;
};

QStringList clipControls()
{
    return arkit::canonicalNames() + arkit::headChannelNames();
}

} // namespace

bool Retargeter::fail(const QString &error)
{
    m_error = error;
    return false;
}

bool Retargeter::run(const RetargetOptions &options, const ProgressCallback &progress)
{
    m_error.clear();
    m_canceled = false;
    m_clip = AnimationClip();
    m_elapsedSeconds = m_setupSeconds = 0.0;
    QElapsedTimer timer;
    timer.start();

    VideoReader reader;
    if (!reader.open(options.videoPath))
        return fail(reader.errorString());
    const VideoInfo &info = reader.info();

    // The 100 MB landmark model loads (about 0.5 s) on a second thread while the detector's own
    // model loads and the video seeks. `landmarks` outlives the future, whose destructor waits.
    LandmarkDetector landmarks;
    const QString modelPath = options.landmarkModelPath.isEmpty() ? LandmarkDetector::defaultModelPath()
                                                                  : options.landmarkModelPath;
    std::future<bool> landmarksLoaded = std::async(std::launch::async, [&landmarks, modelPath] {
        return landmarks.load(modelPath);
    });

    if (options.endSeconds >= 0 && options.endSeconds <= options.startSeconds)
        return fail(QStringLiteral("%1: the end time (%2 s) is not after the start time (%3 s)")
                        .arg(options.videoPath).arg(options.endSeconds).arg(options.startSeconds));
    if (options.startSeconds > 0 && options.startSeconds >= info.durationSeconds)
        return fail(QStringLiteral("%1: the start time (%2 s) is past the end of the video (%3 s)")
                        .arg(options.videoPath).arg(options.startSeconds).arg(info.durationSeconds));
    if (options.startSeconds > 0 && !reader.seek(options.startSeconds))
        return fail(reader.errorString());

    FaceDetector detector;
    if (!detector.setOptions(options.detector))
        return fail(detector.errorString());
    if (!landmarksLoaded.get())
        return fail(landmarks.errorString());
    FaceTracker tracker(detector, landmarks, {options.detectionInterval});
    HeadPoseEstimator poseEstimator;

    const double end = options.endSeconds >= 0 ? std::min(options.endSeconds, info.durationSeconds)
                                               : info.durationSeconds;
    RetargetProgress status;
    status.framesTotal = std::max<qint64>(1, qint64(std::llround((end - options.startSeconds) * info.fps)));

    m_setupSeconds = timer.nsecsElapsed() * 1e-9;

    // Pass 1: decode, track, measure.
    std::vector<SolvedFrame> frames;
    VideoFrame frame;
    while (reader.readFrame(&frame)) {
        if (options.endSeconds >= 0 && frame.timeSeconds >= options.endSeconds)
            break;
        SolvedFrame solved;
        solved.timeSeconds = frame.timeSeconds;
        solved.videoFrame = frame.index;
        const FaceTracker::Result face = tracker.process(frame.image);
        if (face.found) {
            const LandmarkFeatures features = LandmarkFeatures::compute(face.landmarks);
            if (features.valid) {
                solved.features = features;
                solved.pose = poseEstimator.estimate(face.landmarks, frame.image.size());
                ++status.facesFound;
            }
        }
        frames.push_back(solved);
        status.framesDone = qint64(frames.size());
        status.elapsedSeconds = timer.nsecsElapsed() * 1e-9;
        if (progress && !progress(status)) {
            m_canceled = true;
            return fail(QStringLiteral("%1: canceled after %2 frames").arg(options.videoPath).arg(frames.size()));
        }
    }
    if (!reader.errorString().isEmpty())
        return fail(reader.errorString());
    if (frames.empty())
        return fail(QStringLiteral("%1: no frame in the chosen time range").arg(options.videoPath));
    if (status.facesFound == 0)
        return fail(QStringLiteral("%1: no face found in any of the %2 frames").arg(options.videoPath).arg(frames.size()));

    // Neutral pose: the named frame, or automatic from every frame with a face.
    LandmarkSolver solver;
    if (options.neutralFrame >= 0) {
        const qint64 first = frames.front().videoFrame;
        const qint64 i = options.neutralFrame - first;
        if (i < 0 || i >= qint64(frames.size()))
            return fail(QStringLiteral("%1: neutral frame %2 is outside the retargeted frames %3-%4")
                            .arg(options.videoPath).arg(options.neutralFrame).arg(first)
                            .arg(frames.back().videoFrame));
        if (!frames[size_t(i)].features)
            return fail(QStringLiteral("%1: no face found on neutral frame %2")
                            .arg(options.videoPath).arg(options.neutralFrame));
        solver.setNeutral(*frames[size_t(i)].features);
    } else {
        std::vector<LandmarkFeatures> faceFrames;
        for (const SolvedFrame &f : frames)
            if (f.features)
                faceFrames.push_back(*f.features);
        solver.calibrateFromClip(faceFrames);
    }

    // Pass 2: solve. Frames without a face hold the last solved values.
    m_clip = AnimationClip(clipControls(), info.fps > 0 ? info.fps : 30.0);
    std::vector<float> row(size_t(m_clip.controlCount()), 0.0f);
    for (const SolvedFrame &f : frames) {
        if (f.features) {
            const std::array<float, arkit::kShapeCount> weights = solver.solve(*f.features);
            std::copy(weights.begin(), weights.end(), row.begin());
            if (f.pose.valid) { // a failed pose fit keeps the previous angles
                row[arkit::kShapeCount + 0] = f.pose.yaw;
                row[arkit::kShapeCount + 1] = f.pose.pitch;
                row[arkit::kShapeCount + 2] = f.pose.roll;
            }
        }
        m_clip.appendFrame(f.timeSeconds, row, f.features.has_value());
    }
    if (!smoothClip(m_clip, options.smoothing, &m_error))
        return false;
    m_elapsedSeconds = timer.nsecsElapsed() * 1e-9;
    return true;
}

} // namespace fa
