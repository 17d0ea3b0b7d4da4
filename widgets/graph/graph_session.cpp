#include "graph_session.h"

#include <algorithm>

#include "core/error.h"
#include "qt_convert.h"
#include "store/project.h"

namespace kgw {
namespace {

struct Neighbourhood {
    kg::Subgraph graph;
    QHash<qint64, QString> labels;
    QString error;
};

struct Page {
    kg::ExpandPage page;
    QHash<qint64, QString> labels;
    QString error;
};

struct ProjectBasics {
    QHash<qint64, QString> relationLabels;
    qint64 lastTriple = 0;
    QString error;
};

struct Triples {
    std::vector<kg::TripleRecord> triples; // those the project still holds
    QHash<qint64, QString> labels;         // of their ends
    QString error;
};

// What an edit changed about the view, read against the snapshot the view had when it asked.
struct Refresh {
    ProjectBasics basics;
    QSet<qint64> goneEdges, goneNodes;
    std::vector<kg::TripleRecord> candidates; // new, or restored by undo, around nodes in view
    QHash<qint64, QString> labels;            // of the nodes in view
    QString error;
};

QHash<qint64, QString> readRelationLabels(kg::Project& project)
{
    QHash<qint64, QString> out;
    for (const auto& r : project.relations())
        out.insert(r.id, qs(r.displayName()));
    return out;
}

// Adds the display name of `entity` (if the project has it) unless `labels` holds one.
void addLabel(kg::Project& project, int64_t entity, QHash<qint64, QString>& labels)
{
    if (!labels.contains(entity))
        if (auto e = project.entity(entity))
            labels.insert(entity, qs(e->displayName()));
}

} // namespace

GraphSession::GraphSession(QObject* parent)
    : QObject(parent)
{
}

template <typename Result, typename Read, typename Apply>
void GraphSession::postRead(Read read, Apply apply)
{
    reads_.post<Result>(this, project_->path(), std::move(read), std::move(apply));
}

GraphSession::~GraphSession()
{
    ++loadToken_; // results still on their way are dropped (reads_ joins after this)
}

void GraphSession::setProject(std::shared_ptr<kg::Project> project)
{
    clear();
    project_ = std::move(project);
    labels_.clear();
    relationLabels_.clear();
    deletedInView_.clear();
    lastTriple_ = 0;
    if (!project_)
        return;
    // Queued before any load of this project, so the labels are in before its edges arrive.
    const quint64 serial = ++projectSerial_;
    ++readsInFlight_;
    postRead<ProjectBasics>(
        [](kg::Project& p, ProjectBasics& out) {
            out.relationLabels = readRelationLabels(p);
            out.lastTriple = p.lastTripleId();
        },
        [this, serial](ProjectBasics b) {
            --readsInFlight_;
            if (serial != projectSerial_)
                return; // another project came meanwhile
            if (!b.error.isEmpty()) {
                Q_EMIT loadFailed(b.error);
                return;
            }
            relationLabels_ = std::move(b.relationLabels);
            lastTriple_ = std::max(lastTriple_, b.lastTriple);
        });
}

void GraphSession::clear()
{
    ++loadToken_;
    loading_ = false;
    pagesLoading_.clear();
    graph_.clear();
    remaining_.clear();
}

bool GraphSession::requestPage(qint64 entity, int cap)
{
    if (!project_ || pagesLoading_.contains(entity))
        return false;
    const quint64 serial = ++pageSerial_;
    pagesLoading_.insert(entity, serial);
    const quint64 token = loadToken_;
    const int64_t offset = graph_.expandedOffset(entity);
    auto apply = [this, token, serial, entity](Page p) {
        if (token != loadToken_ || pagesLoading_.value(entity) != serial)
            return; // cleared, or the node removed, meanwhile
        pagesLoading_.remove(entity);
        if (!p.error.isEmpty()) {
            Q_EMIT loadFailed(p.error);
            return;
        }
        const auto r = kg::applyPage(graph_, p.page);
        if (!r)
            return; // the view paged this node otherwise meanwhile
        labels_.insert(p.labels);
        remaining_[entity] = r->remaining;
        Q_EMIT pageAdded(entity, r->added, r->remaining);
    };
    postRead<Page>(
        [entity, offset, cap](kg::Project& p, Page& out) {
            out.page = kg::readPage(p, entity, offset, cap);
            addLabel(p, entity, out.labels);
            for (const auto& t : out.page.triples) {
                addLabel(p, t.head, out.labels);
                addLabel(p, t.tail, out.labels);
            }
        },
        apply);
    return true;
}

void GraphSession::loadNeighbourhood(qint64 seed, int maxNodes, int perNodeCap)
{
    if (!project_)
        return;
    clear();
    const quint64 token = loadToken_;
    loading_ = true;
    auto apply = [this, token, seed](Neighbourhood n) {
        if (token != loadToken_)
            return; // superseded
        loading_ = false;
        if (!n.error.isEmpty()) {
            Q_EMIT loadFailed(n.error);
            return;
        }
        graph_ = std::move(n.graph);
        labels_.insert(n.labels);
        remaining_.clear();
        Q_EMIT neighbourhoodLoaded(seed);
    };
    postRead<Neighbourhood>(
        [seed, maxNodes, perNodeCap](kg::Project& p, Neighbourhood& out) {
            out.graph = kg::neighbourhood(p, seed, static_cast<size_t>(maxNodes), perNodeCap);
            for (int64_t id : out.graph.nodes())
                addLabel(p, id, out.labels);
        },
        apply);
}

void GraphSession::addTriples(const QList<qint64>& triples, std::function<void(bool added)> then)
{
    if (!project_)
        return;
    const quint64 token = loadToken_;
    ++readsInFlight_;
    postRead<Triples>(
        [ids = triples](kg::Project& p, Triples& out) {
            for (qint64 id : ids)
                if (auto t = p.triple(id)) {
                    addLabel(p, t->head, out.labels);
                    addLabel(p, t->tail, out.labels);
                    out.triples.push_back(*t);
                }
        },
        [this, token, then = std::move(then)](Triples t) {
            --readsInFlight_;
            if (token != loadToken_)
                return; // the view was replaced meanwhile
            if (!t.error.isEmpty()) {
                Q_EMIT loadFailed(t.error);
                return;
            }
            bool added = false;
            for (const auto& triple : t.triples)
                added = graph_.addEdge(triple) || added;
            labels_.insert(t.labels);
            if (then)
                then(added);
        });
}

void GraphSession::removeNode(qint64 entity)
{
    graph_.removeNode(entity);
    remaining_.remove(entity);
    pagesLoading_.remove(entity); // a page on its way is dropped
}

void GraphSession::removeEdge(qint64 triple) { graph_.removeEdge(triple); }

void GraphSession::refresh()
{
    if (!project_)
        return;
    const quint64 token = loadToken_, serial = ++refreshSerial_;
    ++readsInFlight_;
    std::vector<int64_t> edges, nodes(graph_.nodes().begin(), graph_.nodes().end());
    for (const auto& e : graph_.edges())
        edges.push_back(e.id);
    const qint64 since = lastTriple_;
    const QSet<qint64> deleted = deletedInView_;
    postRead<Refresh>(
        [edges = std::move(edges), nodes = std::move(nodes), since, deleted](kg::Project& p, Refresh& out) {
            out.basics.relationLabels = readRelationLabels(p);
            out.basics.lastTriple = p.lastTripleId();
            for (int64_t id : edges)
                if (!p.triple(id))
                    out.goneEdges.insert(id);
            for (int64_t n : nodes) {
                if (auto e = p.entity(n))
                    out.labels.insert(n, qs(e->displayName()));
                else
                    out.goneNodes.insert(n);
            }
            if (nodes.size() <= 300 && (out.basics.lastTriple > since || !deleted.isEmpty()))
                for (int64_t n : nodes)
                    for (const auto& t : p.triplesAround(n, 200))
                        if (t.id > since || deleted.contains(t.id))
                            out.candidates.push_back(t);
        },
        [this, token, serial](Refresh r) {
            --readsInFlight_;
            if (token != loadToken_ || serial != refreshSerial_)
                return; // the view was replaced, or a later edit asked again
            if (!r.error.isEmpty()) {
                Q_EMIT loadFailed(r.error);
                return;
            }
            bool changed = false;
            for (qint64 id : r.goneEdges)
                if (graph_.hasEdge(id)) {
                    graph_.removeEdge(id);
                    deletedInView_.insert(id);
                    changed = true;
                }
            for (qint64 n : r.goneNodes)
                if (graph_.hasNode(n)) {
                    graph_.removeNode(n);
                    remaining_.remove(n);
                    changed = true;
                }
            for (const auto& t : r.candidates)
                if (!r.goneEdges.contains(t.id) && graph_.hasNode(t.head) && graph_.hasNode(t.tail) && graph_.addEdge(t)) {
                    deletedInView_.remove(t.id);
                    changed = true;
                }
            lastTriple_ = std::max(lastTriple_, r.basics.lastTriple);
            relationLabels_ = std::move(r.basics.relationLabels);
            labels_.insert(r.labels); // renames; nodes that came meanwhile keep the labels they came with
            Q_EMIT refreshed(changed);
        });
}

QString GraphSession::entityLabel(qint64 entity) const
{
    return labels_.value(entity, QStringLiteral("#%1").arg(entity));
}

QString GraphSession::relationLabel(qint64 relation) const
{
    return relationLabels_.value(relation, QStringLiteral("#%1").arg(relation));
}

} // namespace kgw
