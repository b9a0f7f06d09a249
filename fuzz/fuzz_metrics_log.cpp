// Fuzz target: MetricsLog::readFile / fromJsonLine (core/training/metrics_log.cpp) on arbitrary
// bytes as a metrics.jsonl. Every line it reads, written again with toJsonLine(), must read back.

#include "fuzz_support.h"

#include "training/metrics_log.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    const QString path = QString::fromStdString(fa::fuzz::writeScratchFile("input.jsonl", data, size));
    for (const fa::TrainingMetrics &metrics : fa::MetricsLog::readFile(path)) {
        const std::optional<fa::TrainingMetrics> again = fa::MetricsLog::fromJsonLine(fa::MetricsLog::toJsonLine(metrics));
        FA_FUZZ_CHECK(again);
        FA_FUZZ_CHECK(again->step == metrics.step);
    }
    return 0;
}
