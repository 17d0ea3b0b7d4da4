#include "entity_completer.h"

#include <QCompleter>
#include <QLineEdit>
#include <QStringList>
#include <QStringListModel>

#include "qt_convert.h"
#include "store/project.h"

namespace kgw {

namespace {

struct Keys {
    QStringList keys;
    QString error;
};

} // namespace

EntityCompleter::EntityCompleter(QLineEdit* edit, std::function<std::shared_ptr<kg::Project>()> project)
    : QObject(edit)
    , edit_(edit)
    , project_(std::move(project))
    , model_(new QStringListModel(this))
    , completer_(new QCompleter(model_, edit))
{
    completer_->setCaseSensitivity(Qt::CaseInsensitive);
    completer_->setFilterMode(Qt::MatchContains);
    edit->setCompleter(completer_);
    connect(edit, &QLineEdit::textEdited, this, &EntityCompleter::complete);
}

void EntityCompleter::complete(const QString& text)
{
    const auto project = project_();
    if (!project || text.trimmed().size() < 2) {
        landed_ = ++token_; // drop anything on its way
        return;
    }
    const quint64 token = ++token_;
    reads_.post<Keys>(
        this, project->path(),
        [query = ss(text)](kg::Project& p, Keys& out) {
            for (const auto& e : p.searchEntities(query, 15))
                out.keys << qs(e.key);
        },
        [this, token](Keys result) {
            if (token != token_)
                return; // newer typing
            landed_ = token;
            if (!result.error.isEmpty())
                return; // no completions; the edit keeps working
            model_->setStringList(result.keys);
            if (edit_->hasFocus() && !result.keys.isEmpty()) {
                completer_->setCompletionPrefix(edit_->text());
                completer_->complete();
            }
        });
}

void attachEntityCompleter(QLineEdit* edit, std::function<std::shared_ptr<kg::Project>()> project)
{
    new EntityCompleter(edit, std::move(project));
}

} // namespace kgw
