#include "embedding_panel.h"

#include <QComboBox>
#include <QCoreApplication>
#include <QFileDialog>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QLabel>
#include <QLineEdit>
#include <QListWidget>
#include <QLocale>
#include <QPainter>
#include <QPixmap>
#include <QPushButton>
#include <QSplitter>
#include <QTableWidget>
#include <QVBoxLayout>
#include <algorithm>
#include <utility>

#include "core/cancel.h"
#include "core/error.h"
#include "embedding_scatter.h"
#include "ml/embedding_map.h"
#include "qt_convert.h"
#include "relation_palette.h"
#include "store/project.h"
#include "store/run_store.h"
#include "store/run_summary.h"

namespace kgw {

struct EmbeddingPanel::Lists {
    QString error;
    QList<QPair<QString, QString>> models; // shown name, "run:N"; newest first
    QHash<qint64, QString> relations;
};

struct EmbeddingPanel::Loaded {
    QString error;
    bool cancelled = false;
    QString model;
    std::shared_ptr<const kg::ml::EmbeddingMap> map;
};

struct EmbeddingPanel::Placed {
    QString error;
    bool cancelled = false;
    bool read = false; // kept in the project from an earlier session
    std::shared_ptr<const std::vector<float>> xy;
};

struct EmbeddingPanel::Near {
    QString error;
    qint64 entity = 0;
    std::vector<std::pair<int64_t, float>> nearest;
};

namespace {

QIcon swatch(const QColor& c)
{
    QPixmap pm(12, 12);
    pm.fill(c);
    return QIcon(pm);
}

// [n x 2] coordinates as points.
QVector<QPointF> points(const std::vector<float>& xy)
{
    QVector<QPointF> at(static_cast<qsizetype>(xy.size() / 2));
    for (qsizetype i = 0; i < at.size(); ++i)
        at[i] = QPointF(xy[2 * static_cast<size_t>(i)], xy[2 * static_cast<size_t>(i) + 1]);
    return at;
}

const QColor kOther(150, 150, 150);     // relations past the legend's first ones
const QColor kNoFacts(205, 205, 200);   // entities without training facts

} // namespace

EmbeddingPanel::EmbeddingPanel(QWidget* parent)
    : QWidget(parent)
    , model_(new QComboBox(this))
    , projection_(new QComboBox(this))
    , find_(new QLineEdit(this))
    , fit_(new QPushButton(tr("Fit"), this))
    , export_(new QPushButton(tr("Export…"), this))
    , scatter_(new EmbeddingScatter(this))
    , legend_(new QListWidget(this))
    , neighbours_(new QTableWidget(0, 2, this))
    , status_(new QLabel(this))
{
    model_->setMinimumContentsLength(28);
    model_->setToolTip(tr("A KGE or transformer run whose entity vectors are mapped"));
    projection_->addItem(tr("PCA"));
    projection_->addItem(tr("t-SNE"));
    projection_->setToolTip(tr("PCA keeps the directions of largest variance (global shape); t-SNE keeps "
                               "each entity's neighbours together (clusters), computed in seconds"));
    find_->setPlaceholderText(tr("Find entities on the map…"));
    find_->setClearButtonEnabled(true);
    auto* top = new QHBoxLayout;
    top->addWidget(new QLabel(tr("Model:"), this));
    top->addWidget(model_);
    top->addWidget(new QLabel(tr("Projection:"), this));
    top->addWidget(projection_);
    top->addSpacing(12);
    top->addWidget(find_, 1);
    top->addWidget(fit_);
    top->addWidget(export_);

    neighbours_->setHorizontalHeaderLabels({tr("Nearest entity"), tr("Cosine")});
    neighbours_->horizontalHeader()->setSectionResizeMode(0, QHeaderView::Stretch);
    neighbours_->horizontalHeader()->setSectionResizeMode(1, QHeaderView::ResizeToContents);
    neighbours_->verticalHeader()->setVisible(false);
    neighbours_->setEditTriggers(QAbstractItemView::NoEditTriggers);
    neighbours_->setSelectionBehavior(QAbstractItemView::SelectRows);
    neighbours_->setSelectionMode(QAbstractItemView::SingleSelection);
    legend_->setSelectionMode(QAbstractItemView::NoSelection);
    legend_->setHorizontalScrollBarPolicy(Qt::ScrollBarAlwaysOff);
    legend_->setTextElideMode(Qt::ElideLeft); // long names (fb15k-237's paths) end in what tells them apart
    legend_->setToolTip(tr("Each entity is coloured by the relation of most of its training facts"));

    auto* side = new QWidget(this);
    auto* sideLayout = new QVBoxLayout(side);
    sideLayout->setContentsMargins(0, 0, 0, 0);
    sideLayout->addWidget(new QLabel(tr("Colour: the entity's most frequent relation"), side));
    sideLayout->addWidget(legend_, 1);
    sideLayout->addWidget(neighbours_, 3);
    auto* split = new QSplitter(Qt::Horizontal, this);
    split->addWidget(scatter_);
    split->addWidget(side);
    split->setStretchFactor(0, 3);
    split->setStretchFactor(1, 1);

    status_->setWordWrap(true);
    auto* layout = new QVBoxLayout(this);
    layout->addLayout(top);
    layout->addWidget(split, 1);
    layout->addWidget(status_);

    connect(model_, QOverload<int>::of(&QComboBox::activated), this, [this](int i) {
        showModel(model_->itemData(i).toString());
    });
    connect(projection_, QOverload<int>::of(&QComboBox::activated), this, &EmbeddingPanel::setProjection);
    connect(fit_, &QPushButton::clicked, scatter_, &EmbeddingScatter::fit);
    connect(export_, &QPushButton::clicked, this, [this] {
        const QString path = QFileDialog::getSaveFileName(this, tr("Export Map"), QString(),
                                                          tr("PNG image (*.png);;SVG image (*.svg)"));
        if (!path.isEmpty())
            exportMap(path);
    });
    connect(find_, &QLineEdit::textChanged, this, [this](const QString& text) {
        const int n = scatter_->setFilter(text.trimmed());
        if (!text.trimmed().isEmpty())
            status_->setText(tr("%n entities match \"%1\"; Enter chooses the next.", nullptr, n).arg(text.trimmed()));
    });
    connect(find_, &QLineEdit::returnPressed, this, &EmbeddingPanel::findNext);
    connect(scatter_, &EmbeddingScatter::pointClicked, this, &EmbeddingPanel::choose);
    connect(scatter_, &EmbeddingScatter::pointActivated, this, &EmbeddingPanel::entityActivated);
    connect(neighbours_, &QTableWidget::cellClicked, this, [this](int row, int) {
        if (auto* item = neighbours_->item(row, 0))
            choose(item->data(Qt::UserRole).toLongLong());
    });
    connect(neighbours_, &QTableWidget::cellDoubleClicked, this, [this](int row, int) {
        if (auto* item = neighbours_->item(row, 0))
            Q_EMIT entityActivated(item->data(Qt::UserRole).toLongLong());
    });
    status_->setText(tr("Train a KGE or transformer model (Training tab) to map its entities."));
}

EmbeddingPanel::~EmbeddingPanel()
{
    for (const auto& c : {mapCancel_, tsneCancel_})
        if (c)
            c->cancel();
}

void EmbeddingPanel::setProject(std::shared_ptr<kg::Project> project)
{
    project_ = std::move(project);
    for (const auto& c : {mapCancel_, tsneCancel_})
        if (c)
            c->cancel();
    ++mapToken_, ++nearToken_, ++tsneToken_;
    map_.reset();
    tsne_.reset();
    shown_.clear();
    wanted_.clear();
    requested_ = 0;
    pending_ = 0;
    model_->clear();
    legend_->clear();
    neighbours_->setRowCount(0);
    scatter_->clear();
    refreshModels();
}

void EmbeddingPanel::refreshModels()
{
    const quint64 token = ++listsToken_;
    if (!project_)
        return;
    worker_.post<Lists>(
        this, project_->path(),
        [](kg::Project& p, Lists& out) {
            for (const auto& r : p.relations())
                out.relations.insert(r.id, qs(r.displayName()));
            for (const auto& kept : kg::keptModels(p)) { // newest first
                const QString key = qs(kept.key());
                if (kept.run.kind == "transformer")
                    out.models.append({QCoreApplication::translate("kgw::EmbeddingPanel", "run %1 (transformer, %2, d%3)")
                                           .arg(kept.run.id)
                                           .arg(qs(kept.summary.stage))
                                           .arg(kept.summary.dim),
                                       key});
                else
                    out.models.append({QCoreApplication::translate("kgw::EmbeddingPanel", "run %1 (%2, d%3)")
                                           .arg(kept.run.id)
                                           .arg(qs(kept.summary.model))
                                           .arg(kept.summary.dim),
                                       key});
            }
        },
        [this, token](Lists out) {
            if (token != listsToken_)
                return;
            relationNames_ = out.relations;
            model_->clear();
            for (const auto& [name, key] : out.models)
                model_->addItem(name, key);
            if (!out.error.isEmpty())
                status_->setText(out.error);
            else if (out.models.isEmpty())
                status_->setText(tr("Train a KGE or transformer model (Training tab) to map its entities."));
            const qint64 requested = std::exchange(requested_, 0);
            const QString asked = qs(kg::modelKey(requested));
            if (requested != 0 && model_->findData(asked) < 0) { // shown map and status stay
                model_->setCurrentIndex(std::max(0, model_->findData(shown_)));
                status_->setText(tr("Run %1 has no model to map: it has not finished, or its checkpoint "
                                    "file is gone.")
                                     .arg(requested));
                Q_EMIT listsShown();
                return;
            }
            QString next = requested != 0 ? asked : shown_;
            if (next == shown_ && model_->findData(shown_) >= 0) {
                model_->setCurrentIndex(model_->findData(shown_));
                next.clear();
            } else if (model_->findData(next) < 0) {
                next = model_->count() > 0 ? model_->itemData(0).toString() : QString(); // the newest run
            }
            if (!next.isEmpty() && isVisible())
                showModel(next);
            else if (!next.isEmpty())
                wanted_ = next; // no work for a tab nobody looks at
            Q_EMIT listsShown();
        });
}

void EmbeddingPanel::showRun(qint64 run)
{
    requested_ = run;
    wanted_.clear();
    refreshModels();
}

void EmbeddingPanel::showEvent(QShowEvent* e)
{
    QWidget::showEvent(e);
    if (!wanted_.isEmpty())
        showModel(QString(wanted_)); // a copy: showModel clears wanted_
}

void EmbeddingPanel::showModel(const QString& model)
{
    if (!project_)
        return;
    wanted_.clear();
    for (const auto& c : {mapCancel_, tsneCancel_})
        if (c)
            c->cancel();
    mapCancel_ = std::make_shared<kg::CancelToken>();
    const quint64 token = ++mapToken_;
    ++nearToken_, ++tsneToken_;
    if (const int i = model_->findData(model); i >= 0)
        model_->setCurrentIndex(i);
    status_->setText(tr("Reading the entity vectors of %1…").arg(model_->currentText()));
    const std::string path = project_->path();
    worker_.post<Loaded>(
        this, path,
        [path, model, cancel = mapCancel_](kg::Project&, Loaded& out) {
            out.model = model;
            try {
                out.map = std::make_shared<const kg::ml::EmbeddingMap>(kg::ml::mapEmbeddings(path, ss(model), cancel.get()));
            } catch (const kg::Error& e) {
                if (e.code() != kg::Errc::Cancelled)
                    throw;
                out.cancelled = true;
            }
        },
        [this, token](Loaded out) {
            if (token == mapToken_)
                onMap(std::move(out));
        });
}

void EmbeddingPanel::onMap(Loaded r)
{
    if (r.cancelled)
        return;
    if (!r.error.isEmpty()) {
        status_->setText(tr("Cannot map %1: %2").arg(r.model, r.error));
        Q_EMIT mapShown(r.error);
        return;
    }
    map_ = r.map;
    shown_ = r.model;
    const auto& m = *map_;
    const int n = static_cast<int>(m.rows());

    // The legend's relations: those most entities have as their main one.
    QHash<qint64, int> entitiesOf;
    for (int64_t rel : m.mainRelation)
        ++entitiesOf[rel];
    QList<QPair<int, qint64>> ranked;
    for (auto it = entitiesOf.cbegin(); it != entitiesOf.cend(); ++it)
        if (it.key() != 0)
            ranked.append({-it.value(), it.key()});
    std::sort(ranked.begin(), ranked.end());
    QHash<qint64, QColor> colourOf;
    legend_->clear();
    int others = 0;
    for (int i = 0; i < ranked.size(); ++i) {
        const qint64 rel = ranked[i].second;
        if (i >= kLegendRelations) {
            others += -ranked[i].first;
            continue;
        }
        colourOf.insert(rel, relationColor(rel));
        auto* item = new QListWidgetItem(swatch(relationColor(rel)),
                                         tr("%1 (%2)").arg(relationNames_.value(rel, QString::number(rel)))
                                             .arg(-ranked[i].first));
        item->setToolTip(item->text());
        legend_->addItem(item);
    }
    if (others > 0)
        legend_->addItem(new QListWidgetItem(swatch(kOther), tr("other relations (%1)").arg(others)));
    if (entitiesOf.value(0) > 0)
        legend_->addItem(new QListWidgetItem(swatch(kNoFacts), tr("no training facts (%1)").arg(entitiesOf.value(0))));

    QVector<QColor> colours(n);
    QStringList names;
    names.reserve(n);
    QVector<qint64> ids(n);
    for (int i = 0; i < n; ++i) {
        const int64_t rel = m.mainRelation[static_cast<size_t>(i)];
        colours[i] = rel == 0 ? kNoFacts : colourOf.value(rel, kOther);
        names.append(qs(m.names[static_cast<size_t>(i)]));
        ids[i] = m.entities[static_cast<size_t>(i)];
    }
    scatter_->setPoints(points(m.xy), std::move(colours), std::move(names), std::move(ids));
    scatter_->setFilter(find_->text().trimmed());
    tsne_.reset();
    neighbours_->setRowCount(0);
    pcaStatus_ = tr("%1 entities of %2 (%3 dimensions), on the first two principal components of their unit "
                        "vectors: %4% and %5% of the variance. Click an entity for its nearest ones by cosine; "
                        "double-click shows it in the graph.")
                         .arg(QLocale().toString(n), qs(m.model))
                         .arg(m.dim)
                         .arg(100 * m.explained[0], 0, 'f', 1)
                         .arg(100 * m.explained[1], 0, 'f', 1);
    status_->setText(pcaStatus_);
    Q_EMIT mapShown(QString());
    if (pending_) {
        const qint64 id = pending_;
        pending_ = 0;
        selectEntity(id);
    }
    if (projection_->currentIndex() == 1)
        startTsne();
}

void EmbeddingPanel::showPoints(const std::vector<float>& xy, EmbeddingScatter::View view)
{
    scatter_->setPositions(points(xy), view); // the same entities: selection and filter stay
}

void EmbeddingPanel::setProjection(int projection)
{
    projection_->setCurrentIndex(projection);
    if (!map_)
        return; // the next map is drawn in this projection
    if (projection == 0) {
        if (tsneCancel_)
            tsneCancel_->cancel();
        ++tsneToken_;
        showPoints(map_->xy);
        status_->setText(pcaStatus_);
        Q_EMIT projectionShown(QString());
    } else if (tsne_) {
        showPoints(*tsne_);
        Q_EMIT projectionShown(QString());
    } else {
        startTsne();
    }
}

void EmbeddingPanel::startTsne()
{
    if (tsneCancel_)
        tsneCancel_->cancel();
    tsneCancel_ = std::make_shared<kg::CancelToken>();
    const quint64 token = ++tsneToken_;
    scatter_->fit(); // the layout starts from the whole PCA map; a zoom from here on lasts
    status_->setText(tr("Placing %n entities by t-SNE…", nullptr, static_cast<int>(map_->rows())));
    // Progress, with the places so far every 50 iterations: the map moves as the layout forms.
    auto report = [this, token](int done, int total, const std::vector<double>& places) {
        std::shared_ptr<const std::vector<float>> now;
        if (done % 50 == 0 && done < total)
            now = std::make_shared<const std::vector<float>>(places.begin(), places.end());
        QMetaObject::invokeMethod(
            this,
            [this, token, done, total, now] {
                if (token != tsneToken_)
                    return;
                status_->setText(tr("Placing the entities by t-SNE… iteration %1 of %2").arg(done).arg(total));
                if (now && projection_->currentIndex() == 1) // a zoom made meanwhile lasts
                    showPoints(*now, EmbeddingScatter::View::KeepZoom);
            },
            Qt::QueuedConnection);
    };
    worker_.post<Placed>(
        this, project_->path(),
        [map = map_, cancel = tsneCancel_, report, path = project_->path(), model = ss(shown_)](kg::Project&,
                                                                                           Placed& out) {
            try {
                out.xy = std::make_shared<const std::vector<float>>(
                    kg::ml::storedTsneCoordinates(path, model, *map, report, cancel.get(), &out.read));
            } catch (const kg::Error& e) {
                if (e.code() != kg::Errc::Cancelled)
                    throw;
                out.cancelled = true;
            }
        },
        [this, token, map = map_](Placed out) {
            if (token != tsneToken_ || map != map_ || out.cancelled)
                return;
            if (!out.error.isEmpty()) {
                status_->setText(tr("t-SNE failed: %1").arg(out.error));
                Q_EMIT projectionShown(out.error);
                return;
            }
            tsne_ = out.xy;
            if (projection_->currentIndex() == 1)
                showPoints(*tsne_, EmbeddingScatter::View::KeepZoom);
            const auto rows = static_cast<qint64>(map_->rows());
            const qint64 sample = kg::ml::tsneSampleSize(rows);
            status_->setText(
                (sample < rows ? tr("%1 entities of %2 placed by t-SNE (perplexity 30; it laid out a sample of %3, and "
                                    "the others beside their nearest sampled entities): entities near each other have "
                                    "similar vectors; distances between clusters mean little.")
                                     .arg(QLocale().toString(rows), qs(map_->model), QLocale().toString(sample))
                               : tr("%1 entities of %2 placed by t-SNE (perplexity 30): entities near each other have "
                                    "similar vectors; distances between clusters mean little.")
                                     .arg(QLocale().toString(rows), qs(map_->model))) +
                             (out.read ? QStringLiteral(" ") + tr("(Kept in the project since it was computed.)")
                                       : QString()));
            Q_EMIT projectionShown(QString());
        });
}

void EmbeddingPanel::selectEntity(qint64 id)
{
    if (!map_) {
        pending_ = id;
        return;
    }
    scatter_->setSelected(id);
    if (scatter_->selected() == 0) {
        neighbours_->setRowCount(0);
        return;
    }
    if (!scatter_->isInView(id))
        scatter_->centreOn(id);
    requestNeighbours(id);
}

void EmbeddingPanel::choose(qint64 id)
{
    selectEntity(id);
    Q_EMIT entitySelected(id);
}

void EmbeddingPanel::requestNeighbours(qint64 id)
{
    const quint64 token = ++nearToken_;
    worker_.post<Near>(
        this, project_->path(),
        [map = map_, id](kg::Project&, Near& out) {
            out.entity = id;
            out.nearest = kg::ml::nearestEntities(*map, id, kNeighbours);
        },
        [this, token, map = map_](Near out) {
            if (token != nearToken_ || map != map_)
                return;
            neighbours_->setRowCount(0);
            if (!out.error.isEmpty()) {
                status_->setText(out.error);
                return;
            }
            QList<qint64> ids;
            neighbours_->setRowCount(static_cast<int>(out.nearest.size()));
            for (int i = 0; i < static_cast<int>(out.nearest.size()); ++i) {
                const auto [entity, cosine] = out.nearest[static_cast<size_t>(i)];
                const int64_t row = map->rowOf(entity);
                auto* name = new QTableWidgetItem(qs(map->names[static_cast<size_t>(row)]));
                name->setData(Qt::UserRole, static_cast<qint64>(entity));
                neighbours_->setItem(i, 0, name);
                auto* c = new QTableWidgetItem(QLocale().toString(static_cast<double>(cosine), 'f', 3));
                c->setTextAlignment(Qt::AlignRight | Qt::AlignVCenter);
                neighbours_->setItem(i, 1, c);
                ids.append(entity);
            }
            scatter_->setNeighbours(ids);
            Q_EMIT neighboursShown();
        });
}

bool EmbeddingPanel::exportMap(const QString& path)
{
    const bool ok = scatter_->count() > 0 && scatter_->exportImage(path);
    status_->setText(ok ? tr("Map written to %1").arg(path) : tr("Could not write the map to %1").arg(path));
    return ok;
}

void EmbeddingPanel::findNext()
{
    const QString text = find_->text().trimmed();
    const QList<qint64> found = scatter_->matches();
    if (text.isEmpty() || found.isEmpty())
        return;
    // An exact name first; then, on each Enter, the match after the one chosen.
    qint64 next = found.front();
    const int at = static_cast<int>(found.indexOf(scatter_->selected()));
    if (at >= 0)
        next = found[(at + 1) % found.size()];
    else // the map's own names, in point order: one pass (a lookup per match was quadratic)
        for (int i = 0; i < scatter_->names().size(); ++i)
            if (scatter_->names()[i].compare(text, Qt::CaseInsensitive) == 0)
                next = scatter_->ids()[i];
    choose(next);
    scatter_->centreOn(next);
}

} // namespace kgw
