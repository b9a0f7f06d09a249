#pragma once

#include <QString>
#include <QtGlobal>

#include <array>
#include <limits>
#include <map>
#include <optional>
#include <vector>

namespace fa {

// Agreement statistics for expression-comparison triplets (REFERENCE.md section 3): several
// annotators each pick the odd face of a triplet (choice 1, 2 or 3); these functions measure
// how much they agree with each other, with the majority and with known (gold) answers.
// Pure functions of their inputs: no storage, no side effects, thread-safe.

/// One annotator's answer on one triplet. Skips are never passed in.
struct JudgmentVote
{
    qint64 tripletId = 0;
    QString annotator;
    int choice = 0; ///< 1..3, the odd face; votes with any other value are ignored
};

/// The votes on one triplet.
struct TripletAgreement
{
    qint64 tripletId = 0;
    std::array<int, 3> counts{}; ///< votes for choice 1, 2, 3
    int judgments = 0;           ///< sum of counts
    int majorityChoice = 0;      ///< 1..3 with the highest count; 0 when the top count is tied
    double agreement = 0;        ///< top count / judgments, in [1/3, 1]
};

/// One annotator's record.
struct AnnotatorAgreement
{
    QString annotator;
    int judgments = 0; ///< votes by this annotator
    /// Leave-one-out majority: votes on triplets where the OTHER annotators cast at least 2 votes
    /// and have a unique top choice (compared), and of those, votes equal to that choice.
    int comparedWithMajority = 0;
    int agreedWithMajority = 0;
    /// agreedWithMajority / comparedWithMajority, in [0, 1]; NaN when nothing was compared.
    double majorityAgreement = std::numeric_limits<double>::quiet_NaN();
    int goldJudged = 0;  ///< votes on triplets with a gold answer
    int goldCorrect = 0; ///< of those, votes equal to the gold answer
    /// goldCorrect / goldJudged, in [0, 1]; NaN when no gold triplet was judged.
    double goldAccuracy = std::numeric_limits<double>::quiet_NaN();
};

struct AgreementReport
{
    std::vector<TripletAgreement> triplets; ///< one per voted triplet, sorted by tripletId
    /// Fleiss' kappa over the triplets with >= 2 votes (see fleissKappa()); NaN when undefined.
    double fleissKappa = std::numeric_limits<double>::quiet_NaN();
    int kappaTriplets = 0;                      ///< triplets that entered the kappa (>= 2 votes)
    std::vector<AnnotatorAgreement> annotators; ///< sorted by name (QString::operator<)
    /// Triplets with >= 2 votes and no strict majority (top count * 2 <= judgments), by id.
    std::vector<qint64> lowAgreement;
};

/// The two terms of Fleiss' kappa and the kappa itself.
struct FleissKappaTerms
{
    double meanAgreement = std::numeric_limits<double>::quiet_NaN();   ///< P-bar
    double chanceAgreement = std::numeric_limits<double>::quiet_NaN(); ///< P_e
    double kappa = std::numeric_limits<double>::quiet_NaN();
    int subjects = 0; ///< subjects with >= 2 ratings, the ones used
};

/// Fleiss' kappa (J. L. Fleiss, "Measuring nominal scale agreement among many raters",
/// Psychological Bulletin 76(5):378-382, 1971), generalised in the usual way to a number of
/// ratings n_i that varies from subject to subject:
///
///   P_i   = (sum_j n_ij^2 - n_i) / (n_i (n_i - 1))      agreement on subject i
///   P-bar = mean of P_i over the subjects with n_i >= 2
///   p_j   = sum_i n_ij / sum_i n_i                      share of category j (same subjects)
///   P_e   = sum_j p_j^2                                 agreement expected by chance
///   kappa = (P-bar - P_e) / (1 - P_e)
///
/// With equal n_i this is exactly Fleiss' formula. `counts[i][j]` is the number of ratings of
/// subject i in category j (rows may differ in length; missing cells count as 0). Subjects with
/// fewer than 2 ratings are ignored entirely (also in p_j). kappa is 1 for perfect agreement,
/// about 0 for chance, negative below chance. NaN (all terms) when no subject has >= 2
/// ratings or a count is negative; kappa NaN when P_e == 1 (every rating in one category).
FleissKappaTerms fleissKappaTerms(const std::vector<std::vector<int>> &counts);

/// fleissKappaTerms(counts).kappa.
double fleissKappa(const std::vector<std::vector<int>> &counts);

/// The choice (1..3) whose count is >= 2 and more than half of all votes ("a majority of at
/// least 2 of 3", as the reference-CSV export needs); nullopt otherwise (ties, a single vote).
std::optional<int> strictMajorityChoice(const std::array<int, 3> &counts);

/// Per-triplet counts, Fleiss' kappa, per-annotator leave-one-out majority agreement and gold
/// accuracy, and the low-agreement triplets of `votes`. `goldChoices` maps triplet id -> the
/// correct choice (1..3). Every vote counts as given: pass one vote per annotator and triplet.
AgreementReport computeAgreement(const std::vector<JudgmentVote> &votes,
                                 const std::map<qint64, int> &goldChoices);

} // namespace fa
