// kgwb edit: scripted edits through the same undoable API the GUI uses.
#include <cstdio>
#include <stdexcept>

#include "args.h"
#include "core/error.h"
#include "store/project.h"

namespace kgcli {
namespace {

int64_t entityId(kg::Project& p, const std::string& key)
{
    auto e = p.entityByKey(key);
    if (!e)
        throw kg::Error(kg::Errc::NotFound, "no entity with key '" + key + "'");
    return e->id;
}

} // namespace

int runEdit(int argc, char** argv)
{
    Args args(argc, argv, 2, {"split"}, {});
    const auto& pos = args.positional();
    if (pos.size() < 2)
        throw UsageError("edit needs a PROJECT and an action");
    auto project = kg::Project::open(pos[0], kg::Project::OpenMode::MustExist);
    const std::string& action = pos[1];
    auto need = [&](size_t n) {
        if (pos.size() < n + 2)
            throw UsageError("edit " + action + " needs " + std::to_string(n) + " argument(s)");
    };
    if (action == "add-entity") {
        need(1);
        const int64_t id = project->addEntity(pos[2], pos.size() > 3 ? pos[3] : "");
        std::printf("added entity %lld\n", static_cast<long long>(id));
    } else if (action == "add-relation") {
        need(1);
        const int64_t id = project->addRelation(pos[2], pos.size() > 3 ? pos[3] : "");
        std::printf("added relation %lld\n", static_cast<long long>(id));
    } else if (action == "add-triple") {
        need(3);
        auto rel = project->relationByKey(pos[3]);
        if (!rel)
            throw kg::Error(kg::Errc::NotFound, "no relation with key '" + pos[3] + "'");
        kg::Split split = kg::Split::Train;
        if (auto s = args.value("split")) {
            auto parsed = kg::parseSplit(*s);
            if (!parsed)
                throw UsageError("--split must be train, valid or test");
            split = *parsed;
        }
        const int64_t id = project->addTriple(entityId(*project, pos[2]), rel->id,
                                              entityId(*project, pos[4]), split);
        std::printf("added triple %lld\n", static_cast<long long>(id));
    } else if (action == "delete-triple") {
        need(1);
        int64_t id = 0;
        try {
            size_t used = 0;
            id = std::stoll(pos[2], &used);
            if (used != pos[2].size())
                throw std::invalid_argument("trailing characters");
        } catch (const std::exception&) {
            throw UsageError("delete-triple takes a triple id (a number), not '" + pos[2] + "'");
        }
        project->deleteTriple(id);
        std::printf("deleted triple %s\n", pos[2].c_str());
    } else if (action == "rename") {
        need(2);
        project->renameEntity(entityId(*project, pos[2]), pos[3]);
        std::printf("renamed\n");
    } else if (action == "delete-entity") {
        need(1);
        project->deleteEntity(entityId(*project, pos[2]));
        std::printf("deleted entity %s\n", pos[2].c_str());
    } else if (action == "undo" || action == "redo") {
        const std::string what = action == "undo" ? project->undo() : project->redo();
        std::printf(what.empty() ? "nothing to %s\n" : "%s: %s\n", action.c_str(), what.c_str());
    } else if (action == "history") {
        for (const auto& g : project->history())
            std::printf("%4lld %-8s %s\n", static_cast<long long>(g.group),
                        g.applied ? "done" : "undone", g.summary.c_str());
    } else {
        throw UsageError("unknown edit action '" + action + "'");
    }
    return Ok;
}

} // namespace kgcli
