// Read-only panel describing one entity: label, key, description, its relations with
// outgoing/incoming counts, and where its triples accepted from text came from (document,
// evidence sentence, extraction run, score, decision time).
//
// Threading: GUI thread; what it shows is read on the inspector's worker thread over its own
// read-only connection and lands with a stale-result token (the latest showEntity() wins).
#pragma once

#include <QWidget>
#include <memory>
#include <string>

#include "read_worker.h"

class QLabel;
class QTableWidget;

namespace kg {
class Project;
}

namespace kgw {

class EntityInspector : public QWidget {
    Q_OBJECT
public:
    explicit EntityInspector(QWidget* parent = nullptr);
    ~EntityInspector() override;
    void setProject(std::shared_ptr<kg::Project> project);
    // Reads the entity on the worker; the panel shows it when the read lands (or empties if
    // the project no longer has it). entityId() is the entity asked for from the call on.
    void showEntity(qint64 id);
    qint64 entityId() const { return entity_; }
    bool busy() const { return landed_ != token_; } // a read is on its way
    QTableWidget* relationTable() const { return table_; }
    QLabel* provenance() const { return provenance_; }

Q_SIGNALS:
    void shown(qint64 entity); // the panel now shows it (0: the entity is gone)

private:
    struct View;
    static void readView(kg::Project& project, qint64 id, View& out); // on the worker
    void clearView();
    void apply(const View& view);

    std::string path_;
    qint64 entity_ = 0;
    quint64 token_ = 0, landed_ = 0;
    QLabel* title_;
    QLabel* key_;
    QLabel* description_;
    QTableWidget* table_;
    QLabel* provenance_;
    // Runs the reads; last member, so it joins first.
    ReadWorker reads_{QStringLiteral("kgwb-inspector")};
};

} // namespace kgw
