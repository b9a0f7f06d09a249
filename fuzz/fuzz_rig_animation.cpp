// Fuzz target: RigAnimation::deserialize (core/animate/rig_animation_serialization.cpp, the
// animate-session blob) on arbitrary bytes. An animation it accepts must serialize back into
// bytes that deserialize equal; every query of it must stay in bounds.

#include "fuzz_support.h"

#include "animate/rig_animation.h"

#include <algorithm>

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    const QByteArray bytes = QByteArray::fromRawData(reinterpret_cast<const char *>(data), qsizetype(size));
    QString error;
    const std::optional<fa::RigAnimation> animation = fa::RigAnimation::deserialize(bytes, &error);
    FA_FUZZ_CHECK(animation || error.startsWith(QStringLiteral("animation data: ")));
    if (!animation)
        return 0;
    for (int frame = 0; frame < std::min(animation->frameCount(), 4); ++frame)
        (void)animation->frameValues(frame);
    (void)animation->toClip();
    const std::optional<fa::RigAnimation> again = fa::RigAnimation::deserialize(animation->serialize(), &error);
    FA_FUZZ_CHECK(again);
    FA_FUZZ_CHECK(again->serialize() == animation->serialize());
    return 0;
}
