#pragma once

#include <QString>
#include <QtGlobal>

namespace fa {

/// What VideoReader::open() learnt about a video file. Sizes are as displayed, i.e. after the
/// rotation in `rotationDegrees` has been applied (a portrait phone clip stored as 1920x1080
/// with a 90 degree display matrix reports 1080x1920).
struct VideoInfo
{
    QString path;          ///< The file as given to open().
    QString container;     ///< FFmpeg demuxer name, e.g. "mov,mp4,m4a,3gp,3g2,mj2" or "avi".
    QString codec;         ///< FFmpeg codec name of the video stream, e.g. "h264".
    int width = 0;         ///< Pixels, as displayed (after rotation).
    int height = 0;        ///< Pixels, as displayed (after rotation).
    double fps = 0;        ///< Frames per second (av_guess_frame_rate: the base rate of the stream).
    /// Frames the video shows: exact when the container records it (MP4 sample tables, less
    /// the frames an edit list hides; AVI headers), otherwise durationSeconds * fps rounded
    /// (Matroska, WebM, raw streams).
    qint64 frameCount = 0;
    double durationSeconds = 0; ///< Of the video stream; the container's when the stream has none.
    /// Clockwise rotation, one of 0/90/180/270, that the display matrix asks for and that the
    /// reader applies to every frame (FFmpeg's convention: -av_display_rotation_get(), as in
    /// the `rotate` tag and ffmpeg's autorotate). Non-right angles are rounded to the nearest 90.
    int rotationDegrees = 0;
    bool hasAudio = false; ///< The file has at least one audio stream (the reader ignores it).
};

} // namespace fa
