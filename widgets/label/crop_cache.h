#pragma once

#include <QHash>
#include <QImage>
#include <QObject>
#include <QString>
#include <QThreadPool>

namespace fa::ui {

/// Face crops of the triplets a labelling view shows now and next, decoded off the GUI thread.
///
/// request() starts decoding a crop file on the cache's own thread pool (2 threads) and
/// returns at once; loaded(faceId) is emitted on the GUI thread when the image (or the reason
/// it could not be read) is in. The cache holds only what it is told to keep (retainOnly), so
/// it stays small: a few triplets of 224x224 crops.
///
/// A missing or unreadable file is not an error of the cache: its Crop has a null image and
/// `error` = "PATH: what is wrong" ("file not found" when it was deleted behind the studio's
/// back), which the view shows in the tile.
class CropCache : public QObject
{
    Q_OBJECT
public:
    struct Crop
    {
        QImage image;  ///< as decoded (224x224 for imported crops); null on failure
        QString error; ///< "PATH: what is wrong" when image is null
    };

    explicit CropCache(QObject *parent = nullptr);
    ~CropCache() override; ///< waits for decodes still running (a few ms at most)

    /// Starts loading `absolutePath` for `faceId` unless it is loaded or loading already (an
    /// empty path gives a Crop with an error: the face is not in the project).
    void request(qint64 faceId, const QString &absolutePath);
    bool isRequested(qint64 faceId) const { return m_pending.contains(faceId) || m_crops.contains(faceId); }
    /// The crop when it has been loaded (or failed), else nullptr. The pointer is valid until
    /// the next call of retainOnly()/clear().
    const Crop *find(qint64 faceId) const;

    /// Forgets every loaded crop whose face is not in `faceIds` (loads in flight are kept).
    void retainOnly(const QList<qint64> &faceIds);
    void clear();
    int size() const { return int(m_crops.size()); }

    /// Reads one crop file (used by the worker threads; also by dialogs that need one crop).
    static Crop load(const QString &absolutePath);

Q_SIGNALS:
    void loaded(qint64 faceId);

private:
    void onLoaded(qint64 faceId, quint64 generation, const Crop &crop);

    QThreadPool m_pool;
    QHash<qint64, Crop> m_crops;
    QHash<qint64, QString> m_pending;
    quint64 m_generation = 0; ///< bumped by clear(): results of older loads are dropped
};

} // namespace fa::ui
