// BatchLoader: batches in step order whatever the worker count, identical across restarts
// (resume), errors surfaced by next(), shapes and normalisation, and its throughput on 224
// crops of real faces.
#include "test_files.h"
#include "training/batch_loader.h"
#include "training/face_normalization.h"
#include "training/image_augmentation.h"

#include <QCryptographicHash>
#include <QElapsedTimer>
#include <QtTest>

#include <ATen/ATen.h>

#include <opencv2/imgcodecs.hpp>
#include <opencv2/imgproc.hpp>

#include <random>
#include <set>

using fa::BatchLoaderOptions;
using fa::BatchSettings;
using fa::FaceAugmentation;
using fa::FaceCropDataset;
using fa::ImageBatchLoader;
using fa::ImageBatchMaker;
using fa::SampleOrder;
using fa::TripletBatchLoader;
using fa::TripletBatchMaker;
using fa::test::dataPath;

namespace {

/// The 89 Yale faces as 224 x 224 JPEG crops in memory (the centre square of each image), with
/// their labels: what fromFolder() holds, without the face detection.
std::shared_ptr<FaceCropDataset> yaleCrops()
{
    const QDir dir(dataPath(QStringLiteral("images/yale_faces")));
    std::vector<fa::FaceCropItem> items;
    const FaceCropDataset files = FaceCropDataset::fromImageFiles(
        [&] {
            QStringList paths;
            for (const QString &name : dir.entryList({QStringLiteral("*.png")}, QDir::Files, QDir::Name))
                paths << dir.absoluteFilePath(name);
            return paths;
        }());
    for (qsizetype i = 0; i < files.size(); ++i) {
        const cv::Mat image = files.image(i);
        const int side = std::min(image.cols, image.rows);
        cv::Mat crop;
        cv::resize(image(cv::Rect((image.cols - side) / 2, (image.rows - side) / 2, side, side)), crop,
                   cv::Size(224, 224), 0, 0, cv::INTER_AREA);
        std::vector<uchar> jpeg;
        cv::imencode(".jpg", crop, jpeg, {cv::IMWRITE_JPEG_QUALITY, 95});
        fa::FaceCropItem item = files.item(i);
        item.path.clear();
        item.encoded = QByteArray(reinterpret_cast<const char *>(jpeg.data()), qsizetype(jpeg.size()));
        item.key = "jpeg:" + QCryptographicHash::hash(item.encoded, QCryptographicHash::Sha256).toHex();
        items.push_back(item);
    }
    return std::make_shared<FaceCropDataset>(std::move(items));
}

BatchSettings settings(const FaceAugmentation &augmentation, int batchSize, int imageSize, std::uint64_t seed,
                       bool sequential = false)
{
    BatchSettings s;
    s.augmentation = augmentation;
    s.batchSize = batchSize;
    s.imageSize = imageSize;
    s.seed = seed;
    s.sequential = sequential;
    return s;
}

BatchLoaderOptions workers(int count, int prefetch)
{
    BatchLoaderOptions options;
    options.workers = count;
    options.prefetch = prefetch;
    return options;
}

/// A maker whose batches take uneven times (every third step is slow), so that workers finish
/// out of order, and whose step 5 fails.
struct UnevenMaker
{
    struct Batch
    {
        std::int64_t step = -1;
        std::int64_t value = 0;
    };
    std::int64_t steps = -1;
    std::int64_t stepCount() const { return steps; }
    bool make(std::int64_t step, Batch *batch, QString *error) const
    {
        std::this_thread::sleep_for(std::chrono::milliseconds(step % 3 == 0 ? 40 : 2));
        if (step == 5) {
            *error = QStringLiteral("step 5: unreadable");
            return false;
        }
        if (step == 8)
            throw std::runtime_error("worker exception");
        batch->step = step;
        batch->value = step * step;
        return true;
    }
};

} // namespace

class TestBatchLoader : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void initTestCase();
    void sampleOrderEpochs();
    void sampleOrderSequential();
    void stepOrderWithUnevenWorkers();
    void sameBatchesForAnyWorkerCount();
    void resumeAtStep();
    void imageErrorSurfaces();
    void evalPassShapesAndValues();
    void tripletBatches();
    void throughput();

private:
    std::shared_ptr<FaceCropDataset> m_crops;
};

void TestBatchLoader::initTestCase()
{
    m_crops = yaleCrops();
    QCOMPARE(m_crops->size(), 89);
}

void TestBatchLoader::sampleOrderEpochs()
{
    const SampleOrder order(89, 8, 5, false);
    QCOMPARE(order.stepCount(), -1);
    // Epoch 0 is positions 0..88: steps 0..10 and the first sample of step 11; each item once.
    std::vector<qsizetype> epoch0;
    std::set<std::uint64_t> seeds;
    for (std::int64_t step = 0; step <= 11; ++step) {
        const std::vector<SampleOrder::Sample> batch = order.batch(step);
        QCOMPARE(int(batch.size()), 8);
        for (size_t i = 0; i < batch.size(); ++i) {
            const std::int64_t position = step * 8 + std::int64_t(i);
            QCOMPARE(batch[i].epoch, position / 89);
            if (position < 89)
                epoch0.push_back(batch[i].index);
            seeds.insert(batch[i].seed);
        }
    }
    QCOMPARE(int(epoch0.size()), 89);
    QCOMPARE(int(std::set<qsizetype>(epoch0.begin(), epoch0.end()).size()), 89);
    QCOMPARE(int(seeds.size()), 96); // every sample its own augmentation seed
    // Shuffled, epochs differ, and the same (seed, step) gives the same batch from a fresh object.
    std::vector<qsizetype> identity(89);
    std::iota(identity.begin(), identity.end(), qsizetype(0));
    QVERIFY(*order.permutation(0) != identity);
    QVERIFY(*order.permutation(0) != *order.permutation(1));
    const SampleOrder again(89, 8, 5, false);
    for (std::int64_t step : {0, 11, 250, 3}) {
        const auto a = order.batch(step), b = again.batch(step);
        for (size_t i = 0; i < a.size(); ++i) {
            QCOMPARE(a[i].index, b[i].index);
            QCOMPARE(a[i].seed, b[i].seed);
        }
    }
    QVERIFY(*SampleOrder(89, 8, 6, false).permutation(0) != *order.permutation(0));
    // Fewer items than a batch: the batch spans several epochs.
    const SampleOrder tiny(3, 8, 1, false);
    const auto batch = tiny.batch(0);
    QCOMPARE(int(batch.size()), 8);
    QCOMPARE(batch[7].epoch, 2);
}

void TestBatchLoader::sampleOrderSequential()
{
    const SampleOrder order(89, 8, 5, true);
    QCOMPARE(order.stepCount(), 12);
    QCOMPARE(order.batch(0)[3].index, 3);
    QCOMPARE(int(order.batch(11).size()), 1);
    QCOMPARE(order.batch(11)[0].index, 88);
    QVERIFY(order.batch(12).empty());
    QCOMPARE(SampleOrder(0, 8, 5, true).stepCount(), 0);
}

// Slow and fast steps finish out of order on 3 workers; next() still hands them out in order,
// errors (returned or thrown) at their turn, and the loader goes on after them.
void TestBatchLoader::stepOrderWithUnevenWorkers()
{
    UnevenMaker maker;
    maker.steps = 12;
    fa::BatchLoader<UnevenMaker> loader(maker, workers(3, 4));
    loader.start(0);
    for (std::int64_t step = 0; step < 12; ++step) {
        QCOMPARE(loader.nextStep(), step);
        QString error;
        const std::optional<UnevenMaker::Batch> batch = loader.next(&error);
        if (step == 5) {
            QVERIFY(!batch);
            QCOMPARE(error, QStringLiteral("step 5: unreadable"));
        } else if (step == 8) {
            QVERIFY(!batch);
            QCOMPARE(error, QStringLiteral("step 8: worker exception"));
        } else {
            QVERIFY2(batch, qPrintable(error));
            QVERIFY(error.isEmpty());
            QCOMPARE(batch->step, step);
            QCOMPARE(batch->value, step * step);
        }
        QVERIFY(loader.lastWaitSeconds() >= 0);
    }
    QString error = QStringLiteral("stale");
    QVERIFY(!loader.next(&error)); // end of the steps
    QVERIFY(error.isEmpty());
    QVERIFY(loader.totalWaitSeconds() > 0);
    // Endless maker, stopped while workers are busy: the destructor joins them.
    UnevenMaker endless;
    fa::BatchLoader<UnevenMaker> other(endless, workers(2, 3));
    QVERIFY(other.next());
    QVERIFY(other.isRunning());
    other.stop();
    QVERIFY(!other.isRunning());
    QCOMPARE(other.nextStep(), 1);
    QCOMPARE(other.next()->step, 1); // restarts where it stopped
}

void TestBatchLoader::sameBatchesForAnyWorkerCount()
{
    const ImageBatchMaker maker(m_crops, settings(FaceAugmentation::maePretraining(), 8, 64, 3));
    ImageBatchLoader serial(maker, workers(0, 1));
    ImageBatchLoader one(maker, workers(1, 2));
    ImageBatchLoader three(maker, workers(3, 6));
    three.start(0);
    for (std::int64_t step = 0; step < 14; ++step) { // crosses into epoch 1 at step 11
        QString error;
        const std::optional<fa::ImageBatch> a = serial.next(&error);
        const std::optional<fa::ImageBatch> b = one.next(&error);
        const std::optional<fa::ImageBatch> c = three.next(&error);
        QVERIFY2(a && b && c, qPrintable(error));
        QCOMPARE(a->step, step);
        QCOMPARE(c->step, step);
        QCOMPARE(a->images.sizes().vec(), (std::vector<int64_t>{8, 3, 64, 64}));
        QVERIFY(at::equal(a->images, b->images));
        QVERIFY(at::equal(a->images, c->images));
        QCOMPARE(a->indices, c->indices);
        QCOMPARE(a->indices, std::vector<qsizetype>([&] {
                     std::vector<qsizetype> expected;
                     for (const SampleOrder::Sample &s : SampleOrder(89, 8, 3, false).batch(step))
                         expected.push_back(s.index);
                     return expected;
                 }()));
    }
    // Another seed, other batches.
    const ImageBatchMaker otherSeed(m_crops, settings(FaceAugmentation::maePretraining(), 8, 64, 4));
    fa::ImageBatch a, b;
    QString error;
    QVERIFY(maker.make(0, &a, &error) && otherSeed.make(0, &b, &error));
    QVERIFY(!at::equal(a.images, b.images));
}

// A run that stops after step 6 and resumes at 7 sees what an uninterrupted run sees.
void TestBatchLoader::resumeAtStep()
{
    const ImageBatchMaker maker(m_crops, settings(FaceAugmentation::tripletTraining(), 6, 48, 11));
    ImageBatchLoader uninterrupted(maker, workers(2, 4));
    std::vector<at::Tensor> expected;
    for (int step = 0; step < 12; ++step)
        expected.push_back(uninterrupted.next()->images);
    ImageBatchLoader resumed(maker, workers(2, 4));
    resumed.start(7);
    for (int step = 7; step < 12; ++step) {
        const std::optional<fa::ImageBatch> batch = resumed.next();
        QVERIFY(batch);
        QCOMPARE(batch->step, std::int64_t(step));
        QVERIFY(at::equal(batch->images, expected[size_t(step)]));
    }
    // Restarting the same loader earlier.
    resumed.start(2);
    QVERIFY(at::equal(resumed.next()->images, expected[2]));
    QVERIFY(!at::equal(expected[2], expected[3]));
}

// An unreadable image fails its step only; the message names the file.
void TestBatchLoader::imageErrorSurfaces()
{
    std::vector<fa::FaceCropItem> items = m_crops->items();
    items.resize(12);
    items[5].encoded = "not a jpeg at all";
    fa::FaceCropItem missing;
    missing.path = fa::test::outputDir() + QStringLiteral("/gone.jpg");
    missing.origin = missing.path;
    items[9] = missing;
    const auto dataset = std::make_shared<FaceCropDataset>(items);
    ImageBatchLoader loader(ImageBatchMaker(dataset, settings(FaceAugmentation::eval(), 4, 32, 0, true)), workers(2, 2));
    QCOMPARE(loader.stepCount(), 3);
    QString error;
    QVERIFY2(loader.next(&error), qPrintable(error));
    QVERIFY(!loader.next(&error));
    QVERIFY2(error.startsWith(QStringLiteral("step 1: ")) && error.contains(items[5].origin)
                 && error.contains(QStringLiteral("does not decode")),
             qPrintable(error));
    QVERIFY(!loader.next(&error));
    QVERIFY2(error.startsWith(QStringLiteral("step 2: ") + missing.path), qPrintable(error));
    QVERIFY(!loader.next(&error));
    QVERIFY(error.isEmpty()); // the end
    // An empty data set.
    ImageBatchLoader empty(ImageBatchMaker(std::make_shared<FaceCropDataset>(), settings(FaceAugmentation::eval(), 4, 32, 0)),
                           workers(1, 1));
    QVERIFY(!empty.next(&error));
    QVERIFY(error.contains(QStringLiteral("empty")));
}

// The whole data set in order without augmentation (evaluation, embedding): every image once,
// exactly evalTransform() of it, the last batch partial.
void TestBatchLoader::evalPassShapesAndValues()
{
    ImageBatchLoader loader(ImageBatchMaker(m_crops, settings(FaceAugmentation::eval(), 16, 224, 99, true)), workers(2, 3));
    QCOMPARE(loader.stepCount(), 6);
    std::vector<qsizetype> seen;
    for (int step = 0; step < 6; ++step) {
        QString error;
        const std::optional<fa::ImageBatch> batch = loader.next(&error);
        QVERIFY2(batch, qPrintable(error));
        const int rows = step < 5 ? 16 : 89 - 5 * 16;
        QCOMPARE(batch->images.sizes().vec(), (std::vector<int64_t>{rows, 3, 224, 224}));
        QCOMPARE(batch->images.scalar_type(), at::kFloat);
        QVERIFY(batch->images.is_contiguous());
        for (int i = 0; i < rows; i += 5)
            QVERIFY(at::equal(batch->images[i], fa::evalTransform(m_crops->image(batch->indices[size_t(i)]), 224)));
        // Normalised: the face statistics put the per-channel means near 0 (Yale is grey and
        // darker than the mean face, hence the tolerance).
        const at::Tensor means = batch->images.mean({0, 2, 3});
        QVERIFY2(means.abs().max().item<float>() < 1.5f, qPrintable(QString::number(means.abs().max().item<float>())));
        seen.insert(seen.end(), batch->indices.begin(), batch->indices.end());
    }
    std::vector<qsizetype> all(89);
    std::iota(all.begin(), all.end(), qsizetype(0));
    QCOMPARE(seen, all);
    QVERIFY(!loader.next());
}

void TestBatchLoader::tripletBatches()
{
    QString error;
    const std::optional<fa::TripletDataset> triplets = fa::TripletDataset::fromCategories(*m_crops, 50, 2, &error);
    QVERIFY2(triplets, qPrintable(error));
    const auto dataset = std::make_shared<fa::TripletDataset>(*triplets);
    const TripletBatchMaker maker(dataset, settings(FaceAugmentation::tripletTraining(), 8, 64, 5));
    TripletBatchLoader one(maker, workers(1, 2));
    TripletBatchLoader three(maker, workers(3, 5));
    for (std::int64_t step = 0; step < 8; ++step) {
        const std::optional<fa::TripletBatch> a = one.next(&error);
        const std::optional<fa::TripletBatch> b = three.next(&error);
        QVERIFY2(a && b, qPrintable(error));
        QCOMPARE(a->step, step);
        for (const at::Tensor *t : {&a->anchor, &a->positive, &a->negative})
            QCOMPARE(t->sizes().vec(), (std::vector<int64_t>{8, 3, 64, 64}));
        QVERIFY(at::equal(a->anchor, b->anchor) && at::equal(a->positive, b->positive)
                && at::equal(a->negative, b->negative));
        QVERIFY(!at::equal(a->anchor, a->positive));
        QCOMPARE(a->types.scalar_type(), at::kLong);
        QCOMPARE(a->margins.scalar_type(), at::kFloat);
        QVERIFY(at::equal(a->types, at::full({8}, int64_t(fa::TripletType::TwoClass), at::kLong)));
        QVERIFY(at::allclose(a->margins, at::full({8}, 0.2f)));
        QCOMPARE(a->indices, b->indices);
    }
    // Evaluation pass over the triplets: eval transform, in order, margins per type.
    std::vector<fa::TripletItem> items = triplets->triplets();
    items[1].type = fa::TripletType::OneClass;
    const auto mixed = std::make_shared<fa::TripletDataset>(triplets->images(), items);
    TripletBatchLoader eval(TripletBatchMaker(mixed, settings(FaceAugmentation::eval(), 32, 32, 0, true)), workers(2, 2));
    const std::optional<fa::TripletBatch> first = eval.next(&error);
    QVERIFY2(first, qPrintable(error));
    QCOMPARE(first->indices[1], 1);
    QCOMPARE(first->types[1].item<int64_t>(), int64_t(fa::TripletType::OneClass));
    QVERIFY(std::abs(first->margins[1].item<float>() - 0.1f) < 1e-7f);
    QVERIFY(at::equal(first->negative[3], fa::evalTransform(m_crops->image(items[3].faces[2]), 32)));
    QCOMPARE(eval.next(&error)->anchor.size(0), 50 - 32);
    QVERIFY(!eval.next(&error) && error.isEmpty());
}

// Batches of 32 at 224 px: how many per second the loader delivers with 1 and 2 workers
// (reported, not asserted: timing depends on the machine).
void TestBatchLoader::throughput()
{
    QString error;
    const std::optional<fa::TripletDataset> triplets = fa::TripletDataset::fromCategories(*m_crops, 200, 3, &error);
    QVERIFY(triplets);
    const auto tripletData = std::make_shared<fa::TripletDataset>(*triplets);
    for (int count : {1, 2}) {
        ImageBatchLoader mae(ImageBatchMaker(m_crops, settings(FaceAugmentation::maePretraining(), 32, 224, 1)),
                             workers(count, 2 * count));
        QElapsedTimer timer;
        timer.start();
        const int maeBatches = 12;
        for (int i = 0; i < maeBatches; ++i)
            QVERIFY(mae.next(&error));
        const double maeSeconds = timer.nsecsElapsed() / 1e9;
        TripletBatchLoader triplet(TripletBatchMaker(tripletData, settings(FaceAugmentation::tripletTraining(), 32, 224, 1)),
                                   workers(count, 2 * count));
        timer.restart();
        const int tripletBatches = 4;
        for (int i = 0; i < tripletBatches; ++i)
            QVERIFY(triplet.next(&error));
        const double tripletSeconds = timer.nsecsElapsed() / 1e9;
        qInfo("%d worker(s), batch 32 at 224 px: MAE %.1f batches/s (%.0f images/s); triplet training %.2f batches/s "
              "(%.0f images/s, 3 per triplet)",
              count, maeBatches / maeSeconds, 32 * maeBatches / maeSeconds, tripletBatches / tripletSeconds,
              96 * tripletBatches / tripletSeconds);
    }
}

QTEST_GUILESS_MAIN(TestBatchLoader)
#include "test_batch_loader.moc"
