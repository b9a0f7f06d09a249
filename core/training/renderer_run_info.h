#pragma once

#include <QByteArray>
#include <QRect>
#include <QString>
#include <QStringList>

#include <optional>

namespace fa {

/// What a neural-renderer run folder says about the avatar it renders: RUN_DIR/renderer.json,
/// written when the run starts, so that the run folder alone tells which rig its model.pt
/// takes and which image it gives (the Animate preview and the rig decoder read it).
///
///   {"format": "freeavatar-neural-renderer", "version": 1,
///    "controls": [names, the network's input order], "image_size": S, "width": ngf,
///    "avatar_name": ..., "avatar_path": ..., "render_set": DIR, "render_set_fingerprint": ...,
///    "mouth_box": [x0, y0, x1, y1], "eye_box": [...]}   (boxes in pixels of S, inclusive; [] = none)
struct RendererRunInfo
{
    QStringList controls;
    int imageSize = 0;
    int width = 0;
    QString avatarName;
    QString avatarPath;
    QString renderSet;
    QString renderSetFingerprint;
    QRect mouthBox;
    QRect eyeBox;

    static QString fileName() { return QStringLiteral("renderer.json"); }
    QByteArray toJson() const;
    /// nullopt + "what" for a file that is not such an object (unknown format, no controls,
    /// image size not 64/128/256, width < 1).
    static std::optional<RendererRunInfo> fromJson(const QByteArray &json, QString *error);
    /// RUN_DIR/renderer.json; errors "PATH: what".
    static std::optional<RendererRunInfo> read(const QString &runDir, QString *error);
    bool write(const QString &runDir, QString *error) const;
};

} // namespace fa
