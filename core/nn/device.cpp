#include "nn/device.h"

#include <torch/cuda.h>

#include <ATen/Parallel.h>

#include <algorithm>
#include <cstdio>
#include <string>
#include <thread>

#include <dlfcn.h>

namespace fa::nn {

namespace {

// Name and memory of a CUDA device through the driver API (libcuda.so.1), looked up at run
// time so that core/nn needs no CUDA headers and also builds against a CPU-only LibTorch.
bool cudaDriverDeviceInfo(int index, std::string *name, double *gibibytes)
{
    void *driver = ::dlopen("libcuda.so.1", RTLD_LAZY | RTLD_LOCAL);
    if (!driver)
        return false;
    using InitFn = int (*)(unsigned);
    using DeviceGetFn = int (*)(int *, int);
    using NameFn = int (*)(char *, int, int);
    using TotalMemFn = int (*)(size_t *, int);
    auto init = reinterpret_cast<InitFn>(::dlsym(driver, "cuInit"));
    auto deviceGet = reinterpret_cast<DeviceGetFn>(::dlsym(driver, "cuDeviceGet"));
    auto getName = reinterpret_cast<NameFn>(::dlsym(driver, "cuDeviceGetName"));
    auto totalMem = reinterpret_cast<TotalMemFn>(::dlsym(driver, "cuDeviceTotalMem_v2"));
    bool ok = false;
    int device = 0;
    char buffer[256] = {};
    size_t bytes = 0;
    if (init && deviceGet && getName && totalMem && init(0) == 0 && deviceGet(&device, index) == 0
        && getName(buffer, sizeof buffer - 1, device) == 0 && totalMem(&bytes, device) == 0) {
        *name = buffer;
        *gibibytes = static_cast<double>(bytes) / (1024.0 * 1024.0 * 1024.0);
        ok = true;
    }
    ::dlclose(driver);
    return ok;
}

using OpenBlasSetThreadsFn = void (*)(int);
using OpenBlasGetThreadsFn = int (*)();

/// OpenBLAS's thread functions where the process has OpenBLAS loaded (as libblas.so.3's
/// alternative), else null.
OpenBlasSetThreadsFn openBlasSetThreads()
{
    return reinterpret_cast<OpenBlasSetThreadsFn>(::dlsym(RTLD_DEFAULT, "openblas_set_num_threads"));
}

OpenBlasGetThreadsFn openBlasGetThreads()
{
    return reinterpret_cast<OpenBlasGetThreadsFn>(::dlsym(RTLD_DEFAULT, "openblas_get_num_threads"));
}

} // namespace

void useCpuThreads(int cores, CpuThreadUse use)
{
    const int n = cores > 0 ? cores : std::max(1, static_cast<int>(std::thread::hardware_concurrency()));
    const OpenBlasSetThreadsFn setBlas = openBlasSetThreads();
    if (!setBlas) {
        at::set_num_threads(n);
        return;
    }
    at::set_num_threads(use == CpuThreadUse::Torch ? n : 1);
    setBlas(use == CpuThreadUse::Blas ? n : 1);
}

int blasThreadCount()
{
    const OpenBlasGetThreadsFn getBlas = openBlasGetThreads();
    return getBlas ? getBlas() : -1;
}

c10::Device preferredDevice(const std::string &request, std::string *error)
{
    const auto setError = [error](const std::string &text) {
        if (error)
            *error = text;
    };
    setError({});
    const bool haveCuda = torch::cuda::is_available();
    if (request == "auto" || request.empty())
        return haveCuda ? c10::Device(c10::kCUDA, 0) : c10::Device(c10::kCPU);
    if (request == "cpu")
        return c10::Device(c10::kCPU);
    if (request == "cuda" || request.rfind("cuda:", 0) == 0) {
        if (!haveCuda) {
            setError("CUDA was requested but is not available (this LibTorch has no CUDA or no GPU is visible)");
            return c10::Device(c10::kCPU);
        }
        int index = 0;
        if (request.size() > 5) {
            try {
                size_t used = 0;
                index = std::stoi(request.substr(5), &used);
                if (used != request.size() - 5)
                    index = -1;
            } catch (const std::exception &) {
                index = -1;
            }
        }
        if (index < 0 || index >= static_cast<int>(torch::cuda::device_count())) {
            setError("no CUDA device " + request.substr(5));
            return c10::Device(c10::kCPU);
        }
        return c10::Device(c10::kCUDA, static_cast<c10::DeviceIndex>(index));
    }
    setError("unknown device \"" + request + "\" (expected auto, cpu or cuda)");
    return c10::Device(c10::kCPU);
}

std::string deviceDescription(const c10::Device &device)
{
    if (device.is_cuda()) {
        const int index = device.has_index() ? device.index() : 0;
        std::string name;
        double gibibytes = 0.0;
        if (cudaDriverDeviceInfo(index, &name, &gibibytes)) {
            char memory[32];
            std::snprintf(memory, sizeof memory, "%.0f", gibibytes);
            return "CUDA: " + name + ", " + memory + " GiB";
        }
        return "CUDA device " + std::to_string(index);
    }
    const auto count = [](int n) { return std::to_string(n) + (n == 1 ? " thread" : " threads"); };
    const int blas = blasThreadCount();
    return "CPU, " + count(at::get_num_threads()) + (blas > 0 ? ", BLAS " + count(blas) : std::string());
}

} // namespace fa::nn
