#include "media/frame_converter.h"

extern "C" {
#include <libavutil/frame.h>
#include <libavutil/pixdesc.h>
#include <libswscale/swscale.h>
}

#include <opencv2/core.hpp>

namespace fa {

namespace {

// The deprecated full-range "J" formats, as the plain format plus a full-range flag
// (libswscale warns about the J formats and wants the range set explicitly).
AVPixelFormat plainFormat(AVPixelFormat format, bool *fullRange)
{
    switch (format) {
    case AV_PIX_FMT_YUVJ420P: *fullRange = true; return AV_PIX_FMT_YUV420P;
    case AV_PIX_FMT_YUVJ422P: *fullRange = true; return AV_PIX_FMT_YUV422P;
    case AV_PIX_FMT_YUVJ444P: *fullRange = true; return AV_PIX_FMT_YUV444P;
    case AV_PIX_FMT_YUVJ440P: *fullRange = true; return AV_PIX_FMT_YUV440P;
    case AV_PIX_FMT_YUVJ411P: *fullRange = true; return AV_PIX_FMT_YUV411P;
    default: return format;
    }
}

int swsColorspace(AVColorSpace space)
{
    switch (space) {
    case AVCOL_SPC_BT709: return SWS_CS_ITU709;
    case AVCOL_SPC_FCC: return SWS_CS_FCC;
    case AVCOL_SPC_SMPTE240M: return SWS_CS_SMPTE240M;
    case AVCOL_SPC_BT2020_NCL:
    case AVCOL_SPC_BT2020_CL: return SWS_CS_BT2020;
    default: return SWS_CS_DEFAULT; // BT.601, also FFmpeg's choice when unspecified
    }
}

// Gives `image` rows x cols CV_8UC3 storage, reusing it unless another cv::Mat shares it.
void prepareImage(cv::Mat *image, int rows, int cols)
{
    if (image->u && image->u->refcount > 1)
        image->release();
    image->create(rows, cols, CV_8UC3);
}

} // namespace

FrameConverter::~FrameConverter()
{
    reset();
}

void FrameConverter::reset()
{
    sws_freeContext(m_sws);
    m_sws = nullptr;
    m_width = m_height = 0;
    m_format = m_colorspace = m_fullRange = -1;
    m_upright.release();
}

bool FrameConverter::convert(const AVFrame *frame, int rotationDegrees, cv::Mat *out,
                             QString *error)
{
    const int w = frame->width;
    const int h = frame->height;
    bool fullRange = frame->color_range == AVCOL_RANGE_JPEG;
    const AVPixelFormat format = plainFormat(AVPixelFormat(frame->format), &fullRange);
    const int colorspace = swsColorspace(frame->colorspace);
    if (!m_sws || w != m_width || h != m_height || format != m_format
        || colorspace != m_colorspace || int(fullRange) != m_fullRange) {
        reset();
        if (w > 0 && h > 0)
            m_sws = sws_getContext(w, h, format, w, h, AV_PIX_FMT_BGR24, SWS_BILINEAR,
                                   nullptr, nullptr, nullptr);
        if (!m_sws) {
            const char *name = av_get_pix_fmt_name(format);
            *error = QStringLiteral("cannot convert %1x%2 %3 frames to BGR")
                         .arg(w).arg(h).arg(QString::fromUtf8(name ? name : "unknown"));
            return false;
        }
        // Source matrix and range as the frame declares them; the output is full-range RGB.
        sws_setColorspaceDetails(m_sws, sws_getCoefficients(colorspace), fullRange ? 1 : 0,
                                 sws_getCoefficients(SWS_CS_DEFAULT), 1, 0, 1 << 16, 1 << 16);
        m_width = w;
        m_height = h;
        m_format = format;
        m_colorspace = colorspace;
        m_fullRange = fullRange;
    }

    cv::Mat *target = out;
    if (rotationDegrees != 0) {
        prepareImage(&m_upright, h, w);
        target = &m_upright;
    } else {
        prepareImage(out, h, w);
    }
    uint8_t *const dst[4] = {target->data, nullptr, nullptr, nullptr};
    const int dstStride[4] = {int(target->step[0]), 0, 0, 0};
    sws_scale(m_sws, frame->data, frame->linesize, 0, h, dst, dstStride);
    if (rotationDegrees != 0) {
        const bool swap = rotationDegrees != 180;
        prepareImage(out, swap ? w : h, swap ? h : w);
        const cv::RotateFlags code = rotationDegrees == 90 ? cv::ROTATE_90_CLOCKWISE
            : rotationDegrees == 180 ? cv::ROTATE_180 : cv::ROTATE_90_COUNTERCLOCKWISE;
        cv::rotate(m_upright, *out, code);
    }
    return true;
}

} // namespace fa
