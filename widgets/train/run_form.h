#pragma once

#include "training/training_config.h"

#include <QMap>
#include <QWidget>

#include <optional>

class QComboBox;
class QLineEdit;
class QListWidget;
class QPushButton;
class QTabWidget;
class QTableWidget;

namespace fa::ui {

/// The Train workspace's form for a new run: kind (MAE pre-training, triplet fine-tuning, an
/// avatar's neural renderer or the rig decoder of several avatars; a rig decoder's encoder run
/// and AVATAR:RENDERER_RUN list are the table's `encoder` and `avatars` keys), preset (tiny,
/// small, vit-b; renderer and rig-decoder: tiny, paper:
/// fa::trainingPreset), every hyper-parameter that applies to the kind in an editable
/// table (key, value) filled from the preset's TrainingConfig (edited values are kept when the
/// preset changes and shown in bold; Reset drops them), the training data (this project by
/// default, plus files and folders), optional validation data, and the run to start the encoder
/// from (a run folder, one of its checkpoint folders, or a .pth file).
///
/// config() builds the TrainingConfig through TrainingConfig::set, so a value is checked exactly
/// as `freeavatar train --set key=value` checks it; Start emits startRequested() with it, or shows
/// a dialog listing every problem ("key: what is wrong").
class RunForm : public QWidget
{
    Q_OBJECT
public:
    explicit RunForm(QWidget *parent = nullptr);

    /// The project that "This project" stands for (empty: none; Start is then disabled).
    void setProjectDirectory(const QString &directory);

    void setKind(const QString &kind);   ///< "mae", "triplet", "renderer" or "rig-decoder"
    void setPreset(const QString &preset); ///< "tiny", "small" or "vit-b"
    QString kind() const;
    QString preset() const;
    /// Sets the table's value of `key` as if typed (false for an unknown key or a key with its
    /// own field: kind, preset, data, validation, init).
    bool setValue(const QString &key, const QString &value);
    QString value(const QString &key) const;
    /// Data sources: the project is listed as "This project" and given as its folder.
    void setDataSources(const QStringList &paths);
    QStringList dataSources() const;
    void setValidationSources(const QStringList &paths);
    void setInit(const QString &runDirOrFile);

    /// The configuration, or nullopt with every problem in `error` (one per line).
    std::optional<fa::TrainingConfig> config(QString *error) const;
    QTableWidget *table() const { return m_table; }
    QPushButton *startButton() const { return m_start; }

    /// Checks the form and emits startRequested (or shows the problems in a dialog).
    void start();

Q_SIGNALS:
    void startRequested(const fa::TrainingConfig &config);

private:
    void loadPreset();
    void fillPresets();
    void onKindChanged();
    void onCellChanged(int row, int column);
    void addSources(QListWidget *list, bool folder);
    QStringList sourcesOf(const QListWidget *list) const;
    void fillSources(QListWidget *list, const QStringList &paths);
    void browseInit(bool folder);

    QString m_projectDirectory;
    QComboBox *m_kind;
    QComboBox *m_preset;
    QTableWidget *m_table;
    QListWidget *m_data;
    QListWidget *m_validation;
    QTabWidget *m_sources = nullptr;
    QLineEdit *m_init;
    QPushButton *m_start;
    QMap<QString, QString> m_edited; ///< key -> value typed by the user
    fa::TrainingConfig m_presetConfig;
    bool m_loading = false;
};

} // namespace fa::ui
