#pragma once

#include "training/renderer_run_info.h"

#include <QImage>
#include <QString>
#include <QStringList>

#include <memory>
#include <vector>

namespace fa {

/// The trained neural renderer of a renderer run, for inference: a rig in, the avatar's face
/// image out (RendererRunInfo::imageSize square, RGB, the face-crop framing of the render set).
///
/// Threads: load() and render() may run on any thread, one call at a time per object (the
/// Animate preview runs them on a worker). The network runs in eval mode under NoGradGuard on
/// the CPU with every core (or CUDA when asked for and available).
class NeuralRendererModel
{
public:
    /// From a renderer run folder or one of its checkpoint folders (model.pt + config.yaml, and
    /// the run's renderer.json). `device`: "auto", "cpu" or "cuda". Errors "PATH: what": no run
    /// there, not a renderer run, no model.pt yet, weights that do not match, device missing.
    static std::unique_ptr<NeuralRendererModel> load(const QString &runDir, const QString &device, QString *error);
    ~NeuralRendererModel();

    /// The renderer runs among `projectDirectory`/runs/* and `otherRunFolders` (folders with a
    /// config.yaml of kind renderer and a model.pt), absolute, sorted by path; unreadable
    /// folders are skipped.
    static QStringList findRuns(const QString &projectDirectory, const QStringList &otherRunFolders = {});

    const RendererRunInfo &info() const;
    QString runDirectory() const;

    /// The network's input for an avatar's rig: each of info().controls takes the value of the
    /// control of the same name in `names`, else of the same ARKit shape in another spelling
    /// (eyeBlinkLeft / EyeBlinkLeft / eyeBlink_L), else 0; values clamped to [0, 1].
    std::vector<float> inputFor(const QStringList &names, const std::vector<float> &values) const;
    /// How many of info().controls inputFor() finds in `names`.
    int matchedControls(const QStringList &names) const;

    /// Images of rigs in info().controls order (shorter rigs are padded with 0, longer ones cut).
    /// Empty + error on a torch failure.
    std::vector<QImage> render(const std::vector<std::vector<float>> &rigs, QString *error);
    QImage render(const std::vector<float> &rig, QString *error);

private:
    NeuralRendererModel();
    struct Private;
    std::unique_ptr<Private> d;
};

} // namespace fa
