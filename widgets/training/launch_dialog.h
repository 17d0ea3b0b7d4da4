// Launch dialog for a KGE training job: preset, model and hyperparameters (with tooltips),
// device (CPU and the CUDA devices LibTorch sees), validation schedule and budget (epochs).
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
    QComboBox* presets() const { return preset_; }
    QSpinBox* epochs() const { return epochs_; }

private:
    QComboBox *preset_, *model_, *mode_, *loss_, *optimizer_, *reg_, *device_;
    QSpinBox *dim_, *epochs_, *batch_, *negatives_, *evalEvery_, *patience_, *threads_;
    QDoubleSpinBox *lr_, *regWeight_, *gamma_;
    QCheckBox* testAtEnd_;
};

} // namespace kgw
