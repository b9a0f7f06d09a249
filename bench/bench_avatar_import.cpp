// The cost of crash isolation (issue 16, item 2): AvatarLoader imports avatars in the child
// process freeavatar-import instead of calling Assimp in the caller. For each real avatar this
// times, in the same process and interleaved (in-process first on even runs, child first on odd
// ones), the in-process import (AssimpAvatarImport, what AvatarLoader did before) against
// AvatarLoader::load() through the child, and reports the medians, the difference and the
// reply's size. "fresh in-process" runs this program again (--once FILE) to import the file
// in-process in a new process, as the command-line tool did before: a new process pays for
// first-touch memory (page faults) that a long-running process reuses from earlier imports.
// "cpu" columns are user + system time of this process and its children over each import.
// Two more figures split the difference: the child's fixed cost (an import of a missing file:
// start the program, refuse, reply) and encoding + decoding the reply alone.
//
//   bench_avatar_import [--runs N]

#include "avatar/assimp_avatar_import.h"
#include "avatar/avatar_import_reply.h"
#include "avatar/avatar_loader.h"

#include "bench_statistics.h"

#include <QCoreApplication>
#include <QElapsedTimer>
#include <QFile>
#include <QProcess>

#include <sys/resource.h>

#include <cstdio>
#include <functional>
#include <vector>

using fa::bench::median;

namespace {

const QString kDataDir = QStringLiteral(FA_DATA_DIR);

// User + system CPU seconds of this process and its waited-for children, in ms.
double cpuMs()
{
    double ms = 0;
    for (int who : {RUSAGE_SELF, RUSAGE_CHILDREN}) {
        rusage usage = {};
        getrusage(who, &usage);
        ms += (usage.ru_utime.tv_sec + usage.ru_stime.tv_sec) * 1e3
              + (usage.ru_utime.tv_usec + usage.ru_stime.tv_usec) / 1e3;
    }
    return ms;
}

struct Timing
{
    double wallMs = 0;
    double cpuMs = 0;
};

Timing timeIt(const std::function<bool()> &work, bool *ok)
{
    const double cpu = cpuMs();
    QElapsedTimer clock;
    clock.start();
    *ok = work() && *ok;
    return {double(clock.nsecsElapsed()) / 1e6, cpuMs() - cpu};
}

double timeMs(const std::function<bool()> &work, bool *ok)
{
    return timeIt(work, ok).wallMs;
}

QString loadAverage()
{
    QFile file(QStringLiteral("/proc/loadavg"));
    return file.open(QIODevice::ReadOnly) ? QString::fromLatin1(file.readLine()).section(QLatin1Char(' '), 0, 2)
                                          : QStringLiteral("?");
}

} // namespace

int main(int argc, char **argv)
{
    QCoreApplication app(argc, argv);
    int runs = 7;
    const QStringList args = app.arguments();
    if (args.size() == 3 && args.at(1) == QLatin1String("--once")) {
        fa::AssimpAvatarImport import;
        return import.load(args.at(2)) ? 0 : 1;
    }
    const int at = int(args.indexOf(QStringLiteral("--runs")));
    if (at > 0 && at + 1 < args.size())
        runs = std::max(1, args.at(at + 1).toInt());

    struct Input
    {
        const char *name;
        QString path;
    };
    const std::vector<Input> inputs = {
        {"Rocketbox male (FBX)", kDataDir + QStringLiteral("/avatars/rocketbox/Male_Adult_03_facial.fbx")},
        {"Rocketbox female (FBX)", kDataDir + QStringLiteral("/avatars/rocketbox/Female_Adult_02_ARKitDemo.fbx")},
        {"facecap (GLB, 1 texture)", kDataDir + QStringLiteral("/avatars/facecap/facecap_decoded.glb")},
        {"RobotExpressive (GLB)", kDataDir + QStringLiteral("/avatars/robot_expressive/RobotExpressive.glb")},
    };

    std::printf("Avatar import, in-process (AssimpAvatarImport) vs child process (AvatarLoader), %d runs, "
                "medians; load average %s\n", runs, qPrintable(loadAverage()));
    std::printf("%-26s %11s %11s %11s %9s %10s %10s %10s %8s %8s\n", "avatar", "in-process", "child", "added",
                "ratio", "fresh in-", "cpu in-", "cpu child", "reply", "enc+dec");
    std::printf("%-26s %11s %11s %11s %9s %10s %10s %10s %8s %8s\n", "", "", "", "", "", "process", "process", "",
                "", "");
    for (const Input &input : inputs) {
        if (!QFile::exists(input.path)) {
            std::printf("%-26s missing: %s\n", input.name, qPrintable(input.path));
            continue;
        }
        std::vector<double> inProcess, child, fresh, inProcessCpu, childCpu, codec;
        qint64 replyBytes = 0;
        bool ok = true;
        const auto direct = [&] {
            fa::AssimpAvatarImport import;
            fa::AvatarImportReply reply;
            reply.avatar = import.load(input.path);
            if (!reply.avatar)
                return false;
            // Encoding + decoding alone (the child's extra work besides starting up), timed
            // here and left out of the in-process time.
            QElapsedTimer clock;
            clock.start();
            const QByteArray bytes = reply.encode();
            fa::AvatarImportReply back;
            QString why;
            const bool decoded = back.decode(bytes, &why);
            codec.push_back(double(clock.nsecsElapsed()) / 1e6);
            replyBytes = bytes.size();
            return decoded;
        };
        QString failure;
        const auto isolated = [&] {
            fa::AvatarLoader loader;
            if (loader.load(input.path))
                return true;
            failure = loader.errorString();
            return false;
        };
        const auto freshProcess = [&] {
            QProcess process;
            process.start(QCoreApplication::applicationFilePath(), {QStringLiteral("--once"), input.path});
            return process.waitForFinished(-1) && process.exitStatus() == QProcess::NormalExit && process.exitCode() == 0;
        };
        for (int r = 0; r < runs; ++r) {
            const auto timeDirect = [&] {
                const Timing t = timeIt(direct, &ok);
                inProcess.push_back(t.wallMs - codec.back());
                inProcessCpu.push_back(t.cpuMs);
            };
            const auto timeChild = [&] {
                const Timing t = timeIt(isolated, &ok);
                child.push_back(t.wallMs);
                childCpu.push_back(t.cpuMs);
            };
            if (r % 2 == 0) {
                timeDirect();
                timeChild();
            } else {
                timeChild();
                timeDirect();
            }
            fresh.push_back(timeMs(freshProcess, &ok));
        }
        if (!ok) {
            std::printf("%-26s failed: %s\n", input.name, qPrintable(failure));
            continue;
        }
        const double a = median(inProcess), b = median(child);
        std::printf("%-26s %9.0fms %9.0fms %9.0fms %8.2fx %8.0fms %8.0fms %8.0fms %6.1fMB %6.1fms\n", input.name, a,
                    b, b - a, b / a, median(fresh), median(inProcessCpu), median(childCpu),
                    double(replyBytes) / 1e6, median(codec));
    }

    // The fixed cost: start freeavatar-import, refuse a missing file, reply.
    std::vector<double> startup;
    bool ok = true;
    for (int r = 0; r < runs; ++r)
        startup.push_back(timeMs([] {
            fa::AvatarLoader loader;
            return !loader.load(QStringLiteral("/nonexistent/avatar.fbx")) && loader.errorString().endsWith(QLatin1String("no such file"));
        }, &ok));
    std::printf("%-26s %12s %10.1fms %s\n", "child start (missing file)", "-", median(startup), ok ? "" : "(unexpected error)");
    return 0;
}
