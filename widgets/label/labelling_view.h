#pragma once

#include <QElapsedTimer>
#include <QTimer>
#include <QWidget>

#include <memory>

class QLabel;

namespace fa {
class LabellingSession;
class Project;
struct TripletRecord;
} // namespace fa

namespace fa::ui {

class CropCache;
class TripletCanvas;

/// The annotator's view: three face crops side by side, answered from the keyboard.
///
/// Keys: 1, 2, 3 (main row or numpad) or a click on a crop choose the face whose expression
/// differs most; S or Space skips; Backspace or Ctrl+Z undoes the latest judgment of this
/// sitting, whose triplet is then shown again to be answered anew. Every answer is committed
/// (LabellingSession::record/skip) before the next triplet is shown; the crops of the queued
/// triplets are decoded off the GUI thread beforehand (CropCache), so the next triplet appears
/// at once. Earlier annotators' answers are never shown.
///
/// The time of an answer (JudgmentRecord::durationMs) runs from the first paint of the triplet
/// with its crops (tripletPainted) to the key press; 0 when answered before it was painted.
/// A crop that cannot be read (e.g. deleted behind the studio's back) shows its error in its
/// tile; such a triplet cannot be answered, only skipped. A commit that fails shows the error in
/// a banner above the crops and emits commitFailed(): nothing is lost, the triplet stays shown.
/// The session's leases are renewed every leaseSeconds/3 while the view labels.
///
/// The project is not owned: it must outlive the view, or stop() must be called first.
class LabellingView : public QWidget
{
    Q_OBJECT
public:
    explicit LabellingView(QWidget *parent = nullptr);
    ~LabellingView() override;

    /// Starts a labelling session on `project` for `annotator` (a name, registered on first
    /// use). False with `error` ("PATH: what") when the session cannot start.
    bool start(fa::Project *project, const QString &annotator, QString *error);
    /// Ends the session (its leases are released) and clears the view.
    void stop();
    /// Looks for triplets again when the session had nothing left (e.g. after triplets were
    /// sampled, or when other annotators' reservations ran out); the undo history is kept.
    /// While nothing is left, the view does this by itself every 5 s.
    void reload();

    bool isActive() const { return m_session != nullptr; }
    fa::LabellingSession *session() const { return m_session.get(); }
    QString annotator() const;
    /// The triplet shown now (0 when none) and the last one painted with its crops.
    qint64 currentTripletId() const;
    qint64 paintedTripletId() const { return m_paintedId; }
    TripletCanvas *canvas() const { return m_canvas; }
    QString errorText() const; ///< the banner's text, empty when hidden
    QString progressText() const;

public Q_SLOTS:
    void choose(int choice); ///< 1..3; ignored while crops load or when one is missing
    void skip();
    void undo();

Q_SIGNALS:
    /// A judgment was committed: choice 1..3, or 0 (JudgmentRecord::kSkip) for a skip.
    void judgmentRecorded(qint64 tripletId, int choice);
    void judgmentUndone(qint64 tripletId);
    void tripletShown(qint64 tripletId);   ///< a new triplet became current (crops may still load)
    void tripletPainted(qint64 tripletId); ///< it was first painted with its crops (from paintEvent)
    void finished();                       ///< nothing is left for this annotator
    void commitFailed(const QString &message);

protected:
    void keyPressEvent(QKeyEvent *event) override;

private:
    void answer(int choice);
    void showCurrent();
    void prefetch();
    void onCropLoaded(qint64 faceId);
    void onPainted(qint64 tripletId);
    void updateProgress();
    void showError(const QString &message);
    void clearError();
    qint64 answerDuration() const;
    bool isShownToAnnotator() const;

    fa::Project *m_project = nullptr;
    std::unique_ptr<fa::LabellingSession> m_session;
    CropCache *m_cache;
    TripletCanvas *m_canvas;
    QLabel *m_banner;
    QLabel *m_progress;
    QLabel *m_hint;
    QTimer m_leaseTimer;
    QTimer m_retryTimer; ///< while nothing is left: look again
    QElapsedTimer m_answerTimer;  ///< since the current triplet was painted
    QElapsedTimer m_sittingTimer; ///< since start(): the rate per minute
    QList<qint64> m_previousFaces; ///< crops of the last answered triplet, kept for undo
    qint64 m_paintedId = 0;
    bool m_finishedEmitted = false;
};

} // namespace fa::ui
