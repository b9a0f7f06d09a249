#pragma once

// Inference helpers shared by training (validation, samples), evaluation and embedding
// (internal to core/training; torch headers: include only from .cpp files).

#include "nn/expression_encoder.h"
#include "nn/vit_config.h"
#include "training/face_crop_dataset.h"
#include "training/training_config.h"
#include "training/triplet_dataset.h"
#include "training/triplet_evaluation.h"

#include <QImage>
#include <QString>

#include <atomic>
#include <functional>
#include <memory>
#include <optional>

namespace fa {

/// The encoder sizes of a config.
nn::VitConfig vitConfigOf(const TrainingConfig &config);

/// Embeddings float32 [N, E] (CPU) of every image of `faces` through the eval transform
/// (resize S*256/224, centre crop S), in dataset order: sequential batches of `batchSize`,
/// decoded by `workers` loader threads, the encoder in eval mode under NoGradGuard (restored
/// to train mode afterwards). nullopt with "ORIGIN: what" when an image cannot be read, or
/// "cancelled".
std::optional<torch::Tensor> embedFaces(nn::ExpressionEncoder &encoder, const FaceCropDataset &faces, int imageSize,
                                        torch::Device device, int batchSize, int workers,
                                        const std::function<void(double)> &progress, const std::atomic_bool *cancel,
                                        QString *error);

/// Triplet prediction accuracy (nn::tripletPredictionCorrect) of `triplets` from the embeddings
/// of its images ([N, E], rows in triplets.images() order).
TripletAccuracyReport tripletAccuracy(const TripletDataset &triplets, const torch::Tensor &imageEmbeddings);

/// An 8-bit RGB image of a normalised [3, S, S] tensor (any device).
QImage imageFromNormalizedTensor(const torch::Tensor &tensor);

} // namespace fa
