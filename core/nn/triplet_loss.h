#pragma once

// Symmetric triplet loss of FreeAvatar's triplet fine-tuning (REFERENCE.md section 2):
// TripletMarginLoss(a, p, n) + TripletMarginLoss(p, a, n), Euclidean distance, with a margin per
// triplet (0.1 ONE_CLASS, 0.2 TWO/THREE_CLASS: fa::tripletMargin in core/dataset).

#include <ATen/core/Tensor.h>

namespace fa::nn {

/// a, p, n [B, E] embeddings; margins [B] (any float dtype, same device).
/// Returns the scalar mean over b of
///   relu(d(a,p) - d(a,n) + m_b) + relu(d(p,a) - d(p,n) + m_b),
/// d(x, y) = torch::pairwise_distance(x, y, 2, 1e-6) = ||x - y + 1e-6||_2, exactly the terms of
/// torch.nn.TripletMarginLoss (its default eps; note d(p,a) differs from d(a,p) by that eps).
/// Differentiable; B = 0 gives NaN (mean of nothing).
at::Tensor symmetricTripletLoss(const at::Tensor &anchor, const at::Tensor &positive, const at::Tensor &negative,
                                const at::Tensor &margins);

} // namespace fa::nn
