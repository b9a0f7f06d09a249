#pragma once

#include "project/triplet_sampler.h"
#include "projectio/face_importer.h"

#include <QWidget>

#include <memory>

class QAction;
class QTabWidget;

namespace fa {
class Project;
}

namespace fa::ui {

class FaceImportDialog;
class FaceImportRunner;
class LabellingView;
class StatisticsPanel;

/// The Label workspace: a project's labelling view and its statistics (two tabs, so that an
/// annotator never sees other annotators' votes beside the crops), and the project's actions:
/// import faces (files or a folder, on a worker thread: FaceImportRunner), sample triplets
/// (SampleTripletsDialog, fa::TripletSampler), change the annotator.
///
/// The annotator's name is asked once per machine (QInputDialog) and remembered in QSettings
/// ("label/annotator"); a caller may pass another name (e.g. from the command line), which is
/// then used without being remembered. The workspace owns the project it is given.
class LabelWorkspace : public QWidget
{
    Q_OBJECT
public:
    explicit LabelWorkspace(QWidget *parent = nullptr);
    ~LabelWorkspace() override;

    /// Shows `project` and starts labelling it as `annotator` (empty: the remembered name,
    /// asked for when there is none). False with `error` when the labelling session cannot
    /// start; the project stays open (statistics, import and sampling work).
    bool setProject(std::unique_ptr<fa::Project> project, const QString &annotator, QString *error);
    void closeProject();
    fa::Project *project() const { return m_project.get(); }
    QString annotator() const;

    LabellingView *labellingView() const { return m_view; }
    StatisticsPanel *statisticsPanel() const { return m_statistics; }
    FaceImportRunner *importRunner() const { return m_importer; }
    /// 0 = the labelling view, 1 = the statistics.
    QTabWidget *tabs() const { return m_tabs; }

    /// The workspace's actions, for the main window's menu: Import Faces…, Sample Triplets…,
    /// Refresh Statistics, Change Annotator…
    QList<QAction *> projectActions() const { return m_actions; }

    /// Imports files and folders of faces into the project (a progress dialog, then a summary
    /// with one line per file).
    void importFaces(const QStringList &paths, const fa::FaceImportOptions &options = {});
    /// Opens the Import Faces dialog (window-modal, returns at once) with `paths` listed and the
    /// settings remembered on this machine; Import starts importFaces() with its settings and
    /// remembers them. Null when no project is open or an import is running.
    FaceImportDialog *openImportDialog(const QStringList &paths);
    /// Samples triplets into the project and serves them; false with `error` on failure.
    bool sampleTriplets(const fa::TripletSampler::Options &options, QString *error);

    /// The annotator name remembered on this machine (QSettings "label/annotator"), or empty.
    static QString rememberedAnnotator();
    static void setRememberedAnnotator(const QString &name);

Q_SIGNALS:
    void projectChanged(const QString &directory); ///< empty when closed
    void tripletsSampled(int count);

private:
    void sampleWithDialog();
    void changeAnnotator();
    QString askAnnotator(const QString &suggestion);
    bool startLabelling(const QString &annotator, QString *error);
    void updateActions();

    std::unique_ptr<fa::Project> m_project;
    LabellingView *m_view;
    StatisticsPanel *m_statistics;
    QTabWidget *m_tabs;
    FaceImportRunner *m_importer;
    QList<QAction *> m_actions;
    QAction *m_import;
    QAction *m_sample;
    QAction *m_refresh;
    QAction *m_changeAnnotator;
};

} // namespace fa::ui
