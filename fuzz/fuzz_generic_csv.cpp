// Fuzz target: GenericCsv::read (core/export/generic_csv.cpp, csv_table.cpp, frame_rate.cpp) on
// arbitrary bytes in a .csv file. A clip it accepts is written back and must read again with
// the same frames and controls.

#include "fuzz_support.h"

#include "export/generic_csv.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    const QString path = QString::fromStdString(fa::fuzz::writeScratchFile("input.csv", data, size));
    QString error;
    const std::optional<fa::AnimationClip> clip = fa::GenericCsv::read(path, &error);
    FA_FUZZ_CHECK(clip || error.startsWith(path));
    if (!clip)
        return 0;
    const QString output = QString::fromStdString(fa::fuzz::scratchDir() + "/output.csv");
    FA_FUZZ_CHECK(fa::GenericCsv::write(output, *clip, &error));
    const std::optional<fa::AnimationClip> again = fa::GenericCsv::read(output, &error);
    FA_FUZZ_CHECK(again);
    FA_FUZZ_CHECK(again->frameCount() == clip->frameCount());
    FA_FUZZ_CHECK(again->controlNames() == clip->controlNames());
    return 0;
}
