#include "label/label_workspace.h"

#include "label/face_import_dialog.h"
#include "label/face_import_runner.h"
#include "label/labelling_view.h"
#include "label/sample_triplets_dialog.h"
#include "label/statistics_panel.h"
#include "project/project.h"

#include <QAction>
#include <QInputDialog>
#include <QMessageBox>
#include <QSettings>
#include <QTabWidget>
#include <QVBoxLayout>

namespace fa::ui {

namespace {
const QString kAnnotatorKey = QStringLiteral("label/annotator");
} // namespace

LabelWorkspace::LabelWorkspace(QWidget *parent)
    : QWidget(parent)
    , m_view(new LabellingView(this))
    , m_statistics(new StatisticsPanel(this))
    , m_tabs(new QTabWidget(this))
    , m_importer(new FaceImportRunner(this, this))
{
    m_tabs->setDocumentMode(true);
    m_tabs->addTab(m_view, tr("Label"));
    m_tabs->addTab(m_statistics, tr("Statistics"));
    auto *layout = new QVBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->addWidget(m_tabs);

    m_import = new QAction(tr("&Import Faces…"), this);
    m_sample = new QAction(tr("&Sample Triplets…"), this);
    m_refresh = new QAction(tr("&Refresh Statistics"), this);
    m_refresh->setShortcut(QKeySequence::Refresh);
    m_changeAnnotator = new QAction(tr("Change &Annotator…"), this);
    m_actions = {m_import, m_sample, m_refresh, m_changeAnnotator};
    connect(m_import, &QAction::triggered, this, [this] { openImportDialog({}); });
    connect(m_sample, &QAction::triggered, this, &LabelWorkspace::sampleWithDialog);
    connect(m_refresh, &QAction::triggered, m_statistics, &StatisticsPanel::refresh);
    connect(m_changeAnnotator, &QAction::triggered, this, &LabelWorkspace::changeAnnotator);

    connect(m_view, &LabellingView::judgmentRecorded, m_statistics, &StatisticsPanel::noteJudgment);
    connect(m_tabs, &QTabWidget::currentChanged, this, [this](int index) {
        if (m_tabs->widget(index) == m_statistics)
            m_statistics->refresh();
        else if (m_tabs->widget(index) == m_view)
            m_view->setFocus();
    });
    connect(m_importer, &FaceImportRunner::finished, this, [this] {
        m_statistics->refresh();
        updateActions();
    });
    updateActions();
}

LabelWorkspace::~LabelWorkspace()
{
    m_view->stop(); // the session refers to the project, which goes first
}

bool LabelWorkspace::setProject(std::unique_ptr<fa::Project> project, const QString &annotator, QString *error)
{
    closeProject();
    if (!project)
        return false;
    m_project = std::move(project);
    updateActions();
    Q_EMIT projectChanged(m_project->directory());

    QString name = annotator.trimmed();
    if (name.isEmpty()) {
        name = rememberedAnnotator();
        if (name.isEmpty()) {
            name = askAnnotator(qEnvironmentVariable("USER", qEnvironmentVariable("USERNAME")));
            if (!name.isEmpty())
                setRememberedAnnotator(name);
        }
    }
    bool started = false;
    if (name.isEmpty()) {
        if (error)
            *error = tr("No annotator name: choose one with Change Annotator to label.");
    } else {
        started = startLabelling(name, error);
    }
    // After the session registered the annotator, so that the first statistics list them.
    m_statistics->setProjectDirectory(m_project->directory());
    return started;
}

bool LabelWorkspace::startLabelling(const QString &annotator, QString *error)
{
    if (!m_view->start(m_project.get(), annotator, error))
        return false;
    m_tabs->setCurrentWidget(m_view);
    m_view->setFocus();
    return true;
}

void LabelWorkspace::closeProject()
{
    m_view->stop();
    m_statistics->setProjectDirectory(QString());
    const bool hadProject = m_project != nullptr;
    m_project.reset();
    updateActions();
    if (hadProject)
        Q_EMIT projectChanged(QString());
}

QString LabelWorkspace::annotator() const
{
    return m_view->annotator();
}

void LabelWorkspace::updateActions()
{
    const bool open = m_project != nullptr;
    m_import->setEnabled(open && !m_importer->isRunning());
    m_sample->setEnabled(open);
    m_refresh->setEnabled(open);
    m_changeAnnotator->setEnabled(open);
}

void LabelWorkspace::importFaces(const QStringList &paths, const fa::FaceImportOptions &options)
{
    if (!m_project || paths.isEmpty())
        return;
    if (m_importer->start(m_project->directory(), paths, options))
        updateActions();
}

FaceImportDialog *LabelWorkspace::openImportDialog(const QStringList &paths)
{
    if (!m_project || m_importer->isRunning())
        return nullptr;
    auto *dialog = new FaceImportDialog(this);
    dialog->setAttribute(Qt::WA_DeleteOnClose);
    dialog->setOptions(FaceImportDialog::rememberedOptions());
    dialog->setPaths(paths);
    connect(dialog, &QDialog::accepted, this, [this, dialog] {
        const fa::FaceImportOptions options = dialog->options();
        FaceImportDialog::rememberOptions(options);
        importFaces(dialog->paths(), options);
    });
    dialog->open();
    return dialog;
}

bool LabelWorkspace::sampleTriplets(const fa::TripletSampler::Options &options, QString *error)
{
    if (!m_project)
        return false;
    const auto triplets = fa::TripletSampler::sample(*m_project, options, error);
    if (!triplets)
        return false;
    m_view->reload();
    m_statistics->refresh();
    Q_EMIT tripletsSampled(int(triplets->size()));
    return true;
}

void LabelWorkspace::sampleWithDialog()
{
    SampleTripletsDialog dialog(this);
    if (dialog.exec() != QDialog::Accepted)
        return;
    QString error;
    if (!sampleTriplets(dialog.options(), &error))
        QMessageBox::warning(this, tr("Sample Triplets"), tr("No triplets were added: %1").arg(error));
}

void LabelWorkspace::changeAnnotator()
{
    const QString name = askAnnotator(annotator().isEmpty() ? rememberedAnnotator() : annotator());
    if (name.isEmpty() || !m_project)
        return;
    setRememberedAnnotator(name);
    QString error;
    if (!startLabelling(name, &error))
        QMessageBox::warning(this, tr("Change Annotator"), error);
}

QString LabelWorkspace::askAnnotator(const QString &suggestion)
{
    bool ok = false;
    const QString name = QInputDialog::getText(
        this, tr("Annotator"), tr("Your name as an annotator (stored with each of your judgments):"),
        QLineEdit::Normal, suggestion, &ok);
    return ok ? name.trimmed() : QString();
}

QString LabelWorkspace::rememberedAnnotator()
{
    return QSettings().value(kAnnotatorKey).toString().trimmed();
}

void LabelWorkspace::setRememberedAnnotator(const QString &name)
{
    QSettings().setValue(kAnnotatorKey, name.trimmed());
}

} // namespace fa::ui
