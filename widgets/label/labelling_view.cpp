#include "label/labelling_view.h"

#include "label/crop_cache.h"
#include "label/triplet_canvas.h"
#include "project/judgment_record.h"
#include "project/labelling_session.h"
#include "project/project.h"

#include <QKeyEvent>
#include <QLabel>
#include <QVBoxLayout>

#include <algorithm>

namespace fa::ui {

LabellingView::LabellingView(QWidget *parent)
    : QWidget(parent)
    , m_cache(new CropCache(this))
    , m_canvas(new TripletCanvas(this))
    , m_banner(new QLabel(this))
    , m_progress(new QLabel(this))
    , m_hint(new QLabel(this))
{
    setFocusPolicy(Qt::StrongFocus);
    m_canvas->setFocusPolicy(Qt::NoFocus);
    m_canvas->setPlaceholder(tr("No project is open."));
    m_banner->setWordWrap(true);
    m_banner->setTextInteractionFlags(Qt::TextSelectableByMouse);
    m_banner->setStyleSheet(QStringLiteral("QLabel { background: #b3261e; color: white; padding: 6px; }"));
    m_banner->hide();
    m_hint->setText(tr("Which face's expression differs most?   1 2 3 or click: choose    "
                       "S or Space: skip    Backspace or Ctrl+Z: undo"));
    m_hint->setAlignment(Qt::AlignCenter);
    m_hint->setEnabled(false);

    auto *layout = new QVBoxLayout(this);
    layout->addWidget(m_progress);
    layout->addWidget(m_banner);
    layout->addWidget(m_canvas, 1);
    layout->addWidget(m_hint);

    connect(m_cache, &CropCache::loaded, this, &LabellingView::onCropLoaded);
    connect(m_canvas, &TripletCanvas::painted, this, &LabellingView::onPainted);
    connect(m_canvas, &TripletCanvas::tileClicked, this, [this](int choice) {
        setFocus(Qt::MouseFocusReason);
        this->choose(choice);
    });
    m_retryTimer.setInterval(5000);
    connect(&m_retryTimer, &QTimer::timeout, this, [this] {
        if (m_session && !m_session->current() && m_session->remainingCount() > 0)
            reload();
    });
    connect(&m_leaseTimer, &QTimer::timeout, this, [this] {
        if (!m_session)
            return;
        if (!m_session->renewLeases())
            showError(tr("Could not renew the reservation of the triplets: %1").arg(m_session->errorString()));
        showCurrent(); // triplets another session took over have left the queue
    });
}

LabellingView::~LabellingView() = default;

bool LabellingView::start(fa::Project *project, const QString &annotator, QString *error)
{
    stop();
    auto session = std::make_unique<fa::LabellingSession>(*project, annotator, 4);
    if (!session->start()) {
        if (error)
            *error = session->errorString();
        return false;
    }
    m_project = project;
    m_session = std::move(session);
    m_sittingTimer.start();
    m_leaseTimer.start(std::max(1, project->leaseSeconds() / 3) * 1000);
    showCurrent();
    return true;
}

void LabellingView::stop()
{
    m_leaseTimer.stop();
    m_retryTimer.stop();
    m_session.reset();
    m_project = nullptr;
    m_cache->clear();
    m_previousFaces.clear();
    m_paintedId = 0;
    m_finishedEmitted = false;
    m_answerTimer.invalidate();
    m_canvas->setPlaceholder(tr("No project is open."));
    m_canvas->setTriplet(0, {});
    m_progress->clear();
    clearError();
}

void LabellingView::reload()
{
    if (!m_session || m_session->current())
        return;
    if (!m_session->refresh()) {
        showError(m_session->errorString());
        return;
    }
    if (m_session->current())
        showCurrent();
}

QString LabellingView::annotator() const
{
    return m_session ? m_session->annotator() : QString();
}

qint64 LabellingView::currentTripletId() const
{
    return m_canvas->tripletId();
}

QString LabellingView::errorText() const
{
    return m_banner->isHidden() ? QString() : m_banner->text();
}

QString LabellingView::progressText() const
{
    return m_progress->text();
}

void LabellingView::showCurrent()
{
    const std::optional<fa::TripletRecord> current = m_session->current();
    if (!current) {
        m_canvas->setPlaceholder(tr("Nothing left to label for %1. Sample more triplets, or come back "
                                    "later: triplets reserved by other annotators come back when "
                                    "their reservation ends.").arg(m_session->annotator()));
        m_canvas->setTriplet(0, {});
        updateProgress();
        m_retryTimer.start();
        if (!m_finishedEmitted) {
            m_finishedEmitted = true;
            Q_EMIT finished();
        }
        return;
    }
    m_finishedEmitted = false;
    m_retryTimer.stop();
    prefetch();
    if (current->id != m_canvas->tripletId()) {
        std::array<TripletCanvas::Tile, 3> tiles;
        for (int i = 0; i < 3; ++i) {
            if (const CropCache::Crop *crop = m_cache->find(current->faceIds[size_t(i)]))
                tiles[size_t(i)] = {crop->image, crop->error, false};
        }
        m_answerTimer.invalidate();
        m_canvas->setTriplet(current->id, tiles);
        updateProgress();
        Q_EMIT tripletShown(current->id);
    } else {
        updateProgress();
    }
}

void LabellingView::prefetch()
{
    std::vector<fa::TripletRecord> queue = m_session->upcoming();
    if (const std::optional<fa::TripletRecord> current = m_session->current())
        queue.insert(queue.begin(), *current);
    QList<qint64> keep = m_previousFaces;
    for (const fa::TripletRecord &triplet : queue) {
        for (qint64 faceId : triplet.faceIds) {
            keep.append(faceId);
            if (m_cache->isRequested(faceId))
                continue;
            const std::optional<fa::FaceRecord> face = m_project->faces().face(faceId);
            m_cache->request(faceId, face ? m_project->absolutePath(face->cropPath) : QString());
        }
    }
    m_cache->retainOnly(keep);
}

void LabellingView::onCropLoaded(qint64 faceId)
{
    const std::optional<fa::TripletRecord> current = m_session ? m_session->current() : std::nullopt;
    if (!current || current->id != m_canvas->tripletId())
        return;
    const CropCache::Crop *crop = m_cache->find(faceId);
    for (int i = 0; i < 3; ++i) {
        if (crop && current->faceIds[size_t(i)] == faceId)
            m_canvas->setTile(i, {crop->image, crop->error, false});
    }
}

void LabellingView::onPainted(qint64 tripletId)
{
    if (!m_session || tripletId != m_canvas->tripletId())
        return;
    m_answerTimer.start();
    m_paintedId = tripletId;
    Q_EMIT tripletPainted(tripletId);
}

qint64 LabellingView::answerDuration() const
{
    return m_answerTimer.isValid() ? m_answerTimer.elapsed() : 0;
}

void LabellingView::choose(int choice)
{
    if (!m_session || !m_session->current() || choice < 1 || choice > 3 || !isShownToAnnotator())
        return;
    if (!m_canvas->hasAllImages()) {
        showError(tr("A crop of this triplet cannot be shown, so it cannot be judged: press S to skip it."));
        return;
    }
    answer(choice);
}

void LabellingView::skip()
{
    if (m_session && m_session->current() && isShownToAnnotator())
        answer(fa::JudgmentRecord::kSkip);
}

bool LabellingView::isShownToAnnotator() const
{
    // Only a triplet that has been painted can be answered: a key typed ahead of the repaint
    // would otherwise answer a triplet nobody saw.
    return m_canvas->tripletId() != 0 && m_paintedId == m_canvas->tripletId();
}

void LabellingView::answer(int choice)
{
    const fa::TripletRecord triplet = *m_session->current();
    const int before = m_session->sessionCount();
    const bool ok = choice == fa::JudgmentRecord::kSkip ? m_session->skip(answerDuration())
                                                        : m_session->record(choice, answerDuration());
    // The session commits first and then tops up its queue: a failure may come after the
    // commit (the triplet is then answered and gone from the queue) or before it (it stays).
    const bool committed = m_session->sessionCount() > before;
    const bool moved = !m_session->current() || m_session->current()->id != triplet.id;
    if (ok)
        clearError();
    if (committed || moved)
        m_previousFaces = QList<qint64>(triplet.faceIds.begin(), triplet.faceIds.end());
    if (committed)
        Q_EMIT judgmentRecorded(triplet.id, choice);
    if (!ok) {
        const QString message = committed
            ? tr("The answer was saved, but the next triplets could not be fetched: %1").arg(m_session->errorString())
            : tr("The answer was not saved: %1").arg(m_session->errorString());
        showError(message);
        Q_EMIT commitFailed(message);
    }
    if (committed || moved)
        showCurrent();
}

void LabellingView::undo()
{
    if (!m_session)
        return;
    if (!m_session->undo()) {
        if (!m_session->errorString().isEmpty()) {
            const QString message = tr("Could not undo: %1").arg(m_session->errorString());
            showError(message);
            Q_EMIT commitFailed(message);
        }
        return;
    }
    clearError();
    const qint64 tripletId = m_session->current() ? m_session->current()->id : 0;
    Q_EMIT judgmentUndone(tripletId);
    showCurrent();
}

void LabellingView::keyPressEvent(QKeyEvent *event)
{
    // A held key must not answer (or undo) one triplet after another unseen.
    if (event->isAutoRepeat()) {
        event->accept();
        return;
    }
    if (event->matches(QKeySequence::Undo)) {
        undo();
        return;
    }
    const Qt::KeyboardModifiers modifiers = event->modifiers() & ~Qt::KeypadModifier;
    if (modifiers != Qt::NoModifier && modifiers != Qt::ShiftModifier) {
        QWidget::keyPressEvent(event);
        return;
    }
    switch (event->key()) {
    case Qt::Key_1: choose(1); break;
    case Qt::Key_2: choose(2); break;
    case Qt::Key_3: choose(3); break;
    case Qt::Key_S:
    case Qt::Key_Space: skip(); break;
    case Qt::Key_Backspace: undo(); break;
    default: QWidget::keyPressEvent(event); return;
    }
    event->accept();
}

void LabellingView::updateProgress()
{
    if (!m_session) {
        m_progress->clear();
        return;
    }
    const int answered = m_session->sessionCount();
    const double minutes = m_sittingTimer.elapsed() / 60000.0;
    const QString rate = answered > 0 && minutes > 0
        ? tr("%1 per minute this sitting").arg(answered / minutes, 0, 'f', 1)
        : tr("no answers yet this sitting");
    m_progress->setText(tr("Labelling as <b>%1</b> — done %2, left %3 — %4")
                            .arg(m_session->annotator().toHtmlEscaped())
                            .arg(m_session->doneCount())
                            .arg(m_session->remainingCount())
                            .arg(rate));
}

void LabellingView::showError(const QString &message)
{
    m_banner->setText(message);
    m_banner->show();
}

void LabellingView::clearError()
{
    m_banner->clear();
    m_banner->hide();
}

} // namespace fa::ui
