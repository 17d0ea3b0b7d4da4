// QaAnswerer (ml/qa.h): a trained reasoner with the project's graph, answering questions.
#include <chrono>

#include "ml/qa.h"
#include "ml/qa_completion.h"
#include "ml/qa_model.h"
#include "store/artifact_store.h"
#include "store/project.h"
#include "store/run_store.h"

namespace kg::ml {

struct QaAnswerer::Impl {
    std::unique_ptr<Project> project;
    std::unique_ptr<QaKnowledge> knowledge;
    QaModelFile file;
    std::unique_ptr<GnnCompletion> completion;
    QaGraph graph;
    int64_t run = 0;
};

QaAnswerer::QaAnswerer(std::unique_ptr<Impl> impl)
    : impl_(std::move(impl))
{
}

QaAnswerer::~QaAnswerer() = default;

int64_t QaAnswerer::run() const { return impl_->run; }

std::unique_ptr<QaAnswerer> QaAnswerer::load(const std::string& projectPath, int64_t run, int64_t completionRun,
                                             double minProbability)
{
    auto impl = std::make_unique<Impl>();
    impl->project = Project::open(projectPath, Project::OpenMode::ReadOnly);
    if (run == 0) {
        for (const auto& r : RunStore(*impl->project).runs()) // newest first
            if (r.kind == "qa" && (r.status == "finished" || r.status == "cancelled") &&
                ArtifactStore(*impl->project).get("qa.run." + std::to_string(r.id))) {
                run = r.id;
                break;
            }
        if (run == 0)
            throw Error(Errc::NotFound, "the project has no trained question-answering model (run kgwb qa train)");
    }
    const auto artifact = ArtifactStore(*impl->project).get("qa.run." + std::to_string(run));
    if (!artifact)
        throw Error(Errc::NotFound, "run " + std::to_string(run) + " kept no question-answering model");
    impl->file = QaModelFile::fromBytes(artifact->data, "run " + std::to_string(run));
    impl->knowledge = QaKnowledge::fromProject(*impl->project);
    impl->graph = impl->knowledge->graph(impl->file.relationIds);
    if (completionRun) {
        impl->completion = std::make_unique<GnnCompletion>(*impl->project, completionRun, minProbability);
        impl->graph.completion = impl->completion.get();
    }
    impl->run = run;
    return std::unique_ptr<QaAnswerer>(new QaAnswerer(std::move(impl)));
}

QaResult QaAnswerer::ask(const std::string& question, const QaAskOptions& options) const
{
    const auto started = std::chrono::steady_clock::now();
    Impl& d = *impl_;
    QaResult out;
    out.words = text::wordTokens(question);
    const auto t = d.knowledge->topic(*d.project, out.words, options.topic);
    out.topic = t.entity;
    out.topicBegin = t.begin;
    out.topicEnd = t.end;
    out.linkedBy = t.by;
    if (!t.entity)
        return out;
    std::vector<int64_t> forced;
    for (const int64_t rel : options.path) {
        const auto c = d.graph.signedChoice(rel);
        if (!c)
            throw Error(Errc::InvalidArgument, "relation " + std::to_string(rel < 0 ? -rel : rel) + " is not known to the model");
        forced.push_back(*c);
    }
    if (static_cast<int64_t>(forced.size()) > d.file.config.maxHops)
        throw Error(Errc::InvalidArgument, "the model reasons over at most " + std::to_string(d.file.config.maxHops) + " hops");
    const QaEncodedQuestion encoded = d.file.encodeWords(out.words, t.begin, t.end);
    const auto decoded = decodePaths(*d.file.model, d.graph, encoded, t.entity, options.beam, forced);

    // Attention is over the model's words (the topic is one word); spread it back onto the
    // question's words, the topic's words sharing its weight.
    auto toQuestion = [&](const std::vector<float>& a) {
        std::vector<float> w(out.words.size(), 0.f);
        const bool topic = t.end > t.begin;
        for (size_t q = 0, m = 0; q < out.words.size(); ++q) {
            if (topic && q >= t.begin && q < t.end) {
                w[q] = a[t.begin] / static_cast<float>(t.end - t.begin);
                if (q + 1 == t.end)
                    m = t.begin + 1;
                continue;
            }
            w[q] = m < a.size() ? a[m] : 0.f;
            ++m;
        }
        return w;
    };
    for (const auto& p : decoded) {
        QaPath path;
        path.probability = std::exp(p.logProb);
        path.reached = static_cast<int64_t>(p.frontiers.back().size());
        for (size_t h = 0; h < p.choices.size(); ++h) {
            QaHop hop;
            std::tie(hop.relation, hop.inverse) = d.graph.relationOf(p.choices[h]);
            hop.probability = p.probabilities[h];
            hop.attention = toQuestion(p.attention[h]);
            path.hops.push_back(std::move(hop));
        }
        out.paths.push_back(std::move(path));
    }
    for (const QaRanked& r : rankAnswers(decoded, static_cast<size_t>(std::max<int64_t>(options.k, 1)))) {
        QaAnswerItem item;
        item.entity = r.entity;
        item.score = r.score;
        item.path = r.path;
        // One walk of the path that ends at the answer, found backwards through the frontiers:
        // a graph edge where there is one, else a fact the completion model predicted.
        const auto& p = decoded[r.path];
        std::vector<int64_t> chain{r.entity};
        std::vector<char> predicted;
        std::vector<int64_t> triples;
        for (size_t h = p.choices.size(); h-- > 0;) {
            const auto [rel, inverse] = d.graph.relationOf(p.choices[h]);
            const int64_t at = chain.back();
            int64_t from = 0;
            bool guessed = false;
            for (const int64_t e : p.frontiers[h])
                if (const auto id = inverse ? d.knowledge->index.tripleId(at, rel, e) : d.knowledge->index.tripleId(e, rel, at)) {
                    from = e;
                    triples.push_back(*id);
                    break;
                }
            if (!from && d.completion)
                for (const int64_t e : p.frontiers[h]) {
                    for (const auto& f : d.completion->predicted(e))
                        if (f.relation == rel && f.inverse == inverse && f.other == at) {
                            from = e;
                            guessed = true;
                            break;
                        }
                    if (from)
                        break;
                }
            chain.push_back(from);
            predicted.push_back(guessed);
        }
        item.chain.assign(chain.rbegin(), chain.rend());
        item.predicted.assign(predicted.rbegin(), predicted.rend());
        item.triples.assign(triples.rbegin(), triples.rend());
        out.answers.push_back(std::move(item));
    }
    out.milliseconds = std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - started).count();
    return out;
}

} // namespace kg::ml
