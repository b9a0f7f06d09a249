#include "training/sample_order.h"

#include "training/deterministic_random.h"

#include <algorithm>
#include <numeric>
#include <random>

namespace fa {
namespace {

constexpr std::uint64_t kPermutationTag = 0x5045524DULL; // "PERM"
constexpr std::uint64_t kSampleTag = 0x53414D50ULL;      // "SAMP"
constexpr size_t kCachedEpochs = 4;

} // namespace

SampleOrder::SampleOrder(qsizetype count, int batchSize, std::uint64_t seed, bool sequential)
    : m_count(std::max<qsizetype>(0, count)), m_batchSize(std::max(1, batchSize)), m_seed(seed), m_sequential(sequential)
{
}

std::int64_t SampleOrder::stepCount() const
{
    if (!m_sequential)
        return -1;
    return (std::int64_t(m_count) + m_batchSize - 1) / m_batchSize;
}

std::shared_ptr<const std::vector<qsizetype>> SampleOrder::permutation(std::int64_t epoch) const
{
    {
        std::lock_guard<std::mutex> lock(m_mutex);
        for (const auto &[cachedEpoch, order] : m_cache)
            if (cachedEpoch == epoch)
                return order;
    }
    auto order = std::make_shared<std::vector<qsizetype>>(size_t(m_count));
    std::iota(order->begin(), order->end(), qsizetype(0));
    if (!m_sequential) {
        // Fisher-Yates from the end with portable draws.
        std::mt19937_64 rng(deriveSeed({m_seed, kPermutationTag, std::uint64_t(epoch)}));
        for (qsizetype i = m_count - 1; i > 0; --i)
            std::swap((*order)[size_t(i)], (*order)[size_t(uniformInt(rng, 0, i))]);
    }
    std::lock_guard<std::mutex> lock(m_mutex);
    m_cache.emplace_back(epoch, order);
    if (m_cache.size() > kCachedEpochs)
        m_cache.erase(m_cache.begin());
    return order;
}

std::vector<SampleOrder::Sample> SampleOrder::batch(std::int64_t step) const
{
    std::vector<Sample> samples;
    if (m_count == 0 || step < 0)
        return samples;
    std::int64_t first = step * m_batchSize;
    std::int64_t last = first + m_batchSize; // exclusive
    if (m_sequential) {
        last = std::min<std::int64_t>(last, m_count);
        for (std::int64_t i = first; i < last; ++i)
            samples.push_back({qsizetype(i), deriveSeed({m_seed, kSampleTag, 0, std::uint64_t(i)}), 0});
        return samples;
    }
    std::shared_ptr<const std::vector<qsizetype>> order;
    std::int64_t orderEpoch = -1;
    for (std::int64_t position = first; position < last; ++position) {
        const std::int64_t epoch = position / m_count;
        const std::int64_t offset = position % m_count;
        if (epoch != orderEpoch) {
            order = permutation(epoch);
            orderEpoch = epoch;
        }
        samples.push_back({(*order)[size_t(offset)],
                           deriveSeed({m_seed, kSampleTag, std::uint64_t(epoch), std::uint64_t(offset)}), epoch});
    }
    return samples;
}

} // namespace fa
