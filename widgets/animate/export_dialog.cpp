#include "animate/export_dialog.h"

#include <QComboBox>
#include <QDialogButtonBox>
#include <QDir>
#include <QFileDialog>
#include <QFileInfo>
#include <QFormLayout>
#include <QHBoxLayout>
#include <QLineEdit>
#include <QMessageBox>
#include <QPushButton>
#include <QSpinBox>

namespace fa::ui {

ExportDialog::ExportDialog(int frameCount, bool haveAvatar, const QString &suggestedBaseName, QWidget *parent)
    : QDialog(parent), m_format(new QComboBox(this)), m_path(new QLineEdit(this)), m_first(new QSpinBox(this)),
      m_last(new QSpinBox(this)), m_baseName(suggestedBaseName)
{
    setWindowTitle(tr("Export Animation"));
    m_format->addItem(animationExportName(AnimationExportFormat::LiveLinkCsv), int(AnimationExportFormat::LiveLinkCsv));
    if (haveAvatar) {
        m_format->addItem(animationExportName(AnimationExportFormat::GenericCsv), int(AnimationExportFormat::GenericCsv));
        m_format->addItem(animationExportName(AnimationExportFormat::Fbx), int(AnimationExportFormat::Fbx));
    }
    auto *browse = new QPushButton(tr("Browse…"), this);
    auto *pathRow = new QHBoxLayout;
    pathRow->addWidget(m_path, 1);
    pathRow->addWidget(browse);
    const int last = std::max(0, frameCount - 1);
    for (QSpinBox *box : {m_first, m_last})
        box->setRange(0, last);
    m_last->setValue(last);
    auto *whole = new QPushButton(tr("Whole clip"), this);
    auto *rangeRow = new QHBoxLayout;
    rangeRow->addWidget(m_first);
    rangeRow->addWidget(m_last);
    rangeRow->addWidget(whole);

    auto *form = new QFormLayout;
    form->addRow(tr("Format:"), m_format);
    form->addRow(tr("File:"), pathRow);
    form->addRow(tr("Frames (first, last):"), rangeRow);
    auto *buttons = new QDialogButtonBox(QDialogButtonBox::Ok | QDialogButtonBox::Cancel, this);
    buttons->button(QDialogButtonBox::Ok)->setText(tr("Export"));
    auto *layout = new QVBoxLayout(this);
    layout->addLayout(form);
    layout->addWidget(buttons);

    connect(browse, &QPushButton::clicked, this, &ExportDialog::browse);
    connect(whole, &QPushButton::clicked, this, [this, last] { setRange(0, last); });
    connect(m_format, &QComboBox::currentIndexChanged, this, &ExportDialog::formatChanged);
    connect(buttons, &QDialogButtonBox::accepted, this, &ExportDialog::accept);
    connect(buttons, &QDialogButtonBox::rejected, this, &ExportDialog::reject);
    formatChanged();
}

AnimationExportFormat ExportDialog::format() const
{
    return AnimationExportFormat(m_format->currentData().toInt());
}

void ExportDialog::setFormat(AnimationExportFormat format)
{
    const int index = m_format->findData(int(format));
    if (index >= 0)
        m_format->setCurrentIndex(index);
}

QString ExportDialog::path() const
{
    return m_path->text().trimmed();
}

void ExportDialog::setPath(const QString &path)
{
    m_path->setText(path);
}

int ExportDialog::firstFrame() const
{
    return m_first->value();
}

int ExportDialog::lastFrame() const
{
    return m_last->value();
}

void ExportDialog::setRange(int first, int last)
{
    m_first->setValue(first);
    m_last->setValue(last);
}

void ExportDialog::formatChanged()
{
    const QString suffix = animationExportSuffix(format());
    QString current = path();
    if (current.isEmpty()) {
        current = QDir::home().filePath(m_baseName + QLatin1Char('.') + suffix);
    } else {
        const QFileInfo info(current);
        const QString old = info.suffix().toLower();
        if (old == QLatin1String("csv") || old == QLatin1String("fbx") || old.isEmpty())
            current = info.dir().filePath(info.completeBaseName() + QLatin1Char('.') + suffix);
    }
    m_path->setText(QDir::toNativeSeparators(current));
}

void ExportDialog::browse()
{
    const QString chosen = QFileDialog::getSaveFileName(this, tr("Export Animation"), path(),
                                                        animationExportFilter(format()));
    if (!chosen.isEmpty())
        m_path->setText(chosen);
}

void ExportDialog::accept()
{
    if (path().isEmpty()) {
        QMessageBox::warning(this, windowTitle(), tr("Choose the file to write."));
        return;
    }
    if (firstFrame() > lastFrame()) {
        QMessageBox::warning(this, windowTitle(), tr("The first frame (%1) is after the last (%2).")
                                                      .arg(firstFrame()).arg(lastFrame()));
        return;
    }
    QDialog::accept();
}

} // namespace fa::ui
