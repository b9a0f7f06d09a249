// Fuzz target: FecTripletCsv::parse (core/dataset/fec_triplet_csv.cpp, csv_table.cpp,
// triplet_type.cpp) on arbitrary bytes. Rows it accepts must pass writeFile()'s checks, and
// toBytes() of them must parse again into the same rows (URLs, boxes, types, annotations).

#include "fuzz_support.h"

#include "dataset/fec_triplet_csv.h"

namespace {

bool sameRows(const std::vector<fa::FecTripletRow> &a, const std::vector<fa::FecTripletRow> &b)
{
    if (a.size() != b.size())
        return false;
    for (size_t r = 0; r < a.size(); ++r) {
        for (size_t f = 0; f < 3; ++f) {
            const fa::FecFace &x = a[r].faces[f];
            const fa::FecFace &y = b[r].faces[f];
            if (x.url != y.url || x.left != y.left || x.right != y.right || x.top != y.top
                || x.bottom != y.bottom)
                return false;
        }
        if (a[r].type != b[r].type || a[r].annotations.size() != b[r].annotations.size())
            return false;
        for (size_t i = 0; i < a[r].annotations.size(); ++i)
            if (a[r].annotations[i].annotatorId != b[r].annotations[i].annotatorId
                || a[r].annotations[i].choice != b[r].annotations[i].choice)
                return false;
    }
    return true;
}

} // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    const QByteArray bytes = QByteArray::fromRawData(reinterpret_cast<const char *>(data), qsizetype(size));
    QString error;
    const auto rows = fa::FecTripletCsv::parse(bytes, QStringLiteral("fuzz.csv"), &error);
    FA_FUZZ_CHECK(rows || error.startsWith(QStringLiteral("fuzz.csv")));
    if (!rows)
        return 0;
    for (const fa::FecTripletRow &row : *rows)
        FA_FUZZ_CHECK(row.annotations.size() <= size_t(fa::FecTripletCsv::kMaxAnnotations));
    const auto again = fa::FecTripletCsv::parse(fa::FecTripletCsv::toBytes(*rows), QStringLiteral("again.csv"), &error);
    FA_FUZZ_CHECK(again);
    FA_FUZZ_CHECK(sameRows(*rows, *again));
    return 0;
}
