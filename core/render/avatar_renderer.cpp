#include "render/avatar_renderer.h"

#include "render/avatar_shader.h"

#include <QOpenGLContext>
#include <QOpenGLShaderProgram>
#include <QOpenGLTexture>

namespace fa {

namespace {

constexpr int kFloatsPerVertex = 6; // position xyz, normal xyz

// Eye-space directions towards the lights.
const QVector3D kKeyDirection = QVector3D(-0.5f, 0.6f, 0.8f).normalized();
const QVector3D kFillDirection = QVector3D(0.7f, -0.1f, 0.6f).normalized();

QString glError(const QString &what)
{
    return QStringLiteral("OpenGL: ") + what;
}

} // namespace

AvatarRenderer::AvatarRenderer() = default;

AvatarRenderer::~AvatarRenderer() = default;

QSurfaceFormat AvatarRenderer::surfaceFormat()
{
    QSurfaceFormat format;
    format.setDepthBufferSize(24);
    format.setStencilBufferSize(8);
    format.setRedBufferSize(8);
    format.setGreenBufferSize(8);
    format.setBlueBufferSize(8);
    format.setAlphaBufferSize(8);
    format.setSamples(0);
    return format;
}

QColor AvatarRenderer::backgroundColour()
{
    return QColor(0x3A, 0x3F, 0x47);
}

QColor AvatarRenderer::neutralColour()
{
    return QColor(0xC8, 0xAF, 0xA0);
}

bool AvatarRenderer::initialize(QString *error)
{
    if (isInitialized())
        return true;
    QOpenGLContext *context = QOpenGLContext::currentContext();
    if (!context) {
        if (error)
            *error = glError(QStringLiteral("no current context to initialise the avatar renderer in"));
        return false;
    }
    initializeOpenGLFunctions();
    const bool gles = context->isOpenGLES();
    std::unique_ptr<QOpenGLShaderProgram> programs[2];
    for (int textured = 0; textured < 2; ++textured) {
        auto program = std::make_unique<QOpenGLShaderProgram>();
        program->bindAttributeLocation("aPosition", PositionAttribute);
        program->bindAttributeLocation("aNormal", NormalAttribute);
        program->bindAttributeLocation("aUv", UvAttribute);
        if (!program->addShaderFromSourceCode(QOpenGLShader::Vertex, avatarVertexShader(gles))
            || !program->addShaderFromSourceCode(QOpenGLShader::Fragment, avatarFragmentShader(gles, textured == 1))
            || !program->link()) {
            if (error)
                *error = glError(QStringLiteral("the avatar shaders do not build (GL %1.%2): %3")
                                     .arg(context->format().majorVersion())
                                     .arg(context->format().minorVersion())
                                     .arg(program->log().simplified()));
            return false;
        }
        programs[textured] = std::move(program);
    }
    m_programs[0] = std::move(programs[0]);
    m_programs[1] = std::move(programs[1]);
    m_meshesStale = true;
    m_rigDirty = true;
    return true;
}

void AvatarRenderer::setAvatar(std::shared_ptr<const Avatar> avatar)
{
    m_blender.setAvatar(std::move(avatar));
    const auto &current = m_blender.avatar();
    m_face = current ? faceBounds(*current) : BoundingSphere{};
    if (!(m_face.radius > 0.0f))
        m_face = BoundingSphere{m_face.centre, 1.0f};
    m_meshesStale = true;
    m_rigDirty = true;
}

void AvatarRenderer::setRigValues(const std::vector<float> &values)
{
    if (values == m_rigValues)
        return;
    m_rigValues = values;
    m_rigDirty = true;
}

void AvatarRenderer::releaseMeshes()
{
    for (GpuMesh &mesh : m_meshes) {
        const GLuint buffers[3] = {mesh.vertexBuffer, mesh.uvBuffer, mesh.indexBuffer};
        for (GLuint buffer : buffers)
            if (buffer)
                glDeleteBuffers(1, &buffer);
    }
    m_meshes.clear();
    m_textures.clear();
}

void AvatarRenderer::releaseResources()
{
    if (!isInitialized())
        return;
    releaseMeshes();
    m_programs[0].reset();
    m_programs[1].reset();
}

void AvatarRenderer::uploadVertices(int m, GLenum usage, bool create)
{
    const std::vector<QVector3D> &positions = m_blender.positions(m);
    const std::vector<QVector3D> &normals = m_blender.normals(m);
    const size_t n = positions.size();
    m_staging.resize(n * kFloatsPerVertex);
    float *out = m_staging.data();
    for (size_t v = 0; v < n; ++v, out += kFloatsPerVertex) {
        out[0] = positions[v].x();
        out[1] = positions[v].y();
        out[2] = positions[v].z();
        const QVector3D normal = normals.empty() ? QVector3D(0, 0, 1) : normals[v];
        out[3] = normal.x();
        out[4] = normal.y();
        out[5] = normal.z();
    }
    glBindBuffer(GL_ARRAY_BUFFER, m_meshes[size_t(m)].vertexBuffer);
    const GLsizeiptr bytes = GLsizeiptr(m_staging.size() * sizeof(float));
    if (create)
        glBufferData(GL_ARRAY_BUFFER, bytes, m_staging.data(), usage);
    else
        glBufferSubData(GL_ARRAY_BUFFER, 0, bytes, m_staging.data());
}

void AvatarRenderer::uploadAvatar()
{
    releaseMeshes();
    m_meshesStale = false;
    m_rigDirty = true;
    const auto &avatar = m_blender.avatar();
    if (!avatar)
        return;
    for (const QImage &image : avatar->textures) {
        if (image.isNull()) {
            m_textures.push_back(nullptr);
            continue;
        }
        auto texture = std::make_unique<QOpenGLTexture>(image.convertToFormat(QImage::Format_RGBA8888),
                                                        QOpenGLTexture::GenerateMipMaps);
        texture->setMinMagFilters(QOpenGLTexture::LinearMipMapLinear, QOpenGLTexture::Linear);
        texture->setWrapMode(QOpenGLTexture::Repeat);
        m_textures.push_back(std::move(texture));
    }
    m_meshes.resize(avatar->meshes.size());
    for (int m = 0; m < int(avatar->meshes.size()); ++m) {
        const AvatarMesh &mesh = avatar->meshes[size_t(m)];
        GpuMesh &gpu = m_meshes[size_t(m)];
        glGenBuffers(1, &gpu.vertexBuffer);
        uploadVertices(m, m_blender.isDeformable(m) ? GL_DYNAMIC_DRAW : GL_STATIC_DRAW, true);
        if (mesh.uvs.size() == mesh.positions.size() && !mesh.uvs.empty()) {
            glGenBuffers(1, &gpu.uvBuffer);
            glBindBuffer(GL_ARRAY_BUFFER, gpu.uvBuffer);
            glBufferData(GL_ARRAY_BUFFER, GLsizeiptr(mesh.uvs.size() * sizeof(QVector2D)), mesh.uvs.data(),
                         GL_STATIC_DRAW);
        }
        glGenBuffers(1, &gpu.indexBuffer);
        glBindBuffer(GL_ELEMENT_ARRAY_BUFFER, gpu.indexBuffer);
        glBufferData(GL_ELEMENT_ARRAY_BUFFER, GLsizeiptr(mesh.indices.size() * sizeof(quint32)),
                     mesh.indices.data(), GL_STATIC_DRAW);
        gpu.indexCount = GLsizei(mesh.indices.size());
        const bool textured = gpu.uvBuffer && mesh.textureIndex >= 0 && mesh.textureIndex < int(m_textures.size())
                              && m_textures[size_t(mesh.textureIndex)];
        gpu.texture = textured ? m_textures[size_t(mesh.textureIndex)].get() : nullptr;
    }
    glBindBuffer(GL_ARRAY_BUFFER, 0);
    glBindBuffer(GL_ELEMENT_ARRAY_BUFFER, 0);
}

void AvatarRenderer::drawMesh(int m, const QMatrix4x4 &view, QOpenGLShaderProgram *program)
{
    const GpuMesh &gpu = m_meshes[size_t(m)];
    const QMatrix4x4 modelView = view * m_blender.avatar()->meshes[size_t(m)].transform;
    program->setUniformValue("uModelView", modelView);
    program->setUniformValue("uNormalMatrix", modelView.normalMatrix());

    glBindBuffer(GL_ARRAY_BUFFER, gpu.vertexBuffer);
    const GLsizei stride = GLsizei(kFloatsPerVertex * sizeof(float));
    glVertexAttribPointer(PositionAttribute, 3, GL_FLOAT, GL_FALSE, stride, nullptr);
    glVertexAttribPointer(NormalAttribute, 3, GL_FLOAT, GL_FALSE, stride, reinterpret_cast<const void *>(3 * sizeof(float)));
    if (gpu.texture) {
        glBindBuffer(GL_ARRAY_BUFFER, gpu.uvBuffer);
        glEnableVertexAttribArray(UvAttribute);
        glVertexAttribPointer(UvAttribute, 2, GL_FLOAT, GL_FALSE, 0, nullptr);
        gpu.texture->bind(0);
    } else {
        glDisableVertexAttribArray(UvAttribute);
    }
    glBindBuffer(GL_ELEMENT_ARRAY_BUFFER, gpu.indexBuffer);
    glDrawElements(GL_TRIANGLES, gpu.indexCount, GL_UNSIGNED_INT, nullptr);
}

void AvatarRenderer::render(const QSize &pixels, const OrbitCamera &camera)
{
    if (!isInitialized() || pixels.isEmpty())
        return;
    const QColor background = backgroundColour();
    glViewport(0, 0, pixels.width(), pixels.height());
    glClearColor(background.redF(), background.greenF(), background.blueF(), 1.0f);
    glClearDepthf(1.0f);
    glDepthMask(GL_TRUE);
    glClear(GL_COLOR_BUFFER_BIT | GL_DEPTH_BUFFER_BIT);
    if (!m_blender.avatar())
        return;
    if (m_meshesStale)
        uploadAvatar();
    if (m_rigDirty) {
        for (int m : m_blender.blend(m_rigValues))
            uploadVertices(m, GL_DYNAMIC_DRAW, false);
        m_rigDirty = false;
    }

    glEnable(GL_DEPTH_TEST);
    glDepthFunc(GL_LESS);
    glDisable(GL_CULL_FACE);
    glDisable(GL_BLEND);
    glActiveTexture(GL_TEXTURE0);
    glEnableVertexAttribArray(PositionAttribute);
    glEnableVertexAttribArray(NormalAttribute);
    const QMatrix4x4 view = camera.view();
    const QMatrix4x4 projection = camera.projection(float(pixels.width()) / float(pixels.height()));
    const QColor neutral = neutralColour();
    // Untextured meshes first, then textured ones: one program switch per frame.
    for (int textured = 0; textured < 2; ++textured) {
        QOpenGLShaderProgram *program = m_programs[textured].get();
        bool bound = false;
        for (int m = 0; m < int(m_meshes.size()); ++m) {
            if ((m_meshes[size_t(m)].texture != nullptr) != (textured == 1) || m_meshes[size_t(m)].indexCount == 0)
                continue;
            if (!bound) {
                program->bind();
                program->setUniformValue("uProjection", projection);
                program->setUniformValue("uKeyDir", kKeyDirection);
                program->setUniformValue("uFillDir", kFillDirection);
                if (textured)
                    program->setUniformValue("uTexture", 0);
                else
                    program->setUniformValue("uBaseColour", QVector3D(neutral.redF(), neutral.greenF(), neutral.blueF()));
                bound = true;
            }
            drawMesh(m, view, program);
        }
        if (bound)
            program->release();
    }

    // Leave the state as found by QPainter-based callers (QOpenGLWidget composition).
    for (GLuint location : {PositionAttribute, NormalAttribute, UvAttribute})
        glDisableVertexAttribArray(location);
    glBindBuffer(GL_ARRAY_BUFFER, 0);
    glBindBuffer(GL_ELEMENT_ARRAY_BUFFER, 0);
    glBindTexture(GL_TEXTURE_2D, 0);
    glDisable(GL_DEPTH_TEST);
}

} // namespace fa
