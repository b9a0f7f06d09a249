// The Animate workspace end to end on real input: liveportrait_d3 (wink, frown, surprise with
// an open mouth in its last 3 s) retargeted onto facecap (52 ARKit blendshapes).
#include "animate/animate_document.h"
#include "animate/animate_workspace.h"
#include "animate/channel_model.h"
#include "animate/export_dialog.h"
#include "animate/neural_preview_panel.h"
#include "animate/rig_animation.h"
#include "animate/video_panel.h"
#include "avatar/avatar.h"
#include "export/generic_csv.h"
#include "export/live_link_csv.h"
#include "main_window.h"
#include "project/project.h"
#include "render/offscreen_avatar_renderer.h"
#include "render_set_fixture.h"
#include "training/renderer_run_info.h"
#include "training/training_presets.h"
#include "training/training_run.h"
#include "test_files.h"
#include "timeline/time_axis.h"
#include "viewport/avatar_viewport.h"

#include <QApplication>
#include <QMessageBox>
#include <QMimeData>
#include <QSignalSpy>
#include <QStandardPaths>
#include <QTest>
#include <QTimer>
#include <QUndoStack>

#include <algorithm>
#include <cmath>

using namespace fa;
using namespace fa::ui;

namespace {

const QString kVideo = QStringLiteral("videos/liveportrait_d3.mp4");
const QString kAvatar = QStringLiteral("avatars/facecap/facecap_decoded.glb");
constexpr int kSolveTimeoutMs = 180000;

bool waitForSolve(AnimateWorkspace &workspace)
{
    QSignalSpy finished(&workspace, &AnimateWorkspace::solveFinished);
    if (!workspace.isSolving())
        return false;
    if (!finished.wait(kSolveTimeoutMs))
        return false;
    return finished.first().at(0).toBool();
}

// Closes the next modal dialog or message box after `action` has filled it in.
void whenModal(const std::function<void(QWidget *)> &action)
{
    QTimer::singleShot(0, [action] {
        QWidget *modal = QApplication::activeModalWidget();
        if (!modal) {
            whenModal(action);
            return;
        }
        action(modal);
    });
}

// Mean absolute difference (0..255, over RGB) of two same-size images inside `region`.
double meanDifference(const QImage &a, const QImage &b, const QRect &region)
{
    const QImage x = a.convertToFormat(QImage::Format_RGB888), y = b.convertToFormat(QImage::Format_RGB888);
    double sum = 0;
    qint64 n = 0;
    const QRect r = region.intersected(x.rect());
    for (int row = r.top(); row <= r.bottom(); ++row) {
        const uchar *p = x.constScanLine(row), *q = y.constScanLine(row);
        for (int col = r.left(); col <= r.right(); ++col)
            for (int c = 0; c < 3; ++c, ++n)
                sum += std::abs(int(p[3 * col + c]) - int(q[3 * col + c]));
    }
    return n ? sum / double(n) : 0.0;
}

// Pixel box of the vertices that `shape` moves by more than half its largest offset, seen by
// the viewport's camera (facecap: jawOpen's vertices are the chin, lips and teeth).
QRect shapeRegion(const AvatarViewport &viewport, const Avatar &avatar, const QString &shape, const QSize &pixels)
{
    const QMatrix4x4 mvp0 = viewport.camera().projection(float(pixels.width()) / pixels.height()) * viewport.camera().view();
    QRectF box;
    for (const AvatarMesh &mesh : avatar.meshes) {
        for (const MorphTarget &target : mesh.morphTargets) {
            if (target.name != shape)
                continue;
            const float limit = 0.5f * target.maxPositionDelta();
            const QMatrix4x4 mvp = mvp0 * mesh.transform;
            for (size_t v = 0; v < target.positionDeltas.size(); ++v) {
                if (target.positionDeltas[v].length() < limit)
                    continue;
                const QVector3D ndc = mvp.map(mesh.positions[v]);
                const QPointF p((ndc.x() + 1) * 0.5 * pixels.width(), (1 - ndc.y()) * 0.5 * pixels.height());
                box = box.isNull() ? QRectF(p, QSizeF(1, 1)) : box.united(QRectF(p, QSizeF(1, 1)));
            }
        }
    }
    return box.toAlignedRect();
}

} // namespace

class TestAnimateWorkspace : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void initTestCase();
    void cancelKeepsTheFramesSoFar();
    void solveShowsTheMouthOpening();
    void offscreenRendererMatchesTheWidget();
    void neuralPreviewFollowsTheMouth();
    void mannequinHeadWithoutAnAvatar();
    void keyEditUndoRedoWholeClip();
    void neutralFrameReSolves();
    void exportFromTheDialog_data();
    void exportFromTheDialog();
    void sessionSavedAndReopened();
    void dropVideoAndAvatarSolves();
    void studioAnimateOption();
    void cleanupTestCase();

private:
    int jawOpenChannel() const { return m_workspace->document()->animation().channelIndex(QStringLiteral("jawOpen")); }

    std::unique_ptr<Project> m_project;
    std::unique_ptr<AnimateWorkspace> m_workspace;
    int m_closedFrame = -1;
    int m_openFrame = -1;
};

void TestAnimateWorkspace::initTestCase()
{
    QStandardPaths::setTestModeEnabled(true);
    const QString dir = test::outputDir() + QStringLiteral("/project");
    QDir(dir).removeRecursively();
    QString error;
    m_project = Project::create(dir, &error);
    QVERIFY2(m_project, qPrintable(error));
    m_workspace = std::make_unique<AnimateWorkspace>();
    m_workspace->resize(1400, 900);
    m_workspace->setProject(m_project.get());
    m_workspace->show();
    QVERIFY(QTest::qWaitForWindowExposed(m_workspace.get()));
    QVERIFY(m_workspace->openAvatar(test::dataPath(kAvatar)));
    QVERIFY(m_workspace->openVideo(test::dataPath(kVideo)));
    // The curves fill in while solving: the document is reset with more and more frames.
    QList<int> lengths;
    connect(m_workspace->document(), &AnimateDocument::animationReset, this,
            [&] { lengths << m_workspace->document()->animation().frameCount(); });
    m_workspace->startSolve();
    QVERIFY(waitForSolve(*m_workspace));
    disconnect(m_workspace->document(), nullptr, this, nullptr);
    qInfo() << "frame counts seen while solving:" << lengths;
    QVERIFY(std::any_of(lengths.begin(), lengths.end(), [](int n) { return n > 0 && n < 354; }));
    QCOMPARE(lengths.last(), 354);
}

void TestAnimateWorkspace::cancelKeepsTheFramesSoFar()
{
    AnimateWorkspace workspace;
    workspace.show();
    QVERIFY(workspace.openVideo(test::dataPath(QStringLiteral("videos/liveportrait_d6.mp4"))));
    QSignalSpy finished(&workspace, &AnimateWorkspace::solveFinished);
    workspace.startSolve();
    QTRY_VERIFY_WITH_TIMEOUT(workspace.document()->animation().frameCount() > 30, kSolveTimeoutMs);
    workspace.cancelSolve();
    QVERIFY(finished.wait(kSolveTimeoutMs));
    QCOMPARE(finished.first().at(0).toBool(), false);
    QCOMPARE(finished.first().at(1).toBool(), true);
    const int frames = workspace.document()->animation().frameCount();
    QVERIFY2(frames > 30 && frames < 1008, qPrintable(QString::number(frames)));
    QVERIFY(!workspace.isSolving());
}

void TestAnimateWorkspace::solveShowsTheMouthOpening()
{
    const RigAnimation &animation = m_workspace->document()->animation();
    QCOMPARE(animation.frameCount(), 354);
    const int jaw = jawOpenChannel();
    QVERIFY(jaw >= 0);
    // The open mouth of the surprise (last 3 s) and a closed mouth (first 4 s).
    float best = -1, least = 2;
    for (int f = 0; f < animation.frameCount(); ++f) {
        const float v = animation.value(f, jaw);
        if (animation.frameTime(f) > animation.frameTime(animation.frameCount() - 1) - 3.0 && v > best) {
            best = v;
            m_openFrame = f;
        }
        if (animation.frameTime(f) < 4.0 && animation.faceFound(f) && v < least) {
            least = v;
            m_closedFrame = f;
        }
    }
    QVERIFY2(best > 0.5f && least < 0.05f, qPrintable(QStringLiteral("jawOpen open %1 closed %2").arg(best).arg(least)));

    AvatarViewport *viewport = m_workspace->viewport();
    m_workspace->setCurrentFrame(m_closedFrame);
    const QImage closedVideo = m_workspace->videoPanel()->currentImage();
    const QImage closed = viewport->grabFramebuffer();
    m_workspace->setCurrentFrame(m_openFrame);
    const QImage open = viewport->grabFramebuffer();
    QVERIFY(!closed.isNull() && closed.size() == open.size());
    QVERIFY(m_workspace->videoPanel()->currentImage() != closedVideo);

    const QRect mouth = shapeRegion(*viewport, *m_workspace->avatar(), QStringLiteral("jawOpen"), closed.size());
    QVERIFY2(mouth.width() > 10 && mouth.height() > 10, qPrintable(QStringLiteral("mouth region %1x%2")
                                                                      .arg(mouth.width()).arg(mouth.height())));
    const double inMouth = meanDifference(closed, open, mouth);
    const QRect top(0, 0, closed.width(), mouth.top() / 3); // above the face's upper third: background, hair
    const double above = meanDifference(closed, open, top);
    qInfo("mouth region %dx%d at (%d,%d): mean difference %.1f; top band %.2f", mouth.width(), mouth.height(),
          mouth.x(), mouth.y(), inMouth, above);
    QVERIFY(inMouth > 5.0);
    QVERIFY(inMouth > 5 * above);
}

void TestAnimateWorkspace::offscreenRendererMatchesTheWidget()
{
    AvatarViewport *viewport = m_workspace->viewport();
    m_workspace->setCurrentFrame(m_openFrame);
    const QImage widget = viewport->grabFramebuffer().convertToFormat(QImage::Format_RGB888);
    OffscreenAvatarRenderer offscreen;
    QString error;
    QVERIFY2(offscreen.initialize(&error), qPrintable(error));
    offscreen.setAvatar(viewport->avatar());
    const QImage image = offscreen.render(m_workspace->rigValuesAt(m_openFrame), viewport->camera(), widget.size())
                             .convertToFormat(QImage::Format_RGB888);
    QVERIFY2(!image.isNull(), qPrintable(offscreen.errorString()));
    QCOMPARE(image.size(), widget.size());
    int worst = 0;
    for (int y = 0; y < image.height(); ++y)
        for (int x = 0; x < image.width() * 3; ++x)
            worst = std::max(worst, std::abs(int(image.constScanLine(y)[x]) - int(widget.constScanLine(y)[x])));
    qInfo("largest channel difference offscreen vs widget: %d", worst);
    QVERIFY(worst <= 2);
}

void TestAnimateWorkspace::neuralPreviewFollowsTheMouth()
{
    // A tiny neural renderer of the mannequin head, trained here into the project's runs/.
    const QString set = test::outputDir() + QStringLiteral("/mannequin_set");
    QString error;
    QVERIFY2(test::makeMannequinRenderSet(set, 400, 64, 3, &error), qPrintable(error));
    TrainingConfig config = *trainingPreset(QStringLiteral("renderer"), QStringLiteral("tiny"));
    config.data = {set};
    config.steps = 200;
    config.sampleEvery = 0;
    config.evalEvery = 0;
    const QString runDir = m_project->directory() + QStringLiteral("/runs/mannequin-renderer");
    QDir(runDir).removeRecursively();
    std::unique_ptr<TrainingRun> run = TrainingRun::create(config, runDir, &error);
    QVERIFY2(run, qPrintable(error));
    QCOMPARE(int(run->run({}, &error)), int(TrainingRun::Outcome::Finished));

    // The panel lists the project's renderer runs and previews the newest.
    NeuralPreviewPanel *panel = m_workspace->neuralPreview();
    QSignalSpy loaded(panel, &NeuralPreviewPanel::modelLoaded);
    panel->setProject(m_project->directory());
    QCOMPARE(panel->listedRuns(), QStringList{QDir(runDir).absolutePath()});
    QVERIFY(loaded.wait(30000));
    QVERIFY(panel->hasModel());

    QSignalSpy updated(panel, &NeuralPreviewPanel::imageUpdated);
    m_workspace->setCurrentFrame(m_closedFrame);
    QVERIFY(updated.wait(30000));
    const QImage closed = panel->image();
    m_workspace->setCurrentFrame(m_openFrame);
    QVERIFY(updated.wait(30000));
    const QImage open = panel->image();
    QCOMPARE(closed.size(), QSize(64, 64));
    QCOMPARE(open.size(), closed.size());
    // The image changes where the mouth is (renderer.json's box), far less elsewhere.
    const std::optional<RendererRunInfo> info = RendererRunInfo::read(runDir, &error);
    QVERIFY2(info, qPrintable(error));
    const double inMouth = meanDifference(closed, open, info->mouthBox);
    // Against the background strips left and right of the face (the surprise of the open-mouth
    // frame also raises the brows and widens the eyes, so the upper face changes too).
    const double above = (meanDifference(closed, open, QRect(0, 0, 6, 64)) + meanDifference(closed, open, QRect(58, 0, 6, 64))) / 2;
    closed.save(test::outputDir() + QStringLiteral("/neural_closed.png"));
    open.save(test::outputDir() + QStringLiteral("/neural_open.png"));
    qInfo("neural preview: mouth box %dx%d mean difference %.1f, background strips %.2f", info->mouthBox.width(),
          info->mouthBox.height(), inMouth, above);
    QVERIFY(inMouth > 3.0);
    QVERIFY(inMouth > 2 * above);

    // Scrubbing: many requests while one renders end with the image of the last frame.
    for (int f = m_closedFrame; f <= m_openFrame; ++f)
        m_workspace->setCurrentFrame(f);
    QTRY_VERIFY_WITH_TIMEOUT(meanDifference(panel->image(), open, QRect(0, 0, 64, 64)) < 0.5, 30000);
}

void TestAnimateWorkspace::mannequinHeadWithoutAnAvatar()
{
    // A video alone (as `freeavatar-studio --animate VIDEO`) retargets onto the mannequin head.
    fa::studio::MainWindow window;
    window.show();
    QVERIFY(QTest::qWaitForWindowExposed(&window));
    QVERIFY(window.animate(test::dataPath(QStringLiteral("videos/liveportrait_d6.mp4")), QString()));
    AnimateWorkspace *workspace = window.animateWorkspace();
    QVERIFY(workspace->avatar());
    QVERIFY(workspace->avatarPath().isEmpty());
    QCOMPARE(workspace->avatar()->rig().controlCount(), 52);
    workspace->cancelSolve();
    const QImage image = workspace->viewport()->grabFramebuffer().convertToFormat(QImage::Format_RGB888);
    // Not only the background: the head covers a good part of the view.
    const QRgb background = image.pixel(0, 0);
    qint64 head = 0;
    for (int y = 0; y < image.height(); ++y)
        for (int x = 0; x < image.width(); ++x)
            head += image.pixel(x, y) != background ? 1 : 0;
    QVERIFY2(head > qint64(image.width()) * image.height() / 10, qPrintable(QString::number(head)));
}

void TestAnimateWorkspace::keyEditUndoRedoWholeClip()
{
    AnimateDocument *document = m_workspace->document();
    const int jaw = jawOpenChannel();
    const int frame = m_closedFrame;
    const RigAnimation before = document->animation();
    const std::vector<float> rigBefore = m_workspace->rigValuesAt(frame);

    document->setKeyValues({{jaw, {frame}}}, 0.9f);
    RigAnimation expected = before;
    KeyframeCurve curve = expected.curve(jaw);
    curve.setKey(frame, 0.9f);
    expected.setCurve(jaw, curve);
    const RigAnimation after = document->animation();
    QVERIFY(after == expected);
    QVERIFY(m_workspace->rigValuesAt(frame) != rigBefore);

    document->undoStack()->undo();
    QVERIFY(document->animation() == before);
    QVERIFY(m_workspace->rigValuesAt(frame) == rigBefore);
    document->undoStack()->redo();
    QVERIFY(document->animation() == after);
    document->undoStack()->undo();
    QVERIFY(document->animation() == before);
}

void TestAnimateWorkspace::neutralFrameReSolves()
{
    AnimateDocument *document = m_workspace->document();
    const int jaw = jawOpenChannel();
    const RigAnimation before = document->animation();
    m_workspace->setCurrentFrame(m_openFrame);
    QVERIFY(m_workspace->setNeutralToCurrentFrame());
    // The open mouth is now the rest pose: jawOpen there is (about) 0.
    const float reSolved = document->animation().value(m_openFrame, jaw);
    QVERIFY2(reSolved < 0.15f, qPrintable(QString::number(reSolved)));
    QVERIFY(!(document->animation() == before));
    document->undoStack()->undo();
    QVERIFY(document->animation() == before);
}

void TestAnimateWorkspace::exportFromTheDialog_data()
{
    QTest::addColumn<int>("format");
    QTest::addColumn<QString>("file");
    QTest::newRow("live link") << int(AnimationExportFormat::LiveLinkCsv) << QStringLiteral("d3_livelink.csv");
    QTest::newRow("generic") << int(AnimationExportFormat::GenericCsv) << QStringLiteral("d3_generic.csv");
    QTest::newRow("fbx") << int(AnimationExportFormat::Fbx) << QStringLiteral("d3.fbx");
}

void TestAnimateWorkspace::exportFromTheDialog()
{
    QFETCH(int, format);
    QFETCH(QString, file);
    const QString path = test::outputDir() + QLatin1Char('/') + file;
    QFile::remove(path);
    QString shown;
    whenModal([&](QWidget *modal) {
        auto *dialog = qobject_cast<ExportDialog *>(modal);
        QVERIFY(dialog);
        dialog->setFormat(AnimationExportFormat(format));
        dialog->setPath(path);
        dialog->setRange(100, 199);
        whenModal([&](QWidget *box) { // the message naming what was written
            auto *message = qobject_cast<QMessageBox *>(box);
            QVERIFY(message);
            shown = message->text();
            message->accept();
        });
        dialog->accept();
    });
    m_workspace->showExportDialog();
    QVERIFY2(shown.contains(path), qPrintable(shown));
    QVERIFY(QFileInfo::exists(path));

    const RigAnimation &animation = m_workspace->document()->animation();
    if (AnimationExportFormat(format) == AnimationExportFormat::Fbx) {
        QVERIFY(QFileInfo(path).size() > 100000);
        return; // FBX contents: tests/fbx (Blender and Assimp round trips)
    }
    QString error;
    const std::optional<AnimationClip> read = AnimationExportFormat(format) == AnimationExportFormat::LiveLinkCsv
                                                  ? LiveLinkCsv::read(path, &error)
                                                  : GenericCsv::read(path, &error);
    QVERIFY2(read, qPrintable(error));
    QCOMPARE(read->frameCount(), 100);
    const QString jawName = AnimationExportFormat(format) == AnimationExportFormat::LiveLinkCsv
                                ? QStringLiteral("jawOpen") : QStringLiteral("jawOpen"); // facecap spells it so too
    const int readJaw = read->controlIndex(jawName) >= 0 ? read->controlIndex(jawName)
                                                         : read->controlIndex(QStringLiteral("JawOpen"));
    QVERIFY(readJaw >= 0);
    for (int f = 0; f < 100; ++f)
        QVERIFY(std::abs(read->value(f, readJaw) - animation.value(100 + f, jawOpenChannel())) < 1e-4f);
}

void TestAnimateWorkspace::sessionSavedAndReopened()
{
    AnimateDocument *document = m_workspace->document();
    const int jaw = jawOpenChannel();
    document->setCalibration(jaw, {1.2f, -0.05f});
    m_workspace->channelModel()->setVisible(0, false);
    m_workspace->setCurrentFrame(123);
    QString error;
    QVERIFY2(m_workspace->saveSession(&error), qPrintable(error));
    const qint64 id = m_workspace->sessionId();
    const RigAnimation saved = document->animation();
    m_workspace->closeSession();
    QCOMPARE(m_workspace->document()->animation().frameCount(), 0);

    // A new workspace on the reopened project.
    m_workspace.reset();
    const QString dir = m_project->directory();
    m_project.reset();
    m_project = Project::open(dir, &error);
    QVERIFY2(m_project, qPrintable(error));
    m_workspace = std::make_unique<AnimateWorkspace>();
    m_workspace->resize(1400, 900);
    m_workspace->setProject(m_project.get());
    m_workspace->show();
    QVERIFY(QTest::qWaitForWindowExposed(m_workspace.get()));
    QVERIFY2(m_workspace->openSession(id, &error), qPrintable(error));
    QVERIFY(m_workspace->document()->animation() == saved);
    QCOMPARE(m_workspace->currentFrame(), 123);
    QVERIFY(!m_workspace->channelModel()->isVisible(0));
    QCOMPARE(QFileInfo(m_workspace->videoPath()).canonicalFilePath(), QFileInfo(test::dataPath(kVideo)).canonicalFilePath());
    QCOMPARE(QFileInfo(m_workspace->avatarPath()).canonicalFilePath(), QFileInfo(test::dataPath(kAvatar)).canonicalFilePath());
    QVERIFY(m_workspace->avatar());
    QVERIFY(!m_workspace->videoPanel()->currentImage().isNull());
    QVERIFY(m_workspace->setNeutralToCurrentFrame() || !m_workspace->document()->animation().faceFound(123));
}

void TestAnimateWorkspace::dropVideoAndAvatarSolves()
{
    AnimateWorkspace workspace;
    workspace.resize(1000, 700);
    workspace.show();
    QVERIFY(QTest::qWaitForWindowExposed(&workspace));
    QMimeData mime;
    mime.setUrls({QUrl::fromLocalFile(test::dataPath(kAvatar)), QUrl::fromLocalFile(test::dataPath(QStringLiteral("videos/liveportrait_d18.mp4")))});
    QDropEvent drop(QPointF(200, 200), Qt::CopyAction, &mime, Qt::LeftButton, Qt::NoModifier);
    // Straight to the widget's event(): QApplication drops a Drop event that no drag started.
    QVERIFY(static_cast<QObject &>(workspace).event(&drop));
    QVERIFY(drop.isAccepted());
    QVERIFY(workspace.avatar());
    QVERIFY(workspace.isSolving());
    QVERIFY(waitForSolve(workspace));
    QCOMPARE(workspace.document()->animation().frameCount(), 216);
}

void TestAnimateWorkspace::studioAnimateOption()
{
    fa::studio::MainWindow window;
    window.show();
    QVERIFY(window.animate(test::dataPath(QStringLiteral("videos/liveportrait_d18.mp4")), test::dataPath(kAvatar)));
    QCOMPARE(window.currentWorkspace(), fa::studio::MainWindow::Workspace::Animate);
    QVERIFY(waitForSolve(*window.animateWorkspace()));
    QCOMPARE(window.animateWorkspace()->document()->animation().frameCount(), 216);
}

void TestAnimateWorkspace::cleanupTestCase()
{
    m_workspace.reset();
    m_project.reset();
}

QTEST_MAIN(TestAnimateWorkspace)
#include "test_animate_workspace.moc"
