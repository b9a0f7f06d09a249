#include "training/project_embeddings.h"

#include "project/project.h"
#include "project/sqlite_transaction.h"
#include "training/embedding.h"
#include "training/face_crop_dataset.h"

namespace fa {

std::optional<qint64> computeProjectEmbeddings(const QString &projectDir, const QString &runDir,
                                               const std::function<void(double)> &progress,
                                               const std::atomic_bool *cancel, QString *error, const QString &device)
{
    auto fail = [&](const QString &what) -> std::optional<qint64> {
        if (error)
            *error = what;
        return std::nullopt;
    };
    std::unique_ptr<Project> project = Project::open(projectDir, error);
    if (!project)
        return std::nullopt;
    std::optional<FaceCropDataset> faces = FaceCropDataset::fromProject(projectDir, error);
    if (!faces)
        return std::nullopt;
    std::unique_ptr<ExpressionEmbedder> embedder = ExpressionEmbedder::load(runDir, device, error);
    if (!embedder)
        return std::nullopt;
    if (faces->isEmpty())
        return qint64(0);
    // 95 % for the network, the rest for the database.
    const std::optional<std::vector<float>> embeddings = embedder->embedDataset(
        *faces, 64, [&](double f) { if (progress) progress(0.95 * f); }, cancel, error);
    if (!embeddings)
        return std::nullopt;
    const int e = embedder->embeddingSize();
    SqliteTransaction transaction(project->connection());
    if (!transaction.isActive())
        return fail(project->databaseError());
    for (qsizetype i = 0; i < faces->size(); ++i) {
        const auto first = embeddings->begin() + std::ptrdiff_t(i * e);
        if (!project->faces().setEmbedding(faces->item(i).faceId, std::vector<float>(first, first + e), error))
            return std::nullopt;
    }
    if (!transaction.commit())
        return fail(project->databaseError());
    if (progress)
        progress(1.0);
    return qint64(faces->size());
}

} // namespace fa
