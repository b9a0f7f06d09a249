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
/// memory from the CUDA driver when it can be queried, else "CUDA device N"). When the BLAS
/// library is OpenBLAS (Debian's LibTorch) its own thread count follows: "CPU, 1 thread,
/// BLAS 2 threads".
std::string deviceDescription(const c10::Device &device);

/// How the CPU's threads are shared between torch's intra-op pool and the BLAS library.
///
/// Debian's LibTorch calls the system BLAS (OpenBLAS through libblas.so.3), which runs its own
/// threads, one per core, inside torch's: torch threads x BLAS threads beyond the core count
/// oversubscribe the CPU and every step slows down (measured on 2 cores: bench/RESULTS.md,
/// issue 14). So the cores go either to BLAS (torch 1 thread: networks whose time is in large
/// matrix products, the ViT encoder) or to torch (BLAS 1 thread: networks of many smaller
/// operations, the neural renderer's transposed convolutions), never to both.
enum class CpuThreadUse { Blas, Torch };

/// Uses `cores` CPU cores (<= 0: every core, std::thread::hardware_concurrency()) the way
/// `use` says. Where the BLAS library is not OpenBLAS (MKL builds of LibTorch manage their own
/// nesting), only torch's thread count is set. Process-wide, like torch's own setting.
void useCpuThreads(int cores, CpuThreadUse use);

/// OpenBLAS's thread count, or -1 when the BLAS library is not OpenBLAS.
int blasThreadCount();

} // namespace fa::nn
