#pragma once

#include "training/image_batch.h"
#include "training/triplet_batch.h"

#include <QString>

#include <algorithm>
#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <thread>
#include <vector>

namespace fa {

struct BatchLoaderOptions
{
    /// Worker threads (std::thread, not Qt's global pool) that decode and augment. 0 builds each
    /// batch in next() on the caller's thread.
    int workers = 2;
    /// Batches built ahead of the consumer, at most (ready + in progress); >= 1. Memory is about
    /// prefetch * batch size * 3 * S * S * 4 bytes (x 3 for triplets).
    int prefetch = 4;

    /// `workers` threads (negative = 0), each with two batches in flight, at least two in all.
    static BatchLoaderOptions forWorkers(int workers)
    {
        BatchLoaderOptions options;
        options.workers = workers > 0 ? workers : 0;
        options.prefetch = options.workers > 1 ? 2 * options.workers : 2;
        return options;
    }
};

/// Runs a batch maker on background threads and hands out the batches IN STEP ORDER, whichever
/// worker finishes first. A maker is ImageBatchMaker, TripletBatchMaker, or any class with
/// `Maker::Batch` (default-constructible, movable), `std::int64_t stepCount() const` (-1:
/// endless) and a thread-safe `bool make(std::int64_t step, Batch *, QString *error) const`.
/// Workers claim steps in order, never more than `prefetch` ahead of the consumer, and next()
/// waits for the step it owes. Since a maker's batch depends only on the step, the batches are the same for any
/// number of workers, and start(k) continues a run exactly (resume).
///
/// Errors: a batch that cannot be built (unreadable image, exception in a worker) comes out of
/// next() as nullopt with "step K: what" in `error` at its turn; the loader stays usable (the
/// following call returns step K+1). The end of a sequential pass is nullopt with an empty
/// `error`.
///
/// Threads: start/stop/next belong to one consumer thread. stop() (and the destructor) wakes
/// and joins the workers; a batch being built is finished first (at most one per worker).
template <class Maker>
class BatchLoader
{
public:
    using Batch = typename Maker::Batch;

    explicit BatchLoader(Maker maker, const BatchLoaderOptions &options = {});
    ~BatchLoader();
    BatchLoader(const BatchLoader &) = delete;
    BatchLoader &operator=(const BatchLoader &) = delete;

    /// (Re)starts the workers so that the next batch handed out is `firstStep`'s. Batches built
    /// before are dropped.
    void start(std::int64_t firstStep = 0);
    /// Stops and joins the workers; next() afterwards restarts at nextStep().
    void stop();
    bool isRunning() const;

    /// The next batch in step order (starting the loader at step 0 when it was never started).
    std::optional<Batch> next(QString *error = nullptr);

    /// next(), checked to be the batch of `step` (a training loop's step): nullopt with "step K:
    /// the loader delivered step J" otherwise. `waitSeconds` gets lastWaitSeconds().
    std::optional<Batch> nextOfStep(std::int64_t step, double *waitSeconds, QString *error)
    {
        std::optional<Batch> batch = next(error);
        *waitSeconds = lastWaitSeconds();
        if (batch && batch->step != step) {
            if (error)
                *error = QStringLiteral("step %1: the loader delivered step %2").arg(step + 1).arg(batch->step + 1);
            return std::nullopt;
        }
        return batch;
    }

    /// The step the next call of next() returns.
    std::int64_t nextStep() const;
    /// -1 when endless, else the maker's step count.
    std::int64_t stepCount() const;

    /// Seconds next() spent waiting for batches since start(), in total and in its last call:
    /// the loader's share of the training step time (0 when the workers keep ahead).
    double totalWaitSeconds() const;
    double lastWaitSeconds() const;

    const Maker &maker() const;
    const BatchLoaderOptions &options() const;

private:
    struct Private;
    std::unique_ptr<Private> d;
};

// Implementation (a template, so that tests and future batch kinds can use their own makers;
// the two makers above are instantiated once, in batch_loader.cpp).

template <class Maker>
struct BatchLoader<Maker>::Private
{
    struct Result
    {
        std::optional<Batch> batch;
        QString error;
    };

    Private(Maker m, const BatchLoaderOptions &o) : maker(std::move(m)), options(o)
    {
        options.workers = std::max(0, options.workers);
        options.prefetch = std::max(1, options.prefetch);
    }

    Result produce(std::int64_t step) const
    {
        Result result;
        try {
            Batch batch;
            QString error;
            if (maker.make(step, &batch, &error))
                result.batch = std::move(batch);
            else
                result.error = error;
        } catch (const std::exception &e) {
            result.error = QStringLiteral("step %1: %2").arg(step).arg(QString::fromUtf8(e.what()).simplified());
        } catch (...) {
            result.error = QStringLiteral("step %1: unknown exception while building the batch").arg(step);
        }
        return result;
    }

    // Caller holds the mutex.
    bool canClaim() const
    {
        const std::int64_t count = maker.stepCount();
        return nextClaim < nextDeliver + options.prefetch && (count < 0 || nextClaim < count);
    }

    void work()
    {
        for (;;) {
            std::int64_t step = 0;
            {
                std::unique_lock<std::mutex> lock(mutex);
                workAvailable.wait(lock, [this] { return stopping || canClaim(); });
                if (stopping)
                    return;
                step = nextClaim++;
            }
            Result result = produce(step);
            {
                std::lock_guard<std::mutex> lock(mutex);
                if (stopping)
                    return;
                ready.emplace(step, std::move(result));
            }
            batchReady.notify_all();
        }
    }

    void stopWorkers()
    {
        {
            std::lock_guard<std::mutex> lock(mutex);
            stopping = true;
        }
        workAvailable.notify_all();
        for (std::thread &thread : threads)
            thread.join();
        threads.clear();
        ready.clear();
        running = false;
    }

    Maker maker;
    BatchLoaderOptions options;
    mutable std::mutex mutex;
    std::condition_variable workAvailable;
    std::condition_variable batchReady;
    std::map<std::int64_t, Result> ready;
    std::int64_t nextClaim = 0;
    std::int64_t nextDeliver = 0;
    bool stopping = false;
    bool running = false;
    std::vector<std::thread> threads;
    double totalWait = 0;
    double lastWait = 0;
};

template <class Maker>
BatchLoader<Maker>::BatchLoader(Maker maker, const BatchLoaderOptions &options)
    : d(std::make_unique<Private>(std::move(maker), options))
{
}

template <class Maker>
BatchLoader<Maker>::~BatchLoader()
{
    stop();
}

template <class Maker>
void BatchLoader<Maker>::start(std::int64_t firstStep)
{
    stop();
    {
        std::lock_guard<std::mutex> lock(d->mutex);
        d->stopping = false;
        d->nextClaim = firstStep;
        d->nextDeliver = firstStep;
        d->totalWait = 0;
        d->lastWait = 0;
        d->running = true;
    }
    for (int i = 0; i < d->options.workers; ++i)
        d->threads.emplace_back([this] { d->work(); });
}

template <class Maker>
void BatchLoader<Maker>::stop()
{
    if (d->running)
        d->stopWorkers();
}

template <class Maker>
bool BatchLoader<Maker>::isRunning() const
{
    return d->running;
}

template <class Maker>
std::optional<typename BatchLoader<Maker>::Batch> BatchLoader<Maker>::next(QString *error)
{
    if (!d->running)
        start(d->nextDeliver);
    if (error)
        error->clear();
    const std::int64_t count = d->maker.stepCount();
    if (count >= 0 && d->nextDeliver >= count)
        return std::nullopt;
    const auto started = std::chrono::steady_clock::now();
    typename Private::Result result;
    if (d->options.workers == 0) {
        result = d->produce(d->nextDeliver);
        ++d->nextDeliver;
    } else {
        std::unique_lock<std::mutex> lock(d->mutex);
        d->batchReady.wait(lock, [this] { return d->ready.count(d->nextDeliver) > 0; });
        auto found = d->ready.find(d->nextDeliver);
        result = std::move(found->second);
        d->ready.erase(found);
        ++d->nextDeliver;
    }
    d->workAvailable.notify_all();
    d->lastWait = std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();
    d->totalWait += d->lastWait;
    if (!result.batch && error)
        *error = result.error;
    return std::move(result.batch);
}

template <class Maker>
std::int64_t BatchLoader<Maker>::nextStep() const
{
    return d->nextDeliver;
}

template <class Maker>
std::int64_t BatchLoader<Maker>::stepCount() const
{
    return d->maker.stepCount();
}

template <class Maker>
double BatchLoader<Maker>::totalWaitSeconds() const
{
    return d->totalWait;
}

template <class Maker>
double BatchLoader<Maker>::lastWaitSeconds() const
{
    return d->lastWait;
}

template <class Maker>
const Maker &BatchLoader<Maker>::maker() const
{
    return d->maker;
}

template <class Maker>
const BatchLoaderOptions &BatchLoader<Maker>::options() const
{
    return d->options;
}

// Instantiated once in batch_loader.cpp.
extern template class BatchLoader<ImageBatchMaker>;
extern template class BatchLoader<TripletBatchMaker>;

/// MAE pre-training / image evaluation: ImageBatchLoader loader(ImageBatchMaker(data, settings)).
using ImageBatchLoader = BatchLoader<ImageBatchMaker>;
/// Triplet fine-tuning / triplet evaluation.
using TripletBatchLoader = BatchLoader<TripletBatchMaker>;

} // namespace fa
