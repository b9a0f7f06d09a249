#pragma once

#include <QRectF>
#include <QString>
#include <QStringList>

#include <vector>

namespace fa {

/// Identities of the faces found in one file, so that triplet sampling (which prefers three
/// different people) and training (identity-aware sampling) tell people apart.
///
/// - A still with one face: the identity the file name gives (labelsFromFileName, may be
///   empty), as for a portrait.
/// - A still with several faces: they are different people: "NAME#1", "NAME#2", ... numbered
///   left to right by box centre (then top to bottom), NAME = the file's identity or, without
///   one, its base name ("group.jpeg" -> "group#1").
/// - A video on the fast path (largest face per frame): the file's identity or base name.
/// - A video with every face: "NAME#k", k = a track: a face whose box overlaps a face of the
///   previous scanned frame (intersection over union >= 0.3, best matches first) continues
///   its track, any other starts a new one. Tracks break when a face is missed in a scanned
///   frame or moves far between two of them; the same person then gets a second number
///   (sampling may pair a person with themself, never two people as one).
class FaceIdentityNamer
{
public:
    /// `fileIdentity`: from the file name, may be empty; `baseName`: the file's base name.
    FaceIdentityNamer(const QString &fileIdentity, const QString &baseName, bool allFacesInVideos);

    /// One identity per box of a still image, in the boxes' order.
    QStringList forImage(const std::vector<QRectF> &boxes) const;
    /// One identity per box of the next scanned video frame, in the boxes' order.
    QStringList forVideoFrame(const std::vector<QRectF> &boxes);

private:
    QString numbered(int k) const;

    QString m_fileIdentity;
    QString m_name;
    bool m_allFaces = false;
    std::vector<QRectF> m_trackBoxes; ///< last box of each track seen in the previous scanned frame
    std::vector<int> m_trackNumbers;
    int m_nextTrack = 1;
};

} // namespace fa
