#include "explain_worker.h"

#include <QCoreApplication>
#include <QElapsedTimer>
#include <QMetaObject>
#include <algorithm>

#include "core/error.h"
#include "ml/explainer.h"
#include "qt_convert.h"
#include "store/project.h"
#include "store/run_store.h"
#include "store/run_summary.h"

namespace kgw {

ExplainWorker::ExplainWorker(QObject* parent)
    : QObject(parent)
    , thread_(QStringLiteral("explain"))
{
    qRegisterMetaType<kgw::ExplainResult>();
    qRegisterMetaType<kgw::ExplainLists>();
}

ExplainWorker::~ExplainWorker()
{
    thread_.post([this] { // engine objects die on their own thread
        explainer_.reset();
        labels_.reset();
    });
    thread_.stop();
}

void ExplainWorker::configure(const QString& projectPath, const QString& checkpoint)
{
    thread_.post([this, projectPath, checkpoint] {
        projectPath_ = projectPath;
        checkpoint_ = checkpoint;
        dirty_ = true;
    });
}

void ExplainWorker::ensureExplainer()
{
    if (!dirty_ && explainer_)
        return;
    explainer_.reset();
    kg::reason::MiningOptions mining;
    mining.cancel = &miningCancel_;
    mining.onProgress = [this](double share) { Q_EMIT miningProgress(share); }; // queued to the GUI
    explainer_ = std::make_unique<kg::ml::Explainer>(ss(projectPath_), ss(checkpoint_), mining);
    labels_ = kg::Project::open(ss(projectPath_), kg::Project::OpenMode::ReadOnly);
    dirty_ = false;
}

quint64 ExplainWorker::loadLists(const QString& projectPath, const QStringList& prefer)
{
    const quint64 token = ++next_;
    thread_.post([this, token, projectPath, prefer] {
        ExplainLists out;
        out.token = token;
        out.models.append({QCoreApplication::translate("kgw::ExplainPanel", "mined rules"), QString()});
        try {
            auto project = kg::Project::open(ss(projectPath), kg::Project::OpenMode::ReadOnly);
            for (const auto& r : project->relations())
                out.relations.append({qs(r.displayName()), r.id});
            for (const auto& kept : kg::keptModels(*project)) { // newest first; ranked by key "run:N"
                const QString what = kept.run.kind == "transformer"
                                         ? QCoreApplication::translate("kgw::ExplainPanel", "transformer, %1")
                                               .arg(qs(kept.summary.stage))
                                         : qs(kept.summary.model);
                out.models.append({QCoreApplication::translate("kgw::ExplainPanel", "run %1 (%2)").arg(kept.run.id).arg(what),
                                   qs(kept.key())});
            }
        } catch (const std::exception& e) {
            out.error = qs(e.what());
        }
        out.ranker = out.models.size() > 1 ? out.models[1].second : QString(); // the newest run
        auto listed = [&](const QString& model) {
            return std::any_of(out.models.begin(), out.models.end(), [&](const auto& m) { return m.second == model; });
        };
        if (const auto first = std::find_if(prefer.begin(), prefer.end(), listed); first != prefer.end())
            out.ranker = *first;
        if (projectPath_ != projectPath || checkpoint_ != out.ranker) {
            projectPath_ = projectPath;
            checkpoint_ = out.ranker;
            dirty_ = true;
        }
        Q_EMIT listsLoaded(out);
    });
    return token;
}

quint64 ExplainWorker::request(ExplainResult seed, std::function<void(ExplainResult&)> fill)
{
    const quint64 token = ++next_;
    seed.token = token;
    thread_.post([this, out = std::move(seed), fill = std::move(fill)]() mutable {
        miningCancel_.reset(); // a Stop pressed earlier applied to what ran then, not to this
        QElapsedTimer t;
        t.start();
        try {
            ensureExplainer();
            out.scorer = explainer_->hasTransformer() ? QStringLiteral("transformer")
                         : explainer_->hasKge()       ? QStringLiteral("model")
                         : explainer_->hasModel()     ? QStringLiteral("compgcn")
                                                      : QStringLiteral("rules");
            fill(out);
        } catch (const kg::Error& e) {
            out.cancelled = e.code() == kg::Errc::Cancelled;
            out.error = qs(e.what());
        } catch (const std::exception& e) { // LibTorch (c10::Error) or std: a message, never terminate
            out.error = qs(e.what());
        }
        out.elapsedMs = static_cast<double>(t.nsecsElapsed()) / 1e6;
        Q_EMIT finished(out);
    });
    return token;
}

QString ExplainWorker::entityName(qint64 id) const
{
    const auto e = labels_->entity(id);
    return e ? qs(e->displayName()) : QString::number(id);
}

QString ExplainWorker::relationName(qint64 id) const
{
    const auto r = labels_->relation(id);
    return r ? qs(r->displayName()) : QString::number(id);
}

quint64 ExplainWorker::answers(qint64 head, qint64 relation, int k)
{
    ExplainResult seed;
    seed.answersOnly = true;
    seed.head = head;
    return request(std::move(seed), [this, relation, k](ExplainResult& out) { fillAnswers(out, relation, k); });
}

quint64 ExplainWorker::answersFor(const QString& headText, qint64 relation, int k)
{
    ExplainResult seed;
    seed.answersOnly = true;
    seed.headText = headText;
    return request(std::move(seed), [this, text = ss(headText), relation, k](ExplainResult& out) {
        auto e = labels_->entityByKey(text);
        if (!e) {
            const auto hits = labels_->searchEntities(text, 1);
            if (!hits.empty())
                e = hits.front();
        }
        if (!e) {
            out.noMatch = true;
            return;
        }
        out.head = e->id;
        fillAnswers(out, relation, k);
    });
}

void ExplainWorker::fillAnswers(ExplainResult& out, qint64 relation, int k)
{
    if (const auto e = labels_->entity(out.head))
        out.headKey = qs(e->key);
    for (const auto& a : explainer_->answers(out.head, relation, k))
        out.answers.append({a.entity, entityName(a.entity), a.score, a.known});
}

void ExplainWorker::cancelFacts()
{
    factCancel_->cancel();
    factCancel_ = std::make_shared<kg::CancelToken>(); // the next search gets a fresh token
}

quint64 ExplainWorker::factExplanations(qint64 head, qint64 relation, qint64 tail)
{
    ExplainResult seed;
    seed.factsOnly = true;
    return request(std::move(seed), [this, head, relation, tail, cancel = factCancel_](ExplainResult& out) {
        auto row = [&](const kg::ml::FactRef& f) {
            return FactRow{QStringLiteral("%1 —%2→ %3").arg(entityName(f.head), relationName(f.relation),
                                                           entityName(f.tail)),
                           f.triple};
        };
        auto& rows = out.factRows;
        const kg::ml::FactSearchOptions options;
        const auto n = explainer_->necessary(head, relation, tail, options, cancel.get());
        rows.maxSize = options.maxSize;
        for (const auto& f : n.facts)
            rows.necessary.append(row(f));
        for (const auto& c : n.candidates) {
            FactRow r = row(c.fact);
            r.rankAfter = c.rankAfter;
            r.scoreDrop = c.scoreDrop;
            rows.candidates.append(r);
        }
        rows.necessaryAchieved = n.achieved;
        rows.rankBefore = n.rankBefore;
        rows.rankAfter = n.rankAfter;
        rows.necessarySeconds = n.seconds;
        // Every model has them (necessary() above needs one): KGE post-trains copies of the facts
        // onto other entities' embeddings, the transformer puts them in other entities' input
        // context, CompGCN copies them in its graph.
        const auto su = explainer_->sufficient(head, relation, tail, options, cancel.get());
        for (const auto& f : su.facts)
            rows.sufficient.append(row(f));
        rows.sufficientAchieved = su.achieved;
        rows.convertedEntities = static_cast<int>(su.entities.size());
        rows.convertedShare = su.convertedShare;
        rows.sufficientRankBefore = su.rankBefore;
        rows.sufficientRankAfter = su.rankAfter;
    });
}

void ExplainWorker::cancelExplain()
{
    explainCancel_->cancel();
    explainCancel_ = std::make_shared<kg::CancelToken>(); // the next explanation gets a fresh token
}

quint64 ExplainWorker::explain(qint64 head, qint64 relation, qint64 tail)
{
    cancelExplain(); // its result would be stale: the panel shows the newest answer's
    return request(ExplainResult{}, [this, head, relation, tail, cancel = explainCancel_](ExplainResult& out) {
        for (const auto& p : explainer_->paths(head, relation, tail, {}, cancel.get())) {
            PathRow row;
            row.text = entityName(p.steps.front().from);
            row.entities.append(p.steps.front().from);
            for (const auto& s : p.steps) {
                row.text += s.inverse ? QStringLiteral(" ←%1— %2").arg(relationName(s.relation), entityName(s.to))
                                      : QStringLiteral(" —%1→ %2").arg(relationName(s.relation), entityName(s.to));
                row.triples.append(s.triple);
                row.entities.append(s.to);
            }
            row.ruleConfidence = p.ruleScore;
            row.ruleSupport = p.rule ? p.rule->support : 0;
            row.modelScore = p.modelScore;
            row.scored = p.scored;
            out.paths.append(row);
        }
        if (auto t = explainer_->transformerExplanation(head, relation, tail)) {
            out.attention = std::move(t->attention);
            out.hasAttention = true;
            out.answerRank = t->answerRank;
            out.shortcut = t->shortcut;
            out.answerScore = t->answerScore;
            out.encoderPart = t->encoderPart, out.shortcutPart = t->shortcutPart, out.biasPart = t->biasPart;
            for (const auto& f : t->facts) {
                ContextFactRow row;
                row.text = QStringLiteral("%1 —%2→ %3").arg(entityName(f.head), relationName(f.relation),
                                                           entityName(f.tail));
                row.triple = f.triple;
                row.attribution = f.attribution;
                row.rollout = f.rollout;
                row.occlusion = f.occlusion;
                row.token = f.token;
                out.facts.append(row);
            }
        }
    });
}

} // namespace kgw
