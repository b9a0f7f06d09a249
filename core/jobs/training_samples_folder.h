#pragma once

#include "training/training_metrics.h"

#include <QString>

#include <optional>
#include <vector>

namespace fa {

/// The dashboard's sample images of a run, kept on disk so that any logged step of any run can be
/// shown again (the studio restarted, another run selected):
///
///   RUN_DIR/samples/step-00000100/reconstruction-00-masked.png, -prediction.png, -target.png
///   RUN_DIR/samples/step-00000100/neighbours-00-query.png, neighbours-00-01.png, ...
///   RUN_DIR/samples/step-00000100/render-00-real.png, -neural.png, -difference.png
///   RUN_DIR/samples/step-00000100/distances.txt   one line per query: distances, nearest first
///
/// A step folder is written as step-XXXXXXXX.tmp and renamed when complete; only the newest
/// kKeep step folders are kept. Written by TrainingJob on its worker thread; read by the Train
/// workspace. Errors: "PATH: what".
class TrainingSamplesFolder
{
public:
    static constexpr int kKeep = 100;

    static QString directory(const QString &runDir);
    static bool write(const QString &runDir, const TrainingSamples &samples, QString *error);
    /// The steps with samples, ascending.
    static std::vector<qint64> steps(const QString &runDir);
    static std::optional<TrainingSamples> read(const QString &runDir, qint64 step, QString *error);
};

} // namespace fa
