#pragma once

#include "training/training_metrics.h"

#include <QByteArray>
#include <QFile>
#include <QString>

#include <optional>
#include <vector>

namespace fa {

/// RUN_DIR/metrics.jsonl: one compact JSON object per logged step, appended and flushed line by
/// line (a killed run loses at most the line being written; readers skip a cut last line).
///
///   {"step":10,"total_steps":100,"loss":0.93,"lr":0.00015,"images_per_s":41.2,
///    "loader_wait_fraction":0.01,"elapsed_s":12.5,"val_accuracy":0.81,"val_accuracy_two_class":0.81}
class MetricsLog
{
public:
    /// Opens `path` for appending, creating it. With keepUpToStep >= 0, lines of later steps
    /// (logged after the checkpoint a run resumes from) are dropped first (atomic rewrite).
    /// False with "PATH: what" on failure.
    bool open(const QString &path, qint64 keepUpToStep, QString *error);
    /// Appends one line and flushes it. False with "PATH: what" on a write failure.
    bool append(const TrainingMetrics &metrics, QString *error);
    void close();

    static QByteArray toJsonLine(const TrainingMetrics &metrics);
    static std::optional<TrainingMetrics> fromJsonLine(const QByteArray &line);
    /// Every readable line of a metrics.jsonl (empty when the file is missing).
    static std::vector<TrainingMetrics> readFile(const QString &path);

private:
    QFile m_file;
};

} // namespace fa
