#pragma once

#include "fbx/animation_export.h"

#include <QDialog>

class QComboBox;
class QLineEdit;
class QSpinBox;

namespace fa::ui {

/// Asks what to export: the format (Live Link Face CSV, generic CSV, FBX), the file and the frame
/// range (clip frames, inclusive; the whole clip by default). FBX and generic CSV are offered only
/// when an avatar is open. The file suffix follows the format unless the user typed another.
/// The dialog only asks; the workspace writes (fa::exportAnimation).
class ExportDialog : public QDialog
{
    Q_OBJECT
public:
    ExportDialog(int frameCount, bool haveAvatar, const QString &suggestedBaseName, QWidget *parent = nullptr);

    AnimationExportFormat format() const;
    void setFormat(AnimationExportFormat format);
    QString path() const;
    void setPath(const QString &path);
    int firstFrame() const;
    int lastFrame() const;
    void setRange(int first, int last);

    void accept() override;

private:
    void browse();
    void formatChanged();

    QComboBox *m_format;
    QLineEdit *m_path;
    QSpinBox *m_first;
    QSpinBox *m_last;
    QString m_baseName;
};

} // namespace fa::ui
