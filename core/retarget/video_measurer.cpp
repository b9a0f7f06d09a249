#include "retarget/video_measurer.h"

#include "media/video_reader.h"
#include "retarget/face_tracker.h"
#include "solver/eye_gaze_locator.h"
#include "solver/head_pose.h"
#include "solver/landmark_detector.h"
#include "solver/landmark_features.h"

#include <QElapsedTimer>

#include <algorithm>
#include <cmath>
#include <future>

namespace fa {

bool VideoMeasurer::fail(const QString &error)
{
    m_error = error;
    return false;
}

ClipMeasurements VideoMeasurer::takeMeasurements()
{
    ClipMeasurements result = std::move(m_measurements);
    m_measurements = ClipMeasurements();
    return result;
}

bool VideoMeasurer::measure(const RetargetOptions &options, const FrameCallback &onFrame,
                            const StartCallback &onStart, const FrameImageCallback &onImage)
{
    m_error.clear();
    m_warning.clear();
    m_canceled = false;
    m_measurements = ClipMeasurements();
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

    m_measurements = ClipMeasurements(options.videoPath, info.fps > 0 ? info.fps : 30.0,
                                      QSize(info.width, info.height));
    if (onStart)
        onStart(m_measurements);
    m_setupSeconds = timer.nsecsElapsed() * 1e-9;

    VideoFrame frame;
    while (reader.readFrame(&frame)) {
        if (options.endSeconds >= 0 && frame.timeSeconds >= options.endSeconds)
            break;
        FrameMeasurement measured;
        measured.timeSeconds = frame.timeSeconds;
        measured.videoFrame = frame.index;
        const FaceTracker::Result face = tracker.process(frame.image);
        if (face.found) {
            measured.faceFound = true;
            measured.faceBox = QRectF(face.box.x, face.box.y, face.box.width, face.box.height);
            if (options.keepLandmarks || onImage) {
                measured.landmarks.reserve(FaceLandmarks::kCount);
                for (const cv::Point2f &p : face.landmarks.points)
                    measured.landmarks.emplace_back(p.x, p.y);
            }
            LandmarkFeatures features = LandmarkFeatures::compute(face.landmarks);
            if (features.valid && options.measureGaze) {
                const EyeGazeLocator::Result gaze = EyeGazeLocator::locate(frame.image, face.landmarks);
                features.irisLeftX = gaze.left.x;
                features.irisLeftY = gaze.left.y;
                features.irisLeftStrength = gaze.left.strength;
                features.irisRightX = gaze.right.x;
                features.irisRightY = gaze.right.y;
                features.irisRightStrength = gaze.right.strength;
            }
            if (features.valid) {
                measured.features = features;
                measured.pose = poseEstimator.estimate(face.landmarks, frame.image.size());
                ++status.facesFound;
            }
        }
        if (onImage) {
            onImage(measured, frame.image);
            if (!options.keepLandmarks)
                measured.landmarks.clear();
        }
        const FrameMeasurement &stored = m_measurements.append(std::move(measured));
        status.framesDone = m_measurements.frameCount();
        status.elapsedSeconds = timer.nsecsElapsed() * 1e-9;
        if (onFrame && !onFrame(stored, status)) {
            m_canceled = true;
            m_elapsedSeconds = timer.nsecsElapsed() * 1e-9;
            return fail(QStringLiteral("%1: canceled after %2 frames").arg(options.videoPath).arg(status.framesDone));
        }
    }
    m_elapsedSeconds = timer.nsecsElapsed() * 1e-9;
    if (!reader.errorString().isEmpty())
        return fail(reader.errorString());
    m_warning = reader.warningString();
    if (m_measurements.isEmpty())
        return fail(QStringLiteral("%1: no frame in the chosen time range").arg(options.videoPath));
    return true;
}

} // namespace fa
