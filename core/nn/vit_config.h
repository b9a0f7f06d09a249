#pragma once

// Sizes of a Vision Transformer and of MAE's decoder. Defaults are ViT-B/16 at 224 px and MAE's
// recommended decoder (facebookresearch/mae models_mae.py, mae_vit_base_patch16_dec512d8b);
// the smaller presets are timm's ViT-S/16 and ViT-Ti/16 (REFERENCE.md section 2).

#include <optional>
#include <string>

namespace fa::nn {

struct VitConfig
{
    int imageSize = 224;  ///< input side S in pixels (square images)
    int patchSize = 16;   ///< patch side p in pixels; S must be a multiple of p
    int inChannels = 3;   ///< RGB
    int embedDim = 768;   ///< token width D; even, and a multiple of numHeads
    int depth = 12;       ///< transformer blocks
    int numHeads = 12;
    double mlpRatio = 4.0;       ///< MLP hidden width = int(D * mlpRatio) (timm)
    double layerNormEps = 1e-6;  ///< MAE's norm_layer = partial(nn.LayerNorm, eps=1e-6)

    /// N = (S / p)^2 patch tokens (the cls token comes on top).
    int numPatches() const { return gridSize() * gridSize(); }
    /// S / p patches per side.
    int gridSize() const { return patchSize > 0 ? imageSize / patchSize : 0; }
    /// int(D * mlpRatio), as timm's Block.
    int mlpHiddenDim() const { return static_cast<int>(embedDim * mlpRatio); }

    /// Empty when the sizes cannot build a network (non-positive sizes, S not a multiple of p,
    /// D odd or not a multiple of numHeads, D not a multiple of 4 for the 2-D sin-cos embedding);
    /// otherwise a sentence naming the first problem.
    std::string validationError() const;

    static VitConfig tiny();   ///< ViT-Ti/16: 192 wide, 12 deep, 3 heads
    static VitConfig small();  ///< ViT-S/16: 384 wide, 12 deep, 6 heads
    static VitConfig base();   ///< ViT-B/16: 768 wide, 12 deep, 12 heads
    /// "tiny", "small", "vit-b" (alias "base"); nullopt for anything else.
    static std::optional<VitConfig> fromPresetName(const std::string &name);
};

/// MAE's decoder and masking (models_mae.py; norm_pix_loss as in the paper's best setting and
/// main_pretrain.py --norm_pix_loss, which the reference pre-training uses).
struct MaeDecoderConfig
{
    int embedDim = 512;
    int depth = 8;
    int numHeads = 16;
    double maskRatio = 0.75;  ///< fraction of patches removed; kept = int(N * (1 - maskRatio))
    bool normPixLoss = true;  ///< per-patch normalised pixel targets

    /// Empty when usable, else a sentence naming the problem (maskRatio must lie in [0, 1)).
    std::string validationError() const;
};

} // namespace fa::nn
