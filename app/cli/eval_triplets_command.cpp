// freeavatar eval-triplets --checkpoint RUN_DIR --triplets CSV_OR_PROJECT_OR_FOLDER [--json]
#include "train_command.h"

#include "exit_codes.h"
#include "terminal_text.h"
#include "face_finder_arguments.h"
#include "progress_bar.h"

#include "training/embedding.h"
#include "training/training_data.h"
#include "training/triplet_evaluation.h"

#include <QCommandLineParser>
#include <QElapsedTimer>
#include <QFileInfo>
#include <QTextStream>

namespace fa::cli {
namespace {

void printError(const QString &message)
{
    QTextStream(stderr) << "freeavatar eval-triplets: " << terminalText(message) << Qt::endl;
}

QString percent(double fraction)
{
    return std::isfinite(fraction) ? QString::number(100.0 * fraction, 'f', 1) + QStringLiteral(" %") : QStringLiteral("n/a");
}

} // namespace

int runEvalTriplets(const QStringList &arguments)
{
    QCommandLineParser parser;
    parser.setApplicationDescription(QStringLiteral(
        "Triplet prediction accuracy of a triplet run's expression encoder: a triplet is correct when its anchor and "
        "positive are strictly the closest pair (d(a,p) < d(a,n) and d(a,p) < d(p,n)); overall and per triplet type. "
        "Every image goes through the eval transform (resize, centre crop)."));
    parser.addHelpOption();
    const QCommandLineOption checkpoint(QStringLiteral("checkpoint"),
        QStringLiteral("Triplet run folder, or one of its checkpoints/step-N folders."), QStringLiteral("RUN_DIR"));
    const QCommandLineOption triplets(QStringLiteral("triplets"),
        QStringLiteral("A project (its judged triplets), a reference or FEC triplet CSV, or a folder of images named by "
                       "emotion (subject01_happy.png) for category triplets."), QStringLiteral("CSV_OR_PROJECT"));
    const QCommandLineOption imageDir(QStringLiteral("image-dir"),
        QStringLiteral("Image folder of a CSV (default: the CSV's folder)."), QStringLiteral("DIR"));
    const QCommandLineOption count(QStringLiteral("count"),
        QStringLiteral("Category triplets drawn from a folder of images (default: 4 per face)."), QStringLiteral("N"));
    const QCommandLineOption seed(QStringLiteral("seed"), QStringLiteral("Seed of the category triplets (default 0)."),
                                  QStringLiteral("N"), QStringLiteral("0"));
    const QCommandLineOption device(QStringLiteral("device"), QStringLiteral("auto (default), cpu or cuda."),
                                    QStringLiteral("DEVICE"), QStringLiteral("auto"));
    const QCommandLineOption json(QStringLiteral("json"),
        QStringLiteral("Print JSON: accuracy (0..1), correct, total, by_type {one_class|two_class|three_class: ...}."));
    const QCommandLineOption quiet(QStringLiteral("quiet"), QStringLiteral("No progress bar."));
    const FaceFinderArguments faceFinder;
    parser.addOptions({checkpoint, triplets, imageDir, count, seed, device, json, quiet});
    parser.addOptions(faceFinder.options());
    if (!parser.parse(arguments)) {
        printError(parser.errorText());
        return ExitBadInput;
    }
    if (parser.isSet(QStringLiteral("help"))) {
        QTextStream(stdout) << parser.helpText();
        return ExitSuccess;
    }
    if (!parser.positionalArguments().isEmpty()) {
        printError(QStringLiteral("unexpected argument '%1'").arg(parser.positionalArguments().first()));
        return ExitBadInput;
    }
    if (!parser.isSet(checkpoint) || !parser.isSet(triplets)) {
        printError(QStringLiteral("--checkpoint RUN_DIR and --triplets CSV_OR_PROJECT are required"));
        return ExitBadInput;
    }
    bool ok = true;
    qsizetype categoryCount = 0;
    if (parser.isSet(count)) {
        categoryCount = parser.value(count).toLongLong(&ok);
        if (!ok || categoryCount < 1) {
            printError(QStringLiteral("--count: '%1' is not a positive number").arg(parser.value(count)));
            return ExitBadInput;
        }
    }
    const quint64 seedValue = parser.value(seed).toULongLong(&ok);
    if (!ok) {
        printError(QStringLiteral("--seed: '%1' is not a non-negative integer").arg(parser.value(seed)));
        return ExitBadInput;
    }
    const bool showProgress = !parser.isSet(quiet) && !parser.isSet(json);
    FaceCropLoadOptions loading;
    const QString finderError = faceFinder.apply(parser, &loading.faces);
    if (!finderError.isEmpty()) {
        printError(finderError);
        return ExitBadInput;
    }

    // The encoder first: a wrong --checkpoint is reported before the (slower) triplet loading.
    QString error;
    std::unique_ptr<ExpressionEmbedder> embedder = ExpressionEmbedder::load(parser.value(checkpoint), parser.value(device), &error);
    if (!embedder) {
        printError(error);
        return ExitBadInput;
    }
    ProgressBar bar;
    QElapsedTimer clock;
    clock.start();
    const QString tripletPath = QFileInfo(parser.value(triplets)).absoluteFilePath();
    loading.progress = [&](double f, const QString &status) {
        if (showProgress)
            bar.updateFraction(0.5 * f, status, clock.elapsed() / 1000.0);
    };
    const std::optional<TripletDataset> data = loadTrainingTriplets({tripletPath}, parser.value(imageDir), categoryCount,
                                                                    seedValue, loading, &error);
    if (!data) {
        if (showProgress)
            bar.finish();
        printError(error);
        return ExitBadInput;
    }
    const std::optional<TripletAccuracyReport> report = evaluateTriplets(
        *embedder, *data,
        [&](double f) { if (showProgress) bar.updateFraction(0.5 + 0.5 * f, QStringLiteral("embedding faces"), clock.elapsed() / 1000.0); },
        nullptr, &error);
    if (showProgress)
        bar.finish();
    if (!report) {
        printError(error);
        return ExitBadInput;
    }

    QTextStream out(stdout);
    if (parser.isSet(json)) {
        out << report->toJson();
        return ExitSuccess;
    }
    out << "Checkpoint: " << QFileInfo(parser.value(checkpoint)).absoluteFilePath() << '\n'
        << "Triplets:   " << tripletPath << " (" << data->size() << " triplets, " << data->images().size() << " faces)\n"
        << "Accuracy:   " << percent(report->accuracy()) << " (" << report->overall.correct << " of "
        << report->overall.total << ")\n";
    for (const auto &[type, counts] : report->byType)
        out << "  " << tripletTypeName(type).leftJustified(20) << percent(counts.accuracy()) << " (" << counts.correct
            << " of " << counts.total << ")\n";
    return ExitSuccess;
}

} // namespace fa::cli
