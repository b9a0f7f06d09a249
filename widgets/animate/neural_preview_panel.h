#pragma once

#include <QImage>
#include <QString>
#include <QStringList>
#include <QWidget>

#include <memory>
#include <optional>
#include <vector>

class QComboBox;
class QLabel;
class QThreadPool;

namespace fa {
class NeuralRendererModel;
}

namespace fa::ui {

/// The Animate workspace's neural preview: the image a trained neural renderer (a renderer run
/// of the project, `freeavatar train renderer`) makes of the current frame's rig, beside the 3-D
/// viewport, so an animator sees what the learnt animator sees.
///
/// The run is chosen in a list of the project's renderer runs (runs/ and linked run folders;
/// "None" turns the preview off) or with Browse…. Loading and inference run on a thread pool
/// of one thread owned by the panel (never the global pool, never the GUI thread); while a
/// frame renders, newer requests replace each other and only the latest one runs next, so
/// scrubbing never queues work. Errors (a run that cannot be loaded) show in the panel's
/// status line and in a dialog when the user chose the run.
class NeuralPreviewPanel : public QWidget
{
    Q_OBJECT
public:
    explicit NeuralPreviewPanel(QWidget *parent = nullptr);
    ~NeuralPreviewPanel() override; // waits for the running render

    /// Lists the renderer runs of this project (empty: none) and of `linkedRunFolders`.
    void setProject(const QString &projectDirectory, const QStringList &linkedRunFolders = {});
    /// Loads the renderer of `runDir` (empty: none) off the GUI thread; modelLoaded() or
    /// loadFailed() follows. The last rig requested is rendered once it is loaded.
    void setRun(const QString &runDir, bool userChoice = false);
    QString run() const { return m_runDir; }
    QStringList listedRuns() const;
    bool hasModel() const { return m_model != nullptr; }

    /// Asks for the image of an avatar rig (control names and values, Avatar::rig() order).
    void requestRig(const QStringList &controlNames, const std::vector<float> &values);

    /// The latest image shown (null before the first render).
    QImage image() const { return m_image; }
    /// The status line ("trained for facecap, 61 of 61 controls matched", an error ...).
    QString statusText() const;

Q_SIGNALS:
    void modelLoaded();
    void loadFailed(const QString &error);
    /// A rendered image was shown.
    void imageUpdated();

private:
    struct Request
    {
        QStringList names;
        std::vector<float> values;
    };
    void fillRuns();
    void startNext();
    void showImage(const QImage &image);

    QComboBox *m_runs;
    QLabel *m_view;
    QLabel *m_status;
    QThreadPool *m_pool;
    QString m_projectDirectory;
    QStringList m_linked;
    QString m_runDir;
    std::shared_ptr<NeuralRendererModel> m_model;
    quint64 m_loadGeneration = 0; ///< a load finishing for an older setRun() is dropped
    std::optional<Request> m_pending;
    bool m_busy = false;
    QImage m_image;
};

} // namespace fa::ui
