#pragma once

// Trained networks read back from run folders (internal to core/training; torch headers: include
// only from .cpp files): the expression encoder of a triplet run and the neural renderer of a
// renderer run, with the run's configuration. Used for inference (ExpressionEmbedder,
// NeuralRendererModel) and by the rig decoder's training, which freezes both.

#include "nn/expression_encoder.h"
#include "nn/neural_renderer.h"
#include "training/renderer_run_info.h"
#include "training/training_config.h"

#include <QString>

#include <opencv2/core/mat.hpp>

#include <atomic>
#include <functional>

#include <optional>

namespace fa {

struct EncoderRun
{
    TrainingConfig config;
    QString runDir;    ///< absolute
    QString modelPath; ///< absolute path of its model.pt
    nn::ExpressionEncoder encoder{nullptr}; ///< on the requested device, eval mode
};

struct RendererRun
{
    TrainingConfig config;
    RendererRunInfo info;
    QString runDir;    ///< absolute
    QString modelPath; ///< absolute path of its model.pt
    nn::NeuralRenderer network{nullptr}; ///< on the requested device, eval mode
};

/// The encoder of a triplet run folder or one of its checkpoint folders (model.pt + config.yaml)
/// on `device`. Errors "PATH: what": no run there, a mae run (no expression head: fine-tune it
/// with `freeavatar train triplet --init RUN_DIR`) or another kind, no model.pt yet, weights
/// that do not match config.yaml.
std::optional<EncoderRun> loadEncoderRun(const QString &runDir, torch::Device device, QString *error);

/// The renderer of a renderer run folder or one of its checkpoint folders (model.pt +
/// config.yaml; renderer.json from the run folder) on `device`. Errors "PATH: what": no run
/// there, not a renderer run, no model.pt yet, renderer.json and config.yaml that disagree,
/// weights that do not match.
std::optional<RendererRun> loadRendererRun(const QString &runDir, torch::Device device, QString *error);

/// The encoder's outputs for `count` images that `image` gives (8-bit BGR face crops, any size;
/// empty + `error` to stop) through the eval transform, in batches of 32 on the encoder's device,
/// under NoGradGuard: patchMean [count, D] and embedding [count, E], CPU float32. `progress` gets
/// the fraction done; false with "cancelled" or the image's error.
bool encodeFaceImages(EncoderRun &encoder, qsizetype count, const std::function<cv::Mat(qsizetype, QString *)> &image,
                      torch::Tensor *patchMean, torch::Tensor *embedding, const std::function<void(double)> &progress,
                      const std::atomic_bool *cancel, QString *error);

} // namespace fa
