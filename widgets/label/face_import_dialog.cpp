#include "label/face_import_dialog.h"

#include "projectio/import_file_list.h"

#include <QCheckBox>
#include <QComboBox>
#include <QDialogButtonBox>
#include <QFileDialog>
#include <QFileInfo>
#include <QFormLayout>
#include <QGroupBox>
#include <QHBoxLayout>
#include <QLabel>
#include <QLineEdit>
#include <QListWidget>
#include <QPushButton>
#include <QSettings>
#include <QSpinBox>
#include <QVBoxLayout>

#include <algorithm>

namespace fa::ui {

namespace {

const QString kFolderKey = QStringLiteral("label/importFolder");
const QString kDetectorKey = QStringLiteral("label/import/detector");
const QString kModelKey = QStringLiteral("label/import/yunetModel");
const QString kMinFaceKey = QStringLiteral("label/import/minFace");
const QString kTiltKey = QStringLiteral("label/import/tiltSearch");
const QString kEveryKey = QStringLiteral("label/import/everyNthFrame");
const QString kAllFacesKey = QStringLiteral("label/import/allFaces");
const QString kKeepKey = QStringLiteral("label/import/keepDuplicates");

QString fileFilter()
{
    QStringList patterns;
    for (const QString &suffix : fa::importImageSuffixes() + fa::importVideoSuffixes())
        patterns << QStringLiteral("*.") + suffix;
    return FaceImportDialog::tr("Images and videos (%1);;All files (*)").arg(patterns.join(QLatin1Char(' ')));
}

} // namespace

FaceImportDialog::FaceImportDialog(QWidget *parent)
    : QDialog(parent)
    , m_paths(new QListWidget(this))
    , m_remove(new QPushButton(tr("&Remove"), this))
    , m_detector(new QComboBox(this))
    , m_model(new QLineEdit(this))
    , m_browseModel(new QPushButton(tr("&Browse…"), this))
    , m_minFace(new QSpinBox(this))
    , m_tiltSearch(new QCheckBox(tr("Also search heads tilted beyond 35° (turns the image ±25°, about 3× slower)"), this))
    , m_every(new QSpinBox(this))
    , m_allFaces(new QCheckBox(tr("Every face of each scanned frame (for clips with several people; slower)"), this))
    , m_keepDuplicates(new QCheckBox(tr("Keep near-duplicate faces of one file"), this))
    , m_problem(new QLabel(this))
    , m_buttons(new QDialogButtonBox(QDialogButtonBox::Cancel, this))
{
    setWindowTitle(tr("Import Faces"));
    setObjectName(QStringLiteral("faceImportDialog"));

    m_paths->setSelectionMode(QAbstractItemView::ExtendedSelection);
    auto *addFiles = new QPushButton(tr("Add &Files…"), this);
    auto *addFolder = new QPushButton(tr("Add F&older…"), this);
    connect(addFiles, &QPushButton::clicked, this, &FaceImportDialog::addFiles);
    connect(addFolder, &QPushButton::clicked, this, &FaceImportDialog::addFolder);
    connect(m_remove, &QPushButton::clicked, this, [this] {
        qDeleteAll(m_paths->selectedItems());
        updateState();
    });
    connect(m_paths, &QListWidget::itemSelectionChanged, this, &FaceImportDialog::updateState);
    auto *pathButtons = new QVBoxLayout;
    pathButtons->addWidget(addFiles);
    pathButtons->addWidget(addFolder);
    pathButtons->addWidget(m_remove);
    pathButtons->addStretch();
    auto *pathRow = new QHBoxLayout;
    pathRow->addWidget(m_paths, 1);
    pathRow->addLayout(pathButtons);
    auto *pathGroup = new QGroupBox(tr("Images, videos and folders (searched recursively)"), this);
    pathGroup->setLayout(pathRow);

    m_detector->addItem(tr("dlib HOG (built in)"), int(fa::FaceDetector::Backend::DlibHog));
    m_detector->addItem(tr("YuNet (ONNX model file)"), int(fa::FaceDetector::Backend::YuNet));
    m_detector->setToolTip(tr("YuNet also finds turned and partly hidden heads; it needs OpenCV's 2022-02 "
                              "fixed-shape model, yunet_2022feb_120x160.onnx"));
    m_model->setPlaceholderText(tr("yunet_2022feb_120x160.onnx"));
    connect(m_browseModel, &QPushButton::clicked, this, &FaceImportDialog::browseModel);
    auto *modelRow = new QHBoxLayout;
    modelRow->addWidget(m_model, 1);
    modelRow->addWidget(m_browseModel);
    m_minFace->setRange(fa::FaceFinderOptions::kMinFaceSizeLowest, fa::FaceFinderOptions::kMinFaceSizeHighest);
    m_minFace->setSuffix(tr(" px"));
    m_minFace->setToolTip(tr("Smallest face kept: the height of the detector's box in pixels of the original image. "
                             "Photos are searched at their own resolution, upsampled only where this needs it."));
    auto *faces = new QFormLayout;
    faces->addRow(tr("&Detector:"), m_detector);
    auto *modelLabel = new QLabel(tr("YuNet &model:"), this);
    modelLabel->setBuddy(m_model);
    faces->addRow(modelLabel, modelRow);
    faces->addRow(tr("&Smallest face:"), m_minFace);
    faces->addRow(QString(), m_tiltSearch);
    auto *faceGroup = new QGroupBox(tr("Finding faces"), this);
    faceGroup->setLayout(faces);

    m_every->setRange(1, 100000);
    m_every->setPrefix(tr("every "));
    m_every->setSuffix(tr(" frames"));
    auto *videos = new QFormLayout;
    videos->addRow(tr("Scan &videos:"), m_every);
    videos->addRow(QString(), m_allFaces);
    videos->addRow(QString(), m_keepDuplicates);
    auto *videoGroup = new QGroupBox(tr("Videos"), this);
    videoGroup->setLayout(videos);

    m_problem->setObjectName(QStringLiteral("importProblem"));
    m_problem->setWordWrap(true);
    QPalette palette = m_problem->palette();
    palette.setColor(QPalette::WindowText, Qt::darkRed);
    m_problem->setPalette(palette);

    QPushButton *import = m_buttons->addButton(tr("&Import"), QDialogButtonBox::AcceptRole);
    import->setDefault(true);
    connect(m_buttons, &QDialogButtonBox::accepted, this, &QDialog::accept);
    connect(m_buttons, &QDialogButtonBox::rejected, this, &QDialog::reject);

    auto *layout = new QVBoxLayout(this);
    layout->addWidget(pathGroup, 1);
    layout->addWidget(faceGroup);
    layout->addWidget(videoGroup);
    layout->addWidget(m_problem);
    layout->addWidget(m_buttons);

    connect(m_detector, &QComboBox::currentIndexChanged, this, &FaceImportDialog::updateState);
    connect(m_model, &QLineEdit::textChanged, this, &FaceImportDialog::updateState);
    setOptions(fa::FaceImportOptions());
    resize(640, 560);
}

QStringList FaceImportDialog::paths() const
{
    QStringList out;
    for (int i = 0; i < m_paths->count(); ++i)
        out << m_paths->item(i)->text();
    return out;
}

void FaceImportDialog::setPaths(const QStringList &paths)
{
    m_paths->clear();
    addPaths(paths);
}

void FaceImportDialog::addPaths(const QStringList &paths)
{
    for (const QString &path : paths)
        if (!path.isEmpty() && m_paths->findItems(path, Qt::MatchExactly).isEmpty())
            m_paths->addItem(path);
    updateState();
}

fa::FaceImportOptions FaceImportDialog::options() const
{
    fa::FaceImportOptions options;
    options.everyNthFrame = m_every->value();
    options.dropNearDuplicates = !m_keepDuplicates->isChecked();
    options.faces.backend = fa::FaceDetector::Backend(m_detector->currentData().toInt());
    options.faces.yunetModelPath = m_model->text().trimmed();
    options.faces.minFaceSize = m_minFace->value();
    options.faces.tiltSearch = m_tiltSearch->isChecked();
    options.faces.allFacesInVideos = m_allFaces->isChecked();
    return options;
}

void FaceImportDialog::setOptions(const fa::FaceImportOptions &options)
{
    m_every->setValue(options.everyNthFrame);
    m_keepDuplicates->setChecked(!options.dropNearDuplicates);
    m_detector->setCurrentIndex(std::max(0, m_detector->findData(int(options.faces.backend))));
    m_model->setText(options.faces.yunetModelPath);
    m_minFace->setValue(options.faces.minFaceSize);
    m_tiltSearch->setChecked(options.faces.tiltSearch);
    m_allFaces->setChecked(options.faces.allFacesInVideos);
    updateState();
}

QString FaceImportDialog::problem() const
{
    if (m_paths->count() == 0)
        return tr("Add the images, videos or folders to import.");
    const fa::FaceImportOptions options = this->options();
    if (options.faces.backend == fa::FaceDetector::Backend::YuNet) {
        if (options.faces.yunetModelPath.isEmpty())
            return tr("YuNet needs its model file (yunet_2022feb_120x160.onnx).");
        if (!QFileInfo(options.faces.yunetModelPath).isFile())
            return tr("%1: no such file.").arg(options.faces.yunetModelPath);
    }
    return options.faces.problems();
}

fa::FaceImportOptions FaceImportDialog::rememberedOptions()
{
    const QSettings settings;
    fa::FaceImportOptions options;
    options.faces.backend = fa::FaceFinderOptions::backendFromName(settings.value(kDetectorKey).toString())
                                .value_or(options.faces.backend);
    options.faces.yunetModelPath = settings.value(kModelKey).toString();
    options.faces.minFaceSize = std::clamp(settings.value(kMinFaceKey, options.faces.minFaceSize).toInt(),
                                           fa::FaceFinderOptions::kMinFaceSizeLowest,
                                           fa::FaceFinderOptions::kMinFaceSizeHighest);
    options.faces.tiltSearch = settings.value(kTiltKey, false).toBool();
    options.faces.allFacesInVideos = settings.value(kAllFacesKey, false).toBool();
    options.everyNthFrame = std::max(1, settings.value(kEveryKey, options.everyNthFrame).toInt());
    options.dropNearDuplicates = !settings.value(kKeepKey, false).toBool();
    return options;
}

void FaceImportDialog::rememberOptions(const fa::FaceImportOptions &options)
{
    QSettings settings;
    settings.setValue(kDetectorKey, fa::FaceFinderOptions::backendName(options.faces.backend));
    settings.setValue(kModelKey, options.faces.yunetModelPath);
    settings.setValue(kMinFaceKey, options.faces.minFaceSize);
    settings.setValue(kTiltKey, options.faces.tiltSearch);
    settings.setValue(kAllFacesKey, options.faces.allFacesInVideos);
    settings.setValue(kEveryKey, options.everyNthFrame);
    settings.setValue(kKeepKey, !options.dropNearDuplicates);
}

void FaceImportDialog::addFiles()
{
    QSettings settings;
    const QStringList files = QFileDialog::getOpenFileNames(this, tr("Add Images and Videos"),
                                                            settings.value(kFolderKey).toString(), fileFilter());
    if (files.isEmpty())
        return;
    settings.setValue(kFolderKey, QFileInfo(files.first()).absolutePath());
    addPaths(files);
}

void FaceImportDialog::addFolder()
{
    QSettings settings;
    const QString folder = QFileDialog::getExistingDirectory(this, tr("Add Folder"), settings.value(kFolderKey).toString());
    if (folder.isEmpty())
        return;
    settings.setValue(kFolderKey, folder);
    addPaths({folder});
}

void FaceImportDialog::browseModel()
{
    const QString file = QFileDialog::getOpenFileName(this, tr("YuNet Model"), QFileInfo(m_model->text()).absolutePath(),
                                                      tr("ONNX models (*.onnx);;All files (*)"));
    if (!file.isEmpty())
        m_model->setText(file);
}

void FaceImportDialog::updateState()
{
    const bool yunet = fa::FaceDetector::Backend(m_detector->currentData().toInt()) == fa::FaceDetector::Backend::YuNet;
    m_model->setEnabled(yunet);
    m_browseModel->setEnabled(yunet);
    m_remove->setEnabled(!m_paths->selectedItems().isEmpty());
    const QString why = problem();
    m_problem->setText(why);
    m_problem->setVisible(!why.isEmpty());
    for (QAbstractButton *button : m_buttons->buttons())
        if (m_buttons->buttonRole(button) == QDialogButtonBox::AcceptRole)
            button->setEnabled(why.isEmpty());
}

} // namespace fa::ui
