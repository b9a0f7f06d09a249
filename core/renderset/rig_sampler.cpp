#include "renderset/rig_sampler.h"

#include "common/arkit.h"
#include "renderset/portable_random.h"

#include <algorithm>
#include <cmath>
#include <numeric>

namespace fa {

using renderset::approximateNormal;
using renderset::deriveSeed;
using renderset::uniform01;
using renderset::uniformInt;

namespace {

/// Salt of each kind's engine, so that a sparse and a symmetric rig of the same index differ.
constexpr std::uint64_t kKindSalt[kRigSampleKindCount] = {0x6e65757472616cull, 0x737061727365ull,
                                                          0x73796d6d6574ull, 0x7265616cull};

/// The names `name` could have on the other side, best first (see RigSampler::mirrorOf).
QStringList mirroredNames(const QString &name)
{
    QStringList out;
    const std::pair<const char *, const char *> anywhere[] = {
        {"Left", "Right"}, {"Right", "Left"}, {"left", "right"}, {"right", "left"},
        {"LEFT", "RIGHT"}, {"RIGHT", "LEFT"}};
    for (const auto &[from, to] : anywhere) {
        const QString f = QString::fromLatin1(from);
        const qsizetype at = name.lastIndexOf(f);
        if (at >= 0)
            out << QString(name).replace(at, f.size(), QString::fromLatin1(to));
    }
    const std::pair<const char *, const char *> suffixes[] = {
        {"_L", "_R"}, {"_R", "_L"}, {".L", ".R"}, {".R", ".L"}, {"_l", "_r"}, {"_r", "_l"}};
    for (const auto &[from, to] : suffixes)
        if (name.endsWith(QString::fromLatin1(from)))
            out << name.chopped(2) + QString::fromLatin1(to);
    const std::pair<const char *, const char *> prefixes[] = {{"L_", "R_"}, {"R_", "L_"}, {"l_", "r_"}, {"r_", "l_"}};
    for (const auto &[from, to] : prefixes)
        if (name.startsWith(QString::fromLatin1(from)))
            out << QString::fromLatin1(to) + name.mid(2);
    return out;
}

int arkitMirror(int shape)
{
    const QString name = arkit::canonicalName(shape);
    QString other = name;
    if (name.endsWith(QLatin1String("Left")))
        other = name.chopped(4) + QStringLiteral("Right");
    else if (name.endsWith(QLatin1String("Right")))
        other = name.chopped(5) + QStringLiteral("Left");
    else
        return -1;
    return arkit::indexOf(other);
}

} // namespace

QString rigSampleKindName(RigSampleKind kind)
{
    switch (kind) {
    case RigSampleKind::Neutral:
        return QStringLiteral("neutral");
    case RigSampleKind::Sparse:
        return QStringLiteral("sparse");
    case RigSampleKind::Symmetric:
        return QStringLiteral("symmetric");
    case RigSampleKind::Real:
        return QStringLiteral("real");
    }
    return QString();
}

RigSampler::RigSampler(const RigDefinition &rig, const RigSamplerOptions &options)
    : m_rig(rig)
    , m_options(options)
    , m_mirror(size_t(rig.controlCount()), -1)
{
    const int n = rig.controlCount();
    std::vector<int> shapeOf(static_cast<size_t>(n));
    for (int c = 0; c < n; ++c)
        shapeOf[size_t(c)] = arkit::indexOf(rig.control(c).name);
    for (int c = 0; c < n; ++c) {
        const QStringList candidates = mirroredNames(rig.control(c).name);
        for (const QString &candidate : candidates) {
            const int other = rig.indexOf(candidate);
            if (other >= 0 && other != c) {
                m_mirror[size_t(c)] = other;
                break;
            }
        }
        if (m_mirror[size_t(c)] >= 0 || shapeOf[size_t(c)] < 0)
            continue;
        const int shape = arkitMirror(shapeOf[size_t(c)]);
        if (shape < 0)
            continue;
        for (int other = 0; other < n; ++other) {
            if (shapeOf[size_t(other)] == shape) {
                m_mirror[size_t(c)] = other;
                break;
            }
        }
    }
}

void RigSampler::setRealFrames(std::vector<std::vector<float>> frames)
{
    m_realFrames.clear();
    for (std::vector<float> &frame : frames)
        if (int(frame.size()) == m_rig.controlCount())
            m_realFrames.push_back(std::move(frame));
}

std::array<double, kRigSampleKindCount> RigSampler::effectiveFractions() const
{
    auto positive = [](double v) { return std::isfinite(v) && v > 0.0 ? v : 0.0; };
    std::array<double, kRigSampleKindCount> f = {positive(m_options.neutral), positive(m_options.sparse),
                                                 positive(m_options.symmetric), positive(m_options.real)};
    if (m_realFrames.empty()) {
        f[size_t(RigSampleKind::Sparse)] += f[size_t(RigSampleKind::Real)];
        f[size_t(RigSampleKind::Real)] = 0.0;
    }
    const double sum = std::accumulate(f.begin(), f.end(), 0.0);
    if (!(sum > 0.0))
        return {0.0, 1.0, 0.0, 0.0};
    for (double &v : f)
        v /= sum;
    return f;
}

std::array<qsizetype, kRigSampleKindCount> RigSampler::kindCounts(qsizetype count) const
{
    std::array<qsizetype, kRigSampleKindCount> counts{};
    if (count <= 0)
        return counts;
    const std::array<double, kRigSampleKindCount> f = effectiveFractions();
    std::array<double, kRigSampleKindCount> remainder{};
    qsizetype assigned = 0;
    for (int k = 0; k < kRigSampleKindCount; ++k) {
        const double exact = f[size_t(k)] * double(count);
        counts[size_t(k)] = qsizetype(std::floor(exact));
        remainder[size_t(k)] = exact - double(counts[size_t(k)]);
        assigned += counts[size_t(k)];
    }
    while (assigned < count) {
        int best = 0;
        for (int k = 1; k < kRigSampleKindCount; ++k)
            if (remainder[size_t(k)] > remainder[size_t(best)])
                best = k;
        ++counts[size_t(best)];
        remainder[size_t(best)] = -1.0;
        ++assigned;
    }
    return counts;
}

std::vector<RigSampleKind> RigSampler::kinds(qsizetype count, std::uint64_t seed) const
{
    std::vector<RigSampleKind> out;
    if (count <= 0)
        return out;
    out.reserve(size_t(count));
    const std::array<qsizetype, kRigSampleKindCount> counts = kindCounts(count);
    for (int k = 0; k < kRigSampleKindCount; ++k)
        out.insert(out.end(), size_t(counts[size_t(k)]), RigSampleKind(k));
    std::mt19937_64 rng(deriveSeed({seed, 0x6b696e6473ull})); // "kinds"
    for (qsizetype i = count - 1; i > 0; --i)
        std::swap(out[size_t(i)], out[size_t(uniformInt(rng, 0, i))]);
    return out;
}

std::vector<float> RigSampler::sparse(std::uint64_t seed, qsizetype index) const
{
    const int n = m_rig.controlCount();
    std::vector<float> values(static_cast<size_t>(n));
    for (int c = 0; c < n; ++c)
        values[size_t(c)] = std::clamp(0.0f, m_rig.control(c).minimum, m_rig.control(c).maximum);
    if (n == 0)
        return values;
    std::mt19937_64 rng(deriveSeed({seed, std::uint64_t(index), kKindSalt[int(RigSampleKind::Sparse)]}));
    const int low = std::clamp(m_options.minActive, 1, n);
    const int high = std::clamp(m_options.maxActive, low, n);
    const int active = int(uniformInt(rng, low, high));
    // Partial Fisher-Yates: the first `active` entries of a shuffled index list.
    std::vector<int> order(static_cast<size_t>(n));
    std::iota(order.begin(), order.end(), 0);
    for (int i = 0; i < active; ++i) {
        std::swap(order[size_t(i)], order[size_t(uniformInt(rng, i, n - 1))]);
        const RigDefinition::Control &control = m_rig.control(order[size_t(i)]);
        const double u = uniform01(rng);
        values[size_t(order[size_t(i)])] = float(control.minimum + u * (double(control.maximum) - control.minimum));
    }
    return values;
}

std::vector<float> RigSampler::sample(RigSampleKind kind, std::uint64_t seed, qsizetype index) const
{
    const int n = m_rig.controlCount();
    switch (kind) {
    case RigSampleKind::Neutral: {
        std::vector<float> values(static_cast<size_t>(n));
        for (int c = 0; c < n; ++c)
            values[size_t(c)] = std::clamp(0.0f, m_rig.control(c).minimum, m_rig.control(c).maximum);
        return values;
    }
    case RigSampleKind::Sparse:
        return sparse(seed, index);
    case RigSampleKind::Symmetric: {
        const std::vector<float> base = sparse(deriveSeed({seed, kKindSalt[int(RigSampleKind::Symmetric)]}), index);
        std::vector<float> values = base;
        for (int c = 0; c < n; ++c) {
            const int m = m_mirror[size_t(c)];
            if (m >= 0) {
                const float v = std::max(base[size_t(c)], base[size_t(m)]);
                values[size_t(c)] = std::clamp(v, m_rig.control(c).minimum, m_rig.control(c).maximum);
            }
        }
        return values;
    }
    case RigSampleKind::Real: {
        if (m_realFrames.empty())
            return sparse(seed, index);
        std::mt19937_64 rng(deriveSeed({seed, std::uint64_t(index), kKindSalt[int(RigSampleKind::Real)]}));
        const std::vector<float> &frame =
            m_realFrames[size_t(uniformInt(rng, 0, std::int64_t(m_realFrames.size()) - 1))];
        std::vector<float> values(static_cast<size_t>(n));
        for (int c = 0; c < n; ++c) {
            const RigDefinition::Control &control = m_rig.control(c);
            const double range = double(control.maximum) - control.minimum;
            const double noise = m_options.noiseSigma * range * approximateNormal(rng);
            const double v = std::isfinite(frame[size_t(c)]) ? double(frame[size_t(c)]) : 0.0;
            values[size_t(c)] = float(std::clamp(v + noise, double(control.minimum), double(control.maximum)));
        }
        return values;
    }
    }
    return std::vector<float>(size_t(n), 0.0f);
}

} // namespace fa
