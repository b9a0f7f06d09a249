// The channel list on the real capture: regions expanded, a double-click on a channel's colour
// swatch picks its colour (the picker is replaced; a real QColorDialog would block), a
// double-click elsewhere does not.
#include "facecap_animation.h"

#include "animate/animate_document.h"
#include "animate/channel_model.h"
#include "timeline/channel_list_view.h"

#include <QtTest>

class TestChannelListView : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void regionsExpanded();
    void doubleClickSwatchPicksColour();
};

void TestChannelListView::regionsExpanded()
{
    const auto &capture = fa::test::facecapAnimation();
    QVERIFY(capture.has_value());
    fa::AnimateDocument document;
    fa::ChannelModel model(&document);
    fa::ui::ChannelListView view(&model);
    document.resetAnimation(*capture);  // after the view: the regions arrive later
    QVERIFY(model.rowCount() >= 5);
    for (int row = 0; row < model.rowCount(); ++row)
        QVERIFY(view.isExpanded(model.index(row, 0)));
}

void TestChannelListView::doubleClickSwatchPicksColour()
{
    const auto &capture = fa::test::facecapAnimation();
    QVERIFY(capture.has_value());
    fa::AnimateDocument document;
    document.resetAnimation(*capture);
    fa::ChannelModel model(&document);
    fa::ui::ChannelListView view(&model);
    view.resize(500, 900);
    view.show();
    QVERIFY(QTest::qWaitForWindowExposed(&view));
    int asked = 0;
    QColor shown;
    view.setColourPicker([&](const QColor &initial, QWidget *) {
        ++asked;
        shown = initial;
        return QColor(12, 34, 56);
    });
    const int jaw = capture->channelIndex(QStringLiteral("jawOpen"));
    view.scrollTo(model.indexOfChannel(jaw));
    const QColor before = model.colour(jaw);
    const QRect swatch = view.swatchRect(jaw);
    QVERIFY(!swatch.isEmpty());

    // Beside the swatch (on the name): no dialog.
    const QRect cell = view.visualRect(model.indexOfChannel(jaw));
    QTest::mouseDClick(view.viewport(), Qt::LeftButton, {}, QPoint(cell.right() - 5, cell.center().y()));
    QCOMPARE(asked, 0);
    QCOMPARE(model.colour(jaw), before);

    QTest::mouseDClick(view.viewport(), Qt::LeftButton, {}, swatch.center());
    QCOMPARE(asked, 1);
    QCOMPARE(shown, before);
    QCOMPARE(model.colour(jaw), QColor(12, 34, 56));
}

QTEST_MAIN(TestChannelListView)
#include "test_channel_list_view.moc"
