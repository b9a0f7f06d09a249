#pragma once

// The ways the CPU's cores can be shared between torch's intra-op pool and OpenBLAS's own
// threads (nn::useCpuThreads), for the benches' "1 thread against all cores" tables.

#include "nn/device.h"

#include <ATen/Parallel.h>

#include <algorithm>
#include <thread>
#include <vector>

namespace fa::bench {

struct CpuThreadMode
{
    const char *name;
    int torch; ///< torch intra-op threads
    int blas;  ///< OpenBLAS threads (ignored where the BLAS is not OpenBLAS)
};

/// 1 thread; LibTorch's default on Debian (torch 1, BLAS every core); every core to torch
/// (the studio's choice for renderers); both at every core (oversubscribed).
inline std::vector<CpuThreadMode> cpuThreadModes()
{
    const int all = std::max(1, int(std::thread::hardware_concurrency()));
    return {{"1 thread", 1, 1}, {"BLAS all", 1, all}, {"torch all", all, 1}, {"both all", all, all}};
}

inline void applyCpuThreadMode(const CpuThreadMode &mode)
{
    // useCpuThreads gives the cores to one side and 1 thread to the other; then the torch count.
    fa::nn::useCpuThreads(mode.blas, fa::nn::CpuThreadUse::Blas);
    at::set_num_threads(mode.torch);
}

} // namespace fa::bench
