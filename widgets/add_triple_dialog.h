// Dialog for a new triple: head, relation and tail by key, with completion from the project
// (full-text search over entities; relation keys), and the split. Unknown keys are created.
// What it offers is read on a worker, never on the GUI thread.
#pragma once

#include <QDialog>
#include <memory>

#include "read_worker.h"
#include "store/records.h"

class QComboBox;
class QLineEdit;

namespace kg {
class Project;
}

namespace kgw {

class AddTripleDialog : public QDialog {
    Q_OBJECT
public:
    AddTripleDialog(std::shared_ptr<kg::Project> project, QWidget* parent = nullptr);
    void setHead(const QString& key);
    QString head() const;
    QString relation() const;
    QString tail() const;
    kg::Split split() const;
    QLineEdit* headEdit() const { return head_; }
    QLineEdit* tailEdit() const { return tail_; }
    QComboBox* relationBox() const { return relation_; }
    // The relation keys have not landed yet.
    bool loadingRelations() const { return loadingRelations_; }

private:
    std::shared_ptr<kg::Project> project_;
    QLineEdit* head_;
    QComboBox* relation_;
    QLineEdit* tail_;
    QComboBox* split_;
    bool loadingRelations_ = false;
    ReadWorker reads_{QStringLiteral("kgwb-add-triple")}; // last: joins before the rest goes
};

} // namespace kgw
