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

} // namespace

GraphSession::GraphSession(QObject* parent)
    : QObject(parent)
{
}

GraphSession::~GraphSession() = default;

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
    graph_.clear();
    remaining_.clear();
}

kg::ExpandResult GraphSession::expand(qint64 entity, int cap)
{
    if (!project_)
        throw kg::Error(kg::Errc::InvalidArgument, "no project is open");
    const auto r = kg::expand(*project_, graph_, entity, cap);
    remaining_[entity] = r.remaining;
    return r;
}

void GraphSession::loadNeighbourhood(qint64 seed, int maxNodes, int perNodeCap)
{
    if (!project_)
        return;
    clear();
    const quint64 token = loadToken_;
    loading_ = true;
    const std::string path = project_->path();
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
    loader_->post([this, apply, path, seed, maxNodes, perNodeCap] {
        Neighbourhood out;
        try {
            auto p = kg::Project::open(path, kg::Project::OpenMode::ReadOnly); // this thread's own connection
            out.graph = kg::neighbourhood(*p, seed, static_cast<size_t>(maxNodes), perNodeCap);
            for (int64_t id : out.graph.nodes())
                if (auto e = p->entity(id))
                    out.labels.insert(id, qs(e->displayName()));
        } catch (const std::exception& e) {
            out.error = QString::fromUtf8(e.what());
        }
        QMetaObject::invokeMethod(this, [apply, out = std::move(out)]() mutable { apply(std::move(out)); },
                                  Qt::QueuedConnection);
    });
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
