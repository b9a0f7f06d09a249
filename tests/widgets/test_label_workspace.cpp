// The Label workspace, under xvfb-run: statistics computed off the GUI thread, triplet
// sampling served at once, face import with FaceImporter on a worker thread.
#include "label/face_import_dialog.h"
#include "label/face_import_runner.h"
#include "label/label_workspace.h"
#include "label/labelling_view.h"
#include "label/statistics_panel.h"
#include "label/triplet_votes_dialog.h"
#include "label_test_project.h"
#include "test_files.h"

#include <QCheckBox>
#include <QComboBox>
#include <QDialogButtonBox>
#include <QLabel>
#include <QLineEdit>
#include <QMessageBox>
#include <QPushButton>
#include <QSpinBox>
#include <QSettings>
#include <QSignalSpy>
#include <QTableWidget>
#include <QtTest>

using fa::ui::LabelWorkspace;

namespace {

/// Shows `workspace` on a new empty project named `name` in the test's folder, as "ann".
/// Returns an empty string or what went wrong.
QString openEmptyProject(LabelWorkspace &workspace, const QString &name)
{
    const QString dir = fa::test::outputDir() + QLatin1Char('/') + name;
    QDir(dir).removeRecursively();
    QString error;
    std::unique_ptr<fa::Project> project = fa::Project::create(dir, &error);
    if (!project)
        return error;
    workspace.show();
    if (!workspace.setProject(std::move(project), QStringLiteral("ann"), &error))
        return error;
    return {};
}

} // namespace

class TestLabelWorkspace : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void initTestCase()
    {
        QStandardPaths::setTestModeEnabled(true);
        QSettings().remove(QStringLiteral("label/import")); // the import dialog's remembered settings
    }
    void statistics();
    void sampledTripletsAreServed();
    void importsFaces();
    void cancelsImport();
    void importDialogFindsEveryFace();
    void remembersAnnotator();
};

void TestLabelWorkspace::statistics()
{
    const QString dir = fa::test::outputDir() + QStringLiteral("/statistics");
    QString error;
    auto project = fa::test::makeLabelProject(dir, 12, 10, &error);
    QVERIFY2(project, qPrintable(error));
    // Two other annotators: agree on triplets 1-5, split on 6-10 (no strict majority).
    const std::vector<fa::TripletRecord> triplets = project->triplets().all();
    for (const QString &name : {QStringLiteral("bob"), QStringLiteral("cy")}) {
        const qint64 annotator = *project->judgments().annotatorId(name, &error);
        for (size_t i = 0; i < triplets.size(); ++i) {
            fa::JudgmentRecord j;
            j.tripletId = triplets[i].id;
            j.annotatorId = annotator;
            j.choice = i < 5 || name == QStringLiteral("bob") ? 1 : 2;
            QVERIFY2(project->judgments().record(j, &error), qPrintable(error));
        }
    }

    LabelWorkspace workspace;
    workspace.resize(1100, 700);
    workspace.show();
    fa::ui::StatisticsPanel *panel = workspace.statisticsPanel();
    QSignalSpy refreshed(panel, &fa::ui::StatisticsPanel::refreshed);
    QVERIFY2(workspace.setProject(std::move(project), QStringLiteral("ann"), &error), qPrintable(error));
    QVERIFY(refreshed.wait(20000));
    QVERIFY2(panel->summaryText().contains(QStringLiteral("Faces: 12")), qPrintable(panel->summaryText()));
    QVERIFY(panel->summaryText().contains(QStringLiteral("Triplets: 10")));
    QVERIFY(panel->summaryText().contains(QStringLiteral("Judgments: 20")));
    QCOMPARE(panel->annotatorTable()->rowCount(), 3); // ann, bob, cy
    QCOMPARE(panel->annotatorTable()->item(1, 0)->text(), QStringLiteral("bob"));
    QCOMPARE(panel->annotatorTable()->item(1, 1)->text(), QStringLiteral("10"));
    QCOMPARE(panel->lowAgreementTable()->rowCount(), 5);
    QCOMPARE(panel->lowAgreementTable()->item(0, 1)->text(), QStringLiteral("1 / 1 / 0"));

    // A double-click shows the triplet's crops and votes.
    const qint64 low = panel->lowAgreementTable()->item(0, 0)->data(Qt::UserRole).toLongLong();
    panel->showTriplet(low);
    auto *dialog = panel->findChild<fa::ui::TripletVotesDialog *>();
    QVERIFY(dialog);
    QVERIFY(dialog->caption(0).startsWith(QStringLiteral("1: 1 vote")));
    QVERIFY(dialog->caption(2).startsWith(QStringLiteral("3: 0 vote")));
    QVERIFY(!dialog->crop(1).isNull());
    dialog->close();

    // Refreshed by itself after refreshInterval() judgments.
    panel->setRefreshInterval(2);
    fa::ui::LabellingView *view = workspace.labellingView();
    for (int i = 0; i < 2; ++i) {
        QTRY_COMPARE(view->paintedTripletId(), view->currentTripletId());
        QTest::keyClick(view, Qt::Key_3);
    }
    QVERIFY(refreshed.wait(20000));
    QVERIFY2(panel->summaryText().contains(QStringLiteral("Judgments: 22")), qPrintable(panel->summaryText()));
}

void TestLabelWorkspace::sampledTripletsAreServed()
{
    const QString dir = fa::test::outputDir() + QStringLiteral("/sampling");
    QString error;
    auto project = fa::test::makeLabelProject(dir, 12, 3, &error);
    QVERIFY2(project, qPrintable(error));
    LabelWorkspace workspace;
    workspace.resize(1000, 600);
    workspace.show();
    QVERIFY(workspace.setProject(std::move(project), QStringLiteral("ann"), &error));
    fa::ui::LabellingView *view = workspace.labellingView();
    for (int i = 0; i < 3; ++i) {
        QTRY_COMPARE(view->paintedTripletId(), view->currentTripletId());
        QTest::keyClick(view, Qt::Key_1);
    }
    QCOMPARE(view->currentTripletId(), 0);

    fa::TripletSampler::Options options;
    options.count = 10;
    options.goldRate = 0.2;
    options.seed = 3;
    QSignalSpy sampled(&workspace, &LabelWorkspace::tripletsSampled);
    QVERIFY2(workspace.sampleTriplets(options, &error), qPrintable(error));
    QCOMPARE(sampled.count(), 1);
    QCOMPARE(sampled.first().first().toInt(), 10);
    QCOMPARE(workspace.project()->triplets().count(), 13);
    QCOMPARE(int(workspace.project()->triplets().goldAnswers().size()), 2);
    QVERIFY(view->currentTripletId() > 0);
    QTRY_COMPARE(view->paintedTripletId(), view->currentTripletId());
}

void TestLabelWorkspace::importsFaces()
{
    const QString bad = fa::test::outputDir() + QStringLiteral("/not_an_image.png");
    QVERIFY(fa::test::writeFile(bad, "this is text"));
    LabelWorkspace workspace;
    const QString opened = openEmptyProject(workspace, QStringLiteral("import"));
    QVERIFY2(opened.isEmpty(), qPrintable(opened));
    QSignalSpy finished(workspace.importRunner(), &fa::ui::FaceImportRunner::finished);
    const QStringList yale = fa::test::yaleFaceFiles(QStringLiteral(FA_TEST_DATA_DIR)).mid(0, 4);
    workspace.importFaces(yale + QStringList{bad});
    QVERIFY(finished.wait(120000));
    QVERIFY(finished.first().first().toBool());
    const fa::FaceImportReport &report = workspace.importRunner()->lastReport();
    QCOMPARE(report.filesImported, 4);
    QVERIFY(report.facesAdded >= 3);
    QCOMPARE(report.problems.size(), 1);
    QVERIFY(report.problems.first().startsWith(bad));
    QCOMPARE(workspace.project()->faces().faceCount(), qint64(report.facesAdded));

    // The summary dialog lists the problem under its details.
    QMessageBox *box = nullptr;
    QTRY_VERIFY((box = workspace.findChild<QMessageBox *>()) != nullptr);
    QVERIFY2(box->text().contains(QStringLiteral("Faces added: %1").arg(report.facesAdded)), qPrintable(box->text()));
    QVERIFY(box->detailedText().contains(bad));
    box->close();
}

void TestLabelWorkspace::cancelsImport()
{
    LabelWorkspace workspace;
    const QString opened = openEmptyProject(workspace, QStringLiteral("cancel"));
    QVERIFY2(opened.isEmpty(), qPrintable(opened));
    workspace.importRunner()->setShowsReport(false);
    QSignalSpy finished(workspace.importRunner(), &fa::ui::FaceImportRunner::finished);
    QSignalSpy progressed(workspace.importRunner(), &fa::ui::FaceImportRunner::progressed);
    workspace.importFaces({fa::test::dataPath(QStringLiteral("images/yale_faces"))});
    QVERIFY(progressed.wait(60000)); // it is running
    workspace.importRunner()->cancel();
    QVERIFY(finished.wait(120000));
    const fa::FaceImportReport &report = workspace.importRunner()->lastReport();
    QVERIFY(report.cancelled);
    QVERIFY(report.filesImported < 89);
    QCOMPARE(workspace.project()->faces().faceCount(), qint64(report.facesAdded));
}

// Import Faces… opens the dialog; its face finder settings reach the importer; the log names
// every file: the group photo's faces, a photo without a face, an image below the minimum size.
void TestLabelWorkspace::importDialogFindsEveryFace()
{
    const QString photos = fa::test::outputDir() + QStringLiteral("/photos");
    QDir(photos).removeRecursively();
    QVERIFY(QDir().mkpath(photos));
    const QImage group(fa::test::dataPath(QStringLiteral("images/pexels_expressions/group.jpeg")));
    QVERIFY(!group.isNull());
    QVERIFY(group.save(photos + QStringLiteral("/group.jpg"), "JPG", 95));
    QVERIFY(group.copy(0, 600, 1280, 253).save(photos + QStringLiteral("/table.jpg"), "JPG", 95));
    QVERIFY(group.copy(150, 230, 200, 200).scaled(30, 30).save(photos + QStringLiteral("/tiny.png")));

    LabelWorkspace workspace;
    const QString opened = openEmptyProject(workspace, QStringLiteral("dialog"));
    QVERIFY2(opened.isEmpty(), qPrintable(opened));
    QAction *import = workspace.projectActions().first();
    QCOMPARE(import->text(), QStringLiteral("&Import Faces…"));
    import->trigger();
    fa::ui::FaceImportDialog *dialog = nullptr;
    QTRY_VERIFY((dialog = workspace.findChild<fa::ui::FaceImportDialog *>()) != nullptr);
    QPushButton *importButton = nullptr;
    for (QAbstractButton *button : dialog->findChild<QDialogButtonBox *>()->buttons())
        if (button->text() == QStringLiteral("&Import"))
            importButton = qobject_cast<QPushButton *>(button);
    QVERIFY(importButton);
    QVERIFY(!importButton->isEnabled()); // nothing to import yet
    dialog->addPaths({photos});
    QVERIFY(importButton->isEnabled());

    // YuNet without its model cannot start; with it, it can; back to dlib, the smallest face 60 px.
    auto *detector = dialog->findChild<QComboBox *>();
    auto *model = dialog->findChild<QLineEdit *>();
    auto *problem = dialog->findChild<QLabel *>(QStringLiteral("importProblem"));
    model->clear();
    detector->setCurrentIndex(1);
    QVERIFY(!importButton->isEnabled());
    QVERIFY2(problem->text().contains(QStringLiteral("model file")), qPrintable(problem->text()));
    model->setText(fa::test::dataPath(QStringLiteral("models/yunet/yunet_2022feb_120x160.onnx")));
    QVERIFY(importButton->isEnabled());
    QCOMPARE(dialog->options().faces.backend, fa::FaceDetector::Backend::YuNet);
    detector->setCurrentIndex(0);
    dialog->findChild<QSpinBox *>()->setValue(60);
    QCOMPARE(dialog->options().faces.minFaceSize, 60);
    QCOMPARE(dialog->options().faces.backend, fa::FaceDetector::Backend::DlibHog);

    QSignalSpy finished(workspace.importRunner(), &fa::ui::FaceImportRunner::finished);
    importButton->click();
    QVERIFY(finished.wait(120000));
    const fa::FaceImportReport &report = workspace.importRunner()->lastReport();
    QCOMPARE(report.filesImported, 3);
    QVERIFY2(report.facesAdded >= 3, qPrintable(fa::ui::FaceImportRunner::log(report)));
    QCOMPARE(report.imagesTooSmall, 1);
    QVERIFY(report.problems.isEmpty());
    QCOMPARE(fa::ui::FaceImportDialog::rememberedOptions().faces.minFaceSize, 60); // remembered

    QMessageBox *box = nullptr;
    QTRY_VERIFY((box = workspace.findChild<QMessageBox *>()) != nullptr);
    QVERIFY2(box->text().contains(QStringLiteral("Images smaller than the minimum face size: 1")), qPrintable(box->text()));
    const QString log = box->detailedText();
    QVERIFY2(log.contains(photos + QStringLiteral("/group.jpg: %1 faces found, %1 added").arg(report.facesAdded)), qPrintable(log));
    QVERIFY2(log.contains(photos + QStringLiteral("/table.jpg: no face found")), qPrintable(log));
    QVERIFY2(log.contains(photos + QStringLiteral("/tiny.png: 30x30 image, smaller than the minimum face size (60 px): skipped")),
             qPrintable(log));
    box->close();
}

void TestLabelWorkspace::remembersAnnotator()
{
    LabelWorkspace::setRememberedAnnotator(QStringLiteral("  dana "));
    QCOMPARE(LabelWorkspace::rememberedAnnotator(), QStringLiteral("dana"));
    const QString dir = fa::test::outputDir() + QStringLiteral("/remembered");
    QString error;
    auto project = fa::test::makeLabelProject(dir, 9, 3, &error);
    QVERIFY2(project, qPrintable(error));
    LabelWorkspace workspace;
    QVERIFY(workspace.setProject(std::move(project), QString(), &error)); // no dialog: remembered
    QCOMPARE(workspace.annotator(), QStringLiteral("dana"));
    auto again = fa::Project::open(dir, &error);
    QVERIFY(workspace.setProject(std::move(again), QStringLiteral("eve"), &error)); // the caller's name wins
    QCOMPARE(workspace.annotator(), QStringLiteral("eve"));
    QCOMPARE(LabelWorkspace::rememberedAnnotator(), QStringLiteral("dana"));
}

QTEST_MAIN(TestLabelWorkspace)
#include "test_label_workspace.moc"
