#pragma once

// The free small size of the nn tests, also the size tests/nn/python/mae_reference.py uses:
// 32 px, patch 8 (N = 16 patches), width 64, 2 blocks, 4 heads; decoder 32 wide, 1 block, 4 heads.

#include "nn/vit_config.h"

namespace fa::test {

inline fa::nn::VitConfig smallVitConfig()
{
    fa::nn::VitConfig config;
    config.imageSize = 32;
    config.patchSize = 8;
    config.embedDim = 64;
    config.depth = 2;
    config.numHeads = 4;
    return config;
}

inline fa::nn::MaeDecoderConfig smallDecoderConfig()
{
    fa::nn::MaeDecoderConfig decoder;
    decoder.embedDim = 32;
    decoder.depth = 1;
    decoder.numHeads = 4;
    return decoder;
}

} // namespace fa::test
