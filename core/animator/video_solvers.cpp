#include "animator/video_solvers.h"

#include "animator/animator_model.h"
#include "animator/freeavatar_retargeter.h"
#include "common/error_text.h"
#include "retarget/retargeter.h"

namespace fa {

QStringList videoSolverNames()
{
    return {QStringLiteral("landmarks"), QStringLiteral("freeavatar")};
}

std::unique_ptr<VideoSolver> makeVideoSolver(const VideoSolverRequest &request, QString *error)
{
    if (request.solver == QLatin1String("landmarks"))
        return std::make_unique<Retargeter>();
    if (request.solver != QLatin1String("freeavatar")) {
        failWith(error, QStringLiteral("unknown solver '%1' (%2)").arg(request.solver, videoSolverNames().join(QStringLiteral(" or "))));
        return nullptr;
    }
    if (request.model.isEmpty()) {
        failWith(error, QStringLiteral("the freeavatar solver needs an animator model (a rig-decoder run folder)"));
        return nullptr;
    }
    std::shared_ptr<AnimatorModel> model = AnimatorModel::load(request.model, request.device, error);
    if (!model)
        return nullptr;
    const std::optional<int> avatar = model->avatarIndex(request.avatar, error);
    if (!avatar)
        return nullptr;
    return std::make_unique<FreeAvatarRetargeter>(std::move(model), *avatar);
}

} // namespace fa
