#include "projectio/project_statistics.h"

#include "project/project.h"

#include <QJsonArray>

#include <cmath>

namespace fa {
namespace {

QJsonValue number(double value)
{
    return std::isfinite(value) ? QJsonValue(value) : QJsonValue(QJsonValue::Null);
}

} // namespace

std::optional<ProjectStatistics> computeProjectStatistics(Project &project, QString *error)
{
    ProjectStatistics s;
    // The stores' counters cannot report a failure; this probe can (-1 on error).
    s.sources = project.connection().queryInt(QStringLiteral("SELECT COUNT(*) FROM sources"), -1);
    if (s.sources < 0) {
        if (error)
            *error = project.databaseError();
        return std::nullopt;
    }
    s.faces = project.faces().faceCount();
    s.triplets = project.triplets().count();
    s.judgments = project.judgments().count(false);
    s.skips = project.judgments().count(true) - s.judgments;
    s.completeTriplets = project.judgments().completeTriplets();
    s.judgmentsPerTriplet = project.judgmentsPerTriplet();
    s.annotators = project.judgments().annotatorNames();
    std::vector<JudgmentVote> votes;
    for (const JudgmentRecord &j : project.judgments().all())
        if (!j.isSkip())
            votes.push_back({j.tripletId, j.annotator, j.choice});
    s.agreement = computeAgreement(votes, project.triplets().goldAnswers());
    return s;
}

QJsonObject projectStatisticsToJson(const ProjectStatistics &s)
{
    QJsonObject json;
    json.insert(QStringLiteral("sources"), double(s.sources));
    json.insert(QStringLiteral("faces"), double(s.faces));
    json.insert(QStringLiteral("triplets"), double(s.triplets));
    json.insert(QStringLiteral("judgments"), double(s.judgments));
    json.insert(QStringLiteral("skips"), double(s.skips));
    json.insert(QStringLiteral("complete_triplets"), double(s.completeTriplets));
    json.insert(QStringLiteral("judgments_per_triplet"), s.judgmentsPerTriplet);
    json.insert(QStringLiteral("fleiss_kappa"), number(s.agreement.fleissKappa));
    json.insert(QStringLiteral("kappa_triplets"), s.agreement.kappaTriplets);
    json.insert(QStringLiteral("low_agreement_triplets"), int(s.agreement.lowAgreement.size()));
    QJsonArray lowIds;
    for (qint64 id : s.agreement.lowAgreement)
        lowIds.append(double(id));
    json.insert(QStringLiteral("low_agreement_triplet_ids"), lowIds);

    QJsonArray annotators;
    QStringList names = s.annotators;
    for (const AnnotatorAgreement &a : s.agreement.annotators)
        if (!names.contains(a.annotator))
            names << a.annotator;
    names.sort();
    for (const QString &name : names) {
        AnnotatorAgreement a;
        a.annotator = name;
        for (const AnnotatorAgreement &candidate : s.agreement.annotators)
            if (candidate.annotator == name)
                a = candidate;
        QJsonObject entry;
        entry.insert(QStringLiteral("name"), name);
        entry.insert(QStringLiteral("judgments"), a.judgments);
        entry.insert(QStringLiteral("majority_agreement"), number(a.majorityAgreement));
        entry.insert(QStringLiteral("gold_judged"), a.goldJudged);
        entry.insert(QStringLiteral("gold_accuracy"), number(a.goldAccuracy));
        annotators.append(entry);
    }
    json.insert(QStringLiteral("annotators"), annotators);
    return json;
}

} // namespace fa
