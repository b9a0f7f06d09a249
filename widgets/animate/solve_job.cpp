#include "animate/solve_job.h"

#include "animator/video_solvers.h"
#include "retarget/clip_solver.h"
#include "retarget/retarget_options.h"
#include "retarget/video_measurer.h"

#include <QElapsedTimer>
#include <QThread>

namespace fa::ui {

SolveJob::SolveJob(QObject *parent)
    : QObject(parent)
{
}

SolveJob::~SolveJob()
{
    cancel();
    if (m_thread) {
        m_thread->wait();
        delete m_thread;
    }
}

bool SolveJob::start(const QString &videoPath, qint64 neutralFrame)
{
    if (m_running) {
        m_error = tr("A solve is already running");
        return false;
    }
    if (m_thread) {
        m_thread->wait();
        delete m_thread;
    }
    m_cancel = false;
    m_running = true;
    m_error.clear();
    {
        std::lock_guard<std::mutex> lock(m_mutex);
        m_measurements = ClipMeasurements();
        m_clip = AnimationClip();
    }
    if (usesLearntSolver())
        m_thread = QThread::create([this, videoPath, neutralFrame, run = m_animatorRun, avatar = m_avatar] {
            runLearnt(videoPath, neutralFrame, run, avatar);
        });
    else
        m_thread = QThread::create([this, videoPath, neutralFrame] { run(videoPath, neutralFrame); });
    m_thread->start(QThread::LowPriority);
    return true;
}

void SolveJob::setLearntSolver(const QString &animatorRun, const QString &avatar)
{
    m_animatorRun = animatorRun;
    m_avatar = avatar;
}

void SolveJob::cancel()
{
    m_cancel = true;
}

ClipMeasurements SolveJob::measurements() const
{
    std::lock_guard<std::mutex> lock(m_mutex);
    return m_measurements;
}

AnimationClip SolveJob::clip() const
{
    std::lock_guard<std::mutex> lock(m_mutex);
    return m_clip;
}

void SolveJob::publish(const ClipMeasurements &measurements, const AnimationClip &clip)
{
    std::lock_guard<std::mutex> lock(m_mutex);
    m_measurements = measurements;
    m_clip = clip;
}

// Worker thread. Signals are emitted through queued calls on this object (dropped if it is gone,
// but the destructor waits for the thread anyway).
void SolveJob::run(const QString &videoPath, qint64 neutralFrame)
{
    RetargetOptions options;
    options.videoPath = videoPath;
    options.neutralFrame = neutralFrame;

    VideoMeasurer measurer;
    ClipSolver streaming(neutralFrame); // provisional rows, calibration refreshed as faces come in
    QElapsedTimer sinceUpdate;
    sinceUpdate.start();
    auto update = [&] {
        const ClipMeasurements &so = measurer.measurements();
        QString ignored; // ranges are always valid here
        if (!streaming.solveRange(so, streaming.clip().frameCount(), so.frameCount(), &ignored))
            return;
        publish(so, streaming.clip());
        QMetaObject::invokeMethod(this, [this] { Q_EMIT updated(); }, Qt::QueuedConnection);
    };
    const bool measured = measurer.measure(options, [&](const FrameMeasurement &, const RetargetProgress &p) {
        const int done = int(p.framesDone), total = int(p.framesTotal);
        QMetaObject::invokeMethod(this, [this, done, total] { Q_EMIT progressed(done, total); }, Qt::QueuedConnection);
        if (sinceUpdate.elapsed() >= kUpdateIntervalMs) {
            update();
            sinceUpdate.restart();
        }
        return !m_cancel.load();
    });

    bool ok = false;
    bool cancelled = false;
    QString error;
    if (measured) {
        std::optional<AnimationClip> clip = ClipSolver::solve(measurer.measurements(), neutralFrame,
                                                              options.smoothing, &error);
        if (clip) {
            publish(measurer.measurements(), *clip);
            ok = true;
        }
    } else {
        cancelled = measurer.wasCanceled();
        error = measurer.errorString();
        update(); // whatever was measured stays visible
    }
    QMetaObject::invokeMethod(this, [this, ok, cancelled, error] {
        m_running = false;
        m_error = error;
        Q_EMIT finished(ok, cancelled, error);
    }, Qt::QueuedConnection);
}

// Worker thread: the learnt solver.
void SolveJob::runLearnt(const QString &videoPath, qint64 neutralFrame, const QString &animatorRun,
                         const QString &avatar)
{
    RetargetOptions options;
    options.videoPath = videoPath;
    options.neutralFrame = neutralFrame; // the head rotations' calibration (landmark path)
    fa::VideoSolverRequest request;
    request.solver = QStringLiteral("freeavatar");
    request.model = animatorRun;
    request.avatar = avatar;
    QString loadError;
    std::unique_ptr<VideoSolver> solver = fa::makeVideoSolver(request, &loadError);
    if (!solver) {
        QMetaObject::invokeMethod(this, [this, loadError] {
            m_running = false;
            m_error = loadError;
            Q_EMIT finished(false, false, loadError);
        }, Qt::QueuedConnection);
        return;
    }
    const bool ok = solver->run(options, [this](const RetargetProgress &p) {
        const int done = int(p.framesDone), total = int(p.framesTotal);
        QMetaObject::invokeMethod(this, [this, done, total] { Q_EMIT progressed(done, total); }, Qt::QueuedConnection);
        return !m_cancel.load();
    });
    if (ok)
        publish(solver->measurements(), solver->clip());
    const bool cancelled = solver->wasCanceled();
    const QString error = ok ? QString() : solver->errorString();
    QMetaObject::invokeMethod(this, [this, ok, cancelled, error] {
        m_running = false;
        m_error = error;
        Q_EMIT finished(ok, cancelled, error);
    }, Qt::QueuedConnection);
}

} // namespace fa::ui
