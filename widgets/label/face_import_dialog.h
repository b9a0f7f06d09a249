#pragma once

#include "projectio/face_importer.h"

#include <QDialog>
#include <QStringList>

class QCheckBox;
class QComboBox;
class QDialogButtonBox;
class QLabel;
class QLineEdit;
class QListWidget;
class QPushButton;
class QSpinBox;

namespace fa::ui {

/// What to import and how faces are found in it, before a face import starts: the files and
/// folders (Add Files…, Add Folder…, Remove), the face finder settings shared with the command
/// line (detector dlib HOG or YuNet with its model file, smallest face in pixels, tilted
/// search, every face of video frames) and the video and duplicate settings of
/// fa::FaceImportOptions. Import is enabled once there is something to import and the settings
/// are usable (a YuNet model file that exists); the reason it is not is shown under the form.
///
/// Settings are remembered on the machine (QSettings "label/import/...") by load()/save().
class FaceImportDialog : public QDialog
{
    Q_OBJECT
public:
    explicit FaceImportDialog(QWidget *parent = nullptr);

    QStringList paths() const;
    void setPaths(const QStringList &paths);
    /// Adds paths not listed yet.
    void addPaths(const QStringList &paths);

    fa::FaceImportOptions options() const;
    void setOptions(const fa::FaceImportOptions &options);

    /// Why Import is disabled (one line), or empty when it is enabled.
    QString problem() const;

    /// The settings remembered on this machine (defaults when none) / remembers these.
    static fa::FaceImportOptions rememberedOptions();
    static void rememberOptions(const fa::FaceImportOptions &options);

private:
    void addFiles();
    void addFolder();
    void browseModel();
    void updateState();

    QListWidget *m_paths;
    QPushButton *m_remove;
    QComboBox *m_detector;
    QLineEdit *m_model;
    QPushButton *m_browseModel;
    QSpinBox *m_minFace;
    QCheckBox *m_tiltSearch;
    QSpinBox *m_every;
    QCheckBox *m_allFaces;
    QCheckBox *m_keepDuplicates;
    QLabel *m_problem;
    QDialogButtonBox *m_buttons;
};

} // namespace fa::ui
