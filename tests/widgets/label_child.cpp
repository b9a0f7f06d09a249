// The kill test's child: labels a project through LabellingView with simulated key presses
// (QTest::keyClick, the same path as an annotator's keyboard) until it is killed.
//
//   label_child PROJECT_DIR ANNOTATOR
//
// After each commit it prints "committed <tripletId>" (and "undone <tripletId>" after an undo)
// and flushes stdout, so that whatever the parent has read was already in the database.
// Exit codes: 0 when nothing is left to label, 2 when the project cannot be opened or labelled.
#include "label/labelling_view.h"
#include "project/project.h"

#include <QApplication>
#include <QTest>
#include <QTimer>

#include <cstdio>

int main(int argc, char *argv[])
{
    QApplication app(argc, argv);
    const QStringList args = app.arguments();
    if (args.size() != 3) {
        std::fprintf(stderr, "usage: label_child PROJECT_DIR ANNOTATOR\n");
        return 2;
    }
    QString error;
    std::unique_ptr<fa::Project> project = fa::Project::open(args.at(1), &error);
    if (!project) {
        std::fprintf(stderr, "%s\n", qUtf8Printable(error));
        return 2;
    }

    fa::ui::LabellingView view;
    view.resize(900, 420);
    view.show();
    int presses = 0;
    QObject::connect(&view, &fa::ui::LabellingView::judgmentRecorded, [](qint64 tripletId, int) {
        std::printf("committed %lld\n", static_cast<long long>(tripletId));
        std::fflush(stdout);
    });
    QObject::connect(&view, &fa::ui::LabellingView::judgmentUndone, [](qint64 tripletId) {
        std::printf("undone %lld\n", static_cast<long long>(tripletId));
        std::fflush(stdout);
    });
    QObject::connect(&view, &fa::ui::LabellingView::commitFailed, [](const QString &message) {
        std::fprintf(stderr, "%s\n", qUtf8Printable(message));
    });
    // Answer each triplet once it is painted: mostly choices, some skips, an undo now and then.
    QObject::connect(&view, &fa::ui::LabellingView::tripletPainted, &view, [&view, &presses] {
        QTimer::singleShot(0, &view, [&view, &presses] {
            const int n = presses++;
            const Qt::Key key = n % 7 == 6 ? Qt::Key_Backspace
                : n % 5 == 4              ? Qt::Key_S
                                          : Qt::Key(Qt::Key_1 + n % 3);
            QTest::keyClick(&view, key);
        });
    });
    QObject::connect(&view, &fa::ui::LabellingView::finished, &app, [] { QCoreApplication::exit(0); });
    if (!view.start(project.get(), args.at(2), &error)) {
        std::fprintf(stderr, "%s\n", qUtf8Printable(error));
        return 2;
    }
    return app.exec();
}
