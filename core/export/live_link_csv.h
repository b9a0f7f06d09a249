#pragma once

#include "animation/animation_clip.h"

#include <QString>

#include <optional>

namespace fa {

/// Reads and writes the CSV take files of Epic's Live Link Face iOS app (REFERENCE.md section 6).
///
/// Layout: the header `Timecode,BlendShapeCount,<52 PascalCase ARKit shapes>,HeadYaw,HeadPitch,
/// HeadRoll,LeftEyeYaw,LeftEyePitch,LeftEyeRoll,RightEyeYaw,RightEyePitch,RightEyeRoll`, then one
/// row per frame: the timecode, 61, the 52 weights in [0,1], the 9 rotations.
///
/// Rotations: the app fills them in Unreal Engine's AppleARKitFaceSupport plugin
/// (ToBlendShapeMap(), "Map the -180..180 range to -1..1"), i.e. value = Euler angle in degrees
/// / 180, so -1..1 stands for -180..180 degrees. Head rotation in the CSV is therefore
/// normalised, not radians or degrees: headYaw = 90 degrees is written 0.5. Signs are passed
/// through unchanged (the plugin negates yaw and roll for non-mirrored capture; the clip's
/// angles are taken to be in that same convention).
///
/// Timecode `HH:MM:SS:FF.fff`: FF is the frame within the second at the timecode rate, and the
/// digits after the point are a fraction of a frame (the sub-frame), not milliseconds: Unreal's
/// own ARKit CSV writer (FAppleARKitLiveLinkFileWriterCsv::BuildCsvRow in
/// AppleARKitLiveLinkSource.cpp) prints Frames + SubFrame with "%.3f". The app records at 60 fps
/// by default (30 is the other choice), and importers of these files such as the Maya
/// Live-Link-Face CSV importer key FF as 60 fps frames. Hence:
///     time = HH*3600 + MM*60 + SS + (FF + 0.fff) / rate.
///
/// Writing: the 52 weights come from the clip's controls named as ARKit shapes (any spelling
/// fa::arkit::indexOf() understands; canonical camelCase expected), clamped to [0,1]; shapes the
/// clip lacks are 0. HeadYaw/HeadPitch/HeadRoll, LeftEyeYaw/LeftEyePitch and
/// RightEyeYaw/RightEyePitch come from the clip's rotation channels of the same names
/// (fa::arkit::rotationChannelNames(), degrees) divided by 180; without them, and for the two
/// eye rolls, 0 is written. Other
/// controls are not written. Timecodes are the clip's frame times (seconds, time-of-day base
/// 00:00:00:00) at kTimecodeRate = 60 with the sub-frame in thousandths of a frame, so times
/// survive to 1/60000 s whatever the clip's fps. Values are fixed-point with up to 6 decimals,
/// '.' as decimal separator. Lines end in CRLF. Frames without a face are written with the
/// values the clip holds (the format has no flag for them). The file is written atomically.
/// Refused (false, nothing written): a frame time that is negative, not finite or 1e14 s or more.
///
/// Reading: column names match case-insensitively and blanks around names and values are
/// ignored; columns may come in any order; unknown columns (BlendShapeCount, the eye rolls,
/// anything else) are ignored; LF or CRLF. A Timecode column is required. The timecode rate is a
/// FrameRate column when there is one (Unreal's own CSV writer has it); otherwise the smallest
/// standard rate (24, 25, 30, 48, 50, 60, 72, 90, 100, 120, 240) above the largest FF in the
/// file, and at least 60 when the take does not cross a second boundary (the app's default).
/// A timecode that goes back by more than 12 hours is taken to have passed midnight. Refused:
/// hours above 1,000,000, an FF that is not a finite number, a FrameRate cell (other than empty
/// or 0) outside 1..1000, an FF not below the FrameRate; so every clip read can be written. The clip
/// gets the 52 canonical camelCase shapes (0 where the file has no column) followed by the
/// rotation channels the file has (headYaw ... rightEyePitch), in degrees (value x 180); every frame is
/// face-found; frame times are the timecodes in seconds (not rebased to 0); fps is estimated
/// from the times (estimateFrameRate()). Errors name the file and the line:
/// "PATH:LINE: what is wrong".
class LiveLinkCsv
{
public:
    /// Timecode rate of written files (frames per second of the FF field).
    static constexpr int kTimecodeRate = 60;

    static bool write(const QString &path, const AnimationClip &clip, QString *error = nullptr);
    static std::optional<AnimationClip> read(const QString &path, QString *error = nullptr);

    /// The 63 header names, in file order.
    static const QStringList &headerNames();
};

} // namespace fa
