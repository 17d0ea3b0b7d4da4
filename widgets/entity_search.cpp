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

struct EntitySearch::Hit {
    qint64 id = 0;
    QString name, tooltip;
};

struct EntitySearch::Result {
    std::vector<Hit> hits;
    QString error;
};

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
    connect(edit_, &QLineEdit::returnPressed, this, &EntitySearch::openBestMatch);
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

EntitySearch::~EntitySearch()
{
    ++token_; // results still on their way are dropped (reads_ joins after this)
}

void EntitySearch::setProject(std::shared_ptr<kg::Project> project)
{
    path_ = project ? project->path() : std::string();
    ++token_;
    landed_ = token_; // nothing on its way counts any more
    list_->clear();
    status_->clear();
    if (!edit_->text().isEmpty())
        searchNow();
}

void EntitySearch::openBestMatch()
{
    openWhenLanded_ = true;
    searchNow();
}

void EntitySearch::searchNow()
{
    debounce_->stop();
    const QString text = edit_->text().trimmed();
    const quint64 token = ++token_;
    if (path_.empty() || text.isEmpty()) {
        landed_ = token;
        openWhenLanded_ = false;
        list_->clear();
        status_->clear();
        return;
    }
    reads_.post<Result>(
        this, path_,
        [text](kg::Project& p, Result& out) {
            for (const auto& e : p.searchEntities(ss(text), 50))
                out.hits.push_back({e.id, qs(e.displayName()),
                                    e.description.empty() ? qs(e.key) : qs(e.key) + QStringLiteral("\n") + qs(e.description)});
        },
        [this, token, text](Result r) {
            if (token != token_)
                return; // a later query or project replaced it
            landed_ = token;
            show(text, r);
        });
}

void EntitySearch::show(const QString& text, const Result& result)
{
    const auto& hits = result.hits;
    list_->clear();
    QStringList names;
    for (const auto& h : hits) {
        auto* item = new QListWidgetItem(h.name, list_);
        item->setData(Qt::UserRole, QVariant::fromValue<qint64>(h.id));
        item->setToolTip(h.tooltip);
        names << h.name;
    }
    completions_->setStringList(names);
    if (!result.error.isEmpty())
        status_->setText(tr("Search failed: %1").arg(result.error));
    else
        status_->setText(hits.empty() ? tr("No entity matches “%1”.").arg(text)
                                      : tr("%n match(es)", nullptr, static_cast<int>(hits.size())));
    const bool open = openWhenLanded_;
    openWhenLanded_ = false;
    Q_EMIT searched(static_cast<int>(hits.size()));
    if (open && list_->count() > 0) {
        if (list_->currentRow() != 0)
            list_->setCurrentRow(0); // emits entityActivated
        else
            Q_EMIT entityActivated(list_->item(0)->data(Qt::UserRole).toLongLong());
    }
}

} // namespace kgw
