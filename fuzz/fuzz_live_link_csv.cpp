// Fuzz target: LiveLinkCsv::read (core/export/live_link_csv.cpp, csv_table.cpp, frame_rate.cpp)
// on arbitrary bytes in a .csv file. A clip it accepts is written back and must read again with
// the same frame count (it always has the 52 shapes and the six written rotation channels).

#include "fuzz_support.h"

#include "export/live_link_csv.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    const QString path = QString::fromStdString(fa::fuzz::writeScratchFile("input.csv", data, size));
    QString error;
    const std::optional<fa::AnimationClip> clip = fa::LiveLinkCsv::read(path, &error);
    FA_FUZZ_CHECK(clip || error.startsWith(path));
    if (!clip)
        return 0;
    const QString output = QString::fromStdString(fa::fuzz::scratchDir() + "/output.csv");
    FA_FUZZ_CHECK(fa::LiveLinkCsv::write(output, *clip, &error));
    const std::optional<fa::AnimationClip> again = fa::LiveLinkCsv::read(output, &error);
    FA_FUZZ_CHECK(again);
    FA_FUZZ_CHECK(again->frameCount() == clip->frameCount());
    return 0;
}
