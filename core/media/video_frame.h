#pragma once

#include <QtGlobal>

#include <opencv2/core/mat.hpp>

namespace fa {

/// One decoded video frame, as returned by VideoReader::readFrame().
struct VideoFrame
{
    /// CV_8UC3, BGR (OpenCV's order), 8 bits per channel, full range, in display orientation
    /// (the container's rotation already applied), VideoInfo::width x VideoInfo::height.
    cv::Mat image;
    /// Presentation time in seconds from the start of the video stream, i.e. from the first
    /// frame, which is at 0.
    double timeSeconds = 0;
    /// 0-based frame number. Counted from the first frame in sequential decoding; after a seek,
    /// round(timeSeconds * fps) and counted on from there (the two agree for constant-rate video).
    qint64 index = 0;
};

} // namespace fa
