#include "add_triple_dialog.h"

#include <QComboBox>
#include <QDialogButtonBox>
#include <QFormLayout>
#include <QLineEdit>
#include <QPushButton>
#include <QStringList>

#include "entity_completer.h"
#include "qt_convert.h"
#include "store/project.h"

namespace kgw {

AddTripleDialog::AddTripleDialog(std::shared_ptr<kg::Project> project, QWidget* parent)
    : QDialog(parent)
    , project_(std::move(project))
    , head_(new QLineEdit(this))
    , relation_(new QComboBox(this))
    , tail_(new QLineEdit(this))
    , split_(new QComboBox(this))
{
    setWindowTitle(tr("Add Triple"));
    auto* form = new QFormLayout(this);
    head_->setPlaceholderText(tr("entity key (new keys create an entity)"));
    tail_->setPlaceholderText(tr("entity key (new keys create an entity)"));
    relation_->setEditable(true);
    relation_->setCurrentText(QString());
    if (project_) {
        struct Keys {
            QStringList keys;
            QString error;
        };
        loadingRelations_ = true;
        reads_.post<Keys>(
            this, project_->path(),
            [](kg::Project& p, Keys& out) {
                for (const auto& r : p.relations())
                    out.keys << qs(r.key);
            },
            [this](Keys result) {
                loadingRelations_ = false;
                const QString typed = relation_->currentText(); // what the user typed meanwhile stays
                relation_->addItems(result.keys);
                relation_->setCurrentText(typed);
            });
    }
    split_->addItem(tr("train"), static_cast<int>(kg::Split::Train));
    split_->addItem(tr("valid"), static_cast<int>(kg::Split::Valid));
    split_->addItem(tr("test"), static_cast<int>(kg::Split::Test));
    for (QLineEdit* edit : {head_, tail_})
        attachEntityCompleter(edit, [this] { return project_; });
    form->addRow(tr("Head:"), head_);
    form->addRow(tr("Relation:"), relation_);
    form->addRow(tr("Tail:"), tail_);
    form->addRow(tr("Split:"), split_);
    auto* buttons = new QDialogButtonBox(QDialogButtonBox::Ok | QDialogButtonBox::Cancel, this);
    form->addRow(buttons);
    connect(buttons, &QDialogButtonBox::accepted, this, &QDialog::accept);
    connect(buttons, &QDialogButtonBox::rejected, this, &QDialog::reject);
    auto validate = [this, buttons] {
        buttons->button(QDialogButtonBox::Ok)->setEnabled(!head().isEmpty() && !relation().isEmpty() && !tail().isEmpty());
    };
    connect(head_, &QLineEdit::textChanged, this, validate);
    connect(tail_, &QLineEdit::textChanged, this, validate);
    connect(relation_, &QComboBox::currentTextChanged, this, validate);
    validate();
    resize(420, sizeHint().height());
}

void AddTripleDialog::setHead(const QString& key) { head_->setText(key); }
QString AddTripleDialog::head() const { return head_->text().trimmed(); }
QString AddTripleDialog::relation() const { return relation_->currentText().trimmed(); }
QString AddTripleDialog::tail() const { return tail_->text().trimmed(); }
kg::Split AddTripleDialog::split() const { return static_cast<kg::Split>(split_->currentData().toInt()); }

} // namespace kgw
