#pragma once

// A small job for the job machinery's tests: counts steps with a sleep between them, may fail at
// a chosen step, continues from the step its row recorded (as a training run resumes from its
// checkpoint). Settings come from the row's configYaml: "steps: 20\nstep_ms: 5\nfail_at: 0".

#include "jobs/job.h"
#include "jobs/job_manager.h"

#include <QDir>
#include <QFile>
#include <QThread>

#include <atomic>

namespace fa::test {

class TestJob : public fa::Job
{
public:
    struct Settings
    {
        int steps = 20;
        int stepMs = 5;
        int failAt = 0; ///< 0 = never
    };

    TestJob(const fa::JobRecord &record, const QString &projectDirectory)
        : Job(record, projectDirectory), m_settings(parse(record.configYaml))
    {
    }
    ~TestJob() override { stopAndWait(); }

    static Settings parse(const QString &yaml)
    {
        Settings s;
        const QStringList lines = yaml.split(QLatin1Char('\n'), Qt::SkipEmptyParts);
        for (const QString &line : lines) {
            const QString key = line.section(QLatin1Char(':'), 0, 0).trimmed();
            const int value = line.section(QLatin1Char(':'), 1).trimmed().toInt();
            if (key == QLatin1String("steps"))
                s.steps = value;
            else if (key == QLatin1String("step_ms"))
                s.stepMs = value;
            else if (key == QLatin1String("fail_at"))
                s.failAt = value;
        }
        return s;
    }
    static QString yaml(int steps, int stepMs, int failAt = 0)
    {
        return QStringLiteral("steps: %1\nstep_ms: %2\nfail_at: %3\n").arg(steps).arg(stepMs).arg(failAt);
    }

    /// Builds TestJobs for kind "test"; other kinds are unknown.
    static fa::JobManager::JobFactory factory()
    {
        return [](const fa::JobRecord &record, const QString &projectDirectory,
                  QString *error) -> std::unique_ptr<fa::Job> {
            if (record.kind != QLatin1String("test")) {
                *error = QStringLiteral("unknown job kind \"%1\"").arg(record.kind);
                return nullptr;
            }
            return std::make_unique<TestJob>(record, projectDirectory);
        };
    }

    /// Workers running now, and the most ever seen at once (all TestJobs of the process).
    static std::atomic_int &running()
    {
        static std::atomic_int count{0};
        return count;
    }
    static std::atomic_int &mostAtOnce()
    {
        static std::atomic_int count{0};
        return count;
    }

protected:
    Outcome execute(fa::JobContext &context, QString *error) override
    {
        struct Count
        {
            Count()
            {
                const int now = ++running();
                int seen = mostAtOnce();
                while (now > seen && !mostAtOnce().compare_exchange_weak(seen, now)) {
                }
            }
            ~Count() { --running(); }
        } count;
        QDir().mkpath(context.runDirectory());
        QFile marker(context.runDirectory() + QStringLiteral("/started.txt"));
        marker.open(QIODevice::Append);
        marker.write(QByteArray::number(context.record().step) + '\n');
        marker.close();
        for (qint64 step = context.record().step; step < m_settings.steps;) {
            context.pausePoint();
            if (context.stopRequested())
                return Outcome::Stopped;
            QThread::msleep(m_settings.stepMs);
            ++step;
            if (step == m_settings.failAt) {
                *error = QStringLiteral("test failure at step %1").arg(step);
                return Outcome::Failed;
            }
            context.reportProgress(double(step) / m_settings.steps, QStringLiteral("step %1").arg(step), step,
                                   m_settings.steps);
        }
        return Outcome::Finished;
    }

private:
    Settings m_settings;
};

} // namespace fa::test
