#include "project_editor.h"

#include "core/error.h"
#include "qt_convert.h"
#include "store/candidate_store.h"
#include "store/project.h"

namespace kgw {

// First redo() is a no-op when `done` is set (the edit already ran, or came from history).
class ProjectEditor::Command : public QUndoCommand {
public:
    Command(ProjectEditor* editor, const QString& text)
        : QUndoCommand(text)
        , editor_(editor)
    {
    }
    void redo() override
    {
        if (first_) {
            first_ = false;
            return;
        }
        replay(false);
    }
    void undo() override { replay(true); }

private:
    void replay(bool undo)
    {
        try {
            const std::string what = undo ? editor_->project_->undo() : editor_->project_->redo();
            if (what.empty())
                Q_EMIT editor_->failed(ProjectEditor::tr("The project's edit history has nothing to %1.")
                                           .arg(undo ? ProjectEditor::tr("undo") : ProjectEditor::tr("redo")));
        } catch (const kg::Error& e) {
            // The engine refused (e.g. undo would break later data): the stack stops here.
            setObsolete(true);
            Q_EMIT editor_->failed(qs(e.what()));
        }
        Q_EMIT editor_->changed();
    }
    ProjectEditor* editor_;
    bool first_ = true;
};

ProjectEditor::ProjectEditor(QObject* parent)
    : QObject(parent)
    , stack_(new QUndoStack(this))
{
}

void ProjectEditor::setProject(std::shared_ptr<kg::Project> project)
{
    project_ = std::move(project);
    stack_->clear();
    if (!project_)
        return;
    auto history = project_->history(200); // newest first
    std::vector<kg::EditGroupInfo> applied;
    for (const auto& h : history)
        if (h.applied)
            applied.push_back(h);
    for (auto it = applied.rbegin(); it != applied.rend(); ++it)
        stack_->push(new Command(this, qs(it->summary)));
}

bool ProjectEditor::run(const QString& text, const std::function<void()>& edit)
{
    if (!project_)
        return false;
    try {
        edit();
    } catch (const kg::Error& e) {
        Q_EMIT failed(qs(e.what()));
        return false;
    }
    stack_->push(new Command(this, text));
    Q_EMIT changed();
    return true;
}

bool ProjectEditor::addTriple(qint64 head, qint64 relation, qint64 tail, kg::Split split)
{
    return run(tr("add triple"), [&] { project_->addTriple(head, relation, tail, split); });
}

bool ProjectEditor::addTripleByKeys(const QString& head, const QString& relation, const QString& tail,
                                    kg::Split split)
{
    if (!project_)
        return false;
    if (head.trimmed().isEmpty() || relation.trimmed().isEmpty() || tail.trimmed().isEmpty()) {
        Q_EMIT failed(tr("Head, relation and tail must not be empty."));
        return false;
    }
    const auto h = project_->entityByKey(ss(head.trimmed()));
    const auto r = project_->relationByKey(ss(relation.trimmed()));
    const auto t = project_->entityByKey(ss(tail.trimmed()));
    if (h && r && t)
        return addTriple(h->id, r->id, t->id, split);
    stack_->beginMacro(tr("add triple"));
    bool ok = true;
    auto idOf = [&](const std::optional<kg::EntityRecord>& found, const QString& key, bool isRelation) -> qint64 {
        if (found)
            return found->id;
        qint64 id = 0;
        ok = ok && run(isRelation ? tr("add relation") : tr("add entity"), [&] {
            id = isRelation ? project_->addRelation(ss(key.trimmed())) : project_->addEntity(ss(key.trimmed()));
        });
        return id;
    };
    const qint64 hid = idOf(h, head, false);
    const qint64 rid = ok ? idOf(r, relation, true) : 0;
    const qint64 tid = ok ? (t ? t->id : (head.trimmed() == tail.trimmed() ? hid : idOf(t, tail, false))) : 0;
    ok = ok && addTriple(hid, rid, tid, split);
    stack_->endMacro();
    if (!ok)
        stack_->undo(); // roll back the entities/relation added for a triple that was refused
    return ok;
}

bool ProjectEditor::deleteTriple(qint64 triple)
{
    return run(tr("delete triple"), [&] { project_->deleteTriple(triple); });
}

bool ProjectEditor::renameEntity(qint64 entity, const QString& label)
{
    return run(tr("rename entity"), [&] { project_->renameEntity(entity, ss(label)); });
}

bool ProjectEditor::deleteEntity(qint64 entity)
{
    return run(tr("delete entity"), [&] { project_->deleteEntity(entity); });
}

bool ProjectEditor::acceptCandidate(qint64 candidate, qint64 head, qint64 relation, qint64 tail)
{
    return run(tr("accept candidate"), [&] { kg::CandidateStore(*project_).accept(candidate, head, relation, tail); });
}

bool ProjectEditor::rejectCandidate(qint64 candidate)
{
    return run(tr("reject candidate"), [&] { kg::CandidateStore(*project_).reject(candidate); });
}

qint64 ProjectEditor::acceptCandidatesAbove(double minScore)
{
    qint64 n = 0;
    if (!project_)
        return -1;
    try {
        n = kg::CandidateStore(*project_).acceptAbove(minScore);
    } catch (const kg::Error& e) {
        Q_EMIT failed(qs(e.what()));
        return -1;
    }
    if (n > 0) {
        stack_->push(new Command(this, tr("accept %n candidates", nullptr, static_cast<int>(n))));
        Q_EMIT changed();
    }
    return n;
}

} // namespace kgw
