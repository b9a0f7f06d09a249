#pragma once

// The real capture the Animate tests edit: facecap_decoded.glb's Face Cap animation, 335 frames
// of 52 ARKit weights (suffix spelling, eyeBlink_L) at 30 fps (SOURCES.md), loaded once.

#include "animation/animation_clip.h"
#include "avatar/avatar_loader.h"

#include <QString>

#include <cmath>

namespace fa::test {

inline QString facecapPath()
{
    return QStringLiteral(FA_TEST_DATA_DIR "/avatars/facecap/facecap_decoded.glb");
}

/// The capture, or an empty clip with `error` set.
inline AnimationClip facecapClip(QString *error)
{
    static QString loadError;
    static const AnimationClip clip = [] {
        AvatarLoader loader;
        std::vector<AnimationClip> clips = loader.loadMorphAnimations(facecapPath());
        if (clips.empty()) {
            loadError = loader.errorString().isEmpty()
                ? facecapPath() + QStringLiteral(": no morph animation")
                : loader.errorString();
            return AnimationClip();
        }
        return clips.front();
    }();
    if (error)
        *error = loadError;
    return clip;
}

/// `clip` with three head channels (degrees) appended: yaw/pitch/roll as slow sines.
inline AnimationClip withHeadChannels(const AnimationClip &clip)
{
    QStringList names = clip.controlNames();
    names << QStringLiteral("headYaw") << QStringLiteral("headPitch") << QStringLiteral("headRoll");
    AnimationClip result(names, clip.fps());
    std::vector<float> row;
    for (int f = 0; f < clip.frameCount(); ++f) {
        row.assign(clip.frame(f), clip.frame(f) + clip.controlCount());
        row.push_back(float(20.0 * std::sin(f * 0.05)));
        row.push_back(float(-10.0 * std::cos(f * 0.03)));
        row.push_back(float(5.0 * std::sin(f * 0.02)));
        result.appendFrame(clip.frameTime(f), row, clip.faceFound(f));
    }
    return result;
}

} // namespace fa::test
