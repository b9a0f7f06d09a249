#pragma once

#include <QtGlobal>

#include <cstdint>
#include <memory>
#include <mutex>
#include <vector>

namespace fa {

/// Which dataset items make up the batch of a training step, as a pure function of
/// (seed, step): the loader's order never depends on thread timing, and a run resumed at step
/// k sees the same batches as one that never stopped.
///
/// Shuffled (training): the items form an endless stream of epochs, each a permutation of
/// 0..count-1 (Fisher-Yates with an engine seeded from (seed, epoch)); step k takes stream
/// positions [k * batchSize, (k + 1) * batchSize), crossing into the next epoch where needed
/// (every batch is full, even when count < batchSize). Every sample also gets its own
/// augmentation seed derived from (seed, epoch, position in the epoch).
///
/// Sequential (evaluation, embedding): one pass in dataset order, step k takes items
/// [k * batchSize, min(count, (k + 1) * batchSize)); stepCount() = ceil(count / batchSize).
///
/// Thread-safe (a small cache of recent permutations is shared under a mutex).
class SampleOrder
{
public:
    struct Sample
    {
        qsizetype index = 0;      ///< dataset item
        std::uint64_t seed = 0;   ///< seed of this sample's augmentation engine
        std::int64_t epoch = 0;
    };

    SampleOrder(qsizetype count, int batchSize, std::uint64_t seed, bool sequential);

    qsizetype count() const { return m_count; }
    int batchSize() const { return m_batchSize; }
    bool isSequential() const { return m_sequential; }
    /// Number of steps of a sequential pass; -1 (endless) when shuffled.
    std::int64_t stepCount() const;

    /// The samples of `step` (empty when count is 0, or past the end of a sequential pass).
    std::vector<Sample> batch(std::int64_t step) const;

    /// The permutation of an epoch (shuffled mode; identity when sequential).
    std::shared_ptr<const std::vector<qsizetype>> permutation(std::int64_t epoch) const;

private:
    qsizetype m_count;
    int m_batchSize;
    std::uint64_t m_seed;
    bool m_sequential;
    mutable std::mutex m_mutex;
    mutable std::vector<std::pair<std::int64_t, std::shared_ptr<const std::vector<qsizetype>>>> m_cache;
};

} // namespace fa
