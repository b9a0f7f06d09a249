#include "photo_import_bench.h"

#include "bench_statistics.h"

#include "project/project.h"
#include "projectio/face_finder.h"
#include "projectio/face_importer.h"
#include "projectio/image_file.h"

#include <QDir>
#include <QElapsedTimer>
#include <QFileInfo>

#include <opencv2/core/utility.hpp>
#include <opencv2/imgcodecs.hpp>
#include <opencv2/imgproc.hpp>

#include <cstdio>
#include <vector>

namespace {

const QString kDataDir = QStringLiteral(FA_DATA_DIR);

QStringList sharedPhotos()
{
    QStringList paths;
    for (const char *folder : {"pexels_expressions", "liveportrait", "faceapi_expressions"}) {
        const QDir dir(kDataDir + QStringLiteral("/images/") + QLatin1String(folder));
        for (const QString &name : dir.entryList({QStringLiteral("*.jpg"), QStringLiteral("*.jpeg")}, QDir::Files, QDir::Name))
            paths << dir.filePath(name);
    }
    return paths;
}

/// group.jpeg (1280 px) upscaled to 1,900 px wide: the size of the photos the issue measured.
QString groupPhoto1900(const QString &work)
{
    const QString path = work + QStringLiteral("/group-1900.jpg");
    if (!QFileInfo::exists(path)) {
        const cv::Mat group = cv::imread((kDataDir + QStringLiteral("/images/pexels_expressions/group.jpeg")).toStdString());
        cv::Mat large;
        cv::resize(group, large, cv::Size(1900, group.rows * 1900 / group.cols), 0, 0, cv::INTER_CUBIC);
        cv::imwrite(path.toStdString(), large, {cv::IMWRITE_JPEG_QUALITY, 92});
    }
    return path;
}

/// Decode + find + encode every crop, in ms; `faces` gets the count.
double timeOnePhoto(const fa::FaceFinder &finder, const QString &path, bool before, int *faces)
{
    QElapsedTimer timer;
    timer.start();
    QString problem;
    const cv::Mat image = fa::readImageFile(path, &problem);
    const fa::FoundFaces found = before ? finder.findInVideoFrame(image) : finder.findInImage(image);
    for (const fa::ExtractedFace &face : found.faces) {
        std::vector<uchar> jpeg;
        cv::imencode(".jpg", face.crop, jpeg, {cv::IMWRITE_JPEG_QUALITY, 95});
    }
    *faces = int(found.faces.size());
    return timer.nsecsElapsed() / 1e6;
}

} // namespace

void benchPhotoImport(const QString &work, int runs)
{
    const int threads = cv::getNumThreads();
    cv::setNumThreads(1); // one core: dlib is single-threaded, OpenCV's resize and warp are not
    fa::FaceFinder finder;
    QString error;
    if (!finder.loadLandmarks(&error)) {
        std::printf("%s\n", qPrintable(error));
        return;
    }
    std::printf("\nStill photos, one core (decode, every face: FaceFinder defaults = %s, 68 landmarks, crops, JPEG; "
                "median of %d)\nbaseline: the largest face of the photo scanned at 384 px, as photos were imported before\n",
                qPrintable(finder.options().description()), runs);
    std::printf("%-26s %10s %8s %10s %8s %10s %8s\n", "photo", "size", "faces", "ms", "before", "before ms", "ratio");
    QStringList photos = sharedPhotos();
    photos << groupPhoto1900(work);
    for (const QString &path : photos) {
        std::vector<double> after, before;
        int facesAfter = 0, facesBefore = 0;
        for (int run = 0; run < runs; ++run) {
            after.push_back(timeOnePhoto(finder, path, false, &facesAfter));
            before.push_back(timeOnePhoto(finder, path, true, &facesBefore));
        }
        const cv::Mat image = cv::imread(path.toStdString());
        const double a = fa::bench::median(after), b = fa::bench::median(before);
        std::printf("%-26s %4dx%-5d %8d %10.1f %8d %10.1f %8.2f\n", qPrintable(QFileInfo(path).fileName()), image.cols,
                    image.rows, facesAfter, a, facesBefore, b, a / std::max(1e-9, b));
    }

    // The whole folder of photos through the importer (landmark model load included).
    std::vector<double> rates;
    int faces = 0;
    double seconds = 0;
    for (int run = 0; run < runs; ++run) {
        const QString dir = work + QStringLiteral("/photo-import");
        QDir(dir).removeRecursively();
        std::unique_ptr<fa::Project> project = fa::Project::create(dir, &error);
        const auto report = project ? fa::FaceImporter().run(*project, sharedPhotos(), {}, nullptr, &error) : std::nullopt;
        if (!report) {
            std::printf("%s\n", qPrintable(error));
            break;
        }
        rates.push_back(report->facesAdded / report->seconds);
        faces = report->facesAdded;
        seconds = report->seconds;
    }
    if (!rates.empty())
        std::printf("FaceImporter on the %d shared photos: %d faces, %.1f faces/s (median; last run %.2f s, landmark "
                    "model load included)\n", int(sharedPhotos().size()), faces, fa::bench::median(rates), seconds);
    cv::setNumThreads(threads);
}
