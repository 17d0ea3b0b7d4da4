// Training the relation classifier of text-to-triples extraction (ml/extract.h).
#include <algorithm>
#include <chrono>
#include <nlohmann/json.hpp>
#include <optional>
#include <random>
#include <thread>

#include "ml/checkpoint.h"
#include "ml/extract.h"
#include "ml/extract_corpus.h"
#include "ml/job_trainer.h"
#include "ml/spec_fields.h"
#include "ml/kg_data.h"
#include "ml/relation_model.h"
#include "store/artifact_store.h"
#include "store/project.h"
#include "store/run_lease.h"
#include "store/run_store.h"

namespace kg::ml {

std::string ExtractTrainSpec::toJson() const
{
    return nlohmann::json{{"model", "relation-transformer"}, {"dim", dim}, {"heads", heads}, {"layers", layers},
                          {"epochs", epochs}, {"lr", lr}, {"batch_size", batchSize}, {"max_pieces", maxPieces},
                          {"na_ratio", naRatio}, {"folds", folds}, {"dropout", dropout}, {"seed", seed}, {"threads", threads},
                          {"init_from", initFrom}, {"vocab_size", vocabSize}}
        .dump();
}

ExtractTrainSpec ExtractTrainSpec::fromJson(const std::string& json)
{
    const SpecFields fields(json, "an extraction spec");
    ExtractTrainSpec s;
    fields.get("dim", s.dim);
    fields.get("heads", s.heads);
    fields.get("layers", s.layers);
    fields.get("epochs", s.epochs);
    fields.get("lr", s.lr);
    fields.get("batch_size", s.batchSize);
    fields.get("max_pieces", s.maxPieces);
    fields.get("na_ratio", s.naRatio);
    fields.get("folds", s.folds);
    fields.get("dropout", s.dropout);
    fields.get("seed", s.seed);
    fields.get("threads", s.threads);
    fields.get("init_from", s.initFrom);
    fields.get("vocab_size", s.vocabSize);
    const auto check = &SpecFields::check;
    check(s.heads >= 1 && s.heads <= 64, "heads");
    check(s.dim >= 8 && s.dim <= 2048 && s.dim % s.heads == 0, "dim");
    check(s.layers >= 1 && s.layers <= 24, "layers");
    check(s.epochs >= 1 && s.epochs <= 10000, "epochs");
    check(s.lr > 0 && s.lr < 1, "lr");
    check(s.batchSize >= 1, "batch_size");
    check(s.maxPieces >= 8 && s.maxPieces <= 64, "max_pieces");
    check(s.naRatio >= 0, "na_ratio");
    check(s.folds >= 1 && s.folds <= 10, "folds");
    check(s.dropout >= 0 && s.dropout < 1, "dropout");
    check(s.vocabSize >= 300 && s.vocabSize <= 100000, "vocab_size");
    return s;
}

ExtractJob::ExtractJob(std::string projectPath, ExtractTrainSpec spec)
    : projectPath_(std::move(projectPath))
    , spec_(std::move(spec))
{
}

namespace {

std::string modelName(int64_t run) { return "extract.run." + std::to_string(run); }

struct Example {
    Sequence sequence;
    std::vector<int64_t> labels; // classes (0 = NA)
    int64_t sentence = 0;
};

// The distant labels of pair (a, b): 1 + r for (a, r, b), 1 + R + r for (b, r, a) in train.
std::vector<int64_t> distantLabels(const reason::GraphIndex& graph, const KgData& data, int64_t a, int64_t b)
{
    std::vector<int64_t> out;
    const int64_t R = data.numRelations;
    for (const auto& e : graph.out(a))
        if (e.other == b)
            out.push_back(1 + data.relationIndex.at(e.relation));
    for (const auto& e : graph.in(a))
        if (e.other == b)
            out.push_back(1 + R + data.relationIndex.at(e.relation));
    std::sort(out.begin(), out.end());
    out.erase(std::unique(out.begin(), out.end()), out.end());
    return out;
}

// Copies the encoder of a transformer run's kept model (`archive`, named `name`) into each
// model (every tensor whose name and shape agree; the token table at least).
// Error(InvalidArgument) when the shapes differ.
void initFromTransformer(torch::serialize::InputArchive& archive, const std::string& name,
                         std::vector<RelationClassifier>& models)
{
    torch::NoGradGuard noGrad;
    for (auto& model : models) {
        bool table = false;
        for (auto& p : model->encoder->named_parameters()) {
            torch::Tensor t;
            if (!archive.try_read("model." + p.key(), t))
                continue;
            if (t.sizes() != p.value().sizes())
                throw Error(Errc::InvalidArgument, name + "'s " + p.key() + " has another shape than this extractor's; " +
                                                       "use the run's dim, heads and layers (and the same graph)");
            p.value().copy_(t);
            table = table || p.key() == "tokens.weight";
        }
        if (!table)
            throw Error(Errc::InvalidArgument, name + " has no token table to start from");
    }
}

struct Counts {
    int64_t tp = 0, fp = 0, fn = 0, examples = 0;
    void add(const Counts& o)
    {
        tp += o.tp;
        fp += o.fp;
        fn += o.fn;
        examples += o.examples;
    }
    ExtractMetrics metrics() const
    {
        ExtractMetrics m;
        m.examples = examples;
        m.precision = tp + fp ? static_cast<double>(tp) / static_cast<double>(tp + fp) : 0;
        m.recall = tp + fn ? static_cast<double>(tp) / static_cast<double>(tp + fn) : 0;
        m.f1 = m.precision + m.recall > 0 ? 2 * m.precision * m.recall / (m.precision + m.recall) : 0;
        return m;
    }
};

// Micro counts over non-NA classes: a prediction is right when it is one of the labels.
Counts evaluateExamples(RelationClassifier& model, const std::vector<const Example*>& examples, const CancelToken& cancel)
{
    Counts c;
    torch::NoGradGuard noGrad;
    model->eval();
    for (size_t i = 0; i < examples.size(); i += 256) {
        cancel.throwIfCancelled();
        std::vector<const Sequence*> batch;
        for (size_t j = i; j < std::min(examples.size(), i + 256); ++j)
            batch.push_back(&examples[j]->sequence);
        const auto in = RelationInput::batch(batch);
        const auto pred = model->forward(in[0], in[1], in[2]).argmax(1);
        const auto* p = pred.data_ptr<int64_t>();
        for (size_t j = 0; j < batch.size(); ++j) {
            const auto& labels = examples[i + j]->labels;
            const bool positive = labels.front() != 0;
            const bool hit = std::find(labels.begin(), labels.end(), p[j]) != labels.end();
            if (p[j] != 0)
                (hit ? c.tp : c.fp) += 1;
            if (positive && !hit)
                ++c.fn;
        }
    }
    model->train();
    c.examples = static_cast<int64_t>(examples.size());
    return c;
}

nlohmann::json metricsJson(const ExtractMetrics& m)
{
    return {{"precision", m.precision}, {"recall", m.recall}, {"f1", m.f1}, {"examples", m.examples}};
}

JobEvent event(JobEvent::Kind kind, int64_t run, int64_t epoch, int64_t epochs)
{
    JobEvent e;
    e.kind = kind;
    e.runId = run;
    e.epoch = epoch;
    e.epochs = epochs;
    return e;
}

} // namespace

ExtractJobResult ExtractJob::run(const std::function<void(const JobEvent&)>& onEvent)
{
    using Clock = std::chrono::steady_clock;
    const auto emit = [&](const JobEvent& e) {
        if (onEvent)
            onEvent(e);
    };
    auto project = Project::open(projectPath_, Project::OpenMode::MustExist);
    setTorchThreads(spec_.threads);
    torch::manual_seed(spec_.seed);
    std::mt19937_64 rng(spec_.seed);

    auto prepare = [&](const char* stage) { emit(JobEvent::preparing(stage)); };
    prepare("project");
    const KgData data = KgData::fromProject(*project);
    if (data.numRelations == 0)
        throw Error(Errc::InvalidArgument, "the project has no relations to learn");
    RelationModelFile file;
    file.config.dim = spec_.dim;
    file.config.heads = spec_.heads;
    file.config.layers = spec_.layers;
    file.config.maxPieces = spec_.maxPieces;
    file.config.dropout = spec_.dropout;
    file.config.folds = spec_.folds;
    int vocabSize = spec_.vocabSize;
    std::optional<OpenedCheckpoint> init; // the transformer run's kept model, read once
    const std::string initName = "run " + std::to_string(spec_.initFrom);
    if (spec_.initFrom) {
        init = openCheckpoint(keptModelBytes(*project, spec_.initFrom), initName);
        const CheckpointInfo& info = init->info;
        if (info.config.model != ModelKind::Transformer)
            throw Error(Errc::InvalidArgument, initName + " is not a transformer run");
        vocabSize = info.config.transformer.vocabSize;
        file.config.dim = info.config.dim;
        file.config.heads = info.config.transformer.heads;
        file.config.layers = info.config.transformer.layers;
        file.config.ffn = info.config.transformer.ffn;
    }
    prepare("model");
    const TextCorpus text = TextCorpus::load(*project, data.entityIds, vocabSize, false);
    file.entityIds = data.entityIds;
    file.relationIds = data.relationIds;
    file.tokenizerBytes = text.tokenizerBytes;
    file.pieces = text.pieces;
    file.build();
    if (init)
        initFromTransformer(init->archive, initName, file.models);

    // Examples: every pair with a distant label, and NA pairs sampled naRatio per positive.
    prepare("corpus");
    ExtractCorpus corpus = ExtractCorpus::load(*project, &cancel_);
    const auto tokenizer = text::Tokenizer::fromModelBytes(file.tokenizerBytes);
    const RelationInput input(tokenizer, file.layout(), data.entityIndex, file.config.maxPieces);
    struct Raw {
        const text::MentionPair* pair;
        const std::string* text;
        std::vector<int64_t> labels;
        int64_t sentence;
    };
    std::vector<Raw> positives, negatives;
    for (const auto& doc : corpus.documents) {
        for (const auto& p : doc.pairs) {
            auto labels = distantLabels(corpus.graph, data, p.a, p.b);
            (labels.empty() ? negatives : positives)
                .push_back({&p, &doc.text(p), std::move(labels), p.sentence});
        }
    }
    if (positives.empty())
        throw Error(Errc::InvalidArgument, "no sentence mentions both ends of a train triple: nothing to learn from");
    std::shuffle(negatives.begin(), negatives.end(), rng);
    negatives.resize(std::min(negatives.size(), static_cast<size_t>(spec_.naRatio * static_cast<double>(positives.size()))));
    std::vector<Example> examples;
    examples.reserve(positives.size() + negatives.size());
    for (auto* group : {&positives, &negatives})
        for (Raw& r : *group) {
            cancel_.throwIfCancelled();
            examples.push_back({input.encode(*r.pair, *r.text), r.labels.empty() ? std::vector<int64_t>{0} : r.labels,
                                r.sentence});
        }
    // Held out from classifier f: its fold's sentences (one classifier: 5% of the sentences).
    const int64_t folds = file.config.folds;
    auto heldOut = [&](const Example& e, int64_t f) {
        return folds > 1 ? file.foldOf(e.sentence) == f : e.sentence % 20 == 7;
    };

    ExtractJobResult result;
    result.positives = static_cast<int64_t>(positives.size());
    result.negatives = static_cast<int64_t>(negatives.size());
    RunStore history(*project);
    RunLease lease;
    result.runId = history.createRun("extract", spec_.toJson(), &lease);
    const int64_t totalEpochs = folds * spec_.epochs;
    int64_t foldsTrained = 0; // classifiers with at least one epoch
    Counts pooled;
    try {
        JobEvent start = event(JobEvent::Kind::Started, result.runId, 0, totalEpochs);
        start.text = "cpu";
        emit(start);
        int64_t step = 0;
        auto lastProgress = Clock::now() - std::chrono::hours(1);
        const auto started = Clock::now();
        for (int64_t f = 0; f < folds; ++f) {
            std::vector<const Example*> train, valid;
            for (const Example& e : examples)
                (heldOut(e, f) ? valid : train).push_back(&e);
            // Per-epoch validation on at most 4,000 of the held-out examples (all at the end).
            std::vector<const Example*> probe;
            const size_t stride = std::max<size_t>(1, valid.size() / 4000);
            for (size_t i = 0; i < valid.size(); i += stride)
                probe.push_back(valid[i]);
            auto& model = file.models[static_cast<size_t>(f)];
            model->train();
            torch::optim::AdamW optimizer(model->parameters(), torch::optim::AdamWOptions(spec_.lr).weight_decay(0.01));
            const int64_t steps = (static_cast<int64_t>(train.size()) + spec_.batchSize - 1) / spec_.batchSize;
            double bestF1 = -1;
            std::vector<torch::Tensor> best; // parameters of the best epoch by held-out F1
            for (int64_t epoch = 0; epoch < spec_.epochs; ++epoch) {
                const int64_t overall = f * spec_.epochs + epoch;
                std::shuffle(train.begin(), train.end(), rng);
                double sum = 0;
                for (int64_t s = 0; s < steps; ++s) {
                    while (paused_.load() && !cancel_.cancelled())
                        std::this_thread::sleep_for(std::chrono::milliseconds(50));
                    cancel_.throwIfCancelled();
                    std::vector<const Sequence*> batch;
                    std::vector<int64_t> targets;
                    const auto from = static_cast<size_t>(s * spec_.batchSize);
                    for (size_t i = from; i < std::min(train.size(), from + static_cast<size_t>(spec_.batchSize)); ++i) {
                        batch.push_back(&train[i]->sequence);
                        const auto& labels = train[i]->labels;
                        targets.push_back(labels[std::uniform_int_distribution<size_t>(0, labels.size() - 1)(rng)]);
                    }
                    const auto in = RelationInput::batch(batch);
                    optimizer.zero_grad();
                    const auto loss = torch::nn::functional::cross_entropy(model->forward(in[0], in[1], in[2]),
                                                                           torch::tensor(targets, torch::kLong));
                    const double l = JobTrainer::optimizerStep(optimizer, loss);
                    sum += l;
                    ++step;
                    if (Clock::now() - lastProgress > std::chrono::milliseconds(spec_.progressIntervalMs)) {
                        lastProgress = Clock::now();
                        const double elapsed = std::chrono::duration<double>(Clock::now() - started).count();
                        const double total = static_cast<double>(totalEpochs * steps);
                        JobEvent e = event(JobEvent::Kind::Progress, result.runId, overall + 1, totalEpochs);
                        e.step = step;
                        e.stepsPerEpoch = steps;
                        e.loss = l;
                        e.etaSeconds = elapsed / static_cast<double>(step) * std::max(0.0, total - static_cast<double>(step));
                        e.triplesPerSecond = static_cast<double>(step * spec_.batchSize) / std::max(elapsed, 1e-9);
                        emit(e);
                    }
                }
                const double mean = sum / static_cast<double>(std::max<int64_t>(steps, 1));
                history.addMetric(result.runId, step, overall + 1, "loss", mean);
                result.epochsDone = overall + 1;
                foldsTrained = f + 1;
                JobEvent ep = event(JobEvent::Kind::Epoch, result.runId, overall + 1, totalEpochs);
                ep.step = step;
                ep.stepsPerEpoch = steps;
                ep.loss = mean;
                emit(ep);
                if (probe.empty())
                    continue;
                const ExtractMetrics m = evaluateExamples(model, probe, cancel_).metrics();
                history.addMetric(result.runId, step, overall + 1, "valid_f1", m.f1);
                history.addMetric(result.runId, step, overall + 1, "valid_precision", m.precision);
                history.addMetric(result.runId, step, overall + 1, "valid_recall", m.recall);
                JobEvent e = event(JobEvent::Kind::Validation, result.runId, overall + 1, totalEpochs);
                e.step = step;
                e.metrics.mrr = m.f1;
                e.metrics.queries = m.examples;
                nlohmann::json j = metricsJson(m);
                j["fold"] = f;
                e.text = j.dump();
                emit(e);
                if (m.f1 > bestF1) {
                    bestF1 = m.f1;
                    best.clear();
                    for (const auto& p : model->parameters())
                        best.push_back(p.detach().clone());
                }
            }
            if (!best.empty()) {
                torch::NoGradGuard noGrad;
                auto params = model->parameters();
                for (size_t i = 0; i < params.size(); ++i)
                    params[i].copy_(best[i]);
            }
            if (!valid.empty())
                pooled.add(evaluateExamples(model, valid, cancel_));
        }
        result.valid = pooled.metrics();
        result.status = "finished";
    } catch (const Error& e) {
        if (e.code() != Errc::Cancelled) {
            history.finishRun(result.runId, "failed", nlohmann::json{{"error", e.what()}}.dump());
            throw;
        }
        result.status = "cancelled";
    } catch (const c10::Error& e) {
        history.finishRun(result.runId, "failed", nlohmann::json{{"error", e.what_without_backtrace()}}.dump());
        throw Error(Errc::InvalidArgument, std::string("relation extraction training failed: ") + e.what_without_backtrace());
    }
    // A cancelled run keeps its model only when every fold's classifier has trained.
    const bool keep = foldsTrained == folds;
    if (keep)
        ArtifactStore(*project).put(modelName(result.runId), "kgwb-relation", file.toBytes(),
                                    nlohmann::json{{"run", result.runId}}.dump());
    const nlohmann::json final = {{"epochs", result.epochsDone},     {"valid", metricsJson(result.valid)},
                                  {"positives", result.positives},   {"negatives", result.negatives},
                                  {"folds", folds},                  {"model_kept", keep},
                                  {"documents", corpus.documents.size()}, {"sentences", corpus.sentences}};
    history.finishRun(result.runId, result.status, final.dump());
    JobEvent done = event(JobEvent::Kind::Finished, result.runId, result.epochsDone, totalEpochs);
    done.metrics.mrr = result.valid.f1;
    done.text = result.status;
    emit(done);
    return result;
}

} // namespace kg::ml
