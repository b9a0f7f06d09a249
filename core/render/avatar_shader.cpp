#include "render/avatar_shader.h"

namespace fa {

namespace {

QByteArray header(bool openGLES)
{
    return openGLES ? QByteArrayLiteral("#version 100\nprecision highp float;\n")
                    : QByteArrayLiteral("#version 120\n");
}

} // namespace

QByteArray avatarVertexShader(bool openGLES)
{
    return header(openGLES) + QByteArrayLiteral(R"(
attribute vec3 aPosition;
attribute vec3 aNormal;
attribute vec2 aUv;
uniform mat4 uModelView;
uniform mat4 uProjection;
uniform mat3 uNormalMatrix;
uniform vec3 uKeyDir;
uniform vec3 uFillDir;
varying vec2 vUv;
varying float vLight;
varying float vSpecular;
void main()
{
    vec4 p = uModelView * vec4(aPosition, 1.0);
    vec3 v = normalize(-p.xyz);
    vec3 n = normalize(uNormalMatrix * aNormal);
    if (dot(n, v) < 0.0)
        n = -n;
    vLight = 0.25 + 0.75 * max(dot(n, uKeyDir), 0.0) + 0.30 * max(dot(n, uFillDir), 0.0);
    vSpecular = 0.12 * pow(max(dot(n, normalize(uKeyDir + v)), 0.0), 32.0);
    // Assimp UVs have v up from the bottom; textures are uploaded top row first.
    vUv = vec2(aUv.x, 1.0 - aUv.y);
    gl_Position = uProjection * p;
}
)");
}

QByteArray avatarFragmentShader(bool openGLES, bool textured)
{
    const QByteArray albedo = textured ? QByteArrayLiteral("uniform sampler2D uTexture;\n#define ALBEDO texture2D(uTexture, vUv).rgb\n")
                                       : QByteArrayLiteral("uniform vec3 uBaseColour;\n#define ALBEDO uBaseColour\n");
    return header(openGLES) + albedo + QByteArrayLiteral(R"(
varying vec2 vUv;
varying float vLight;
varying float vSpecular;
void main()
{
    gl_FragColor = vec4(min(ALBEDO * vLight + vec3(vSpecular), vec3(1.0)), 1.0);
}
)");
}

} // namespace fa
