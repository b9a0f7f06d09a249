#pragma once

// C heap settings for CPU training, as a scope (glibc only; elsewhere it does nothing).
//
// A CPU training step allocates and frees the same large activation buffers every step (e.g.
// 29 MB for the MLP activations of 48 tiny-preset 224² images). With glibc's defaults many of
// them are mmap()ed and munmap()ed, or trimmed off the heap top, each step, so the kernel
// zero-fills their pages again: 1.6 million minor page faults in 5 tiny-preset triplet steps
// (16 triplets each), about 1/8 of the step time. Keeping freed memory for reuse cut that to
// 0.64 million and the step from 3.45 s to 3.07 s on the 2-core build machine
// (bench/RESULTS.md, "bench_training"). PyTorch's CPU performance guide recommends jemalloc or
// tcmalloc for the same reason.

namespace fa::nn {

class TrainingHeapScope
{
public:
    /// Raises glibc's mmap threshold to its maximum (32 MiB on 64-bit; larger blocks stay
    /// mmap()ed) and the heap trim threshold to 1 GiB, so that freed activation buffers are
    /// reused. Done once per process (thread-safe): the thresholds then stay fixed (glibc stops
    /// adapting its mmap threshold), which suits a process that trains.
    TrainingHeapScope();
    /// Returns the heap's free memory to the system (malloc_trim(0)), so that an idle studio
    /// does not keep a run's peak.
    ~TrainingHeapScope();

    TrainingHeapScope(const TrainingHeapScope &) = delete;
    TrainingHeapScope &operator=(const TrainingHeapScope &) = delete;
};

} // namespace fa::nn
