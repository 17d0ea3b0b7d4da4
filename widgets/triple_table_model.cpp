#include "triple_table_model.h"

#include "qt_convert.h"

namespace kgw {

TripleTableModel::TripleTableModel(QObject* parent)
    : QAbstractTableModel(parent)
{
}

void TripleTableModel::setProject(std::shared_ptr<kg::Project> project)
{
    project_ = std::move(project);
    reload();
}

void TripleTableModel::reload()
{
    beginResetModel();
    rows_.clear();
    entityNames_.clear();
    relationNames_.clear();
    total_ = project_ ? project_->tripleCount() : 0;
    endResetModel();
}

int TripleTableModel::rowCount(const QModelIndex& parent) const
{
    return parent.isValid() ? 0 : static_cast<int>(rows_.size());
}

int TripleTableModel::columnCount(const QModelIndex& parent) const
{
    return parent.isValid() ? 0 : ColumnCount;
}

bool TripleTableModel::canFetchMore(const QModelIndex& parent) const
{
    return !parent.isValid() && project_ && static_cast<qint64>(rows_.size()) < total_;
}

void TripleTableModel::fetchMore(const QModelIndex& parent)
{
    if (!canFetchMore(parent))
        return;
    const int64_t after = rows_.empty() ? 0 : rows_.back().id;
    auto chunk = project_->triplesAfter(after, kChunk);
    if (chunk.empty()) {
        total_ = static_cast<qint64>(rows_.size()); // rows were deleted meanwhile
        return;
    }
    const int first = static_cast<int>(rows_.size());
    beginInsertRows({}, first, first + static_cast<int>(chunk.size()) - 1);
    rows_.insert(rows_.end(), chunk.begin(), chunk.end());
    endInsertRows();
}

QString TripleTableModel::entityName(qint64 id) const
{
    auto it = entityNames_.constFind(id);
    if (it != entityNames_.constEnd())
        return *it;
    auto e = project_->entity(id);
    const QString name = e ? qs(e->displayName()) : QStringLiteral("#%1").arg(id);
    entityNames_.insert(id, name);
    return name;
}

QString TripleTableModel::relationName(qint64 id) const
{
    auto it = relationNames_.constFind(id);
    if (it != relationNames_.constEnd())
        return *it;
    auto r = project_->relation(id);
    const QString name = r ? qs(r->displayName()) : QStringLiteral("#%1").arg(id);
    relationNames_.insert(id, name);
    return name;
}

QVariant TripleTableModel::data(const QModelIndex& index, int role) const
{
    if (!index.isValid() || index.row() >= static_cast<int>(rows_.size()))
        return {};
    const kg::TripleRecord& t = rows_[static_cast<size_t>(index.row())];
    if (role == TripleIdRole)
        return QVariant::fromValue<qint64>(t.id);
    if (role == EntityIdRole) {
        if (index.column() == Head)
            return QVariant::fromValue<qint64>(t.head);
        if (index.column() == Tail)
            return QVariant::fromValue<qint64>(t.tail);
        return {};
    }
    if (role != Qt::DisplayRole && role != Qt::ToolTipRole)
        return {};
    switch (index.column()) {
    case Head: return entityName(t.head);
    case Relation: return relationName(t.rel);
    case Tail: return entityName(t.tail);
    case Split:
        switch (t.split) {
        case kg::Split::Train: return tr("train");
        case kg::Split::Valid: return tr("valid");
        case kg::Split::Test: return tr("test");
        }
    }
    return {};
}

QVariant TripleTableModel::headerData(int section, Qt::Orientation o, int role) const
{
    if (role != Qt::DisplayRole)
        return {};
    if (o == Qt::Vertical)
        return section + 1;
    switch (section) {
    case Head: return tr("Head");
    case Relation: return tr("Relation");
    case Tail: return tr("Tail");
    case Split: return tr("Split");
    }
    return {};
}

} // namespace kgw
