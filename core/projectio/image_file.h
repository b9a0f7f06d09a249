#pragma once

#include <QString>

#include <opencv2/core/mat.hpp>

namespace fa {

/// Decodes an image file (any format OpenCV's imgcodecs reads; EXIF orientation applied) to
/// 8-bit BGR. Returns an empty Mat with "PATH: what" in `problem` when the file cannot be read,
/// does not decode (not an image, damaged), or is a JPEG or PNG cut short. libjpeg decodes a cut
/// JPEG with grey filling the lost part, so a JPEG must have its end-of-image marker (FF D9)
/// after its last start-of-scan marker (FF DA) (in entropy-coded data an FF byte is always
/// followed by 00 or a restart marker, so FF D9 cannot appear there by accident), and a PNG its
/// IEND chunk; both are checked before decoding, so that the codecs print nothing on stderr.
cv::Mat readImageFile(const QString &path, QString *problem);

} // namespace fa
