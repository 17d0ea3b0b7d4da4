// kgwb silo split: one project into FedE-style silos (fed/silo_split.h).
#include <cstdio>

#include "args.h"
#include "fed/silo_split.h"
#include "store/project.h"

namespace kgcli {

int runSilo(int argc, char** argv)
{
    Args args(argc, argv, 2, {"clients", "by", "out", "seed"}, {"quiet"});
    const auto& pos = args.positional();
    if (pos.size() != 2 || pos[0] != "split")
        throw UsageError("usage: silo split PROJECT --clients N --out DIR [--by relation|triple] [--seed S]");
    const auto out = args.value("out");
    if (!out)
        throw UsageError("silo split needs --out DIR");
    kg::fed::SiloSplitOptions o;
    o.clients = args.intValue("clients", 3);
    o.seed = static_cast<uint64_t>(args.intValue("seed", 1));
    if (auto by = args.value("by"); by && *by != "relation" && *by != "triple")
        throw UsageError("--by takes 'relation' (FedE's protocol) or 'triple' (FedR's)");
    else if (by && *by == "triple")
        o.by = kg::fed::SiloBy::Triple;
    auto project = kg::Project::open(pos[1], kg::Project::OpenMode::ReadOnly);
    const auto silos = kg::fed::splitIntoSilos(*project, *out, o);
    if (!args.flag("quiet"))
        for (const auto& s : silos)
            std::printf("%s: %zu relations, %lld entities, train %lld / valid %lld / test %lld\n", s.path.c_str(),
                        s.relations.size(), static_cast<long long>(s.entities), static_cast<long long>(s.train),
                        static_cast<long long>(s.valid), static_cast<long long>(s.test));
    return Ok;
}

} // namespace kgcli
