#pragma once

#include <QString>
#include <QStringList>

#include <atomic>
#include <functional>
#include <optional>
#include <vector>

namespace fa {

/// How much of an expression encoder's space is expression rather than identity (issue 15,
/// item 5; `freeavatar eval-encoder`). For each video: the faces of every frameStep-th frame,
/// their encoder outputs, and the landmark solver's 52 ARKit weights (SolvedVideoFaces). Then:
///  - expression probes, leave one video out: a ridge regression (closed form, features
///    standardised on the training videos, intercept unpenalised) from the encoder's features to
///    the ARKit weights, fitted on the other videos and scored on the held-out one by Pearson's r
///    per ARKit channel (channels that barely move in the held-out video, std < 0.02, are
///    skipped); `meanR` averages the channels scored over all folds;
///  - identity: nearest class mean over the videos, fitted on the first half of each video's
///    faces and scored on the second half (chance: 1 / videos).
/// Both for the pooled feature (the mean patch token the rig decoder reads) and the 16-d
/// embedding. An expression-dominated space has a high meanR and an identity accuracy near
/// chance; a CPU-sized encoder typically shows the reverse.
struct EncoderDiagnosis
{
    struct Space
    {
        QString name;                   ///< "pooled feature" or "embedding"
        int size = 0;                   ///< feature size
        std::vector<double> channelR;   ///< per ARKit channel, mean r over the folds that scored it; NaN: never scored
        double meanR = 0.0;             ///< mean of the scored (channel, fold) r values
        std::vector<double> videoMeanR; ///< per held-out video: mean r of its scored channels
        double identityAccuracy = 0.0;  ///< nearest class mean on the second halves, 0..1
    };
    QStringList videos;
    std::vector<int> faces; ///< per video
    double ridge = 1.0;
    Space feature;
    Space embedding;
};

struct EncoderDiagnosisOptions
{
    int frameStep = 3;
    double ridge = 1.0; ///< L2 penalty on the standardised features' weights
    QString device = QStringLiteral("auto");
    std::function<void(double fraction, const QString &status)> progress;
    const std::atomic_bool *cancel = nullptr;
};

/// Needs at least two videos with faces. Errors "PATH: what" (the encoder run or a video),
/// "data: ...", or "cancelled".
std::optional<EncoderDiagnosis> diagnoseEncoder(const QString &encoderRun, const QStringList &videos,
                                                const EncoderDiagnosisOptions &options, QString *error);

/// Ridge regression pieces, exposed for tests: fits Y ~ X on (x, y) rows (row-major, n x d and
/// n x k) and predicts rows of `query` (m x d) -> m x k. Features are standardised with the
/// training rows' mean and std; the intercept is the targets' mean (not penalised).
std::vector<double> ridgePredict(const std::vector<double> &x, const std::vector<double> &y, int n, int d, int k,
                                 const std::vector<double> &query, int m, double ridge);
/// Pearson's r of two equally long series; NaN when either has no variance.
double pearson(const std::vector<double> &a, const std::vector<double> &b);

} // namespace fa
