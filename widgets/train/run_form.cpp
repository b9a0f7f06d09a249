#include "train/run_form.h"

#include "training/training_presets.h"

#include <QComboBox>
#include <QDir>
#include <QFileDialog>
#include <QFileInfo>
#include <QFormLayout>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QLabel>
#include <QLineEdit>
#include <QListWidget>
#include <QMenu>
#include <QMessageBox>
#include <QPushButton>
#include <QSettings>
#include <QTabWidget>
#include <QTableWidget>
#include <QToolButton>
#include <QVBoxLayout>

namespace fa::ui {

namespace {
const QString kSourceFolderKey = QStringLiteral("train/sourceFolder");
constexpr int kPathRole = Qt::UserRole + 1;
constexpr int kProjectItemRole = Qt::UserRole + 2;

/// Keys with a field of their own in the form.
bool hasOwnField(const QString &key)
{
    static const QStringList own = {QStringLiteral("kind"), QStringLiteral("preset"), QStringLiteral("data"),
                                    QStringLiteral("validation"), QStringLiteral("init")};
    return own.contains(key);
}
} // namespace

RunForm::RunForm(QWidget *parent)
    : QWidget(parent)
    , m_kind(new QComboBox(this))
    , m_preset(new QComboBox(this))
    , m_table(new QTableWidget(this))
    , m_data(new QListWidget(this))
    , m_validation(new QListWidget(this))
    , m_init(new QLineEdit(this))
    , m_start(new QPushButton(tr("Start Training"), this))
{
    m_kind->addItem(tr("MAE pre-training"), QStringLiteral("mae"));
    m_kind->addItem(tr("Triplet fine-tuning"), QStringLiteral("triplet"));
    m_kind->addItem(tr("Neural renderer (rig to image)"), QStringLiteral("renderer"));
    m_kind->addItem(tr("Rig decoder (FreeAvatar animator)"), QStringLiteral("rig-decoder"));
    fillPresets();

    m_table->setColumnCount(2);
    m_table->setHorizontalHeaderLabels({tr("Hyper-parameter"), tr("Value")});
    m_table->verticalHeader()->hide();
    m_table->horizontalHeader()->setSectionResizeMode(0, QHeaderView::ResizeToContents);
    m_table->horizontalHeader()->setStretchLastSection(true);
    m_table->setSelectionMode(QAbstractItemView::SingleSelection);
    auto *reset = new QPushButton(tr("Reset to Preset"), this);
    reset->setToolTip(tr("Drop the edited values (bold) and show the preset's"));

    // Data sources: the project by default, files and folders added.
    auto *sources = m_sources = new QTabWidget(this);
    for (QListWidget *list : {m_data, m_validation}) {
        auto *page = new QWidget(sources);
        auto *addFiles = new QPushButton(tr("Add Files…"), page);
        auto *addFolder = new QPushButton(tr("Add Folder…"), page);
        auto *addProject = new QPushButton(tr("Add This Project"), page);
        auto *remove = new QPushButton(tr("Remove"), page);
        list->setSelectionMode(QAbstractItemView::ExtendedSelection);
        auto *buttons = new QHBoxLayout;
        for (QPushButton *b : {addFiles, addFolder, addProject, remove})
            buttons->addWidget(b);
        buttons->addStretch();
        auto *box = new QVBoxLayout(page);
        box->setContentsMargins(2, 2, 2, 2);
        box->addWidget(list);
        box->addLayout(buttons);
        connect(addFiles, &QPushButton::clicked, this, [this, list] { addSources(list, false); });
        connect(addFolder, &QPushButton::clicked, this, [this, list] { addSources(list, true); });
        connect(addProject, &QPushButton::clicked, this, [this, list] {
            QStringList paths = sourcesOf(list);
            if (!m_projectDirectory.isEmpty() && !paths.contains(m_projectDirectory))
                paths.prepend(m_projectDirectory);
            fillSources(list, paths);
        });
        connect(remove, &QPushButton::clicked, this, [list] { qDeleteAll(list->selectedItems()); });
        list->setMaximumHeight(110);
        sources->addTab(page, list == m_data ? tr("Training data") : tr("Validation data"));
    }
    m_data->setToolTip(tr("Projects (their face crops, or their judged triplets for triplet runs), "
                          "folders of images, videos, triplet CSV files"));
    m_validation->setToolTip(tr("Optional held-out data of the same kind: validation accuracy (triplet) or "
                                "loss (MAE) every eval_every steps"));

    m_init->setPlaceholderText(tr("none: start from random weights"));
    m_init->setToolTip(tr("A run folder (its model.pt) or a .pth/.pt state dict, e.g. MAE's "
                          "mae_pretrain_vit_base.pth, to start the encoder from"));
    auto *browse = new QToolButton(this);
    browse->setText(tr("Browse"));
    browse->setPopupMode(QToolButton::InstantPopup);
    auto *browseMenu = new QMenu(browse);
    browseMenu->addAction(tr("Run Folder…"), this, [this] { browseInit(true); });
    browseMenu->addAction(tr("Weights File (.pth, .pt)…"), this, [this] { browseInit(false); });
    browse->setMenu(browseMenu);
    auto *initRow = new QHBoxLayout;
    initRow->addWidget(m_init);
    initRow->addWidget(browse);

    auto *form = new QFormLayout;
    form->addRow(tr("Kind:"), m_kind);
    form->addRow(tr("Preset:"), m_preset);
    form->addRow(tr("Start from:"), initRow);
    auto *layout = new QVBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->addLayout(form);
    layout->addWidget(sources);
    layout->addWidget(m_table, 1);
    auto *bottom = new QHBoxLayout;
    bottom->addWidget(reset);
    bottom->addStretch();
    bottom->addWidget(m_start);
    layout->addLayout(bottom);

    connect(m_kind, &QComboBox::currentIndexChanged, this, &RunForm::onKindChanged);
    connect(m_preset, &QComboBox::currentIndexChanged, this, &RunForm::loadPreset);
    connect(m_table, &QTableWidget::cellChanged, this, &RunForm::onCellChanged);
    connect(reset, &QPushButton::clicked, this, [this] {
        m_edited.clear();
        loadPreset();
    });
    connect(m_start, &QPushButton::clicked, this, &RunForm::start);
    m_start->setEnabled(false);
    loadPreset();
}

void RunForm::fillPresets()
{
    const QString current = m_preset->currentData().toString();
    const QSignalBlocker blocker(m_preset);
    m_preset->clear();
    for (const QString &name : fa::trainingPresetNames(kind()))
        m_preset->addItem(name, name);
    const int index = m_preset->findData(current);
    m_preset->setCurrentIndex(index >= 0 ? index : 0);
}

void RunForm::onKindChanged()
{
    fillPresets();
    // A renderer trains on a render set folder, not on the project's faces; the validation
    // data and the start weights are the encoder's.
    const bool renderer = kind() == QLatin1String("renderer");
    QStringList paths = sourcesOf(m_data);
    if (renderer)
        paths.removeAll(m_projectDirectory);
    else if (!m_projectDirectory.isEmpty() && !paths.contains(m_projectDirectory) && paths.isEmpty())
        paths.prepend(m_projectDirectory);
    fillSources(m_data, paths);
    const bool decoder = kind() == QLatin1String("rig-decoder");
    m_data->setToolTip(renderer  ? tr("One render set folder (freeavatar render-dataset)")
                       : decoder ? tr("Videos (faces with landmark-solver rig targets), projects and folders of images; "
                                      "the avatars' render sets come with their renderer runs")
                                 : tr("Projects (their face crops, or their judged triplets for triplet runs), "
                                      "folders of images, videos, triplet CSV files"));
    // Renderers and rig decoders hold out part of their own data; a decoder may start from an
    // earlier decoder run (Start from), a renderer from nothing.
    m_sources->setTabEnabled(1, !renderer && !decoder);
    m_init->setEnabled(!renderer);
    loadPreset();
}

void RunForm::setProjectDirectory(const QString &directory)
{
    const QString before = m_projectDirectory;
    m_projectDirectory = directory.isEmpty() ? QString() : QDir(directory).absolutePath();
    for (QListWidget *list : {m_data, m_validation}) {
        QStringList paths = sourcesOf(list);
        paths.removeAll(before);
        if (list == m_data && !m_projectDirectory.isEmpty() && kind() != QLatin1String("renderer"))
            paths.prepend(m_projectDirectory);
        fillSources(list, paths);
    }
    m_start->setEnabled(!m_projectDirectory.isEmpty());
}

void RunForm::setKind(const QString &kind)
{
    const int index = m_kind->findData(kind);
    if (index >= 0)
        m_kind->setCurrentIndex(index);
}

void RunForm::setPreset(const QString &preset)
{
    const int index = m_preset->findData(preset == QLatin1String("base") ? QStringLiteral("vit-b") : preset);
    if (index >= 0)
        m_preset->setCurrentIndex(index);
}

QString RunForm::kind() const
{
    return m_kind->currentData().toString();
}

QString RunForm::preset() const
{
    return m_preset->currentData().toString();
}

void RunForm::loadPreset()
{
    std::optional<fa::TrainingConfig> preset = fa::trainingPreset(kind(), this->preset());
    if (!preset)
        return;
    m_presetConfig = *preset;
    m_loading = true;
    QStringList keys = fa::TrainingConfig::keys();
    const QString runKind = kind();
    keys.erase(std::remove_if(keys.begin(), keys.end(),
                              [&](const QString &key) { return hasOwnField(key) || !fa::TrainingConfig::keyApplies(key, runKind); }),
               keys.end());
    m_table->setRowCount(int(keys.size()));
    for (int row = 0; row < keys.size(); ++row) {
        const QString &key = keys[row];
        auto *name = new QTableWidgetItem(key);
        name->setFlags(Qt::ItemIsEnabled | Qt::ItemIsSelectable);
        const bool edited = m_edited.contains(key);
        auto *value = new QTableWidgetItem(edited ? m_edited.value(key) : m_presetConfig.value(key));
        QFont font = value->font();
        font.setBold(edited);
        value->setFont(font);
        value->setToolTip(tr("Preset: %1").arg(m_presetConfig.value(key)));
        m_table->setItem(row, 0, name);
        m_table->setItem(row, 1, value);
    }
    m_loading = false;
}

void RunForm::onCellChanged(int row, int column)
{
    if (m_loading || column != 1)
        return;
    const QString key = m_table->item(row, 0)->text();
    QTableWidgetItem *item = m_table->item(row, 1);
    const QString text = item->text().trimmed();
    const bool edited = text != m_presetConfig.value(key);
    if (edited)
        m_edited.insert(key, text);
    else
        m_edited.remove(key);
    m_loading = true;
    QFont font = item->font();
    font.setBold(edited);
    item->setFont(font);
    m_loading = false;
}

bool RunForm::setValue(const QString &key, const QString &value)
{
    for (int row = 0; row < m_table->rowCount(); ++row) {
        if (m_table->item(row, 0)->text() == key) {
            m_table->item(row, 1)->setText(value); // -> onCellChanged
            return true;
        }
    }
    return false;
}

QString RunForm::value(const QString &key) const
{
    for (int row = 0; row < m_table->rowCount(); ++row) {
        if (m_table->item(row, 0)->text() == key)
            return m_table->item(row, 1)->text().trimmed();
    }
    return QString();
}

void RunForm::fillSources(QListWidget *list, const QStringList &paths)
{
    list->clear();
    for (const QString &path : paths) {
        const bool project = !m_projectDirectory.isEmpty() && QDir(path).absolutePath() == m_projectDirectory;
        auto *item = new QListWidgetItem(project ? tr("This project (%1)").arg(QFileInfo(path).fileName())
                                                 : QDir::toNativeSeparators(path),
                                         list);
        item->setData(kPathRole, path);
        item->setData(kProjectItemRole, project);
        item->setToolTip(QDir::toNativeSeparators(path));
    }
}

QStringList RunForm::sourcesOf(const QListWidget *list) const
{
    QStringList paths;
    for (int i = 0; i < list->count(); ++i)
        paths.append(list->item(i)->data(kPathRole).toString());
    return paths;
}

void RunForm::setDataSources(const QStringList &paths)
{
    fillSources(m_data, paths);
}

QStringList RunForm::dataSources() const
{
    return sourcesOf(m_data);
}

void RunForm::setValidationSources(const QStringList &paths)
{
    fillSources(m_validation, paths);
}

void RunForm::setInit(const QString &runDirOrFile)
{
    m_init->setText(runDirOrFile);
}

void RunForm::addSources(QListWidget *list, bool folder)
{
    QSettings settings;
    const QString start = settings.value(kSourceFolderKey, m_projectDirectory).toString();
    QStringList chosen;
    if (folder) {
        const QString dir = QFileDialog::getExistingDirectory(this, tr("Add a Folder of Images or a Project"), start);
        if (!dir.isEmpty())
            chosen.append(dir);
    } else {
        chosen = QFileDialog::getOpenFileNames(
            this, tr("Add Videos, Images or Triplet CSV Files"), start,
            tr("Videos, images and CSV files (*.mp4 *.mov *.avi *.mkv *.webm *.m4v *.png *.jpg *.jpeg *.bmp *.csv);;"
               "All files (*)"));
    }
    if (chosen.isEmpty())
        return;
    settings.setValue(kSourceFolderKey, QFileInfo(chosen.first()).absolutePath());
    QStringList paths = sourcesOf(list);
    for (const QString &path : std::as_const(chosen)) {
        if (!paths.contains(path))
            paths.append(path);
    }
    fillSources(list, paths);
}

void RunForm::browseInit(bool folder)
{
    const QString start = m_projectDirectory.isEmpty() ? QString() : m_projectDirectory + QStringLiteral("/runs");
    const QString path = folder ? QFileDialog::getExistingDirectory(this, tr("Start from a Run"), start)
                                : QFileDialog::getOpenFileName(this, tr("Start from Weights"), start,
                                                               tr("PyTorch weights (*.pth *.pt);;All files (*)"));
    if (!path.isEmpty())
        m_init->setText(path);
}

std::optional<fa::TrainingConfig> RunForm::config(QString *error) const
{
    std::optional<fa::TrainingConfig> config = fa::trainingPreset(kind(), preset(), error);
    if (!config)
        return std::nullopt;
    QStringList problems;
    for (int row = 0; row < m_table->rowCount(); ++row) {
        const QString key = m_table->item(row, 0)->text();
        const QString value = m_table->item(row, 1)->text().trimmed();
        if (value == config->value(key))
            continue;
        QString problem;
        if (!config->set(key, value, &problem))
            problems.append(problem);
    }
    config->data = dataSources();
    if (!config->isRenderer()) {
        config->validation = sourcesOf(m_validation);
        config->init = m_init->text().trimmed();
    }
    if (config->data.isEmpty())
        problems.append(tr("data: no training data (add this project, files or folders)"));
    QString invalid;
    if (problems.isEmpty() && !config->validate(&invalid))
        problems.append(invalid.split(QStringLiteral("; ")));
    if (!problems.isEmpty()) {
        if (error)
            *error = problems.join(QLatin1Char('\n'));
        return std::nullopt;
    }
    return config;
}

void RunForm::start()
{
    QString error;
    const std::optional<fa::TrainingConfig> config = this->config(&error);
    if (!config) {
        QMessageBox::warning(this, tr("Start Training"),
                             tr("The run cannot start; these settings are wrong:\n\n%1").arg(error));
        return;
    }
    Q_EMIT startRequested(*config);
}

} // namespace fa::ui
