#include "dataset/near_duplicate_filter.h"

#include <opencv2/core.hpp>
#include <opencv2/img_hash.hpp>

#include <QtAlgorithms>

#include <algorithm>

namespace fa {

NearDuplicateFilter::NearDuplicateFilter(int maxHammingDistance)
    : m_maxDistance(std::clamp(maxHammingDistance, -1, 64))
{
}

quint64 NearDuplicateFilter::perceptualHash(const cv::Mat &bgrOrGray)
{
    if (bgrOrGray.empty())
        return 0;
    cv::Mat input = bgrOrGray;
    const int channels = input.channels();
    if (channels != 1 && channels != 3 && channels != 4) {
        cv::Mat first;
        cv::extractChannel(input, first, 0);
        input = first;
    }
    if (input.depth() != CV_8U) {
        cv::Mat scaled;
        cv::normalize(input.reshape(1), scaled, 0, 255, cv::NORM_MINMAX, CV_8U);
        input = scaled.reshape(input.channels());
    }
    cv::Mat hash;
    cv::img_hash::pHash(input, hash);
    quint64 packed = 0;
    const int bytes = std::min<int>(8, int(hash.total()));
    for (int i = 0; i < bytes; ++i)
        packed |= quint64(hash.ptr<uchar>(0)[i]) << (8 * i);
    return packed;
}

int NearDuplicateFilter::hammingDistance(quint64 a, quint64 b)
{
    return int(qPopulationCount(a ^ b));
}

bool NearDuplicateFilter::isNearDuplicate(quint64 hash) const
{
    return std::any_of(m_kept.begin(), m_kept.end(),
                       [&](quint64 kept) { return hammingDistance(kept, hash) <= m_maxDistance; });
}

bool NearDuplicateFilter::keepIfNew(const cv::Mat &crop)
{
    if (crop.empty())
        return false;
    return keepHashIfNew(perceptualHash(crop));
}

bool NearDuplicateFilter::keepHashIfNew(quint64 hash)
{
    if (isNearDuplicate(hash))
        return false;
    m_kept.push_back(hash);
    return true;
}

void NearDuplicateFilter::clear()
{
    m_kept.clear();
}

int NearDuplicateFilter::keptCount() const
{
    return int(m_kept.size());
}

} // namespace fa
