#pragma once

#include "retarget/video_solver.h"

#include <QString>
#include <QStringList>

#include <memory>

namespace fa {

/// What a solver needs besides the video: the animator model and the avatar for "freeavatar".
struct VideoSolverRequest
{
    QString solver = QStringLiteral("landmarks"); ///< "landmarks" or "freeavatar"
    QString model;   ///< freeavatar: the animator model (a rig-decoder run folder)
    QString avatar;  ///< freeavatar: the avatar to drive ("mannequin", "" or an avatar file)
    QString device = QStringLiteral("auto");
};

/// The solvers by name, for `--solver` and the Animate workspace.
QStringList videoSolverNames();

/// The solver `request` names, ready to run. Errors: an unknown solver ("unknown solver 'x'
/// (landmarks or freeavatar)"), freeavatar without a model, a model that cannot be loaded
/// (AnimatorModel::load's "PATH: what"), an avatar the model was not trained for (naming the
/// avatars it knows).
std::unique_ptr<VideoSolver> makeVideoSolver(const VideoSolverRequest &request, QString *error);

} // namespace fa
