#pragma once

#include "media/video_frame.h"
#include "media/video_info.h"

#include <QString>

#include <memory>

namespace fa {

/// Decodes the video stream of a file with FFmpeg (libavformat/libavcodec/libswscale), frame by
/// frame in presentation order, into BGR cv::Mat images in display orientation.
///
/// Any container and codec FFmpeg 5.1 decodes is accepted. Memory stays bounded whatever the
/// length of the video: nothing is cached beyond the decoder's own reference frames, and the
/// colour-conversion context and output buffers are reused from frame to frame (so the cost per
/// frame is essentially the decode).
///
/// Errors are one line, "FILE: what is wrong", from errorString():
/// - open(): missing or empty file, a file FFmpeg cannot read (text, a truncated MP4 whose index
///   ("moov") is lost, ...), no video stream (e.g. audio only), a still image (PNG, JPEG, ...
///   or a single-frame file: "it is an image, not a video"), no decoder for the codec.
/// - readFrame(): when the stream stops before the frame count the container announced, or
///   video packets were cut short or refused by the decoder on the way, the end is reported as
///   an error, "FILE: truncated or corrupt: decoded N of M frames[, K damaged packets]",
///   rather than as a normal end. (Damage to other streams, e.g. a cut in the last audio
///   packet, does not count: the video is complete.) Frames before that point are returned.
/// - Damage the decoder conceals (corrupt bitstream: FFmpeg logs "error while decoding MB ..."
///   and the frame comes out patched; or packets the decoder refuses) is counted per frame.
///   At the end of the stream, more than damageThreshold() per cent of the decoded frames is
///   an error, "FILE: corrupt: N of M frames (P %) are damaged; ..."; fewer give
///   warningString(), "FILE: N of M frames (P %) are damaged; the decoder concealed the
///   damage", for the caller to show. FFmpeg's own log never reaches the terminal.
///
/// Not thread-safe; use one reader per thread. Example:
/// \code
///   fa::VideoReader reader;
///   if (!reader.open(path)) return fail(reader.errorString());
///   fa::VideoFrame frame;
///   while (reader.readFrame(&frame)) process(frame.image, frame.timeSeconds);
///   if (!reader.errorString().isEmpty()) return fail(reader.errorString());
/// \endcode
class VideoReader
{
public:
    VideoReader();
    ~VideoReader();
    VideoReader(const VideoReader &) = delete;
    VideoReader &operator=(const VideoReader &) = delete;

    /// Opens `path` and reads its stream information; closes any file opened before.
    /// Returns false and sets errorString() on failure.
    bool open(const QString &path);
    void close();
    bool isOpen() const;

    /// Information about the open file (default-constructed when none is open).
    const VideoInfo &info() const;

    /// Decodes the next frame in presentation order into `frame`. `frame->image` is reused when
    /// it already has the right size and type and is not shared with another cv::Mat;
    /// otherwise a new buffer is allocated, so images kept by the caller are never overwritten.
    /// Returns false at the end of the stream (errorString() empty) or on error, including a
    /// truncated file (errorString() set).
    bool readFrame(VideoFrame *frame);

    /// Positions the reader so that the next readFrame() returns the first frame whose time is
    /// >= `seconds` (within 1 microsecond), decoding forward from the keyframe before it (frame
    /// accurate). Negative times seek to the start; a time past the last frame leaves the reader
    /// at the end (readFrame() returns false with no error). Returns false and sets
    /// errorString() when the container cannot seek or decoding fails.
    bool seek(double seconds);

    /// Codec threads (libavcodec thread_count) used from the next open(); 1 by default, which
    /// keeps the cores for the face pipeline. 0 lets FFmpeg choose.
    void setDecoderThreads(int threads);
    int decoderThreads() const;

    /// The last error, "FILE: what is wrong"; empty when the last call succeeded or ended
    /// normally.
    QString errorString() const;

    /// The largest share of damaged frames (per cent) a stream may have without failing.
    static constexpr double kDefaultDamageThreshold = 5.0;
    /// Sets the share (clamped to [0, 100]); it applies to streams read from now on.
    void setDamageThreshold(double percent);
    /// After the end of a stream with damage below the threshold: one line saying how much;
    /// empty otherwise (cleared by open() and seek()).
    QString warningString() const;

private:
    struct Private;
    std::unique_ptr<Private> d;
};

} // namespace fa
