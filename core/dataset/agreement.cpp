#include "dataset/agreement.h"

#include <algorithm>
#include <cmath>
#include <utility>

namespace fa {

namespace {

constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();

int total(const std::array<int, 3> &counts)
{
    return counts[0] + counts[1] + counts[2];
}

/// The choice (1..3) with the highest count, or 0 when the top count is shared or zero.
int uniqueTopChoice(const std::array<int, 3> &counts)
{
    const auto top = std::max_element(counts.begin(), counts.end());
    if (*top <= 0 || std::count(counts.begin(), counts.end(), *top) != 1)
        return 0;
    return int(top - counts.begin()) + 1;
}

double ratio(int numerator, int denominator)
{
    return denominator > 0 ? double(numerator) / double(denominator) : kNaN;
}

} // namespace

FleissKappaTerms fleissKappaTerms(const std::vector<std::vector<int>> &counts)
{
    FleissKappaTerms terms;
    std::size_t categories = 0;
    for (const std::vector<int> &row : counts) {
        if (std::any_of(row.begin(), row.end(), [](int n) { return n < 0; }))
            return terms;
        categories = std::max(categories, row.size());
    }

    std::vector<qint64> categoryTotals(categories, 0);
    qint64 allRatings = 0;
    double sumP = 0;
    for (const std::vector<int> &row : counts) {
        qint64 n = 0;
        qint64 sumSquares = 0;
        for (int nij : row) {
            n += nij;
            sumSquares += qint64(nij) * nij;
        }
        if (n < 2)
            continue;
        sumP += double(sumSquares - n) / (double(n) * double(n - 1));
        for (std::size_t j = 0; j < row.size(); ++j)
            categoryTotals[j] += row[j];
        allRatings += n;
        ++terms.subjects;
    }
    if (terms.subjects == 0)
        return terms;

    terms.meanAgreement = sumP / terms.subjects;
    double pe = 0;
    for (qint64 nj : categoryTotals) {
        const double pj = double(nj) / double(allRatings);
        pe += pj * pj;
    }
    terms.chanceAgreement = pe;
    // P_e == 1 exactly when one category holds every rating; test that on the integers.
    const bool oneCategory = std::find(categoryTotals.begin(), categoryTotals.end(), allRatings)
                             != categoryTotals.end();
    if (!oneCategory)
        terms.kappa = (terms.meanAgreement - pe) / (1.0 - pe);
    return terms;
}

double fleissKappa(const std::vector<std::vector<int>> &counts)
{
    return fleissKappaTerms(counts).kappa;
}

std::optional<int> strictMajorityChoice(const std::array<int, 3> &counts)
{
    const int n = total(counts);
    for (int j = 0; j < 3; ++j) {
        if (counts[j] >= 2 && counts[j] * 2 > n)
            return j + 1;
    }
    return std::nullopt;
}

AgreementReport computeAgreement(const std::vector<JudgmentVote> &votes,
                                 const std::map<qint64, int> &goldChoices)
{
    // Counts per triplet, and per (triplet, annotator) for the leave-one-out majority.
    std::map<qint64, std::array<int, 3>> tripletCounts;
    std::map<std::pair<qint64, QString>, std::array<int, 3>> ownCounts;
    std::map<QString, AnnotatorAgreement> annotators;
    for (const JudgmentVote &vote : votes) {
        if (vote.choice < 1 || vote.choice > 3)
            continue;
        ++tripletCounts[vote.tripletId][vote.choice - 1];
        ++ownCounts[{vote.tripletId, vote.annotator}][vote.choice - 1];
    }

    AgreementReport report;
    std::vector<std::vector<int>> kappaCounts;
    for (const auto &[id, counts] : tripletCounts) {
        TripletAgreement t;
        t.tripletId = id;
        t.counts = counts;
        t.judgments = total(counts);
        t.majorityChoice = uniqueTopChoice(counts);
        t.agreement = double(*std::max_element(counts.begin(), counts.end())) / t.judgments;
        if (t.judgments >= 2) {
            kappaCounts.push_back({counts[0], counts[1], counts[2]});
            if (!strictMajorityChoice(counts))
                report.lowAgreement.push_back(id);
        }
        report.triplets.push_back(t);
    }
    report.kappaTriplets = int(kappaCounts.size());
    report.fleissKappa = fleissKappa(kappaCounts);

    for (const JudgmentVote &vote : votes) {
        if (vote.choice < 1 || vote.choice > 3)
            continue;
        AnnotatorAgreement &a = annotators[vote.annotator];
        a.annotator = vote.annotator;
        ++a.judgments;

        const std::array<int, 3> &all = tripletCounts[vote.tripletId];
        const std::array<int, 3> &own = ownCounts[{vote.tripletId, vote.annotator}];
        const std::array<int, 3> others{all[0] - own[0], all[1] - own[1], all[2] - own[2]};
        if (total(others) >= 2) {
            if (const int majority = uniqueTopChoice(others)) {
                ++a.comparedWithMajority;
                if (vote.choice == majority)
                    ++a.agreedWithMajority;
            }
        }

        const auto gold = goldChoices.find(vote.tripletId);
        if (gold != goldChoices.end()) {
            ++a.goldJudged;
            if (vote.choice == gold->second)
                ++a.goldCorrect;
        }
    }
    for (auto &[name, a] : annotators) {
        a.majorityAgreement = ratio(a.agreedWithMajority, a.comparedWithMajority);
        a.goldAccuracy = ratio(a.goldCorrect, a.goldJudged);
        report.annotators.push_back(std::move(a));
    }
    return report;
}

} // namespace fa
