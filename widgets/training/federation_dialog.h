// "Federated Run" window of the Training tab: either starts a whole federation on this
// machine (the coordinator and one silo process per chosen project, `kgwb fed serve/join`
// on loopback, a fresh random salt handed to the silos in their environment), or joins a
// remote coordinator with the open project as the silo. The processes are the engine's one
// entry point (fed/federation.h through the kgwb CLI), so a crash in one never takes the GUI
// down; their output goes to the log and each round's pooled validation MRR to the table.
#pragma once

#include <QDialog>
#include <QList>
#include <QPointer>
#include <functional>
#include <memory>

class QCheckBox;
class QComboBox;
class QDoubleSpinBox;
class QLabel;
class QLineEdit;
class QListWidget;
class QPlainTextEdit;
class QProcess;
class QPushButton;
class QRadioButton;
class QSpinBox;
class QTableWidget;
class QTemporaryDir;

namespace kgw {

class FederationDialog : public QDialog {
    Q_OBJECT
public:
    explicit FederationDialog(QWidget* parent = nullptr);
    ~FederationDialog() override;

    // The open project: the silo for "join", and the first silo offered for a local run.
    void setProjectPath(const QString& path);
    void setCliPath(const QString& path) { cli_ = path; } // default: kgwb next to this program
    void addSilo(const QString& path);

    void start();
    void stop();
    bool running() const;

    QRadioButton* localMode() const { return local_; }
    QRadioButton* joinMode() const { return join_; }
    QSpinBox* rounds() const { return rounds_; }
    QComboBox* model() const { return model_; } // item data: the --model name
    QDoubleSpinBox* learningRate() const { return lr_; }
    // The transformer reads entity labels: silo 1's tokenizer (of this vocabulary size) is
    // first given to every other silo (kgwb tokenizer export, then import), replacing theirs.
    QCheckBox* readText() const { return readText_; }
    QSpinBox* vocabularySize() const { return vocab_; }
    QComboBox* share() const { return share_; }
    QSpinBox* port() const { return port_; }
    QTableWidget* roundTable() const { return table_; }
    QLabel* statusLabel() const { return status_; }

Q_SIGNALS:
    void finished(bool ok);

private:
    void onOutput(QProcess* p, bool coordinator);
    void onExit(QProcess* p, bool coordinator, int code);
    void updateMode();
    QProcess* launch(const QStringList& args, const QString& salt, bool coordinator);
    // Runs kgwb with each of `steps` in turn, then `then`; a step that fails ends the start.
    void prepare(QList<QStringList> steps, const std::function<void()>& then);
    // The coordinator and one silo process per project; `readText`: with --use-text.
    void startFederation(const QStringList& silos, bool readText);

    QString cli_, projectPath_;
    QRadioButton *local_, *join_;
    QListWidget* silos_;
    QPushButton *addSilo_, *removeSilo_, *start_, *stop_;
    QComboBox *model_, *share_;
    QSpinBox *dim_, *rounds_, *localEpochs_, *port_, *rank_, *vocab_;
    QDoubleSpinBox *lr_, *dpNoise_;
    QCheckBox *secure_, *continueOnFailure_, *readText_;
    std::unique_ptr<QTemporaryDir> tokenizerDir_; // silo 1's tokenizer on its way to the others
    QLineEdit *server_, *salt_;
    QLabel *joinSilo_, *status_;
    QTableWidget* table_;
    QPlainTextEdit* log_;
    QList<QPointer<QProcess>> processes_;
    QString lastError_;
    bool failed_ = false, stopping_ = false;
};

} // namespace kgw
