#pragma once

#include "animation/animation_clip.h"

#include <QString>

#include <optional>

namespace fa {

/// A plain per-frame CSV of a clip's control curves, for spreadsheets, scripts and DCC tools
/// that do not speak Live Link Face, and for rigs whose controls are not ARKit shapes.
///
/// Layout (RFC 4180, UTF-8, CRLF line ends, '.' as decimal separator whatever the locale):
///
///     frame,time,face_found,<control 1>,<control 2>,...
///     0,0,1,0.125,0.5,...
///
/// - frame: 0-based frame index in the clip;
/// - time: the frame's time in seconds (as in the clip: from the start of the source video),
///   fixed-point with up to 6 decimals (microseconds);
/// - face_found: 1 when a face was found in that frame, 0 when not. An animator cleaning up the
///   curves needs to know which keys are measurements and which were filled in by the solver
///   (last solved pose or neutral), so the flag is a column of its own, third, before the curves;
/// - one column per control, named exactly as in the clip (the avatar's own control names),
///   quoted RFC 4180-style when a name holds a comma, a quote, a line break or outer blanks;
///   values in the control's unit (weights in [0,1], head angles in degrees), fixed-point with up
///   to 6 decimals, never an exponent.
///
/// Reading: column names match case-insensitively (blanks around them ignored); `time` is
/// required, `frame` is ignored (rows are frames in file order), `face_found` is optional
/// (missing: every frame has a face; any non-zero number counts as found); every other column is
/// a control, in header order. fps comes from the times (estimateFrameRate(), 30 for a single
/// frame). Errors name the file and the line: "PATH:LINE: what is wrong".
class GenericCsv
{
public:
    /// Writes atomically; false with `error` set when the file cannot be written.
    static bool write(const QString &path, const AnimationClip &clip, QString *error = nullptr);
    static std::optional<AnimationClip> read(const QString &path, QString *error = nullptr);
};

} // namespace fa
