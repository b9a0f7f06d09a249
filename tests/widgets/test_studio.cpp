// The studio's main window, under xvfb-run: `freeavatar-studio --project DIR --annotator NAME`
// opens straight into labelling, bad folders give a dialog, recent projects and the last
// workspace are remembered.
#include "file_info_view.h"
#include "label/label_workspace.h"
#include "label/labelling_view.h"
#include "label/triplet_canvas.h"
#include "label_test_project.h"
#include "main_window.h"
#include "recent_projects.h"
#include "test_files.h"

#include <QMessageBox>
#include <QTabWidget>
#include <QtTest>

using fa::studio::MainWindow;
using fa::studio::RecentProjects;

namespace {

/// Runs `action` while closing the first message box it opens; returns the box's text.
template<typename Action>
QString closingMessageBox(Action action)
{
    QString text;
    QTimer timer;
    timer.setInterval(20);
    QObject::connect(&timer, &QTimer::timeout, [&] {
        if (auto *box = qobject_cast<QMessageBox *>(QApplication::activeModalWidget())) {
            text = box->text();
            box->done(QMessageBox::Ok);
        }
    });
    timer.start();
    action();
    return text;
}

} // namespace

class TestStudio : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void initTestCase();
    void init() { QSettings().clear(); }
    void opensProjectIntoLabelling();
    void badFolderGivesDialog_data();
    void badFolderGivesDialog();
    void recentProjects();
    void remembersWorkspace();

private:
    QString m_project;
};

void TestStudio::initTestCase()
{
    QStandardPaths::setTestModeEnabled(true);
    QCoreApplication::setOrganizationName(QStringLiteral("FreeAvatarTest"));
    QCoreApplication::setApplicationName(QStringLiteral("test_studio"));
    m_project = fa::test::outputDir() + QStringLiteral("/project");
    QString error;
    QVERIFY2(fa::test::makeLabelProject(m_project, 12, 20, &error), qPrintable(error));
}

void TestStudio::opensProjectIntoLabelling()
{
    MainWindow window;
    window.setCurrentWorkspace(MainWindow::Workspace::Inspect);
    window.resize(1366, 768);
    window.show();
    QVERIFY(QTest::qWaitForWindowExposed(&window));
    QVERIFY(window.openProject(m_project, QStringLiteral("ann")));

    QCOMPARE(window.currentWorkspace(), MainWindow::Workspace::Label);
    fa::ui::LabellingView *view = window.labelWorkspace()->labellingView();
    QCOMPARE(window.labelWorkspace()->tabs()->currentWidget(), view);
    QCOMPARE(window.labelWorkspace()->annotator(), QStringLiteral("ann"));
    QVERIFY(view->currentTripletId() > 0);
    QTRY_COMPARE(view->paintedTripletId(), view->currentTripletId());
    for (int i = 0; i < 3; ++i) {
        const QRect tile = view->canvas()->tileRect(i);
        QVERIFY2(tile.width() >= 300, qPrintable(QStringLiteral("tile %1 is %2 px wide").arg(i).arg(tile.width())));
        QVERIFY(!view->canvas()->tile(i).image.isNull());
    }
    QVERIFY(window.windowTitle().contains(QStringLiteral("project")));
    QCOMPARE(RecentProjects::list().value(0), QDir::cleanPath(m_project));

    // The window's first key press goes to the labelling view.
    const qint64 shown = view->currentTripletId();
    QTest::keyClick(view, Qt::Key_2);
    QCOMPARE(int(window.labelWorkspace()->project()->judgments().all().size()), 1);
    QCOMPARE(window.labelWorkspace()->project()->judgments().all().front().tripletId, shown);
}

void TestStudio::badFolderGivesDialog_data()
{
    QTest::addColumn<QString>("folder");
    QTest::addColumn<QString>("databaseBytes"); // written as project.sqlite when not empty
    const QString base = fa::test::outputDir();
    QTest::newRow("missing folder") << base + QStringLiteral("/no such folder") << QString();
    QTest::newRow("not a project") << fa::test::dataPath(QStringLiteral("images/yale_faces")) << QString();
    QTest::newRow("damaged database") << base + QStringLiteral("/damaged") << QStringLiteral("not a database at all");
}

void TestStudio::badFolderGivesDialog()
{
    QFETCH(QString, folder);
    QFETCH(QString, databaseBytes);
    if (!databaseBytes.isEmpty()) {
        QDir().mkpath(folder);
        QVERIFY(fa::test::writeFile(folder + QStringLiteral("/project.sqlite"),
                                    databaseBytes.toUtf8().repeated(200)));
    }
    QString expected;
    QVERIFY(!fa::Project::open(folder, &expected));

    MainWindow window;
    window.show();
    QVERIFY(window.openProject(m_project, QStringLiteral("ann")));
    bool opened = true;
    const QString text = closingMessageBox([&] { opened = window.openProject(folder, QStringLiteral("ann")); });
    QVERIFY(!opened);
    QVERIFY2(text.contains(folder), qPrintable(text));
    QVERIFY2(text.contains(expected), qPrintable(text));
    // The project open before stays open and labelling goes on.
    QVERIFY(window.labelWorkspace()->project());
    QVERIFY(window.labelWorkspace()->labellingView()->currentTripletId() > 0);
}

void TestStudio::recentProjects()
{
    QStringList created;
    for (int i = 0; i < 10; ++i) {
        const QString dir = fa::test::outputDir() + QStringLiteral("/recent%1").arg(i);
        QDir(dir).removeRecursively();
        QString error;
        QVERIFY2(fa::Project::create(dir, &error), qPrintable(error));
        RecentProjects::add(dir);
        created.prepend(QDir::cleanPath(dir));
    }
    QCOMPARE(RecentProjects::list(), created.mid(0, RecentProjects::kMaximum));
    RecentProjects::add(created.at(5)); // moves to the front
    QCOMPARE(RecentProjects::list().first(), created.at(5));
    QVERIFY(QDir(created.at(1)).removeRecursively());
    const QStringList after = RecentProjects::list();
    QVERIFY(!after.contains(created.at(1)));
    QCOMPARE(after.size(), RecentProjects::kMaximum - 1);
    QCOMPARE(QSettings().value(QStringLiteral("recentProjects")).toStringList(), after);
}

void TestStudio::remembersWorkspace()
{
    {
        MainWindow window;
        window.show();
        window.setCurrentWorkspace(MainWindow::Workspace::Inspect);
        window.resize(900, 650);
        window.close();
    }
    MainWindow window;
    QCOMPARE(window.currentWorkspace(), MainWindow::Workspace::Inspect);
    QCOMPARE(window.size(), QSize(900, 650));
}

QTEST_MAIN(TestStudio)
#include "test_studio.moc"
