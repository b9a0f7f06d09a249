#pragma once

#include "avatar/rig_definition.h"

#include <QString>
#include <QStringList>

#include <functional>
#include <optional>
#include <vector>

namespace fa {

/// Real rig curves for RigSampler's "real" share, read from videos and curve files and mapped
/// onto an avatar's rig.
///
/// Sources, by file name: `*.csv` is a curve file: a Live Link Face CSV (its header has a
/// Timecode column; LiveLinkCsv) or else a generic CSV (GenericCsv, e.g. `freeavatar retarget
/// --csv-format generic`); anything else is a video, run through the landmark solver as
/// `freeavatar retarget` does (Retargeter with its defaults, curves only).
///
/// Mapping onto the rig: a rig control takes the column of exactly its name (case-insensitive)
/// when the source has one; otherwise the column of the same ARKit shape in any spelling
/// (RigMapping's rule, core/avatar/rig_mapping.h); otherwise 0. Only frames with a face
/// (AnimationClip::faceFound) are kept; head rotation channels are not rig controls and are
/// dropped.
class RealRigCurves
{
public:
    /// Called with the overall fraction done in [0,1] and the file being read; return false to
    /// cancel (load() then fails with "canceled").
    using Progress = std::function<bool(double fraction, const QString &file)>;

    /// Frames (controlCount() values each, rig order) of every source, in order. nullopt +
    /// error "PATH: what is wrong" (unreadable file, a CSV error "PATH:LINE: ...", a video
    /// without a face, a source none of whose columns maps onto the rig).
    static std::optional<std::vector<std::vector<float>>> load(const QStringList &paths, const RigDefinition &rig,
                                                               const Progress &progress, QString *error);
};

} // namespace fa
