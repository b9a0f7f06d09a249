#pragma once

#include "training/training_metrics.h"

#include <QWidget>

#include <map>
#include <vector>

class QComboBox;
class QGridLayout;
class QLabel;
class QScrollArea;

namespace fa::ui {

/// The samples of a run at one logged step: MAE reconstructions as rows of (masked input,
/// prediction, target), renderer runs as rows of (the avatar's render of a fixed held-out rig,
/// the neural render of that rig, their difference x4) and, for triplet runs, rows of a query
/// face and its nearest faces by embedding distance (the distance under each). A step selector lists the steps with samples
/// (read from RUN_DIR/samples, TrainingSamplesFolder, plus those arriving live); it follows the
/// newest step unless another one was chosen.
class SamplesView : public QWidget
{
    Q_OBJECT
public:
    explicit SamplesView(QWidget *parent = nullptr);

    /// Shows the run in `runDir` (empty: none): lists its sample steps and shows the newest.
    void setRun(const QString &runDir);
    QString run() const { return m_runDir; }
    /// Live samples of the shown run (kept in memory for the last few steps, and on disk by the job).
    void addSamples(const fa::TrainingSamples &samples);

    std::vector<qint64> steps() const;
    /// The step shown, or -1.
    qint64 currentStep() const;
    void showStep(qint64 step);
    /// Tiles shown now (images, not counting labels), for tests.
    int imageCount() const { return m_imageCount; }

private:
    void fillSteps();
    void display(const fa::TrainingSamples &samples);
    void clearGrid();
    QLabel *imageLabel(const QImage &image, const QString &caption);

    QString m_runDir;
    std::map<qint64, fa::TrainingSamples> m_live; ///< the newest few live ones
    QComboBox *m_step;
    QLabel *m_message;
    QScrollArea *m_scroll;
    QWidget *m_grid;
    QGridLayout *m_gridLayout;
    bool m_followNewest = true;
    bool m_filling = false;
    int m_imageCount = 0;
};

} // namespace fa::ui
