#include "media/video_reader.h"

#include "media/frame_converter.h"

#include "common/file_kind.h"

extern "C" {
#include <libavcodec/avcodec.h>
#include <libavformat/avformat.h>
#include <libavutil/display.h>
#include <libavutil/log.h>
}

#include <QFile>
#include <QFileInfo>

#include <algorithm>
#include <atomic>
#include <cmath>
#include <cstdarg>
#include <limits>
#include <mutex>
#include <unordered_set>

namespace fa {

namespace {

// Frames closer than this to a seek target count as "at" the target (seconds).
constexpr double kTimeEpsilon = 1e-6;

QString avErrorText(int code)
{
    char text[AV_ERROR_MAX_STRING_SIZE] = {};
    av_strerror(code, text, sizeof text);
    return QString::fromUtf8(text);
}

// Decoders conceal damaged data (the H.264 decoder's "error while decoding MB ...") and say
// so only in their log. The reader keeps FFmpeg's log off the terminal and counts, per open
// decoder, the error messages it logs: each decoder's AVCodecContext::opaque points to its
// counter (frame-threading copies of the context keep it), registered while it is open so that
// messages of other FFmpeg users in the process (OpenCV's VideoCapture) are never mistaken.
struct DecoderErrors
{
    std::atomic<int> count{0};
};

std::mutex g_decodersMutex;
std::unordered_set<const void *> g_decoders;

void countDecoderErrors(void *context, int level, const char *, va_list)
{
    if (level > AV_LOG_ERROR || !context || *static_cast<const AVClass *const *>(context) != avcodec_get_class())
        return;
    const void *opaque = static_cast<const AVCodecContext *>(context)->opaque;
    std::lock_guard<std::mutex> lock(g_decodersMutex);
    if (g_decoders.count(opaque))
        static_cast<DecoderErrors *>(const_cast<void *>(opaque))->count.fetch_add(1, std::memory_order_relaxed);
}

// FFmpeg reads still pictures with its image demuxers: "image2" (files by name), "image2pipe"
// and one "<codec>_pipe" per picture format probed by content (png_pipe, jpeg_pipe, ...).
bool isImageDemuxer(const char *name)
{
    const QByteArray n(name);
    return n == "image2" || n == "image2pipe" || n.endsWith("_pipe");
}

// ISO base media files (MP4, MOV, M4V, 3GP) start with one of these boxes; when FFmpeg cannot
// open such a file, its index ("moov") is missing or damaged, typically a truncated download.
bool looksLikeIsoMedia(const QString &path)
{
    QFile file(path);
    if (!file.open(QIODevice::ReadOnly))
        return false;
    const QByteArray head = file.read(8).mid(4);
    return head == "ftyp" || head == "moov" || head == "mdat" || head == "wide" || head == "free";
}

// Clockwise display rotation in {0, 90, 180, 270} from the stream's display matrix.
// av_display_rotation_get() gives the counter-clockwise angle; like ffmpeg's autorotate
// (fftools get_rotation) we negate it and round to the nearest right angle.
int clockwiseRotation(const AVStream *stream)
{
    size_t size = 0;
    const uint8_t *data = av_stream_get_side_data(stream, AV_PKT_DATA_DISPLAYMATRIX, &size);
    if (!data || size < 9 * sizeof(int32_t))
        return 0;
    const double ccw = av_display_rotation_get(reinterpret_cast<const int32_t *>(data));
    if (!std::isfinite(ccw))
        return 0;
    const int degrees = int(std::lround(-ccw / 90.0)) * 90;
    return ((degrees % 360) + 360) % 360;
}

// Frames of a stream whose container counts them (nb_frames > 0) that are actually shown.
// An MP4 edit list (a trim) hides samples that stay in the file as references: FFmpeg's MP4
// demuxer counts them in nb_frames but marks them AVINDEX_DISCARD_FRAME in its per-sample index
// and the decoder drops them.
qint64 shownFrameCount(AVStream *stream)
{
    const int entries = avformat_index_get_entries_count(stream);
    if (entries != stream->nb_frames) // not a per-frame index (or none): trust nb_frames
        return stream->nb_frames;
    qint64 shown = 0;
    for (int i = 0; i < entries; ++i)
        shown += !(avformat_index_get_entry(stream, i)->flags & AVINDEX_DISCARD_FRAME);
    return shown > 0 ? shown : stream->nb_frames;
}

} // namespace

struct VideoReader::Private
{
    enum class Decoded { Frame, End, Error };

    VideoInfo info;
    QString error;
    QString endError; // what readFrame() reports once the stream has ended
    int threads = 1;

    AVFormatContext *format = nullptr;
    AVCodecContext *codec = nullptr;
    AVPacket *packet = nullptr;
    AVFrame *frame = nullptr; // the decoder's output; holds the frame seek() found when pending
    int streamIndex = -1;
    double timeBase = 0;      // seconds per stream time-base unit
    int64_t startPts = 0;     // time 0 (the first frame's timestamp), stream time-base units
    int64_t rewindTs = 0;     // seek timestamp that reaches the first packet
    bool frameCountExact = false;

    // Decoding state.
    bool flushed = false;     // the demuxer ended and the decoder was sent its drain packet
    int demuxError = 0;       // error that ended demuxing, 0 for a clean end of file
    int damagedPackets = 0;   // cut short (AV_PKT_FLAG_CORRUPT): the file ends inside them
    qint64 damagedFrames = 0; // frames decoded with errors (concealed) or packets refused
    int errorsSeen = 0;       // decoderErrors.count when the previous frame came out
    double damageThreshold = VideoReader::kDefaultDamageThreshold;
    QString warning;          // set at the end of a stream with damage below the threshold
    DecoderErrors decoderErrors;
    bool atEnd = false;
    bool pending = false;     // `frame` is decoded, timed and not yet returned
    qint64 nextIndex = 0;     // index of the next decoded frame, -1: derive from its time
    double currentTime = 0;   // of the frame in `frame`
    qint64 currentIndex = -1; // of the frame in `frame`; -1 before the first decoded frame

    FrameConverter converter;

    bool fail(const QString &what)
    {
        error = info.path + QStringLiteral(": ") + what;
        return false;
    }

    void release()
    {
        if (codec) {
            std::lock_guard<std::mutex> lock(g_decodersMutex);
            g_decoders.erase(&decoderErrors);
        }
        converter.reset();
        av_frame_free(&frame);
        av_packet_free(&packet);
        avcodec_free_context(&codec);
        avformat_close_input(&format);
        streamIndex = -1;
        startPts = 0;
        rewindTs = 0;
        resetDecoding();
    }

    void resetDecoding()
    {
        flushed = false;
        demuxError = 0;
        damagedPackets = 0;
        damagedFrames = 0;
        errorsSeen = decoderErrors.count.load();
        warning.clear();
        atEnd = false;
        pending = false;
        nextIndex = 0;
        currentTime = 0;
        currentIndex = -1;
        endError.clear();
    }

    static int64_t framePts(const AVFrame *f)
    {
        return f->best_effort_timestamp != AV_NOPTS_VALUE ? f->best_effort_timestamp : f->pts;
    }

    double frameTime(const AVFrame *f) const
    {
        const int64_t pts = framePts(f);
        if (pts == AV_NOPTS_VALUE) // untimed frame: one frame after the previous one
            return currentIndex < 0 ? 0.0 : currentTime + (info.fps > 0 ? 1.0 / info.fps : 0.0);
        return double(pts - startPts) * timeBase;
    }

    // Decodes the next frame into `frame` and sets currentTime/currentIndex.
    Decoded decodeFrame()
    {
        for (;;) {
            int ret = avcodec_receive_frame(codec, frame);
            if (ret == 0) {
                const int errors = decoderErrors.count.load();
                if (errors != errorsSeen || frame->decode_error_flags != 0)
                    ++damagedFrames;
                errorsSeen = errors;
                currentTime = frameTime(frame);
                currentIndex = nextIndex >= 0 ? nextIndex : std::llround(currentTime * info.fps);
                nextIndex = currentIndex + 1;
                return Decoded::Frame;
            }
            if (ret == AVERROR_EOF || (ret == AVERROR(EAGAIN) && flushed))
                return Decoded::End;
            if (ret != AVERROR(EAGAIN)) {
                fail(QStringLiteral("decoding failed after frame %1 (FFmpeg: %2)")
                         .arg(currentIndex).arg(avErrorText(ret)));
                return Decoded::Error;
            }
            ret = av_read_frame(format, packet);
            if (ret < 0) {
                if (ret != AVERROR_EOF)
                    demuxError = ret;
                flushed = true;
                avcodec_send_packet(codec, nullptr); // drain the frames the decoder holds
                continue;
            }
            if (packet->stream_index != streamIndex) {
                av_packet_unref(packet);
                continue;
            }
            // A damaged packet is decoded as far as it goes (or skipped), as ffmpeg does; the
            // damage is reported at the end of the stream.
            const bool cutShort = packet->flags & AV_PKT_FLAG_CORRUPT;
            ret = avcodec_send_packet(codec, packet);
            av_packet_unref(packet);
            if (cutShort)
                ++damagedPackets;
            else if (ret == AVERROR_INVALIDDATA)
                ++damagedFrames;
            if (ret < 0 && ret != AVERROR_INVALIDDATA) {
                fail(QStringLiteral("decoding failed after frame %1 (FFmpeg: %2)")
                         .arg(currentIndex).arg(avErrorText(ret)));
                return Decoded::Error;
            }
        }
    }

    // The stream has ended: decide whether it ended early (truncated or damaged file).
    void finishStream()
    {
        atEnd = true;
        pending = false;
        const qint64 decoded = currentIndex + 1;
        const qint64 expected = info.frameCount;
        // An estimated count (duration * fps) gets a tolerance of 2 frames or 5 %.
        const qint64 tolerance = frameCountExact ? 0 : std::max<qint64>(2, expected / 20);
        const bool shortfall = decoded < expected - tolerance;
        if (shortfall || damagedPackets > 0 || (demuxError != 0 && !frameCountExact)) {
            QString what = QStringLiteral("truncated or corrupt: decoded %1 of %2 frames")
                               .arg(decoded).arg(expected);
            if (damagedPackets > 0)
                what += QStringLiteral(", %1 damaged packets").arg(damagedPackets);
            if (demuxError != 0)
                what += QStringLiteral(" (FFmpeg: %1)").arg(avErrorText(demuxError));
            fail(what);
            endError = error;
            return;
        }
        // Damage the decoder concealed: a few frames are a warning, more fail (issue 16: a
        // video with 50 flipped bytes retargeted with exit 0 while FFmpeg reported errors).
        if (damagedFrames > 0) {
            const double percent = 100.0 * double(damagedFrames) / double(std::max<qint64>(decoded, 1));
            const QString what = QStringLiteral("%1 of %2 frames (%3 %) are damaged; the decoder concealed the damage")
                                     .arg(damagedFrames).arg(decoded).arg(percent, 0, 'f', 1);
            if (percent > damageThreshold) {
                fail(QStringLiteral("corrupt: %1 (more than the %2 % allowed)").arg(what).arg(damageThreshold));
                endError = error;
            } else {
                warning = info.path + QStringLiteral(": ") + what;
            }
        }
    }

    bool openStreams(const QByteArray &localPath);
};

bool VideoReader::Private::openStreams(const QByteArray &localPath)
{
    int ret = avformat_open_input(&format, localPath.constData(), nullptr, nullptr);
    if (ret < 0) {
        format = nullptr;
        const bool unreadable = ret == AVERROR_INVALIDDATA || ret == AVERROR_EOF;
        if (unreadable && looksLikeIsoMedia(info.path))
            return fail(QStringLiteral("truncated or corrupt MP4/QuickTime file, its index cannot "
                                       "be read (FFmpeg: %1)").arg(avErrorText(ret)));
        if (ret == AVERROR_EOF)
            return fail(QStringLiteral("truncated or corrupt: the file ends before its headers "
                                       "(FFmpeg: %1)").arg(avErrorText(ret)));
        if (ret == AVERROR_INVALIDDATA)
            return fail(QStringLiteral("not a video file FFmpeg can read (FFmpeg: %1)")
                            .arg(avErrorText(ret)));
        return fail(QStringLiteral("cannot open (FFmpeg: %1)").arg(avErrorText(ret)));
    }
    ret = avformat_find_stream_info(format, nullptr);
    if (ret < 0)
        return fail(QStringLiteral("cannot read the stream information (FFmpeg: %1)")
                        .arg(avErrorText(ret)));

    // The video stream: FFmpeg's best one, but never cover art (an attached picture).
    for (unsigned i = 0; i < format->nb_streams; ++i)
        info.hasAudio |= format->streams[i]->codecpar->codec_type == AVMEDIA_TYPE_AUDIO;
    streamIndex = av_find_best_stream(format, AVMEDIA_TYPE_VIDEO, -1, -1, nullptr, 0);
    if (streamIndex >= 0 && format->streams[streamIndex]->disposition & AV_DISPOSITION_ATTACHED_PIC) {
        streamIndex = -1;
        for (unsigned i = 0; i < format->nb_streams; ++i) {
            const AVStream *s = format->streams[i];
            if (s->codecpar->codec_type == AVMEDIA_TYPE_VIDEO
                && !(s->disposition & AV_DISPOSITION_ATTACHED_PIC)) {
                streamIndex = int(i);
                break;
            }
        }
    }
    if (streamIndex < 0)
        return fail(info.hasAudio ? QStringLiteral("no video stream (audio only)")
                                  : QStringLiteral("no video stream"));

    AVStream *stream = format->streams[streamIndex];
    const AVCodecParameters *par = stream->codecpar;
    info.container = QString::fromUtf8(format->iformat->name);
    info.codec = QString::fromUtf8(avcodec_get_name(par->codec_id));
    if (isImageDemuxer(format->iformat->name))
        return fail(QStringLiteral("it is an image (%1), not a video").arg(info.codec));

    timeBase = av_q2d(stream->time_base);
    // FFmpeg's guess (the stream's base rate r_frame_rate, with fixes for odd files) rather
    // than avg_frame_rate, which Matroska's millisecond timestamps skew (30 fps reads 1000/33).
    AVRational rate = av_guess_frame_rate(format, stream, nullptr);
    if (rate.num <= 0 || rate.den <= 0)
        rate = stream->avg_frame_rate;
    info.fps = rate.num > 0 && rate.den > 0 ? av_q2d(rate) : 0.0;
    if (stream->duration != AV_NOPTS_VALUE && stream->duration > 0)
        info.durationSeconds = double(stream->duration) * timeBase;
    else if (format->duration != AV_NOPTS_VALUE && format->duration > 0)
        info.durationSeconds = double(format->duration) / AV_TIME_BASE;
    frameCountExact = stream->nb_frames > 0;
    info.frameCount = frameCountExact ? shownFrameCount(stream)
                                      : std::llround(info.durationSeconds * info.fps);
    if (frameCountExact && info.frameCount == 1)
        return fail(QStringLiteral("a single %1 frame: it is an image, not a video").arg(info.codec));
    info.rotationDegrees = clockwiseRotation(stream);
    const bool swap = info.rotationDegrees == 90 || info.rotationDegrees == 270;
    info.width = swap ? par->height : par->width;
    info.height = swap ? par->width : par->height;
    if (par->width <= 0 || par->height <= 0)
        return fail(QStringLiteral("the video stream has no frame size"));
    // A header can claim any size; decoding it would exhaust memory before failing (issue 16).
    constexpr int64_t kMaxSide = 16384;
    if (par->width > kMaxSide || par->height > kMaxSide)
        return fail(QStringLiteral("frames of %1×%2 pixels are larger than the studio reads (at most %3 per side)")
                        .arg(par->width).arg(par->height).arg(kMaxSide));

    const AVCodec *decoder = avcodec_find_decoder(par->codec_id);
    if (!decoder)
        return fail(QStringLiteral("no decoder for the video codec %1").arg(info.codec));
    codec = avcodec_alloc_context3(decoder);
    packet = av_packet_alloc();
    frame = av_frame_alloc();
    if (!codec || !packet || !frame)
        return fail(QStringLiteral("out of memory"));
    ret = avcodec_parameters_to_context(codec, par);
    if (ret < 0)
        return fail(QStringLiteral("bad codec parameters (FFmpeg: %1)").arg(avErrorText(ret)));
    codec->pkt_timebase = stream->time_base;
    codec->thread_count = threads;
    codec->opaque = &decoderErrors;
    {
        std::lock_guard<std::mutex> lock(g_decodersMutex);
        g_decoders.insert(&decoderErrors);
    }
    ret = avcodec_open2(codec, decoder, nullptr);
    if (ret < 0)
        return fail(QStringLiteral("cannot open the %1 decoder (FFmpeg: %2)")
                        .arg(info.codec, avErrorText(ret)));
    // Other streams (audio, subtitles) are never decoded; let the demuxer drop them early.
    for (unsigned i = 0; i < format->nb_streams; ++i)
        if (int(i) != streamIndex)
            format->streams[i]->discard = AVDISCARD_ALL;

    // Decode the first frame now: it proves that the stream decodes, and its timestamp is
    // time 0. (The stream's start_time is not always the first frame's: AVI files with packed
    // B-frames, such as opencv-doc's Megamind.avi, give the first frame the second timestamp.)
    switch (decodeFrame()) {
    case Decoded::Frame:
        break;
    case Decoded::End:
        return fail(demuxError != 0 || damagedPackets > 0 || damagedFrames > 0
                        ? QStringLiteral("truncated or corrupt: no frame could be decoded")
                        : QStringLiteral("the video stream has no frames"));
    case Decoded::Error:
        return false;
    }
    const int64_t firstPts = framePts(frame);
    startPts = firstPts != AV_NOPTS_VALUE ? firstPts
        : stream->start_time != AV_NOPTS_VALUE ? stream->start_time : 0;
    // Demuxers seek by packet (decode) timestamps, which may start before the first frame's.
    rewindTs = stream->start_time != AV_NOPTS_VALUE ? std::min(startPts, stream->start_time)
                                                    : startPts;
    currentTime = 0;
    currentIndex = 0;
    nextIndex = 1;
    pending = true;
    return true;
}

VideoReader::VideoReader()
    : d(std::make_unique<Private>())
{
    // FFmpeg prints its own diagnostics to stderr ("moov atom not found", ...). The reader turns
    // failures into errorString(), so keep the console to the one line the caller shows.
    static std::once_flag quiet;
    std::call_once(quiet, [] { av_log_set_callback(countDecoderErrors); });
}

VideoReader::~VideoReader()
{
    d->release();
}

bool VideoReader::open(const QString &path)
{
    close();
    d->error.clear();
    d->info.path = path;
    const QFileInfo file(path);
    if (!file.exists())
        return d->fail(QStringLiteral("no such file"));
    // A FIFO or a device (a link to /dev/zero) would block FFmpeg forever (issue 16).
    if (const FileKind kind = fileKind(path); kind != FileKind::Regular)
        return d->fail(QStringLiteral("is %1, not a regular file").arg(describeFileKind(kind)));
    if (file.size() == 0)
        return d->fail(QStringLiteral("empty file"));
    // An absolute path, so that FFmpeg never reads "name:rest" as a protocol prefix.
    if (!d->openStreams(QFile::encodeName(file.absoluteFilePath()))) {
        const QString error = d->error;
        close();
        d->error = error;
        return false;
    }
    return true;
}

void VideoReader::close()
{
    d->release();
    d->info = VideoInfo();
}

bool VideoReader::isOpen() const
{
    return d->codec != nullptr && d->format != nullptr;
}

const VideoInfo &VideoReader::info() const
{
    return d->info;
}

bool VideoReader::readFrame(VideoFrame *frame)
{
    if (!isOpen()) {
        d->error = QStringLiteral("VideoReader: no video is open");
        return false;
    }
    d->error.clear();
    if (!d->pending) {
        if (d->atEnd) {
            d->error = d->endError;
            return false;
        }
        switch (d->decodeFrame()) {
        case Private::Decoded::Frame:
            break;
        case Private::Decoded::End:
            d->finishStream();
            return false;
        case Private::Decoded::Error:
            return false;
        }
    }
    d->pending = false;
    frame->timeSeconds = d->currentTime;
    frame->index = d->currentIndex;
    QString what;
    const bool ok = d->converter.convert(d->frame, d->info.rotationDegrees, &frame->image, &what);
    av_frame_unref(d->frame);
    return ok || d->fail(what);
}

bool VideoReader::seek(double seconds)
{
    if (!isOpen()) {
        d->error = QStringLiteral("VideoReader: no video is open");
        return false;
    }
    d->error.clear();
    if (std::isnan(seconds))
        return d->fail(QStringLiteral("cannot seek to an undefined time"));
    const double target = std::max(0.0, seconds);
    // The demuxer seeks to the keyframe at or before a timestamp; some (MP4 with B-frames)
    // index decode times, so the keyframe found may lie after the target. Then seek again from
    // further back, finally from the start, which always works.
    const double backoffs[] = {0.0, 1.0, 5.0, 30.0, std::numeric_limits<double>::infinity()};
    for (const double backoff : backoffs) {
        const double from = target - backoff;
        const bool fromStart = from <= 0.0;
        const int64_t timestamp = fromStart ? d->rewindTs
                                            : d->startPts + int64_t(std::floor(from / d->timeBase));
        const int ret = av_seek_frame(d->format, d->streamIndex, timestamp, AVSEEK_FLAG_BACKWARD);
        if (ret < 0)
            return d->fail(QStringLiteral("cannot seek to %1 s (FFmpeg: %2)")
                               .arg(target).arg(avErrorText(ret)));
        avcodec_flush_buffers(d->codec);
        av_frame_unref(d->frame);
        d->resetDecoding();
        d->nextIndex = -1; // number frames by their time until the first one is known
        bool first = true;
        bool retry = false;
        while (!retry) {
            switch (d->decodeFrame()) {
            case Private::Decoded::Error:
                return false;
            case Private::Decoded::End:
                if (first && !fromStart) {
                    retry = true;
                    break;
                }
                d->finishStream(); // nothing at or after the target: readFrame() ends
                d->error.clear();
                return true;
            case Private::Decoded::Frame:
                if (d->currentTime >= target - kTimeEpsilon) {
                    if (first && d->currentTime > target + kTimeEpsilon && !fromStart) {
                        retry = true; // landed after the target: frames before it were missed
                        break;
                    }
                    d->pending = true;
                    return true;
                }
                first = false;
                av_frame_unref(d->frame);
                break;
            }
        }
    }
    return d->fail(QStringLiteral("cannot seek to %1 s").arg(target));
}

void VideoReader::setDecoderThreads(int threads)
{
    d->threads = std::max(0, threads);
}

QString VideoReader::warningString() const
{
    return d->warning;
}

void VideoReader::setDamageThreshold(double percent)
{
    d->damageThreshold = std::clamp(percent, 0.0, 100.0);
}

int VideoReader::decoderThreads() const
{
    return d->threads;
}

QString VideoReader::errorString() const
{
    return d->error;
}

} // namespace fa
