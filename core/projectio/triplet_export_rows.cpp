#include "projectio/triplet_export_rows.h"

#include "dataset/agreement.h"
#include "project/project.h"
#include "projectio/face_crop_geometry.h"

namespace fa {

ExportSnapshot ExportSnapshot::read(Project &project)
{
    ExportSnapshot snapshot;
    // One read transaction: in WAL mode every query below sees the same committed state, so a
    // triplet never names a face that another process added after the faces were read.
    const bool inTransaction = project.connection().exec(QStringLiteral("BEGIN"));
    for (FaceRecord &face : project.faces().faces())
        snapshot.faces.emplace(face.id, std::move(face));
    for (SourceRecord &source : project.faces().sources())
        snapshot.sources.emplace(source.id, std::move(source));
    snapshot.triplets = project.triplets().all();
    for (JudgmentRecord &judgment : project.judgments().all())
        if (!judgment.isSkip())
            snapshot.votes[judgment.tripletId].push_back(std::move(judgment));
    snapshot.framing = projectCropFraming(project);
    if (inTransaction)
        project.connection().exec(QStringLiteral("COMMIT"));
    return snapshot;
}

std::vector<ReferenceTripletRow> referenceRows(const ExportSnapshot &snapshot, const ExportFacePath &path,
                                               ReferenceRowCounts *counts)
{
    ReferenceRowCounts local;
    std::vector<ReferenceTripletRow> rows;
    for (const TripletRecord &triplet : snapshot.triplets) {
        const auto votes = snapshot.votes.find(triplet.id);
        if (votes == snapshot.votes.end()) {
            ++local.tripletsWithoutJudgments;
            continue;
        }
        std::array<int, 3> tally{};
        for (const JudgmentRecord &j : votes->second)
            if (j.choice >= 1 && j.choice <= 3)
                ++tally[size_t(j.choice - 1)];
        const std::optional<int> choice = strictMajorityChoice(tally);
        if (!choice) {
            ++local.tripletsWithoutMajority;
            continue;
        }
        QStringList others;
        for (int position = 1; position <= 3; ++position)
            if (position != *choice)
                others << path(snapshot.faces.at(triplet.faceIds[size_t(position - 1)]));
        ReferenceTripletRow row;
        row.anchor = others[0];
        row.positive = others[1];
        row.negative = path(snapshot.faces.at(triplet.faceIds[size_t(*choice - 1)]));
        row.type = triplet.type;
        rows.push_back(row);
    }
    if (counts)
        *counts = local;
    return rows;
}

std::vector<FecTripletRow> fecRows(const ExportSnapshot &snapshot, const ExportFacePath &path)
{
    std::vector<FecTripletRow> rows;
    for (const TripletRecord &triplet : snapshot.triplets) {
        const auto votes = snapshot.votes.find(triplet.id);
        if (votes == snapshot.votes.end())
            continue;
        FecTripletRow row;
        for (size_t i = 0; i < 3; ++i) {
            const FaceRecord &face = snapshot.faces.at(triplet.faceIds[i]);
            FecFace &fec = row.faces[i];
            fec.url = path(face);
            if (const std::optional<QRectF> box = normalisedBoxInCrop(face, snapshot.framing)) {
                fec.left = float(box->left());
                fec.right = float(box->right());
                fec.top = float(box->top());
                fec.bottom = float(box->bottom());
            }
        }
        row.type = triplet.type;
        for (const JudgmentRecord &j : votes->second) {
            if (int(row.annotations.size()) == FecTripletCsv::kMaxAnnotations)
                break;
            row.annotations.push_back({j.annotator, j.choice});
        }
        rows.push_back(row);
    }
    return rows;
}

} // namespace fa
