#pragma once

// Options of the FreeAvatar neural renderer (NeuralRendererImpl, REFERENCE.md section 4), as a
// torch-style options struct: NeuralRendererOptions(rigSize).imageSize(128).width(32).
// (TORCH_ARG names the fields `rigSize_` etc., torch's convention, not `m_`.)

#include <torch/arg.h>

#include <cstdint>
#include <string>

namespace fa::nn {

struct NeuralRendererOptions
{
    /* implicit */ NeuralRendererOptions(int64_t rigSize) : rigSize_(rigSize) {}

    /// True when the options describe a network NeuralRendererImpl can build; otherwise false
    /// and, when `error` is not null, why (e.g. "image size 100: must be 64, 128 or 256").
    bool isValid(std::string *error = nullptr) const
    {
        std::string why;
        if (rigSize_ < 1)
            why = "rig size " + std::to_string(rigSize_) + ": must be at least 1";
        else if (imageSize_ != 64 && imageSize_ != 128 && imageSize_ != 256)
            why = "image size " + std::to_string(imageSize_) + ": must be 64, 128 or 256";
        else if (width_ < 1)
            why = "width " + std::to_string(width_) + ": must be at least 1";
        if (error)
            *error = why;
        return why.empty();
    }

    /// Number of rig controls n (the input vector length); >= 1. Required.
    TORCH_ARG(int64_t, rigSize);
    /// Output side S in pixels: 64, 128 or 256 (the reference: 256).
    TORCH_ARG(int64_t, imageSize) = 256;
    /// ngf: channels of the last hidden layers (the first has 8 ngf); >= 1 (the reference: 128).
    TORCH_ARG(int64_t, width) = 128;
};

} // namespace fa::nn
