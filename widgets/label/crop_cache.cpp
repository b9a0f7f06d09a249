#include "label/crop_cache.h"

#include <QFileInfo>
#include <QImageReader>

namespace fa::ui {

CropCache::CropCache(QObject *parent)
    : QObject(parent)
{
    m_pool.setMaxThreadCount(2);
}

CropCache::~CropCache()
{
    m_pool.clear();
    m_pool.waitForDone();
}

CropCache::Crop CropCache::load(const QString &absolutePath)
{
    Crop crop;
    if (absolutePath.isEmpty()) {
        crop.error = QStringLiteral("no crop file is recorded for this face");
        return crop;
    }
    if (!QFileInfo::exists(absolutePath)) {
        crop.error = absolutePath + QStringLiteral(": file not found");
        return crop;
    }
    QImageReader reader(absolutePath);
    reader.setAutoTransform(true);
    crop.image = reader.read();
    if (crop.image.isNull())
        crop.error = absolutePath + QStringLiteral(": ") + reader.errorString();
    else if (crop.image.format() != QImage::Format_RGB32 && crop.image.format() != QImage::Format_ARGB32_Premultiplied)
        crop.image = crop.image.convertToFormat(QImage::Format_RGB32); // the fast format to scale and draw
    return crop;
}

void CropCache::request(qint64 faceId, const QString &absolutePath)
{
    if (isRequested(faceId))
        return;
    m_pending.insert(faceId, absolutePath);
    const quint64 generation = m_generation;
    m_pool.start([this, faceId, generation, absolutePath] {
        const Crop crop = load(absolutePath);
        QMetaObject::invokeMethod(
            this, [this, faceId, generation, crop] { onLoaded(faceId, generation, crop); },
            Qt::QueuedConnection);
    });
}

void CropCache::onLoaded(qint64 faceId, quint64 generation, const Crop &crop)
{
    if (generation != m_generation)
        return;
    m_pending.remove(faceId);
    m_crops.insert(faceId, crop);
    Q_EMIT loaded(faceId);
}

const CropCache::Crop *CropCache::find(qint64 faceId) const
{
    const auto it = m_crops.constFind(faceId);
    return it == m_crops.constEnd() ? nullptr : &it.value();
}

void CropCache::retainOnly(const QList<qint64> &faceIds)
{
    for (auto it = m_crops.begin(); it != m_crops.end();) {
        if (faceIds.contains(it.key()))
            ++it;
        else
            it = m_crops.erase(it);
    }
}

void CropCache::clear()
{
    ++m_generation;
    m_crops.clear();
    m_pending.clear();
}

} // namespace fa::ui
