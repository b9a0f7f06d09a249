// Fuzz target: TrainingConfig::fromYaml (core/training/training_config.cpp with yaml-cpp,
// training_presets.cpp) on arbitrary bytes. A configuration it accepts is validated, written
// with toYaml() and must read back equal (toYaml()'s "numbers round-trip exactly").

#include "fuzz_support.h"

#include "training/training_config.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    const QByteArray text(reinterpret_cast<const char *>(data), qsizetype(size));
    QString error;
    const std::optional<fa::TrainingConfig> config = fa::TrainingConfig::fromYaml(text, &error);
    FA_FUZZ_CHECK(config || !error.isEmpty());
    if (!config)
        return 0;
    (void)config->problems();
    (void)config->learningRate();
    (void)config->warmupSteps();
    const std::optional<fa::TrainingConfig> again = fa::TrainingConfig::fromYaml(config->toYaml(), &error);
    FA_FUZZ_CHECK(again);
    FA_FUZZ_CHECK(*again == *config);
    return 0;
}
