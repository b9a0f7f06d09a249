#include "training/triplet_evaluation.h"

#include "training/embedding.h"
#include "training/encoder_inference.h"

#include <QJsonDocument>
#include <QJsonObject>

#include <torch/torch.h>

namespace fa {

namespace {

QJsonObject countsJson(const TripletCounts &counts)
{
    QJsonObject o;
    const double accuracy = counts.accuracy();
    o.insert(QStringLiteral("accuracy"), std::isfinite(accuracy) ? QJsonValue(accuracy) : QJsonValue(QJsonValue::Null));
    o.insert(QStringLiteral("correct"), double(counts.correct));
    o.insert(QStringLiteral("total"), double(counts.total));
    return o;
}

} // namespace

QString tripletTypeKey(TripletType type)
{
    switch (type) {
    case TripletType::OneClass:
        return QStringLiteral("one_class");
    case TripletType::TwoClass:
        return QStringLiteral("two_class");
    case TripletType::ThreeClass:
        return QStringLiteral("three_class");
    }
    return QString();
}

QByteArray TripletAccuracyReport::toJson() const
{
    QJsonObject o = countsJson(overall);
    QJsonObject types;
    for (const auto &[type, counts] : byType)
        types.insert(tripletTypeKey(type), countsJson(counts));
    o.insert(QStringLiteral("by_type"), types);
    return QJsonDocument(o).toJson(QJsonDocument::Indented);
}

std::optional<TripletAccuracyReport> evaluateTriplets(const QString &runDir, const TripletDataset &triplets,
                                                      const QString &device, const std::function<void(double)> &progress,
                                                      const std::atomic_bool *cancel, QString *error)
{
    std::unique_ptr<ExpressionEmbedder> embedder = ExpressionEmbedder::load(runDir, device, error);
    if (!embedder)
        return std::nullopt;
    return evaluateTriplets(*embedder, triplets, progress, cancel, error);
}

std::optional<TripletAccuracyReport> evaluateTriplets(ExpressionEmbedder &embedder, const TripletDataset &triplets,
                                                      const std::function<void(double)> &progress,
                                                      const std::atomic_bool *cancel, QString *error)
{
    const std::optional<std::vector<float>> embeddings =
        embedder.embedDataset(triplets.images(), 64, progress, cancel, error);
    if (!embeddings)
        return std::nullopt;
    const torch::Tensor table = torch::from_blob(const_cast<float *>(embeddings->data()),
                                                 {triplets.images().size(), embedder.embeddingSize()}, torch::kFloat32);
    return tripletAccuracy(triplets, table);
}

} // namespace fa
