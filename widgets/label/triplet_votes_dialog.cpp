#include "label/triplet_votes_dialog.h"

#include "label/crop_cache.h"

#include <QDialogButtonBox>
#include <QGridLayout>
#include <QLabel>
#include <QPixmap>
#include <QVBoxLayout>

namespace fa::ui {

namespace {
constexpr int kShownSide = 224; // logical pixels; crops are 224x224
}

TripletVotesDialog::TripletVotesDialog(qint64 tripletId, const std::array<QString, 3> &cropPaths,
                                       const std::array<int, 3> &votes, QWidget *parent)
    : QDialog(parent)
{
    setWindowTitle(tr("Triplet %1").arg(tripletId));
    auto *grid = new QGridLayout;
    const qreal dpr = devicePixelRatioF();
    for (int i = 0; i < 3; ++i) {
        QLabel *crop = m_crops[size_t(i)] = new QLabel(this);
        crop->setFixedSize(kShownSide, kShownSide);
        crop->setAlignment(Qt::AlignCenter);
        crop->setWordWrap(true);
        const CropCache::Crop loaded = CropCache::load(cropPaths[size_t(i)]);
        if (loaded.image.isNull()) {
            crop->setText(loaded.error);
        } else {
            QPixmap pixmap = QPixmap::fromImage(loaded.image.scaled(QSize(kShownSide, kShownSide) * dpr,
                                                                    Qt::KeepAspectRatio, Qt::SmoothTransformation));
            pixmap.setDevicePixelRatio(dpr);
            crop->setPixmap(pixmap);
        }
        const int n = votes[size_t(i)];
        QLabel *caption = m_captions[size_t(i)] = new QLabel(tr("%1: %n vote(s)", nullptr, n).arg(i + 1), this);
        caption->setAlignment(Qt::AlignCenter);
        grid->addWidget(crop, 0, i);
        grid->addWidget(caption, 1, i);
    }
    auto *buttons = new QDialogButtonBox(QDialogButtonBox::Close, this);
    connect(buttons, &QDialogButtonBox::rejected, this, &QDialog::reject);
    auto *layout = new QVBoxLayout(this);
    layout->addLayout(grid);
    layout->addWidget(buttons);
}

QString TripletVotesDialog::caption(int index) const
{
    return m_captions[size_t(index)]->text();
}

QPixmap TripletVotesDialog::crop(int index) const
{
    return m_crops[size_t(index)]->pixmap();
}

} // namespace fa::ui
