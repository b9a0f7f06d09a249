// Frame time of the Animate workspace's avatar viewport while playing back (issue 5 target:
// >= 60 fps at 1280x720 with Rocketbox, 175 morph targets, under Mesa), and the offscreen
// renderer's images/s at 256x256 (the later training-image use).
//
// Input: a deterministic SYNTHETIC rig animation, for timing only: every frame each of the 52
// ARKit shapes gets w = 0.5 + 0.5 sin(2 pi (f/30 (0.3 + 0.1 (k mod 7)) + 0.37 k)), routed onto
// the avatar's controls with fa::RigMapping::fromArkit (Rocketbox: its 52 AK_* controls; the
// other 123 stay 0). Every weight changes every frame, so every frame re-blends the head mesh
// (about 40 of its 173 moving targets at a time) and re-uploads its vertices.
//
// What one frame costs ("frame" columns): from setRigValues() + update() until the viewport's
// frameSwapped() signal (Qt emits it once the top-level window has composed the widget's
// texture and returned from swapBuffers; with Mesa's software GLX the swap hands the image to
// the X server), then glFinish() in the widget's context so no GL work is left queued when the
// clock stops. In between the event loop runs paintGL() (CPU blend, vertex upload, draw into the
// widget's FBO) and Qt's composition. So a frame is what one step of playback costs, nothing
// deferred. "fps" = 1000 / median frame time. "render only" is makeCurrent() + setRigValues()
// + paintGL() + glFinish() (no composition, no swap); "blend" is MorphBlender::blend() alone.
// "cpu" columns: this process's CPU time per frame over all threads (llvmpipe rasterises on its
// own threads), a figure that depends less on other load than the wall-clock columns.
//
// Baselines in the same process: an empty viewport (clear + Qt's composition and swap: the
// part no renderer can avoid), the same viewport with a STATIC rig (the same values every
// frame: no blending, no upload) and the facecap head (4,368 vertices, one texture). Ratios are
// each row's median frame time over Rocketbox static's. Two more rows put the viewport inside a
// 1600x1000 window, as in the workspace: Qt then composes the whole window on every frame.
//
//   xvfb-run -a -s "-screen 0 1600x1000x24" bench_avatar_viewport [--runs N] [--frames N]

#include "avatar/avatar_loader.h"
#include "avatar/rig_mapping.h"
#include "common/arkit.h"
#include "render/morph_blender.h"
#include "render/offscreen_avatar_renderer.h"
#include "viewport/avatar_viewport.h"

#include "bench_statistics.h"

#include <QApplication>
#include <QElapsedTimer>
#include <QOpenGLContext>
#include <QOpenGLFunctions>
#include <QWindow>

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <ctime>
#include <vector>

using fa::bench::median;
using fa::bench::percentile;

namespace {

const QString kDataDir = QStringLiteral(FA_DATA_DIR);
constexpr double kPi = 3.14159265358979323846;

/// The synthetic animation: `frames` rig vectors for `avatar` (see the file comment); empty
/// vectors without an avatar.
std::vector<std::vector<float>> syntheticRig(const fa::Avatar *avatar, int frames)
{
    const fa::RigMapping mapping = avatar ? fa::RigMapping::fromArkit(avatar->rig()) : fa::RigMapping();
    std::vector<std::vector<float>> rig(size_t(frames), std::vector<float>(size_t(mapping.controlCount()), 0.0f));
    for (int f = 0; f < frames; ++f)
        for (int c = 0; c < mapping.controlCount(); ++c) {
            const int k = mapping.arkitIndexForControl(c);
            if (k >= 0)
                rig[size_t(f)][size_t(c)] = float(0.5 + 0.5 * std::sin(2 * kPi * (f / 30.0 * (0.3 + 0.1 * (k % 7)) + 0.37 * k)));
        }
    return rig;
}

/// Exposes paintGL() for the "render only" column.
class BenchViewport : public fa::ui::AvatarViewport
{
public:
    using AvatarViewport::paintGL;
};

struct Row
{
    const char *name;
    double frameMedian = 0, frameP95 = 0, frameCpu = 0, renderMedian = 0, renderP95 = 0, renderCpu = 0,
           blendMedian = 0;
};

/// CPU time of this process, all threads (llvmpipe rasterises on its own threads), in ms.
double processCpuMs()
{
    timespec t{};
    clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &t);
    return t.tv_sec * 1e3 + t.tv_nsec / 1e6;
}

void finish(BenchViewport &viewport)
{
    viewport.makeCurrent();
    viewport.context()->functions()->glFinish();
    viewport.doneCurrent();
}

Row measureViewport(const char *name, BenchViewport &viewport, std::shared_ptr<const fa::Avatar> avatar, bool playing,
                    int runs, int frames)
{
    viewport.setAvatar(avatar);
    const std::vector<std::vector<float>> rig = syntheticRig(avatar.get(), frames);
    int swaps = 0;
    const QMetaObject::Connection counting =
        QObject::connect(&viewport, &QOpenGLWidget::frameSwapped, &viewport, [&swaps] { ++swaps; });
    std::vector<double> frameMedians, frameP95s, frameCpus, renderMedians, renderP95s, renderCpus, blendMedians;
    for (int run = 0; run < runs; ++run) {
        std::vector<double> frameMs, renderMs, blendMs;
        double cpuStart = 0;
        for (int f = -10; f < frames; ++f) { // 10 warm-up frames
            if (f == 0)
                cpuStart = processCpuMs();
            const std::vector<float> &values = rig[size_t(playing ? std::max(f, 0) : 0)];
            QElapsedTimer timer;
            timer.start();
            const int before = swaps;
            viewport.setRigValues(values);
            viewport.update();
            while (swaps == before && timer.elapsed() < 2000)
                QApplication::processEvents(QEventLoop::AllEvents | QEventLoop::WaitForMoreEvents);
            finish(viewport);
            if (f >= 0)
                frameMs.push_back(timer.nsecsElapsed() / 1e6);
        }
        frameCpus.push_back((processCpuMs() - cpuStart) / frames);
        for (int f = -10; f < frames; ++f) {
            if (f == 0)
                cpuStart = processCpuMs();
            // Render only: the next frame's values so that "playing" blends every time.
            const std::vector<float> &values = rig[size_t(playing ? (std::max(f, 0) + 1) % frames : 0)];
            QElapsedTimer timer;
            timer.start();
            viewport.makeCurrent();
            viewport.setRigValues(values);
            viewport.paintGL();
            viewport.context()->functions()->glFinish();
            viewport.doneCurrent();
            if (f >= 0)
                renderMs.push_back(timer.nsecsElapsed() / 1e6);
        }
        renderCpus.push_back((processCpuMs() - cpuStart) / frames);
        // CPU blending alone (what "playing" adds before the upload).
        fa::MorphBlender blender;
        blender.setAvatar(avatar);
        for (int f = 0; f < frames; ++f) {
            QElapsedTimer timer;
            timer.start();
            blender.blend(rig[size_t(playing ? f : 0)]);
            blendMs.push_back(timer.nsecsElapsed() / 1e6);
        }
        QApplication::processEvents();
        frameMedians.push_back(percentile(frameMs, 0.5));
        frameP95s.push_back(percentile(frameMs, 0.95));
        renderMedians.push_back(percentile(renderMs, 0.5));
        renderP95s.push_back(percentile(renderMs, 0.95));
        blendMedians.push_back(percentile(blendMs, 0.5));
    }
    QObject::disconnect(counting);
    Row row{name};
    row.frameMedian = percentile(frameMedians, 0.5);
    row.frameP95 = percentile(frameP95s, 0.5);
    row.frameCpu = percentile(frameCpus, 0.5);
    row.renderCpu = percentile(renderCpus, 0.5);
    row.renderMedian = percentile(renderMedians, 0.5);
    row.renderP95 = percentile(renderP95s, 0.5);
    row.blendMedian = percentile(blendMedians, 0.5);
    return row;
}

/// Shows `viewport` (inside `window` when given) and waits until it can render.
bool showViewport(QWidget *window, BenchViewport &viewport)
{
    window->show();
    QElapsedTimer wait;
    wait.start();
    while ((!window->windowHandle() || !window->windowHandle()->isExposed() || !viewport.isValid())
           && wait.elapsed() < 5000)
        QApplication::processEvents(QEventLoop::AllEvents, 20);
    QApplication::processEvents();
    if (!viewport.isValid() || !viewport.errorString().isEmpty()) {
        std::printf("viewport: OpenGL unavailable: %s\n", qPrintable(viewport.errorString()));
        return false;
    }
    return true;
}

void benchViewport(const std::shared_ptr<const fa::Avatar> &rocketbox, const std::shared_ptr<const fa::Avatar> &facecap,
                   int runs, int frames)
{
    std::vector<Row> rows;
    {
        BenchViewport viewport;
        viewport.resize(1280, 720);
        if (!showViewport(&viewport, viewport))
            return;
        viewport.makeCurrent();
        QOpenGLFunctions *gl = viewport.context()->functions();
        std::printf("OpenGL: %s, %s; viewport %dx%d device pixels\n",
                    reinterpret_cast<const char *>(gl->glGetString(GL_RENDERER)),
                    reinterpret_cast<const char *>(gl->glGetString(GL_VERSION)),
                    qRound(viewport.width() * viewport.devicePixelRatioF()),
                    qRound(viewport.height() * viewport.devicePixelRatioF()));
        viewport.doneCurrent();
        rows.push_back(measureViewport("no avatar (clear + Qt composition)", viewport, nullptr, false, runs, frames));
        rows.push_back(measureViewport("Rocketbox, static rig (baseline)", viewport, rocketbox, false, runs, frames));
        rows.push_back(measureViewport("Rocketbox, playing", viewport, rocketbox, true, runs, frames));
        rows.push_back(measureViewport("facecap, static rig", viewport, facecap, false, runs, frames));
        rows.push_back(measureViewport("facecap, playing", viewport, facecap, true, runs, frames));
    }
    {
        // As in the workspace: the viewport is a child of a bigger window, and Qt composes the
        // whole window (its raster widgets' texture, then the viewport's) on every frame.
        QWidget window;
        window.resize(1600, 1000);
        BenchViewport viewport;
        viewport.setParent(&window);
        viewport.setGeometry(0, 0, 1280, 720);
        if (!showViewport(&window, viewport))
            return;
        rows.push_back(measureViewport("in 1600x1000 window: no avatar", viewport, nullptr, false, runs, frames));
        rows.push_back(measureViewport("in 1600x1000 window: Rocketbox", viewport, rocketbox, true, runs, frames));
    }

    std::printf("\nAvatar viewport 1280x720, %d runs x %d frames (medians over runs of each run's median / p95)\n",
                runs, frames);
    std::printf("%-34s %10s %10s %7s %10s %11s %11s %10s %9s %6s\n", "avatar, rig", "frame p50", "frame p95",
                "fps", "frame cpu", "render p50", "render p95", "render cpu", "blend p50", "ratio");
    const double base = rows[1].frameMedian;
    for (const Row &row : rows)
        std::printf("%-34s %8.2fms %8.2fms %7.1f %8.2fms %9.2fms %9.2fms %8.2fms %7.3fms %6.2f\n", row.name,
                    row.frameMedian, row.frameP95, 1000.0 / row.frameMedian, row.frameCpu, row.renderMedian,
                    row.renderP95, row.renderCpu, row.blendMedian, row.frameMedian / base);
    std::printf("(cpu: this process's CPU time per frame over all its threads, llvmpipe's included; the X\n"
                " server's copy of the swapped image is not counted. The last two rows: playing, the viewport\n"
                " inside a 1600x1000 top-level window)\n");
}

void benchOffscreen(const std::shared_ptr<const fa::Avatar> &rocketbox, const std::shared_ptr<const fa::Avatar> &facecap,
                    int runs, int frames)
{
    fa::OffscreenAvatarRenderer renderer;
    QString error;
    if (!renderer.initialize(&error)) {
        std::printf("offscreen: %s\n", qPrintable(error));
        return;
    }
    std::printf("\nOffscreen renderer 256x256 (render(rig, camera, size) -> QImage, read back included), "
                "%d runs x %d images\n", runs, frames);
    std::printf("%-34s %10s %10s %10s %8s\n", "avatar, rig", "image p50", "image p95", "images/s", "ratio");
    double base = 0;
    for (const auto &[name, avatar, playing] :
         {std::make_tuple("Rocketbox, static rig (baseline)", rocketbox, false),
          std::make_tuple("Rocketbox, playing", rocketbox, true), std::make_tuple("facecap, playing", facecap, true)}) {
        renderer.setAvatar(avatar);
        fa::OrbitCamera camera;
        camera.frame(renderer.faceCentre(), renderer.faceRadius());
        const std::vector<std::vector<float>> rig = syntheticRig(avatar.get(), frames);
        std::vector<double> medians, p95s, rates;
        for (int run = 0; run < runs; ++run) {
            std::vector<double> ms;
            QElapsedTimer total;
            for (int f = -5; f < frames; ++f) {
                if (f == 0)
                    total.start();
                QElapsedTimer timer;
                timer.start();
                const QImage image = renderer.render(rig[size_t(playing ? std::max(f, 0) : 0)], camera, QSize(256, 256));
                if (image.isNull()) {
                    std::printf("offscreen: %s\n", qPrintable(renderer.errorString()));
                    return;
                }
                if (f >= 0)
                    ms.push_back(timer.nsecsElapsed() / 1e6);
            }
            medians.push_back(percentile(ms, 0.5));
            p95s.push_back(percentile(ms, 0.95));
            rates.push_back(frames / (total.nsecsElapsed() / 1e9));
        }
        const double median = percentile(medians, 0.5);
        if (base == 0)
            base = median;
        std::printf("%-34s %8.2fms %8.2fms %10.1f %8.2f\n", name, median, percentile(p95s, 0.5),
                    percentile(rates, 0.5), median / base);
    }
}

} // namespace

int main(int argc, char **argv)
{
    QApplication app(argc, argv);
    int runs = 5, frames = 200;
    const QStringList args = app.arguments();
    for (int i = 1; i + 1 < args.size(); i += 2) {
        if (args[i] == QLatin1String("--runs"))
            runs = std::max(1, args[i + 1].toInt());
        else if (args[i] == QLatin1String("--frames"))
            frames = std::max(10, args[i + 1].toInt());
    }
    fa::AvatarLoader loader;
    std::shared_ptr<const fa::Avatar> rocketbox = loader.load(kDataDir + QStringLiteral("/avatars/rocketbox/Male_Adult_03_facial.fbx"));
    if (!rocketbox) {
        std::printf("%s\n", qPrintable(loader.errorString()));
        return 1;
    }
    std::shared_ptr<const fa::Avatar> facecap = loader.load(kDataDir + QStringLiteral("/avatars/facecap/facecap_decoded.glb"));
    if (!facecap) {
        std::printf("%s\n", qPrintable(loader.errorString()));
        return 1;
    }
    std::printf("Rocketbox: %d vertices, %d triangles, %d controls; facecap: %d vertices, %d triangles\n",
                rocketbox->vertexCount(), rocketbox->triangleCount(), rocketbox->rig().controlCount(),
                facecap->vertexCount(), facecap->triangleCount());
    std::printf("Rig input: synthetic sine pattern over the 52 ARKit shapes, for timing only.\n");
    benchViewport(rocketbox, facecap, runs, frames);
    benchOffscreen(rocketbox, facecap, runs, frames);
    return 0;
}
