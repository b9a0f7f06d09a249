// Repaint time of the Animate workspace's curve editor (widgets/timeline/curve_editor.h).
//
// Input: SYNTHETIC timing input, deterministic: C channels (the 52 ARKit names) x F dense frames
// (one key per frame, RigAnimation::fromClip), each channel a sum of two sines of channel-
// dependent period and phase plus uniform noise (+-0.04, std::mt19937 seed 12345), clamped to
// [0,1]. The values only need to look like a busy capture; they are not a recording.
//
// Measure: CurveEditor at 1600x400 showing every channel (ChannelModel defaults: all visible),
// shown under the offscreen platform (QT_QPA_PLATFORM=offscreen unless set otherwise); one
// sample = the wall time of QWidget::repaint() (a synchronous full paintEvent of the widget,
// including the paint into the platform's backing store), and the GUI thread's CPU time over
// the same call (on a shared, loaded machine the wall time includes waits for a core). Per
// scenario, R runs of N repaints; the table gives the median over runs of each run's median,
// p95 and max.
//   playback   the playhead advances one frame before each repaint (the curves' layer is
//              reused: only the layer blit and the playhead line are drawn)
//   zoom/pan   before each repaint the time axis zooms by 1.05 in or out about a moving
//              anchor and pans by 1 % of the span: every channel is re-sampled (min/max per
//              pixel column) and every curve redrawn
//   drag       before each repaint one key of one channel changes value (a drag of one key,
//              merged into one undo step): that channel is re-sampled, every curve redrawn
// Baselines in the same process: 1 channel x F frames, and C channels x F/10 frames.
//
//   bench_curve_editor [--runs R] [--repaints N] [--channels C] [--frames F]
// Prints a table; asserts nothing. Target (issue 5): p95 <= 16 ms for 52 x 10,000.

#include "animate/animate_document.h"
#include "animate/channel_model.h"
#include "animate/rig_animation.h"
#include "animation/animation_clip.h"
#include "common/arkit.h"
#include "timeline/curve_editor.h"
#include "timeline/time_axis.h"

#include "bench_statistics.h"

#include <QApplication>
#include <QElapsedTimer>

#include <algorithm>
#include <cmath>
#include <ctime>
#include <cstdio>
#include <cstring>
#include <random>
#include <vector>

using fa::bench::median;
using fa::bench::percentile;

namespace {

/// The synthetic capture described at the top of the file.
fa::RigAnimation syntheticAnimation(int channels, int frames)
{
    QStringList names;
    for (int c = 0; c < channels; ++c)
        names << (c < 52 ? fa::arkit::canonicalName(c) : QStringLiteral("control%1").arg(c));
    fa::AnimationClip clip(names, 30.0);
    std::mt19937 random(12345);
    std::uniform_real_distribution<float> noise(-0.04f, 0.04f);
    std::vector<float> row(static_cast<size_t>(channels), 0.0f);
    const double twoPi = 6.283185307179586;
    for (int f = 0; f < frames; ++f) {
        for (int c = 0; c < channels; ++c) {
            const double slow = 0.3 * std::sin(twoPi * f / (300.0 + 37.0 * c) + c);
            const double fast = 0.08 * std::sin(twoPi * f / (23.0 + c % 7) + 0.3 * c);
            row[size_t(c)] = std::clamp(float(0.45 + slow + fast) + noise(random), 0.0f, 1.0f);
        }
        clip.appendFrame(f / 30.0, row, true);
    }
    return fa::RigAnimation::fromClip(clip);
}

struct Stats
{
    double p50 = 0, p95 = 0, max = 0, cpu50 = 0, cpu95 = 0;
};

/// CPU time of the calling (GUI) thread, ms: what a repaint costs without the waits of a
/// shared machine.
double threadCpuMs()
{
    timespec t{};
    clock_gettime(CLOCK_THREAD_CPUTIME_ID, &t);
    return double(t.tv_sec) * 1e3 + double(t.tv_nsec) / 1e6;
}

enum class Scenario { Playback, ZoomPan, Drag };

const char *scenarioName(Scenario s)
{
    switch (s) {
    case Scenario::Playback: return "playback";
    case Scenario::ZoomPan: return "zoom/pan";
    case Scenario::Drag: return "drag";
    }
    return "";
}

/// R runs of N repaints of one scenario on a fresh editor; median over runs of each statistic.
Stats measure(const fa::RigAnimation &animation, Scenario scenario, int runs, int repaints, int *drawnChannels)
{
    std::vector<double> p50s, p95s, maxes, cpu50s, cpu95s;
    for (int run = 0; run < runs; ++run) {
        fa::AnimateDocument document;
        document.resetAnimation(animation);
        fa::ChannelModel model(&document);
        for (int c = 0; c < animation.channelCount(); ++c)
            model.setVisible(c, true);
        fa::ui::TimeAxis axis;
        axis.setFps(animation.fps());
        axis.setFrameCount(animation.frameCount());
        axis.showAll();
        fa::ui::CurveEditor editor(&document, &model, &axis);
        editor.resize(1600, 400);
        editor.show();
        QCoreApplication::processEvents();
        editor.repaint();  // warm: first layer and samples
        *drawnChannels = int(model.drawnChannels().size());
        const int mergeId = fa::AnimateDocument::nextMergeId();
        const int frames = animation.frameCount();
        std::vector<double> times, cpuTimes;
        times.reserve(size_t(repaints));
        cpuTimes.reserve(size_t(repaints));
        QElapsedTimer timer;
        for (int i = 0; i < repaints; ++i) {
            switch (scenario) {
            case Scenario::Playback:
                axis.setCurrentFrame((axis.currentFrame() + 1) % frames);
                break;
            case Scenario::ZoomPan: {
                const double anchor = axis.firstVisibleFrame() + axis.visibleFrameSpan() * (0.2 + 0.6 * (i % 7) / 6.0);
                axis.zoomBy((i / 20) % 2 == 0 ? 1.05 : 1.0 / 1.05, anchor);
                axis.panBy((i % 2 == 0 ? 0.01 : -0.01) * axis.visibleFrameSpan());
                break;
            }
            case Scenario::Drag:
                document.setKeyValues({{0, {frames / 2}}}, float(0.5 + 0.4 * std::sin(i * 0.1)), mergeId);
                break;
            }
            const double cpuStart = threadCpuMs();
            timer.start();
            editor.repaint();
            times.push_back(double(timer.nsecsElapsed()) / 1e6);
            cpuTimes.push_back(threadCpuMs() - cpuStart);
        }
        p50s.push_back(percentile(times, 0.5));
        p95s.push_back(percentile(times, 0.95));
        maxes.push_back(*std::max_element(times.begin(), times.end()));
        cpu50s.push_back(percentile(cpuTimes, 0.5));
        cpu95s.push_back(percentile(cpuTimes, 0.95));
    }
    return {median(p50s), median(p95s), median(maxes), median(cpu50s), median(cpu95s)};
}

int intArgument(int argc, char **argv, const char *name, int fallback)
{
    for (int i = 1; i + 1 < argc; ++i) {
        if (std::strcmp(argv[i], name) == 0)
            return std::max(1, std::atoi(argv[i + 1]));
    }
    return fallback;
}

} // namespace

int main(int argc, char **argv)
{
    if (qEnvironmentVariableIsEmpty("QT_QPA_PLATFORM"))
        qputenv("QT_QPA_PLATFORM", "offscreen");
    QApplication app(argc, argv);
    const int runs = intArgument(argc, argv, "--runs", 5);
    const int repaints = intArgument(argc, argv, "--repaints", 200);
    const int channels = intArgument(argc, argv, "--channels", 52);
    const int frames = intArgument(argc, argv, "--frames", 10000);

    struct Config
    {
        const char *label;
        int channels;
        int frames;
    };
    const Config configs[] = {
        {"target", channels, frames},
        {"baseline: 1 channel", 1, frames},
        {"baseline: frames/10", channels, std::max(2, frames / 10)},
    };

    std::printf("Curve editor repaint, 1600x400, QWidget::repaint() under QT_QPA_PLATFORM=%s\n",
                qgetenv("QT_QPA_PLATFORM").constData());
    std::printf("synthetic dense curves (sines + noise, seed 12345); %d runs x %d repaints; medians over runs\n\n",
                runs, repaints);
    std::printf("%-10s %-22s %8s %7s %8s %8s %8s %9s %9s %8s %8s\n", "scenario", "input", "channels", "frames",
                "p50 ms", "p95 ms", "max ms", "cpu p50", "cpu p95", "p50/1ch", "p50/F10");

    std::vector<fa::RigAnimation> animations;
    for (const Config &config : configs)
        animations.push_back(syntheticAnimation(config.channels, config.frames));

    for (Scenario scenario : {Scenario::Playback, Scenario::ZoomPan, Scenario::Drag}) {
        std::vector<Stats> stats;
        std::vector<int> drawn;
        for (const fa::RigAnimation &animation : animations) {
            int drawnChannels = 0;
            stats.push_back(measure(animation, scenario, runs, repaints, &drawnChannels));
            drawn.push_back(drawnChannels);
        }
        for (size_t i = 0; i < stats.size(); ++i) {
            std::printf("%-10s %-22s %8d %7d %8.3f %8.3f %8.3f %9.3f %9.3f %8.2f %8.2f\n", scenarioName(scenario),
                        configs[i].label, drawn[i], configs[i].frames, stats[i].p50, stats[i].p95, stats[i].max,
                        stats[i].cpu50, stats[i].cpu95, stats[i].p50 / std::max(stats[1].p50, 1e-9),
                        stats[i].p50 / std::max(stats[2].p50, 1e-9));
        }
    }
    std::printf("\ntarget: p95 <= 16 ms for %d channels x %d frames\n", channels, frames);
    return 0;
}
