#include "renderset/real_rig_curves.h"

#include "animation/animation_clip.h"
#include "common/arkit.h"
#include "export/generic_csv.h"
#include "export/live_link_csv.h"
#include "retarget/retargeter.h"

#include <QFile>
#include <QFileInfo>

#include <algorithm>

namespace fa {

namespace {

bool isLiveLink(const QString &path)
{
    QFile file(path);
    if (!file.open(QIODevice::ReadOnly))
        return false;
    const QList<QByteArray> names = file.readLine().split(',');
    for (const QByteArray &name : names)
        if (name.trimmed().compare("timecode", Qt::CaseInsensitive) == 0)
            return true;
    return false;
}

/// Per rig control, the clip column that drives it, or -1.
std::vector<int> columnsFor(const RigDefinition &rig, const AnimationClip &clip)
{
    std::vector<int> columns(size_t(rig.controlCount()), -1);
    std::vector<int> clipShapes;
    for (const QString &name : clip.controlNames())
        clipShapes.push_back(arkit::indexOf(name));
    for (int c = 0; c < rig.controlCount(); ++c) {
        const QString &name = rig.control(c).name;
        for (int j = 0; j < clip.controlCount(); ++j) {
            if (clip.controlNames()[j].compare(name, Qt::CaseInsensitive) == 0) {
                columns[size_t(c)] = j;
                break;
            }
        }
        const int shape = arkit::indexOf(name);
        if (columns[size_t(c)] >= 0 || shape < 0)
            continue;
        for (int j = 0; j < clip.controlCount(); ++j) {
            if (clipShapes[size_t(j)] == shape) {
                columns[size_t(c)] = j;
                break;
            }
        }
    }
    return columns;
}

} // namespace

std::optional<std::vector<std::vector<float>>> RealRigCurves::load(const QStringList &paths, const RigDefinition &rig,
                                                                   const Progress &progress, QString *error)
{
    auto fail = [&](const QString &text) -> std::optional<std::vector<std::vector<float>>> {
        if (error)
            *error = text;
        return std::nullopt;
    };
    std::vector<std::vector<float>> frames;
    for (int i = 0; i < paths.size(); ++i) {
        const QString &path = paths[i];
        const double done = double(i) / double(paths.size());
        if (progress && !progress(done, path))
            return fail(QStringLiteral("canceled"));
        if (!QFileInfo(path).isFile())
            return fail(QStringLiteral("%1: no such file").arg(path));
        std::optional<AnimationClip> clip;
        QString readError;
        if (path.endsWith(QLatin1String(".csv"), Qt::CaseInsensitive)) {
            clip = isLiveLink(path) ? LiveLinkCsv::read(path, &readError) : GenericCsv::read(path, &readError);
            if (!clip)
                return fail(readError);
        } else {
            RetargetOptions options;
            options.videoPath = path;
            options.keepLandmarks = false;
            Retargeter retargeter;
            const bool ok = retargeter.run(options, [&](const RetargetProgress &p) {
                const double part = p.framesTotal > 0 ? double(p.framesDone) / double(p.framesTotal) : 0.0;
                return !progress || progress(done + part / double(paths.size()), path);
            });
            if (!ok)
                return fail(retargeter.wasCanceled() ? QStringLiteral("canceled") : retargeter.errorString());
            clip = retargeter.clip();
        }
        const std::vector<int> columns = columnsFor(rig, *clip);
        if (std::all_of(columns.begin(), columns.end(), [](int j) { return j < 0; }))
            return fail(QStringLiteral("%1: none of its %2 curves names a control of the avatar's rig")
                            .arg(path).arg(clip->controlCount()));
        qsizetype kept = 0;
        for (int f = 0; f < clip->frameCount(); ++f) {
            if (!clip->faceFound(f))
                continue;
            std::vector<float> values(size_t(rig.controlCount()), 0.0f);
            for (int c = 0; c < rig.controlCount(); ++c)
                if (columns[size_t(c)] >= 0)
                    values[size_t(c)] = clip->value(f, columns[size_t(c)]);
            frames.push_back(std::move(values));
            ++kept;
        }
        if (kept == 0)
            return fail(QStringLiteral("%1: no frame with a face").arg(path));
    }
    if (progress)
        progress(1.0, QString());
    return frames;
}

} // namespace fa
