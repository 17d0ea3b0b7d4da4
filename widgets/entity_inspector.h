// Read-only panel describing one entity: label, key, description, and its relations with
// outgoing/incoming counts.
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

private:
    std::shared_ptr<kg::Project> project_;
    qint64 entity_ = 0;
    QLabel* title_;
    QLabel* key_;
    QLabel* description_;
    QTableWidget* table_;
};

} // namespace kgw
