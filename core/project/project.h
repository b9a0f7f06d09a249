#pragma once

#include "project/animate_session_store.h"
#include "project/face_store.h"
#include "project/judgment_store.h"
#include "project/sqlite_connection.h"
#include "project/sqlite_statement.h"
#include "project/triplet_store.h"

#include <QString>
#include <QStringList>

#include <functional>
#include <memory>

namespace fa {

/// An expression-comparison project: a folder holding `project.sqlite` and `crops/`.
///
/// The database runs in WAL mode with foreign keys on and synchronous=FULL, so every committed
/// transaction survives a killed process and a power cut. Its schema version is SQLite's
/// `user_version`; open() migrates older schemas forward (ProjectSchema) and refuses newer ones.
///
/// A Project object, like its SQLite connection, belongs to one thread. Several objects (other
/// threads, other studio instances) may open the same folder at once: writes are serialised
/// by SQLite's lock and wait for each other (busy timeout 10 s).
///
/// Errors: create()/open() return null and set `error` to one line "PATH: what is wrong"
/// (missing folder, read-only folder, not a project, damaged database, newer schema).
class Project
{
public:
    static constexpr const char *kDatabaseFileName = "project.sqlite";
    static constexpr const char *kCropsFolderName = "crops";

    /// Creates `directory` (and parents) if needed and a new empty project in it. Fails when
    /// the folder already holds a project.
    static std::unique_ptr<Project> create(const QString &directory, QString *error);
    /// Opens an existing project, migrating an older schema.
    static std::unique_ptr<Project> open(const QString &directory, QString *error);
    /// True when `directory` holds a project.sqlite.
    static bool exists(const QString &directory);

    ~Project();

    QString directory() const { return m_directory; }
    QString databasePath() const;
    QString cropsDirectory() const;
    QString absolutePath(const QString &projectRelativePath) const;
    /// How the project stores a file path: relative to the project folder when the file lies
    /// inside it (a project copied elsewhere with its files still finds them), absolute and
    /// clean otherwise; empty stays empty.
    QString storedPath(const QString &path) const;
    /// A stored path made absolute and clean again; empty stays empty.
    QString resolvedPath(const QString &storedPath) const;

    /// How many judgments (skips excluded) complete a triplet; default 3, range 1..6.
    int judgmentsPerTriplet() const;
    bool setJudgmentsPerTriplet(int count, QString *error);
    /// How long a triplet served to a labelling session stays reserved for it; default 300 s.
    int leaseSeconds() const;
    bool setLeaseSeconds(int seconds, QString *error);
    /// How the project's face crops frame their faces, as projectio names it ("whole-face" or
    /// "compact": FaceCropper::Framing, projectio/face_crop_geometry.h); empty when not
    /// recorded (projects made before the setting). Setting "crop_framing".
    QString cropFraming() const;
    bool setCropFraming(const QString &framing, QString *error);
    /// Training run folders outside the project's runs/ that the Train workspace lists (Add Run
    /// Folder…), absolute, in the order they were added; folders that no longer exist stay
    /// listed until unlinked. Setting "linked_run_folders" (a JSON array of storedPath()s).
    QStringList linkedRunFolders() const;
    /// Adds `folder` at the end (nothing when it is listed already) / removes it.
    bool linkRunFolder(const QString &folder, QString *error);
    bool unlinkRunFolder(const QString &folder, QString *error);

    /// Milliseconds since the Unix epoch, UTC: the clock of timestamps and leases.
    /// Replaceable for tests of lease expiry.
    qint64 nowMs() const;
    void setClock(std::function<qint64()> clock);

    FaceStore &faces() { return *m_faces; }
    TripletStore &triplets() { return *m_triplets; }
    JudgmentStore &judgments() { return *m_judgments; }
    /// Retarget sessions of the Animate workspace (schema 3).
    AnimateSessionStore &animateSessions() { return *m_animateSessions; }
    SqliteConnection &connection() { return m_connection; }

    /// "PATH: message" for the last database error of this project.
    QString databaseError() const;
    /// Runs a statement without result rows; on failure sets `error` (when given) to
    /// databaseError() and returns false. The stores' one way of reporting a failed write.
    bool run(SqliteStatement &statement, QString *error) const;

private:
    explicit Project(const QString &directory);
    bool openDatabase(bool create, QString *error);
    QString setting(const QString &key, const QString &fallback) const;
    bool setSetting(const QString &key, const QString &value, QString *error);
    bool setLinkedRunFolders(const QStringList &folders, QString *error);

    QString m_directory;
    mutable SqliteConnection m_connection;
    std::function<qint64()> m_clock;
    std::unique_ptr<FaceStore> m_faces;
    std::unique_ptr<TripletStore> m_triplets;
    std::unique_ptr<JudgmentStore> m_judgments;
    std::unique_ptr<AnimateSessionStore> m_animateSessions;
};

} // namespace fa
