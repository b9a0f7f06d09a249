#pragma once

// Triplet prediction accuracy, the metric of FreeAvatar and FEC (REFERENCE.md section 2):
// a triplet is predicted correctly iff the pair the annotators chose as most similar (anchor,
// positive) is strictly the closest pair: d(a,p) < d(a,n) and d(a,p) < d(p,n).

#include <ATen/core/Tensor.h>

namespace fa::nn {

/// a, p, n [B, E] embeddings -> bool [B] on the inputs' device. Distances are the plain Euclidean
/// ||x - y||_2 computed in float64 (no epsilon, so geometric ties stay ties); a tie is NOT correct.
/// Any NaN makes the triplet incorrect.
at::Tensor tripletPredictionCorrect(const at::Tensor &anchor, const at::Tensor &positive, const at::Tensor &negative);

} // namespace fa::nn
