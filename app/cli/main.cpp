// kgwb and kgwb-ml: the headless command-line front ends to the KG Workbench engine (no Qt).
// One source: kgwb (built without KGWB_HAVE_TORCH) hands the model commands to kgwb-ml.
#include <algorithm>
#include <cstring>
#include <iterator>
#include <utility>
#include <cstdio>
#include <string>

#include "core/blas_kernels.h"
#include "args.h"
#include "core/error.h"

namespace {

const char* kUsage = R"(usage: kgwb COMMAND [ARGS]

Commands:
  import PROJECT FILE... [--split train|valid|test] [--valid FILE]... [--test FILE]...
                         [--labels FILE]... [--format tsv|nt|ttl] [--delimiter C]
                         [--header auto|yes|no] [--skip-bad-lines] [--max-issues N] [--quiet]
                         [--base IRI] [--profile]
      Import triples (TSV/CSV, N-Triples, Turtle; gzip detected) and label files
      (key<TAB>label[<TAB>description]) in one transaction. FILEs go to --split (default
      train); --valid/--test files go to those splits. Ctrl-C rolls back. Relative IRIs
      resolve against --base (default: the file's file:// URI). --profile: where the time
      went (parse, key lookup, insert, index rebuild, full-text index, commit).
  stats PROJECT [--json]          Counts of entities, relations and triples per split.
  search PROJECT TEXT [--limit N] Full-text search over entity labels and descriptions.
  export PROJECT --out FILE.tsv [--split train|valid|test]   Triples as key TSV (re-importable).
  edit PROJECT add-entity KEY [LABEL] | add-relation KEY [LABEL] |
               add-triple HEAD REL TAIL [--split S] | delete-triple ID |
               rename ENTITY LABEL | delete-entity ENTITY | undo | redo | history
      Edit with a persistent undo/redo history (entities/relations by key).

  train PROJECT [--config FILE.json | --preset ID] [--model transe|distmult|complex|rotate|compgcn|transformer]
                [--dim N] [--mode 1vsall|negative_sampling] [--loss ce|bce|margin]
                [--sampler uniform|bernoulli]
                [--negatives K] [--neg-chunk S] [--adv-temperature T] [--gamma G] [--margin M]
                [--reg none|l2|n3] [--reg-weight W] [--optimizer adam|adagrad|row_adagrad] [--lr 0.01]
                [--updates auto|dense|rows]
                [--epochs N] [--batch N] [--seed N] [--threads N] [--device auto|cpu|cuda[:N]]
                [--eval-every N] [--patience P] [--checkpoint OUT] [--resume CKPT] [--quiet]
                [--job SPEC.json] [--continue-run RUN] [--json-events]
                [--world-size N --rank R --master HOST:PORT]
      Train a KGE model on the project's train split. --preset starts from one of the Training
      tab's presets (`kgwb train --list-presets` lists them, e.g. transformer-rank,
      transformer-explain); flags given with it override its fields. --updates rows: under negative
      sampling, Adam updates only the entity rows a step used (auto: from 100,000 entities).
      --optimizer row_adagrad: one Adagrad accumulator per table row (PyTorch-BigGraph's), so
      training holds little beside the tables; under negative sampling it updates by rows.
      With --eval-every, keep the best
      valid-MRR checkpoint and stop early after P evaluations without improvement. Ctrl-C
      stops and keeps a checkpoint; OUT.resume holds the last finished epoch, for --resume
      (with --continue-run to extend the same run record). --job takes a job spec
      ({"config": {...}, "checkpoint", "eval_every", "patience", ...}); --json-events
      prints one JSON object per event (preparing, started, progress, epoch, validation,
      checkpoint, finished). Prints filtered test MRR/Hits at the end. --world-size: data-parallel over
      N processes (Gloo all-reduce of gradients; rank 0 hosts the rendezvous at --master,
      evaluates and writes --checkpoint; --eval-every/--patience validate there and stop every
      rank together); --batch is the global batch. KGE models and the transformer (--init-from
      too); not CompGCN.
      --model compgcn trains a graph encoder (CompGCN layers, sparse message passing over
      the train graph) with a DistMult decoder: [--layers 1] [--dropout 0.1]
      [--label-smoothing 0.1]; --batch counts reciprocal queries per step; --lr 0.003.
      --model transformer trains the triple transformer (entity and relation tokens, the
      head's neighbour facts as context; ranks tails against the entity table; --lr 0.001):
      [--stage pretrain|finetune] [--init-from RUN] [--heads 4] [--layers 2] [--ffn 2xdim]
      [--context 16] [--head-mask 0.3] [--use-text [--text-tokens 8] [--vocab-size 1000]]
      [--dropout 0.1] [--label-smoothing 0.1] [--mask-probability 0.15]
      [--lora-rank R [--lora-alpha 16] [--lora-targets q,k,v,o,ff1,ff2] [--lora-entities full|adapter]]
      [--lambda-lm X] [--lambda-kge X] [--lambda-reason X]
      [--targets one|all] [--warmup SHARE] [--cosine] [--shortcut | --no-shortcut] [--bf16]
  eval PROJECT --checkpoint F [--split test|valid|train] [--filter-also TSV]
      Filtered MRR, MR, Hits@1/3/10. --filter-also: more known triples (keys, tab-separated)
      to filter with, e.g. other silos' triples when benchmarking a federation.
  predict PROJECT HEAD RELATION --checkpoint F [--k 10]     Ranked tails with scores.
  runs PROJECT [--json]           Training runs recorded in the project, newest first.
  export-embeddings PROJECT (--checkpoint F | --run N) --out DIR
      Entity embeddings as vectors.tsv + metadata.tsv (TensorBoard Embedding Projector), of
      a KGE model or a transformer (its entity token rows).
  similar PROJECT ENTITY (--checkpoint F | --run N) [--k 10] [--json]
      The entities whose vectors in that model (KGE or transformer) are nearest ENTITY's by
      cosine similarity, most similar first.
  map PROJECT (--checkpoint F | --run N) [--tsne] [--out FILE]
      The Embeddings tab's map as TSV (key, label, x, y, main_relation): the first two
      principal components of the unit entity vectors, or with --tsne their t-SNE places.
  bench PROJECT [--steps N] [--threads N] [--queries N] [--nodes N] [--device D] [--only rank]
      How fast this machine runs training steps, filtered eval, explanations and layouts on
      the project, each next to a reference measured in the same run. The ranking figure runs
      on --device (fused ranking vs ATen's score matrix); on a CUDA device it also checks the
      fused ranking against the CPU path on exact scores and fails if they differ. --only rank:
      that figure alone.
  rules PROJECT [--max-length 1..3] [--samples N] [--eval-sources N] [--threads N]
      Mine AnyBURL-style path rules (confidence, support) and store them in the project.
      --threads: threads that evaluate rules (0, the default: one per core, at most 8); the
      rules are the same for any count.
  explain PROJECT HEAD RELATION [TAIL] [--checkpoint F | --run N] [--k 10] [--json]
                [--necessary] [--sufficient] [--max-facts 8] [--candidates 16] [--max-rows 2048]
      Ranked answers (by the model, or by the rules without a model) and the paths of up
      to 3 edges that support TAIL (default: the best answer), scored by rules and model.
      --necessary: the fewest of HEAD's facts without which TAIL drops (Kelpie-style
      post-training; for a transformer, removal from its context); --sufficient: HEAD's
      facts that, copied onto other entities (for a transformer, put in their context),
      make TAIL their top answer. --max-rows bounds
      the post-training work (a hub keeps the facts nearest TAIL; 0 = no bound).

  qa import PROJECT FILE [--split-file F] [--split train|valid|test] [--replace]
      Import question-answer pairs: question<TAB>answer[<TAB>path[<TAB>answers]] with
      entity keys, path as topic#relation#entity#...#answer (PathQuestion's form), answers
      '/'-separated; F holds "line<TAB>split" for 0-based line numbers. All or nothing.
  qa synth PROJECT [--count 1000] [--hops 2] [--max-answers 20] [--seed N]
      Synthesise questions for weak supervision from random walks over the train graph,
      phrased from relation labels ("what is the country of the birthplace of X ?"); they
      are stored and counted as synthetic.
  qa train PROJECT [--dim 64] [--epochs 30] [--lr 0.003] [--batch 32] [--hops 3] [--beam 8]
                   [--weak] [--max-paths 16] [--eval-every 5] [--seed N] [--threads N]
                   [--pieces [--vocab-size 1000]] [--encoder-from RUN] [--word-dropout 0.2]
                   [--quiet] [--json-events]
      Train the chain reasoner (IRN-style: each hop attends over the question and picks a
      relation the graph offers) on the project's questions; --weak learns from answers
      alone. Keeps the best valid Hits@1 model; prints test Hits@1, MRR, path accuracy.
      --pieces also reads each word through its sentencepiece pieces (words unseen in
      training still count); --encoder-from starts those pieces and the relation choices
      from a transformer run's token table (pre-trained or joint-trained; dim = the run's).
  ask PROJECT "QUESTION" [--run N] [--topic KEY] [--path REL[,~REL]...] [--k 5] [--json]
                         [--complete-with RUN [--min-probability 0.5]]
      Answers with their path, each hop's attention over the question's words, and close
      alternatives. --topic and --path (fixed first hops; ~ = backwards) correct the model.
      --complete-with: a CompGCN run predicts facts the graph lacks, and hops may follow them
      (marked "predicted").

  serve PROJECT --token-file F [--port 8650] [--host 127.0.0.1] [--workers 4]
               [--max-inflight 16] [--max-body 65536] [--qa-run N] [--model CKPT|run:N]
      HTTP/JSON: POST /ask {"question", "topic"?, "path"?, "k"?}, /predict {"head",
      "relation", "k"?}, /explain {"head", "relation", "tail"?, "k"?}; GET /health. Every
      request needs "Authorization: Bearer TOKEN" (the file's first line, 16+ characters);
      bodies over --max-body get 413, malformed JSON 400, requests beyond --max-inflight 503.

  docs import PROJECT FILE... [--max-mb 64] [--descriptions]
      Import documents (plain text, Markdown, HTML; gzip detected) split into sentences, all
      in one transaction: a binary, non-UTF-8 or oversized file refuses the import, naming
      it. --descriptions adds every entity description as a document about that entity.
  docs list PROJECT | docs search PROJECT TEXT    Documents; full-text search over sentences.
  extract train PROJECT [--dim 64] [--heads 4] [--layers 2] [--epochs 3] [--lr 0.001]
                        [--batch 64] [--max-pieces 48] [--na-ratio 1] [--init-from RUN]
                        [--vocab 1000] [--seed N] [--threads N] [--quiet] [--json-events]
      Train the relation classifier by distant supervision: sentences naming both ends of a
      train triple teach its relation, other co-mentioned pairs teach "no relation". It is
      the project's transformer (sentencepiece pieces, mentions marked by role embeddings);
      --init-from starts from a transformer run's weights. Reports held-out precision/F1.
  extract PROJECT [--run RUN] [--kge RUN [--kge-weight 0.5]] [--min-score 0.5] [--per-pair 2]
      Candidate triples from every document, with evidence sentences, replacing the pending
      ones; triples already in the graph or already decided are not proposed. --kge mixes in
      a KGE run's plausibility of each triple.
  candidates PROJECT list [--status pending|accepted|rejected] [--min-score S] [--limit N]
  candidates PROJECT accept ID [--relation KEY] [--head KEY] [--tail KEY] | accept --above S
  candidates PROJECT reject ID...
      Review: accepting adds the triple (as edited) to train with its provenance, rejecting
      remembers the decision; both are undoable edits (kgwb edit PROJECT undo).

  silo split PROJECT --clients N --out DIR [--by relation|triple] [--seed S]
      Split a project into data silos. --by relation (FedE's protocol, the default):
      relations dealt to clients at random, each triple with its relation; --by triple
      (FedR's): each triple to a client at random, so silos share relations. Each silo is
      split 0.8/0.1/0.1 into train/valid/test.
  tokenizer export PROJECT OUT [--vocab-size 1000]
  tokenizer import PROJECT FILE [--vocab-size N]
      Share one sentencepiece tokenizer between projects. export writes the tokenizer that
      transformer runs with --use-text --vocab-size N use on PROJECT (trained on its labels and
      descriptions first when it has none of that size); import makes FILE the project's
      tokenizer for runs with --vocab-size N (default: its piece count). Federation silos must
      hold the same one for a federated transformer to read text.
  fed serve --clients N [--port P] [--host H] [--rounds R] [--local-epochs E] [--timeout S] [--join-timeout S]
            [--share entities|relations|both] [--checkpoint F [--resume]]
            [--on-failure abort|continue] [--secure-agg] [--dp-noise Z --dp-clip C]
            [model options as for train]
      Coordinate federated training. --share entities (FedE, the default): silos align
      entities by salted hashes, train locally, and a Gloo reduce averages entity embeddings
      (weighted by how many of a silo's triples hold each entity); relation embeddings stay
      in the silos. --share relations (FedR): the same for relation embeddings (aligned by
      salted hashes of relation keys, weighted by triple counts); entity embeddings, and
      hashes of entity keys, never leave the silos. --share both: the whole model (FedAvg).
      --secure-agg: pairwise masks that cancel in the sum; --dp-noise: each silo clips its
      rows' change per round to norm C and adds Gaussian noise of std Z·C. A silo that
      leaves (noticed at once) or takes longer than --timeout (default 1800 s, local training
      included) stops the federation, or with --on-failure continue the others go on without
      it (the round is redone). --join-timeout (default 1800 s): how long to wait for every
      silo to join before round 1.
      --model compgcn|transformer: entity and relation rows as above, and the rest of the
      model (CompGCN's layers, the transformer's encoder) averaged every round, weighted by
      each silo's training triples. A federated transformer reads no text and has no LoRA.
  fed join SILO --server HOST:PORT --rank I [--salt S] [--threads N] [--checkpoint F]
           [--timeout S] [--join-timeout S]
           [--model M] [--dim D]
      Join as silo I (1..N). The salt (or KGWB_FED_SALT) is a secret the silos share and the
      coordinator never sees; --model/--dim make the coordinator refuse other settings.

Exit status: 0 ok, 1 error, 2 usage error, 130 cancelled.
)";

// Commands that need LibTorch: run by kgwb-ml (kgwb hands them over, see args.h). The one list
// both executables use: kgwb decides by it what to hand over, kgwb-ml what to run.
constexpr const char* kModelCommands[] = {"train", "eval",    "predict", "rules", "explain", "export-embeddings", "similar",
                                          "map",   "bench",   "qa",      "ask",   "extract", "fed",               "serve"};

bool needsTorch(const std::string& cmd)
{
    return std::find(std::begin(kModelCommands), std::end(kModelCommands), cmd) != std::end(kModelCommands);
}

#ifdef KGWB_HAVE_TORCH
#ifndef KGWB_HAVE_FED
int runFedMissing(int, char**)
{
    std::fprintf(stderr, "kgwb fed: this kgwb was built without federation (needs Debian's LibTorch, "
                         "libgloo-dev and OpenSSL)\n");
    return kgcli::Failed;
}
#endif
#ifndef KGWB_HAVE_SERVE
int runServeMissing(int, char**)
{
    std::fprintf(stderr, "kgwb serve: this kgwb was built without cpp-httplib (libcpp-httplib-dev)\n");
    return kgcli::Failed;
}
#endif

// Every name of kModelCommands, each with its entry point (a name missing here is an error,
// never another command).
int runModelCommand(const std::string& cmd, int argc, char** argv)
{
    using Run = int (*)(int, char**);
    static const std::pair<const char*, Run> table[] = {
        {"train", kgcli::runTrain},
        {"eval", kgcli::runEval},
        {"predict", kgcli::runPredict},
        {"rules", kgcli::runRules},
        {"explain", kgcli::runExplain},
        {"export-embeddings", kgcli::runExportEmbeddings},
        {"similar", kgcli::runSimilar},
        {"map", kgcli::runMap},
        {"bench", kgcli::runBench},
        {"qa", kgcli::runQa},
        {"ask", kgcli::runAsk},
        {"extract", kgcli::runExtract},
#ifdef KGWB_HAVE_FED
        {"fed", kgcli::runFed},
#else
        {"fed", runFedMissing},
#endif
#ifdef KGWB_HAVE_SERVE
        {"serve", kgcli::runServe},
#else
        {"serve", runServeMissing},
#endif
    };
    static_assert(std::size(table) == std::size(kModelCommands), "every model command needs an entry point");
    for (const auto& [name, run] : table)
        if (cmd == name)
            return run(argc, argv);
    std::fprintf(stderr, "kgwb-ml: no entry point for '%s'\n", cmd.c_str());
    return kgcli::Failed;
}
#endif

} // namespace

int main(int argc, char** argv)
{
#ifdef KGWB_HAVE_TORCH
    kg::useFasterBlasKernels(argv); // re-executes where OpenBLAS fell back to slow kernels
#endif
    if (argc < 2 || !std::strcmp(argv[1], "--help") || !std::strcmp(argv[1], "-h")) {
        std::fputs(kUsage, stdout);
        return argc < 2 ? kgcli::Usage : kgcli::Ok;
    }
    const std::string cmd = argv[1];
    try {
        if (needsTorch(cmd)) {
#ifdef KGWB_HAVE_TORCH
            return runModelCommand(cmd, argc, argv);
#else
            return kgcli::runInModelExecutable(cmd, argv);
#endif
        }
        if (cmd == "import")
            return kgcli::runImport(argc, argv);
        if (cmd == "stats")
            return kgcli::runStats(argc, argv);
        if (cmd == "search")
            return kgcli::runSearch(argc, argv);
        if (cmd == "runs")
            return kgcli::runRuns(argc, argv);
        if (cmd == "edit")
            return kgcli::runEdit(argc, argv);
        if (cmd == "export")
            return kgcli::runExport(argc, argv);
        if (cmd == "docs")
            return kgcli::runDocs(argc, argv);
        if (cmd == "candidates")
            return kgcli::runCandidatesCommand(argc, argv);
        if (cmd == "silo")
            return kgcli::runSilo(argc, argv);
        if (cmd == "tokenizer")
            return kgcli::runTokenizer(argc, argv);
        std::fprintf(stderr, "kgwb: unknown command '%s'\n%s", cmd.c_str(), kUsage);
        return kgcli::Usage;
    } catch (const kgcli::UsageError& e) {
        std::fprintf(stderr, "kgwb %s: %s\n(see kgwb --help)\n", cmd.c_str(), e.what());
        return kgcli::Usage;
    } catch (const kg::Error& e) {
        std::fprintf(stderr, "kgwb %s: %s error: %s\n", cmd.c_str(), kg::errcName(e.code()), e.what());
        return e.code() == kg::Errc::Cancelled ? kgcli::Cancelled : kgcli::Failed;
    } catch (const std::exception& e) {
        std::fprintf(stderr, "kgwb %s: %s\n", cmd.c_str(), e.what());
        return kgcli::Failed;
    }
}
