#include "dataset/content_hash.h"

#include "test_files.h"

#include <QtTest>

class TestContentHash : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void knownDigests_data();
    void knownDigests();
    void realImage();
    void errors();
};

void TestContentHash::knownDigests_data()
{
    QTest::addColumn<QByteArray>("content");
    QTest::addColumn<QByteArray>("digest"); // as printed by sha256sum

    QTest::newRow("empty") << QByteArray()
                           << QByteArray("e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
    QTest::newRow("text") << QByteArray("hello, faces\n")
                          << QByteArray("38c3a85070d2cc5b98e6a8f0a99963570f40a9699472b37aea38371c5a9569c4");
    // 3 MiB + 17 bytes of (7i + 3) mod 256: larger than any read buffer, so really streamed.
    QByteArray large(3 * 1024 * 1024 + 17, '\0');
    for (int i = 0; i < large.size(); ++i)
        large[i] = char((i * 7 + 3) % 256);
    QTest::newRow("3 MiB") << large
                           << QByteArray("af0420698203db612d2363019e5daab6c288a059aad9a9ee0270be2cd0f5bd4d");
}

void TestContentHash::knownDigests()
{
    QFETCH(QByteArray, content);
    QFETCH(QByteArray, digest);
    const QString path = fa::test::outputDir() + QStringLiteral("/content.bin");
    QVERIFY(fa::test::writeFile(path, content));
    QString error;
    const QByteArray hash = fa::fileContentHash(path, &error);
    QVERIFY2(error.isEmpty(), qPrintable(error));
    QCOMPARE(hash.size(), 64);
    QCOMPARE(hash, digest);
}

void TestContentHash::realImage()
{
    QString error;
    const QString path = fa::test::dataPath(QStringLiteral("images/yale_faces/subject01_happy.png"));
    QCOMPARE(fa::fileContentHash(path, &error),
             QByteArray("219c183a44447b277f1e63e6f44ae84020bbf51efb4409c5851979bebfa15d91"));
    // A copy under another name has the same hash; another face does not.
    const QString copy = fa::test::outputDir() + QStringLiteral("/renamed.png");
    QFile::remove(copy);
    QVERIFY(QFile::copy(path, copy));
    QCOMPARE(fa::fileContentHash(copy, &error), fa::fileContentHash(path, &error));
    QVERIFY(fa::fileContentHash(fa::test::dataPath(QStringLiteral("images/yale_faces/subject01_sad.png")), &error)
            != fa::fileContentHash(path, &error));
}

void TestContentHash::errors()
{
    QString error;
    const QString missing = fa::test::outputDir() + QStringLiteral("/missing.png");
    QVERIFY(fa::fileContentHash(missing, &error).isEmpty());
    QVERIFY2(error.startsWith(missing + QStringLiteral(": cannot read: ")), qPrintable(error));
    QVERIFY(error.size() > missing.size() + 15); // a reason follows

    const QString folder = fa::test::outputDir();
    QVERIFY(fa::fileContentHash(folder, &error).isEmpty());
    QCOMPARE(error, folder + QStringLiteral(": cannot read: it is a folder"));

    QVERIFY(fa::fileContentHash(missing).isEmpty()); // no error pointer: no crash
}

QTEST_GUILESS_MAIN(TestContentHash)
#include "test_content_hash.moc"
