#pragma once

#include "dataset/triplet_type.h"
#include "training/triplet_dataset.h"

#include <QByteArray>
#include <QString>
#include <QtGlobal>

#include <atomic>
#include <cmath>
#include <functional>
#include <map>
#include <optional>

namespace fa {

/// Correct / total triplets of one kind.
struct TripletCounts
{
    qint64 correct = 0;
    qint64 total = 0;
    /// correct / total in [0, 1]; NaN when total is 0.
    double accuracy() const { return total > 0 ? double(correct) / double(total) : std::nan(""); }
};

/// Triplet prediction accuracy (REFERENCE.md section 2): a triplet is correct iff
/// d(a,p) < d(a,n) and d(a,p) < d(p,n) (Euclidean distances of the embeddings; a tie is wrong),
/// overall and per triplet type.
struct TripletAccuracyReport
{
    TripletCounts overall;
    std::map<TripletType, TripletCounts> byType; ///< the types present only

    double accuracy() const { return overall.accuracy(); }
    /// {"accuracy": 0.9, "correct": 45, "total": 50, "by_type": {"two_class": {"accuracy": ...,
    /// "correct": ..., "total": ...}}}; NaN accuracies are null.
    QByteArray toJson() const;
};

/// "one_class", "two_class" or "three_class" (metrics.jsonl's val_accuracy_<type> suffixes).
QString tripletTypeKey(TripletType type);

class ExpressionEmbedder;

/// Evaluates the expression encoder of a triplet run (a run folder or one of its checkpoint
/// folders: model.pt + config.yaml) on `triplets`, every image through the eval transform.
/// `device`: "auto", "cpu" or "cuda". Errors "PATH: what": no run there, a mae run (no
/// expression head), unreadable weights or images, "cancelled".
std::optional<TripletAccuracyReport> evaluateTriplets(const QString &runDir, const TripletDataset &triplets,
                                                      const QString &device = QStringLiteral("auto"),
                                                      const std::function<void(double fraction)> &progress = {},
                                                      const std::atomic_bool *cancel = nullptr,
                                                      QString *error = nullptr);
/// The same with an encoder already loaded.
std::optional<TripletAccuracyReport> evaluateTriplets(ExpressionEmbedder &embedder, const TripletDataset &triplets,
                                                      const std::function<void(double fraction)> &progress = {},
                                                      const std::atomic_bool *cancel = nullptr,
                                                      QString *error = nullptr);

} // namespace fa
