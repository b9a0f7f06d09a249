#pragma once

#include "project/project.h"
#include "test_files.h"

#include <QDir>
#include <QtGlobal>

#include <memory>

namespace fa::test {

/// A new empty project in the test's scratch folder (null, with a warning, on failure).
inline std::unique_ptr<Project> freshProject(const QString &name)
{
    const QString dir = outputDir() + QLatin1Char('/') + name;
    QDir(dir).removeRecursively();
    QString error;
    std::unique_ptr<Project> project = Project::create(dir, &error);
    if (!project)
        qWarning("%s", qPrintable(error));
    return project;
}

} // namespace fa::test
