#include "training/triplet_dataset.h"
#include "common/error_text.h"

#include "dataset/agreement.h"
#include "dataset/fec_triplet_csv.h"
#include "dataset/reference_triplet_csv.h"
#include "dataset/file_name_labels.h"
#include "project/project.h"
#include "projectio/triplet_export_rows.h"
#include "training/deterministic_random.h"

#include <QCryptographicHash>
#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QUrl>

#include <set>

namespace fa {
namespace {


const char *const kRoleNames[3] = {"anchor", "positive", "negative"};

/// Builds the image table of file-based triplets, each distinct file (and box) once, checking
/// that every file exists.
class ImageTable
{
public:
    /// The index of `path` (cut to `box`, null = whole image); -1 when the file does not exist.
    qsizetype indexOf(const QString &path, const QRectF &box)
    {
        const QString clean = QDir::cleanPath(QFileInfo(path).absoluteFilePath());
        QByteArray key = "file:" + clean.toUtf8();
        if (!box.isNull())
            key += '#' + QByteArray::number(box.left()) + ',' + QByteArray::number(box.top()) + ','
                + QByteArray::number(box.right()) + ',' + QByteArray::number(box.bottom());
        const auto found = m_indices.find(key);
        if (found != m_indices.end())
            return found->second;
        if (!QFileInfo(clean).isFile())
            return -1;
        FaceCropItem item;
        item.path = clean;
        item.box = box;
        item.origin = clean;
        const FileNameLabels labels = labelsFromFileName(clean);
        item.category = labels.category;
        item.identity = labels.identity;
        item.key = key;
        const qsizetype index = m_images.append(std::move(item));
        m_indices.emplace(key, index);
        return index;
    }

    FaceCropDataset take() { return std::move(m_images); }

private:
    FaceCropDataset m_images;
    std::map<QByteArray, qsizetype> m_indices;
};

QString resolve(const QString &imageDir, const QString &path)
{
    return QFileInfo(path).isAbsolute() ? path : QDir(imageDir).filePath(path);
}

/// FEC URLs (http...) name the downloaded file by its file name; other values are paths.
QString resolveFecUrl(const QString &imageDir, const QString &url)
{
    const QUrl parsed(url);
    if (!parsed.scheme().isEmpty() && parsed.scheme().size() > 1) // "C:" is a drive, not a scheme
        return QDir(imageDir).filePath(QFileInfo(parsed.path()).fileName());
    return resolve(imageDir, url);
}

/// Indices of a group of faces sorted by a label, with each label's block.
struct LabelBlocks
{
    std::vector<qsizetype> faces;                       ///< sorted by label, then index
    std::map<QString, std::pair<qsizetype, qsizetype>> blocks; ///< label -> (start, count)
};

LabelBlocks blocksBy(const std::vector<qsizetype> &faces, const std::function<QString(qsizetype)> &label)
{
    std::map<QString, std::vector<qsizetype>> grouped;
    for (qsizetype face : faces)
        grouped[label(face)].push_back(face);
    LabelBlocks result;
    for (const auto &[name, members] : grouped) {
        result.blocks[name] = {qsizetype(result.faces.size()), qsizetype(members.size())};
        result.faces.insert(result.faces.end(), members.begin(), members.end());
    }
    return result;
}

/// A uniform member of `blocks` outside the block of `excluded`.
qsizetype drawOutside(const LabelBlocks &blocks, const QString &excluded, std::mt19937_64 &rng)
{
    const auto [start, count] = blocks.blocks.at(excluded);
    qsizetype r = qsizetype(uniformInt(rng, 0, qsizetype(blocks.faces.size()) - count - 1));
    if (r >= start)
        r += count;
    return blocks.faces[size_t(r)];
}

} // namespace

TripletDataset::TripletDataset(FaceCropDataset images, std::vector<TripletItem> triplets)
    : m_images(std::move(images)), m_triplets(std::move(triplets))
{
}

std::optional<TripletDataset> TripletDataset::fromProject(const QString &projectDir, TripletLoadReport *report,
                                                          QString *error)
{
    QString openError;
    std::unique_ptr<Project> project = Project::open(projectDir, &openError);
    if (!project) {
        failWith(error, openError);
        return std::nullopt;
    }
    const ExportSnapshot snapshot = ExportSnapshot::read(*project);
    ReferenceRowCounts counts;
    // Rows name faces by id; the table below turns ids into crop items.
    const std::vector<ReferenceTripletRow> rows = referenceRows(
        snapshot, [](const FaceRecord &face) { return QString::number(face.id); }, &counts);
    FaceCropDataset images;
    std::map<qint64, qsizetype> indices;
    auto indexOf = [&](const QString &idText) {
        const qint64 id = idText.toLongLong();
        const auto found = indices.find(id);
        if (found != indices.end())
            return found->second;
        const FaceRecord &face = snapshot.faces.at(id);
        FaceCropItem item;
        item.path = project->absolutePath(face.cropPath);
        item.origin = item.path;
        item.category = face.category;
        item.identity = face.identity;
        item.faceId = face.id;
        item.key = "face:" + QByteArray::number(face.id) + ':' + face.cropPath.toUtf8();
        const qsizetype index = images.append(std::move(item));
        indices.emplace(id, index);
        return index;
    };
    std::vector<TripletItem> triplets;
    for (const ReferenceTripletRow &row : rows) {
        TripletItem triplet;
        triplet.faces = {indexOf(row.anchor), indexOf(row.positive), indexOf(row.negative)};
        triplet.type = row.type;
        triplets.push_back(triplet);
    }
    if (report) {
        *report = TripletLoadReport();
        report->rows = int(rows.size());
        report->withoutMajority = counts.tripletsWithoutMajority;
        report->withoutJudgments = counts.tripletsWithoutJudgments;
    }
    return TripletDataset(std::move(images), std::move(triplets));
}

std::optional<TripletDataset> TripletDataset::fromReferenceCsv(const QString &csvPath, const QString &imageDir,
                                                               TripletLoadReport *report, QString *error)
{
    const std::optional<std::vector<ReferenceTripletRow>> rows = ReferenceTripletCsv::readFile(csvPath, error);
    if (!rows)
        return std::nullopt;
    ImageTable table;
    std::vector<TripletItem> triplets;
    for (const ReferenceTripletRow &row : *rows) {
        TripletItem triplet;
        triplet.type = row.type;
        triplet.line = row.line;
        const QString paths[3] = {row.anchor, row.positive, row.negative};
        for (int role = 0; role < 3; ++role) {
            const QString file = resolve(imageDir, paths[role]);
            const qsizetype index = table.indexOf(file, QRectF());
            if (index < 0) {
                failWith(error, QStringLiteral("%1:%2: %3 image %4 does not exist")
                                    .arg(csvPath).arg(row.line).arg(QLatin1String(kRoleNames[role]), file));
                return std::nullopt;
            }
            triplet.faces[size_t(role)] = index;
        }
        triplets.push_back(triplet);
    }
    if (report) {
        *report = TripletLoadReport();
        report->rows = int(rows->size());
    }
    return TripletDataset(table.take(), std::move(triplets));
}

std::optional<TripletDataset> TripletDataset::fromFecCsv(const QString &csvPath, const QString &imageDir,
                                                         TripletLoadReport *report, QString *error)
{
    const std::optional<std::vector<FecTripletRow>> rows = FecTripletCsv::readFile(csvPath, error);
    if (!rows)
        return std::nullopt;
    TripletLoadReport local;
    local.rows = int(rows->size());
    ImageTable table;
    std::vector<TripletItem> triplets;
    for (const FecTripletRow &row : *rows) {
        std::array<int, 3> tally{};
        for (const FecAnnotation &annotation : row.annotations)
            if (annotation.choice >= 1 && annotation.choice <= 3)
                ++tally[size_t(annotation.choice - 1)];
        const std::optional<int> choice = strictMajorityChoice(tally);
        if (!choice) {
            ++local.withoutMajority;
            continue;
        }
        std::array<qsizetype, 3> faces{};
        for (int position = 0; position < 3; ++position) {
            const FecFace &face = row.faces[size_t(position)];
            const QString file = resolveFecUrl(imageDir, face.url);
            const bool whole = face.left <= 0 && face.top <= 0 && face.right >= 1 && face.bottom >= 1;
            const QRectF box = whole ? QRectF() : QRectF(QPointF(face.left, face.top), QPointF(face.right, face.bottom));
            faces[size_t(position)] = table.indexOf(file, box);
            if (faces[size_t(position)] < 0) {
                failWith(error, QStringLiteral("%1:%2: face %3 image %4 does not exist")
                                    .arg(csvPath).arg(row.line).arg(position + 1).arg(file));
                return std::nullopt;
            }
        }
        TripletItem triplet;
        triplet.type = row.type;
        triplet.line = row.line;
        int role = 0;
        for (int position = 1; position <= 3; ++position)
            if (position != *choice)
                triplet.faces[size_t(role++)] = faces[size_t(position - 1)];
        triplet.faces[2] = faces[size_t(*choice - 1)];
        triplets.push_back(triplet);
    }
    if (report)
        *report = local;
    return TripletDataset(table.take(), std::move(triplets));
}

std::optional<TripletDataset> TripletDataset::fromPath(const QString &path, TripletLoadReport *report, QString *error)
{
    const QFileInfo info(path);
    if (info.isDir()) {
        if (Project::exists(path))
            return fromProject(path, report, error);
        failWith(error, QStringLiteral("%1: not a project folder").arg(path));
        return std::nullopt;
    }
    QFile file(path);
    if (!file.open(QIODevice::ReadOnly)) {
        failWith(error, QStringLiteral("%1: cannot read: %2").arg(path, file.errorString()));
        return std::nullopt;
    }
    QByteArray firstLine = file.readLine().trimmed();
    if (firstLine.startsWith("\xEF\xBB\xBF"))
        firstLine.remove(0, 3);
    file.close();
    const QString imageDir = info.absolutePath();
    if (QString::fromUtf8(firstLine).remove(QLatin1Char(' ')) == ReferenceTripletCsv::header().join(QLatin1Char(',')))
        return fromReferenceCsv(path, imageDir, report, error);
    return fromFecCsv(path, imageDir, report, error);
}

std::optional<TripletDataset> TripletDataset::fromCategories(const FaceCropDataset &faces, qsizetype count,
                                                             std::uint64_t seed, QString *error)
{
    if (count < 1) {
        failWith(error, QStringLiteral("the number of triplets must be at least 1 (%1)").arg(count));
        return std::nullopt;
    }
    std::vector<qsizetype> labelled;
    for (qsizetype i = 0; i < faces.size(); ++i)
        if (!faces.category(i).isEmpty() && !faces.identity(i).isEmpty())
            labelled.push_back(i);
    const LabelBlocks byCategory = blocksBy(labelled, [&](qsizetype i) { return faces.category(i); });
    std::set<QString> identities;
    for (qsizetype i : labelled)
        identities.insert(faces.identity(i));
    if (byCategory.blocks.size() < 2) {
        failWith(error, QStringLiteral("category triplets need faces of at least 2 emotion categories; the %1 faces "
                                       "with category and identity have %2")
                            .arg(labelled.size()).arg(byCategory.blocks.size()));
        return std::nullopt;
    }
    if (identities.size() < 2) {
        failWith(error, QStringLiteral("category triplets need faces of at least 2 identities; the %1 faces with "
                                       "category and identity have %2")
                            .arg(labelled.size()).arg(identities.size()));
        return std::nullopt;
    }
    // Per category, its faces grouped by identity; only categories with two identities can
    // give an anchor and a positive of different people.
    std::vector<QString> eligible;
    std::map<QString, LabelBlocks> byIdentity;
    for (const auto &[category, block] : byCategory.blocks) {
        const std::vector<qsizetype> members(byCategory.faces.begin() + block.first,
                                             byCategory.faces.begin() + block.first + block.second);
        LabelBlocks blocks = blocksBy(members, [&](qsizetype i) { return faces.identity(i); });
        if (blocks.blocks.size() >= 2) {
            eligible.push_back(category);
            byIdentity.emplace(category, std::move(blocks));
        }
    }
    if (eligible.empty()) {
        failWith(error, QStringLiteral("category triplets need a category with faces of two different identities; "
                                       "each of the %1 categories has faces of one person only")
                            .arg(byCategory.blocks.size()));
        return std::nullopt;
    }
    std::mt19937_64 rng(deriveSeed({seed, 0x54524950ULL /* "TRIP" */}));
    std::set<std::array<qsizetype, 3>> seen;
    std::vector<TripletItem> triplets;
    for (qsizetype t = 0; t < count; ++t) {
        TripletItem triplet;
        triplet.type = TripletType::TwoClass;
        for (int attempt = 0; attempt < 100; ++attempt) {
            const QString &category = eligible[size_t(uniformInt(rng, 0, qint64(eligible.size()) - 1))];
            const LabelBlocks &people = byIdentity.at(category);
            const qsizetype anchor = people.faces[size_t(uniformInt(rng, 0, qint64(people.faces.size()) - 1))];
            const qsizetype positive = drawOutside(people, faces.identity(anchor), rng);
            const qsizetype negative = drawOutside(byCategory, category, rng);
            triplet.faces = {anchor, positive, negative};
            if (seen.insert(triplet.faces).second)
                break;
        }
        triplets.push_back(triplet);
    }
    return TripletDataset(faces, std::move(triplets));
}

std::map<TripletType, qsizetype> TripletDataset::countByType() const
{
    std::map<TripletType, qsizetype> counts;
    for (const TripletItem &triplet : m_triplets)
        ++counts[triplet.type];
    return counts;
}

QByteArray TripletDataset::fingerprint() const
{
    QCryptographicHash hash(QCryptographicHash::Sha256);
    hash.addData(m_images.fingerprint());
    for (const TripletItem &triplet : m_triplets) {
        const QByteArray line = QByteArray::number(triplet.faces[0]) + ',' + QByteArray::number(triplet.faces[1]) + ','
            + QByteArray::number(triplet.faces[2]) + ',' + tripletTypeName(triplet.type).toUtf8() + '\n';
        hash.addData(line);
    }
    return hash.result().toHex();
}

} // namespace fa
