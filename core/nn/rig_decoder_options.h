#pragma once

// Options of the FreeAvatar rig decoder (RigDecoderImpl, REFERENCE.md section 5), as a
// torch-style options struct: RigDecoderOptions(768, 61).identities(10).
// (TORCH_ARG names the fields `featureSize_` etc., torch's convention, not `m_`.)

#include <torch/arg.h>

#include <cstdint>
#include <string>

namespace fa::nn {

struct RigDecoderOptions
{
    RigDecoderOptions(int64_t featureSize, int64_t rigSize) : featureSize_(featureSize), rigSize_(rigSize) {}

    /// True when RigDecoderImpl can build these options; otherwise false and, when `error` is not
    /// null, why (e.g. "dropout 1.5: must be in [0, 1)").
    bool isValid(std::string *error = nullptr) const
    {
        std::string why;
        auto atLeast1 = [&why](const char *name, int64_t value) {
            if (why.empty() && value < 1)
                why = std::string(name) + " " + std::to_string(value) + ": must be at least 1";
        };
        atLeast1("feature size", featureSize_);
        atLeast1("rig size", rigSize_);
        atLeast1("identities", identities_);
        atLeast1("identity size", identitySize_);
        atLeast1("hidden size", hiddenSize_);
        if (why.empty() && blocks_ < 0)
            why = "blocks " + std::to_string(blocks_) + ": must be at least 0";
        if (why.empty() && !(dropout_ >= 0.0 && dropout_ < 1.0))
            why = "dropout " + std::to_string(dropout_) + ": must be in [0, 1)";
        if (error)
            *error = why;
        return why.empty();
    }

    /// D: size of the encoder feature the decoder reads (768 for ViT-B, 192 for ViT-Ti). Required.
    TORCH_ARG(int64_t, featureSize);
    /// n_max: outputs, the largest rig among the avatars (avatar k reads the first n_k). Required.
    TORCH_ARG(int64_t, rigSize);
    /// Rows of the identity table: the most avatars one decoder can drive (the reference: 10).
    TORCH_ARG(int64_t, identities) = 10;
    /// Size of one identity embedding (the reference: 16).
    TORCH_ARG(int64_t, identitySize) = 16;
    /// Width of the hidden layers (the reference: 512).
    TORCH_ARG(int64_t, hiddenSize) = 512;
    /// Residual blocks after the stem (the reference: 2).
    TORCH_ARG(int64_t, blocks) = 2;
    /// Dropout probability after every hidden ReLU (the reference: 0.1).
    TORCH_ARG(double, dropout) = 0.1;
};

} // namespace fa::nn
