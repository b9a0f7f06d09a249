#include "face/face_detector.h"

#include "common/error_text.h"
#include "face/bgr_image.h"

#include <QFile>
#include <QFileInfo>

#include <dlib/image_processing/frontal_face_detector.h>
#include <dlib/opencv/cv_image.h>

#include <opencv2/imgproc.hpp>
#include <opencv2/objdetect/face.hpp>

#include <algorithm>
#include <cmath>
#include <exception>
#include <mutex>

namespace fa {

namespace {

// YuNet's non-maximum suppression IoU and candidate cap: OpenCV's documented defaults.
constexpr float kYuNetNmsThreshold = 0.3f;
constexpr int kYuNetTopK = 5000;
// Smallest image side YuNet is run on; below it its 32-px stride leaves no feature map.
constexpr int kYuNetMinSide = 32;

// A face region whose grey levels vary less than this (standard deviation, 0..255) is
// rejected: YuNet 2022 reports a 0.78 "face" on an all-black 640x480 frame.
constexpr double kMinFaceContrast = 4.0;

// Face side (pixels of the scanned image) that detectLargestNear() aims for: 1.5x dlib's
// 80-px minimum; for YuNet enough pixels to keep its keypoints accurate to about a pixel.
double nearTargetFaceSide(FaceDetector::Backend backend)
{
    return backend == FaceDetector::Backend::DlibHog ? 120.0 : 96.0;
}

float area(const cv::Rect2f &r) { return r.width * r.height; }

void sortLargestFirst(std::vector<FaceDetection> &faces)
{
    std::stable_sort(faces.begin(), faces.end(), [](const FaceDetection &a, const FaceDetection &b) {
        return area(a.box) > area(b.box);
    });
}

} // namespace

float FaceDetector::Options::effectiveScoreThreshold() const
{
    return std::isnan(scoreThreshold) ? defaultScoreThreshold(backend) : scoreThreshold;
}

float FaceDetector::defaultScoreThreshold(Backend backend)
{
    // dlib: 0 is the SVM's own trained threshold. YuNet: 0.7, the threshold the shared data
    // was checked with (104 of 106 shared images; see shared/data/SOURCES.md section 3).
    return backend == Backend::DlibHog ? 0.0f : 0.7f;
}

class FaceDetector::Impl
{
public:
    Options options;
    QString error;

    std::mutex mutex; // guards everything below (both detectors keep scratch state)
    std::unique_ptr<dlib::frontal_face_detector> hog;
    cv::Ptr<cv::FaceDetectorYN> yunet;

    // Detects in `image` (8-bit BGR) scanned at `scale` (scan px per image px); results in
    // `image` coordinates. Caller holds the mutex.
    std::vector<FaceDetection> run(const cv::Mat &image, double scale);
    // run(), largest first; no face when a library throws. Caller holds the mutex.
    std::vector<FaceDetection> runSorted(const cv::Mat &image, double scale);
    void prepareHog(); // loads dlib's model on first use; caller holds the mutex

private:
    std::vector<FaceDetection> runHog(const cv::Mat &scan);
    std::vector<FaceDetection> runYuNet(const cv::Mat &scan);
};

std::vector<FaceDetection> FaceDetector::Impl::run(const cv::Mat &image, double scale)
{
    cv::Mat scan = image;
    if (std::abs(scale - 1.0) > 1e-6) {
        const cv::Size size(std::max(1, int(std::lround(image.cols * scale))),
                            std::max(1, int(std::lround(image.rows * scale))));
        cv::resize(image, scan, size, 0, 0, scale < 1.0 ? cv::INTER_AREA : cv::INTER_LINEAR);
    }
    // Exact per-axis factors after rounding the scan size.
    const double sx = double(scan.cols) / image.cols;
    const double sy = double(scan.rows) / image.rows;

    std::vector<FaceDetection> faces = options.backend == Backend::DlibHog ? runHog(scan)
                                                                           : runYuNet(scan);
    for (FaceDetection &face : faces) {
        face.box = cv::Rect2f(float(face.box.x / sx), float(face.box.y / sy),
                              float(face.box.width / sx), float(face.box.height / sy));
        // Keypoints are pixel-centre coordinates: centre i of the scan is (i + 0.5) / s - 0.5.
        for (cv::Point2f &p : face.keypoints)
            p = cv::Point2f(float((p.x + 0.5) / sx - 0.5), float((p.y + 0.5) / sy - 0.5));
    }
    return faces;
}

std::vector<FaceDetection> FaceDetector::Impl::runSorted(const cv::Mat &image, double scale)
{
    try {
        std::vector<FaceDetection> faces = run(image, scale);
        sortLargestFirst(faces);
        return faces;
    } catch (const std::exception &) {
        return {}; // cv::Exception, dlib::error and std::bad_alloc derive from std::exception
    }
}

void FaceDetector::Impl::prepareHog()
{
    if (!hog) {
        // Deserialising dlib's embedded model takes ~0.3 s; do it once per process (thread-safe
        // static initialisation) and copy it (cheap) into each detector.
        static const dlib::frontal_face_detector prototype = dlib::get_frontal_face_detector();
        hog = std::make_unique<dlib::frontal_face_detector>(prototype);
    }
}

std::vector<FaceDetection> FaceDetector::Impl::runHog(const cv::Mat &scan)
{
    prepareHog();
    // dlib's HOG would take the strongest gradient over the colour channels; grey found as
    // many faces on the shared videos (within 1 %) in up to half the time.
    cv::Mat grey;
    cv::cvtColor(scan, grey, cv::COLOR_BGR2GRAY);
    const dlib::cv_image<unsigned char> dlibImage(grey);
    std::vector<dlib::rect_detection> found;
    (*hog)(dlibImage, found, options.effectiveScoreThreshold());

    std::vector<FaceDetection> faces;
    faces.reserve(found.size());
    for (const dlib::rect_detection &det : found) {
        FaceDetection face;
        // dlib rectangles are inclusive: width = right - left + 1.
        face.box = cv::Rect2f(float(det.rect.left()), float(det.rect.top()),
                              float(det.rect.width()), float(det.rect.height()));
        face.score = float(det.detection_confidence);
        faces.push_back(std::move(face));
    }
    return faces;
}

std::vector<FaceDetection> FaceDetector::Impl::runYuNet(const cv::Mat &scan)
{
    if (!yunet || scan.cols < kYuNetMinSide || scan.rows < kYuNetMinSide)
        return {};
    yunet->setInputSize(scan.size());
    cv::Mat out;
    yunet->detect(scan, out);
    // One row per face: x, y, w, h, 5 keypoints (x, y), score (CV_32F).
    std::vector<FaceDetection> faces;
    if (out.empty() || out.cols < 15 || out.type() != CV_32F)
        return faces;
    for (int r = 0; r < out.rows; ++r) {
        const float *row = out.ptr<float>(r);
        FaceDetection face;
        face.box = cv::Rect2f(row[0], row[1], row[2], row[3]);
        face.keypoints.reserve(FaceDetection::kKeypointCount);
        for (int k = 0; k < FaceDetection::kKeypointCount; ++k)
            face.keypoints.emplace_back(row[4 + 2 * k], row[5 + 2 * k]);
        face.score = row[14];
        if (face.score < options.effectiveScoreThreshold() || !(face.box.width > 0) || !(face.box.height > 0))
            continue;
        const cv::Rect inside = cv::Rect(face.box) & cv::Rect(0, 0, scan.cols, scan.rows);
        if (inside.area() <= 0)
            continue;
        cv::Scalar mean, stddev;
        cv::meanStdDev(scan(inside), mean, stddev);
        if (std::max({stddev[0], stddev[1], stddev[2]}) < kMinFaceContrast)
            continue; // a flat region: no face, whatever the network says
        faces.push_back(std::move(face));
    }
    return faces;
}

FaceDetector::FaceDetector()
    : d(std::make_unique<Impl>())
{
}

FaceDetector::~FaceDetector() = default;

bool FaceDetector::setOptions(const Options &options)
{
    std::lock_guard<std::mutex> lock(d->mutex);
    cv::Ptr<cv::FaceDetectorYN> yunet;
    if (options.backend == Backend::YuNet) {
        const QString &path = options.yunetModelPath;
        if (path.isEmpty()) {
            d->error = QStringLiteral("YuNet backend: no model file given (Options::yunetModelPath is empty)");
            return false;
        }
        const QFileInfo info(path);
        if (!info.isFile()) {
            d->error = QStringLiteral("%1: YuNet model file not found").arg(path);
            return false;
        }
        if (!info.isReadable()) {
            d->error = QStringLiteral("%1: YuNet model file is not readable").arg(path);
            return false;
        }
        try {
            const float threshold = options.effectiveScoreThreshold();
            yunet = cv::FaceDetectorYN::create(QFile::encodeName(path).toStdString(), std::string(),
                                               cv::Size(160, 120), threshold, kYuNetNmsThreshold,
                                               kYuNetTopK);
            if (yunet) {
                // Run once: a file that parses but is not a usable YuNet fails here, not later.
                yunet->detect(cv::Mat(120, 160, CV_8UC3, cv::Scalar::all(127)), cv::noArray());
            }
        } catch (const std::exception &e) {
            d->error = QStringLiteral("%1: cannot load the YuNet model: %2")
                           .arg(path, exceptionText(e));
            return false;
        }
        if (!yunet) {
            d->error = QStringLiteral("%1: cannot load the YuNet model").arg(path);
            return false;
        }
    }
    if (options.backend == Backend::DlibHog)
        d->prepareHog(); // pay the model's load here, not on the first frame
    d->options = options;
    d->yunet = yunet;
    d->error.clear();
    return true;
}

const FaceDetector::Options &FaceDetector::options() const
{
    return d->options;
}

std::vector<FaceDetection> FaceDetector::detect(const cv::Mat &bgr) const
{
    const cv::Mat image = toBgr(bgr);
    if (image.empty())
        return {};
    std::lock_guard<std::mutex> lock(d->mutex);
    const Options &o = d->options;
    const int longer = std::max(image.cols, image.rows);
    double scale = 1.0;
    if (o.detectionMaxSide > 0 && longer > o.detectionMaxSide)
        scale = double(o.detectionMaxSide) / longer;
    if (o.backend == Backend::DlibHog && o.dlibUpsampleSmallFrames && o.detectionMaxSide > 0
        && 2 * longer <= o.detectionMaxSide)
        scale = 2.0; // dlib's smallest face is ~80 px: look for ~40-px faces in small frames
    return d->runSorted(image, scale);
}

std::optional<FaceDetection> FaceDetector::detectLargest(const cv::Mat &bgr) const
{
    std::vector<FaceDetection> faces = detect(bgr);
    if (faces.empty())
        return std::nullopt;
    return std::move(faces.front());
}

std::optional<FaceDetection> FaceDetector::detectLargestNear(const cv::Mat &bgr,
                                                             const cv::Rect2f &previousBox) const
{
    const cv::Mat image = toBgr(bgr);
    if (image.empty() || !(previousBox.width > 0) || !(previousBox.height > 0))
        return std::nullopt;
    const float side = 2.0f * std::max(previousBox.width, previousBox.height);
    const cv::Point2f centre(previousBox.x + previousBox.width / 2, previousBox.y + previousBox.height / 2);
    const cv::Rect region = cv::Rect(cv::Rect2f(centre.x - side / 2, centre.y - side / 2, side, side))
                            & cv::Rect(0, 0, image.cols, image.rows);
    if (region.width < 8 || region.height < 8)
        return std::nullopt;

    std::lock_guard<std::mutex> lock(d->mutex);
    const double faceSide = std::max(previousBox.width, previousBox.height);
    const double scale = std::min(2.0, nearTargetFaceSide(d->options.backend) / faceSide);
    std::vector<FaceDetection> faces = d->runSorted(image(region), scale);
    if (faces.empty())
        return std::nullopt;
    FaceDetection face = std::move(faces.front());
    const cv::Point2f offset(float(region.x), float(region.y));
    face.box.x += offset.x;
    face.box.y += offset.y;
    for (cv::Point2f &p : face.keypoints)
        p += offset;
    return face;
}

std::vector<FaceDetection> FaceDetector::detectAtScale(const cv::Mat &bgr, double scale) const
{
    const cv::Mat image = toBgr(bgr);
    if (image.empty() || !(scale > 0.0) || scale > 8.0 || double(image.cols) * image.rows * scale * scale > double(1 << 30))
        return {};
    std::lock_guard<std::mutex> lock(d->mutex);
    return d->runSorted(image, scale);
}

int FaceDetector::smallestScanFace(Backend backend)
{
    return backend == Backend::DlibHog ? 80 : 10;
}

int FaceDetector::largestScanFace(Backend backend)
{
    return backend == Backend::DlibHog ? 0 : 256;
}

QString FaceDetector::errorString() const
{
    std::lock_guard<std::mutex> lock(d->mutex);
    return d->error;
}

} // namespace fa
