#include "entity_inspector.h"

#include <QHeaderView>
#include <QLabel>
#include <QTableWidget>
#include <QVBoxLayout>

#include "qt_convert.h"
#include "store/candidate_store.h"
#include "store/project.h"

namespace kgw {

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
    table_->setHorizontalHeaderLabels({tr("Relation"), tr("Outgoing"), tr("Incoming")});
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

void EntityInspector::setProject(std::shared_ptr<kg::Project> project)
{
    project_ = std::move(project);
    entity_ = 0;
    title_->setText(tr("No entity selected"));
    key_->clear();
    description_->clear();
    table_->setRowCount(0);
    provenance_->clear();
}

void EntityInspector::showEntity(qint64 id)
{
    if (!project_)
        return;
    auto e = project_->entity(id);
    if (!e) {
        setProject(project_);
        return;
    }
    entity_ = id;
    title_->setText(qs(e->displayName()));
    key_->setText(tr("Key: %1").arg(qs(e->key)));
    description_->setText(e->description.empty() ? tr("(no description)") : qs(e->description));
    const auto counts = project_->relationCounts(id);
    table_->setRowCount(static_cast<int>(counts.size()));
    for (int row = 0; row < static_cast<int>(counts.size()); ++row) {
        const auto& c = counts[static_cast<size_t>(row)];
        auto r = project_->relation(c.relation);
        table_->setItem(row, 0, new QTableWidgetItem(r ? qs(r->displayName()) : QString()));
        auto* out = new QTableWidgetItem(QString::number(c.outgoing));
        auto* in = new QTableWidgetItem(QString::number(c.incoming));
        out->setTextAlignment(Qt::AlignRight | Qt::AlignVCenter);
        in->setTextAlignment(Qt::AlignRight | Qt::AlignVCenter);
        table_->setItem(row, 1, out);
        table_->setItem(row, 2, in);
    }
    // Triples accepted from text: the newest five, each with its evidence.
    const auto accepted = kg::CandidateStore(*project_).provenance(id);
    QString html;
    for (size_t i = 0; i < accepted.size() && i < 5; ++i) {
        const auto& c = accepted[i];
        const auto t = project_->triple(c.triple);
        if (!t)
            continue;
        auto name = [&](int64_t e) {
            const auto r = project_->entity(e);
            return r ? qs(r->displayName()).toHtmlEscaped() : QString::number(e);
        };
        const auto rel = project_->relation(t->rel);
        html += QStringLiteral("<p><b>%1</b> %2 <b>%3</b><br/><small>%4</small>")
                    .arg(name(t->head), rel ? qs(rel->displayName()).toHtmlEscaped() : QString(), name(t->tail),
                         tr("accepted %1 · score %2 · extraction run %3")
                             .arg(qs(c.decided))
                             .arg(c.score, 0, 'f', 3)
                             .arg(c.run ? QString::number(c.run) : tr("none")));
        if (!c.evidence.empty())
            html += QStringLiteral("<br/><small><i>%1</i> — %2</small>")
                        .arg(qs(c.evidence.front().text).toHtmlEscaped(), qs(c.evidence.front().docName).toHtmlEscaped());
        html += QStringLiteral("</p>");
    }
    provenance_->setText(html.isEmpty() ? QString() : tr("<b>From text</b>") + html);
}

} // namespace kgw
