#include "ml/qa_train_data.h"

#include <chrono>
#include <deque>
#include <optional>
#include <unordered_map>
#include <unordered_set>

#include "ml/checkpoint.h"
#include "ml/kg_data.h"
#include "ml/text_corpus.h"
#include "ml/train_job.h"
#include "store/project.h"

namespace kg::ml {

QaTrainData::QaTrainData(Project& project, const QaTrainSpec& spec)
    : project_(project)
    , spec_(spec)
    , knowledge_(QaKnowledge::fromProject(project))
{
    std::vector<int64_t> relationIds;
    for (const auto& r : project.relations())
        relationIds.push_back(r.id);
    std::sort(relationIds.begin(), relationIds.end());
    if (relationIds.empty())
        throw Error(Errc::InvalidArgument, "the project has no relations to reason over");
    graph_ = knowledge_->graph(relationIds);
    records_ = QaStore(project).all();

    // Word table: specials, then the train questions' words (the topic's words excluded).
    file_.words = {"<pad>", "<unk>", "<e>"};
    std::unordered_set<std::string> known(file_.words.begin(), file_.words.end());
    struct Linked {
        const QaRecord* record;
        std::vector<std::string> words;
        QaKnowledge::Topic topic;
    };
    std::vector<Linked> linked; // each train question tokenised and linked once
    for (const QaRecord& r : records_) {
        if (r.split != Split::Train)
            continue;
        auto words = text::wordTokens(r.question);
        const auto t = knowledge_->topic(project, words, r.topic);
        for (size_t i = 0; i < words.size(); ++i)
            if ((i < t.begin || i >= t.end) && known.insert(words[i]).second)
                file_.words.push_back(words[i]);
        linked.push_back({&r, std::move(words), t});
    }
    if (linked.empty())
        throw Error(Errc::InvalidArgument, "the project has no training questions (import some with kgwb qa import)");
    file_.relationIds = relationIds;
    file_.config.vocab = static_cast<int64_t>(file_.words.size());
    file_.config.relations = static_cast<int64_t>(relationIds.size());
    file_.config.dim = spec.dim;
    file_.config.maxHops = spec.maxHops;
    file_.config.dropout = spec.dropout;
    file_.indexWords();
    if (spec.pieces || spec.encoderFrom)
        buildPieceEncoder();
    else
        file_.model = QaReasoner(file_.config);

    for (const Linked& l : linked) {
        Example e = prepare(*l.record, l.words, l.topic);
        if (e.paths.empty())
            ++skipped_;
        else
            train_.push_back(std::move(e));
    }
    if (train_.empty())
        throw Error(Errc::InvalidArgument, "no training question has a topic entity and a path to its answer");
}

namespace {

// Rows copied from another model keep the scale of the rows they replace (mean row norm), so
// the reasoner's other initial weights stay in proportion.
void copyScaled(torch::Tensor dst, const torch::Tensor& src)
{
    const auto target = dst.norm(2, 1).mean();
    const auto have = src.norm(2, 1).mean().clamp_min(1e-8);
    dst.copy_(src * (target / have));
}

} // namespace

void QaTrainData::buildPieceEncoder()
{
    auto& c = file_.config;
    const std::string name = "run " + std::to_string(spec_.encoderFrom);
    int vocabSize = spec_.vocabSize;
    std::optional<OpenedCheckpoint> init; // read once: config, tokenizer, token table
    if (spec_.encoderFrom) {
        init = openCheckpoint(keptModelBytes(project_, spec_.encoderFrom), name);
        const CheckpointInfo& info = init->info;
        if (info.config.model != ModelKind::Transformer)
            throw Error(Errc::InvalidArgument, name + " is not a transformer run: the question encoder starts from "
                                                      "a transformer's token table");
        vocabSize = static_cast<int>(info.config.transformer.vocabSize);
        c.dim = info.config.dim;
    }
    const KgData data = KgData::fromProject(project_);
    // The tokenizer the transformer run read its text with (it carries it), else the project's
    // of that size.
    const TextCorpus text = TextCorpus::load(project_, data.entityIds, vocabSize, false,
                                             init ? init->tokenizer : std::string());
    file_.tokenizerBytes = text.tokenizerBytes;
    file_.tokenizer = std::make_shared<const text::Tokenizer>(text::Tokenizer::fromModelBytes(text.tokenizerBytes));
    c.pieces = text.pieces;
    c.pieceDim = c.dim;
    file_.encoderFrom = spec_.encoderFrom;
    file_.model = QaReasoner(c);
    if (!init)
        return;

    auto& archive = init->archive;
    torch::Tensor table;
    if (!archive.try_read("model.tokens.weight", table))
        throw Error(Errc::InvalidArgument, name + " has no token table to start from");
    const TokenLayout layout{data.numEntities, data.numRelations, 0};
    const int64_t runPieces = table.size(0) - layout.vocab();
    if (table.size(1) != c.dim || runPieces < 0)
        throw Error(Errc::InvalidArgument, name + "'s token table does not fit this project's entities and relations "
                                                  "(the graph changed since the run?)");
    torch::NoGradGuard noGrad;
    auto& m = *file_.model;
    if (runPieces == text.pieces) { // the run read text: its piece rows start the piece table
        m.pieceTable->weight.copy_(table.narrow(0, layout.vocab(), runPieces));
        const double norm = m.pieceTable->weight.narrow(0, 1, runPieces - 1).norm(2, 1).mean().item<double>();
        m.pieceProj->weight.copy_(torch::eye(c.dim) * (std::sqrt(static_cast<double>(c.dim)) / std::max(norm, 1e-8)));
    } else if (runPieces != 0) {
        throw Error(Errc::InvalidArgument, name + " read text with another tokenizer than the project's now");
    }
    // Relation-direction rows: choice k (< 2R) walks project relation relationOf(k), forwards
    // or backwards, which the transformer's token relation(r) or relation(r + R) stands for.
    const int64_t R = c.relations;
    std::vector<int64_t> rows(static_cast<size_t>(2 * R));
    for (int64_t k = 0; k < 2 * R; ++k) {
        const auto [rel, inverse] = graph_.relationOf(k);
        const int64_t r = data.relationIndex.at(rel);
        rows[static_cast<size_t>(k)] = layout.relation(inverse ? r + data.numRelations : r);
    }
    const auto relationRows = table.index_select(0, torch::tensor(rows, torch::kLong));
    copyScaled(m.out->weight.narrow(0, 0, 2 * R), relationRows);
    copyScaled(m.previous->weight.narrow(0, 0, 2 * R), relationRows);
}

std::vector<std::vector<int64_t>> QaTrainData::pathsToAnswers(const QaGraph& graph, int64_t topic,
                                                              const std::vector<int64_t>& answers, int64_t maxHops,
                                                              int64_t limit)
{
    const std::unordered_set<int64_t> wanted(answers.begin(), answers.end());
    std::vector<std::vector<int64_t>> out;
    struct Node {
        std::vector<int64_t> path, frontier;
    };
    std::deque<Node> queue{{{}, {topic}}};
    int64_t expansions = 0;
    while (!queue.empty() && static_cast<int64_t>(out.size()) < limit && expansions < 20000) {
        Node n = std::move(queue.front());
        queue.pop_front();
        const auto leaving = graph.leaving(n.frontier);
        for (int64_t c = 0; c < 2 * graph.relations(); ++c) {
            if (!leaving[static_cast<size_t>(c)])
                continue;
            ++expansions;
            Node next{n.path, graph.step(n.frontier, c)};
            next.path.push_back(c);
            if (std::any_of(next.frontier.begin(), next.frontier.end(), [&](int64_t e) { return wanted.count(e) > 0; })) {
                out.push_back(next.path);
                if (static_cast<int64_t>(out.size()) >= limit)
                    break;
            }
            if (static_cast<int64_t>(next.path.size()) < maxHops)
                queue.push_back(std::move(next));
        }
    }
    return out;
}

QaTrainData::Example QaTrainData::prepare(const QaRecord& r, const std::vector<std::string>& words,
                                         const QaKnowledge::Topic& t)
{
    Example e;
    e.words = file_.encodeWords(words, t.begin, t.end);
    if (!t.entity)
        return e;
    const int64_t R = file_.config.relations;
    if (!spec_.weak && !r.path.empty()) {
        std::vector<int64_t> choices;
        for (const int64_t rel : r.path) {
            const auto c = graph_.signedChoice(rel);
            if (!c)
                return e;
            choices.push_back(*c);
        }
        if (static_cast<int64_t>(choices.size()) <= spec_.maxHops)
            e.paths.push_back(std::move(choices));
    } else {
        e.paths = pathsToAnswers(graph_, t.entity, r.answers, spec_.maxHops, spec_.maxPaths);
    }
    // What each step could have chosen, walking the path (a gold path missing from the graph
    // is dropped).
    std::vector<std::vector<int64_t>> kept;
    for (auto& path : e.paths) {
        std::vector<std::vector<char>> steps;
        std::vector<int64_t> frontier{t.entity};
        bool ok = true;
        for (size_t h = 0; h <= path.size(); ++h) {
            auto allowed = static_cast<int64_t>(h) < spec_.maxHops ? graph_.leaving(frontier)
                                                                   : std::vector<char>(static_cast<size_t>(2 * R + 1), 0);
            allowed[static_cast<size_t>(2 * R)] = h >= 1;
            if (h < path.size()) {
                if (!allowed[static_cast<size_t>(path[h])]) {
                    ok = false;
                    break;
                }
                frontier = graph_.step(frontier, path[h]);
            }
            steps.push_back(std::move(allowed));
        }
        if (ok) {
            kept.push_back(std::move(path));
            e.allowed.push_back(std::move(steps));
        }
    }
    e.paths = std::move(kept);
    return e;
}

int64_t QaTrainData::stepsPerEpoch() const
{
    return (static_cast<int64_t>(train_.size()) + spec_.batchSize - 1) / spec_.batchSize;
}

bool QaTrainData::hasValid() const
{
    return std::any_of(records_.begin(), records_.end(), [](const QaRecord& r) { return r.split == Split::Valid; });
}

std::vector<size_t> QaTrainData::shuffled(std::mt19937_64& rng) const
{
    std::vector<size_t> order(train_.size());
    std::iota(order.begin(), order.end(), size_t{0});
    std::shuffle(order.begin(), order.end(), rng);
    return order;
}

torch::Tensor QaTrainData::batchLoss(const std::vector<size_t>& order, int64_t step)
{
    const auto& c = file_.config;
    const size_t from = static_cast<size_t>(step * spec_.batchSize);
    const size_t to = std::min(order.size(), from + static_cast<size_t>(spec_.batchSize));
    int64_t rows = 0, L = 1, P = 1;
    for (size_t i = from; i < to; ++i) {
        const Example& e = train_[order[i]];
        rows += static_cast<int64_t>(e.paths.size());
        L = std::max<int64_t>(L, static_cast<int64_t>(e.words.ids.size()));
        P = std::max<int64_t>(P, static_cast<int64_t>(e.paths.size()));
    }
    const int64_t T = c.maxHops + 1, C = c.choices(), G = static_cast<int64_t>(to - from);
    const int64_t Pc = c.pieces > 0 ? c.maxPieces : 0;
    auto words = torch::zeros({rows, L}, torch::kLong);
    auto offsets = torch::full({rows, L}, c.maxOffset, torch::kLong);
    auto pieces = torch::zeros({rows, L, std::max<int64_t>(Pc, 1)}, torch::kLong);
    auto prev = torch::full({rows, T}, c.start(), torch::kLong);
    auto target = torch::full({rows, T}, -1, torch::kLong);
    auto allowed = torch::zeros({rows, T, C}, torch::kBool);
    auto group = torch::full({G, P}, -1, torch::kLong);
    auto w = words.accessor<int64_t, 2>(), o = offsets.accessor<int64_t, 2>(), pv = prev.accessor<int64_t, 2>(),
         tg = target.accessor<int64_t, 2>(), gr = group.accessor<int64_t, 2>();
    auto al = allowed.accessor<bool, 3>();
    auto pc = pieces.accessor<int64_t, 3>();
    int64_t row = 0;
    for (size_t i = from; i < to; ++i) {
        const Example& e = train_[order[i]];
        for (size_t p = 0; p < e.paths.size(); ++p, ++row) {
            gr[static_cast<int64_t>(i - from)][static_cast<int64_t>(p)] = row;
            for (size_t k = 0; k < e.words.ids.size(); ++k) {
                const auto kk = static_cast<int64_t>(k);
                w[row][kk] = e.words.ids[k];
                o[row][kk] = e.words.offsets[k];
                for (int64_t j = 0; j < Pc; ++j)
                    pc[row][kk][j] = e.words.pieces[k * static_cast<size_t>(Pc) + static_cast<size_t>(j)];
            }
            const auto& path = e.paths[p];
            for (size_t h = 0; h <= path.size(); ++h) {
                const auto hh = static_cast<int64_t>(h);
                tg[row][hh] = h < path.size() ? path[h] : c.stop();
                if (h + 1 < static_cast<size_t>(T))
                    pv[row][hh + 1] = h < path.size() ? path[h] : c.stop();
                const auto& a = e.allowed[p][h];
                for (int64_t k = 0; k < C; ++k)
                    al[row][hh][k] = a[static_cast<size_t>(k)] != 0;
            }
        }
    }
    auto& m = *file_.model;
    if (Pc > 0 && spec_.wordDropout > 0) {
        // Word dropout: some known words are read through their pieces alone (as kUnk), so the
        // model learns to read the words it will not know at question time.
        const auto drop = torch::rand({rows, L}).lt(spec_.wordDropout).logical_and(words.gt(kEntityWord));
        words = words.masked_fill(drop, kUnk);
    }
    const auto states = m.encode(words, offsets, Pc > 0 ? pieces : torch::Tensor());
    const auto padding = words.eq(kPad);
    auto coverage = torch::zeros({rows, L});
    auto logp = torch::zeros({rows});
    for (int64_t t = 0; t < T; ++t) {
        const auto h = m.hop(states, padding, t, prev.select(1, t), coverage);
        const auto lp = torch::log_softmax(h.logits.masked_fill(allowed.select(1, t).logical_not(), -1e9), -1);
        const auto tgt = target.select(1, t);
        const auto valid = tgt.ge(0);
        logp = logp + lp.gather(1, tgt.clamp_min(0).unsqueeze(1)).squeeze(1) * valid.to(torch::kFloat);
        coverage = coverage + h.attention;
    }
    // Marginal over each question's paths: logsumexp over its rows (padding = -inf).
    const auto padded = torch::cat({logp, torch::full({1}, -std::numeric_limits<float>::infinity())});
    const auto idx = group.masked_fill(group.lt(0), rows);
    return -torch::logsumexp(padded.index_select(0, idx.view(-1)).view({G, P}), 1).mean();
}

QaMetrics QaTrainData::evaluate(Split split, const CancelToken* cancel)
{
    using Clock = std::chrono::steady_clock;
    file_.model->eval();
    QaMetrics m;
    int64_t withPath = 0, pathOk = 0, withTopic = 0, linkOk = 0;
    const auto started = Clock::now();
    for (const QaRecord& r : records_) {
        if (r.split != split)
            continue;
        if (cancel)
            cancel->throwIfCancelled();
        const auto words = text::wordTokens(r.question);
        const auto t = knowledge_->topic(project_, words, 0);
        ++m.questions;
        m.synthetic += r.synthetic;
        if (r.topic) {
            ++withTopic;
            linkOk += t.entity == r.topic;
        }
        if (!r.path.empty())
            ++withPath;
        if (!t.entity)
            continue;
        const auto paths = decodePaths(*file_.model, graph_, file_.encodeWords(words, t.begin, t.end), t.entity, spec_.beam);
        const auto ranked = rankAnswers(paths, 100);
        const std::unordered_set<int64_t> answers(r.answers.begin(), r.answers.end());
        for (size_t i = 0; i < ranked.size(); ++i)
            if (answers.count(ranked[i].entity)) {
                m.mrr += 1.0 / static_cast<double>(i + 1);
                m.hits1 += i == 0;
                break;
            }
        if (!r.path.empty() && !ranked.empty()) {
            std::vector<int64_t> gold;
            for (const int64_t rel : r.path)
                gold.push_back(graph_.signedChoice(rel).value_or(-1));
            pathOk += paths[ranked.front().path].choices == gold;
        }
    }
    if (m.questions) {
        const double n = static_cast<double>(m.questions);
        m.hits1 /= n;
        m.mrr /= n;
        m.msPerQuestion = std::chrono::duration<double, std::milli>(Clock::now() - started).count() / n;
    }
    m.pathAccuracy = withPath ? static_cast<double>(pathOk) / static_cast<double>(withPath) : 0;
    m.linkAccuracy = withTopic ? static_cast<double>(linkOk) / static_cast<double>(withTopic) : 0;
    return m;
}

} // namespace kg::ml
