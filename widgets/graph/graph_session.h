// What the graph explorer shows, apart from how it is drawn: the subgraph in view, entity and
// relation labels, how many triples each expanded node still has to page in, and the
// neighbourhood loads (with stale-result tokens) that run off the GUI thread.
//
// Threading: GUI thread only, and it runs no SQL there. Every read (relation labels, pages of
// a node's triples, neighbourhoods, triples to show, what an edit changed) runs on the
// session's loader thread, over its own read-only connection, in the order asked, and lands
// with a stale-result token. Labels come with the reads that bring their nodes.
#pragma once

#include <QHash>
#include <QObject>
#include <QSet>
#include <QString>
#include <functional>
#include <memory>

#include "graph/subgraph.h"
#include "read_worker.h"

namespace kg {
class Project;
}

namespace kgw {

class GraphSession : public QObject {
    Q_OBJECT
public:
    explicit GraphSession(QObject* parent = nullptr);
    ~GraphSession() override;

    // Forgets the view and reads the new project's relation labels on the loader thread, ahead
    // of any load of it (null = no project).
    void setProject(std::shared_ptr<kg::Project> project);
    kg::Project* project() const { return project_.get(); }
    const kg::Subgraph& graph() const { return graph_; }

    // Empties the view; a neighbourhood load still running is dropped when it lands.
    void clear();
    // Pages in the next `cap` triples of `entity` (and the labels of their ends) on the loader
    // thread; ends in pageAdded or loadFailed unless clear() came first. False (nothing
    // asked) while a page of that entity is still loading, or without a project.
    bool requestPage(qint64 entity, int cap);
    // Replaces the view with the BFS neighbourhood of `seed`, loaded on the loader thread;
    // ends in neighbourhoodLoaded or loadFailed unless clear() or another load came first.
    void loadNeighbourhood(qint64 seed, int maxNodes, int perNodeCap);
    bool loading() const { return loading_ || !pagesLoading_.isEmpty() || readsInFlight_ > 0; }
    // Adds these triples (and their ends) that the project still holds, read on the loader
    // thread; then(true if any was new) runs after, unless the view was replaced meanwhile.
    void addTriples(const QList<qint64>& triples, std::function<void(bool added)> then = {});
    void removeNode(qint64 entity);
    void removeEdge(qint64 triple);
    // After edits, undo or redo: drops what the project lost, adds only the triples between
    // nodes in view that the edit touched (new ones, and ones undo restored), and re-reads
    // labels, on the loader thread; ends in refreshed(changed) unless the view was replaced or
    // a later refresh() asked again meanwhile.
    void refresh();

    QString entityLabel(qint64 entity) const; // as the last read brought it; "#id" if none did
    QString relationLabel(qint64 relation) const;
    qint64 remaining(qint64 entity) const { return remaining_.value(entity); } // not yet paged in

Q_SIGNALS:
    void neighbourhoodLoaded(qint64 seed);
    void pageAdded(qint64 entity, int added, qint64 remaining);
    void loadFailed(const QString& message);
    void refreshed(bool changed);

private:
    // reads_.post() for this session's project, results to this object.
    template <typename Result, typename Read, typename Apply>
    void postRead(Read read, Apply apply);

    std::shared_ptr<kg::Project> project_;
    kg::Subgraph graph_;
    QHash<qint64, QString> labels_, relationLabels_;
    QHash<qint64, qint64> remaining_; // entity -> triples not yet paged in
    // After an edit only what it touched enters the view: triples newer than lastTriple_
    // (added) and those the view lost to a deletion (restored by undo), not every triple
    // between nodes in view.
    qint64 lastTriple_ = 0;
    QSet<qint64> deletedInView_;
    quint64 loadToken_ = 0;
    bool loading_ = false;
    QHash<qint64, quint64> pagesLoading_; // entity -> its page request in flight
    quint64 pageSerial_ = 0;
    quint64 refreshSerial_ = 0;
    quint64 projectSerial_ = 0;
    int readsInFlight_ = 0; // project basics, triples to show and refreshes posted, not yet landed
    // Runs the loads; last member, so it joins first.
    ReadWorker reads_{QStringLiteral("kgwb-graph-loader")};
};

} // namespace kgw
