// Launch dialog for a training job (KGE or the transformer): preset, model and hyperparameters
// (with tooltips; rows shown for the chosen kind), device (CPU and the CUDA devices LibTorch
// sees), validation schedule and budget. OK runs the engine's TrainConfig::validate() and
// shows its message instead of accepting a bad config.
#pragma once

#include <QDialog>

#include "ml/train_job.h"

class QCheckBox;
class QComboBox;
class QDoubleSpinBox;
class QSpinBox;

namespace kgw {

class LaunchDialog : public QDialog {
    Q_OBJECT
public:
    explicit LaunchDialog(QWidget* parent = nullptr);
    void applyPreset(int index);
    kg::ml::JobSpec spec() const; // checkpoint path left empty for the caller
    void setSpec(const kg::ml::JobSpec& spec);
    // Transformer runs that can initialise a fine-tuning run (id, label).
    void setTransformerRuns(const QList<QPair<qint64, QString>>& runs);
    QComboBox* presets() const { return preset_; }
    QComboBox* initFrom() const { return initFrom_; }
    QComboBox* loraEntities() const { return loraEntities_; }
    QSpinBox* epochs() const { return epochs_; }

private:
    QComboBox *preset_, *model_, *mode_, *loss_, *optimizer_, *reg_, *device_;
    QSpinBox *dim_, *epochs_, *batch_, *negatives_, *evalEvery_, *patience_, *threads_;
    QDoubleSpinBox *lr_, *regWeight_, *gamma_;
    QCheckBox* testAtEnd_;
    QComboBox *stage_, *initFrom_, *loraEntities_, *targets_;
    QSpinBox *layers_, *heads_, *context_, *loraRank_;
    QDoubleSpinBox *headMask_, *dropout_, *lambdaLm_, *lambdaKge_, *lambdaReason_;
    QCheckBox *useText_, *shortcut_;
    QList<QWidget*> transformerRows_, kgeRows_, regRows_;

    void updateVisibleRows();
};

} // namespace kgw
