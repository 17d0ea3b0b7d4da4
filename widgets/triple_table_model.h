// Lazy, chunked table of a project's triples (DB Browser style): rows come from SQLite in
// chunks with keyset paging as the view scrolls. The SQL runs on a worker thread with its own
// connection: the count, and each chunk with the names of the entities and relations new to it, so
// the GUI thread never waits on the database, however large the project. A reload (or another
// project) bumps a token; results of an older token are dropped when they arrive.
#pragma once

#include <QAbstractTableModel>
#include <QHash>
#include <memory>
#include <string>
#include <vector>

#include "store/project.h"
#include "worker_thread.h"

namespace kgw {

class TripleTableModel : public QAbstractTableModel {
    Q_OBJECT
public:
    enum Column { Head, Relation, Tail, Split, ColumnCount };
    enum Role { TripleIdRole = Qt::UserRole + 1, EntityIdRole };
    static constexpr int kChunk = 512;

    explicit TripleTableModel(QObject* parent = nullptr);
    ~TripleTableModel() override;
    // Replaces the data source (nullptr clears the table). Only the project's path is kept:
    // the worker reads through a connection of its own.
    void setProject(const std::shared_ptr<kg::Project>& project);
    // Drops the rows and counts again (after imports or edits); the view then fetches anew.
    void reload();

    int rowCount(const QModelIndex& parent = {}) const override;
    int columnCount(const QModelIndex& parent = {}) const override;
    QVariant data(const QModelIndex& index, int role) const override;
    QVariant headerData(int section, Qt::Orientation o, int role) const override;
    // True until a chunk comes back short; fetchMore asks the worker for the next chunk
    // (once: while one is on its way, further calls do nothing).
    bool canFetchMore(const QModelIndex& parent) const override;
    void fetchMore(const QModelIndex& parent) override;

    // The number of triples, -1 until the worker has counted them.
    qint64 totalTriples() const { return total_; }
    kg::TripleRecord tripleAt(int row) const { return rows_.at(static_cast<size_t>(row)); }
    bool fetching() const { return inFlight_; }

Q_SIGNALS:
    void totalCounted(qint64 total);
    void chunkLoaded(int rows); // after the rows are in the model
    void loadFailed(const QString& error);

private:
    struct Chunk;
    void applyChunk(quint64 token, const Chunk& chunk);

    std::string path_;
    quint64 token_ = 0;
    bool inFlight_ = false, exhausted_ = true;
    std::vector<kg::TripleRecord> rows_;
    qint64 total_ = -1;
    QHash<qint64, QString> entityNames_, relationNames_;
    std::unique_ptr<WorkerThread> worker_ = std::make_unique<WorkerThread>(QStringLiteral("kgwb-triple-table"));
    // What the worker keeps (touched only on its thread): its connection, and which names it
    // has already sent for the current token, so that each is read once per reload.
    struct WorkerState;
    std::shared_ptr<WorkerState> state_;
};

} // namespace kgw
