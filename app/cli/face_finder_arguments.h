#pragma once

#include "projectio/face_finder_options.h"

#include <QCommandLineOption>
#include <QList>
#include <QPair>
#include <QString>

class QCommandLineParser;

namespace fa::cli {

/// The face finder's options, spelled the same in every command that finds faces (project
/// import, train, eval-triplets, embed; retarget takes the detector pair only):
///   --detector dlib|yunet   --yunet-model FILE   --min-face PX   --tilt-search   --all-faces
class FaceFinderArguments
{
public:
    enum class Scope {
        Detector, ///< --detector and --yunet-model (retarget: one face tracked through a video)
        Search,   ///< all five
    };

    explicit FaceFinderArguments(Scope scope = Scope::Search);

    QList<QCommandLineOption> options() const;

    /// Applies the options given on the command line to `options` (others keep their values).
    /// Returns one line naming the option when a value is wrong ("--min-face: 'x' is not a
    /// whole number of pixels (8-4096)"), else an empty string. The YuNet file is made absolute.
    QString apply(const QCommandLineParser &parser, FaceFinderOptions *options) const;

    /// The options given, as training configuration keys and values (detector, yunet_model,
    /// min_face, tilt_search, all_faces), for `freeavatar train`.
    QList<QPair<QString, QString>> configSettings(const QCommandLineParser &parser) const;

private:
    Scope m_scope;
    QCommandLineOption m_detector;
    QCommandLineOption m_yunetModel;
    QCommandLineOption m_minFace;
    QCommandLineOption m_tiltSearch;
    QCommandLineOption m_allFaces;
};

} // namespace fa::cli
