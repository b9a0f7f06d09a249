#pragma once

// A render set of the built-in mannequin head for tests of the neural renderer (training, the
// Animate preview). Needs OpenGL: run the test under xvfb (fa_add_test ... GUI) with a
// QGuiApplication. Header-only; link fa_renderset.

#include "avatar/mannequin_head.h"
#include "renderset/render_dataset_writer.h"

#include <QDir>
#include <QString>

#include <memory>

namespace fa::test {

/// Renders `count` sampled rigs of the mannequin head at `size` px into `dir` (emptied first).
/// False + error when rendering fails (no OpenGL, ...).
inline bool makeMannequinRenderSet(const QString &dir, qsizetype count, int size, std::uint64_t seed, QString *error)
{
    QDir(dir).removeRecursively();
    RenderDatasetRequest request;
    request.avatar = std::shared_ptr<const Avatar>(createMannequinHead());
    request.outputDirectory = dir;
    request.count = count;
    request.size = size;
    request.seed = seed;
    RenderDatasetWriter writer;
    if (writer.write(request))
        return true;
    if (error)
        *error = writer.errorString();
    return false;
}

} // namespace fa::test
