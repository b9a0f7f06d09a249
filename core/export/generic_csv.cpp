#include "export/generic_csv.h"

#include "common/atomic_file_writer.h"
#include "export/csv_table.h"
#include "export/frame_rate.h"

#include <cmath>

namespace fa {
namespace {

constexpr double kDefaultFps = 30.0;

} // namespace

bool GenericCsv::write(const QString &path, const AnimationClip &clip, QString *error)
{
    AtomicFileWriter file(path);
    if (!file.open(error))
        return false;
    QByteArray &out = file.buffer(); // written in blocks, not built whole in memory
    QStringList header{QStringLiteral("frame"), QStringLiteral("time"),
                       QStringLiteral("face_found")};
    header << clip.controlNames();
    CsvTable::appendRecord(out, header);

    for (int f = 0; f < clip.frameCount(); ++f) {
        out += QByteArray::number(f);
        out += ',';
        out += formatFixed(clip.frameTime(f));
        out += clip.faceFound(f) ? ",1" : ",0";
        for (int c = 0; c < clip.controlCount(); ++c) {
            out += ',';
            out += formatFixed(double(clip.value(f, c)));
        }
        out += "\r\n";
        if (out.size() >= AtomicFileWriter::kBlockSize)
            file.flush();
    }
    return file.commit(error);
}

std::optional<AnimationClip> GenericCsv::read(const QString &path, QString *error)
{
    auto fail = [&](int line, const QString &what) -> std::optional<AnimationClip> {
        if (error)
            *error = CsvTable::locate(path, line, what);
        return std::nullopt;
    };
    const std::optional<CsvTable> table = CsvTable::readFile(path, error);
    if (!table)
        return std::nullopt;

    const CsvTable::Row &header = table->rows().front();
    int timeColumn = -1;
    int faceColumn = -1;
    QStringList controls;
    std::vector<int> controlColumns;
    for (int col = 0; col < header.fields.size(); ++col) {
        const QString name = header.fields.at(col).trimmed();
        if (name.compare(QLatin1String("time"), Qt::CaseInsensitive) == 0 && timeColumn < 0)
            timeColumn = col;
        else if (name.compare(QLatin1String("face_found"), Qt::CaseInsensitive) == 0
                 && faceColumn < 0)
            faceColumn = col;
        else if (name.compare(QLatin1String("frame"), Qt::CaseInsensitive) == 0)
            continue;
        else {
            controls << name;
            controlColumns.push_back(col);
        }
    }
    if (timeColumn < 0)
        return fail(header.line, QStringLiteral("no time column in the header"));

    std::vector<double> times;
    std::vector<std::vector<float>> values;
    std::vector<bool> found;
    const int needed = header.fields.size();
    for (size_t r = 1; r < table->rows().size(); ++r) {
        const CsvTable::Row &row = table->rows()[r];
        if (row.fields.size() < needed)
            return fail(row.line, QStringLiteral("%1 fields, the header has %2")
                                          .arg(row.fields.size()).arg(needed));
        auto number = [&](int col, double *v) -> bool {
            bool ok = false;
            *v = row.fields.at(col).trimmed().toDouble(&ok);
            return ok && std::isfinite(*v);
        };
        double t = 0.0;
        if (!number(timeColumn, &t))
            return fail(row.line, QStringLiteral("time \"%1\" is not a number")
                                          .arg(row.fields.at(timeColumn)));
        double flag = 1.0;
        if (faceColumn >= 0 && !number(faceColumn, &flag))
            return fail(row.line, QStringLiteral("face_found \"%1\" is not a number")
                                          .arg(row.fields.at(faceColumn)));
        std::vector<float> frame(controlColumns.size());
        for (size_t i = 0; i < controlColumns.size(); ++i) {
            double v = 0.0;
            if (!number(controlColumns[i], &v))
                return fail(row.line, QStringLiteral("%1 value \"%2\" is not a number")
                                              .arg(controls.at(int(i)),
                                                   row.fields.at(controlColumns[i])));
            frame[i] = float(v);
        }
        times.push_back(t);
        found.push_back(flag != 0.0);
        values.push_back(std::move(frame));
    }

    AnimationClip clip(controls, estimateFrameRate(times, kDefaultFps));
    for (size_t f = 0; f < times.size(); ++f)
        clip.appendFrame(times[f], values[f], found[f]);
    return clip;
}

} // namespace fa
