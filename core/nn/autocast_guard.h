#pragma once

// RAII bf16 autocast on CUDA for the forward pass of a training step (Python's
// torch.autocast("cuda", dtype=torch.bfloat16) as a scope). Internal to core/nn.

namespace fa::nn {

class AutocastGuard
{
public:
    /// Does nothing when `enabled` is false (CPU steps, or bf16 off).
    explicit AutocastGuard(bool enabled);
    ~AutocastGuard();

    AutocastGuard(const AutocastGuard &) = delete;
    AutocastGuard &operator=(const AutocastGuard &) = delete;

private:
    bool m_enabled;
    bool m_previousEnabled = false;
    int m_previousDtype = 0;
};

} // namespace fa::nn
