#pragma once

#include <QString>

#include <atomic>
#include <functional>
#include <optional>

namespace fa {

/// "Use for sampling": computes the expression embedding of every face of the project in
/// `projectDir` with the encoder of the triplet run (or checkpoint folder) `runDir`, and stores
/// them with fa::FaceStore::setEmbedding (in one transaction), so that TripletSampler's
/// uncertainty strategy can use them. Opens its own Project (call it on one thread).
/// `device`: "auto", "cpu" or "cuda". Returns the number of faces embedded, or nullopt with
/// "PATH: what" (no project, no triplet run, an unreadable crop, a database error, "cancelled";
/// nothing is stored then). `progress` gets the fraction done.
std::optional<qint64> computeProjectEmbeddings(const QString &projectDir, const QString &runDir,
                                               const std::function<void(double fraction)> &progress = {},
                                               const std::atomic_bool *cancel = nullptr, QString *error = nullptr,
                                               const QString &device = QStringLiteral("auto"));

} // namespace fa
