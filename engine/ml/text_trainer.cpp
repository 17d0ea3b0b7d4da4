#include "ml/text_trainer.h"

#include <algorithm>
#include <chrono>
#include <numeric>
#include <sstream>

#include "core/error.h"
#include "ml/checkpoint.h"
#include "ml/to_device.h"
#include "ml/torch_compat.h"
#include "reason/graph_index.h"
#include "reason/rules.h"
#include "store/project.h"

namespace kg::ml {
namespace {

std::set<std::string> splitTargets(const std::string& list)
{
    std::set<std::string> out;
    std::stringstream in(list);
    for (std::string item; std::getline(in, item, ',');)
        if (!item.empty())
            out.insert(item);
    return out;
}

} // namespace

bool needsText(const TrainConfig& c) { return c.transformer.useText || c.transformer.stage == TextStage::Pretrain; }

EncoderConfig encoderConfig(const TrainConfig& config, int64_t entities, int64_t relations, int64_t pieces)
{
    const auto& t = config.transformer;
    EncoderConfig ec;
    ec.vocab = TokenLayout{entities, relations, pieces}.vocab();
    ec.entities = entities;
    ec.entityOffset = TokenLayout::kSpecials;
    ec.relationTokens = 2 * relations;
    ec.roles = kRoleCount;
    ec.maxPosition = SequenceBuilder::maxTextPosition(t.textTokens);
    ec.dim = config.dim;
    ec.heads = t.heads;
    ec.layers = t.layers;
    ec.ffn = t.ffn > 0 ? t.ffn : 2 * config.dim;
    ec.dropout = t.dropout;
    ec.shortcut = t.shortcut;
    return ec;
}

TextTrainer::TextTrainer(TrainConfig config, const KgData& data, const std::string& projectPath,
                         const std::string& tokenizerBytes)
    : config_(std::move(config))
    , data_(data)
    , projectPath_(projectPath)
    , device_(selectDevice(config_.device))
    , rng_(config_.seed)
{
    config_.validate();
    if (config_.model != ModelKind::Transformer)
        throw Error(Errc::InvalidArgument, "TextTrainer trains the transformer only");
    const auto& t = config_.transformer;
    if (t.bf16 && !device_.is_cuda())
        throw Error(Errc::InvalidArgument, "bf16 autocast needs a CUDA device (on the CPU, LibTorch 1.13 has no bf16 "
                                           "layer norm); train on cuda or turn bf16 off");
    setTorchThreads(config_.threads);
    torch::manual_seed(config_.seed);

    TokenLayout layout{data_.numEntities, data_.numRelations, 0};
    std::vector<std::vector<int>> pieces;
    if (needsText(config_) && !projectPath_.empty()) {
        auto project = Project::open(projectPath_, Project::OpenMode::MustExist);
        corpus_ = TextCorpus::load(*project, data_.entityIds, t.vocabSize, t.stage == TextStage::Pretrain,
                                   tokenizerBytes);
        layout.pieces = corpus_->pieces;
        if (t.useText)
            pieces = corpus_->entityPieces;
    }
    std::vector<std::array<int64_t, 3>> train(static_cast<size_t>(data_.train.size(0)));
    const auto trainIds = data_.trainInt64();
    auto acc = trainIds.accessor<int64_t, 2>();
    for (int64_t i = 0; i < data_.train.size(0); ++i)
        train[static_cast<size_t>(i)] = {acc[i][0], acc[i][1], acc[i][2]};
    neighbours_ = NeighbourIndex(train, data_.numEntities, data_.numRelations);
    builder_ = SequenceBuilder(layout, &neighbours_, std::move(pieces), {t.context, t.useText, t.textTokens});

    const auto ec = encoderConfig(config_, data_.numEntities, data_.numRelations, layout.pieces);
    model_ = TripleTransformer(ec);
    if (t.loraRank > 0)
        model_->enableLora(t.loraRank, t.loraAlpha, splitTargets(t.loraTargets), t.loraEntities == "full");
    model_->to(device_);
    freezeForLora();

    for (size_t i = 0; i < train.size(); ++i) {
        const auto& [h, r, tl] = train[i];
        examples_.push_back({h, r, tl, static_cast<int64_t>(i)});
        examples_.push_back({tl, r + data_.numRelations, h, static_cast<int64_t>(i)});
    }
    if (kvsAllTargets())
        indexAnswerTails();
    if (t.stage == TextStage::Pretrain && corpus_)
        for (size_t i = 0; i < corpus_->descriptions.size(); ++i)
            examples_.push_back({corpus_->descriptions[i].first, 0, 0, -1 - static_cast<int64_t>(i)});
}

void TextTrainer::indexAnswerTails()
{
    // Scanning a head's facts per example costs its degree, which on fb15k-237 made this the
    // bulk of a step's host time (hubs are heads of many examples); the index costs one pass.
    const int64_t R2 = 2 * data_.numRelations;
    std::vector<std::pair<int64_t, int64_t>> keyed; // (h * 2R + r, tail) in index order
    for (int64_t h = 0; h < data_.numEntities; ++h)
        for (const auto& f : neighbours_.facts(h))
            keyed.emplace_back(h * R2 + f.relation, f.entity);
    std::stable_sort(keyed.begin(), keyed.end(), [](const auto& a, const auto& b) { return a.first < b.first; });
    std::vector<int64_t> keys(keyed.size()), tails(keyed.size());
    for (size_t i = 0; i < keyed.size(); ++i) {
        keys[i] = keyed[i].first;
        tails[i] = keyed[i].second;
    }
    answerTails_ = longs(tails);
    for (auto& e : examples_) {
        const int64_t key = e.h * R2 + e.r;
        e.tailsFrom = std::lower_bound(keys.begin(), keys.end(), key) - keys.begin();
        e.tailsTo = std::upper_bound(keys.begin(), keys.end(), key) - keys.begin();
    }
}

TextTrainer::~TextTrainer() = default;

void TextTrainer::freezeForLora()
{
    std::vector<torch::Tensor> params;
    const bool lora = model_->loraEnabled();
    for (auto& np : model_->named_parameters()) {
        const auto& name = np.key();
        const bool train = !lora || trainsUnderLora(name);
        np.value().set_requires_grad(train);
        if (train)
            params.push_back(np.value());
    }
    optimizer_ = std::make_unique<torch::optim::Adam>(params, torch::optim::AdamOptions(config_.lr));
}

int64_t TextTrainer::stepsPerEpoch() const
{
    const auto n = static_cast<int64_t>(examples_.size());
    return (n + config_.batchSize - 1) / config_.batchSize;
}

TextTrainer::Batch TextTrainer::collate(const std::vector<Sequence>& seqs) const
{
    size_t T = 0;
    for (const auto& s : seqs)
        T = std::max(T, s.ids.size());
    const auto B = static_cast<int64_t>(seqs.size());
    std::vector<int64_t> ids(seqs.size() * T, 0), aux(ids.size(), 0), roles(ids.size(), 0), pos(ids.size(), 0);
    for (size_t i = 0; i < seqs.size(); ++i) {
        std::copy(seqs[i].ids.begin(), seqs[i].ids.end(), ids.begin() + static_cast<std::ptrdiff_t>(i * T));
        std::copy(seqs[i].aux.begin(), seqs[i].aux.end(), aux.begin() + static_cast<std::ptrdiff_t>(i * T));
        std::copy(seqs[i].roles.begin(), seqs[i].roles.end(), roles.begin() + static_cast<std::ptrdiff_t>(i * T));
        std::copy(seqs[i].positions.begin(), seqs[i].positions.end(), pos.begin() + static_cast<std::ptrdiff_t>(i * T));
    }
    auto make = [&](const std::vector<int64_t>& v) {
        return toDevice(torch::tensor(v, torch::kInt64).view({B, static_cast<int64_t>(T)}), device_);
    };
    return Batch{make(ids), make(aux), make(roles), make(pos)};
}

TextTrainer::Batch TextTrainer::trainingBatch(const std::vector<Sequence>& seqs)
{
    for (const auto& s : seqs)
        tokens_ += static_cast<int64_t>(s.ids.size());
    return collate(seqs);
}

std::vector<int64_t> TextTrainer::mask(Sequence& s)
{
    std::uniform_real_distribution<double> u(0, 1);
    std::vector<int64_t> labels(s.ids.size(), -100);
    std::vector<size_t> candidates;
    for (size_t i = 0; i < s.ids.size(); ++i) {
        const int64_t role = s.roles[i];
        if (role == RoleHead || role == RoleRelation || role == RoleTarget || role == RoleText)
            candidates.push_back(i);
    }
    bool any = false;
    for (size_t i : candidates)
        if (u(rng_) < config_.transformer.maskProbability) {
            labels[i] = s.ids[i];
            s.ids[i] = TokenLayout::kMask;
            any = true;
        }
    if (!any && !candidates.empty()) { // at least one target per sequence
        const size_t i = candidates[std::uniform_int_distribution<size_t>(0, candidates.size() - 1)(rng_)];
        labels[i] = s.ids[i];
        s.ids[i] = TokenLayout::kMask;
    }
    return labels;
}

TextTrainer::Masked TextTrainer::maskAll(std::vector<Sequence> seqs)
{
    Masked m;
    for (auto& s : seqs)
        m.labels.push_back(mask(s));
    m.seqs = std::move(seqs);
    return m;
}

torch::Tensor TextTrainer::mlmLoss(const Masked& m, int64_t from, int64_t to)
{
    std::vector<int64_t> rows, cols, labels;
    for (int64_t i = from; i < to; ++i) {
        const auto& l = m.labels[static_cast<size_t>(i)];
        for (size_t j = 0; j < l.size(); ++j)
            if (l[j] >= 0) {
                rows.push_back(i - from);
                cols.push_back(static_cast<int64_t>(j));
                labels.push_back(l[j]);
            }
    }
    const auto b = trainingBatch({m.seqs.begin() + from, m.seqs.begin() + to});
    const auto hidden = model_->encode(model_->embed(b.ids, b.aux, b.roles, b.positions), b.roles);
    const auto picked = hidden.index({longs(rows), longs(cols)});
    return torch::nn::functional::cross_entropy(model_->vocabLogits(picked), longs(labels));
}

void TextTrainer::buildRuleTargets()
{
    if (ruleTargetsReady_)
        return;
    ruleTargetsReady_ = true;
    if (projectPath_.empty())
        return;
    auto project = Project::open(projectPath_, Project::OpenMode::ReadOnly);
    const auto graph = reason::GraphIndex::fromProject(*project);
    reason::MiningOptions o;
    o.samplesPerRelation = 30;
    o.evalSources = 100;
    o.threads = std::max(0, config_.threads); // the job's own thread budget
    const reason::RuleIndex rules(reason::mineRules(graph, o));
    const auto trainIds = data_.trainInt64();
    auto acc = trainIds.accessor<int64_t, 2>();
    for (int64_t i = 0; i < data_.train.size(0); ++i) {
        const int64_t h = acc[i][0], r = acc[i][1];
        const int64_t key = h * data_.numRelations + r;
        if (ruleTargets_.count(key))
            continue;
        auto ranked = reason::predictTails(graph, rules, data_.entityIds[static_cast<size_t>(h)],
                                           data_.relationIds[static_cast<size_t>(r)], 10);
        double total = 0;
        for (const auto& [e, s] : ranked)
            total += s;
        auto& out = ruleTargets_[key];
        if (total > 0)
            for (const auto& [e, s] : ranked)
                out.emplace_back(data_.entityIndex.at(e), static_cast<float>(s / total));
    }
}

torch::Tensor TextTrainer::reasonLoss(const std::vector<Example>& batch, const torch::Tensor& logits)
{
    // KL(p_rules || p_model) over the rows (base-direction queries) where rules fire.
    std::vector<int64_t> rows, cols;
    std::vector<float> probs;
    for (size_t i = 0; i < batch.size(); ++i) {
        const auto& e = batch[i];
        if (e.r >= data_.numRelations)
            continue;
        const auto it = ruleTargets_.find(e.h * data_.numRelations + e.r);
        if (it == ruleTargets_.end())
            continue;
        for (const auto& [tail, p] : it->second) {
            rows.push_back(static_cast<int64_t>(i));
            cols.push_back(tail);
            probs.push_back(p);
        }
    }
    if (rows.empty())
        return torch::zeros({}, logits.options());
    const auto logp = torch::log_softmax(logits, -1).index({longs(rows), longs(cols)});
    const auto p = toDevice(torch::tensor(probs), device_);
    return (p * (torch::log(p) - logp)).sum() / static_cast<double>(batch.size());
}

torch::Tensor TextTrainer::longs(const std::vector<int64_t>& values) const
{
    return toDevice(torch::tensor(values, torch::kInt64), device_);
}

double TextTrainer::step(const std::vector<int64_t>& exampleIds) { return finiteLoss(stepLoss(exampleIds)); }

torch::Tensor TextTrainer::stepLoss(const std::vector<int64_t>& exampleIds)
{
    const auto& t = config_.transformer;
    model_->train();
    optimizer_->zero_grad();
    const compat::Bf16Autocast autocast(device_, t.bf16);
    // Data parallel: every rank builds the whole global batch's inputs (so its RNG moves as in
    // one process) and encodes only its share [from, to).
    const auto global = static_cast<int64_t>(exampleIds.size());
    const auto [from, to] = shareOf(global);
    std::vector<Example> batch;
    for (int64_t i : exampleIds)
        batch.push_back(examples_[static_cast<size_t>(i)]);
    torch::Tensor loss;
    if (t.stage == TextStage::Pretrain) {
        std::vector<Sequence> seqs;
        for (const auto& e : batch)
            seqs.push_back(e.row >= 0 ? builder_.build(e.h, e.r, e.t, e.row, &rng_)
                                      : builder_.description(e.h, corpus_->descriptions[static_cast<size_t>(-1 - e.row)].second, 48));
        const auto masked = maskAll(std::move(seqs)); // every row: the RNG moves alike on every rank
        if (from < to)
            loss = mlmLoss(masked, from, to);
    } else {
        std::vector<Sequence> seqs;
        std::vector<int64_t> targets;
        std::uniform_real_distribution<double> u(0, 1);
        for (const auto& e : batch) {
            seqs.push_back(builder_.build(e.h, e.r, -1, e.row, &rng_));
            if (t.context > 0 && u(rng_) < t.headMask)
                seqs.back().ids[1] = TokenLayout::kMask; // answer from the context alone
            targets.push_back(e.t);
        }
        Masked full; // the joint MLM term's inputs, built and masked before the share is cut
        if (t.lambdaLm > 0) {
            std::vector<Sequence> whole;
            for (const auto& e : batch)
                whole.push_back(builder_.build(e.h, e.r, e.t, e.row, &rng_));
            full = maskAll(std::move(whole));
        }
        if (from < to)
            loss = finetuneLoss({batch.begin() + from, batch.begin() + to}, {seqs.begin() + from, seqs.begin() + to},
                                {targets.begin() + from, targets.begin() + to}, full, from, to);
    }
    // Learning-rate schedule: a function of the step count only, so resume stays bit-exact.
    if (t.warmup > 0 || t.cosineDecay) {
        const int64_t epochs = t.scheduleEpochs > 0 ? t.scheduleEpochs : config_.epochs;
        const double total = static_cast<double>(std::max<int64_t>(1, epochs * stepsPerEpoch()));
        const double at = static_cast<double>(steps_) + 1;
        double factor = t.warmup > 0 ? std::min(1.0, at / std::max(1.0, t.warmup * total)) : 1.0;
        if (t.cosineDecay && at > t.warmup * total)
            factor *= 0.5 * (1 + std::cos(M_PI * std::min(1.0, (at - t.warmup * total) / std::max(1.0, (1 - t.warmup) * total))));
        for (auto& group : optimizer_->param_groups())
            static_cast<torch::optim::AdamOptions&>(group.options()).lr(config_.lr * factor);
    }
    ++steps_;
    return dataParallel() ? parallelBackwardAndStep(*optimizer_, loss, to - from, global)
                          : backwardAndStep(*optimizer_, loss);
}

torch::Tensor TextTrainer::finetuneLoss(const std::vector<Example>& batch, const std::vector<Sequence>& seqs,
                                        const std::vector<int64_t>& targets, const Masked& full, int64_t from,
                                        int64_t to)
{
    const auto& t = config_.transformer;
    torch::Tensor loss;
    {
        const auto b = trainingBatch(seqs);
        const auto x = model_->embed(b.ids, b.aux, b.roles, b.positions);
        // The query vector and the entity rows are factors of the regulariser below too.
        const auto query = model_->query(x, model_->encode(x, b.roles)); // [B, D]
        const auto entities = model_->entityRows();                // one table() under LoRA
        const auto logits = model_->scoreQuery(query, entities);
        const auto target = longs(targets);
        namespace F = torch::nn::functional;
        if (kvsAllTargets()) {
            // Every training tail of (h, r) shares the target mass (KvsAll), then smoothing. The
            // tails are the head's edges in the query's direction: answerTails_[from, to) per
            // example, on the device, so a step sends B ranges and expands them there into
            // its (row, tail) pairs (145,000 per batch of 1,024 on fb15k-237; listing them on
            // the host took 1.6 ms a step).
            const int64_t E = data_.numEntities;
            const auto B = static_cast<int64_t>(batch.size());
            // Pair k of example i reads answerTails_[offset[i] + k], k counting from the batch's
            // first pair (offset = the example's range start less the pairs before it).
            std::vector<int64_t> counts(batch.size()), offset(batch.size());
            std::vector<float> share(batch.size());
            int64_t pairs = 0;
            for (size_t i = 0; i < batch.size(); ++i) {
                const auto& e = batch[i];
                counts[i] = e.tailsTo - e.tailsFrom; // >= 1: the example's own tail
                offset[i] = e.tailsFrom - pairs;
                share[i] = static_cast<float>((1 - t.labelSmoothing) / static_cast<double>(counts[i]));
                pairs += counts[i];
            }
            // [pairs]: each pair's example (output size given: no device sync to learn it).
            const auto rows = torch::repeat_interleave(torch::arange(B, target.options()), longs(counts), 0, pairs);
            const auto cols = answerTails_.index_select(
                0, longs(offset).index_select(0, rows) + torch::arange(pairs, rows.options()));
            const auto mass = toDevice(torch::tensor(share), device_).index_select(0, rows);
            // -Σ q·log p with q = floor everywhere plus each pair's mass, as the floor's term
            // over whole rows and a gather at the pairs: no [B, E] target or product (the
            // pairs are distinct, one per training triple and direction).
            const double floor = t.labelSmoothing / static_cast<double>(E);
            const auto logp = torch::log_softmax(logits, -1);
            const auto atPairs = logp.index({rows, cols});
            loss = -(floor * logp.sum() + (mass * atPairs).sum()) / static_cast<double>(B);
        } else {
            loss = F::cross_entropy(logits, target, F::CrossEntropyFuncOptions().label_smoothing(t.labelSmoothing));
        }
        if (t.lambdaLm > 0)
            loss = loss + t.lambdaLm * mlmLoss(full, from, to);
        if (config_.reg != RegKind::None && config_.regWeight > 0) {
            // On the score's two factors, the query vector and the answer's row (as N3 / L2 on
            // a factorisation's factors; Lacroix et al., 2018).
            const auto answer = entities.index_select(0, target);
            auto norm = [&](const torch::Tensor& x) {
                return config_.reg == RegKind::N3 ? torch::pow(x.abs(), 3).sum(-1) : (x * x).sum(-1);
            };
            loss = loss + config_.regWeight * (norm(query) + norm(answer)).mean();
        }
        if (t.lambdaKge > 0) {
            // DistMult on the shared token table: <e_h, w_r, e_t> against every entity.
            const auto table = model_->table();
            std::vector<int64_t> hs, rs;
            for (const auto& e : batch) {
                hs.push_back(builder_.layout().entity(e.h));
                rs.push_back(builder_.layout().relation(e.r));
            }
            const auto q = table.index_select(0, longs(hs)) * table.index_select(0, longs(rs));
            const auto scores = torch::matmul(q, table.narrow(0, TokenLayout::kSpecials, data_.numEntities).t());
            loss = loss + t.lambdaKge * F::cross_entropy(scores, target);
        }
        if (t.lambdaReason > 0) {
            buildRuleTargets();
            loss = loss + t.lambdaReason * reasonLoss(batch, logits);
        }
    }
    return loss;
}

std::vector<EpochResult> TextTrainer::run(const std::function<void(const TrainProgress&)>& onProgress,
                                          const CancelToken* cancel,
                                          const std::function<bool(const EpochResult&)>& onEpoch)
{
    const compat::SingleThreadedBlas blas; // small GEMMs in the OpenMP pool (see torch_compat.h)
    const auto n = static_cast<int64_t>(examples_.size());
    std::vector<int64_t> order(static_cast<size_t>(n));
    return runEpochs(
        epochsDone_, steps_, config_.batchSize,
        [&] {
            std::iota(order.begin(), order.end(), 0);
            std::shuffle(order.begin(), order.end(), rng_);
        },
        [&](int64_t s) {
            const int64_t from = s * config_.batchSize;
            return stepLoss(std::vector<int64_t>(order.begin() + from, order.begin() + std::min(n, from + config_.batchSize)));
        },
        onProgress, cancel, onEpoch);
}

void TextTrainer::saveState(torch::serialize::OutputArchive& archive) const
{
    for (const auto& p : model_->named_parameters())
        archive.write("model." + p.key(), p.value().detach().to(torch::kCPU));
    torch::serialize::OutputArchive opt;
    optimizer_->save(opt);
    archive.write("optimizer", opt);
    std::ostringstream rng;
    rng << rng_;
    const std::string r = rng.str();
    archive.write("rng", torch::tensor(std::vector<uint8_t>(r.begin(), r.end()), torch::kUInt8));
    archive.write("torch_rng", compat::defaultCpuGeneratorState());
    archive.write("steps", torch::tensor(steps_, torch::kInt64));
    if (corpus_) { // the piece rows' meaning (also when pre-training read descriptions only)
        const auto& b = corpus_->tokenizerBytes;
        archive.write("tokenizer", torch::tensor(std::vector<uint8_t>(b.begin(), b.end()), torch::kUInt8));
    }
}

void TextTrainer::loadState(torch::serialize::InputArchive& archive, int64_t epochsDone, const std::string& source)
{
    auto fail = [&](const std::string& why) { throw Error(Errc::Format, "checkpoint '" + source + "': " + why); };
    if (corpus_) {
        if (const auto tok = archiveTokenizer(archive)) {
            if (*tok != corpus_->tokenizerBytes)
                fail("it was trained with another tokenizer than this model's (build the model with the "
                     "checkpoint's: openCheckpoint(...).tokenizer)");
        } else if (config_.transformer.useText) {
            fail("missing the tokenizer it was trained with");
        }
    }
    torch::NoGradGuard noGrad;
    std::vector<std::pair<torch::Tensor, torch::Tensor>> copies;
    bool older = false; // written before a tensor added since existed: it stays zero (same model)
    for (auto& p : model_->named_parameters()) {
        torch::Tensor stored;
        if (!archive.try_read("model." + p.key(), stored)) {
            if (addedSince(p.key())) {
                older = true;
                continue;
            }
            fail("missing tensor '" + p.key() + "'");
        }
        if (stored.sizes() != p.value().sizes() || stored.scalar_type() != p.value().scalar_type())
            fail("tensor '" + p.key() + "' has shape " + c10::str(stored.sizes()) + ", expected " +
                 c10::str(p.value().sizes()));
        copies.emplace_back(p.value(), stored);
    }
    torch::serialize::InputArchive opt;
    torch::Tensor rng, torchRng, steps;
    if (!archive.try_read("optimizer", opt) || !archive.try_read("rng", rng) || !archive.try_read("torch_rng", torchRng) ||
        !archive.try_read("steps", steps))
        fail("missing optimizer or RNG state");
    for (auto& [dst, src] : copies)
        dst.copy_(src);
    try {
        if (!older) // its Adam state lacks the role biases: the moments start afresh
            optimizer_->load(opt);
        compat::setDefaultCpuGeneratorState(torchRng);
    } catch (const c10::Error& e) {
        fail(std::string("optimizer or RNG state does not fit: ") + e.what_without_backtrace());
    }
    const auto* r = rng.data_ptr<uint8_t>();
    std::istringstream in(std::string(r, r + rng.numel()));
    in >> rng_;
    if (!in)
        fail("bad RNG state");
    steps_ = steps.item<int64_t>();
    epochsDone_ = epochsDone;
}

} // namespace kg::ml
