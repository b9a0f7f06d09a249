#include "project/project.h"

#include "project/project_schema.h"
#include "project/sqlite_statement.h"

#include "common/file_kind.h"

#include <QDateTime>
#include <QDir>
#include <QFileInfo>
#include <QJsonArray>
#include <QJsonDocument>
#include <QTemporaryFile>

namespace fa {
namespace {

QString located(const QString &path, const QString &what)
{
    return QStringLiteral("%1: %2").arg(QDir::toNativeSeparators(path), what);
}

bool folderIsWritable(const QString &directory)
{
    // QFileInfo::isWritable() only reads permission bits; a read-only mount or an ACL can still
    // refuse, so try to create a file.
    QTemporaryFile probe(QDir(directory).filePath(QStringLiteral(".write-probe-XXXXXX")));
    return probe.open();
}

} // namespace

Project::Project(const QString &directory)
    : m_directory(QDir(directory).absolutePath()),
      m_clock([] { return QDateTime::currentMSecsSinceEpoch(); }),
      m_faces(std::make_unique<FaceStore>(*this)),
      m_triplets(std::make_unique<TripletStore>(*this)),
      m_judgments(std::make_unique<JudgmentStore>(*this)),
      m_animateSessions(std::make_unique<AnimateSessionStore>(*this))
{
}

Project::~Project() = default;

bool Project::exists(const QString &directory)
{
    return QFileInfo(QDir(directory).filePath(QString::fromUtf8(kDatabaseFileName))).isFile();
}

std::unique_ptr<Project> Project::create(const QString &directory, QString *error)
{
    if (exists(directory)) {
        if (error)
            *error = located(directory, QStringLiteral("already holds a project (project.sqlite)"));
        return nullptr;
    }
    if (!QDir().mkpath(directory)) {
        if (error)
            *error = located(directory, QStringLiteral("cannot create the folder"));
        return nullptr;
    }
    std::unique_ptr<Project> project(new Project(directory));
    if (!project->openDatabase(true, error))
        return nullptr;
    return project;
}

std::unique_ptr<Project> Project::open(const QString &directory, QString *error)
{
    const QFileInfo folder(directory);
    if (!folder.isDir()) {
        if (error)
            *error = folderProblem(directory);
        return nullptr;
    }
    if (!exists(directory)) {
        if (error)
            *error = located(directory, QStringLiteral("not a FreeAvatar project (no project.sqlite)"));
        return nullptr;
    }
    // SQLite opens a 0-byte file as a new, empty database: the project would silently lose
    // every face and label that crops/ and its users still hold (issue 16). A FIFO or device
    // in its place would block.
    const QString database = QDir(directory).absoluteFilePath(QString::fromUtf8(kDatabaseFileName));
    if (const QString problem = specialFileProblem(database); !problem.isEmpty()) {
        if (error)
            *error = problem;
        return nullptr;
    }
    if (QFileInfo(database).size() == 0) {
        if (error)
            *error = located(database, QStringLiteral("is empty (0 bytes): the project database is lost; restore it "
                                                      "from a backup (the studio will not replace it with an empty one)"));
        return nullptr;
    }
    std::unique_ptr<Project> project(new Project(directory));
    if (!project->openDatabase(false, error))
        return nullptr;
    return project;
}

bool Project::openDatabase(bool create, QString *error)
{
    const QString path = databasePath();
    auto fail = [&](const QString &what) {
        if (error)
            *error = located(path, what);
        m_connection.close();
        return false;
    };
    if (!folderIsWritable(m_directory)) {
        if (error)
            *error = located(m_directory, QStringLiteral("the project folder is read-only, and opening a "
                                                         "project writes to its database (copy it somewhere writable)"));
        return false;
    }
    if (!QDir(m_directory).mkpath(QString::fromUtf8(kCropsFolderName)))
        return fail(QStringLiteral("cannot create the crops folder"));
    if (!m_connection.open(path, create))
        return fail(QStringLiteral("cannot open the project database: %1").arg(m_connection.errorString()));

    // A damaged or truncated file shows here: schema parse, journal mode or the quick check.
    const int version = ProjectSchema::version(m_connection);
    if (version < 0)
        return fail(QStringLiteral("the project database is damaged or not a database (%1)")
                        .arg(m_connection.errorString()));
    if (version > ProjectSchema::currentVersion())
        return fail(QStringLiteral("written by a newer FreeAvatar Studio (schema %1; this version "
                                   "reads up to %2): update the studio to open it")
                        .arg(version)
                        .arg(ProjectSchema::currentVersion()));
    if (!m_connection.exec(QStringLiteral("PRAGMA journal_mode = WAL"))
        || !m_connection.exec(QStringLiteral("PRAGMA synchronous = FULL"))) {
        // Setting the journal mode parses the schema: a schema that spills past the first page
        // (it does since schema 3) shows damage to later pages here, before the quick check.
        if (m_connection.lastErrorIsDamage())
            return fail(QStringLiteral("the project database is damaged (%1)").arg(m_connection.errorString()));
        return fail(QStringLiteral("cannot set up the project database: %1").arg(m_connection.errorString()));
    }
    if (version > 0) {
        SqliteStatement check = m_connection.prepare(QStringLiteral("PRAGMA quick_check"));
        const bool stepped = check.isValid() && check.step() == SqliteStatement::Step::Row;
        QString verdict = stepped ? check.columnText(0) : m_connection.errorString();
        verdict = verdict.simplified().left(200); // one line
        if (verdict != QLatin1String("ok"))
            return fail(QStringLiteral("the project database is damaged (%1)").arg(verdict));
    }
    QString migrationError;
    if (!ProjectSchema::migrate(m_connection, &migrationError))
        return fail(migrationError);
    return true;
}

QString Project::databasePath() const
{
    return QDir(m_directory).filePath(QString::fromUtf8(kDatabaseFileName));
}

QString Project::cropsDirectory() const
{
    return QDir(m_directory).filePath(QString::fromUtf8(kCropsFolderName));
}

QString Project::absolutePath(const QString &projectRelativePath) const
{
    return QDir(m_directory).filePath(projectRelativePath);
}

QString Project::storedPath(const QString &path) const
{
    if (path.isEmpty())
        return path;
    const QString absolute = QDir::cleanPath(QFileInfo(path).absoluteFilePath());
    const QString relative = QDir(m_directory).relativeFilePath(absolute);
    if (relative.isEmpty() || QDir::isAbsolutePath(relative) || relative == QLatin1String("..")
        || relative.startsWith(QLatin1String("../")))
        return absolute;
    return relative;
}

QString Project::resolvedPath(const QString &storedPath) const
{
    if (storedPath.isEmpty())
        return storedPath;
    if (QDir::isAbsolutePath(storedPath))
        return QDir::cleanPath(storedPath);
    return QDir::cleanPath(QDir(m_directory).filePath(storedPath));
}

QStringList Project::linkedRunFolders() const
{
    QStringList folders;
    const QJsonArray stored =
        QJsonDocument::fromJson(setting(QStringLiteral("linked_run_folders"), QStringLiteral("[]")).toUtf8()).array();
    for (const QJsonValue &value : stored) {
        if (value.isString() && !value.toString().isEmpty())
            folders.append(resolvedPath(value.toString()));
    }
    return folders;
}

bool Project::linkRunFolder(const QString &folder, QString *error)
{
    QStringList folders = linkedRunFolders();
    const QString absolute = resolvedPath(storedPath(folder));
    if (folders.contains(absolute))
        return true;
    folders.append(absolute);
    return setLinkedRunFolders(folders, error);
}

bool Project::unlinkRunFolder(const QString &folder, QString *error)
{
    QStringList folders = linkedRunFolders();
    if (folders.removeAll(resolvedPath(storedPath(folder))) == 0)
        return true;
    return setLinkedRunFolders(folders, error);
}

bool Project::setLinkedRunFolders(const QStringList &folders, QString *error)
{
    QJsonArray stored;
    for (const QString &folder : folders)
        stored.append(storedPath(folder));
    return setSetting(QStringLiteral("linked_run_folders"),
                      QString::fromUtf8(QJsonDocument(stored).toJson(QJsonDocument::Compact)), error);
}

QString Project::setting(const QString &key, const QString &fallback) const
{
    SqliteStatement query = m_connection.prepare(QStringLiteral("SELECT value FROM settings WHERE key = ?"));
    query.bind(1, key);
    return query.step() == SqliteStatement::Step::Row ? query.columnText(0) : fallback;
}

bool Project::setSetting(const QString &key, const QString &value, QString *error)
{
    SqliteStatement statement = m_connection.prepare(
        QStringLiteral("INSERT INTO settings(key, value) VALUES(?, ?) "
                       "ON CONFLICT(key) DO UPDATE SET value = excluded.value"));
    statement.bind(1, key).bind(2, value);
    return run(statement, error);
}

int Project::judgmentsPerTriplet() const
{
    return setting(QStringLiteral("judgments_per_triplet"), QStringLiteral("3")).toInt();
}

bool Project::setJudgmentsPerTriplet(int count, QString *error)
{
    if (count < 1 || count > 6) {
        if (error)
            *error = located(m_directory, QStringLiteral("judgments per triplet must be 1 to 6, not %1").arg(count));
        return false;
    }
    return setSetting(QStringLiteral("judgments_per_triplet"), QString::number(count), error);
}

QString Project::cropFraming() const
{
    return setting(QStringLiteral("crop_framing"), QString());
}

bool Project::setCropFraming(const QString &framing, QString *error)
{
    return setSetting(QStringLiteral("crop_framing"), framing, error);
}

int Project::leaseSeconds() const
{
    return setting(QStringLiteral("lease_seconds"), QStringLiteral("300")).toInt();
}

bool Project::setLeaseSeconds(int seconds, QString *error)
{
    if (seconds < 1) {
        if (error)
            *error = located(m_directory, QStringLiteral("lease must be at least 1 s"));
        return false;
    }
    return setSetting(QStringLiteral("lease_seconds"), QString::number(seconds), error);
}

qint64 Project::nowMs() const
{
    return m_clock();
}

void Project::setClock(std::function<qint64()> clock)
{
    m_clock = std::move(clock);
}

bool Project::run(SqliteStatement &statement, QString *error) const
{
    if (statement.run())
        return true;
    if (error)
        *error = databaseError();
    return false;
}

QString Project::databaseError() const
{
    if (m_connection.lastErrorIsDamage())
        return located(databasePath(), QStringLiteral("the project database is damaged (%1)")
                                           .arg(m_connection.errorString()));
    return located(databasePath(), m_connection.errorString());
}

} // namespace fa
