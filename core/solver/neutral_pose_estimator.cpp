#include "solver/neutral_pose_estimator.h"

#include <algorithm>
#include <cmath>
#include <cstring>
#include <numeric>

namespace fa {

namespace {

/// Which side of the population rest value counts against a frame in the first search (the
/// refinements around the actor's own rest face count both): expressions close the eyes far
/// more often than they widen them, and open the lips and jaw but never close them further
/// than rest, so an actor with large eyes or a long chin is not pushed towards blinks.
enum class Side { Both, Below, Above };

struct Prior
{
    const char *feature;
    float rest;   ///< median over the neutral faces, face mm
    float spread; ///< 1.4826 x median absolute deviation, face mm
    Side side = Side::Both;
};

// Measured on the 17 neutral faces of the shared photos (Yale subjectNN_normal, face-api
// neutral.jpg, Pexels neutral.jpeg), rounded; left and right pooled.
constexpr Prior kPriors[] = {
    {"eyeOpenLeft", 7.8f, 2.0f, Side::Below}, {"eyeOpenRight", 7.8f, 2.0f, Side::Below},
    {"lowerLidLeft", 2.7f, 0.7f},      {"lowerLidRight", 2.7f, 0.7f},
    {"browInnerLeft", 19.7f, 4.3f},    {"browInnerRight", 19.7f, 4.3f},
    {"browOuterLeft", 17.4f, 3.3f},    {"browOuterRight", 17.4f, 3.3f},
    {"browGap", 19.4f, 4.8f},          {"mouthWidth", 52.8f, 3.4f},
    {"mouthOpen", 1.2f, 0.8f, Side::Above}, {"jawDrop", 65.0f, 5.6f, Side::Above},
    {"cornerLeft", 0.4f, 1.6f},        {"cornerRight", 0.4f, 1.6f},
    {"halfWidthLeft", 26.8f, 2.5f},    {"halfWidthRight", 26.8f, 2.5f},
    {"upperLipThickness", 5.7f, 2.0f}, {"lowerLipThickness", 9.2f, 2.1f},
};

const Prior *priorOf(int feature)
{
    if (feature < 0 || feature >= LandmarkFeatures::kCount)
        return nullptr;
    const char *name = LandmarkFeatures::name(feature);
    for (const Prior &p : kPriors)
        if (std::strcmp(p.feature, name) == 0)
            return &p;
    return nullptr;
}

// No single feature adds more than this to a frame's score (3 spreads squared).
constexpr float kScoreCap = 9.f;
// Added to the score of a frame whose head is turned or tilted beyond kPoseLimit.
constexpr float kPosePenalty = 1000.f;

float median(std::vector<float> &values)
{
    const size_t mid = values.size() / 2;
    std::nth_element(values.begin(), values.begin() + std::ptrdiff_t(mid), values.end());
    const float upper = values[mid];
    if (values.size() % 2 == 1)
        return upper;
    const float lower = *std::max_element(values.begin(), values.begin() + std::ptrdiff_t(mid));
    return 0.5f * (lower + upper);
}

} // namespace

float NeutralPoseEstimator::populationRest(int feature)
{
    const Prior *p = priorOf(feature);
    return p ? p->rest : 0.f;
}

float NeutralPoseEstimator::populationSpread(int feature)
{
    const Prior *p = priorOf(feature);
    return p ? p->spread : 0.f;
}

NeutralPoseEstimator::Result NeutralPoseEstimator::estimate(const std::vector<LandmarkFeatures> &frames,
                                                            const std::vector<std::pair<float, float>> &yawPitch)
{
    Result result;
    std::vector<int> valid;
    for (int i = 0; i < int(frames.size()); ++i)
        if (frames[size_t(i)].valid)
            valid.push_back(i);
    if (valid.empty())
        return result;

    std::array<float, LandmarkFeatures::kCount> reference{};
    std::array<float, LandmarkFeatures::kCount> spread{};
    std::array<Side, LandmarkFeatures::kCount> side{};
    for (int f = 0; f < LandmarkFeatures::kCount; ++f) {
        const Prior *p = priorOf(f);
        reference[size_t(f)] = p ? p->rest : 0.f;
        spread[size_t(f)] = p ? p->spread : 0.f;
        side[size_t(f)] = p ? p->side : Side::Both;
    }
    std::vector<float> penalty(valid.size(), 0.f);
    if (yawPitch.size() == frames.size())
        for (size_t k = 0; k < valid.size(); ++k) {
            const auto &[yaw, pitch] = yawPitch[size_t(valid[k])];
            if (!(std::fabs(yaw) <= kPoseLimit && std::fabs(pitch) <= kPoseLimit))
                penalty[k] = kPosePenalty;
        }

    const size_t keep = std::min(valid.size(), std::max<size_t>(kMinRestFrames,
                                 size_t(std::lround(kRestShare * double(valid.size())))));
    std::vector<float> score(valid.size());
    std::vector<size_t> order(valid.size());
    std::vector<float> values;
    values.reserve(keep);
    LandmarkFeatures neutral;
    for (int round = 0; round <= kRefinements; ++round) {
        for (size_t k = 0; k < valid.size(); ++k) {
            const LandmarkFeatures &frame = frames[size_t(valid[k])];
            float s = penalty[k];
            for (int f = 0; f < LandmarkFeatures::kCount; ++f) {
                if (spread[size_t(f)] <= 0.f)
                    continue;
                float z = (frame.value(f) - reference[size_t(f)]) / spread[size_t(f)];
                if (round == 0 && ((side[size_t(f)] == Side::Below && z > 0) || (side[size_t(f)] == Side::Above && z < 0)))
                    z = 0;
                s += std::isfinite(z) ? std::min(z * z, kScoreCap) : kScoreCap;
            }
            score[k] = s;
        }
        std::iota(order.begin(), order.end(), size_t(0));
        // Ties keep the earlier frame: a stable choice, and takes usually begin at rest.
        std::stable_sort(order.begin(), order.end(), [&](size_t a, size_t b) { return score[a] < score[b]; });
        for (int f = 0; f < LandmarkFeatures::kCount; ++f) {
            values.clear();
            for (size_t r = 0; r < keep; ++r)
                values.push_back(frames[size_t(valid[order[r]])].value(f));
            neutral.value(f) = median(values);
            reference[size_t(f)] = neutral.value(f);
        }
    }
    neutral.valid = true;
    result.neutral = neutral;
    for (size_t r = 0; r < keep; ++r)
        result.restFrames.push_back(valid[order[r]]);
    std::sort(result.restFrames.begin(), result.restFrames.end());
    return result;
}

} // namespace fa
