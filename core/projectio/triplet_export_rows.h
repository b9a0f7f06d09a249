#pragma once

#include "dataset/fec_triplet_csv.h"
#include "dataset/reference_triplet_csv.h"
#include "face/face_cropper.h"
#include "project/face_record.h"
#include "project/judgment_record.h"
#include "project/source_record.h"
#include "project/triplet_record.h"

#include <QString>

#include <functional>
#include <map>
#include <vector>

namespace fa {

class Project;

/// What the exports read from a project, read once.
struct ExportSnapshot
{
    std::map<qint64, FaceRecord> faces;     ///< by id
    std::map<qint64, SourceRecord> sources; ///< by id
    std::vector<TripletRecord> triplets;    ///< by id
    /// Standing non-skip judgments per triplet id, oldest first (by judgment id).
    std::map<qint64, std::vector<JudgmentRecord>> votes;
    /// How the project's crops frame their faces (projectCropFraming()).
    FaceCropper::Framing framing = FaceCropper::Framing::WholeFace;

    static ExportSnapshot read(Project &project);
};

/// The text a face is referred to by in an exported file (e.g. its crop path).
using ExportFacePath = std::function<QString(const FaceRecord &face)>;

struct ReferenceRowCounts
{
    int tripletsWithoutMajority = 0;  ///< judged, but no strictMajorityChoice()
    int tripletsWithoutJudgments = 0; ///< no standing non-skip judgment
};

/// One reference row per triplet whose standing non-skip judgments have a strict majority
/// (strictMajorityChoice(): >= 2 votes and more than half): the chosen (odd) face is the
/// negative, the other two, in position order, anchor and positive. In triplet id order.
std::vector<ReferenceTripletRow> referenceRows(const ExportSnapshot &snapshot, const ExportFacePath &path,
                                               ReferenceRowCounts *counts = nullptr);

/// One FEC row per triplet with at least one standing non-skip judgment, in triplet id order:
/// the three faces in position order with URL = path(face) and the face box in the crop
/// (normalisedBoxInCrop(); 0,1,0,1 when the face has no box), the triplet's type, and up to
/// six (annotator name, choice) pairs, oldest first.
std::vector<FecTripletRow> fecRows(const ExportSnapshot &snapshot, const ExportFacePath &path);

} // namespace fa
