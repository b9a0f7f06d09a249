#include "common/atomic_file.h"

#include "common/atomic_file_writer.h"

namespace fa {

bool writeFileAtomically(const QString &path, const QByteArray &data, QString *error)
{
    AtomicFileWriter file(path);
    if (!file.open(error))
        return false;
    file.write(data);
    return file.commit(error);
}

} // namespace fa
