// kgwb: headless command-line front end to the KG Workbench engine (no Qt).
#include <cstring>
#include <iostream>

#include "args.h"
#include "core/error.h"

namespace {

const char* kUsage = R"(usage: kgwb COMMAND [ARGS]

Commands:
  import PROJECT FILE... [--split train|valid|test] [--valid FILE]... [--test FILE]...
                         [--labels FILE]... [--format tsv|nt|ttl] [--delimiter C]
                         [--header auto|yes|no] [--skip-bad-lines] [--max-issues N] [--quiet]
      Import triples (TSV/CSV, N-Triples, Turtle; gzip detected) and label files
      (key<TAB>label[<TAB>description]) in one transaction. FILEs go to --split (default
      train); --valid/--test files go to those splits. Ctrl-C rolls back.
  stats PROJECT [--json]          Counts of entities, relations and triples per split.
  search PROJECT TEXT [--limit N] Full-text search over entity labels and descriptions.
  edit PROJECT add-entity KEY [LABEL] | add-relation KEY [LABEL] |
               add-triple HEAD REL TAIL [--split S] | delete-triple ID |
               rename ENTITY LABEL | delete-entity ENTITY | undo | redo | history
      Edit with a persistent undo/redo history (entities/relations by key).

Exit status: 0 ok, 1 error, 2 usage error, 130 cancelled.
)";

} // namespace

int main(int argc, char** argv)
{
    if (argc < 2 || !std::strcmp(argv[1], "--help") || !std::strcmp(argv[1], "-h")) {
        std::cout << kUsage;
        return argc < 2 ? kgcli::Usage : kgcli::Ok;
    }
    const std::string cmd = argv[1];
    try {
        if (cmd == "import")
            return kgcli::runImport(argc, argv);
        if (cmd == "stats")
            return kgcli::runStats(argc, argv);
        if (cmd == "search")
            return kgcli::runSearch(argc, argv);
        if (cmd == "edit")
            return kgcli::runEdit(argc, argv);
        std::cerr << "kgwb: unknown command '" << cmd << "'\n" << kUsage;
        return kgcli::Usage;
    } catch (const kgcli::UsageError& e) {
        std::cerr << "kgwb " << cmd << ": " << e.what() << "\n(see kgwb --help)\n";
        return kgcli::Usage;
    } catch (const kg::Error& e) {
        std::cerr << "kgwb " << cmd << ": " << kg::errcName(e.code()) << " error: " << e.what()
                  << "\n";
        return e.code() == kg::Errc::Cancelled ? kgcli::Cancelled : kgcli::Failed;
    } catch (const std::exception& e) {
        std::cerr << "kgwb " << cmd << ": " << e.what() << "\n";
        return kgcli::Failed;
    }
}
