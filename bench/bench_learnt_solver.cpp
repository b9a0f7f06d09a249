// Speed of `retarget --solver freeavatar` on the CPU next to the landmark solver, in the same
// process: frames/s of the whole retarget of a shared video (decode, track, crop, encoder in
// batches of 16, rig decoder, smoothing) for a tiny (ViT-Ti/16) and a ViT-B/16 animator model,
// and of the landmark Retargeter on the same video. Median of N runs; ratio to the landmark
// solver. The animator models are built here with random weights (speed does not depend on the
// weights): an encoder run, two renderer runs (64 px) and a rig-decoder run with its
// animator.json, in a temporary folder.
//
//   bench_learnt_solver [--runs N] [--end S] [VIDEO]   (default: ../shared/data/videos/liveportrait_d3.mp4,
//                                                      its first 4 s: ViT-B takes about 0.5 s a frame here)

#include "animator/animator_model.h"
#include "animator/freeavatar_retargeter.h"
#include "bench_statistics.h"
#include "nn/expression_encoder.h"
#include "nn/neural_renderer.h"
#include "nn/rig_decoder.h"
#include "nn/state_dict.h"
#include "retarget/retargeter.h"
#include "training/animator_run_info.h"
#include "training/renderer_run_info.h"
#include "training/training_config.h"
#include "training/training_presets.h"

#include <QCoreApplication>
#include <QDir>
#include <QTemporaryDir>

#include <torch/torch.h>

#include <cstdio>

namespace {

bool save(const torch::nn::Module &module, const QString &path)
{
    std::string error;
    if (fa::nn::saveStateDict(fa::nn::stateDictOf(module), path.toStdString(), &error))
        return true;
    std::fprintf(stderr, "%s\n", error.c_str());
    return false;
}

/// An animator model with random weights for the encoder preset `preset` ("tiny" or "vit-b").
bool makeAnimator(const QString &root, const QString &preset, QString *runDir)
{
    QString error;
    const QString encoderDir = root + QStringLiteral("/encoder-") + preset;
    QDir().mkpath(encoderDir);
    fa::TrainingConfig encoderConfig = *fa::trainingPreset(QStringLiteral("triplet"), preset);
    encoderConfig.data = {QStringLiteral("/none")};
    if (!encoderConfig.writeYamlFile(encoderDir + QStringLiteral("/config.yaml"), &error))
        return false;
    fa::nn::VitConfig vit = *fa::nn::VitConfig::fromPresetName(preset.toStdString());
    fa::nn::ExpressionEncoder encoder(vit, 16);
    if (!save(*encoder, encoderDir + QStringLiteral("/model.pt")))
        return false;

    fa::AnimatorRunInfo info;
    info.encoderRun = encoderDir;
    info.encoderFingerprint = fa::fileFingerprint(encoderDir + QStringLiteral("/model.pt"), &error);
    info.encoderImageSize = vit.imageSize;
    info.featureSize = vit.embedDim;
    info.embeddingSize = 16;
    info.rigSize = 52;
    info.identityRows = 10;
    info.hiddenSize = 512;
    info.blocks = 2;
    info.dropout = 0.1;
    for (int k = 0; k < 2; ++k) {
        const QString rendererDir = root + QStringLiteral("/renderer-%1").arg(k);
        QDir().mkpath(rendererDir);
        fa::nn::NeuralRenderer renderer(fa::nn::NeuralRendererOptions(52).imageSize(64).width(16));
        if (!save(*renderer, rendererDir + QStringLiteral("/model.pt")))
            return false;
        fa::AnimatorAvatar avatar;
        avatar.name = QStringLiteral("avatar %1").arg(k);
        avatar.avatarPath = k == 0 ? QString() : QStringLiteral("/avatars/%1.glb").arg(k);
        avatar.rendererRun = rendererDir;
        avatar.identity = k;
        info.avatars.push_back(avatar);
    }
    QStringList controls;
    for (int i = 0; i < 52; ++i)
        controls << QStringLiteral("c%1").arg(i);
    for (fa::AnimatorAvatar &avatar : info.avatars)
        avatar.controls = controls;
    *runDir = root + QStringLiteral("/animator-") + preset;
    QDir().mkpath(*runDir);
    fa::nn::RigDecoder decoder(fa::nn::RigDecoderOptions(vit.embedDim, 52));
    return save(*decoder, *runDir + QStringLiteral("/model.pt")) && info.write(*runDir, &error);
}

double framesPerSecond(fa::VideoSolver &solver, const QString &video, double end)
{
    fa::RetargetOptions options;
    options.videoPath = video;
    options.endSeconds = end;
    options.keepLandmarks = false;
    if (!solver.run(options)) {
        std::fprintf(stderr, "%s\n", qPrintable(solver.errorString()));
        return 0.0;
    }
    return double(solver.clip().frameCount()) / solver.elapsedSeconds();
}

} // namespace

int main(int argc, char **argv)
{
    QCoreApplication app(argc, argv);
    int runs = 3;
    double end = 4.0;
    QString video = QStringLiteral(FA_DATA_DIR "/videos/liveportrait_d3.mp4");
    const QStringList args = app.arguments();
    for (int i = 1; i < args.size(); ++i) {
        if (args[i] == QLatin1String("--runs") && i + 1 < args.size())
            runs = std::max(1, args[++i].toInt());
        else if (args[i] == QLatin1String("--end") && i + 1 < args.size())
            end = args[++i].toDouble();
        else
            video = args[i];
    }
    QTemporaryDir root;
    std::printf("Video: %s, 0 to %.1f s; %d runs, median; CPU threads: every core\n\n", qPrintable(video), end, runs);
    std::printf("%-28s %12s %10s\n", "Solver", "frames/s", "ratio");
    fa::Retargeter landmarks;
    std::vector<double> base;
    for (int r = 0; r < runs; ++r)
        base.push_back(framesPerSecond(landmarks, video, end));
    const double landmarkRate = fa::bench::median(base);
    std::printf("%-28s %12.1f %10.2f\n", "landmarks", landmarkRate, 1.0);
    std::fflush(stdout);
    for (const QString preset : {QStringLiteral("tiny"), QStringLiteral("vit-b")}) {
        QString runDir;
        if (!makeAnimator(root.path(), preset, &runDir))
            return 1;
        QString error;
        std::shared_ptr<fa::AnimatorModel> model = fa::AnimatorModel::load(runDir, QStringLiteral("cpu"), &error);
        if (!model) {
            std::fprintf(stderr, "%s\n", qPrintable(error));
            return 1;
        }
        fa::FreeAvatarRetargeter solver(model, 0);
        std::vector<double> rates;
        for (int r = 0; r < runs; ++r)
            rates.push_back(framesPerSecond(solver, video, end));
        const double rate = fa::bench::median(rates);
        std::printf("%-28s %12.1f %10.2f\n", qPrintable(QStringLiteral("freeavatar, ") + preset + QStringLiteral(" encoder")),
                    rate, landmarkRate > 0 ? rate / landmarkRate : 0.0);
        std::fflush(stdout);
    }
    std::printf("\nratio: frames/s over the landmark solver's in this run (both include decoding and tracking).\n");
    return 0;
}
