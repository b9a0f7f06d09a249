// freeavatar project sample DIR --count N [--gold-rate R] [--strategy random|uncertainty] [--seed S]
#include "exit_codes.h"
#include "number_argument.h"
#include "project_subcommands.h"

#include "project/project.h"
#include "project/triplet_sampler.h"

#include <QTextStream>

#include <algorithm>

namespace fa::cli {

int runProjectSample(const QStringList &arguments)
{
    const QString name = QStringLiteral("sample");
    QCommandLineParser parser;
    parser.setApplicationDescription(QStringLiteral(
        "Draw new triplets from the faces of the project in DIR and add them to its labelling queue."));
    parser.addPositionalArgument(QStringLiteral("DIR"), QStringLiteral("Project folder."));
    const QCommandLineOption count(QStringLiteral("count"), QStringLiteral("Triplets to add (required, >= 1)."),
                                   QStringLiteral("N"));
    const QCommandLineOption gold(QStringLiteral("gold-rate"),
        QStringLiteral("Fraction 0..1 of gold triplets, whose answer is known from the faces' categories (default 0)."),
        QStringLiteral("R"), QStringLiteral("0"));
    const QCommandLineOption strategy(QStringLiteral("strategy"),
        QStringLiteral("random (default) or uncertainty (needs face embeddings from an expression encoder)."),
        QStringLiteral("NAME"), QStringLiteral("random"));
    const QCommandLineOption seed(QStringLiteral("seed"), QStringLiteral("Random seed, for repeatable draws (default: random)."),
                                  QStringLiteral("S"));
    parser.addOptions({count, gold, strategy, seed});
    const Parsed parsed = parseProjectArguments(parser, arguments, name, 1, 1);
    if (parsed != Parsed::Ok)
        return parsed == Parsed::Help ? ExitSuccess : ExitBadInput;

    TripletSampler::Options options;
    bool ok = false;
    options.count = parser.value(count).toInt(&ok);
    if (!parser.isSet(count) || !ok || options.count < 1) {
        printProjectError(name, parser.isSet(count) ? QStringLiteral("--count: '%1' is not a whole number >= 1").arg(parser.value(count))
                                                    : QStringLiteral("--count N is required"));
        return ExitBadInput;
    }
    const std::optional<double> goldRate = finiteNumber(parser.value(gold));
    options.goldRate = goldRate.value_or(-1);
    if (!goldRate || *goldRate < 0 || *goldRate > 1) {
        printProjectError(name, QStringLiteral("--gold-rate: '%1' is not a fraction between 0 and 1").arg(parser.value(gold)));
        return ExitBadInput;
    }
    const QString strategyName = parser.value(strategy);
    if (strategyName == QLatin1String("random")) {
        options.strategy = TripletSampler::Strategy::Random;
    } else if (strategyName == QLatin1String("uncertainty")) {
        options.strategy = TripletSampler::Strategy::Uncertainty;
    } else {
        printProjectError(name, QStringLiteral("--strategy: unknown strategy '%1' (random or uncertainty)").arg(strategyName));
        return ExitBadInput;
    }
    if (parser.isSet(seed)) {
        options.seed = parser.value(seed).toULongLong(&ok);
        if (!ok) {
            printProjectError(name, QStringLiteral("--seed: '%1' is not a whole number").arg(parser.value(seed)));
            return ExitBadInput;
        }
    }
    const std::unique_ptr<Project> project = openProjectOrReport(parser.positionalArguments().first(), name);
    if (!project)
        return ExitBadInput;
    QString error;
    const std::optional<std::vector<TripletRecord>> triplets = TripletSampler::sample(*project, options, &error);
    if (!triplets) {
        printProjectError(name, error);
        return ExitBadInput;
    }
    const auto goldCount = std::count_if(triplets->begin(), triplets->end(), [](const TripletRecord &t) {
        return t.origin == TripletRecord::Origin::Gold;
    });
    QTextStream(stdout) << "Added:     " << triplets->size() << " triplets (" << goldCount << " gold)\n"
                        << "Triplets:  " << project->triplets().count() << " in the project\n";
    return ExitSuccess;
}

} // namespace fa::cli
