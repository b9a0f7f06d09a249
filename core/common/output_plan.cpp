#include "common/output_plan.h"

#include "common/file_kind.h"

#include <QDir>
#include <QFile>
#include <QFileInfo>

#include <sys/stat.h>

namespace fa {

namespace {

const QString kProjectDatabase = QStringLiteral("project.sqlite");

// The path with links resolved: the file's own canonical path when it exists, else its
// folder's canonical path and its name (the output may not exist yet).
QString resolved(const QString &path)
{
    const QFileInfo info(path);
    if (info.exists())
        return info.canonicalFilePath();
    const QString folder = QFileInfo(info.absolutePath()).canonicalFilePath();
    return folder.isEmpty() ? info.absoluteFilePath() : QDir(folder).absoluteFilePath(info.fileName());
}

bool sameFile(const QString &a, const QString &b)
{
    struct stat first;
    struct stat second;
    if (::stat(QFile::encodeName(a).constData(), &first) == 0 && ::stat(QFile::encodeName(b).constData(), &second) == 0)
        return first.st_dev == second.st_dev && first.st_ino == second.st_ino;
    return resolved(a) == resolved(b);
}

// project.sqlite, project.sqlite-wal, -shm, -journal beside a project.sqlite.
bool isProjectDatabase(const QString &path)
{
    const QFileInfo info(resolved(path));
    const QString name = info.fileName();
    if (name != kProjectDatabase && !(name.startsWith(kProjectDatabase + QLatin1Char('-'))))
        return false;
    return QFileInfo::exists(QDir(info.absolutePath()).absoluteFilePath(kProjectDatabase));
}

} // namespace

void OutputPlan::addInput(const QString &path)
{
    if (!path.isEmpty())
        m_inputs << path;
}

void OutputPlan::addProject(const QString &folder)
{
    if (!folder.isEmpty())
        m_projects << folder;
}

void OutputPlan::addOutputFile(const QString &path, const QString &option)
{
    if (!path.isEmpty())
        m_outputs.append({path, option, false});
}

void OutputPlan::addOutputFolder(const QString &path, const QString &option)
{
    if (!path.isEmpty())
        m_outputs.append({path, option, true});
}

QString OutputPlan::check() const
{
    for (qsizetype i = 0; i < m_outputs.size(); ++i) {
        const Output &output = m_outputs[i];
        const auto fail = [&](const QString &what) { return QStringLiteral("%1: %2 (%3)").arg(output.path, what, output.option); };
        const FileKind kind = fileKind(output.path);
        if (output.folder && kind != FileKind::Missing && kind != FileKind::Directory)
            return fail(QStringLiteral("is %1, not a folder").arg(describeFileKind(kind)));
        if (!output.folder && kind != FileKind::Missing && kind != FileKind::Regular)
            return fail(QStringLiteral("is %1, not a regular file").arg(describeFileKind(kind)));
        for (const QString &input : m_inputs) {
            if (sameFile(output.path, input))
                return fail(QStringLiteral("is also an input of the command (%1); writing would destroy it").arg(input));
        }
        if (!output.folder && isProjectDatabase(output.path))
            return fail(QStringLiteral("is a project's database; writing would destroy the project"));
        for (const QString &project : m_projects) {
            if (sameFile(output.path, project))
                return fail(QStringLiteral("is the project folder itself"));
            for (const QString &suffix : {QString(), QStringLiteral("-wal"), QStringLiteral("-shm"), QStringLiteral("-journal")}) {
                if (sameFile(output.path, QDir(project).absoluteFilePath(kProjectDatabase + suffix)))
                    return fail(QStringLiteral("is a project's database; writing would destroy the project"));
            }
        }
        for (qsizetype j = 0; j < i; ++j) {
            if (sameFile(output.path, m_outputs[j].path))
                return fail(QStringLiteral("is also given for %1; each output needs its own path").arg(m_outputs[j].option));
        }
    }
    return QString();
}

} // namespace fa
