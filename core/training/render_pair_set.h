#pragma once

#include <ATen/core/Tensor.h>

#include <QByteArray>
#include <QString>
#include <QStringList>

#include <memory>
#include <optional>
#include <vector>

namespace fa {

class RenderDataset;

/// The (rig, image) pairs of a render set (core/renderset, `freeavatar render-dataset`) as the
/// neural renderer trains on them: images read back at `size` x `size` (INTER_AREA from the
/// set's side), RGB in [0, 1], no normalisation (REFERENCE.md section 4), rigs as the set's
/// raw control values.
///
/// The held-out split is a pure function of the item index and `heldOutFraction` (a hash of
/// the index, not the run's seed): every run on one render set holds out the same rigs, so runs
/// with different seeds compare on the same images.
///
/// Thread-safe after open(): image() may run on the loader's workers.
class RenderPairSet
{
public:
    /// Opens the render set folder `dir` for images of side `size` (64, 128 or 256; at most the
    /// set's own side). Errors: "DIR: what" (the reader's), "DIR: the render set is NxN, smaller
    /// than renderer_size S", "DIR: no rigs".
    static std::optional<RenderPairSet> open(const QString &dir, int size, double heldOutFraction, QString *error);

    int size() const { return m_size; }
    int rigSize() const;
    QStringList controlNames() const;
    const RenderDataset &dataset() const { return *m_dataset; }
    /// "DIR:FINGERPRINT" of the set (TrainingRun refuses to resume on changed data).
    QString fingerprint() const;

    /// Items used for training / held out, ascending dataset indices.
    const std::vector<qsizetype> &trainingItems() const { return m_training; }
    const std::vector<qsizetype> &heldOutItems() const { return m_heldOut; }

    /// [n] float32 rig of dataset item `item`.
    at::Tensor rig(qsizetype item) const;
    /// [3, size, size] float32 RGB in [0, 1] of item `item`; undefined + "PATH: what" when the
    /// PNG cannot be read or is not the set's size.
    at::Tensor image(qsizetype item, QString *error) const;
    /// [1, 1, size, size] float32: 1 inside the mouth box or the eye box of the set (scaled to
    /// `size`), 0 elsewhere; all 0 when the set has no box (then only the whole-image L1 trains).
    at::Tensor regionMask() const { return m_mask; }
    /// True when some box covers at least one pixel.
    bool hasRegions() const;

private:
    RenderPairSet() = default;

    std::shared_ptr<const RenderDataset> m_dataset;
    int m_size = 64;
    std::vector<qsizetype> m_training;
    std::vector<qsizetype> m_heldOut;
    at::Tensor m_mask;
};

} // namespace fa
