#include "training/metrics_log.h"

#include "common/atomic_file.h"

#include <QJsonDocument>
#include <QJsonObject>

#include <cmath>

namespace fa {

namespace {

const QLatin1String kTypePrefix("val_accuracy_");
const QLatin1String kAvatarPrefix("val_avatar_");

/// The renderer's optional scores and their JSON keys.
const std::vector<std::pair<const char *, std::optional<double> TrainingMetrics::*>> &rendererKeys()
{
    static const std::vector<std::pair<const char *, std::optional<double> TrainingMetrics::*>> keys = {
        {"val_l1", &TrainingMetrics::validationL1},
        {"val_psnr", &TrainingMetrics::validationPsnr},
        {"val_region_l1", &TrainingMetrics::validationRegionL1},
        {"train_l1", &TrainingMetrics::trainL1},
        {"train_psnr", &TrainingMetrics::trainPsnr},
        {"train_region_l1", &TrainingMetrics::trainRegionL1},
    };
    return keys;
}

/// A step count of a line: the JSON number truncated to an integer, or `otherwise` when the value
/// is not a number (absent, null, text). Numbers beyond what qint64 holds (1e300, or 2e19 in a
/// line cut and glued to another) made the conversion undefined (found by
/// fuzz/fuzz_metrics_log): they give nullopt, and the line is skipped.
std::optional<qint64> stepCount(const QJsonValue &v, std::optional<qint64> otherwise)
{
    if (!v.isDouble())
        return otherwise;
    const double d = v.toDouble();
    if (!(std::abs(d) < 0x1p62))
        return std::nullopt;
    return qint64(d);
}

// JSON has no NaN/inf: such values (a diverging run's last mean) are written as null.
QJsonValue number(double value)
{
    return std::isfinite(value) ? QJsonValue(value) : QJsonValue(QJsonValue::Null);
}

} // namespace

bool MetricsLog::open(const QString &path, qint64 keepUpToStep, QString *error)
{
    close();
    if (keepUpToStep >= 0 && QFile::exists(path)) {
        QFile old(path);
        if (!old.open(QIODevice::ReadOnly)) {
            if (error)
                *error = QStringLiteral("%1: cannot read: %2").arg(path, old.errorString());
            return false;
        }
        QByteArray kept;
        bool dropped = false;
        const QList<QByteArray> lines = old.readAll().split('\n');
        for (const QByteArray &line : lines) {
            const std::optional<TrainingMetrics> m = fromJsonLine(line);
            if (m && m->step <= keepUpToStep)
                kept += line + '\n';
            else if (!line.trimmed().isEmpty())
                dropped = true;
        }
        old.close();
        if (dropped && !writeFileAtomically(path, kept, error))
            return false;
    }
    m_file.setFileName(path);
    if (!m_file.open(QIODevice::WriteOnly | QIODevice::Append)) {
        if (error)
            *error = QStringLiteral("%1: cannot open for writing: %2").arg(path, m_file.errorString());
        return false;
    }
    return true;
}

bool MetricsLog::append(const TrainingMetrics &metrics, QString *error)
{
    const QByteArray line = toJsonLine(metrics) + '\n';
    if (m_file.write(line) != line.size() || !m_file.flush()) {
        if (error)
            *error = QStringLiteral("%1: write failed: %2").arg(m_file.fileName(), m_file.errorString());
        return false;
    }
    return true;
}

void MetricsLog::close()
{
    if (m_file.isOpen())
        m_file.close();
}

QByteArray MetricsLog::toJsonLine(const TrainingMetrics &m)
{
    QJsonObject o;
    o.insert(QStringLiteral("step"), double(m.step));
    o.insert(QStringLiteral("total_steps"), double(m.totalSteps));
    o.insert(QStringLiteral("loss"), number(m.loss));
    o.insert(QStringLiteral("lr"), number(m.learningRate));
    o.insert(QStringLiteral("images_per_s"), number(m.imagesPerSecond));
    o.insert(QStringLiteral("loader_wait_fraction"), number(m.loaderWaitFraction));
    o.insert(QStringLiteral("elapsed_s"), number(m.elapsedSeconds));
    if (m.validationAccuracy)
        o.insert(QStringLiteral("val_accuracy"), number(*m.validationAccuracy));
    for (const auto &[type, accuracy] : m.validationAccuracyByType)
        o.insert(kTypePrefix + type, number(accuracy));
    if (m.validationLoss)
        o.insert(QStringLiteral("val_loss"), number(*m.validationLoss));
    for (const auto &[key, member] : rendererKeys())
        if (m.*member)
            o.insert(QLatin1String(key), number(*(m.*member)));
    for (const auto &[key, score] : m.avatarScores)
        o.insert(kAvatarPrefix + key, number(score));
    return QJsonDocument(o).toJson(QJsonDocument::Compact);
}

std::optional<TrainingMetrics> MetricsLog::fromJsonLine(const QByteArray &line)
{
    if (line.trimmed().isEmpty())
        return std::nullopt;
    QJsonParseError parseError;
    const QJsonDocument doc = QJsonDocument::fromJson(line, &parseError);
    if (parseError.error != QJsonParseError::NoError || !doc.isObject())
        return std::nullopt;
    const QJsonObject o = doc.object();
    const std::optional<qint64> step = stepCount(o.value(QStringLiteral("step")), std::nullopt);
    const std::optional<qint64> totalSteps = stepCount(o.value(QStringLiteral("total_steps")), 0);
    if (!step || !totalSteps)
        return std::nullopt;
    auto real = [&](const char *key) {
        const QJsonValue v = o.value(QLatin1String(key));
        return v.isDouble() ? v.toDouble() : std::nan("");
    };
    TrainingMetrics m;
    m.step = *step;
    m.totalSteps = *totalSteps;
    m.loss = real("loss");
    m.learningRate = real("lr");
    m.imagesPerSecond = real("images_per_s");
    m.loaderWaitFraction = real("loader_wait_fraction");
    m.elapsedSeconds = real("elapsed_s");
    if (o.contains(QStringLiteral("val_accuracy")))
        m.validationAccuracy = real("val_accuracy");
    if (o.contains(QStringLiteral("val_loss")))
        m.validationLoss = real("val_loss");
    for (const auto &[key, member] : rendererKeys())
        if (o.contains(QLatin1String(key)))
            m.*member = real(key);
    for (auto it = o.begin(); it != o.end(); ++it)
        if (it.key().startsWith(kTypePrefix))
            m.validationAccuracyByType[it.key().mid(kTypePrefix.size())] = it.value().toDouble(std::nan(""));
        else if (it.key().startsWith(kAvatarPrefix))
            m.avatarScores[it.key().mid(kAvatarPrefix.size())] = it.value().toDouble(std::nan(""));
    return m;
}

std::vector<TrainingMetrics> MetricsLog::readFile(const QString &path)
{
    std::vector<TrainingMetrics> out;
    QFile file(path);
    if (!file.open(QIODevice::ReadOnly))
        return out;
    const QList<QByteArray> lines = file.readAll().split('\n');
    for (const QByteArray &line : lines)
        if (const std::optional<TrainingMetrics> m = fromJsonLine(line))
            out.push_back(*m);
    return out;
}

} // namespace fa
