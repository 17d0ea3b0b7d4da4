#include "edge_labels.h"

#include <QHash>
#include <QRectF>
#include <QVarLengthArray>
#include <algorithm>
#include <cmath>

#include "graph_items.h"

namespace kgw {
namespace {

// Spots tried along an edge, as shares of its length: the middle, then outwards.
constexpr double kSpots[] = {0.5, 0.42, 0.58, 0.34, 0.66, 0.26, 0.74, 0.18, 0.82};
constexpr double kCell = 64; // grid cell, in scene units (about one short label)

} // namespace

// Rectangles bucketed by the grid cells they cover; answers "how much does this box overlap".
class EdgeLabelPlacer::Grid {
public:
    void insert(const QRectF& r)
    {
        const int index = static_cast<int>(rects_.size());
        rects_.append(r);
        stamp_.append(0);
        forCells(r, [&](quint64 cell) { cells_[cell].append(index); });
    }

    // Summed area of the box's intersections with the rectangles inserted so far.
    double overlap(const QRectF& r)
    {
        ++query_;
        double area = 0;
        forCells(r, [&](quint64 cell) {
            const auto it = cells_.constFind(cell);
            if (it == cells_.cend())
                return;
            for (int i : *it) {
                if (stamp_[i] == query_)
                    continue; // a rectangle over several cells counts once
                stamp_[i] = query_;
                const QRectF x = rects_[i].intersected(r);
                if (!x.isEmpty())
                    area += x.width() * x.height();
            }
        });
        return area;
    }

private:
    template <typename F> static void forCells(const QRectF& r, F&& f)
    {
        auto cell = [](double v) { return static_cast<qint32>(std::floor(v / kCell)); };
        const qint32 x0 = cell(r.left()), x1 = cell(r.right()), y0 = cell(r.top()), y1 = cell(r.bottom());
        for (qint32 x = x0; x <= x1; ++x)
            for (qint32 y = y0; y <= y1; ++y)
                f((static_cast<quint64>(static_cast<quint32>(x)) << 32) | static_cast<quint32>(y));
    }

    QList<QRectF> rects_;
    QList<int> stamp_;
    int query_ = 0;
    QHash<quint64, QVarLengthArray<int, 4>> cells_;
};

EdgeLabelPlacer::EdgeLabelPlacer(const QList<NodeItem*>& nodes, const QList<EdgeItem*>& edges)
    : taken_(std::make_unique<Grid>())
{
    for (const NodeItem* n : nodes)
        taken_->insert(n->sceneBoundingRect());
    for (const EdgeItem* e : edges)
        taken_->insert(e->arrowRect());
}

EdgeLabelPlacer::~EdgeLabelPlacer() = default;

void EdgeLabelPlacer::order(QList<EdgeItem*>& edges)
{
    QList<std::pair<double, EdgeItem*>> keyed;
    keyed.reserve(edges.size());
    for (EdgeItem* e : edges)
        keyed.append({e->length(), e});
    std::stable_sort(keyed.begin(), keyed.end(), [](const auto& a, const auto& b) {
        if (a.second->highlighted() != b.second->highlighted())
            return a.second->highlighted();
        return a.first < b.first;
    });
    for (qsizetype i = 0; i < edges.size(); ++i)
        edges[i] = keyed[i].second;
}

void EdgeLabelPlacer::place(EdgeItem* edge)
{
    double best = 0.5, least = -1;
    for (double spot : kSpots) {
        const double o = taken_->overlap(edge->labelRect(spot));
        if (least < 0 || o < least) {
            best = spot;
            least = o;
        }
        if (o == 0)
            break;
    }
    crowded_ += least > 0;
    edge->setLabelAt(best);
    taken_->insert(edge->labelRect(best));
}

} // namespace kgw
