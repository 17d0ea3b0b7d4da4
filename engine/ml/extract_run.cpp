// Extraction of candidate triples with the relation classifier, and the co-occurrence
// baseline (ml/extract.h).
#include <algorithm>
#include <chrono>
#include <map>
#include <nlohmann/json.hpp>
#include <random>
#include <unordered_map>

#include "ml/checkpoint.h"
#include "ml/extract.h"
#include "ml/extract_corpus.h"
#include "ml/job_trainer.h"
#include "ml/kg_data.h"
#include "ml/relation_model.h"
#include "ml/trainer.h"
#include "store/artifact_store.h"
#include "store/project.h"
#include "store/run_store.h"

namespace kg::ml {

namespace {

struct Hrt {
    int64_t h, r, t;
    bool operator<(const Hrt& o) const { return std::tie(h, r, t) < std::tie(o.h, o.r, o.t); }
};

int64_t newestExtractRun(Project& project)
{
    for (const RunRecord& r : RunStore(project).runs()) // newest first
        if (r.kind == "extract" && (r.status == "finished" || r.status == "cancelled"))
            return r.id;
    throw Error(Errc::NotFound, "the project has no relation extraction run: train one first (kgwb extract train)");
}

// Orders by score (best first), then by triple, so equal scores list alike on every machine.
void sortCandidates(std::vector<CandidateRecord>& c)
{
    std::sort(c.begin(), c.end(), [](const CandidateRecord& x, const CandidateRecord& y) {
        if (x.score != y.score)
            return x.score > y.score;
        return std::tie(x.head, x.rel, x.tail) < std::tie(y.head, y.rel, y.tail);
    });
}

// The evidence sentence `p` gives a triple whose head is p's `a` (headIsA) or its `b`.
CandidateEvidence evidenceOf(const text::MentionPair& p, bool headIsA, double score)
{
    CandidateEvidence e;
    e.sentence = p.sentence;
    e.score = score;
    e.headBegin = headIsA ? p.aBegin : p.bBegin;
    e.headEnd = headIsA ? p.aEnd : p.bEnd;
    e.tailBegin = headIsA ? p.bBegin : p.aBegin;
    e.tailEnd = headIsA ? p.bEnd : p.aEnd;
    return e;
}

// KGE plausibility of each candidate: the share of 64 random tails (same head and relation)
// the model scores lower than the candidate's tail.
std::vector<double> kgePlausibility(Project& project, int64_t run, const std::vector<CandidateRecord>& candidates)
{
    const std::string name = "run " + std::to_string(run);
    const std::string bytes = keptModelBytes(project, run);
    TrainConfig config = checkpointInfoFromBytes(bytes, name).config;
    if (config.model == ModelKind::Transformer || config.model == ModelKind::CompGCN)
        throw Error(Errc::InvalidArgument, name + " is not a KGE run (TransE, DistMult, ComplEx or RotatE)");
    const KgData data = KgData::fromProject(project);
    config.device = "cpu";
    Trainer trainer(config, data);
    loadCheckpointBytes(bytes, name, trainer);
    torch::NoGradGuard noGrad;
    constexpr int64_t kSamples = 64;
    std::mt19937_64 rng(7);
    std::uniform_int_distribution<int64_t> anyEntity(0, data.numEntities - 1);
    std::vector<double> out(candidates.size(), 0.5);
    for (size_t i = 0; i < candidates.size(); i += 512) {
        const size_t n = std::min<size_t>(512, candidates.size() - i);
        std::vector<int64_t> rows; // candidate then its samples
        std::vector<size_t> which;
        for (size_t j = 0; j < n; ++j) {
            const auto& c = candidates[i + j];
            const auto h = data.entityIndex.find(c.head), t = data.entityIndex.find(c.tail);
            const auto r = data.relationIndex.find(c.rel);
            if (h == data.entityIndex.end() || t == data.entityIndex.end() || r == data.relationIndex.end())
                continue;
            which.push_back(i + j);
            rows.insert(rows.end(), {h->second, r->second, t->second});
            for (int64_t s = 0; s < kSamples; ++s)
                rows.insert(rows.end(), {h->second, r->second, anyEntity(rng)});
        }
        if (which.empty())
            continue;
        const auto triples = torch::tensor(rows, torch::kLong).view({-1, 3});
        const auto scores = trainer.model()->scoreTriples(triples).view({static_cast<int64_t>(which.size()), kSamples + 1});
        const auto below = scores.narrow(1, 1, kSamples).lt(scores.narrow(1, 0, 1)).to(torch::kDouble).mean(1);
        const auto* p = below.data_ptr<double>();
        for (size_t j = 0; j < which.size(); ++j)
            out[which[j]] = p[j];
    }
    return out;
}

} // namespace

ExtractReport extractTriples(const std::string& projectPath, const ExtractOptions& options,
                             const std::function<void(int64_t, int64_t)>& progress, const CancelToken* cancel,
                             std::vector<CandidateRecord>* out)
{
    const auto t0 = std::chrono::steady_clock::now();
    auto project = Project::open(projectPath, Project::OpenMode::MustExist);
    setTorchThreads(options.threads);
    const int64_t run = options.run ? options.run : newestExtractRun(*project);
    const auto artifact = ArtifactStore(*project).get("extract.run." + std::to_string(run));
    if (!artifact)
        throw Error(Errc::NotFound, "run " + std::to_string(run) + " kept no relation extraction model");
    RelationModelFile file = RelationModelFile::fromBytes(artifact->data, "run " + std::to_string(run));
    for (auto& m : file.models)
        m->eval();
    std::unordered_map<int64_t, int64_t> entityIndex;
    for (size_t i = 0; i < file.entityIds.size(); ++i)
        entityIndex[file.entityIds[i]] = static_cast<int64_t>(i);
    const auto tokenizer = text::Tokenizer::fromModelBytes(file.tokenizerBytes);
    const RelationInput input(tokenizer, file.layout(), entityIndex, file.config.maxPieces);
    const auto R = static_cast<int64_t>(file.relationIds.size());

    ExtractCorpus corpus = ExtractCorpus::load(*project, cancel);
    ExtractReport report;
    report.documents = static_cast<int64_t>(corpus.documents.size());
    report.sentences = corpus.sentences;
    report.mentions = corpus.mentions;
    report.pairs = corpus.pairs;

    std::map<Hrt, CandidateRecord> found;
    constexpr double kFloor = 0.05; // classifier probabilities below this are not kept at all
    // Pairs waiting for their fold's classifier: up to kBuffer are collected, then scored in
    // batches of kBatch sequences of similar length (less padding).
    constexpr size_t kBuffer = 4096, kBatch = 256;
    std::vector<std::vector<Sequence>> seqsOf(static_cast<size_t>(file.config.folds));
    std::vector<std::vector<const text::MentionPair*>> pendingOf(seqsOf.size());
    auto score = [&](size_t fold, const std::vector<const Sequence*>& ptrs,
                     const std::vector<const text::MentionPair*>& pending) {
        const auto in = RelationInput::batch(ptrs);
        const auto probs = torch::softmax(file.models[fold]->forward(in[0], in[1], in[2]), 1).contiguous();
        const auto k = std::min<int64_t>(options.perPair + 1, 2 * R + 1);
        const auto top = probs.topk(k, 1);
        const auto values = std::get<0>(top).to(torch::kDouble).contiguous();
        const auto classes = std::get<1>(top).contiguous();
        const auto* pv = values.data_ptr<double>();
        const auto* pc = classes.data_ptr<int64_t>();
        for (size_t i = 0; i < pending.size(); ++i) {
            const text::MentionPair& p = *pending[i];
            int64_t taken = 0;
            for (int64_t j = 0; j < k && taken < options.perPair; ++j) {
                const int64_t c = pc[static_cast<int64_t>(i) * k + j];
                const double prob = pv[static_cast<int64_t>(i) * k + j];
                if (c == 0)
                    continue;
                if (prob < kFloor)
                    break;
                ++taken;
                const bool forward = c <= R;
                const int64_t rel = file.relationIds[static_cast<size_t>(forward ? c - 1 : c - 1 - R)];
                const int64_t h = forward ? p.a : p.b, t = forward ? p.b : p.a;
                if (h == t || corpus.graph.has(h, rel, t))
                    continue;
                CandidateRecord& cand = found[{h, rel, t}];
                cand.head = h;
                cand.rel = rel;
                cand.tail = t;
                cand.run = run;
                cand.score = std::max(cand.score, prob);
                cand.evidence.push_back(evidenceOf(p, forward, prob));
            }
        }
    };
    auto flush = [&](size_t fold) {
        auto& seqs = seqsOf[fold];
        auto& pending = pendingOf[fold];
        std::vector<size_t> order(seqs.size());
        for (size_t i = 0; i < order.size(); ++i)
            order[i] = i;
        std::stable_sort(order.begin(), order.end(),
                         [&](size_t x, size_t y) { return seqs[x].ids.size() < seqs[y].ids.size(); });
        for (size_t from = 0; from < order.size(); from += kBatch) {
            std::vector<const Sequence*> ptrs;
            std::vector<const text::MentionPair*> pairs;
            for (size_t i = from; i < std::min(order.size(), from + kBatch); ++i) {
                ptrs.push_back(&seqs[order[i]]);
                pairs.push_back(pending[order[i]]);
            }
            score(fold, ptrs, pairs);
        }
        seqs.clear();
        pending.clear();
    };
    int64_t done = 0;
    try {
        c10::InferenceMode inference; // scoring only: no autograd records
        for (const auto& doc : corpus.documents) {
            if (cancel)
                cancel->throwIfCancelled();
            for (const auto& p : doc.pairs) {
                const auto fold = static_cast<size_t>(file.foldOf(p.sentence));
                seqsOf[fold].push_back(input.encode(p, doc.text(p)));
                pendingOf[fold].push_back(&p);
                if (seqsOf[fold].size() >= kBuffer)
                    flush(fold);
            }
            if (progress && (++done % 64 == 0 || done == report.documents))
                progress(done, report.documents);
        }
        for (size_t f = 0; f < seqsOf.size(); ++f)
            flush(f);
    } catch (const c10::Error& e) {
        throw Error(Errc::InvalidArgument, std::string("extraction failed: ") + e.what_without_backtrace());
    }

    std::vector<CandidateRecord> candidates;
    candidates.reserve(found.size());
    for (auto& [key, c] : found) {
        std::sort(c.evidence.begin(), c.evidence.end(), [](const CandidateEvidence& x, const CandidateEvidence& y) {
            return x.score != y.score ? x.score > y.score : x.sentence < y.sentence;
        });
        if (static_cast<int64_t>(c.evidence.size()) > options.evidence)
            c.evidence.resize(static_cast<size_t>(options.evidence));
        candidates.push_back(std::move(c));
    }
    if (options.kgeRun) {
        const auto plausible = kgePlausibility(*project, options.kgeRun, candidates);
        for (size_t i = 0; i < candidates.size(); ++i)
            candidates[i].score = (1 - options.kgeWeight) * candidates[i].score + options.kgeWeight * plausible[i];
    }
    candidates.erase(std::remove_if(candidates.begin(), candidates.end(),
                                    [&](const CandidateRecord& c) { return c.score < options.minScore; }),
                     candidates.end());
    sortCandidates(candidates);
    report.candidates = static_cast<int64_t>(candidates.size());
    if (cancel)
        cancel->throwIfCancelled();
    if (options.store)
        report.stored = CandidateStore(*project).replacePending(run, candidates);
    report.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
    if (out)
        *out = std::move(candidates);
    return report;
}

std::vector<CandidateRecord> cooccurrenceBaseline(const std::string& projectPath, const CancelToken* cancel)
{
    auto project = Project::open(projectPath, Project::OpenMode::MustExist);
    ExtractCorpus corpus = ExtractCorpus::load(*project, cancel);
    const auto& g = corpus.graph;
    // Most frequent relation overall: the fallback.
    int64_t common = 0;
    size_t commonCount = 0;
    for (int64_t r : g.relations())
        if (g.pairs(r).size() > commonCount) {
            commonCount = g.pairs(r).size();
            common = r;
        }
    auto relationFor = [&](int64_t a, int64_t b, int64_t& h, int64_t& r, int64_t& t) {
        std::unordered_map<int64_t, double> asHead, asTail; // a's out-edges, b's in-edges (and reversed)
        std::unordered_map<int64_t, double> bHead, aTail;
        for (const auto& e : g.out(a))
            asHead[e.relation] += 1;
        for (const auto& e : g.in(b))
            asTail[e.relation] += 1;
        for (const auto& e : g.out(b))
            bHead[e.relation] += 1;
        for (const auto& e : g.in(a))
            aTail[e.relation] += 1;
        double best = 0;
        h = a, r = common, t = b;
        for (const auto& [rel, n] : asHead)
            if (const auto it = asTail.find(rel); it != asTail.end() && n * it->second > best) {
                best = n * it->second;
                h = a, r = rel, t = b;
            }
        for (const auto& [rel, n] : bHead)
            if (const auto it = aTail.find(rel); it != aTail.end() && n * it->second > best) {
                best = n * it->second;
                h = b, r = rel, t = a;
            }
        return best;
    };
    std::map<std::pair<int64_t, int64_t>, std::vector<const text::MentionPair*>> pairs;
    for (const auto& doc : corpus.documents)
        for (const auto& p : doc.pairs)
            if (p.a != p.b)
                pairs[{std::min(p.a, p.b), std::max(p.a, p.b)}].push_back(&p);
    std::vector<CandidateRecord> out;
    for (const auto& [ab, mentions] : pairs) {
        if (cancel)
            cancel->throwIfCancelled();
        CandidateRecord c;
        const double prior = relationFor(mentions.front()->a, mentions.front()->b, c.head, c.rel, c.tail);
        if (g.has(c.head, c.rel, c.tail))
            continue;
        c.score = static_cast<double>(mentions.size()) + prior / (1 + prior); // co-occurrences, then the prior
        for (const auto* p : mentions) {
            if (c.evidence.size() >= 3)
                break;
            c.evidence.push_back(evidenceOf(*p, c.head == p->a, 1.0));
        }
        out.push_back(std::move(c));
    }
    sortCandidates(out);
    return out;
}

} // namespace kg::ml
