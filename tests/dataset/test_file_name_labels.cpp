#include "dataset/file_name_labels.h"

#include "test_files.h"

#include <QDir>
#include <QRegularExpression>
#include <QtTest>

using fa::FileNameLabels;

class TestFileNameLabels : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void labels_data();
    void labels();
    void everyYaleFace();
    void faceApiSamples();
    void knownCategories();
};

void TestFileNameLabels::labels_data()
{
    QTest::addColumn<QString>("path");
    QTest::addColumn<QString>("category");
    QTest::addColumn<QString>("identity");

    auto row = [](const char *path, const char *category, const char *identity) {
        QTest::newRow(path) << QString::fromUtf8(path) << QString::fromUtf8(category) << QString::fromUtf8(identity);
    };
    // Yale faces: subjectNN_<expression>.png; "normal" means neutral.
    row("yale_faces/subject01_happy.png", "happy", "subject01");
    row("yale_faces/subject07_normal.png", "neutral", "subject07");
    row("yale_faces/subject15_wink.png", "wink", "subject15");
    row("yale_faces/subject03_sleepy.png", "sleepy", "subject03");
    row("/abs/subject12_surprised.png", "surprised", "subject12");
    // face-api.js samples: the category alone.
    row("faceapi_expressions/angry.jpg", "angry", "");
    row("faceapi_expressions/disgusted.jpg", "disgusted", "");
    row("faceapi_expressions/fearful.jpg", "fearful", "");
    row("happy.jpg", "happy", "");
    // pexels samples.
    row("pexels_expressions/happy-baby.jpeg", "happy", "baby");
    row("pexels_expressions/sad-baby.jpeg", "sad", "baby");
    row("pexels_expressions/surprised.jpeg", "surprised", "");
    row("pexels_expressions/group.jpeg", "", "");
    // Synonyms, case, separators, several tokens around the category.
    row("Anna_SMILING_02.JPG", "happy", "Anna_02");
    row("bob-Joy.png", "happy", "bob");
    row("carl fear take 3.png", "fearful", "carl_take_3");
    row("dora.scared.png", "fearful", "dora");
    row("eve__Anger__.png", "angry", "eve");
    row("frank_contempt.webp", "contempt", "frank");
    row("gina_calm.png", "neutral", "gina");
    row("gesicht_\xc3\xbc_sadness.png", "sad", "gesicht_\xc3\xbc");
    row("hal_surprise_happy.png", "surprised", "hal_happy"); // the first match wins
    row("C:\\faces\\ida_disgust.png", "disgusted", "ida");
    // From the folder: one folder per category, the file name says nothing.
    row("/data/fer/happy/0001.png", "happy", "");
    row("/data/ck/Surprise/S005_001.png", "surprised", "");
    row("/data/affect/08_Contempt/img.jpg", "contempt", "");
    row("C:\\data\\afraid\\x.png", "fearful", "");
    row("/data/sad/joe_happy.png", "happy", "joe"); // the base name wins over the folder
    // Negatives: no whole-token match.
    row("/data/unsorted/img_0001.png", "", "");
    row("subject01happy.png", "", "");           // no split at letter/digit or inside words
    row("unhappy_face.png", "", "");
    row("sadly/frame.png", "", "");
    row("happy_folder.d/", "happy", "");         // a folder path: its name is the "folder"
    row("", "", "");
}

void TestFileNameLabels::labels()
{
    QFETCH(QString, path);
    QFETCH(QString, category);
    QFETCH(QString, identity);
    const FileNameLabels labels = fa::labelsFromFileName(path);
    QCOMPARE(labels.category, category);
    QCOMPARE(labels.identity, identity);
}

void TestFileNameLabels::everyYaleFace()
{
    const QDir dir(fa::test::dataPath(QStringLiteral("images/yale_faces")));
    const QStringList names = dir.entryList(QDir::Files, QDir::Name);
    QCOMPARE(names.size(), 89);
    const QRegularExpression pattern(QStringLiteral("^(subject\\d\\d)_(\\w+)\\.png$"));
    QMap<QString, int> perCategory;
    for (const QString &name : names) {
        const QRegularExpressionMatch match = pattern.match(name);
        QVERIFY2(match.hasMatch(), qPrintable(name));
        const FileNameLabels labels = fa::labelsFromFileName(dir.filePath(name));
        QVERIFY2(fa::knownEmotionCategories().contains(labels.category), qPrintable(name));
        QCOMPARE(labels.identity, match.captured(1));
        const QString word = match.captured(2);
        QCOMPARE(labels.category, word == QLatin1String("normal") ? QStringLiteral("neutral") : word);
        ++perCategory[labels.category];
    }
    // 15 people x 6 expressions, one sad face missing.
    QCOMPARE(perCategory.size(), 6);
    QCOMPARE(perCategory.value(QStringLiteral("neutral")), 15);
    QCOMPARE(perCategory.value(QStringLiteral("sad")), 14);
}

void TestFileNameLabels::faceApiSamples()
{
    const QDir dir(fa::test::dataPath(QStringLiteral("images/faceapi_expressions")));
    const QStringList names = dir.entryList({QStringLiteral("*.jpg")}, QDir::Files, QDir::Name);
    QCOMPARE(names.size(), 7);
    for (const QString &name : names) {
        const FileNameLabels labels = fa::labelsFromFileName(dir.filePath(name));
        QCOMPARE(labels.category, QFileInfo(name).completeBaseName());
        QVERIFY(labels.identity.isEmpty());
    }
}

void TestFileNameLabels::knownCategories()
{
    const QStringList categories = fa::knownEmotionCategories();
    QCOMPARE(categories.size(), 10);
    QCOMPARE(categories.first(), QStringLiteral("neutral"));
    for (const QString &category : categories) {
        QCOMPARE(category, category.toLower());
        // Every canonical name is itself in the vocabulary.
        QCOMPARE(fa::labelsFromFileName(category + QStringLiteral(".png")).category, category);
    }
}

QTEST_GUILESS_MAIN(TestFileNameLabels)
#include "test_file_name_labels.moc"
