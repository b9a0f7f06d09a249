#pragma once

#include <QList>
#include <QString>
#include <QStringList>

namespace fa {

/// The files a command reads and the files and folders it will write, checked once, before
/// anything is read or written (issue 16: `retarget in.mp4 --csv in.mp4` overwrote its input,
/// `project export P --out P/project.sqlite` destroyed the project, `--csv o --fbx o` silently
/// kept only the FBX, and a FIFO or device given as output was replaced by a plain file).
///
/// check() refuses, with one line "PATH: what is wrong (OPTION)":
/// - an output file that exists and is not a regular file (FIFO, device, socket, folder);
/// - an output folder that exists and is not a folder;
/// - an output that is one of the inputs (same file by device and inode, or the same path
///   once links are resolved), or a project's database (project.sqlite and its -wal, -shm and
///   -journal files in a folder holding project.sqlite), or an added project's folder itself;
/// - two outputs that are the same path.
/// A missing parent folder is left to the writer, which names it.
class OutputPlan
{
public:
    /// A file or folder the command reads.
    void addInput(const QString &path);
    /// A project folder the command reads or changes: its database files are never outputs.
    void addProject(const QString &folder);
    /// A file the command writes; `option` names it in messages ("--csv").
    void addOutputFile(const QString &path, const QString &option);
    /// A folder the command creates or fills.
    void addOutputFolder(const QString &path, const QString &option);

    /// Empty when every output is acceptable, else the first problem.
    QString check() const;

private:
    struct Output
    {
        QString path;
        QString option;
        bool folder = false;
    };
    QStringList m_inputs;
    QStringList m_projects;
    QList<Output> m_outputs;
};

} // namespace fa
