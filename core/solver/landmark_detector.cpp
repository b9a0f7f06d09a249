#include "solver/landmark_detector.h"

#include <QFileInfo>

#include <dlib/image_processing/shape_predictor.h>
#include <dlib/opencv/cv_image.h>
#include <dlib/serialize.h>

#include <opencv2/imgproc.hpp>

#include <exception>

namespace fa {

struct LandmarkDetector::Model
{
    dlib::shape_predictor predictor;
};

LandmarkDetector::LandmarkDetector() = default;
LandmarkDetector::~LandmarkDetector() = default;
LandmarkDetector::LandmarkDetector(const LandmarkDetector &) = default;
LandmarkDetector &LandmarkDetector::operator=(const LandmarkDetector &) = default;
LandmarkDetector::LandmarkDetector(LandmarkDetector &&) noexcept = default;
LandmarkDetector &LandmarkDetector::operator=(LandmarkDetector &&) noexcept = default;

QString LandmarkDetector::defaultModelPath()
{
    return QStringLiteral("/usr/share/dlib/shape_predictor_68_face_landmarks.dat");
}

bool LandmarkDetector::load(const QString &path)
{
    m_model.reset();
    m_error.clear();
    const QFileInfo info(path);
    if (!info.isFile() || !info.isReadable()) {
        m_error = QStringLiteral("%1: file not found or not readable (Debian package libdlib-data "
                                 "installs the 68-point model)").arg(path);
        return false;
    }
    auto model = std::make_shared<Model>();
    try {
        dlib::deserialize(QFile::encodeName(path).toStdString()) >> model->predictor;
    } catch (const std::exception &e) {
        m_error = QStringLiteral("%1: not a dlib shape predictor (%2)")
                      .arg(path, QString::fromUtf8(e.what()).simplified());
        return false;
    }
    if (model->predictor.num_parts() != unsigned(FaceLandmarks::kCount)) {
        m_error = QStringLiteral("%1: the shape predictor has %2 landmarks, expected %3")
                      .arg(path).arg(model->predictor.num_parts()).arg(FaceLandmarks::kCount);
        return false;
    }
    m_model = std::move(model);
    return true;
}

bool LandmarkDetector::isLoaded() const
{
    return m_model != nullptr;
}

FaceLandmarks LandmarkDetector::detect(const cv::Mat &image, const cv::Rect2f &faceBox) const
{
    FaceLandmarks result;
    if (!m_model || image.empty() || image.depth() != CV_8U || image.dims != 2)
        return result;
    const cv::Rect2f imageRect(0.f, 0.f, float(image.cols), float(image.rows));
    if (!(faceBox.width > 1.f && faceBox.height > 1.f) || (faceBox & imageRect).area() <= 0.f)
        return result;

    const dlib::rectangle box(long(std::lround(faceBox.x)), long(std::lround(faceBox.y)),
                              long(std::lround(faceBox.x + faceBox.width)) - 1,
                              long(std::lround(faceBox.y + faceBox.height)) - 1);
    try {
        dlib::full_object_detection shape;
        // The predictor samples only a few hundred pixel intensities, so it reads the BGR or
        // grey pixels in place (cv_image wraps without copying, row strides included) rather
        // than converting the whole frame. dlib returns whole-pixel positions.
        if (image.channels() == 3) {
            shape = m_model->predictor(dlib::cv_image<dlib::bgr_pixel>(image), box);
        } else if (image.channels() == 1) {
            shape = m_model->predictor(dlib::cv_image<unsigned char>(image), box);
        } else if (image.channels() == 4) {
            cv::Mat gray;
            cv::cvtColor(image, gray, cv::COLOR_BGRA2GRAY);
            shape = m_model->predictor(dlib::cv_image<unsigned char>(gray), box);
        } else {
            return result;
        }
        if (shape.num_parts() != unsigned(FaceLandmarks::kCount))
            return result;
        for (int i = 0; i < FaceLandmarks::kCount; ++i) {
            const dlib::point p = shape.part(unsigned(i));
            result.points[size_t(i)] = cv::Point2f(float(p.x()), float(p.y()));
        }
    } catch (const std::exception &) {
        return FaceLandmarks();
    }
    return result;
}

QString LandmarkDetector::errorString() const
{
    return m_error;
}

} // namespace fa
