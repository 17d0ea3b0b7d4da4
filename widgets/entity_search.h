// Entity search box with completion over the project's FTS5 index, plus a result list.
// Queries are debounced and run on the GUI thread (an FTS lookup takes well under 10 ms).
#pragma once

#include <QWidget>
#include <memory>

class QLineEdit;
class QListWidget;
class QStringListModel;
class QTimer;
class QLabel;

namespace kg {
class Project;
}

namespace kgw {

class EntitySearch : public QWidget {
    Q_OBJECT
public:
    explicit EntitySearch(QWidget* parent = nullptr);
    void setProject(std::shared_ptr<kg::Project> project);
    QLineEdit* lineEdit() const { return edit_; }
    QListWidget* results() const { return list_; }
    // Runs the pending query now (tests and Enter key).
    void searchNow();

Q_SIGNALS:
    void entityActivated(qint64 entityId);

private:
    std::shared_ptr<kg::Project> project_;
    QLineEdit* edit_;
    QListWidget* list_;
    QLabel* status_;
    QStringListModel* completions_;
    QTimer* debounce_;
};

} // namespace kgw
