// Fuzz target: labelsFromFileName (core/dataset/file_name_labels.cpp) on arbitrary bytes as a
// UTF-8 path. The category is empty or one of knownEmotionCategories(); no category, no identity.

#include "fuzz_support.h"

#include "dataset/file_name_labels.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    const QString path = QString::fromUtf8(reinterpret_cast<const char *>(data), qsizetype(size));
    const fa::FileNameLabels labels = fa::labelsFromFileName(path);
    FA_FUZZ_CHECK(labels.category.isEmpty() || fa::knownEmotionCategories().contains(labels.category));
    FA_FUZZ_CHECK(!labels.category.isEmpty() || labels.identity.isEmpty());
    return 0;
}
