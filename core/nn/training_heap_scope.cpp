#include "nn/training_heap_scope.h"

#include <mutex>

#if defined(__GLIBC__)
#include <malloc.h>
#endif

namespace fa::nn {

TrainingHeapScope::TrainingHeapScope()
{
#if defined(__GLIBC__)
    static std::once_flag once;
    std::call_once(once, [] {
        // DEFAULT_MMAP_THRESHOLD_MAX of glibc's malloc: 4 * 1024 * 1024 * sizeof(long) on 64-bit,
        // 512 KiB on 32-bit; mallopt refuses more. Set before the trim threshold: setting that
        // alone switches the adaptive mmap threshold off at 128 KiB (ten times the page faults).
        ::mallopt(M_MMAP_THRESHOLD, sizeof(long) >= 8 ? 4 * 1024 * 1024 * int(sizeof(long)) : 512 * 1024);
        ::mallopt(M_TRIM_THRESHOLD, 1024 * 1024 * 1024);
    });
#endif
}

TrainingHeapScope::~TrainingHeapScope()
{
#if defined(__GLIBC__)
    ::malloc_trim(0);
#endif
}

} // namespace fa::nn
