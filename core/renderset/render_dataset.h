#pragma once

#include "avatar/rig_definition.h"

#include <QByteArray>
#include <QRect>
#include <QString>

#include <optional>
#include <vector>

namespace fa {

/// A render set on disk (written by RenderDatasetWriter, `freeavatar render-dataset`): rig
/// vectors of one avatar and the images the studio's renderer made of them. Needs Qt Core only
/// (no GL). Layout of DIR:
///
///     dataset.json        format "freeavatar-render-set", version 1 (RenderDatasetWriter)
///     rigs.csv            header `image,<control names in rig order>`, then one row per image:
///                         `images/000000.png,<values with 6 decimals>` (RFC 4180, CRLF)
///     images/000000.png   RGB 8-bit PNG, imageSize() x imageSize()
///
/// open() checks: dataset.json is a complete set of this format and version; rigs.csv's
/// header names the rig's controls in order; every row has 1 + controlCount() columns; values
/// are finite numbers within the control's [minimum, maximum]; image paths are relative and
/// stay inside DIR (no "..", no absolute path, no drive); the image files exist (QFileInfo, not
/// decoded); the row count equals dataset.json's count.
class RenderDataset
{
public:
    static constexpr const char *kFormat = "freeavatar-render-set";
    static constexpr int kVersion = 1;

    /// Reads DIR/dataset.json and DIR/rigs.csv. nullopt + error "PATH: what" (PATH:LINE for
    /// CSV rows) when a check fails or a file cannot be read.
    static std::optional<RenderDataset> open(const QString &dir, QString *error);

    QString directory() const { return m_directory; } ///< absolute
    int imageSize() const { return m_imageSize; }      ///< side in pixels of every image
    const RigDefinition &rig() const { return m_rig; }
    QString avatarName() const { return m_avatarName; }
    QString avatarPath() const { return m_avatarPath; } ///< "" for the built-in mannequin head
    /// Region boxes in image pixels: x0, y0 inclusive (QRect: right()/bottom() inclusive); null
    /// when the avatar has no such region (rigs without ARKit names).
    QRect mouthBox() const { return m_mouthBox; }
    QRect eyeBox() const { return m_eyeBox; }
    qsizetype size() const { return qsizetype(m_rigs.size()); } ///< number of (rig, image) pairs
    /// Rig i, rig().controlCount() values; i in [0, size()).
    const std::vector<float> &rig(qsizetype i) const { return m_rigs[size_t(i)]; }
    /// Absolute path of image i's PNG.
    QString imagePath(qsizetype i) const;
    /// Hex SHA-1 over the bytes of dataset.json followed by those of rigs.csv.
    QByteArray fingerprint() const { return m_fingerprint; }

private:
    QString m_directory;
    int m_imageSize = 0;
    RigDefinition m_rig;
    QString m_avatarName;
    QString m_avatarPath;
    QRect m_mouthBox;
    QRect m_eyeBox;
    std::vector<std::vector<float>> m_rigs;
    std::vector<QString> m_images; // relative to m_directory
    QByteArray m_fingerprint;
};

} // namespace fa
