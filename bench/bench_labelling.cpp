// Speed of the annotator's workspace.
//
// 1. Import throughput: FaceImporter with its defaults (every 10th frame, near duplicates
//    dropped) on each shared video and on the Yale images, into a fresh project; median of N
//    runs. Baseline in the same process: FaceDetector::detectLargest alone on the same frames,
//    the step that dominates (REFERENCE.md section 8). Then still photos, one core
//    (photo_import_bench.h): every face of each shared photo and of a 1,900-px group photo,
//    against the largest face at 384 px as before; the photo folder's import in faces/s.
// 2. Key press to next triplet painted, on a project of 2,000 faces (every frame of the shared
//    videos, duplicates kept) with 3,000 triplets: a LabellingView at 1366x768 receives '1'/'2'/
//    '3' key events; the time runs from sending the key event to the view's tripletPainted
//    signal for the next triplet (commit with synchronous=FULL, queue top-up, repaint).
//    Baselines in the same process: the commit alone (JudgmentStore::record) and a repaint
//    alone (QWidget::repaint of the shown triplet).
//
//   bench_labelling [--runs N] [--presses N] [--faces N] [--work DIR] [--only import|photos|labelling]
// Run with QT_QPA_PLATFORM=offscreen, or under xvfb-run.

#include "face/face_detector.h"
#include "label/labelling_view.h"
#include "media/video_reader.h"
#include "project/labelling_session.h"
#include "project/project.h"
#include "project/triplet_sampler.h"
#include "projectio/face_importer.h"

#include "bench_statistics.h"
#include "photo_import_bench.h"

#include <QApplication>
#include <QDateTime>
#include <QDir>
#include <QElapsedTimer>
#include <QImageReader>
#include <QKeyEvent>

#include <opencv2/imgcodecs.hpp>

#include <algorithm>
#include <cstdio>
#include <vector>

using fa::bench::median;
using fa::bench::percentile;

namespace {

const QString kDataDir = QStringLiteral(FA_DATA_DIR);

QStringList sharedVideos()
{
    QStringList paths;
    const QDir videos(kDataDir + QStringLiteral("/videos"));
    for (const QString &name : videos.entryList({QStringLiteral("*.mp4")}, QDir::Files, QDir::Name))
        paths << videos.filePath(name);
    return paths;
}

/// Frames/s of detectLargest alone on frames 0, N, 2N... of a video (or on every image).
double detectOnlyRate(const QString &path, int every)
{
    fa::FaceDetector detector;
    QElapsedTimer timer;
    long frames = 0;
    if (QFileInfo(path).isDir()) {
        const QDir dir(path);
        std::vector<cv::Mat> images;
        for (const QString &name : dir.entryList({QStringLiteral("*.png")}, QDir::Files))
            images.push_back(cv::imread(dir.filePath(name).toStdString(), cv::IMREAD_COLOR));
        timer.start();
        for (const cv::Mat &image : images) {
            detector.detectLargest(image);
            ++frames;
        }
    } else {
        fa::VideoReader reader;
        if (!reader.open(path))
            return 0;
        timer.start();
        fa::VideoFrame frame;
        for (long index = 0; reader.readFrame(&frame); ++index) {
            if (index % every == 0) {
                detector.detectLargest(frame.image);
                ++frames;
            }
        }
    }
    return frames / std::max(1e-9, timer.elapsed() / 1000.0);
}

void benchImport(const QString &work, int runs)
{
    std::printf("\nImport throughput (FaceImporter defaults: every 10th frame, near duplicates dropped; median of %d)\n", runs);
    std::printf("%-34s %8s %8s %10s %10s %12s %8s\n", "input", "scanned", "faces", "frames/s", "faces/s",
                "detect fr/s", "ratio");
    QStringList inputs = sharedVideos();
    inputs << kDataDir + QStringLiteral("/images/yale_faces");
    for (const QString &input : inputs) {
        std::vector<double> frameRates, faceRates;
        fa::FaceImportReport last;
        for (int run = 0; run < runs; ++run) {
            const QString dir = work + QStringLiteral("/import");
            QDir(dir).removeRecursively();
            QString error;
            std::unique_ptr<fa::Project> project = fa::Project::create(dir, &error);
            const auto report = project ? fa::FaceImporter().run(*project, {input}, {}, nullptr, &error)
                                        : std::nullopt;
            if (!report) {
                std::printf("%s: %s\n", qPrintable(input), qPrintable(error));
                return;
            }
            last = *report;
            frameRates.push_back(report->framesScanned / report->seconds);
            faceRates.push_back(report->facesAdded / report->seconds);
        }
        const double detect = detectOnlyRate(input, 10);
        const double frames = percentile(frameRates, 0.5);
        std::printf("%-34s %8lld %8d %10.1f %10.1f %12.1f %8.2f\n", qPrintable(QFileInfo(input).fileName()),
                    last.framesScanned, last.facesAdded, frames, percentile(faceRates, 0.5), detect,
                    frames / std::max(1e-9, detect));
    }
}

std::unique_ptr<fa::Project> bigProject(const QString &dir, int faces)
{
    QString error;
    if (fa::Project::exists(dir)) {
        std::unique_ptr<fa::Project> project = fa::Project::open(dir, &error);
        if (project && project->faces().faceCount() >= faces)
            return project;
        project.reset();
        QDir(dir).removeRecursively();
    }
    std::unique_ptr<fa::Project> project = fa::Project::create(dir, &error);
    if (!project) {
        std::printf("%s\n", qPrintable(error));
        return nullptr;
    }
    fa::FaceImportOptions options;
    options.everyNthFrame = 1;
    options.dropNearDuplicates = false;
    std::atomic_bool cancel{false};
    fa::Project *p = project.get();
    auto progress = [&](double, const QString &) {
        if (p->faces().faceCount() >= faces)
            cancel = true;
    };
    if (!fa::FaceImporter(options).run(*project, sharedVideos(), progress, &cancel, &error)) {
        std::printf("%s\n", qPrintable(error));
        return nullptr;
    }
    fa::TripletSampler::Options sampling;
    sampling.count = faces * 3 / 2;
    sampling.seed = 1;
    if (!fa::TripletSampler::sample(*project, sampling, &error)) {
        std::printf("%s\n", qPrintable(error));
        return nullptr;
    }
    return project;
}

/// Sends a key press and release to `widget` and waits for its next tripletPainted.
double pressAndWaitForPaint(fa::ui::LabellingView &view, int key)
{
    const qint64 before = view.paintedTripletId();
    QElapsedTimer timer;
    timer.start();
    QKeyEvent press(QEvent::KeyPress, key, Qt::NoModifier, QString(QChar(key)));
    QKeyEvent release(QEvent::KeyRelease, key, Qt::NoModifier, QString(QChar(key)));
    QApplication::sendEvent(&view, &press);
    QApplication::sendEvent(&view, &release);
    while (view.paintedTripletId() == before && timer.elapsed() < 5000)
        QApplication::processEvents(QEventLoop::AllEvents, 1);
    return timer.nsecsElapsed() / 1e6;
}

void benchLabelling(const QString &work, int faces, int presses)
{
    std::unique_ptr<fa::Project> project = bigProject(work + QStringLiteral("/labelling"), faces);
    if (!project)
        return;
    QString error;
    fa::ui::LabellingView view;
    view.resize(1366, 768);
    view.show();
    if (!view.start(project.get(), QStringLiteral("bench-%1").arg(QDateTime::currentMSecsSinceEpoch()), &error)) {
        std::printf("%s\n", qPrintable(error));
        return;
    }
    QElapsedTimer settle;
    settle.start();
    while (view.paintedTripletId() == 0 && settle.elapsed() < 5000)
        QApplication::processEvents(QEventLoop::AllEvents, 10);

    std::vector<double> total, commit, repaint;
    for (int i = 0; i < presses + 20; ++i) {
        const double ms = pressAndWaitForPaint(view, Qt::Key_1 + i % 3);
        if (i >= 20) // warm-up: page cache, first allocations
            total.push_back(ms);
        QElapsedTimer timer;
        timer.start();
        view.repaint();
        repaint.push_back(timer.nsecsElapsed() / 1e6);
    }
    // Commit alone: another annotator answers through the store directly.
    const qint64 other = *project->judgments().annotatorId(QStringLiteral("bench-commit"), &error);
    const std::vector<fa::TripletRecord> triplets = project->triplets().all();
    for (int i = 0; i < presses && i < int(triplets.size()); ++i) {
        fa::JudgmentRecord j;
        j.tripletId = triplets[size_t(i)].id;
        j.annotatorId = other;
        j.choice = 1 + i % 3;
        QElapsedTimer timer;
        timer.start();
        project->judgments().record(j, &error);
        commit.push_back(timer.nsecsElapsed() / 1e6);
    }
    const double p50 = percentile(total, 0.5);
    std::printf("\nKey press -> next triplet painted (%lld faces, %lld triplets, 1366x768, %d presses)\n",
                project->faces().faceCount(), project->triplets().count(), presses);
    std::printf("%-34s %9s %9s %9s %12s\n", "measure", "p50 ms", "p95 ms", "max ms", "p50 ratio");
    auto row = [&](const char *name, const std::vector<double> &v) {
        std::printf("%-34s %9.2f %9.2f %9.2f %12.2f\n", name, percentile(v, 0.5), percentile(v, 0.95),
                    percentile(v, 1.0), percentile(v, 0.5) / std::max(1e-9, p50));
    };
    row("key press -> painted (total)", total);
    row("commit alone (baseline)", commit);
    row("repaint alone (baseline)", repaint);
}

} // namespace

int main(int argc, char **argv)
{
    QApplication app(argc, argv);
    int runs = 3, presses = 300, faces = 2000;
    QString only;
    QString work = QDir::temp().filePath(QStringLiteral("fa-bench-labelling"));
    const QStringList args = app.arguments();
    for (int i = 1; i + 1 < args.size(); i += 2) {
        if (args[i] == QLatin1String("--runs"))
            runs = std::max(1, args[i + 1].toInt());
        else if (args[i] == QLatin1String("--presses"))
            presses = std::max(10, args[i + 1].toInt());
        else if (args[i] == QLatin1String("--faces"))
            faces = std::max(10, args[i + 1].toInt());
        else if (args[i] == QLatin1String("--work"))
            work = args[i + 1];
        else if (args[i] == QLatin1String("--only"))
            only = args[i + 1];
    }
    QDir().mkpath(work);
    if (only.isEmpty() || only == QLatin1String("import"))
        benchImport(work, runs);
    if (only.isEmpty() || only == QLatin1String("photos"))
        benchPhotoImport(work, runs);
    if (only.isEmpty() || only == QLatin1String("labelling"))
        benchLabelling(work, faces, presses);
    return 0;
}
