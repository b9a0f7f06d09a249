#pragma once

// Device choice for training and inference. CUDA only where LibTorch was built with it and a GPU
// is visible (torch::cuda::is_available()).

#include <c10/core/Device.h>

#include <string>

namespace fa::nn {

/// request: "auto" (CUDA when available, else CPU), "cpu", "cuda" or "cuda:N".
/// Returns the device; when the request cannot be honoured (CUDA absent, N out of range,
/// unknown text) returns the CPU and sets `error` to a sentence saying why; otherwise clears it.
c10::Device preferredDevice(const std::string &request, std::string *error);

/// "CPU, 2 threads" (torch::get_num_threads()), or "CUDA: <name>, <memory> GiB" (name and total
/// memory from the CUDA driver when it can be queried, else "CUDA device N").
std::string deviceDescription(const c10::Device &device);

} // namespace fa::nn
