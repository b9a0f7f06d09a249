#include "fbx/fbx_transform.h"

#include <QtMath>

#include <algorithm>
#include <cmath>

namespace fa {

std::optional<FbxTransform> FbxTransform::fromMatrix(const QMatrix4x4 &m)
{
    double largest = 1.0;
    for (int r = 0; r < 4; ++r)
        for (int c = 0; c < 4; ++c) {
            if (!std::isfinite(m(r, c)))
                return std::nullopt;
            largest = std::max(largest, double(std::abs(m(r, c))));
        }
    if (std::abs(m(3, 0)) > 1e-6 || std::abs(m(3, 1)) > 1e-6 || std::abs(m(3, 2)) > 1e-6
        || std::abs(m(3, 3) - 1.0f) > 1e-6)
        return std::nullopt;

    double col[3][3];
    for (int c = 0; c < 3; ++c)
        for (int r = 0; r < 3; ++r)
            col[c][r] = m(r, c);
    double scale[3];
    for (int c = 0; c < 3; ++c)
        scale[c] = std::sqrt(col[c][0] * col[c][0] + col[c][1] * col[c][1] + col[c][2] * col[c][2]);
    if (scale[0] <= 0.0 || scale[1] <= 0.0 || scale[2] <= 0.0)
        return std::nullopt;
    const double det = col[0][0] * (col[1][1] * col[2][2] - col[2][1] * col[1][2])
                       - col[1][0] * (col[0][1] * col[2][2] - col[2][1] * col[0][2])
                       + col[2][0] * (col[0][1] * col[1][2] - col[1][1] * col[0][2]);
    if (det < 0)
        scale[0] = -scale[0];
    // R(r, c) with the scale divided out of each column.
    auto R = [&](int r, int c) { return col[c][r] / scale[c]; };

    // R = Rz(z) · Ry(y) · Rx(x): R(2,0) = -sin y, R(2,1) = sin x cos y, R(2,2) = cos x cos y,
    // R(1,0) = cos y sin z, R(0,0) = cos y cos z.
    const double sy = std::clamp(-R(2, 0), -1.0, 1.0);
    const double y = std::asin(sy);
    double x = 0.0;
    double z = 0.0;
    if (std::cos(y) > 1e-6) {
        x = std::atan2(R(2, 1), R(2, 2));
        z = std::atan2(R(1, 0), R(0, 0));
    } else {
        // Gimbal lock: only x − z (or x + z) is defined; put it all in x.
        x = std::atan2(-R(1, 2), R(1, 1));
    }

    FbxTransform t;
    t.translation = QVector3D(m(0, 3), m(1, 3), m(2, 3));
    t.rotationDegrees = QVector3D(float(qRadiansToDegrees(x)), float(qRadiansToDegrees(y)),
                                  float(qRadiansToDegrees(z)));
    t.scaling = QVector3D(float(scale[0]), float(scale[1]), float(scale[2]));

    const QMatrix4x4 back = t.toMatrix();
    for (int r = 0; r < 4; ++r)
        for (int c = 0; c < 4; ++c)
            if (std::abs(double(back(r, c)) - double(m(r, c))) > 1e-5 * largest)
                return std::nullopt;
    return t;
}

QMatrix4x4 FbxTransform::toMatrix() const
{
    QMatrix4x4 m;
    m.translate(translation);
    m.rotate(rotationDegrees.z(), 0.0f, 0.0f, 1.0f);
    m.rotate(rotationDegrees.y(), 0.0f, 1.0f, 0.0f);
    m.rotate(rotationDegrees.x(), 1.0f, 0.0f, 0.0f);
    m.scale(scaling);
    return m;
}

} // namespace fa
