#include "file_info_view.h"

#include "retarget/file_description.h"

#include <QFileInfo>
#include <QFontDatabase>
#include <QLabel>
#include <QPlainTextEdit>
#include <QVBoxLayout>
#include <QtConcurrent/QtConcurrentRun>

namespace fa::ui {

FileInfoView::FileInfoView(QWidget *parent)
    : QWidget(parent)
    , m_title(new QLabel(tr("Open a video or an avatar to see what the studio finds in it."), this))
    , m_text(new QPlainTextEdit(this))
{
    m_text->setReadOnly(true);
    m_text->setFont(QFontDatabase::systemFont(QFontDatabase::FixedFont));
    auto *layout = new QVBoxLayout(this);
    layout->addWidget(m_title);
    layout->addWidget(m_text, 1);
    connect(&m_watcher, &QFutureWatcher<Outcome>::finished, this, &FileInfoView::onFinished);
}

FileInfoView::~FileInfoView()
{
    m_watcher.waitForFinished();
}

void FileInfoView::showFile(const QString &path)
{
    m_path = path;
    m_title->setText(tr("Reading %1...").arg(QFileInfo(path).fileName()));
    m_text->clear();
    m_watcher.setFuture(QtConcurrent::run([path] {
        Outcome outcome;
        outcome.path = path;
        outcome.text = describeFile(path, &outcome.error);
        return outcome;
    }));
}

QString FileInfoView::text() const
{
    return m_text->toPlainText();
}

void FileInfoView::onFinished()
{
    const Outcome outcome = m_watcher.result();
    if (outcome.path != m_path)
        return; // an older read finished after a newer one started
    if (!outcome.text) {
        m_title->setText(tr("Could not read %1").arg(QFileInfo(outcome.path).fileName()));
        Q_EMIT readFailed(outcome.error);
        return;
    }
    m_title->setText(QFileInfo(outcome.path).fileName());
    m_text->setPlainText(*outcome.text);
    Q_EMIT fileShown(outcome.path);
}

} // namespace fa::ui
