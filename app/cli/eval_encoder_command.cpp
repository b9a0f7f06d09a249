// freeavatar eval-encoder --checkpoint RUN --data VIDEOS... [--frame-step N] [--ridge L] [--json]
#include "train_command.h"

#include "exit_codes.h"
#include "terminal_text.h"
#include "number_argument.h"
#include "progress_bar.h"

#include "common/arkit.h"
#include "training/encoder_diagnosis.h"

#include <QCommandLineParser>
#include <QElapsedTimer>
#include <QFileInfo>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QTextStream>

#include <cmath>

namespace fa::cli {
namespace {

void printError(const QString &message)
{
    QTextStream(stderr) << "freeavatar eval-encoder: " << terminalText(message) << Qt::endl;
}

QJsonValue number(double v)
{
    return std::isfinite(v) ? QJsonValue(v) : QJsonValue(QJsonValue::Null);
}

QJsonObject spaceJson(const EncoderDiagnosis::Space &space)
{
    QJsonObject channels;
    for (int c = 0; c < int(space.channelR.size()); ++c)
        if (std::isfinite(space.channelR[std::size_t(c)]))
            channels.insert(arkit::canonicalName(c), space.channelR[std::size_t(c)]);
    QJsonArray perVideo;
    for (const double r : space.videoMeanR)
        perVideo.append(number(r));
    return QJsonObject{{QStringLiteral("size"), space.size}, {QStringLiteral("mean_r"), number(space.meanR)},
                       {QStringLiteral("video_mean_r"), perVideo}, {QStringLiteral("channel_r"), channels},
                       {QStringLiteral("identity_accuracy"), space.identityAccuracy}};
}

QString r(double v)
{
    return std::isfinite(v) ? QString::number(v, 'f', 2) : QStringLiteral("-");
}

} // namespace

int runEvalEncoder(const QStringList &arguments)
{
    QCommandLineParser parser;
    parser.setApplicationDescription(QStringLiteral(
        "How much of an encoder's space is expression rather than identity. Leave-one-video-out ridge probes from the "
        "encoder's features (the pooled feature the rig decoder reads, and the 16-d embedding) to the landmark "
        "solver's ARKit curves: Pearson r per channel on the held-out video, and the mean; and how well the same "
        "features tell the videos (people) apart: nearest class mean, first half of each video -> second half. An "
        "encoder worth training a rig decoder on has a high mean r and an identity accuracy near chance."));
    parser.addHelpOption();
    const QCommandLineOption checkpoint(QStringLiteral("checkpoint"),
        QStringLiteral("Triplet run folder, or one of its checkpoints/step-N folders."), QStringLiteral("RUN_DIR"));
    const QCommandLineOption data(QStringLiteral("data"),
        QStringLiteral("Videos, one person each (repeatable; more may follow): at least two."), QStringLiteral("VIDEO"));
    const QCommandLineOption frameStep(QStringLiteral("frame-step"), QStringLiteral("Every Nth frame (default 3)."),
                                       QStringLiteral("N"), QStringLiteral("3"));
    const QCommandLineOption ridge(QStringLiteral("ridge"),
        QStringLiteral("Ridge penalty on the standardised features (default 1)."), QStringLiteral("L"), QStringLiteral("1"));
    const QCommandLineOption json(QStringLiteral("json"), QStringLiteral("Print one JSON object instead of the table."));
    const QCommandLineOption device(QStringLiteral("device"), QStringLiteral("auto (default), cpu or cuda."),
                                    QStringLiteral("DEVICE"), QStringLiteral("auto"));
    const QCommandLineOption quiet(QStringLiteral("quiet"), QStringLiteral("No progress bar."));
    parser.addOptions({checkpoint, data, frameStep, ridge, json, device, quiet});
    if (!parser.parse(arguments)) {
        printError(parser.errorText());
        return ExitBadInput;
    }
    if (parser.isSet(QStringLiteral("help"))) {
        QTextStream(stdout) << parser.helpText();
        return ExitSuccess;
    }
    if (!parser.isSet(checkpoint)) {
        printError(QStringLiteral("--checkpoint RUN_DIR is required"));
        return ExitBadInput;
    }
    const QStringList videos = parser.values(data) + parser.positionalArguments();
    if (!parser.positionalArguments().isEmpty() && !parser.isSet(data)) {
        printError(QStringLiteral("unexpected argument '%1' (videos follow --data)").arg(parser.positionalArguments().first()));
        return ExitBadInput;
    }
    EncoderDiagnosisOptions options;
    bool ok = false;
    options.frameStep = parser.value(frameStep).toInt(&ok);
    if (!ok || options.frameStep < 1) {
        printError(QStringLiteral("--frame-step: '%1' is not a positive number").arg(parser.value(frameStep)));
        return ExitBadInput;
    }
    const std::optional<double> ridgeValue = finiteNumber(parser.value(ridge));
    options.ridge = ridgeValue.value_or(0);
    if (!ridgeValue || *ridgeValue <= 0) {
        printError(QStringLiteral("--ridge: '%1' is not a positive number").arg(parser.value(ridge)));
        return ExitBadInput;
    }
    for (const QString &video : videos)
        if (!QFileInfo(video).isFile()) {
            printError(QStringLiteral("%1: no such file").arg(video));
            return ExitBadInput;
        }
    options.device = parser.value(device);
    ProgressBar bar;
    QElapsedTimer clock;
    clock.start();
    const bool showProgress = !parser.isSet(quiet) && !parser.isSet(json);
    options.progress = [&](double f, const QString &status) {
        if (showProgress)
            bar.updateFraction(f, status, clock.elapsed() / 1000.0);
    };
    QString error;
    const std::optional<EncoderDiagnosis> diagnosis = diagnoseEncoder(parser.value(checkpoint), videos, options, &error);
    if (showProgress)
        bar.finish();
    if (!diagnosis) {
        printError(error);
        return ExitBadInput;
    }
    QTextStream out(stdout);
    if (parser.isSet(json)) {
        QJsonArray list;
        for (int v = 0; v < diagnosis->videos.size(); ++v)
            list.append(QJsonObject{{QStringLiteral("path"), diagnosis->videos[v]},
                                    {QStringLiteral("faces"), diagnosis->faces[std::size_t(v)]}});
        const QJsonObject o{{QStringLiteral("checkpoint"), parser.value(checkpoint)}, {QStringLiteral("videos"), list},
                            {QStringLiteral("ridge"), diagnosis->ridge},
                            {QStringLiteral("identity_chance"), 1.0 / double(diagnosis->videos.size())},
                            {QStringLiteral("feature"), spaceJson(diagnosis->feature)},
                            {QStringLiteral("embedding"), spaceJson(diagnosis->embedding)}};
        out << QJsonDocument(o).toJson(QJsonDocument::Compact) << '\n';
        return ExitSuccess;
    }
    out << "Encoder:   " << parser.value(checkpoint) << '\n';
    for (int v = 0; v < diagnosis->videos.size(); ++v)
        out << "Video:     " << QFileInfo(diagnosis->videos[v]).fileName() << ", " << diagnosis->faces[std::size_t(v)]
            << " faces; held out: mean r " << r(diagnosis->feature.videoMeanR[std::size_t(v)]) << " (feature), "
            << r(diagnosis->embedding.videoMeanR[std::size_t(v)]) << " (embedding)\n";
    const int jaw = arkit::indexOf(QStringLiteral("jawOpen"));
    const int blink = arkit::indexOf(QStringLiteral("eyeBlinkLeft"));
    for (const EncoderDiagnosis::Space *space : {&diagnosis->feature, &diagnosis->embedding})
        out << "Probe:     " << space->name << " (" << space->size << "-d): mean r " << r(space->meanR) << ", jawOpen "
            << r(space->channelR[std::size_t(jaw)]) << ", eyeBlinkLeft " << r(space->channelR[std::size_t(blink)])
            << "; identity " << QString::number(100.0 * space->identityAccuracy, 'f', 1) << " % (chance "
            << QString::number(100.0 / diagnosis->videos.size(), 'f', 1) << " %)\n";
    return ExitSuccess;
}

} // namespace fa::cli
