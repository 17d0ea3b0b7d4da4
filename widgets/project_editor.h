// Edits of the open project as QUndoCommands. Each command's first redo() performs the edit
// through the engine (which logs it persistently); later undo()/redo() replay the engine's
// edit log, so the QUndoStack and the project's history stay in step. Edits made in earlier
// sessions appear on the stack too (and can be undone), because the log survives restarts.
//
// Contract: while a project is set, every edit must go through this class.
#pragma once

#include <QObject>
#include <QUndoStack>
#include <memory>

#include "store/records.h"

namespace kg {
class Project;
}

namespace kgw {

class ProjectEditor : public QObject {
    Q_OBJECT
public:
    explicit ProjectEditor(QObject* parent = nullptr);
    void setProject(std::shared_ptr<kg::Project> project); // loads the applied history
    QUndoStack* stack() const { return stack_; }

    // Each returns false (and emits failed()) if the engine refused the edit.
    bool addTriple(qint64 head, qint64 relation, qint64 tail, kg::Split split = kg::Split::Train);
    // Adds entities/relation by key when missing, then the triple (one undo step per part).
    bool addTripleByKeys(const QString& head, const QString& relation, const QString& tail,
                         kg::Split split = kg::Split::Train);
    bool deleteTriple(qint64 triple);
    bool renameEntity(qint64 entity, const QString& label);
    bool deleteEntity(qint64 entity);
    // Review of candidate triples extracted from text (store/candidate_store.h): accepting
    // adds the candidate's triple, or the edited one (non-zero head/relation/tail).
    bool acceptCandidate(qint64 candidate, qint64 head = 0, qint64 relation = 0, qint64 tail = 0);
    bool rejectCandidate(qint64 candidate);
    // Accepts every pending candidate scoring >= minScore as one edit; returns how many
    // (-1 if the engine refused).
    qint64 acceptCandidatesAbove(double minScore);

Q_SIGNALS:
    void changed(); // after any edit, undo or redo
    void failed(const QString& message);

private:
    class Command;
    bool run(const QString& text, const std::function<void()>& edit);

    std::shared_ptr<kg::Project> project_;
    QUndoStack* stack_;
};

} // namespace kgw
