#include "dataset/file_name_labels.h"

#include <QFileInfo>

namespace fa {

namespace {

struct Synonym
{
    const char *word;
    const char *category;
};

// Every word that names a category, with the canonical name; lower case.
constexpr Synonym kVocabulary[] = {
    {"neutral", "neutral"},     {"normal", "neutral"},     {"calm", "neutral"},
    {"happy", "happy"},         {"happiness", "happy"},    {"joy", "happy"},
    {"smile", "happy"},         {"smiling", "happy"},      {"sad", "sad"},
    {"sadness", "sad"},         {"surprise", "surprised"}, {"surprised", "surprised"},
    {"angry", "angry"},         {"anger", "angry"},        {"disgust", "disgusted"},
    {"disgusted", "disgusted"}, {"fear", "fearful"},       {"fearful", "fearful"},
    {"afraid", "fearful"},      {"scared", "fearful"},     {"contempt", "contempt"},
    {"sleepy", "sleepy"},       {"wink", "wink"},
};

QStringList tokens(const QString &name)
{
    QStringList result;
    QString current;
    for (const QChar c : name) {
        if (c.isLetterOrNumber()) {
            current += c;
        } else if (!current.isEmpty()) {
            result << current;
            current.clear();
        }
    }
    if (!current.isEmpty())
        result << current;
    return result;
}

/// The canonical category of `token`, or an empty string.
QString categoryOf(const QString &token)
{
    const QString lower = token.toLower();
    for (const Synonym &entry : kVocabulary) {
        if (lower == QLatin1String(entry.word))
            return QString::fromLatin1(entry.category);
    }
    return QString();
}

} // namespace

FileNameLabels labelsFromFileName(const QString &path)
{
    QString normalised = path;
    normalised.replace(QLatin1Char('\\'), QLatin1Char('/'));
    const QFileInfo info(normalised);

    FileNameLabels labels;
    QStringList baseTokens = tokens(info.completeBaseName());
    for (int i = 0; i < baseTokens.size(); ++i) {
        labels.category = categoryOf(baseTokens[i]);
        if (!labels.category.isEmpty()) {
            baseTokens.removeAt(i);
            labels.identity = baseTokens.join(QLatin1Char('_'));
            return labels;
        }
    }

    const QString folder = QFileInfo(info.path()).fileName();
    for (const QString &token : tokens(folder)) {
        labels.category = categoryOf(token);
        if (!labels.category.isEmpty())
            return labels;
    }
    return labels;
}

QStringList knownEmotionCategories()
{
    return {QStringLiteral("neutral"),  QStringLiteral("happy"),     QStringLiteral("sad"),
            QStringLiteral("surprised"), QStringLiteral("angry"),    QStringLiteral("disgusted"),
            QStringLiteral("fearful"),  QStringLiteral("contempt"),  QStringLiteral("sleepy"),
            QStringLiteral("wink")};
}

} // namespace fa
