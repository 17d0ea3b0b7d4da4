#include "entity_inspector.h"

#include <QHeaderView>
#include <QLabel>
#include <QTableWidget>
#include <QVBoxLayout>

#include "qt_convert.h"
#include "store/candidate_store.h"
#include "store/project.h"

namespace kgw {

struct EntityInspector::View {
    struct Relation {
        QString name;
        qint64 outgoing = 0, incoming = 0;
    };
    struct Accepted { // a triple accepted from text
        QString head, relation, tail, decided, evidence, document;
        double score = 0;
        qint64 run = 0;
    };
    bool found = false;
    QString title, key, description;
    std::vector<Relation> relations;
    std::vector<Accepted> accepted; // the newest five
    QString error;
};

EntityInspector::EntityInspector(QWidget* parent)
    : QWidget(parent)
    , title_(new QLabel(this))
    , key_(new QLabel(this))
    , description_(new QLabel(this))
    , table_(new QTableWidget(0, 3, this))
    , provenance_(new QLabel(this))
{
    provenance_->setWordWrap(true);
    provenance_->setTextFormat(Qt::RichText);
    QFont big = title_->font();
    big.setPointSizeF(big.pointSizeF() * 1.4);
    big.setBold(true);
    title_->setFont(big);
    key_->setTextInteractionFlags(Qt::TextSelectableByMouse);
    description_->setWordWrap(true);
    // Short count headers leave the panel's width to the relation names; tooltips say more.
    table_->setHorizontalHeaderLabels({tr("Relation"), tr("Out"), tr("In")});
    table_->horizontalHeaderItem(1)->setToolTip(tr("Triples with this entity as head"));
    table_->horizontalHeaderItem(2)->setToolTip(tr("Triples with this entity as tail"));
    table_->horizontalHeader()->setSectionResizeMode(QHeaderView::ResizeToContents);
    table_->horizontalHeader()->setSectionResizeMode(0, QHeaderView::Stretch);
    table_->horizontalHeader()->setMinimumSectionSize(40);
    table_->setWordWrap(false);
    table_->verticalHeader()->hide();
    table_->setEditTriggers(QAbstractItemView::NoEditTriggers);
    auto* layout = new QVBoxLayout(this);
    layout->addWidget(title_);
    layout->addWidget(key_);
    layout->addWidget(description_);
    layout->addWidget(table_, 1);
    layout->addWidget(provenance_);
    title_->setText(tr("No entity selected"));
}

EntityInspector::~EntityInspector()
{
    ++token_; // reads still on their way are dropped (reads_ joins after this)
}

void EntityInspector::setProject(std::shared_ptr<kg::Project> project)
{
    path_ = project ? project->path() : std::string();
    entity_ = 0;
    landed_ = ++token_;
    clearView();
}

void EntityInspector::clearView()
{
    title_->setText(tr("No entity selected"));
    key_->clear();
    description_->clear();
    table_->setRowCount(0);
    provenance_->clear();
}

void EntityInspector::showEntity(qint64 id)
{
    if (path_.empty())
        return;
    entity_ = id;
    const quint64 token = ++token_;
    reads_.post<View>(
        this, path_, [id](kg::Project& p, View& out) { readView(p, id, out); },
        [this, token](View view) {
            if (token != token_)
                return; // another entity or project was asked for meanwhile
            landed_ = token;
            apply(view);
        });
}

void EntityInspector::apply(const View& view)
{
    if (!view.found) {
        entity_ = 0;
        clearView();
        if (!view.error.isEmpty())
            description_->setText(tr("Could not read the entity: %1").arg(view.error));
        Q_EMIT shown(0);
        return;
    }
    title_->setText(view.title);
    key_->setText(tr("Key: %1").arg(view.key));
    description_->setText(view.description.isEmpty() ? tr("(no description)") : view.description);
    table_->setRowCount(static_cast<int>(view.relations.size()));
    for (int row = 0; row < static_cast<int>(view.relations.size()); ++row) {
        const auto& c = view.relations[static_cast<size_t>(row)];
        auto* name = new QTableWidgetItem(c.name);
        name->setToolTip(c.name);
        table_->setItem(row, 0, name);
        auto* out = new QTableWidgetItem(QString::number(c.outgoing));
        auto* in = new QTableWidgetItem(QString::number(c.incoming));
        out->setTextAlignment(Qt::AlignRight | Qt::AlignVCenter);
        in->setTextAlignment(Qt::AlignRight | Qt::AlignVCenter);
        table_->setItem(row, 1, out);
        table_->setItem(row, 2, in);
    }
    QString html;
    for (const auto& a : view.accepted) {
        html += QStringLiteral("<p><b>%1</b> %2 <b>%3</b><br/><small>%4</small>")
                    .arg(a.head.toHtmlEscaped(), a.relation.toHtmlEscaped(), a.tail.toHtmlEscaped(),
                         tr("accepted %1 · score %2 · extraction run %3")
                             .arg(a.decided)
                             .arg(a.score, 0, 'f', 3)
                             .arg(a.run ? QString::number(a.run) : tr("none")));
        if (!a.evidence.isEmpty())
            html += QStringLiteral("<br/><small><i>%1</i> — %2</small>").arg(a.evidence.toHtmlEscaped(), a.document.toHtmlEscaped());
        html += QStringLiteral("</p>");
    }
    provenance_->setText(html.isEmpty() ? QString() : tr("<b>From text</b>") + html);
    Q_EMIT shown(entity_);
}

// On the worker thread: what the panel shows of `id`.
void EntityInspector::readView(kg::Project& p, qint64 id, View& out)
{
    const auto e = p.entity(id);
    if (!e)
        return;
    out.found = true;
    out.title = qs(e->displayName());
    out.key = qs(e->key);
    out.description = qs(e->description);
    for (const auto& c : p.relationCounts(id)) {
        const auto r = p.relation(c.relation);
        out.relations.push_back({r ? qs(r->displayName()) : QString(), c.outgoing, c.incoming});
    }
    auto name = [&](int64_t entity) {
        const auto r = p.entity(entity);
        return r ? qs(r->displayName()) : QString::number(entity);
    };
    for (const auto& c : kg::CandidateStore(p).provenance(id)) {
        if (out.accepted.size() == 5)
            break;
        const auto t = p.triple(c.triple);
        if (!t)
            continue;
        const auto rel = p.relation(t->rel);
        View::Accepted a;
        a.head = name(t->head);
        a.relation = rel ? qs(rel->displayName()) : QString();
        a.tail = name(t->tail);
        a.decided = qs(c.decided);
        a.score = c.score;
        a.run = c.run;
        if (!c.evidence.empty()) {
            a.evidence = qs(c.evidence.front().text);
            a.document = qs(c.evidence.front().docName);
        }
        out.accepted.push_back(std::move(a));
    }
}

} // namespace kgw
