#include "entity_search.h"

#include <QCompleter>
#include <QLabel>
#include <QLineEdit>
#include <QListWidget>
#include <QStringListModel>
#include <QTimer>
#include <QVBoxLayout>

#include "qt_convert.h"
#include "store/project.h"

namespace kgw {

EntitySearch::EntitySearch(QWidget* parent)
    : QWidget(parent)
    , edit_(new QLineEdit(this))
    , list_(new QListWidget(this))
    , status_(new QLabel(this))
    , completions_(new QStringListModel(this))
    , debounce_(new QTimer(this))
{
    edit_->setPlaceholderText(tr("Search entities by label, description or key…"));
    edit_->setClearButtonEnabled(true);
    auto* completer = new QCompleter(completions_, this);
    completer->setCaseSensitivity(Qt::CaseInsensitive);
    completer->setFilterMode(Qt::MatchContains);
    edit_->setCompleter(completer);
    debounce_->setSingleShot(true);
    debounce_->setInterval(150);
    status_->setWordWrap(true);

    auto* layout = new QVBoxLayout(this);
    layout->setContentsMargins(4, 4, 4, 4);
    layout->addWidget(edit_);
    layout->addWidget(status_);
    layout->addWidget(list_, 1);

    connect(edit_, &QLineEdit::textChanged, debounce_, qOverload<>(&QTimer::start));
    connect(edit_, &QLineEdit::returnPressed, this, [this] { // Enter opens the best match
        searchNow();
        if (list_->count() == 0)
            return;
        if (list_->currentRow() != 0)
            list_->setCurrentRow(0); // emits entityActivated
        else
            Q_EMIT entityActivated(list_->item(0)->data(Qt::UserRole).toLongLong());
    });
    connect(debounce_, &QTimer::timeout, this, &EntitySearch::searchNow);
    connect(list_, &QListWidget::itemActivated, this, [this](QListWidgetItem* item) {
        Q_EMIT entityActivated(item->data(Qt::UserRole).toLongLong());
    });
    connect(list_, &QListWidget::currentItemChanged, this, [this](QListWidgetItem* item) {
        if (item)
            Q_EMIT entityActivated(item->data(Qt::UserRole).toLongLong());
    });
    connect(completer, qOverload<const QString&>(&QCompleter::activated), this,
            [this](const QString&) { searchNow(); });
}

void EntitySearch::setProject(std::shared_ptr<kg::Project> project)
{
    project_ = std::move(project);
    list_->clear();
    status_->clear();
    if (!edit_->text().isEmpty())
        searchNow();
}

void EntitySearch::searchNow()
{
    debounce_->stop();
    list_->clear();
    const QString text = edit_->text().trimmed();
    if (!project_ || text.isEmpty()) {
        status_->clear();
        return;
    }
    const auto hits = project_->searchEntities(ss(text), 50);
    QStringList names;
    for (const auto& e : hits) {
        auto* item = new QListWidgetItem(qs(e.displayName()), list_);
        item->setData(Qt::UserRole, QVariant::fromValue<qint64>(e.id));
        item->setToolTip(e.description.empty() ? qs(e.key)
                                               : qs(e.key) + QStringLiteral("\n") + qs(e.description));
        names << qs(e.displayName());
    }
    completions_->setStringList(names);
    status_->setText(hits.empty() ? tr("No entity matches “%1”.").arg(text)
                                  : tr("%n match(es)", nullptr, static_cast<int>(hits.size())));
}

} // namespace kgw
