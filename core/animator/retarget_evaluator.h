#pragma once

#include "avatar/avatar.h"

#include <QImage>
#include <QString>

#include <opencv2/core/mat.hpp>

#include <memory>
#include <vector>

namespace fa {

/// Mean, median and 90th percentile of per-frame distances.
struct DistanceSummary
{
    int count = 0;
    double mean = 0.0;
    double median = 0.0;
    double p90 = 0.0; ///< linear interpolation between order statistics (numpy's default)

    static DistanceSummary of(std::vector<double> values);
};

/// How well a retarget keeps the actor's expression, as `freeavatar eval-retarget` reports it:
/// the Euclidean distance, in an expression encoder's 16-d embedding space, between the actor's
/// face crop and the avatar's REAL render of the solved rig (the studio's OpenGL renderer, not
/// the neural one), both through the encoder's eval transform. The avatar is framed like the
/// face crops (FaceFraming: FaceCropper's WholeFace eye geometry) at 224 px. The same distance
/// for the avatar's neutral rig (all controls 0) is the floor reference: a solver that beats it
/// brings the avatar's expression nearer the actor's than doing nothing.
///
/// Needs OpenGL (a QGuiApplication; under xvfb-run without a display) and LibTorch. One call at
/// a time per object.
class RetargetEvaluator
{
public:
    /// `encoderRun`: a triplet run (or checkpoint) folder. `device`: "auto", "cpu" or "cuda".
    /// nullptr + "PATH: what" when the encoder cannot be loaded, "OpenGL: what" without OpenGL.
    static std::unique_ptr<RetargetEvaluator> create(const QString &encoderRun, std::shared_ptr<const Avatar> avatar,
                                                     const QString &device, QString *error);
    ~RetargetEvaluator();

    /// The avatar's render of `rig` (avatar->rig() order; missing values 0) as the face crops
    /// are framed: 8-bit BGR, 224 x 224. Empty on an OpenGL failure.
    cv::Mat render(const std::vector<float> &rig);

    /// Distances between each crop (8-bit BGR eye-aligned face crop) and the render of its rig,
    /// and between each crop and the neutral render. crops.size() == rigs.size(); false + error
    /// on a rendering or torch failure.
    bool distances(const std::vector<cv::Mat> &crops, const std::vector<std::vector<float>> &rigs,
                   std::vector<double> *solved, std::vector<double> *neutral, QString *error);

private:
    RetargetEvaluator();
    struct Private;
    std::unique_ptr<Private> d;
};

} // namespace fa
