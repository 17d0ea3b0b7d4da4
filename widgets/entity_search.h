// Entity search box with completion over the project's FTS5 index, plus a result list.
// Queries are debounced and run on the search's worker thread over its own read-only
// connection (on a 20M-triple project a lookup takes 20-50 ms); a result lands only if no
// later query or project replaced it (stale-result token).
#pragma once

#include <QWidget>
#include <memory>
#include <string>

#include "read_worker.h"

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
    ~EntitySearch() override;
    void setProject(std::shared_ptr<kg::Project> project);
    QLineEdit* lineEdit() const { return edit_; }
    QListWidget* results() const { return list_; }
    // Starts the pending query now (instead of after the typing pause); ends in searched().
    void searchNow();
    // Searches now and opens the best match when the results land (the Enter key).
    void openBestMatch();
    bool busy() const { return landed_ != token_; } // a query is on its way

Q_SIGNALS:
    void entityActivated(qint64 entityId);
    void searched(int matches); // a query's results are in the list

private:
    struct Hit;
    struct Result;
    void show(const QString& text, const Result& result);

    std::string path_;
    QLineEdit* edit_;
    QListWidget* list_;
    QLabel* status_;
    QStringListModel* completions_;
    QTimer* debounce_;
    quint64 token_ = 0, landed_ = 0; // the latest query asked, and the latest landed or dropped
    bool openWhenLanded_ = false;
    // Runs the queries; last member, so it joins first.
    ReadWorker reads_{QStringLiteral("kgwb-search")};
};

} // namespace kgw
