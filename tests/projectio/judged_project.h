#pragma once

// A small project with hand-recorded judgments for the export and statistics tests: two Yale
// images as sources, five faces (boxes only, no box, 68 landmarks; one PNG crop), six
// triplets and the judgments below.
//
//   T1 (f1,f2,f3) two-class   alice 3, bob 3, carol 1           -> majority 3; gold answer 3
//   T2 (f3,f4,f5) one-class   alice 1, bob 2                    -> no majority
//   T3 (f5,f1,f4) three-class alice 2, bob 2, carol skip        -> majority 2
//   T4 (f2,f3,f4) two-class   nobody
//   T5 (f1,f3,f5) one-class   alice 1, bob 1 (retracted), carol 1, bob 3 -> majority 1
//   T6 (f2,f4,f5) two-class   a1..a7 all 2                      -> majority 2

#include "dataset/content_hash.h"
#include "face/face_cropper.h"
#include "project/project.h"
#include "test_files.h"

#include <QDir>

#include <opencv2/imgcodecs.hpp>
#include <opencv2/imgproc.hpp>

#include <array>
#include <map>
#include <memory>

namespace fa::test {

struct JudgedProject
{
    std::unique_ptr<Project> project;
    QString sourceA;                                ///< subject01_happy.png
    std::map<qint64, std::array<float, 4>> boxes;   ///< face id -> expected FEC box l, r, t, b
    std::vector<qint64> triplets;                   ///< T1..T6
};

inline QByteArray encodeImage(const cv::Mat &image, const char *extension)
{
    std::vector<uchar> bytes;
    cv::imencode(extension, image, bytes);
    return QByteArray(reinterpret_cast<const char *>(bytes.data()), qsizetype(bytes.size()));
}

/// The box's corners through a FaceCropper transform (224 px crop), as fractions of the crop,
/// clamped: left, right, top, bottom. Independent of projectio's own geometry code.
inline std::array<float, 4> boxThroughTransform(const cv::Mat &transform, const QRectF &box)
{
    const cv::Matx23d m(transform);
    double x0 = 1e9, y0 = 1e9, x1 = -1e9, y1 = -1e9;
    for (const QPointF &c : {box.topLeft(), box.topRight(), box.bottomLeft(), box.bottomRight()}) {
        const cv::Vec2d p = m * cv::Vec3d(c.x() - 0.5, c.y() - 0.5, 1);
        x0 = std::min(x0, (p[0] + 0.5) / 224); x1 = std::max(x1, (p[0] + 0.5) / 224);
        y0 = std::min(y0, (p[1] + 0.5) / 224); y1 = std::max(y1, (p[1] + 0.5) / 224);
    }
    auto clamp = [](double v) { return float(std::clamp(v, 0.0, 1.0)); };
    return {clamp(x0), clamp(x1), clamp(y0), clamp(y1)};
}

inline bool buildJudgedProject(const QString &dir, JudgedProject *out, QString *error)
{
    QDir(dir).removeRecursively();
    out->project = Project::create(dir, error);
    if (!out->project)
        return false;
    Project &project = *out->project;
    // Crops below are made with FaceCropper's default (whole-face) framing, as an import records.
    if (!project.setCropFraming(QStringLiteral("whole-face"), error))
        return false;
    out->sourceA = dataPath(QStringLiteral("images/yale_faces/subject01_happy.png"));
    const QString sourceB = dataPath(QStringLiteral("images/yale_faces/subject02_sad.png"));
    const cv::Mat imageA = cv::imread(out->sourceA.toStdString()), imageB = cv::imread(sourceB.toStdString());
    if (imageA.empty() || imageB.empty()) {
        *error = QStringLiteral("the Yale images cannot be read");
        return false;
    }
    std::vector<qint64> sources;
    for (const QString &path : {out->sourceA, sourceB}) {
        SourceRecord source;
        source.path = path;
        source.contentHash = fileContentHash(path);
        source.width = 320;
        source.height = 243;
        const std::optional<qint64> id = project.faces().addSource(source, error);
        if (!id)
            return false;
        sources.push_back(*id);
    }
    auto addFace = [&](int source, const QRectF &box, const std::vector<QPointF> &landmarks, const cv::Mat &crop,
                       const char *extension, const QString &category, const std::array<float, 4> &fecBox) {
        FaceRecord face;
        face.sourceId = sources[size_t(source)];
        face.box = box;
        face.landmarks = landmarks;
        face.category = category;
        face.identity = QStringLiteral("subject0%1").arg(source + 1);
        const std::optional<qint64> id = project.faces().addFace(face, encodeImage(crop, extension),
                                                                 QString::fromLatin1(extension + 1), error);
        if (id)
            out->boxes[*id] = fecBox;
        return id.value_or(0);
    };
    const FaceCropper cropper;
    cv::Mat transform, whole;
    cv::resize(imageA, whole, cv::Size(224, 224));
    const QRectF box1(100, 60, 110, 120), box2(90, 50, 120, 130), box4(100, 70, 120, 120);
    const cv::Mat crop1 = cropper.cropBox(imageA, cv::Rect2f(100, 60, 110, 120), &transform);
    const qint64 f1 = addFace(0, box1, {}, crop1, ".jpg", QStringLiteral("happy"), boxThroughTransform(transform, box1));
    const cv::Mat crop2 = cropper.cropBox(imageB, cv::Rect2f(90, 50, 120, 130), &transform);
    const qint64 f2 = addFace(1, box2, {}, crop2, ".jpg", QStringLiteral("sad"), boxThroughTransform(transform, box2));
    const qint64 f3 = addFace(0, QRectF(), {}, whole, ".jpg", QStringLiteral("happy"), {0, 1, 0, 1});
    std::vector<QPointF> landmarks(68, QPointF(160, 150));
    for (int i = 0; i < 6; ++i) {
        landmarks[size_t(36 + i)] = QPointF(133 + i % 3 * 2, 111 - i % 2 * 2); // right eye, mean (135, 110)
        landmarks[size_t(42 + i)] = QPointF(183 + i % 3 * 2, 106 - i % 2 * 2); // left eye, mean (185, 105)
    }
    const cv::Mat crop4 = cropper.crop(imageB, cv::Point2f(185, 105), cv::Point2f(135, 110), &transform);
    const qint64 f4 = addFace(1, box4, landmarks, crop4, ".jpg", QStringLiteral("sad"), boxThroughTransform(transform, box4));
    const qint64 f5 = addFace(0, QRectF(), {}, whole, ".png", QString(), {0, 1, 0, 1});
    if (!f1 || !f2 || !f3 || !f4 || !f5)
        return false;

    const std::array<std::array<qint64, 3>, 6> faces = {{{f1, f2, f3}, {f3, f4, f5}, {f5, f1, f4},
                                                         {f2, f3, f4}, {f1, f3, f5}, {f2, f4, f5}}};
    const std::array<TripletType, 6> types = {TripletType::TwoClass, TripletType::OneClass, TripletType::ThreeClass,
                                              TripletType::TwoClass, TripletType::OneClass, TripletType::TwoClass};
    std::vector<TripletRecord> triplets(6);
    for (size_t i = 0; i < 6; ++i) {
        triplets[i].faceIds = faces[i];
        triplets[i].type = types[i];
    }
    if (!project.triplets().add(triplets, error, {3, 0, 0, 0, 0, 0}))
        return false;
    for (const TripletRecord &t : triplets)
        out->triplets.push_back(t.id);
    auto judge = [&](size_t triplet, const char *annotator, int choice) {
        const std::optional<qint64> annotatorId = project.judgments().annotatorId(QString::fromLatin1(annotator), error);
        JudgmentRecord judgment;
        judgment.tripletId = out->triplets[triplet];
        judgment.annotatorId = annotatorId.value_or(0);
        judgment.choice = choice;
        judgment.durationMs = 1500;
        return annotatorId && project.judgments().record(judgment, error);
    };
    bool ok = judge(0, "alice", 3) && judge(0, "bob", 3) && judge(0, "carol", 1) && judge(1, "alice", 1)
        && judge(1, "bob", 2) && judge(2, "alice", 2) && judge(2, "bob", 2) && judge(2, "carol", JudgmentRecord::kSkip)
        && judge(4, "alice", 1) && judge(4, "bob", 1);
    ok = ok && project.judgments().retract(project.judgments().all().back().id, error);
    ok = ok && judge(4, "carol", 1) && judge(4, "bob", 3);
    for (const char *name : {"a1", "a2", "a3", "a4", "a5", "a6", "a7"})
        ok = ok && judge(5, name, 2);
    return ok;
}

} // namespace fa::test
