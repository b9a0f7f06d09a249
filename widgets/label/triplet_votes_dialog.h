#pragma once

#include <QDialog>

#include <array>

class QLabel;

namespace fa::ui {

/// One triplet's three crops with the votes each received: how the statistics panel shows a
/// low-agreement triplet. The crops are read when the dialog is built (three small files); a
/// crop that cannot be read shows its error in its place.
class TripletVotesDialog : public QDialog
{
    Q_OBJECT
public:
    /// `cropPaths`: absolute paths of the crops at positions 1, 2, 3; `votes`: votes for 1, 2, 3.
    TripletVotesDialog(qint64 tripletId, const std::array<QString, 3> &cropPaths,
                       const std::array<int, 3> &votes, QWidget *parent = nullptr);

    /// The caption under crop `index` 0..2, e.g. "1: 2 votes".
    QString caption(int index) const;
    /// The crop as shown (null pixmap when it could not be read).
    QPixmap crop(int index) const;

private:
    std::array<QLabel *, 3> m_crops{};
    std::array<QLabel *, 3> m_captions{};
};

} // namespace fa::ui
