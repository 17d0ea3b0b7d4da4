// Read-only panel describing one entity: label, key, description, its relations with
// outgoing/incoming counts, and where its triples accepted from text came from (document,
// evidence sentence, extraction run, score, decision time).
#pragma once

#include <QWidget>
#include <memory>

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
    void setProject(std::shared_ptr<kg::Project> project);
    void showEntity(qint64 id);
    qint64 entityId() const { return entity_; }
    QTableWidget* relationTable() const { return table_; }
    QLabel* provenance() const { return provenance_; }

private:
    std::shared_ptr<kg::Project> project_;
    qint64 entity_ = 0;
    QLabel* title_;
    QLabel* key_;
    QLabel* description_;
    QTableWidget* table_;
    QLabel* provenance_;
};

} // namespace kgw
