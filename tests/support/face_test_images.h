#pragma once

// Shared photos for the face tests: reading them, the YuNet model beside them, and turning an
// image in the image plane (tilted heads). Header-only, like test_files.h.

#include "test_files.h"

#include <QFile>
#include <QString>

#include <opencv2/imgcodecs.hpp>
#include <opencv2/imgproc.hpp>

namespace fa::test {

/// OpenCV's YuNet (2022-02 fixed-shape export) in the shared data folder.
inline QString yunetModelPath()
{
    return dataPath(QStringLiteral("models/yunet/yunet_2022feb_120x160.onnx"));
}

/// A shared image as 8-bit BGR, e.g. "images/pexels_expressions/group.jpeg"; empty if unreadable.
inline cv::Mat readDataImage(const QString &relative)
{
    return cv::imread(QFile::encodeName(dataPath(relative)).toStdString(), cv::IMREAD_COLOR);
}

/// `image` turned by `degrees` (cv::getRotationMatrix2D: counter-clockwise on screen) about its
/// centre, on a canvas that holds all of it (borders replicated); `follow`, when given, is
/// moved to where its point lands.
inline cv::Mat turnedImage(const cv::Mat &image, double degrees, cv::Point2f *follow = nullptr)
{
    const cv::Point2f centre(image.cols / 2.0f, image.rows / 2.0f);
    cv::Matx23d m = cv::getRotationMatrix2D(centre, degrees, 1.0);
    const cv::Rect2f bounds = cv::RotatedRect(centre, image.size(), float(degrees)).boundingRect2f();
    m(0, 2) += bounds.width / 2 - centre.x;
    m(1, 2) += bounds.height / 2 - centre.y;
    if (follow)
        *follow = cv::Point2f(float(m(0, 0) * follow->x + m(0, 1) * follow->y + m(0, 2)),
                              float(m(1, 0) * follow->x + m(1, 1) * follow->y + m(1, 2)));
    cv::Mat out;
    cv::warpAffine(image, out, m, bounds.size(), cv::INTER_LINEAR, cv::BORDER_REPLICATE);
    return out;
}

} // namespace fa::test
