#include "triple_table_model.h"

#include <QSet>

#include "qt_convert.h"
#include "read_connection.h"

namespace kgw {

struct TripleTableModel::Chunk {
    std::vector<kg::TripleRecord> rows;
    QHash<qint64, QString> entityNames, relationNames;
    QString error;
};

struct TripleTableModel::WorkerState {
    ReadConnection connection;
    quint64 namesToken = 0;                        // the reload the sets below belong to
    QSet<qint64> entitiesSent, relationsSent;      // names already in the model for it

    kg::Project& open(const std::string& path) { return connection.open(path); }
};

TripleTableModel::TripleTableModel(QObject* parent)
    : QAbstractTableModel(parent)
    , state_(std::make_shared<WorkerState>())
{
}

TripleTableModel::~TripleTableModel()
{
    ++token_; // results still on their way are dropped
    worker_->post([state = state_] { state->connection.reset(); }); // closed on its own thread
    worker_->stop();
}

void TripleTableModel::setProject(const std::shared_ptr<kg::Project>& project)
{
    path_ = project ? project->path() : std::string();
    reload();
}

void TripleTableModel::reload()
{
    beginResetModel();
    const quint64 token = ++token_;
    rows_.clear();
    entityNames_.clear();
    relationNames_.clear();
    inFlight_ = false;
    exhausted_ = path_.empty();
    total_ = path_.empty() ? 0 : -1;
    endResetModel();
    if (path_.empty())
        return;
    worker_->post([this, token, path = path_, state = state_] {
        qint64 total = -1;
        QString error;
        try {
            total = state->open(path).tripleCount();
        } catch (const std::exception& e) {
            error = QString::fromUtf8(e.what());
        }
        QMetaObject::invokeMethod(
            this,
            [this, token, total, error] {
                if (token != token_)
                    return;
                if (!error.isEmpty()) {
                    Q_EMIT loadFailed(error);
                    return;
                }
                total_ = total;
                Q_EMIT totalCounted(total);
            },
            Qt::QueuedConnection);
    });
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
    return !parent.isValid() && !exhausted_;
}

void TripleTableModel::fetchMore(const QModelIndex& parent)
{
    if (!canFetchMore(parent) || inFlight_)
        return;
    inFlight_ = true;
    const quint64 token = token_;
    const int64_t after = rows_.empty() ? 0 : rows_.back().id;
    worker_->post([this, token, after, path = path_, state = state_] {
        Chunk chunk;
        try {
            kg::Project& p = state->open(path);
            chunk.rows = p.triplesAfter(after, kChunk);
            if (state->namesToken != token) { // a reload: the model's names were dropped
                state->namesToken = token;
                state->entitiesSent.clear();
                state->relationsSent.clear();
            }
            // Only names the model does not have yet (chunks of one token arrive in order).
            // Unknown ids get none: data() shows them as #id.
            for (const auto& t : chunk.rows) {
                for (const int64_t e : {t.head, t.tail})
                    if (!state->entitiesSent.contains(e)) {
                        state->entitiesSent.insert(e);
                        if (const auto r = p.entity(e))
                            chunk.entityNames.insert(e, qs(r->displayName()));
                    }
                if (!state->relationsSent.contains(t.rel)) {
                    state->relationsSent.insert(t.rel);
                    if (const auto r = p.relation(t.rel))
                        chunk.relationNames.insert(t.rel, qs(r->displayName()));
                }
            }
        } catch (const std::exception& e) {
            chunk.error = QString::fromUtf8(e.what());
        }
        QMetaObject::invokeMethod(
            this, [this, token, chunk = std::move(chunk)] { applyChunk(token, chunk); }, Qt::QueuedConnection);
    });
}

void TripleTableModel::applyChunk(quint64 token, const Chunk& chunk)
{
    if (token != token_)
        return; // fetched for an older reload
    inFlight_ = false;
    if (!chunk.error.isEmpty()) {
        exhausted_ = true;
        Q_EMIT loadFailed(chunk.error);
        return;
    }
    if (static_cast<int>(chunk.rows.size()) < kChunk)
        exhausted_ = true;
    if (!chunk.rows.empty()) {
        entityNames_.insert(chunk.entityNames);
        relationNames_.insert(chunk.relationNames);
        const int first = static_cast<int>(rows_.size());
        beginInsertRows({}, first, first + static_cast<int>(chunk.rows.size()) - 1);
        rows_.insert(rows_.end(), chunk.rows.begin(), chunk.rows.end());
        endInsertRows();
    }
    Q_EMIT chunkLoaded(static_cast<int>(chunk.rows.size()));
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
    case Head: return entityNames_.value(t.head, QStringLiteral("#%1").arg(t.head));
    case Relation: return relationNames_.value(t.rel, QStringLiteral("#%1").arg(t.rel));
    case Tail: return entityNames_.value(t.tail, QStringLiteral("#%1").arg(t.tail));
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
