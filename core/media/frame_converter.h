#pragma once

#include <QString>

#include <opencv2/core/mat.hpp>

struct AVFrame;
struct SwsContext;

namespace fa {

/// Converts decoded FFmpeg frames (any pixel format libswscale reads) to 8-bit BGR cv::Mat
/// images in display orientation. A helper of VideoReader; libav types appear only as forward
/// declarations. The swscale context and the pre-rotation buffer are kept from frame to frame
/// and rebuilt only when the source size, pixel format or colour description changes.
///
/// Colour: YUV sources use the matrix the frame declares (BT.601 when unspecified, as FFmpeg
/// does; BT.709, BT.2020, ...) and its range (limited, or full for JPEG-range "yuvj" frames);
/// the output is full-range BGR.
class FrameConverter
{
public:
    FrameConverter() = default;
    ~FrameConverter();
    FrameConverter(const FrameConverter &) = delete;
    FrameConverter &operator=(const FrameConverter &) = delete;

    /// Writes `frame` into `out` as CV_8UC3 BGR, rotated clockwise by `rotationDegrees`
    /// (0, 90, 180 or 270; 90 and 270 swap width and height). `out` is reused when it already
    /// has the right size and type and no other cv::Mat shares it, otherwise reallocated.
    /// Returns false and sets `error` (what is wrong, without a file name) when the pixel format
    /// cannot be converted.
    bool convert(const AVFrame *frame, int rotationDegrees, cv::Mat *out, QString *error);

    /// Frees the swscale context and the buffer.
    void reset();

private:
    SwsContext *m_sws = nullptr;
    int m_width = 0;
    int m_height = 0;
    int m_format = -1;
    int m_colorspace = -1;
    int m_fullRange = -1;
    cv::Mat m_upright; // conversion output before rotation, for rotated videos only
};

} // namespace fa
