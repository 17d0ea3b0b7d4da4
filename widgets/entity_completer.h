// Completion of entity keys in a line edit, from the project's full-text search (typed text
// of two or more characters; best 15 matches). The search runs on the completer's own read
// worker, never on the GUI thread; a result overtaken by newer typing is dropped.
#pragma once

#include <QObject>
#include <functional>
#include <memory>

#include "read_worker.h"

class QCompleter;
class QLineEdit;
class QStringListModel;

namespace kg {
class Project;
}

namespace kgw {

class EntityCompleter : public QObject {
    Q_OBJECT
public:
    // `project` is asked on every edit, so the completer follows the open project. The
    // completer is a child of `edit`.
    EntityCompleter(QLineEdit* edit, std::function<std::shared_ptr<kg::Project>()> project);
    // A query is on its way (its keys have not landed yet).
    bool busy() const { return landed_ != token_; }

private:
    void complete(const QString& text);

    QLineEdit* edit_;
    std::function<std::shared_ptr<kg::Project>()> project_;
    QStringListModel* model_;
    QCompleter* completer_;
    quint64 token_ = 0, landed_ = 0;
    ReadWorker reads_{QStringLiteral("kgwb-completer")}; // last: joins before the rest goes
};

// Attaches an EntityCompleter to `edit`.
void attachEntityCompleter(QLineEdit* edit, std::function<std::shared_ptr<kg::Project>()> project);

} // namespace kgw
