#pragma once

#include <QByteArray>
#include <QString>
#include <QStringList>

#include <optional>
#include <vector>

namespace fa {

/// One avatar an animator model drives: its identity row and what its renderer was.
struct AnimatorAvatar
{
    QString name;                ///< the avatar's name (its renderer run's avatar_name)
    QString avatarPath;          ///< absolute; "" for the built-in mannequin head
    QString rendererRun;         ///< absolute renderer run folder used in training
    QString rendererFingerprint; ///< "sha256:<hex>" of that run's model.pt
    QStringList controls;        ///< the avatar's rig, n_k controls: the decoder's first n_k outputs
    int identity = 0;            ///< row of the identity table
};

/// What a rig-decoder run folder says about the model it trains, so that the run folder alone
/// is an "animator model" (REFERENCE.md section 5): RUN_DIR/animator.json, written when the run
/// starts, beside the decoder's model.pt (decoder and identity table).
///
///   {"format": "freeavatar-animator", "version": 1,
///    "encoder_run": DIR, "encoder_fingerprint": "sha256:...", "encoder_image_size": S,
///    "feature_size": D, "embedding_size": E, "expression_space": "embedding" | "pooled",
///    "rig_size": n_max, "identity_rows": T, "hidden_size": H, "blocks": K, "dropout": p,
///    "avatars": [{"name", "avatar_path", "renderer_run", "renderer_fingerprint", "controls",
///                 "identity"}, ...]}
struct AnimatorRunInfo
{
    QString encoderRun;
    QString encoderFingerprint;
    int encoderImageSize = 0;
    int featureSize = 0;
    int embeddingSize = 0;
    QString expressionSpace = QStringLiteral("embedding");
    int rigSize = 0;
    int identityRows = 0;
    int hiddenSize = 0;
    int blocks = 0;
    double dropout = 0;
    std::vector<AnimatorAvatar> avatars;

    static QString fileName() { return QStringLiteral("animator.json"); }

    /// The avatar of that name or avatar path (absolute, or "" / "mannequin" for the built-in
    /// head); nullptr when the model does not drive it.
    const AnimatorAvatar *findAvatar(const QString &nameOrPath) const;
    /// The avatars' names, for messages ("Mannequin, facecap").
    QStringList avatarNames() const;

    QByteArray toJson() const;
    /// nullopt + "what" for text that is not such an object (unknown format, no avatar, sizes
    /// below 1, an avatar with more controls than rig_size or an identity outside the table).
    static std::optional<AnimatorRunInfo> fromJson(const QByteArray &json, QString *error);
    /// RUN_DIR/animator.json (a checkpoint folder: the run folder's); errors "PATH: what".
    static std::optional<AnimatorRunInfo> read(const QString &runDir, QString *error);
    bool write(const QString &runDir, QString *error) const;
};

/// "sha256:<hex>" of a file's bytes (read in blocks); empty + "PATH: what" when unreadable.
QString fileFingerprint(const QString &path, QString *error);

} // namespace fa
