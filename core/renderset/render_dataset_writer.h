#pragma once

#include "avatar/avatar.h"
#include "render/face_framing.h"
#include "renderset/rig_sampler.h"

#include <QString>
#include <QStringList>

#include <atomic>
#include <cstdint>
#include <functional>
#include <memory>
#include <vector>

namespace fa {

/// What to render into a render set (RenderDatasetWriter).
struct RenderDatasetRequest
{
    std::shared_ptr<const Avatar> avatar; ///< required, with at least one rig control
    /// The avatar's file, recorded in dataset.json (absolute); "" for a procedural avatar (the
    /// built-in mannequin head).
    QString avatarPath;
    QString outputDirectory; ///< DIR; created when missing
    qsizetype count = 0;     ///< number of (rig, image) pairs, > 0
    int size = 256;          ///< image side in pixels, in [16, 4096]
    std::uint64_t seed = 0;
    RigSamplerOptions mixture;
    /// Real rig frames (rig order) for the mixture's real share, and the files they came from
    /// (recorded in dataset.json). See RealRigCurves.
    std::vector<std::vector<float>> realFrames;
    QStringList realSources;
    /// FaceCropper's framing (the WholeFace defaults) and the camera's field of view.
    float eyeDistance = FaceFraming::kDefaultEyeDistance;
    float eyeLine = FaceFraming::kDefaultEyeLine;
    float fovDegrees = OrbitCamera::kDefaultFovDegrees;
};

/// Renders a render set (layout: RenderDataset) with OffscreenAvatarRenderer: rigs from
/// RigSampler, one image per rig at the avatar's face framing (FaceFraming: the eyes where
/// FaceCropper puts a real face's eyes).
///
/// dataset.json (format "freeavatar-render-set", version 1), keys:
///   format, version, complete (false while writing; readers refuse an incomplete set);
///   avatar {name, path, fingerprint ("sha1:<hex>"), fingerprint_of ("file": the bytes of the
///     avatar file, or "geometry": names, positions, indices and morph deltas of a procedural
///     avatar)};
///   rig {controls: [{name, min, max}, ...]} in rig order;
///   render {size, framing {eye_distance, eye_line} (fractions of the side), camera {fov_degrees,
///     distance, target [x, y, z] (avatar units), yaw_degrees, pitch_degrees}, background
///     ("#rrggbb"), gl_renderer (GL_RENDERER, GL_VERSION)};
///   seed, count, images ("images/%06d.png");
///   mixture {fractions {neutral, sparse, symmetric, real} (as used: normalised, real moved to
///     sparse without real frames), counts {same keys}, active_controls [min, max], noise_sigma,
///     real_sources [paths], real_frames};
///   mouth_box, eye_box: [x0, y0, x1, y1] image pixels, x0/y0 inclusive and x1/y1 EXCLUSIVE
///     (mask[y0:y1, x0:x1] in numpy), or null (no box: a rig without ARKit names);
///   eyes {left [x, y], right [x, y] (image pixel-centre coordinates, the avatar's own left
///     eye on the image's right), source ("eyeBlink", "eye shapes", "face bounds")}.
/// The same request gives the same bytes in every file on the same machine and GL driver
/// (rig values are rounded to 6 decimals before rendering, so rigs.csv holds exactly the
/// rendered rig; PNGs carry no time stamp).
///
/// Images: RGB 8-bit PNG (colour type 2), zlib level 1, no text or time chunks.
///
/// Atomic files: every image, rigs.csv and dataset.json is written to a temporary file in its
/// folder and renamed into place; dataset.json is written first with complete = false and
/// again, complete, when the last image is on disk.
///
/// DIR rules: a missing or empty DIR is filled. A DIR holding a render set of the IDENTICAL
/// request (dataset.json equal but for `complete` and `render.gl_renderer`, so also an
/// interrupted run of it) is rendered again over itself. Anything else is refused, with
/// nothing written: a DIR with a different set ("DIR holds a different render set ...") or
/// with files but no dataset.json, so two sets are never mixed.
///
/// Threads: run on the GUI thread (OffscreenAvatarRenderer's rule), with a QGuiApplication.
class RenderDatasetWriter
{
public:
    enum class Failure {
        None,
        BadInput, ///< the request or DIR is not usable (a user error)
        OpenGL,   ///< no OpenGL context or renderer ("OpenGL: ...")
        System,   ///< a file could not be written
        Canceled,
    };
    /// Fraction done in [0, 1] after each image (and 0 at the start).
    using Progress = std::function<void(double fraction)>;

    /// Renders and writes the set. False with failure() and errorString() ("PATH: what").
    /// `cancel` (optional) is polled before every image; a canceled run leaves dataset.json
    /// incomplete.
    bool write(const RenderDatasetRequest &request, const Progress &progress = {},
               const std::atomic_bool *cancel = nullptr);

    Failure failure() const { return m_failure; }
    QString errorString() const { return m_error; }
    /// Of the last write(): images written, wall-clock seconds from the first to the last
    /// image, and the GL renderer string.
    qsizetype imagesWritten() const { return m_imagesWritten; }
    double elapsedSeconds() const { return m_elapsedSeconds; }
    double imagesPerSecond() const { return m_elapsedSeconds > 0 ? double(m_imagesWritten) / m_elapsedSeconds : 0.0; }
    QString glRenderer() const { return m_glRenderer; }

private:
    bool fail(Failure failure, const QString &error);

    Failure m_failure = Failure::None;
    QString m_error;
    qsizetype m_imagesWritten = 0;
    double m_elapsedSeconds = 0.0;
    QString m_glRenderer;
};

} // namespace fa
