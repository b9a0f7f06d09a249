#include "recent_projects.h"

#include "project/project.h"

#include <QDir>
#include <QSettings>

namespace fa::studio {

namespace {
const QString kKey = QStringLiteral("recentProjects");

QString normalised(const QString &directory)
{
    return QDir::cleanPath(QDir(directory).absolutePath());
}
} // namespace

QStringList RecentProjects::list()
{
    QSettings settings;
    const QStringList stored = settings.value(kKey).toStringList();
    QStringList kept;
    for (const QString &directory : stored) {
        if (fa::Project::exists(directory) && !kept.contains(directory) && kept.size() < kMaximum)
            kept.append(directory);
    }
    if (kept != stored)
        settings.setValue(kKey, kept);
    return kept;
}

void RecentProjects::add(const QString &directory)
{
    QStringList projects = QSettings().value(kKey).toStringList();
    const QString path = normalised(directory);
    projects.removeAll(path);
    projects.prepend(path);
    while (projects.size() > kMaximum)
        projects.removeLast();
    QSettings().setValue(kKey, projects);
}

void RecentProjects::remove(const QString &directory)
{
    QStringList projects = QSettings().value(kKey).toStringList();
    projects.removeAll(normalised(directory));
    QSettings().setValue(kKey, projects);
}

void RecentProjects::clear()
{
    QSettings().remove(kKey);
}

} // namespace fa::studio
