#pragma once

#include <QtGlobal>

#include <opencv2/core/mat.hpp>

#include <vector>

namespace fa {

/// Drops near-duplicate face crops, such as consecutive frames of a video, before they enter
/// the face pool that triplets are drawn from. Each crop is reduced to a 64-bit perceptual hash
/// (pHash as in OpenCV contrib img_hash::PHash: the image resized to 32x32 grey, its DCT, and one
/// bit per coefficient of the low-frequency 8x8 block, set when the coefficient exceeds the
/// block's mean with the DC term zeroed; after Zauner, "Implementation and Benchmarking of
/// Perceptual Image Hash Functions", 2010), and a crop is a near duplicate when its hash is
/// within maxHammingDistance bits of a hash kept before.
///
/// Choosing kDefaultMaxDistance (measured, not guessed). Frames of liveportrait_d3.mp4 (354
/// frames) and liveportrait_d10.mp4 (448 frames), 512x512 at 30 fps with the face centred: the
/// centre 320x320 square (brow to chin, what a face box with margin gives) resized to 224x224
/// (INTER_AREA), hashed; Hamming distances between frame pairs:
///
///                               d3                    d10
///   consecutive frames          median 1, p95 5,      median 1, p95 6,
///                               max 9                 max 11
///   frames 1 s apart            median 22, p5 8       median 9, p5 3
///   share within distance t:    consecutive / 1 s apart
///     t = 2                     75% / 0.6%            69% / 1.4%
///     t = 3                     86% / 1.2%            77% / 5.3%
///     t = 4                     93% / 1.5%            87% / 9.6%
///     t = 6                     98% / 3.1%            96% / 25%
///   crops kept from the whole clip by keepIfNew(): t = 3: 107 of 354, 96 of 448;
///                                                  t = 4: 83 of 354,  70 of 448.
///
/// pHash sees the whole crop (hair, face outline), so it separates expressions poorly when
/// only the mouth or eyes move: looking at pairs >= 1 s apart in d10, clearly different
/// expressions occur at distance 6 (closed mouth vs wide-open "O"), 4 (eyes open vs wink) and
/// even 2 (eyes closed vs open). No threshold separates "same expression" from "different";
/// it can only catch near-identical images. Dropping a distinct expression loses data for
/// good while keeping a near duplicate only costs an annotator a glance, so the default is the
/// low 3: it still catches most frame-to-frame repeats (86% / 77% of consecutive pairs; a clip
/// keeps about one crop in 3-5 frames) while merging only 1.2% / 5.3% of pairs 1 s apart,
/// against 1.5% / 9.6% at 4. To take fewer crops from a video, sample frames in time rather
/// than raising the threshold.
///
/// A new hash is compared with every kept hash (linear in keptCount(); one XOR and a popcount
/// each). Not thread-safe; the static functions are.
class NearDuplicateFilter
{
public:
    static constexpr int kDefaultMaxDistance = 3;

    /// `maxHammingDistance` in bits, 0..64; values outside are clamped (negative: nothing is
    /// a duplicate, not even an identical hash).
    explicit NearDuplicateFilter(int maxHammingDistance = kDefaultMaxDistance);

    int maxHammingDistance() const { return m_maxDistance; }

    /// The pHash of an image: cv::img_hash::PHash's 8 bytes, byte i in bits 8i..8i+7 (so
    /// DCT coefficient (r, c) of the 8x8 block is bit 8r + c).
    /// Accepts 8-bit grey, BGR or BGRA (colour is converted to grey; any size, the hash
    /// resizes to 32x32 itself). Other depths are min-max scaled to 8 bits first, other channel
    /// counts use the first channel. An empty image gives 0. Deterministic.
    static quint64 perceptualHash(const cv::Mat &bgrOrGray);

    /// Number of differing bits, 0..64.
    static int hammingDistance(quint64 a, quint64 b);

    /// True when `hash` is within maxHammingDistance() of any kept hash.
    bool isNearDuplicate(quint64 hash) const;

    /// Hashes `crop`; when it is not a near duplicate, remembers the hash and returns true.
    /// An empty crop is never kept (false).
    bool keepIfNew(const cv::Mat &crop);

    /// keepIfNew() for a hash computed before.
    bool keepHashIfNew(quint64 hash);

    /// Forgets every kept hash (e.g. between videos when duplicates across them are wanted).
    void clear();
    int keptCount() const;

private:
    int m_maxDistance;
    std::vector<quint64> m_kept;
};

} // namespace fa
