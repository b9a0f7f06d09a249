#pragma once

#include <QByteArray>
#include <QString>

namespace fa {

/// One retarget session of the Animate workspace (table `animate_sessions`, schema migration 3):
/// a video solved onto an avatar, with the per-frame measurements (so that a new neutral pose
/// re-solves without decoding the video) and the edited curves. The blobs are opaque to the
/// project store: their owners (core/retarget, core/animate, the workspace) version them.
struct AnimateSessionRecord
{
    qint64 id = 0;           ///< 0 (or negative) for a session not saved yet
    QString name;            ///< shown in the sessions list, e.g. "actor_take3 → facecap"
    /// Absolute paths as read back. The store keeps a path inside the project folder relative
    /// to it (the project can move with its files) and any other path absolute.
    QString videoPath;
    QString avatarPath;      ///< empty when no avatar was chosen
    QString solver = QStringLiteral("landmark"); ///< the solver that made the curves
    qint64 neutralFrame = -1; ///< video frame (0-based) of the neutral pose; -1 = automatic
    QByteArray measurements; ///< fa::ClipMeasurements::serialize()
    QByteArray animation;    ///< fa::RigAnimation::serialize() (curves, keys, gain/offset)
    QByteArray viewState;    ///< UI state as compact JSON (visible channels, colours, frame)
    qint64 createdAt = 0;    ///< milliseconds since the Unix epoch, UTC
    qint64 updatedAt = 0;    ///< set by every save
};

} // namespace fa
