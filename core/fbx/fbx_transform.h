#pragma once

#include <QMatrix4x4>
#include <QVector3D>

#include <optional>

namespace fa {

/// An FBX node's local transform as the Lcl Translation / Lcl Rotation / Lcl Scaling triple with
/// RotationOrder eEulerXYZ: M = T · Rz · Ry · Rx · S (rotate about X first), angles in degrees.
struct FbxTransform
{
    QVector3D translation;
    QVector3D rotationDegrees;
    QVector3D scaling{1.0f, 1.0f, 1.0f};

    /// Decomposes an affine matrix. A negative determinant becomes a negative X scale. Returns
    /// nullopt when the matrix is not T·R·S (shear, projective row, zero scale, non-finite
    /// entries): recomposition must match every entry within 1e-5 of the largest entry.
    static std::optional<FbxTransform> fromMatrix(const QMatrix4x4 &matrix);
    QMatrix4x4 toMatrix() const;
};

} // namespace fa
