// Lazy, chunked table of a project's triples (DB Browser style): rows are fetched from SQLite
// in chunks with keyset paging as the view scrolls, and entity/relation names are cached.
// Lives on the GUI thread and reads through its own kg::Project connection.
#pragma once

#include <QAbstractTableModel>
#include <QHash>
#include <memory>
#include <vector>

#include "store/project.h"

namespace kgw {

class TripleTableModel : public QAbstractTableModel {
    Q_OBJECT
public:
    enum Column { Head, Relation, Tail, Split, ColumnCount };
    enum Role { TripleIdRole = Qt::UserRole + 1, EntityIdRole };
    static constexpr int kChunk = 512;

    explicit TripleTableModel(QObject* parent = nullptr);
    // Replaces the data source (nullptr clears the table).
    void setProject(std::shared_ptr<kg::Project> project);
    // Re-reads the total count and drops cached rows (after imports or edits).
    void reload();

    int rowCount(const QModelIndex& parent = {}) const override;
    int columnCount(const QModelIndex& parent = {}) const override;
    QVariant data(const QModelIndex& index, int role) const override;
    QVariant headerData(int section, Qt::Orientation o, int role) const override;
    bool canFetchMore(const QModelIndex& parent) const override;
    void fetchMore(const QModelIndex& parent) override;

    qint64 totalTriples() const { return total_; }
    kg::TripleRecord tripleAt(int row) const { return rows_.at(static_cast<size_t>(row)); }

private:
    QString entityName(qint64 id) const;
    QString relationName(qint64 id) const;

    std::shared_ptr<kg::Project> project_;
    std::vector<kg::TripleRecord> rows_;
    qint64 total_ = 0;
    mutable QHash<qint64, QString> entityNames_;
    mutable QHash<qint64, QString> relationNames_;
};

} // namespace kgw
