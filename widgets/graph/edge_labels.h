// Where edge labels sit along their edges, so they do not cover each other or the nodes.
// Greedy, as graph editors commonly place labels: highlighted edges first, then shorter edges
// before longer ones (they have fewer free spots); each label takes the first spot, from the
// middle of its edge outwards, whose box meets no node and no label placed before it, or else
// the spot that overlaps least. A uniform grid keeps the work linear in the number of edges.
// GUI thread only (it reads and moves scene items).
#pragma once

#include <QList>
#include <memory>

namespace kgw {

class EdgeItem;
class NodeItem;

class EdgeLabelPlacer {
public:
    // The nodes' boxes and the edges' arrowheads are taken as they are now (a label never
    // hides which way an edge points).
    EdgeLabelPlacer(const QList<NodeItem*>& nodes, const QList<EdgeItem*>& edges);
    ~EdgeLabelPlacer();
    // Sorts edges into the order place() wants them in (see above).
    static void order(QList<EdgeItem*>& edges);
    // Sets the edge's label spot (EdgeItem::setLabelAt) and takes its box.
    void place(EdgeItem* edge);
    int crowded() const { return crowded_; } // labels placed so far that overlap something

private:
    class Grid;
    std::unique_ptr<Grid> taken_;
    int crowded_ = 0;
};

} // namespace kgw
