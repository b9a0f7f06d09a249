#include "projectio/face_identity_namer.h"

#include <algorithm>
#include <numeric>
#include <tuple>

namespace fa {

namespace {

// A face continues a track when its box and the track's last box overlap at least this much.
constexpr double kTrackIoU = 0.3;

double iou(const QRectF &a, const QRectF &b)
{
    const QRectF both = a.intersected(b);
    const double inter = both.isValid() ? both.width() * both.height() : 0.0;
    const double uni = a.width() * a.height() + b.width() * b.height() - inter;
    return uni > 0 ? inter / uni : 0.0;
}

} // namespace

FaceIdentityNamer::FaceIdentityNamer(const QString &fileIdentity, const QString &baseName, bool allFacesInVideos)
    : m_fileIdentity(fileIdentity)
    , m_name(fileIdentity.isEmpty() ? baseName : fileIdentity)
    , m_allFaces(allFacesInVideos)
{
}

QString FaceIdentityNamer::numbered(int k) const
{
    return QStringLiteral("%1#%2").arg(m_name).arg(k);
}

QStringList FaceIdentityNamer::forImage(const std::vector<QRectF> &boxes) const
{
    if (boxes.size() == 1)
        return {m_fileIdentity};
    std::vector<size_t> order(boxes.size());
    std::iota(order.begin(), order.end(), size_t(0));
    std::stable_sort(order.begin(), order.end(), [&](size_t a, size_t b) {
        return std::make_tuple(boxes[a].center().x(), boxes[a].center().y())
               < std::make_tuple(boxes[b].center().x(), boxes[b].center().y());
    });
    QStringList identities;
    for (size_t i = 0; i < boxes.size(); ++i)
        identities << QString();
    for (size_t rank = 0; rank < order.size(); ++rank)
        identities[qsizetype(order[rank])] = numbered(int(rank) + 1);
    return identities;
}

QStringList FaceIdentityNamer::forVideoFrame(const std::vector<QRectF> &boxes)
{
    QStringList identities;
    if (!m_allFaces) {
        for (size_t i = 0; i < boxes.size(); ++i)
            identities << m_name;
        return identities;
    }
    // Greedy matching, best overlaps first.
    struct Pair { double overlap; size_t face; size_t track; };
    std::vector<Pair> pairs;
    for (size_t f = 0; f < boxes.size(); ++f)
        for (size_t t = 0; t < m_trackBoxes.size(); ++t)
            if (const double o = iou(boxes[f], m_trackBoxes[t]); o >= kTrackIoU)
                pairs.push_back({o, f, t});
    std::stable_sort(pairs.begin(), pairs.end(), [](const Pair &a, const Pair &b) { return a.overlap > b.overlap; });
    std::vector<int> numbers(boxes.size(), 0);
    std::vector<bool> trackTaken(m_trackBoxes.size(), false);
    for (const Pair &pair : pairs) {
        if (numbers[pair.face] != 0 || trackTaken[pair.track])
            continue;
        numbers[pair.face] = m_trackNumbers[pair.track];
        trackTaken[pair.track] = true;
    }
    for (int &number : numbers)
        if (number == 0)
            number = m_nextTrack++;
    m_trackBoxes = boxes;
    m_trackNumbers = numbers;
    for (int number : numbers)
        identities << numbered(number);
    return identities;
}

} // namespace fa
