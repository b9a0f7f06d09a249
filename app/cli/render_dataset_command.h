#pragma once

#include <QStringList>

namespace fa::cli {

/// `freeavatar render-dataset [--avatar AVATAR] --count N --out DIR [--size 256]
/// [--rigs-from VIDEO_OR_CSV...] [--seed S]`: a render set of an avatar (rig vectors and the
/// images the offscreen renderer makes of them) for training its neural renderer. See
/// `freeavatar render-dataset --help` and core/renderset/render_dataset_writer.h.
///
/// Needs OpenGL: main() creates a QGuiApplication for this command when a display is there;
/// without one (or without a usable context) it prints "render-dataset needs OpenGL: run it
/// under xvfb-run or on a desktop" and exits with ExitFailure, after the arguments and input
/// files were checked (bad ones exit with ExitBadInput first).
int runRenderDataset(const QStringList &arguments);

/// Whether `freeavatar ARGS` runs render-dataset with work to do (not --help), so that main()
/// makes a QGuiApplication: argv[1] is "render-dataset" and a display is available (Linux:
/// QT_QPA_PLATFORM, DISPLAY or WAYLAND_DISPLAY set; always elsewhere).
bool renderDatasetNeedsGui(int argc, char *argv[]);

} // namespace fa::cli
