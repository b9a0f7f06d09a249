#include "training/rand_augment.h"

#include "training/deterministic_random.h"

#include <opencv2/core.hpp>
#include <opencv2/imgproc.hpp>

#include <algorithm>
#include <array>
#include <cmath>

namespace fa {
namespace {

constexpr double kLevelDenominator = 10.0; // timm _LEVEL_DENOM

cv::Mat toBgr(const cv::Mat &image)
{
    if (image.channels() == 3)
        return image;
    cv::Mat bgr;
    cv::cvtColor(image, bgr, image.channels() == 1 ? cv::COLOR_GRAY2BGR : cv::COLOR_BGRA2BGR);
    return bgr;
}

using ChannelLut = std::array<std::array<uchar, 256>, 3>; // per BGR channel

cv::Mat applyLut(const cv::Mat &bgr, const ChannelLut &lut)
{
    cv::Mat table(1, 256, CV_8UC3);
    for (int v = 0; v < 256; ++v)
        table.at<cv::Vec3b>(0, v) = cv::Vec3b(lut[0][size_t(v)], lut[1][size_t(v)], lut[2][size_t(v)]);
    cv::Mat out;
    cv::LUT(bgr, table, out);
    return out;
}

cv::Mat applySameLut(const cv::Mat &bgr, const std::array<uchar, 256> &lut)
{
    return applyLut(bgr, ChannelLut{lut, lut, lut});
}

std::array<std::array<long, 256>, 3> histograms(const cv::Mat &bgr)
{
    std::array<std::array<long, 256>, 3> h{};
    for (int y = 0; y < bgr.rows; ++y) {
        const uchar *p = bgr.ptr<uchar>(y);
        for (int x = 0; x < bgr.cols; ++x, p += 3)
            for (int c = 0; c < 3; ++c)
                ++h[size_t(c)][p[c]];
    }
    return h;
}

// ImageOps.autocontrast(image) without cut-off: per band, the lowest and highest used levels
// are stretched to 0 and 255 (int() of the scaled value, clamped); identity when hi <= lo.
cv::Mat autoContrast(const cv::Mat &bgr)
{
    const auto h = histograms(bgr);
    ChannelLut lut{};
    for (size_t c = 0; c < 3; ++c) {
        int lo = 0, hi = 255;
        while (lo < 255 && h[c][size_t(lo)] == 0)
            ++lo;
        while (hi > 0 && h[c][size_t(hi)] == 0)
            --hi;
        for (int v = 0; v < 256; ++v) {
            if (hi <= lo) {
                lut[c][size_t(v)] = uchar(v);
            } else {
                const double scale = 255.0 / (hi - lo);
                const double offset = -lo * scale;
                lut[c][size_t(v)] = uchar(std::clamp(int(v * scale + offset), 0, 255));
            }
        }
    }
    return applyLut(bgr, lut);
}

// ImageOps.equalize: per band, step = (pixels - count of the highest used level) // 255;
// level i -> (step // 2 + pixels below i) // step; identity when fewer than two levels are used
// or step is 0.
cv::Mat equalize(const cv::Mat &bgr)
{
    const auto h = histograms(bgr);
    ChannelLut lut{};
    for (size_t c = 0; c < 3; ++c) {
        long total = 0, last = 0;
        int used = 0;
        for (int v = 0; v < 256; ++v)
            if (h[c][size_t(v)]) {
                total += h[c][size_t(v)];
                last = h[c][size_t(v)];
                ++used;
            }
        const long step = used <= 1 ? 0 : (total - last) / 255;
        long n = step / 2;
        for (int v = 0; v < 256; ++v) {
            if (step == 0) {
                lut[c][size_t(v)] = uchar(v);
            } else {
                lut[c][size_t(v)] = uchar(std::min<long>(255, n / step));
                n += h[c][size_t(v)];
            }
        }
    }
    return applyLut(bgr, lut);
}

// Pillow's RGB -> L: ITU-R 601-2 luma in 16-bit fixed point, rounded.
cv::Mat pillowGrey(const cv::Mat &bgr)
{
    cv::Mat grey(bgr.size(), CV_8UC1);
    for (int y = 0; y < bgr.rows; ++y) {
        const uchar *p = bgr.ptr<uchar>(y);
        uchar *g = grey.ptr<uchar>(y);
        for (int x = 0; x < bgr.cols; ++x, p += 3)
            g[x] = uchar((p[2] * 19595 + p[1] * 38470 + p[0] * 7471 + 0x8000) >> 16);
    }
    return grey;
}

// Image.blend(degenerate, image, factor): degenerate + factor * (image - degenerate) in single
// precision, clipped to [0, 255] and truncated (Pillow's Blend.c).
cv::Mat blend(const cv::Mat &degenerate, const cv::Mat &bgr, double factor)
{
    const float alpha = float(factor);
    cv::Mat out(bgr.size(), CV_8UC3);
    const size_t count = size_t(bgr.total()) * 3;
    const cv::Mat a = degenerate.isContinuous() ? degenerate : degenerate.clone();
    const cv::Mat b = bgr.isContinuous() ? bgr : bgr.clone();
    const uchar *in1 = a.ptr<uchar>(), *in2 = b.ptr<uchar>();
    uchar *o = out.ptr<uchar>();
    for (size_t i = 0; i < count; ++i) {
        const float v = float(int(in1[i])) + alpha * float(int(in2[i]) - int(in1[i]));
        o[i] = v <= 0.0f ? 0 : v >= 255.0f ? 255 : uchar(v);
    }
    return out;
}

// ImageFilter.SMOOTH (3x3 kernel 1 1 1 / 1 5 1 / 1 1 1, divided by 13) as Pillow's Filter.c
// applies it: the border rows and columns are copied unchanged.
cv::Mat smooth(const cv::Mat &bgr)
{
    cv::Mat out = bgr.clone();
    if (bgr.rows < 3 || bgr.cols < 3)
        return out;
    for (int y = 1; y < bgr.rows - 1; ++y) {
        const uchar *r0 = bgr.ptr<uchar>(y - 1), *r1 = bgr.ptr<uchar>(y), *r2 = bgr.ptr<uchar>(y + 1);
        uchar *o = out.ptr<uchar>(y);
        for (int x = 1; x < bgr.cols - 1; ++x)
            for (int c = 0; c < 3; ++c) {
                const int l = (x - 1) * 3 + c, m = x * 3 + c, r = (x + 1) * 3 + c;
                const int sum = r0[l] + r0[m] + r0[r] + r1[l] + 5 * r1[m] + r1[r] + r2[l] + r2[m] + r2[r];
                const float v = float(sum) / 13.0f + 0.5f;
                o[m] = v >= 255.0f ? 255 : uchar(v);
            }
    }
    return out;
}

// Pillow's bicubic for 8-bit images (Geometry.c BICUBIC: cubic convolution with a = -1):
// v = p1 + d (p2 + d (p3 + d p4)) over four neighbours v1..v4.
inline double cubic(double v1, double v2, double v3, double v4, double d)
{
    const double p1 = v2;
    const double p2 = -v1 + v3;
    const double p3 = 2 * (v1 - v2) + v3 - v4;
    const double p4 = -v1 + v2 - v3 + v4;
    return p1 + d * (p2 + d * (p3 + d * p4));
}

// Image.transform(size, AFFINE, (a, b, c, d, e, f), BICUBIC, fillcolor) as Pillow's Geometry.c
// computes it: output pixel (x, y) takes the input at (a (x+.5) + b (y+.5) + c, d (x+.5) +
// e (y+.5) + f) (pixel centres at .5; computed per pixel in this order: accumulating the steps
// instead moves points on the image edge in or out and no longer matches Pillow); source points
// outside [0, W) x [0, H) give the fill colour; neighbours beyond the edges are the edge pixels;
// values clipped and truncated.
cv::Mat pillowAffine(const cv::Mat &bgr, const std::array<double, 6> &m, const cv::Scalar &fillBgr)
{
    const int width = bgr.cols, height = bgr.rows;
    cv::Mat out(bgr.size(), CV_8UC3);
    const uchar fill[3] = {cv::saturate_cast<uchar>(fillBgr[0]), cv::saturate_cast<uchar>(fillBgr[1]),
                           cv::saturate_cast<uchar>(fillBgr[2])};
    const size_t step = bgr.step[0];
    const uchar *base = bgr.ptr<uchar>(0);
    for (int y = 0; y < height; ++y) {
        uchar *o = out.ptr<uchar>(y);
        for (int x = 0; x < width; ++x, o += 3) {
            const double xx = m[0] * (x + 0.5) + m[1] * (y + 0.5) + m[2];
            const double yy = m[3] * (x + 0.5) + m[4] * (y + 0.5) + m[5];
            if (xx < 0.0 || xx >= width || yy < 0.0 || yy >= height) {
                o[0] = fill[0];
                o[1] = fill[1];
                o[2] = fill[2];
                continue;
            }
            const double xin = xx - 0.5, yin = yy - 0.5;
            const int x0 = int(std::floor(xin)), y0 = int(std::floor(yin));
            const double dx = xin - x0, dy = yin - y0;
            int xs[4], ys[4];
            for (int k = 0; k < 4; ++k) {
                xs[k] = 3 * std::clamp(x0 - 1 + k, 0, width - 1);
                ys[k] = std::clamp(y0 - 1 + k, 0, height - 1);
            }
            for (int c = 0; c < 3; ++c) {
                double v[4];
                for (int r = 0; r < 4; ++r) {
                    const uchar *row = base + size_t(ys[r]) * step + c;
                    v[r] = cubic(row[xs[0]], row[xs[1]], row[xs[2]], row[xs[3]], dx);
                }
                const double value = cubic(v[0], v[1], v[2], v[3], dy);
                o[c] = value <= 0.0 ? 0 : value >= 255.0 ? 255 : uchar(value); // truncated, as Pillow
            }
        }
    }
    return out;
}

// Image.rotate(degrees, BICUBIC, fillcolor=fill): counter-clockwise about (W/2, H/2), same size.
cv::Mat rotate(const cv::Mat &bgr, double degrees, const cv::Scalar &fillBgr)
{
    // -math.radians(degrees): degrees * (pi / 180); the matrix entries rounded to 15 decimals.
    const double angle = -(degrees * (3.14159265358979323846 / 180.0));
    auto round15 = [](double v) { return std::nearbyint(v * 1e15) / 1e15; };
    const double cosine = round15(std::cos(angle)), sine = round15(std::sin(angle)), minusSine = round15(-std::sin(angle));
    const double cx = bgr.cols / 2.0, cy = bgr.rows / 2.0;
    std::array<double, 6> m = {cosine, sine, 0.0, minusSine, cosine, 0.0};
    m[2] = m[0] * -cx + m[1] * -cy + cx;
    m[5] = m[3] * -cx + m[4] * -cy + cy;
    return pillowAffine(bgr, m, fillBgr);
}

// timm's _randomly_negate: negative when uniform > 0.5.
double randomlyNegate(double value, std::mt19937_64 &rng)
{
    return uniform01(rng) > 0.5 ? -value : value;
}

} // namespace

QString randAugmentOpName(RandAugmentOp op, bool increasing)
{
    const QString suffix = increasing ? QStringLiteral("Increasing") : QString();
    switch (op) {
    case RandAugmentOp::AutoContrast: return QStringLiteral("AutoContrast");
    case RandAugmentOp::Equalize: return QStringLiteral("Equalize");
    case RandAugmentOp::Invert: return QStringLiteral("Invert");
    case RandAugmentOp::Rotate: return QStringLiteral("Rotate");
    case RandAugmentOp::Posterize: return QStringLiteral("Posterize") + suffix;
    case RandAugmentOp::Solarize: return QStringLiteral("Solarize") + suffix;
    case RandAugmentOp::SolarizeAdd: return QStringLiteral("SolarizeAdd");
    case RandAugmentOp::Color: return QStringLiteral("Color") + suffix;
    case RandAugmentOp::Contrast: return QStringLiteral("Contrast") + suffix;
    case RandAugmentOp::Brightness: return QStringLiteral("Brightness") + suffix;
    case RandAugmentOp::Sharpness: return QStringLiteral("Sharpness") + suffix;
    case RandAugmentOp::ShearX: return QStringLiteral("ShearX");
    case RandAugmentOp::ShearY: return QStringLiteral("ShearY");
    case RandAugmentOp::TranslateXRel: return QStringLiteral("TranslateXRel");
    case RandAugmentOp::TranslateYRel: return QStringLiteral("TranslateYRel");
    }
    return QString();
}

double randAugmentArgument(RandAugmentOp op, double magnitude, bool increasing, std::mt19937_64 &rng)
{
    const double level = magnitude / kLevelDenominator;
    switch (op) {
    case RandAugmentOp::AutoContrast:
    case RandAugmentOp::Equalize:
    case RandAugmentOp::Invert:
        return 0;
    case RandAugmentOp::Rotate:
        return randomlyNegate(level * 30.0, rng);
    case RandAugmentOp::Posterize:
        return increasing ? 4 - int(level * 4) : int(level * 4);
    case RandAugmentOp::Solarize:
        return increasing ? 256 - int(level * 256) : int(level * 256);
    case RandAugmentOp::SolarizeAdd:
        return int(level * 110);
    case RandAugmentOp::Color:
    case RandAugmentOp::Contrast:
    case RandAugmentOp::Brightness:
    case RandAugmentOp::Sharpness:
        if (increasing)
            return std::max(0.1, 1.0 + randomlyNegate(level * 0.9, rng));
        return level * 1.8 + 0.1;
    case RandAugmentOp::ShearX:
    case RandAugmentOp::ShearY:
        return randomlyNegate(level * 0.3, rng);
    case RandAugmentOp::TranslateXRel:
    case RandAugmentOp::TranslateYRel:
        return randomlyNegate(level * 0.45, rng);
    }
    return 0;
}

cv::Mat applyRandAugmentOp(const cv::Mat &image, RandAugmentOp op, double argument, const cv::Scalar &fillBgr)
{
    const cv::Mat bgr = toBgr(image);
    std::array<uchar, 256> lut{};
    switch (op) {
    case RandAugmentOp::AutoContrast:
        return autoContrast(bgr);
    case RandAugmentOp::Equalize:
        return equalize(bgr);
    case RandAugmentOp::Invert:
        for (int v = 0; v < 256; ++v)
            lut[size_t(v)] = uchar(255 - v);
        return applySameLut(bgr, lut);
    case RandAugmentOp::Posterize: {
        const int bits = int(argument);
        if (bits >= 8)
            return bgr.clone();
        const int mask = bits <= 0 ? 0 : ~((1 << (8 - bits)) - 1) & 0xFF;
        for (int v = 0; v < 256; ++v)
            lut[size_t(v)] = uchar(v & mask);
        return applySameLut(bgr, lut);
    }
    case RandAugmentOp::Solarize:
        for (int v = 0; v < 256; ++v)
            lut[size_t(v)] = uchar(v < argument ? v : 255 - v);
        return applySameLut(bgr, lut);
    case RandAugmentOp::SolarizeAdd:
        for (int v = 0; v < 256; ++v)
            lut[size_t(v)] = uchar(v < 128 ? std::min(255, v + int(argument)) : v);
        return applySameLut(bgr, lut);
    case RandAugmentOp::Color: {
        cv::Mat grey;
        cv::cvtColor(pillowGrey(bgr), grey, cv::COLOR_GRAY2BGR);
        return blend(grey, bgr, argument);
    }
    case RandAugmentOp::Contrast: {
        const cv::Mat grey = pillowGrey(bgr);
        const int mean = int(cv::mean(grey)[0] + 0.5);
        return blend(cv::Mat(bgr.size(), CV_8UC3, cv::Scalar::all(mean)), bgr, argument);
    }
    case RandAugmentOp::Brightness:
        return blend(cv::Mat(bgr.size(), CV_8UC3, cv::Scalar::all(0)), bgr, argument);
    case RandAugmentOp::Sharpness:
        return blend(smooth(bgr), bgr, argument);
    case RandAugmentOp::Rotate:
        return rotate(bgr, argument, fillBgr);
    case RandAugmentOp::ShearX:
        return pillowAffine(bgr, {1, argument, 0, 0, 1, 0}, fillBgr);
    case RandAugmentOp::ShearY:
        return pillowAffine(bgr, {1, 0, 0, argument, 1, 0}, fillBgr);
    case RandAugmentOp::TranslateXRel:
        return pillowAffine(bgr, {1, 0, argument * bgr.cols, 0, 1, 0}, fillBgr);
    case RandAugmentOp::TranslateYRel:
        return pillowAffine(bgr, {1, 0, 0, 0, 1, argument * bgr.rows}, fillBgr);
    }
    return bgr.clone();
}

cv::Mat randAugment(const cv::Mat &image, std::mt19937_64 &rng, const RandAugmentOptions &options)
{
    std::vector<RandAugmentOp> ops;
    for (int i = 0; i < options.numOps; ++i)
        ops.push_back(RandAugmentOp(uniformInt(rng, 0, kRandAugmentOpCount - 1)));
    cv::Mat out = toBgr(image);
    for (RandAugmentOp op : ops) {
        // timm AugmentOp.__call__: skipped when random() > prob.
        if (options.probability < 1.0 && uniform01(rng) > options.probability)
            continue;
        double magnitude = options.magnitude;
        if (options.magnitudeStd > 0)
            magnitude += options.magnitudeStd * standardNormal(rng);
        magnitude = std::clamp(magnitude, 0.0, options.magnitudeMax);
        const double argument = randAugmentArgument(op, magnitude, options.increasing, rng);
        out = applyRandAugmentOp(out, op, argument, options.fillBgr);
    }
    return out.data == image.data ? out.clone() : out;
}

} // namespace fa
