#pragma once

namespace fa::cli {

/// Keeps the libraries' own diagnostics off the user's terminal, so that a failure reads as the
/// tool's one line "freeavatar COMMAND: FILE: what is wrong" (issue 16: libjpeg, OpenCV and Qt
/// text such as "Broken filename" came before or instead of it). Qt's debug, info and warning
/// messages and OpenCV's log are dropped (FFmpeg's log is counted, not printed, by
/// VideoReader); a Qt critical message is printed as "freeavatar: internal: ...". With
/// FREEAVATAR_DEBUG=1 in the environment everything is printed as before. Call once, first
/// thing in main().
void quietLibraryOutput();

} // namespace fa::cli
