// Fuzz target: ReferenceTripletCsv::readFile (core/dataset/reference_triplet_csv.cpp,
// csv_table.cpp, triplet_type.cpp) on arbitrary bytes in a .csv file. Rows it accepts, written
// back with toBytes(), must read again into the same rows.

#include "fuzz_support.h"

#include "dataset/reference_triplet_csv.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    const QString path = QString::fromStdString(fa::fuzz::writeScratchFile("input.csv", data, size));
    QString error;
    const auto rows = fa::ReferenceTripletCsv::readFile(path, &error);
    FA_FUZZ_CHECK(rows || error.startsWith(path));
    if (!rows)
        return 0;
    const QByteArray written = fa::ReferenceTripletCsv::toBytes(*rows);
    const QString output = QString::fromStdString(
        fa::fuzz::writeScratchFile("output.csv", reinterpret_cast<const uint8_t *>(written.constData()),
                                   size_t(written.size())));
    const auto again = fa::ReferenceTripletCsv::readFile(output, &error);
    FA_FUZZ_CHECK(again);
    FA_FUZZ_CHECK(again->size() == rows->size());
    for (size_t i = 0; i < rows->size(); ++i) {
        const fa::ReferenceTripletRow &a = (*rows)[i];
        const fa::ReferenceTripletRow &b = (*again)[i];
        FA_FUZZ_CHECK(a.anchor == b.anchor && a.positive == b.positive && a.negative == b.negative
                      && a.type == b.type);
    }
    return 0;
}
