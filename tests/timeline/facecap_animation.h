#pragma once
// The real capture the timeline tests edit: Face Cap's recorded ARKit weights in
// facecap_decoded.glb (fa::AvatarLoader::loadMorphAnimations), as a RigAnimation with dense keys.

#include "animate/rig_animation.h"
#include "avatar/avatar_loader.h"

#include <QString>

#include <optional>

namespace fa::test {

inline const std::optional<RigAnimation> &facecapAnimation()
{
    static const std::optional<RigAnimation> animation = []() -> std::optional<RigAnimation> {
        AvatarLoader loader;
        const std::vector<AnimationClip> clips
            = loader.loadMorphAnimations(QStringLiteral(FA_TEST_DATA_DIR "/avatars/facecap/facecap_decoded.glb"));
        if (clips.empty() || clips.front().frameCount() < 100)
            return std::nullopt;
        return RigAnimation::fromClip(clips.front());
    }();
    return animation;
}

} // namespace fa::test
