#include "nn/autocast_guard.h"

#include <torch/version.h>

#include <ATen/autocast_mode.h>

// LibTorch 2.4 replaced the CUDA-specific autocast switches with per-device-type ones.
#if TORCH_VERSION_MAJOR > 2 || (TORCH_VERSION_MAJOR == 2 && TORCH_VERSION_MINOR >= 4)
#define FA_NN_AUTOCAST_PER_DEVICE 1
#endif

namespace fa::nn {

namespace {

bool cudaAutocastEnabled()
{
#ifdef FA_NN_AUTOCAST_PER_DEVICE
    return at::autocast::is_autocast_enabled(at::kCUDA);
#else
    return at::autocast::is_enabled();
#endif
}

void setCudaAutocast(bool enabled, at::ScalarType dtype)
{
#ifdef FA_NN_AUTOCAST_PER_DEVICE
    at::autocast::set_autocast_dtype(at::kCUDA, dtype);
    at::autocast::set_autocast_enabled(at::kCUDA, enabled);
#else
    at::autocast::set_autocast_gpu_dtype(dtype);
    at::autocast::set_enabled(enabled);
#endif
}

at::ScalarType cudaAutocastDtype()
{
#ifdef FA_NN_AUTOCAST_PER_DEVICE
    return at::autocast::get_autocast_dtype(at::kCUDA);
#else
    return at::autocast::get_autocast_gpu_dtype();
#endif
}

} // namespace

AutocastGuard::AutocastGuard(bool enabled)
    : m_enabled(enabled)
{
    if (!m_enabled)
        return;
    m_previousEnabled = cudaAutocastEnabled();
    m_previousDtype = static_cast<int>(cudaAutocastDtype());
    setCudaAutocast(true, at::kBFloat16);
    at::autocast::increment_nesting();
}

AutocastGuard::~AutocastGuard()
{
    if (!m_enabled)
        return;
    // As Python's autocast.__exit__: drop the cast cache when the outermost scope ends.
    if (at::autocast::decrement_nesting() == 0)
        at::autocast::clear_cache();
    setCudaAutocast(m_previousEnabled, static_cast<at::ScalarType>(m_previousDtype));
}

} // namespace fa::nn
