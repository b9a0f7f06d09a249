#include "training/encoder_diagnosis.h"

#include "common/error_text.h"
#include "nn/device.h"
#include "training/network_runs.h"
#include "training/solved_video_faces.h"

#include <torch/torch.h>

#include <cmath>
#include <limits>

namespace fa {

namespace {

/// Channels that move less than this (std of the landmark solver's weight in the held-out video)
/// are not scored: r of a flat curve is noise.
constexpr double kMinChannelStd = 0.02;

torch::Tensor ridgeFitPredict(const torch::Tensor &x, const torch::Tensor &y, const torch::Tensor &query, double ridge)
{
    const torch::Tensor mean = x.mean(0, true);
    const torch::Tensor std = x.std(0, false, true).clamp_min(1e-8);
    const torch::Tensor xs = (x - mean) / std;
    const torch::Tensor yMean = y.mean(0, true);
    const int64_t d = x.size(1);
    const torch::Tensor gram = xs.t().mm(xs) + ridge * torch::eye(d, x.options());
    const torch::Tensor w = torch::linalg_solve(gram, xs.t().mm(y - yMean));
    return ((query - mean) / std).mm(w) + yMean;
}

double pearsonOf(const torch::Tensor &a, const torch::Tensor &b)
{
    const torch::Tensor ac = a - a.mean();
    const torch::Tensor bc = b - b.mean();
    const double den = std::sqrt((ac * ac).sum().item<double>() * (bc * bc).sum().item<double>());
    return den > 1e-12 ? (ac * bc).sum().item<double>() / den : std::numeric_limits<double>::quiet_NaN();
}

EncoderDiagnosis::Space diagnoseSpace(const QString &name, const torch::Tensor &features, const torch::Tensor &targets,
                                      const std::vector<int> &video, const std::vector<int> &position,
                                      const std::vector<int> &facesPerVideo, double ridge)
{
    EncoderDiagnosis::Space space;
    space.name = name;
    space.size = int(features.size(1));
    const int channels = int(targets.size(1));
    std::vector<double> channelSum(std::size_t(channels), 0.0);
    std::vector<int> channelCount(std::size_t(channels), 0);
    double sum = 0.0;
    int count = 0;
    const torch::Tensor videoIndex = torch::tensor(std::vector<int64_t>(video.begin(), video.end()), torch::kLong);
    for (int v = 0; v < int(facesPerVideo.size()); ++v) {
        const torch::Tensor test = (videoIndex == v).nonzero().flatten();
        const torch::Tensor train = (videoIndex != v).nonzero().flatten();
        double videoSum = 0.0;
        int videoCount = 0;
        if (test.numel() >= 2 && train.numel() >= 2) {
            const torch::Tensor truth = targets.index_select(0, test);
            const torch::Tensor predicted = ridgeFitPredict(features.index_select(0, train), targets.index_select(0, train),
                                                            features.index_select(0, test), ridge);
            for (int c = 0; c < channels; ++c) {
                if (truth.select(1, c).std().item<double>() < kMinChannelStd)
                    continue;
                const double r = pearsonOf(predicted.select(1, c), truth.select(1, c));
                if (!std::isfinite(r))
                    continue;
                channelSum[std::size_t(c)] += r;
                ++channelCount[std::size_t(c)];
                sum += r;
                ++count;
                videoSum += r;
                ++videoCount;
            }
        }
        space.videoMeanR.push_back(videoCount > 0 ? videoSum / videoCount : std::numeric_limits<double>::quiet_NaN());
    }
    for (int c = 0; c < channels; ++c)
        space.channelR.push_back(channelCount[std::size_t(c)] > 0 ? channelSum[std::size_t(c)] / channelCount[std::size_t(c)]
                                                                  : std::numeric_limits<double>::quiet_NaN());
    space.meanR = count > 0 ? sum / count : std::numeric_limits<double>::quiet_NaN();

    // Identity: nearest class mean, first halves -> second halves.
    const int64_t videos = int64_t(facesPerVideo.size());
    torch::Tensor means = torch::zeros({videos, features.size(1)}, features.options());
    std::vector<int> trainCount(std::size_t(videos), 0);
    for (std::size_t i = 0; i < video.size(); ++i)
        if (position[i] < facesPerVideo[std::size_t(video[i])] / 2) {
            means[video[i]] += features[int64_t(i)];
            ++trainCount[std::size_t(video[i])];
        }
    for (int64_t v = 0; v < videos; ++v)
        means[v] /= double(std::max(1, trainCount[std::size_t(v)]));
    int right = 0, tested = 0;
    for (std::size_t i = 0; i < video.size(); ++i) {
        if (position[i] < facesPerVideo[std::size_t(video[i])] / 2)
            continue;
        const int64_t nearest = (means - features[int64_t(i)]).pow(2).sum(1).argmin().item<int64_t>();
        right += nearest == video[i] ? 1 : 0;
        ++tested;
    }
    space.identityAccuracy = tested > 0 ? double(right) / tested : 0.0;
    return space;
}

} // namespace

std::vector<double> ridgePredict(const std::vector<double> &x, const std::vector<double> &y, int n, int d, int k,
                                 const std::vector<double> &query, int m, double ridge)
{
    const auto options = torch::TensorOptions().dtype(torch::kDouble);
    const torch::Tensor xt = torch::from_blob(const_cast<double *>(x.data()), {n, d}, options).clone();
    const torch::Tensor yt = torch::from_blob(const_cast<double *>(y.data()), {n, k}, options).clone();
    const torch::Tensor qt = torch::from_blob(const_cast<double *>(query.data()), {m, d}, options).clone();
    const torch::Tensor p = ridgeFitPredict(xt, yt, qt, ridge).contiguous();
    return std::vector<double>(p.data_ptr<double>(), p.data_ptr<double>() + p.numel());
}

double pearson(const std::vector<double> &a, const std::vector<double> &b)
{
    const auto options = torch::TensorOptions().dtype(torch::kDouble);
    return pearsonOf(torch::from_blob(const_cast<double *>(a.data()), {int64_t(a.size())}, options),
                     torch::from_blob(const_cast<double *>(b.data()), {int64_t(b.size())}, options));
}

std::optional<EncoderDiagnosis> diagnoseEncoder(const QString &encoderRun, const QStringList &videos,
                                                const EncoderDiagnosisOptions &options, QString *error)
{
    if (videos.size() < 2) {
        failWith(error, QStringLiteral("data: the probes leave one video out, so they need at least two videos (%1 given)")
                            .arg(videos.size()));
        return std::nullopt;
    }
    auto report = [&](double f, const QString &status) {
        if (options.progress)
            options.progress(f, status);
    };
    torch::Device device = torch::kCPU;
    try {
        nn::useCpuThreads(0, nn::CpuThreadUse::Blas);
        std::string problem;
        device = nn::preferredDevice(options.device.toStdString(), &problem);
        if (!problem.empty() && options.device != QLatin1String("auto")) {
            failWith(error, QStringLiteral("device: %1").arg(QString::fromStdString(problem)));
            return std::nullopt;
        }
    } catch (const std::exception &e) {
        failWith(error, QString::fromUtf8(e.what()).section(QLatin1Char('\n'), 0, 0));
        return std::nullopt;
    }
    std::optional<EncoderRun> encoder = loadEncoderRun(encoderRun, device, error);
    if (!encoder)
        return std::nullopt;
    SolvedVideoFacesOptions faceOptions;
    faceOptions.frameStep = options.frameStep;
    faceOptions.cancel = options.cancel;
    faceOptions.progress = [&](double f, const QString &status) { report(0.6 * f, QStringLiteral("solving ") + status); };
    std::optional<SolvedVideoFaces> solved = loadSolvedVideoFaces(videos, faceOptions, error);
    if (!solved)
        return std::nullopt;
    int withFaces = 0;
    for (const int n : solved->facesPerVideo)
        withFaces += n >= 2 ? 1 : 0;
    if (withFaces < 2) {
        failWith(error, QStringLiteral("data: fewer than two of the videos have faces to probe"));
        return std::nullopt;
    }
    torch::Tensor patchMean, embedding;
    const FaceCropDataset &faces = solved->faces;
    if (!encodeFaceImages(*encoder, faces.size(), [&faces](qsizetype i, QString *why) { return faces.image(i, why); },
                          &patchMean, &embedding, [&](double f) { report(0.6 + 0.35 * f, QStringLiteral("encoding faces")); },
                          options.cancel, error))
        return std::nullopt;
    std::vector<double> flat;
    for (const std::vector<float> &row : solved->arkit)
        flat.insert(flat.end(), row.begin(), row.end());
    const torch::Tensor targets =
        torch::tensor(flat, torch::kDouble).view({int64_t(solved->arkit.size()), int64_t(solved->arkit.front().size())});
    EncoderDiagnosis out;
    out.videos = videos;
    out.faces = solved->facesPerVideo;
    out.ridge = options.ridge;
    try {
        out.feature = diagnoseSpace(QStringLiteral("pooled feature"), patchMean.to(torch::kDouble), targets, solved->video,
                                    solved->position, solved->facesPerVideo, options.ridge);
        out.embedding = diagnoseSpace(QStringLiteral("embedding"), embedding.to(torch::kDouble), targets, solved->video,
                                      solved->position, solved->facesPerVideo, options.ridge);
    } catch (const std::exception &e) {
        failWith(error, QString::fromUtf8(e.what()).section(QLatin1Char('\n'), 0, 0));
        return std::nullopt;
    }
    report(1.0, QStringLiteral("done"));
    return out;
}

} // namespace fa
