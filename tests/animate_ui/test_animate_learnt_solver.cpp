// The Animate workspace with the learnt solver (under xvfb-run): an animator model of the
// project (a tiny encoder, a tiny mannequin renderer and a rig decoder, made here with the
// command line into the project's runs/) is offered for the mannequin head, solves
// liveportrait_d3 into curves on the avatar's own controls that drive the viewport, points the
// neural preview at the avatar's renderer, and is not offered for another avatar.
#include "animate/animate_document.h"
#include "animate/animate_workspace.h"
#include "animate/neural_preview_panel.h"
#include "animate/rig_animation.h"
#include "avatar/avatar.h"
#include "common/arkit.h"
#include "project/project.h"
#include "test_files.h"

#include <QDir>
#include <QProcess>
#include <QSignalSpy>
#include <QStandardPaths>
#include <QTest>

using namespace fa;
using namespace fa::ui;

namespace {

int cli(const QStringList &arguments, QString *output)
{
    QProcess process;
    process.start(QStringLiteral(FA_BIN_DIR "/freeavatar"), arguments);
    if (!process.waitForFinished(600000))
        return -1;
    *output = QString::fromUtf8(process.readAllStandardOutput() + process.readAllStandardError());
    return process.exitStatus() == QProcess::NormalExit ? process.exitCode() : -1;
}

} // namespace

class TestAnimateLearntSolver : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void initTestCase();
    void solvesWithTheAnimatorModel();
    void offeredOnlyForItsAvatars();

private:
    std::unique_ptr<Project> m_project;
    std::unique_ptr<AnimateWorkspace> m_workspace;
    QString m_animator;
    QString m_renderer;
};

void TestAnimateLearntSolver::initTestCase()
{
    QStandardPaths::setTestModeEnabled(true);
    const QString dir = test::outputDir() + QStringLiteral("/project");
    QDir(dir).removeRecursively();
    QString error;
    m_project = Project::create(dir, &error);
    QVERIFY2(m_project, qPrintable(error));
    const QString runs = dir + QStringLiteral("/runs/");
    const QString set = test::outputDir() + QStringLiteral("/mannequin_set");
    QDir(set).removeRecursively();
    m_renderer = runs + QStringLiteral("mannequin-renderer");
    m_animator = runs + QStringLiteral("animator");
    const QString encoder = runs + QStringLiteral("encoder");
    const QString video = test::dataPath(QStringLiteral("videos/liveportrait_d3.mp4"));
    QString output;
    QVERIFY2(cli({QStringLiteral("render-dataset"), QStringLiteral("--count"), QStringLiteral("200"), QStringLiteral("--size"),
                  QStringLiteral("64"), QStringLiteral("--out"), set}, &output) == 0, qPrintable(output));
    QVERIFY2(cli({QStringLiteral("train"), QStringLiteral("renderer"), QStringLiteral("--data"), set, QStringLiteral("--steps"),
                  QStringLiteral("30"), QStringLiteral("--set"), QStringLiteral("renderer_width=8"), QStringLiteral("--out"),
                  m_renderer, QStringLiteral("--quiet")}, &output) == 0, qPrintable(output));
    QVERIFY2(cli({QStringLiteral("train"), QStringLiteral("triplet"), QStringLiteral("--data"),
                  test::dataPath(QStringLiteral("images/yale_faces")), QStringLiteral("--steps"), QStringLiteral("2"),
                  QStringLiteral("--set"), QStringLiteral("image_size=64"), QStringLiteral("--set"), QStringLiteral("patch_size=8"),
                  QStringLiteral("--set"), QStringLiteral("embed_dim=64"), QStringLiteral("--set"), QStringLiteral("depth=2"),
                  QStringLiteral("--set"), QStringLiteral("num_heads=4"), QStringLiteral("--set"),
                  QStringLiteral("category_triplets=16"), QStringLiteral("--set"), QStringLiteral("batch_size=8"),
                  QStringLiteral("--out"), encoder, QStringLiteral("--quiet")}, &output) == 0, qPrintable(output));
    QVERIFY2(cli({QStringLiteral("train"), QStringLiteral("rig-decoder"), QStringLiteral("--encoder"), encoder,
                  QStringLiteral("--avatar"), QStringLiteral("mannequin:") + m_renderer, QStringLiteral("--data"), video,
                  QStringLiteral("--set"), QStringLiteral("video_frame_step=12"), QStringLiteral("--steps"), QStringLiteral("20"),
                  QStringLiteral("--out"), m_animator, QStringLiteral("--quiet")}, &output) == 0, qPrintable(output));

    m_workspace = std::make_unique<AnimateWorkspace>();
    m_workspace->resize(1400, 900);
    m_workspace->setProject(m_project.get());
    m_workspace->show();
    QVERIFY(QTest::qWaitForWindowExposed(m_workspace.get()));
    QVERIFY(m_workspace->openVideo(video)); // the mannequin head by default
}

void TestAnimateLearntSolver::solvesWithTheAnimatorModel()
{
    QCOMPARE(m_workspace->solverChoices(), (QStringList{QString(), QDir(m_animator).absolutePath()}));
    QVERIFY(m_workspace->setSolverChoice(QDir(m_animator).absolutePath()));
    QVERIFY(!m_workspace->setSolverChoice(QStringLiteral("/no/such/run")));
    QSignalSpy finished(m_workspace.get(), &AnimateWorkspace::solveFinished);
    m_workspace->startSolve();
    QVERIFY(m_workspace->isSolving());
    QVERIFY(finished.wait(180000));
    QVERIFY2(finished.first().at(0).toBool(), qPrintable(finished.first().at(2).toString()));
    QVERIFY(m_workspace->isLearntSession());

    // Curves on the avatar's own controls, then the head rotations; they drive the viewport.
    const RigAnimation &animation = m_workspace->document()->animation();
    const QStringList controls = m_workspace->avatar()->rig().names();
    QCOMPARE(animation.controlNames(), controls + arkit::rotationChannelNames());
    QCOMPARE(animation.frameCount(), 354);
    const int jaw = animation.channelIndex(QStringLiteral("jawOpen"));
    QVERIFY(jaw >= 0);
    for (const int frame : {0, 100, 300}) {
        const std::vector<float> rig = m_workspace->rigValuesAt(frame);
        QCOMPARE(rig[std::size_t(m_workspace->avatar()->rig().indexOf(QStringLiteral("jawOpen")))], animation.value(frame, jaw));
    }
    // The neural preview shows the decoder's rig through the avatar's renderer.
    QCOMPARE(m_workspace->neuralPreview()->run(), QDir(m_renderer).absolutePath());

    // Back to the landmark solver: ARKit curves again.
    QVERIFY(m_workspace->setSolverChoice(QString()));
    QSignalSpy again(m_workspace.get(), &AnimateWorkspace::solveFinished);
    m_workspace->startSolve();
    QVERIFY(again.wait(180000));
    QVERIFY(!m_workspace->isLearntSession());
    QCOMPARE(m_workspace->document()->animation().controlNames().mid(0, 52), arkit::canonicalNames());
}

void TestAnimateLearntSolver::offeredOnlyForItsAvatars()
{
    QVERIFY(m_workspace->openAvatar(test::dataPath(QStringLiteral("avatars/facecap/facecap_decoded.glb"))));
    QCOMPARE(m_workspace->solverChoices(), QStringList{QString()});
}

QTEST_MAIN(TestAnimateLearntSolver)
#include "test_animate_learnt_solver.moc"
