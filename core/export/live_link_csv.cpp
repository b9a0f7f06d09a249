#include "export/live_link_csv.h"

#include "common/arkit.h"
#include "common/atomic_file_writer.h"
#include "export/csv_table.h"
#include "export/frame_rate.h"

#include <QRegularExpression>

#include <algorithm>
#include <array>
#include <cmath>

namespace fa {
namespace {

constexpr double kDegreesPerUnit = 180.0; // -1..1 in the file stands for -180..180 degrees
constexpr int kRotationCount = 9;
constexpr int kBlendShapeCount = arkit::kShapeCount + kRotationCount; // 61

const char *const kRotationNames[kRotationCount] = {
    "HeadYaw", "HeadPitch", "HeadRoll", "LeftEyeYaw", "LeftEyePitch", "LeftEyeRoll",
    "RightEyeYaw", "RightEyePitch", "RightEyeRoll",
};
// The rotation column of each of arkit::rotationChannelNames() (the eyes have no roll).
constexpr std::array<int, arkit::kRotationChannelCount> kRotationColumn = {0, 1, 2, 3, 4, 6, 7};

QByteArray timecode(double seconds)
{
    // Thousandths of a frame at the timecode rate.
    const long long q = std::llround(seconds * LiveLinkCsv::kTimecodeRate * 1000.0);
    const long long frames = q / 1000;
    const long long subFrame = q % 1000;
    const long long wholeSeconds = frames / LiveLinkCsv::kTimecodeRate;
    const long long ff = frames % LiveLinkCsv::kTimecodeRate;
    return QString::asprintf("%02lld:%02lld:%02lld:%02lld.%03lld", wholeSeconds / 3600,
                             (wholeSeconds / 60) % 60, wholeSeconds % 60, ff, subFrame)
            .toLatin1();
}

struct Timecode
{
    qint64 hours = 0;
    int minutes = 0, seconds = 0;
    double frames = 0.0; // FF plus the sub-frame fraction
};

// Bounds of what the reader accepts, so that every clip it returns can be written again (the
// writer's timecode() rounds thousandths of a frame into a long long): fuzz/fuzz_live_link_csv
// read a 400-digit FF as an infinite time, and a FrameRate of 1e-300 as 1e300 seconds.
constexpr qint64 kMaxTimecodeHours = 1000000; // 114 years; the app writes time of day (< 24)
constexpr double kMinFileRate = 1.0;
constexpr double kMaxFileRate = 1000.0;
// Times the writer refuses: far beyond any reader output (hours, midnight wraps, FF < rate).
constexpr double kMaxWritableSeconds = 1e14;

std::optional<Timecode> parseTimecode(const QString &text)
{
    static const QRegularExpression re(
            QStringLiteral("^(\\d+):(\\d{1,2}):(\\d{1,2})[:;](\\d+(?:\\.\\d*)?)$"));
    const QRegularExpressionMatch m = re.match(text.trimmed());
    if (!m.hasMatch())
        return std::nullopt;
    Timecode tc;
    bool hoursOk = false, framesOk = false;
    tc.hours = m.captured(1).toLongLong(&hoursOk);
    tc.minutes = m.captured(2).toInt();
    tc.seconds = m.captured(3).toInt();
    tc.frames = m.captured(4).toDouble(&framesOk);
    if (!hoursOk || tc.hours > kMaxTimecodeHours || tc.minutes > 59 || tc.seconds > 59
        || !framesOk || !std::isfinite(tc.frames))
        return std::nullopt;
    return tc;
}

double inferTimecodeRate(const std::vector<Timecode> &codes)
{
    double maxFrame = 0.0;
    bool crossesSecond = false;
    for (const Timecode &tc : codes) {
        maxFrame = std::max(maxFrame, std::floor(tc.frames));
        crossesSecond = crossesSecond || tc.seconds != codes.front().seconds
                || tc.minutes != codes.front().minutes || tc.hours != codes.front().hours;
    }
    const double atLeast = crossesSecond ? maxFrame + 1.0 : std::max(maxFrame + 1.0, 60.0);
    static const double kRates[] = {24, 25, 30, 48, 50, 60, 72, 90, 100, 120, 240};
    for (double rate : kRates) {
        if (rate >= atLeast)
            return rate;
    }
    return atLeast;
}

} // namespace

const QStringList &LiveLinkCsv::headerNames()
{
    static const QStringList names = [] {
        QStringList n{QStringLiteral("Timecode"), QStringLiteral("BlendShapeCount")};
        for (int i = 0; i < arkit::kShapeCount; ++i)
            n << arkit::pascalName(i);
        for (const char *rotation : kRotationNames)
            n << QString::fromLatin1(rotation);
        return n;
    }();
    return names;
}

bool LiveLinkCsv::write(const QString &path, const AnimationClip &clip, QString *error)
{
    // Clip control feeding each of the 52 shapes and the 9 rotation columns (-1: none).
    std::array<int, arkit::kShapeCount> shapeControl;
    shapeControl.fill(-1);
    std::array<int, kRotationCount> rotationControl;
    rotationControl.fill(-1);
    for (int c = 0; c < clip.controlCount(); ++c) {
        const QString &name = clip.controlNames().at(c);
        int rotation = -1;
        for (int r = 0; r < arkit::kRotationChannelCount && rotation < 0; ++r)
            if (arkit::rotationChannelNames().at(r).compare(name, Qt::CaseInsensitive) == 0)
                rotation = r;
        if (rotation >= 0) {
            int &column = rotationControl[size_t(kRotationColumn[size_t(rotation)])];
            if (column < 0)
                column = c;
            continue;
        }
        const int shape = arkit::indexOf(name);
        if (shape >= 0 && shapeControl[size_t(shape)] < 0)
            shapeControl[size_t(shape)] = c;
    }

    AtomicFileWriter file(path);
    if (!file.open(error))
        return false;
    QByteArray &out = file.buffer(); // written in blocks: an hour of video is about 35 MB of text
    out += headerNames().join(QLatin1Char(',')).toLatin1();
    out += "\r\n";
    const QByteArray count = QByteArray::number(kBlendShapeCount);
    for (int f = 0; f < clip.frameCount(); ++f) {
        const double t = clip.frameTime(f);
        if (!std::isfinite(t) || t < 0.0 || t >= kMaxWritableSeconds) {
            if (error)
                *error = QStringLiteral("%1: frame %2 has time %3 s; Live Link Face timecodes "
                                        "cannot be negative or beyond %4 s")
                                 .arg(path).arg(f).arg(t).arg(kMaxWritableSeconds);
            return false;
        }
        out += timecode(t);
        out += ',';
        out += count;
        for (int s = 0; s < arkit::kShapeCount; ++s) {
            const int c = shapeControl[size_t(s)];
            const double v = c >= 0 ? std::clamp(double(clip.value(f, c)), 0.0, 1.0) : 0.0;
            out += ',';
            out += formatFixed(v);
        }
        for (int h = 0; h < kRotationCount; ++h) {
            const int c = rotationControl[size_t(h)];
            const double v = c >= 0 ? double(clip.value(f, c)) / kDegreesPerUnit : 0.0;
            out += ',';
            out += formatFixed(v);
        }
        out += "\r\n";
        if (out.size() >= AtomicFileWriter::kBlockSize)
            file.flush();
    }
    return file.commit(error);
}

std::optional<AnimationClip> LiveLinkCsv::read(const QString &path, QString *error)
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
    int timecodeColumn = -1;
    int frameRateColumn = -1;
    std::vector<std::pair<int, int>> shapeColumns; // (column, shape index)
    std::array<int, arkit::kRotationChannelCount> rotationColumn;
    rotationColumn.fill(-1);
    std::array<bool, arkit::kShapeCount> seen{};
    for (int col = 0; col < header.fields.size(); ++col) {
        const QString name = header.fields.at(col).trimmed();
        if (name.compare(QLatin1String("Timecode"), Qt::CaseInsensitive) == 0) {
            if (timecodeColumn < 0)
                timecodeColumn = col;
            continue;
        }
        if (name.compare(QLatin1String("FrameRate"), Qt::CaseInsensitive) == 0) {
            frameRateColumn = col;
            continue;
        }
        bool isRotation = false;
        for (int h = 0; h < arkit::kRotationChannelCount; ++h) {
            if (name.compare(QLatin1String(kRotationNames[kRotationColumn[size_t(h)]]), Qt::CaseInsensitive) == 0) {
                if (rotationColumn[size_t(h)] < 0)
                    rotationColumn[size_t(h)] = col;
                isRotation = true;
            }
        }
        if (isRotation || name.endsWith(QLatin1String("EyeRoll"), Qt::CaseInsensitive))
            continue;
        const int shape = arkit::indexOf(name);
        if (shape >= 0 && !seen[size_t(shape)]) {
            seen[size_t(shape)] = true;
            shapeColumns.emplace_back(col, shape);
        }
    }
    if (timecodeColumn < 0)
        return fail(header.line, QStringLiteral("no Timecode column in the header"));
    const bool anyRotation = std::any_of(rotationColumn.begin(), rotationColumn.end(),
                                         [](int c) { return c >= 0; });
    if (shapeColumns.empty() && !anyRotation)
        return fail(header.line, QStringLiteral("no ARKit blendshape or head rotation column "
                                                "in the header"));

    QStringList controls = arkit::canonicalNames();
    std::vector<std::pair<int, int>> headOutputs; // (column, control index) of the rotations
    for (int h = 0; h < arkit::kRotationChannelCount; ++h) {
        if (rotationColumn[size_t(h)] >= 0) {
            headOutputs.emplace_back(rotationColumn[size_t(h)], int(controls.size()));
            controls << arkit::rotationChannelNames().at(h);
        }
    }

    const size_t frameCount = table->rows().size() - 1;
    std::vector<Timecode> codes;
    codes.reserve(frameCount);
    std::vector<int> codeLines; // the line of each timecode
    codeLines.reserve(frameCount);
    std::vector<std::vector<float>> values;
    values.reserve(frameCount);
    double fileRate = 0.0;
    const int needed = header.fields.size();
    for (size_t r = 1; r < table->rows().size(); ++r) {
        const CsvTable::Row &row = table->rows()[r];
        if (row.fields.size() < needed)
            return fail(row.line, QStringLiteral("%1 fields, the header has %2")
                                          .arg(row.fields.size()).arg(needed));
        const std::optional<Timecode> tc = parseTimecode(row.fields.at(timecodeColumn));
        if (!tc)
            return fail(row.line, QStringLiteral("timecode \"%1\" is not HH:MM:SS:FF.fff")
                                          .arg(row.fields.at(timecodeColumn)));
        codes.push_back(*tc);
        codeLines.push_back(row.line);
        if (frameRateColumn >= 0 && fileRate <= 0.0) {
            // Empty or zero cells leave the rate to a later row or to inference.
            const QString text = row.fields.at(frameRateColumn).trimmed();
            const double rate = text.toDouble();
            if (!text.isEmpty() && rate != 0.0 && !(rate >= kMinFileRate && rate <= kMaxFileRate))
                return fail(row.line, QStringLiteral("FrameRate \"%1\" is not a frame rate "
                                                     "(%2 to %3)")
                                              .arg(text).arg(kMinFileRate).arg(kMaxFileRate));
            fileRate = rate;
        }

        std::vector<float> frame(size_t(controls.size()), 0.0f);
        auto number = [&](int col, double *v) {
            bool ok = false;
            *v = row.fields.at(col).trimmed().toDouble(&ok);
            return ok && std::isfinite(*v);
        };
        for (const auto &[col, shape] : shapeColumns) {
            double v = 0.0;
            if (!number(col, &v))
                return fail(row.line, QStringLiteral("%1 value \"%2\" is not a number")
                                              .arg(header.fields.at(col).trimmed(),
                                                   row.fields.at(col)));
            frame[size_t(shape)] = float(v);
        }
        for (const auto &[col, control] : headOutputs) {
            double v = 0.0;
            if (!number(col, &v))
                return fail(row.line, QStringLiteral("%1 value \"%2\" is not a number")
                                              .arg(header.fields.at(col).trimmed(),
                                                   row.fields.at(col)));
            frame[size_t(control)] = float(v * kDegreesPerUnit);
        }
        values.push_back(std::move(frame));
    }

    const double rate = fileRate > 0.0 ? fileRate : inferTimecodeRate(codes);
    std::vector<double> times;
    times.reserve(frameCount);
    double dayOffset = 0.0;
    for (size_t i = 0; i < codes.size(); ++i) {
        const Timecode &tc = codes[i];
        if (fileRate > 0.0 && tc.frames >= fileRate)
            return fail(codeLines[i], QStringLiteral("timecode frame %1 is not below the FrameRate %2")
                                              .arg(tc.frames).arg(fileRate));
        double t = tc.hours * 3600.0 + tc.minutes * 60.0 + tc.seconds + tc.frames / rate;
        if (!times.empty() && t + dayOffset < times.back() - 12 * 3600.0)
            dayOffset += 24 * 3600.0;
        times.push_back(t + dayOffset);
    }

    AnimationClip clip(controls, estimateFrameRate(times, rate));
    for (size_t f = 0; f < frameCount; ++f)
        clip.appendFrame(times[f], values[f], true);
    return clip;
}

} // namespace fa
