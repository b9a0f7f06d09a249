#include "training/encoder_inference.h"

#include "nn/triplet_accuracy.h"
#include "training/batch_loader.h"
#include "training/face_normalization.h"

#include <torch/torch.h>

namespace fa {

nn::VitConfig vitConfigOf(const TrainingConfig &config)
{
    nn::VitConfig vit;
    vit.imageSize = config.imageSize;
    vit.patchSize = config.patchSize;
    vit.embedDim = config.embedDim;
    vit.depth = config.depth;
    vit.numHeads = config.numHeads;
    vit.mlpRatio = config.mlpRatio;
    return vit;
}

std::optional<torch::Tensor> embedFaces(nn::ExpressionEncoder &encoder, const FaceCropDataset &faces, int imageSize,
                                        torch::Device device, int batchSize, int workers,
                                        const std::function<void(double)> &progress, const std::atomic_bool *cancel,
                                        QString *error)
{
    if (faces.isEmpty())
        return torch::zeros({0, encoder->embeddingSize()});
    BatchSettings settings;
    settings.batchSize = std::max(1, batchSize);
    settings.imageSize = imageSize;
    settings.augmentation = FaceAugmentation::eval();
    settings.sequential = true;
    const BatchLoaderOptions options = BatchLoaderOptions::forWorkers(workers);
    ImageBatchLoader loader(ImageBatchMaker(std::make_shared<const FaceCropDataset>(faces), settings), options);
    loader.start(0);

    const bool wasTraining = encoder->is_training();
    encoder->eval();
    torch::NoGradGuard noGrad;
    std::vector<torch::Tensor> parts;
    qsizetype done = 0;
    for (std::int64_t step = 0; step < loader.stepCount(); ++step) {
        if (cancel && cancel->load()) {
            encoder->train(wasTraining);
            if (error)
                *error = QStringLiteral("cancelled");
            return std::nullopt;
        }
        std::optional<ImageBatch> batch = loader.next(error);
        if (!batch) {
            encoder->train(wasTraining);
            return std::nullopt;
        }
        parts.push_back(encoder->forward(batch->images.to(device)).embedding.to(torch::kCPU, torch::kFloat32));
        done += qsizetype(batch->indices.size());
        if (progress)
            progress(double(done) / double(faces.size()));
    }
    encoder->train(wasTraining);
    return torch::cat(parts, 0);
}

TripletAccuracyReport tripletAccuracy(const TripletDataset &triplets, const torch::Tensor &imageEmbeddings)
{
    TripletAccuracyReport report;
    if (triplets.isEmpty())
        return report;
    std::vector<int64_t> a, p, n;
    for (const TripletItem &t : triplets.triplets()) {
        a.push_back(t.faces[0]);
        p.push_back(t.faces[1]);
        n.push_back(t.faces[2]);
    }
    auto rows = [&](const std::vector<int64_t> &indices) {
        return imageEmbeddings.index_select(0, torch::tensor(indices, torch::kInt64));
    };
    const torch::Tensor correct = nn::tripletPredictionCorrect(rows(a), rows(p), rows(n)).to(torch::kCPU).contiguous();
    const bool *flags = correct.data_ptr<bool>();
    for (qsizetype i = 0; i < triplets.size(); ++i) {
        TripletCounts &type = report.byType[triplets.triplet(i).type];
        ++type.total;
        ++report.overall.total;
        if (flags[i]) {
            ++type.correct;
            ++report.overall.correct;
        }
    }
    return report;
}

QImage imageFromNormalizedTensor(const torch::Tensor &tensor)
{
    const cv::Mat bgr = fromNormalizedTensor(tensor);
    if (bgr.empty())
        return QImage();
    QImage image(bgr.cols, bgr.rows, QImage::Format_RGB888);
    for (int y = 0; y < bgr.rows; ++y) {
        const uchar *in = bgr.ptr<uchar>(y);
        uchar *out = image.scanLine(y);
        for (int x = 0; x < bgr.cols; ++x) {
            out[3 * x + 0] = in[3 * x + 2];
            out[3 * x + 1] = in[3 * x + 1];
            out[3 * x + 2] = in[3 * x + 0];
        }
    }
    return image;
}

} // namespace fa
