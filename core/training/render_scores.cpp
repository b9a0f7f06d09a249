#include "training/render_scores.h"

#include <torch/torch.h>

#include <algorithm>

namespace fa {

void RenderScores::add(const at::Tensor &prediction, const at::Tensor &target, const at::Tensor &mask,
                       double regionWeight)
{
    torch::NoGradGuard noGrad;
    const at::Tensor p = prediction.to(torch::kFloat32);
    const at::Tensor t = target.to(p.device(), torch::kFloat32);
    const at::Tensor m = mask.to(p.device(), torch::kFloat32);
    const std::int64_t batch = p.size(0);
    const at::Tensor diff = (p - t).abs();                           // [B, 3, S, S]
    const at::Tensor perImageL1 = diff.mean({1, 2, 3});              // [B]
    const at::Tensor mse = (p - t).pow(2).mean({1, 2, 3}).clamp_min(1e-10);
    const at::Tensor psnrs = -10.0 * torch::log10(mse);
    const double maskPixels = m.sum().item<double>();
    const at::Tensor masked = (diff * m).mean({1, 2, 3});            // over the whole image, as the loss
    l1 += perImageL1.sum().item<double>();
    psnr += psnrs.sum().item<double>();
    if (maskPixels > 0) {
        const double pixels = double(m.size(-1)) * double(m.size(-2));
        regionL1 += (masked * (pixels / maskPixels)).sum().item<double>();
    }
    loss += (perImageL1 + regionWeight * masked).sum().item<double>();
    images += batch;
}

RenderScores RenderScores::mean() const
{
    RenderScores out;
    if (images <= 0)
        return out;
    const double n = double(images);
    out.l1 = l1 / n;
    out.psnr = psnr / n;
    out.regionL1 = regionL1 / n;
    out.loss = loss / n;
    out.images = images;
    return out;
}

} // namespace fa
