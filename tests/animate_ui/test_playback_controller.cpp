// PlaybackController: J/K/L shuttle rates, stepping, ends, loop and real-time playback.
#include "animate/playback_controller.h"

#include <QSignalSpy>
#include <QTest>

using fa::ui::PlaybackController;

class TestPlaybackController : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void shuttleRates_data();
    void shuttleRates();
    void stepsStopAtTheEnds();
    void playsForwardAndLoops();
    void stopsAtTheEndWithoutLoop();
};

void TestPlaybackController::shuttleRates_data()
{
    QTest::addColumn<QString>("keys");
    QTest::addColumn<double>("rate");
    QTest::newRow("L") << QStringLiteral("L") << 1.0;
    QTest::newRow("LL") << QStringLiteral("LL") << 2.0;
    QTest::newRow("LLLL: 4x at most") << QStringLiteral("LLLL") << 4.0;
    QTest::newRow("J") << QStringLiteral("J") << -1.0;
    QTest::newRow("JJ") << QStringLiteral("JJ") << -2.0;
    QTest::newRow("LLJ: reverses at 1x") << QStringLiteral("LLJ") << -1.0;
    QTest::newRow("LK: stops") << QStringLiteral("LK") << 0.0;
    QTest::newRow("JJK") << QStringLiteral("JJK") << 0.0;
}

void TestPlaybackController::shuttleRates()
{
    QFETCH(QString, keys);
    QFETCH(double, rate);
    PlaybackController playback;
    playback.setClip(300, 30.0);
    playback.setCurrentFrame(150);
    for (const QChar key : keys) {
        if (key == QLatin1Char('L'))
            playback.shuttleForward();
        else if (key == QLatin1Char('J'))
            playback.shuttleBackward();
        else
            playback.pause();
    }
    QCOMPARE(playback.rate(), rate);
    QCOMPARE(playback.isPlaying(), rate != 0.0);
}

void TestPlaybackController::stepsStopAtTheEnds()
{
    PlaybackController playback;
    playback.setClip(10, 25.0);
    QSignalSpy requested(&playback, &PlaybackController::frameRequested);
    playback.stepBackward(); // at 0 already
    QCOMPARE(requested.takeLast().at(0).toInt(), 0);
    playback.stepForward();
    QCOMPARE(requested.takeLast().at(0).toInt(), 1);
    playback.goToEnd();
    QCOMPARE(requested.takeLast().at(0).toInt(), 9);
    playback.stepForward();
    QCOMPARE(requested.takeLast().at(0).toInt(), 9);
    playback.goToStart();
    QCOMPARE(requested.takeLast().at(0).toInt(), 0);
    playback.shuttleForward();
    playback.stepForward(); // stepping pauses
    QVERIFY(!playback.isPlaying());
}

void TestPlaybackController::playsForwardAndLoops()
{
    PlaybackController playback;
    playback.setClip(6, 60.0);
    playback.setLoop(true);
    playback.setCurrentFrame(3);
    QList<int> frames;
    connect(&playback, &PlaybackController::frameRequested, this, [&](int f) {
        frames << f;
        playback.setCurrentFrame(f); // as the workspace's time axis does
    });
    playback.play();
    QTRY_VERIFY_WITH_TIMEOUT(frames.size() >= 8, 20000);
    playback.pause();
    // Forward from 3, wrapping past 5 to 0: each frame is the previous + 1 (or more when a tick
    // came late), modulo 6.
    QVERIFY(frames.contains(0));
    QCOMPARE(frames.first(), 4);
    for (int i = 1; i < frames.size(); ++i)
        QVERIFY2((frames[i] - frames[i - 1] + 6) % 6 >= 1, qPrintable(QStringLiteral("%1 -> %2").arg(frames[i - 1]).arg(frames[i])));
}

void TestPlaybackController::stopsAtTheEndWithoutLoop()
{
    PlaybackController playback;
    playback.setClip(5, 60.0);
    playback.setLoop(false);
    QSignalSpy stopped(&playback, &PlaybackController::playingChanged);
    connect(&playback, &PlaybackController::frameRequested, &playback, &PlaybackController::setCurrentFrame);
    playback.play();
    QTRY_VERIFY_WITH_TIMEOUT(!playback.isPlaying(), 20000);
    QCOMPARE(playback.currentFrame(), 4);
    QCOMPARE(stopped.size(), 2); // started, stopped
}

QTEST_MAIN(TestPlaybackController)
#include "test_playback_controller.moc"
