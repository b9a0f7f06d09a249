// The studio's file view, under xvfb-run: it reads files off the GUI thread and reports errors.
#include "file_info_view.h"

#include <QSignalSpy>
#include <QtTest>

class TestFileInfoView : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void showsFile_data();
    void showsFile();
    void reportsBadFile();
};

void TestFileInfoView::showsFile_data()
{
    QTest::addColumn<QString>("path");
    QTest::addColumn<QString>("expected");
    QTest::newRow("avatar") << QStringLiteral(FA_TEST_DATA_DIR "/avatars/facecap/facecap_decoded.glb")
                            << QStringLiteral("52 of 52 ARKit blendshapes");
    QTest::newRow("video") << QStringLiteral(FA_TEST_DATA_DIR "/videos/liveportrait_d0.mp4")
                           << QStringLiteral("Frames:    78");
}

void TestFileInfoView::showsFile()
{
    QFETCH(QString, path);
    QFETCH(QString, expected);
    fa::ui::FileInfoView view;
    view.resize(800, 600);
    view.show();
    QVERIFY(QTest::qWaitForWindowExposed(&view));
    QSignalSpy shown(&view, &fa::ui::FileInfoView::fileShown);
    view.showFile(path);
    QVERIFY(shown.wait(60000));
    QVERIFY2(view.text().contains(expected), qPrintable(view.text()));
}

void TestFileInfoView::reportsBadFile()
{
    fa::ui::FileInfoView view;
    QSignalSpy failed(&view, &fa::ui::FileInfoView::readFailed);
    const QString missing = QStringLiteral(FA_TEST_OUTPUT_DIR "/missing.glb");
    view.showFile(missing);
    QVERIFY(failed.wait(60000));
    QVERIFY(failed.first().first().toString().contains(missing));
}

QTEST_MAIN(TestFileInfoView)
#include "test_file_info_view.moc"
