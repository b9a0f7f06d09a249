// Speed and memory of the landmark retarget path on the shared videos.
//
// For every video: decode only, decode + face detection on every frame, the landmark retarget
// without the gaze measurement (the pipeline before it: RetargetOptions::measureGaze off), the
// whole landmark retarget (Retargeter: decode, detect/track, landmarks, gaze, solve, smooth),
// and the command line's batch retarget (no landmarks kept, Live Link CSV written). Each
// measurement runs in a forked child pinned to one CPU core, so that its frames/s is a
// one-core figure and its peak resident memory (wait4's ru_maxrss) is its own. Prints the
// median of N runs and the ratio of each stage to decoding alone, measured in the same run.
//
// Long takes: --long N also retargets liveportrait_d6 repeated N times (FFmpeg's concat
// demuxer, a playlist written to the temporary folder at run time; 18 = 10 minutes,
// 108 = an hour), once, for the batch retarget's peak memory.
//
//   bench_retarget [--runs N] [--long N] [VIDEO...]   (default: ../shared/data/videos/*.mp4 + Megamind.avi)

#include "export/live_link_csv.h"
#include "face/face_detector.h"
#include "media/video_reader.h"
#include "retarget/retargeter.h"

#include <QCoreApplication>
#include <QDir>
#include <QElapsedTimer>
#include <QFile>
#include <QFileInfo>

#include <opencv2/core/utility.hpp>

#include <algorithm>
#include <cstdio>
#include <sched.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <unistd.h>
#include <vector>

namespace {

enum class Stage { Decode, Detect, RetargetNoGaze, Retarget, BatchCsv };
const char *const kStageNames[] = {"decode", "decode+detect", "retarget, no gaze", "retarget", "batch + CSV"};

struct Sample
{
    double framesPerSecond = 0;
    double steadyFramesPerSecond = 0; ///< Excluding set-up (opening, loading models).
    double peakMegabytes = 0;
    long frames = 0;
};

// Runs one stage on one video in this (child) process; returns frames processed and seconds.
// `setup` is the part of `seconds` spent before the first frame.
bool runStage(Stage stage, const QString &path, long *frames, double *seconds, double *setup)
{
    QElapsedTimer timer;
    timer.start();
    if (stage == Stage::Retarget || stage == Stage::RetargetNoGaze || stage == Stage::BatchCsv) {
        fa::RetargetOptions options;
        options.videoPath = path;
        options.measureGaze = stage != Stage::RetargetNoGaze;
        options.keepLandmarks = stage != Stage::BatchCsv; // as `freeavatar retarget --csv`
        fa::Retargeter retargeter;
        if (!retargeter.run(options))
            return false;
        *frames = retargeter.clip().frameCount();
        *setup = retargeter.setupSeconds();
        if (stage == Stage::BatchCsv
            && !fa::LiveLinkCsv::write(QDir::temp().filePath(QStringLiteral("fa-bench-retarget.csv")), retargeter.clip()))
            return false;
    } else {
        fa::VideoReader reader;
        if (!reader.open(path))
            return false;
        fa::FaceDetector detector;
        if (stage == Stage::Detect && !detector.setOptions({})) // loads dlib's model, as a retarget's set-up does
            return false;
        fa::VideoFrame frame;
        long n = 0;
        *setup = timer.nsecsElapsed() * 1e-9;
        while (reader.readFrame(&frame)) {
            if (stage == Stage::Detect)
                (void)detector.detectLargest(frame.image);
            ++n;
        }
        *frames = n;
    }
    *seconds = timer.nsecsElapsed() * 1e-9;
    return true;
}

// Forks, pins the child to one core, runs the stage there and collects its figures.
bool measure(Stage stage, const QString &path, Sample *sample)
{
    int fds[2];
    if (pipe(fds) != 0)
        return false;
    const pid_t pid = fork();
    if (pid == 0) {
        close(fds[0]);
        cpu_set_t one;
        CPU_ZERO(&one);
        CPU_SET(0, &one);
        sched_setaffinity(0, sizeof(one), &one);
        cv::setNumThreads(1);
        long frames = 0;
        double seconds = 0;
        double setup = 0;
        const bool ok = runStage(stage, path, &frames, &seconds, &setup);
        const double result[3] = {ok ? double(frames) : -1.0, seconds, setup};
        (void)!write(fds[1], result, sizeof(result));
        _exit(ok ? 0 : 1);
    }
    close(fds[1]);
    double result[3] = {-1, 0, 0};
    const bool got = read(fds[0], result, sizeof(result)) == sizeof(result);
    close(fds[0]);
    int status = 0;
    struct rusage usage = {};
    wait4(pid, &status, 0, &usage);
    if (!got || result[0] < 0 || !WIFEXITED(status) || WEXITSTATUS(status) != 0)
        return false;
    sample->frames = long(result[0]);
    sample->framesPerSecond = result[1] > 0 ? result[0] / result[1] : 0;
    sample->steadyFramesPerSecond = result[1] > result[2] ? result[0] / (result[1] - result[2]) : 0;
    sample->peakMegabytes = usage.ru_maxrss / 1024.0; // ru_maxrss is in kilobytes on Linux
    return true;
}

double median(std::vector<double> v)
{
    std::sort(v.begin(), v.end());
    return v.empty() ? 0 : v[v.size() / 2];
}

/// A concat-demuxer playlist of liveportrait_d6 `copies` times, in the temporary folder (the
/// video is linked beside it: the demuxer only takes plain relative names).
QString longTake(int copies)
{
    const QString dir = QDir::temp().filePath(QStringLiteral("fa-bench-long-take"));
    QDir().mkpath(dir);
    const QString video = dir + QStringLiteral("/d6.mp4");
    QFile::remove(video);
    QFile::link(QStringLiteral(FA_DATA_DIR "/videos/liveportrait_d6.mp4"), video);
    const QString playlist = dir + QStringLiteral("/d6x%1.ffconcat").arg(copies);
    QFile file(playlist);
    if (!file.open(QIODevice::WriteOnly))
        return {};
    file.write("ffconcat version 1.0\n");
    for (int i = 0; i < copies; ++i)
        file.write("file d6.mp4\n");
    return playlist;
}

} // namespace

int main(int argc, char *argv[])
{
    QCoreApplication app(argc, argv);
    QStringList args = app.arguments().mid(1);
    int runs = 5;
    const int runsAt = args.indexOf(QStringLiteral("--runs"));
    if (runsAt >= 0 && runsAt + 1 < args.size()) {
        runs = std::max(1, args[runsAt + 1].toInt());
        args.remove(runsAt, 2);
    }
    int copies = 0;
    const int longAt = args.indexOf(QStringLiteral("--long"));
    if (longAt >= 0 && longAt + 1 < args.size()) {
        copies = std::max(0, args[longAt + 1].toInt());
        args.remove(longAt, 2);
    }
    QStringList videos = args;
    if (videos.isEmpty()) {
        const QDir dir(QStringLiteral(FA_DATA_DIR "/videos"));
        for (const QString &name : dir.entryList({QStringLiteral("*.mp4")}, QDir::Files, QDir::Name))
            videos << dir.filePath(name);
        videos << QStringLiteral("/usr/share/doc/opencv-doc/examples/data/Megamind.avi");
    }

    std::printf("Landmark retarget, one core, median of %d runs (peak memory = max over runs)\n\n", runs);
    std::printf("frames/s counts the whole run; steady f/s leaves out set-up (opening the video, loading\n"
                "the detector and the 100 MB landmark model); 'vs decode' compares steady rates.\n\n");
    std::printf("%-30s %-18s %7s %10s %10s %10s %9s\n", "video", "stage", "frames", "frames/s", "steady f/s",
                "vs decode", "peak MB");
    for (const QString &video : videos) {
        double decodeFps = 0;
        for (Stage stage : {Stage::Decode, Stage::Detect, Stage::RetargetNoGaze, Stage::Retarget, Stage::BatchCsv}) {
            std::vector<double> fps;
            std::vector<double> steady;
            double peak = 0;
            long frames = 0;
            for (int r = 0; r < runs; ++r) {
                Sample s;
                if (!measure(stage, video, &s)) {
                    std::fprintf(stderr, "%s: %s failed\n", qPrintable(video), kStageNames[int(stage)]);
                    break;
                }
                fps.push_back(s.framesPerSecond);
                steady.push_back(s.steadyFramesPerSecond);
                peak = std::max(peak, s.peakMegabytes);
                frames = s.frames;
            }
            const double m = median(steady);
            if (stage == Stage::Decode)
                decodeFps = m;
            std::printf("%-30s %-18s %7ld %10.1f %10.1f %9.3fx %9.1f\n", qPrintable(QFileInfo(video).fileName()),
                        kStageNames[int(stage)], frames, median(fps), m, decodeFps > 0 ? m / decodeFps : 0.0, peak);
            std::fflush(stdout);
        }
    }
    if (copies > 0) {
        const QString playlist = longTake(copies);
        Sample s;
        if (playlist.isEmpty() || !measure(Stage::BatchCsv, playlist, &s)) {
            std::fprintf(stderr, "long take of %d copies failed\n", copies);
            return 1;
        }
        std::printf("\nLong take: liveportrait_d6 x %d (%ld frames, 480x480), batch retarget + CSV: %.1f frames/s, "
                    "peak %.1f MB\n", copies, s.frames, s.framesPerSecond, s.peakMegabytes);
    }
    return 0;
}
