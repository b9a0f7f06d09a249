#pragma once

#include <QString>
#include <QStringList>

namespace fa {

/// What a face image's file and folder names say about it.
struct FileNameLabels
{
    QString category; ///< canonical emotion category, lower case (knownEmotionCategories()); empty when unknown
    QString identity; ///< the person, from the rest of the file name; empty when unknown
};

/// Emotion category and identity from an image path, for datasets named like
/// "subject01_happy.png" (Yale faces), "happy.jpg" (face-api.js samples) or ".../angry/0001.png"
/// (one folder per category).
///
/// The base name (the file name without its last suffix, QFileInfo::completeBaseName()) is split
/// into tokens at every character that is not a letter or digit ('_', '-', ' ', '.', ...); a
/// letter/digit boundary does NOT split ("subject01" is one token). Tokens are matched
/// case-insensitively against a vocabulary with synonyms:
///
///   neutral   neutral, normal, calm          angry      angry, anger
///   happy     happy, happiness, joy,         disgusted  disgust, disgusted
///             smile, smiling                 fearful    fear, fearful, afraid, scared
///   sad       sad, sadness                   contempt   contempt
///   surprised surprise, surprised            sleepy     sleepy
///                                            wink       wink
///
/// The first matching token of the base name gives the category, and the identity is the other
/// base-name tokens in order joined with '_' (subject01_happy.png -> happy, "subject01";
/// happy.jpg -> happy, ""). When no base-name token matches, the parent folder's name is
/// tokenised and matched the same way and the identity stays empty (.../sad/img_01.png -> sad,
/// ""). Both empty when nothing matches. Backslashes count as folder separators. Pure function.
FileNameLabels labelsFromFileName(const QString &path);

/// The canonical category names, in the order of the table above: neutral, happy, sad,
/// surprised, angry, disgusted, fearful, contempt, sleepy, wink.
QStringList knownEmotionCategories();

} // namespace fa
