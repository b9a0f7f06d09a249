#include "training/trainer.h"

namespace fa {

std::unique_ptr<Trainer> makeTrainer(const TrainingConfig &config)
{
    if (config.isMae())
        return makeMaeTrainer();
    if (config.isTriplet())
        return makeTripletTrainer();
    if (config.isRenderer())
        return makeRendererTrainer();
    if (config.isRigDecoder())
        return makeRigDecoderTrainer();
    return nullptr;
}

} // namespace fa
