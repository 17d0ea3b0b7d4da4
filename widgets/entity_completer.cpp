#include "entity_completer.h"

#include <QCompleter>
#include <QLineEdit>
#include <QStringListModel>

#include "qt_convert.h"
#include "store/project.h"

namespace kgw {

void attachEntityCompleter(QLineEdit* edit, std::function<std::shared_ptr<kg::Project>()> project)
{
    auto* model = new QStringListModel(edit);
    auto* completer = new QCompleter(model, edit);
    completer->setCaseSensitivity(Qt::CaseInsensitive);
    completer->setFilterMode(Qt::MatchContains);
    edit->setCompleter(completer);
    QObject::connect(edit, &QLineEdit::textEdited, edit, [model, project = std::move(project)](const QString& text) {
        const auto p = project();
        if (!p || text.trimmed().size() < 2)
            return;
        QStringList keys;
        for (const auto& e : p->searchEntities(ss(text), 15))
            keys << qs(e.key);
        model->setStringList(keys);
    });
}

} // namespace kgw
