#pragma once

#include "dataset/agreement.h"

#include <QJsonObject>
#include <QStringList>

#include <optional>

namespace fa {

class Project;

/// Counts and agreement figures of a project, for `freeavatar project stats` and the studio.
struct ProjectStatistics
{
    qint64 sources = 0;
    qint64 faces = 0;
    qint64 triplets = 0;
    qint64 judgments = 0;        ///< standing judgments, skips excluded
    qint64 skips = 0;            ///< standing skips
    qint64 completeTriplets = 0; ///< triplets with >= judgmentsPerTriplet judgments (skips excluded)
    int judgmentsPerTriplet = 0;
    /// computeAgreement() over the standing non-skip judgments and the gold answers.
    AgreementReport agreement;
    QStringList annotators;      ///< every registered annotator, by name
};

/// Reads the statistics; nullopt with "PATH: what" in `error` on a database failure.
std::optional<ProjectStatistics> computeProjectStatistics(Project &project, QString *error);

/// The statistics as JSON:
///   { "sources", "faces", "triplets", "judgments", "skips", "complete_triplets",
///     "judgments_per_triplet", "fleiss_kappa" (null when NaN), "kappa_triplets",
///     "low_agreement_triplets" (number), "low_agreement_triplet_ids" (array),
///     "annotators": [ { "name", "judgments", "majority_agreement", "gold_judged",
///                       "gold_accuracy" } ] }
/// majority_agreement and gold_accuracy are fractions in [0,1], null when NaN. Every registered
/// annotator is listed (sorted by name), with judgments 0 when they have none.
QJsonObject projectStatisticsToJson(const ProjectStatistics &statistics);

} // namespace fa
