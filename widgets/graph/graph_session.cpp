#include "graph_session.h"

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

// Adds the display name of `entity` (if the project has it) unless `labels` holds one.
void addLabel(kg::Project& project, int64_t entity, QHash<qint64, QString>& labels)
{
    if (!labels.contains(entity))
        if (auto e = project.entity(entity))
            labels.insert(entity, qs(e->displayName()));
}

} // namespace

struct GraphSession::LoaderState {
    std::unique_ptr<kg::Project> connection;

    // The connection to `path`, opened (read-only) on first use or when the path changes.
    kg::Project& open(const std::string& path)
    {
        if (!connection || connection->path() != path)
            connection = kg::Project::open(path, kg::Project::OpenMode::ReadOnly);
        return *connection;
    }
};

GraphSession::GraphSession(QObject* parent)
    : QObject(parent)
    , state_(std::make_shared<LoaderState>())
{
}

template <typename Result, typename Read, typename Apply>
void GraphSession::postRead(Read read, Apply apply)
{
    loader_->post([this, read, apply, state = state_, path = project_->path()] {
        Result out;
        try {
            read(state->open(path), out);
        } catch (const std::exception& e) {
            out.error = QString::fromUtf8(e.what());
        }
        QMetaObject::invokeMethod(this, [apply, out = std::move(out)]() mutable { apply(std::move(out)); },
                                  Qt::QueuedConnection);
    });
}

GraphSession::~GraphSession()
{
    ++loadToken_; // results still on their way are dropped
    loader_->post([state = state_] { state->connection.reset(); }); // closed on its own thread
    loader_->stop();
}

void GraphSession::setProject(std::shared_ptr<kg::Project> project)
{
    clear();
    project_ = std::move(project);
    labels_.clear();
    deletedInView_.clear();
    lastTriple_ = project_ ? project_->lastTripleId() : 0;
    loadRelationLabels();
}

void GraphSession::loadRelationLabels()
{
    relationLabels_.clear();
    if (project_)
        for (const auto& r : project_->relations())
            relationLabels_[r.id] = qs(r.displayName());
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

bool GraphSession::addTriples(const QList<qint64>& triples)
{
    bool added = false;
    if (project_)
        for (qint64 id : triples)
            if (const auto t = project_->triple(id))
                added = graph_.addEdge(*t) || added;
    return added;
}

void GraphSession::removeNode(qint64 entity)
{
    graph_.removeNode(entity);
    remaining_.remove(entity);
    pagesLoading_.remove(entity); // a page on its way is dropped
}

void GraphSession::removeEdge(qint64 triple) { graph_.removeEdge(triple); }

bool GraphSession::refresh()
{
    if (!project_)
        return false;
    loadRelationLabels();
    bool changed = false;
    for (const auto& e : std::vector<kg::TripleRecord>(graph_.edges()))
        if (!project_->triple(e.id)) {
            graph_.removeEdge(e.id);
            deletedInView_.insert(e.id);
            changed = true;
        }
    for (int64_t n : std::vector<int64_t>(graph_.nodes()))
        if (!project_->entity(n)) {
            graph_.removeNode(n);
            changed = true;
        }
    const qint64 last = project_->lastTripleId();
    if (graph_.nodes().size() <= 300 && (last > lastTriple_ || !deletedInView_.isEmpty()))
        for (int64_t n : std::vector<int64_t>(graph_.nodes()))
            for (const auto& t : project_->triplesAround(n, 200))
                if ((t.id > lastTriple_ || deletedInView_.contains(t.id)) && graph_.hasNode(t.head) &&
                    graph_.hasNode(t.tail) && graph_.addEdge(t)) {
                    deletedInView_.remove(t.id);
                    changed = true;
                }
    lastTriple_ = last;
    labels_.clear();
    return changed;
}

QString GraphSession::entityLabel(qint64 entity)
{
    auto it = labels_.find(entity);
    if (it != labels_.end())
        return *it;
    QString label = QStringLiteral("#%1").arg(entity);
    if (project_)
        if (auto e = project_->entity(entity))
            label = qs(e->displayName());
    labels_.insert(entity, label);
    return label;
}

QString GraphSession::relationLabel(qint64 relation) const
{
    return relationLabels_.value(relation, QStringLiteral("#%1").arg(relation));
}

} // namespace kgw
