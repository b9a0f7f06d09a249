#pragma once

#include "training/face_crop_dataset.h"
#include "training/training_config.h"

#include <QString>

#include <opencv2/core/mat.hpp>

#include <atomic>
#include <functional>
#include <memory>
#include <optional>
#include <vector>

namespace fa {

/// The trained expression encoder of a triplet run, for inference: face crops in, L2-normalised
/// expression embeddings (embedding_size floats, 16 by default) out, through the eval transform
/// (resize S*256/224, centre crop S; REFERENCE.md section 2).
class ExpressionEmbedder
{
public:
    /// From a triplet run folder or one of its checkpoint folders (model.pt + config.yaml).
    /// `device`: "auto", "cpu" or "cuda". Errors "PATH: what": no run there, a mae run (it has
    /// no expression head: fine-tune it with `freeavatar train triplet --init RUN_DIR`), weights
    /// that do not match the config, an unavailable device.
    static std::unique_ptr<ExpressionEmbedder> load(const QString &runDir, const QString &device, QString *error);
    ~ExpressionEmbedder();

    const TrainingConfig &config() const;
    int embeddingSize() const;
    QString deviceDescription() const;

    /// Embeddings of 8-bit BGR face crops (any size), row-major: crops.size() x embeddingSize().
    std::vector<float> embedCrops(const std::vector<cv::Mat> &crops);
    /// Embeddings of every image of `faces`, in order (decoded by loader threads, batches of
    /// batchSize). nullopt with "ORIGIN: what" or "cancelled".
    std::optional<std::vector<float>> embedDataset(const FaceCropDataset &faces, int batchSize,
                                                   const std::function<void(double)> &progress,
                                                   const std::atomic_bool *cancel, QString *error);

private:
    ExpressionEmbedder();
    struct Private;
    std::unique_ptr<Private> d;
};

} // namespace fa
