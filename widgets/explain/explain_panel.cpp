#include "explain_panel.h"

#include <QComboBox>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QJsonDocument>
#include <QJsonObject>
#include <QLabel>
#include <QLineEdit>
#include <QPushButton>
#include <QSplitter>
#include <QTabWidget>
#include <QTableWidget>
#include <QVBoxLayout>
#include <utility>

#include "attention_heatmap.h"
#include "entity_completer.h"
#include "graph_explorer.h"
#include "qt_convert.h"
#include "store/project.h"
#include "store/run_summary.h"

namespace kgw {

ExplainPanel::ExplainPanel(QWidget* parent)
    : QWidget(parent)
    , worker_(new ExplainWorker(this))
    , headEdit_(new QLineEdit(this))
    , relationBox_(new QComboBox(this))
    , model_(new QComboBox(this))
    , run_(new QPushButton(tr("Rank Answers"), this))
    , stopMining_(new QPushButton(tr("Stop Mining"), this))
    , answers_(new QTableWidget(0, 3, this))
    , paths_(new QTableWidget(0, 4, this))
    , facts_(new QTableWidget(0, 4, this))
    , detail_(new QTabWidget(this))
    , factPage_(new QWidget(this))
    , findFacts_(new QPushButton(tr("Find Necessary Facts"), this))
    , cancelFacts_(new QPushButton(tr("Cancel"), this))
    , factSummary_(new QLabel(this))
    , factTable_(new QTableWidget(0, 4, this))
    , heatmap_(new AttentionHeatmap(this))
    , graph_(new GraphExplorer(this))
    , status_(new QLabel(this))
{
    auto* layout = new QVBoxLayout(this);
    auto* form = new QHBoxLayout;
    form->addWidget(new QLabel(tr("Head:"), this));
    headEdit_->setPlaceholderText(tr("entity key or label"));
    form->addWidget(headEdit_, 2);
    form->addWidget(new QLabel(tr("Relation:"), this));
    form->addWidget(relationBox_, 2);
    form->addWidget(new QLabel(tr("Scorer:"), this));
    model_->setToolTip(tr("The model that ranks the answers: mined rules, a KGE, transformer or CompGCN run "
                          "(train one in the Training tab)"));
    form->addWidget(model_, 2);
    form->addWidget(run_);
    stopMining_->setVisible(false);
    stopMining_->setToolTip(tr("Stop mining rules; asking again starts over"));
    form->addWidget(stopMining_);
    layout->addLayout(form);

    answers_->setHorizontalHeaderLabels({tr("Answer"), tr("Score"), tr("Known")});
    paths_->setHorizontalHeaderLabels({tr("Reasoning path"), tr("Rule confidence"), tr("Rule support"), tr("Model score")});
    paths_->setToolTip(tr("Score drop without it, by which paths are then ordered. A KGE run: how much lower the "
                          "answer scores with the path's fact of the head left out and the head's embedding "
                          "post-trained without it (one post-training measures them all). A CompGCN run: how much lower "
                          "the answer scores with the path's edges left out of its graph (estimated from one "
                          "backward pass). A transformer run: how much lower the answer scores with the path's first "
                          "fact left out of its input (it reads the head's facts, not the hops beyond); “—” when that "
                          "fact is not in the input."));
    facts_->setHorizontalHeaderLabels(
        {tr("Context fact"), tr("Score drop without it"), tr("Attribution"), tr("Attention rollout")});
    facts_->setToolTip(tr("The head's neighbour facts in the transformer's input, strongest support first: how much "
                          "lower the answer scores with the fact alone left out of the input (its place left empty). "
                          "Attribution (gradient × input) and attention rollout come from the ranking's own forward "
                          "pass."));
    factTable_->setHorizontalHeaderLabels({tr("Fact"), tr("Role"), tr("Answer's rank without it"), tr("Score drop")});
    factTable_->setToolTip(tr("Necessary: the fewest of the head's facts without which the answer drops. For KGE "
                              "models the head's embedding is post-trained without them (Kelpie); for the "
                              "transformer they are removed from the head's facts, so its other facts may take their "
                              "places in the input (the score drop can then differ from the Context facts tab's). "
                              "Sufficient: facts that, copied onto other entities (for the transformer, into their "
                              "input), make the answer theirs."));
    findFacts_->setToolTip(tr("Takes a few seconds; needs a KGE, transformer or CompGCN run as scorer"));
    cancelFacts_->setEnabled(false);
    factSummary_->setWordWrap(true);
    factSummary_->setText(tr("Choose an answer, then find the facts it depends on."));
    {
        auto* v = new QVBoxLayout(factPage_);
        auto* buttons = new QHBoxLayout;
        buttons->addWidget(findFacts_);
        buttons->addWidget(cancelFacts_);
        buttons->addStretch(1);
        v->addLayout(buttons);
        v->addWidget(factSummary_);
        v->addWidget(factTable_, 1);
    }
    for (QTableWidget* t : {answers_, paths_, facts_, factTable_}) {
        t->setSelectionBehavior(QAbstractItemView::SelectRows);
        t->setSelectionMode(QAbstractItemView::SingleSelection);
        t->setEditTriggers(QAbstractItemView::NoEditTriggers);
        t->verticalHeader()->hide();
        t->horizontalHeader()->setSectionResizeMode(QHeaderView::ResizeToContents);
        t->horizontalHeader()->setSectionResizeMode(0, QHeaderView::Stretch);
    }
    auto* split = new QSplitter(Qt::Horizontal, this);
    answers_->setMinimumWidth(260);
    split->addWidget(answers_);
    auto* middle = new QSplitter(Qt::Vertical, split);
    detail_->addTab(paths_, tr("Reasoning paths"));
    detail_->addTab(facts_, tr("Context facts (transformer)"));
    detail_->addTab(factPage_, tr("Necessary facts"));
    middle->addWidget(detail_);
    auto* bottom = new QSplitter(Qt::Horizontal, middle);
    graph_->setLegendVisible(false); // a small view: the graph takes the width (Legend shows it)
    bottom->addWidget(graph_);
    bottom->addWidget(heatmap_);
    bottom->setStretchFactor(0, 1);
    bottom->setStretchFactor(1, 1);
    middle->addWidget(bottom);
    middle->setStretchFactor(0, 2); // the tables need fewer rows than the graph and heatmap
    middle->setStretchFactor(1, 3);
    split->addWidget(middle);
    split->setStretchFactor(0, 1);
    split->setStretchFactor(1, 4);
    layout->addWidget(split, 1);
    status_->setWordWrap(true);
    status_->setText(tr("Ask (head, relation, ?) to see ranked answers; pick one to see why."));
    layout->addWidget(status_);

    attachEntityCompleter(headEdit_, [this] { return project_; });
    connect(headEdit_, &QLineEdit::returnPressed, this, &ExplainPanel::runFromForm);
    connect(run_, &QPushButton::clicked, this, &ExplainPanel::runFromForm);
    connect(worker_, &ExplainWorker::listsLoaded, this, &ExplainPanel::onLists);
    connect(model_, &QComboBox::activated, this, [this] {
        if (project_)
            worker_->configure(qs(project_->path()), model_->currentData().toString());
    });
    connect(answers_, &QTableWidget::itemSelectionChanged, this, [this] {
        const auto rows = answers_->selectionModel()->selectedRows();
        if (!rows.isEmpty())
            explainAnswer(rows.front().row());
    });
    connect(paths_, &QTableWidget::itemSelectionChanged, this, [this] {
        const auto rows = paths_->selectionModel()->selectedRows();
        if (rows.isEmpty() || rows.front().row() >= shownPaths_.size())
            return;
        const auto& triples = shownPaths_[rows.front().row()].triples;
        graph_->showAndHighlight(triples);
        Q_EMIT highlightRequested(triples);
    });
    connect(facts_, &QTableWidget::itemSelectionChanged, this, [this] {
        const auto rows = facts_->selectionModel()->selectedRows();
        if (rows.isEmpty() || rows.front().row() >= shownFacts_.size())
            return;
        const QList<qint64> triples{shownFacts_[rows.front().row()].triple};
        heatmap_->markToken(shownFacts_[rows.front().row()].token); // what attends to the fact
        graph_->showAndHighlight(triples);
        Q_EMIT highlightRequested(triples);
    });
    connect(worker_, &ExplainWorker::miningProgress, this, [this](double share) {
        stopMining_->setVisible(true);
        status_->setText(tr("Mining rules (one time; they are stored in the project): %1% of relations…")
                             .arg(static_cast<int>(100 * share)));
    });
    connect(stopMining_, &QPushButton::clicked, this, [this] {
        worker_->cancelMining();
        stopMining_->setEnabled(false);
    });
    connect(findFacts_, &QPushButton::clicked, this, &ExplainPanel::findFacts);
    connect(cancelFacts_, &QPushButton::clicked, this, [this] {
        worker_->cancelFacts();
        cancelFacts_->setEnabled(false);
    });
    connect(factTable_, &QTableWidget::itemSelectionChanged, this, [this] {
        const auto rows = factTable_->selectionModel()->selectedRows();
        if (rows.isEmpty())
            return;
        const QList<qint64> triples{factTable_->item(rows.front().row(), 0)->data(Qt::UserRole).toLongLong()};
        graph_->showAndHighlight(triples);
        Q_EMIT highlightRequested(triples);
    });
    connect(worker_, &ExplainWorker::finished, this, &ExplainPanel::onFinished);
}

void ExplainPanel::findFacts()
{
    if (!project_ || tail_ == 0)
        return;
    if (model_->currentData().toString().isEmpty()) {
        factSummary_->setText(tr("Necessary facts need a model: choose a KGE, transformer or CompGCN run as scorer."));
        return;
    }
    worker_->cancelFacts(); // a search still running for another answer
    factTable_->setRowCount(0);
    factToken_ = worker_->factExplanations(head_, relation_, tail_);
    findFacts_->setEnabled(false);
    cancelFacts_->setEnabled(true);
    factSummary_->setText(scorer_ == QLatin1String("model")
                              ? tr("Post-training the model without candidate facts of the head…")
                              : tr("Re-ranking the answer without each of the head's facts…")); // exact occlusion
}

void ExplainPanel::showFacts(const ExplainResult& r)
{
    findFacts_->setEnabled(true);
    cancelFacts_->setEnabled(false);
    if (!r.error.isEmpty()) {
        factSummary_->setText(r.cancelled ? tr("Search cancelled.") : tr("Cannot find the facts: %1").arg(r.error));
        return;
    }
    const auto& f = r.factRows;
    QStringList summary;
    if (f.necessary.isEmpty())
        summary << tr("The head has no other training facts to remove.");
    else if (f.necessaryAchieved)
        summary << tr("Without these %n fact(s), %1 falls from rank %2 to %3.", "", static_cast<int>(f.necessary.size()))
                       .arg(tailLabel_)
                       .arg(f.rankBefore)
                       .arg(f.rankAfter);
    else
        summary << tr("No set of up to %1 facts makes %2 drop: it stays at rank %3 without the strongest %n.", "",
                      static_cast<int>(f.necessary.size()))
                       .arg(f.maxSize)
                       .arg(tailLabel_)
                       .arg(f.rankAfter);
    if (!f.sufficient.isEmpty())
        summary << tr("Copied onto %1 other entities, %n fact(s) make %2 their top answer for %3% (mean rank %4 → %5).",
                      "", static_cast<int>(f.sufficient.size()))
                       .arg(f.convertedEntities)
                       .arg(tailLabel_)
                       .arg(100 * f.convertedShare, 0, 'f', 0)
                       .arg(f.sufficientRankBefore, 0, 'f', 1)
                       .arg(f.sufficientRankAfter, 0, 'f', 1);
    summary << tr("(%1 s)").arg(r.elapsedMs / 1000, 0, 'f', 1);
    factSummary_->setText(summary.join(QLatin1Char(' ')));
    QList<std::pair<FactRow, QString>> rows;
    QList<qint64> necessaryTriples;
    for (const auto& n : f.necessary) {
        necessaryTriples.append(n.triple);
        FactRow row = n;
        for (const auto& c : f.candidates)
            if (c.triple == n.triple)
                row = c;
        rows.append({row, f.necessaryAchieved ? tr("necessary") : tr("strongest (not enough)")});
    }
    for (const auto& c : f.candidates)
        if (!necessaryTriples.contains(c.triple))
            rows.append({c, tr("candidate")});
    for (const auto& s : f.sufficient)
        rows.append({s, tr("sufficient")});
    factTable_->setRowCount(static_cast<int>(rows.size()));
    for (int i = 0; i < rows.size(); ++i) {
        const auto& [row, role] = rows[i];
        auto* text = new QTableWidgetItem(row.text);
        text->setData(Qt::UserRole, QVariant::fromValue<qint64>(row.triple));
        factTable_->setItem(i, 0, text);
        factTable_->setItem(i, 1, new QTableWidgetItem(role));
        factTable_->setItem(i, 2, new QTableWidgetItem(row.rankAfter > 0 ? QString::number(row.rankAfter) : QString()));
        factTable_->setItem(i, 3, new QTableWidgetItem(row.rankAfter > 0 ? QString::number(row.scoreDrop, 'g', 3)
                                                                         : QString()));
    }
    detail_->setCurrentWidget(factPage_);
    if (!necessaryTriples.isEmpty()) {
        graph_->showAndHighlight(necessaryTriples);
        Q_EMIT highlightRequested(necessaryTriples);
    }
    Q_EMIT factsShown();
}

void ExplainPanel::setProject(std::shared_ptr<kg::Project> project)
{
    project_ = std::move(project);
    relationBox_->clear();
    answers_->setRowCount(0);
    paths_->setRowCount(0);
    factTable_->setRowCount(0);
    worker_->cancelFacts();
    factToken_ = 0;
    head_ = relation_ = tail_ = 0;
    heatmap_->clear();
    graph_->setProject(project_);
    model_->clear();
    model_->addItem(tr("mined rules"), QString());
    if (!project_) {
        ++listsToken_;
        return;
    }
    // A new project: its newest run ranks (chosen on the worker, before any later query).
    listsToken_ = worker_->loadLists(qs(project_->path()), {});
}

void ExplainPanel::refreshModels()
{
    if (project_)
        listsToken_ = worker_->loadLists(qs(project_->path()), {model_->currentData().toString()});
}

void ExplainPanel::useRun(qint64 run)
{
    if (!project_)
        return;
    requestedRun_ = run;
    listsToken_ = worker_->loadLists(qs(project_->path()), {qs(kg::modelKey(run)), model_->currentData().toString()});
}

void ExplainPanel::onLists(const ExplainLists& lists)
{
    if (lists.token != listsToken_)
        return;
    if (!lists.error.isEmpty())
        status_->setText(tr("Could not read the project: %1").arg(lists.error));
    // The relation chosen stays; before the first lists land, the one a query asked for.
    const qint64 relation = relationBox_->count() ? relationBox_->currentData().toLongLong() : relation_;
    relationBox_->clear();
    for (const auto& [name, id] : lists.relations)
        relationBox_->addItem(name, QVariant::fromValue<qint64>(id));
    relationBox_->setCurrentIndex(std::max(0, relationBox_->findData(QVariant::fromValue<qint64>(relation))));
    model_->clear();
    for (const auto& [name, ranker] : lists.models)
        model_->addItem(name, ranker);
    model_->setCurrentIndex(std::max(0, model_->findData(lists.ranker)));
    if (const qint64 run = std::exchange(requestedRun_, 0); run != 0)
        status_->setText(lists.ranker == qs(kg::modelKey(run))
                             ? tr("Answers are ranked by run %1 now: enter a head and a relation.").arg(run)
                             : tr("Run %1 has no model to rank with: it has not finished, or its checkpoint file is "
                                  "gone.")
                                   .arg(run));
    Q_EMIT listsShown();
}

void ExplainPanel::runFromForm()
{
    if (!project_)
        return;
    const QString text = headEdit_->text().trimmed();
    const qint64 relation = relationBox_->currentData().toLongLong();
    startQuery(0, relation);
    answersToken_ = worker_->answersFor(text, relation, 20); // the head is resolved on the worker
}

void ExplainPanel::query(qint64 head, qint64 relation)
{
    if (!project_)
        return;
    startQuery(head, relation);
    answersToken_ = worker_->answers(head, relation, 20);
}

void ExplainPanel::startQuery(qint64 head, qint64 relation)
{
    head_ = head;
    relation_ = relation;
    relationBox_->setCurrentIndex(relationBox_->findData(QVariant::fromValue<qint64>(relation)));
    answers_->setRowCount(0);
    paths_->setRowCount(0);
    shownPaths_.clear();
    explainToken_ = 0;
    worker_->cancelExplain();
    worker_->cancelFacts();
    factToken_ = 0;
    tail_ = 0;
    factTable_->setRowCount(0);
    findFacts_->setEnabled(true);
    cancelFacts_->setEnabled(false);
    status_->setText(tr("Ranking answers…"));
}

void ExplainPanel::explainAnswer(int row)
{
    if (row < 0 || row >= answers_->rowCount())
        return;
    const qint64 tail = answers_->item(row, 0)->data(Qt::UserRole).toLongLong();
    if (tail != tail_) { // another answer: the fact search shown no longer applies
        worker_->cancelFacts();
        factToken_ = 0;
        factTable_->setRowCount(0);
        findFacts_->setEnabled(true);
        cancelFacts_->setEnabled(false);
        factSummary_->setText(tr("Find the facts this answer depends on."));
    }
    tail_ = tail;
    tailLabel_ = answers_->item(row, 0)->text().section(QStringLiteral(". "), 1); // "3. Paris" -> "Paris"
    explainToken_ = worker_->explain(head_, relation_, tail);
    status_->setText(tr("Finding reasoning paths…"));
}

void ExplainPanel::onFinished(const ExplainResult& r)
{
    if (r.token != answersToken_ && r.token != explainToken_ && r.token != factToken_)
        return; // stale
    if (r.factsOnly) {
        showFacts(r);
        return;
    }
    stopMining_->setVisible(false);
    stopMining_->setEnabled(true);
    if (r.cancelled) {
        status_->setText(tr("Rule mining stopped; ask again to mine the rules."));
        return;
    }
    if (!r.error.isEmpty()) {
        status_->setText(tr("Cannot explain: %1").arg(r.error));
        return;
    }
    if (r.answersOnly && r.noMatch) {
        status_->setText(tr("No entity matches “%1”.").arg(r.headText));
        return;
    }
    if (r.answersOnly) {
        head_ = r.head;
        scorer_ = r.scorer;
        if (!r.headKey.isEmpty() && headEdit_->text() != r.headKey)
            headEdit_->setText(r.headKey);
        answers_->setRowCount(static_cast<int>(r.answers.size()));
        for (int i = 0; i < r.answers.size(); ++i) {
            const auto& a = r.answers[i];
            auto* name = new QTableWidgetItem(QStringLiteral("%1. %2").arg(i + 1).arg(a.label));
            name->setData(Qt::UserRole, QVariant::fromValue<qint64>(a.entity));
            answers_->setItem(i, 0, name);
            answers_->setItem(i, 1, new QTableWidgetItem(QString::number(a.score, 'g', 4)));
            answers_->setItem(i, 2, new QTableWidgetItem(a.known ? tr("in graph") : QString()));
        }
        status_->setText(r.answers.isEmpty() ? tr("No answers: no rule fires for this query.")
                                             : tr("%1 answers ranked by %2 in %3 ms.")
                                                   .arg(r.answers.size())
                                                   .arg(r.scorer == QLatin1String("transformer") ? tr("the transformer")
                                                        : r.scorer == QLatin1String("model")     ? tr("the model")
                                                        : r.scorer == QLatin1String("compgcn")   ? tr("the CompGCN encoder")
                                                                                                 : tr("mined rules"))
                                                   .arg(r.elapsedMs, 0, 'f', 1));
        Q_EMIT answersShown();
        return;
    }
    shownPaths_ = r.paths;
    graph_->clear();
    QList<qint64> all; // the best paths in the graph view; the chosen one is highlighted
    for (int i = 0; i < r.paths.size() && i < 12; ++i)
        all += r.paths[i].triples;
    graph_->showAndHighlight(all);
    paths_->setRowCount(static_cast<int>(r.paths.size()));
    // A model's path score is the answer's score drop without the path (see the tooltip); the
    // rules score no path.
    const bool drops = r.scorer != QLatin1String("rules");
    paths_->horizontalHeaderItem(3)->setText(drops ? tr("Score drop without it") : tr("Model score"));
    for (int i = 0; i < r.paths.size(); ++i) {
        const auto& p = r.paths[i];
        paths_->setItem(i, 0, new QTableWidgetItem(p.text));
        // "—": no mined rule has this path's relation pattern (the path is still a real one).
        auto* confidence = new QTableWidgetItem(p.ruleConfidence > 0 ? QString::number(p.ruleConfidence, 'f', 3)
                                                                     : QStringLiteral("—"));
        auto* support = new QTableWidgetItem(p.ruleSupport > 0 ? QString::number(p.ruleSupport) : QStringLiteral("—"));
        if (p.ruleConfidence <= 0)
            for (auto* item : {confidence, support})
                item->setToolTip(tr("No mined rule has this path's pattern of relations"));
        paths_->setItem(i, 1, confidence);
        paths_->setItem(i, 2, support);
        auto* score = new QTableWidgetItem(p.scored ? QString::number(p.modelScore, 'g', 4)
                                           : r.scorer == QLatin1String("rules") ? QString()
                                                                                : QStringLiteral("—"));
        if (!p.scored && r.scorer == QLatin1String("transformer"))
            score->setToolTip(tr("The path's first fact is not among the facts in the transformer's input"));
        else if (!p.scored && r.scorer == QLatin1String("model"))
            score->setToolTip(tr("Not measured: one post-training measures the head's facts on the paths with the "
                                 "best composed-path scores, up to 16"));
        paths_->setItem(i, 3, score);
    }
    shownFacts_ = r.facts;
    facts_->setRowCount(static_cast<int>(r.facts.size()));
    for (int i = 0; i < r.facts.size(); ++i) {
        const auto& f = r.facts[i];
        facts_->setItem(i, 0, new QTableWidgetItem(f.text));
        facts_->setItem(i, 1, new QTableWidgetItem(QString::number(f.occlusion, 'g', 3)));
        facts_->setItem(i, 2, new QTableWidgetItem(QString::number(f.attribution, 'g', 3)));
        facts_->setItem(i, 3, new QTableWidgetItem(QString::number(f.rollout, 'f', 3)));
    }
    if (r.hasAttention)
        heatmap_->setMaps(r.attention);
    else
        heatmap_->clear();
    QString status = r.hasAttention ? tr("%1 reasoning paths and %2 context facts in %3 ms; attention and attribution "
                                         "from the transformer's ranking pass.")
                                          .arg(r.paths.size())
                                          .arg(r.facts.size())
                                          .arg(r.elapsedMs, 0, 'f', 1)
                                    : (r.scorer != QLatin1String("rules")
                                           ? tr("%1 reasoning paths, ordered by the model's score, in %2 ms. Choose a "
                                                "transformer run as scorer to see its attention.")
                                           : tr("%1 reasoning paths in %2 ms. Choose a transformer run as scorer to "
                                                "see its attention."))
                                          .arg(r.paths.size())
                                          .arg(r.elapsedMs, 0, 'f', 1);
    if (r.hasAttention && r.shortcut)
        status += QLatin1Char(' ') + tr("The answer's score %1 = %2 through the encoder (what attention shows) + %3 "
                                        "from head × relation directly + %4 answer bias.")
                                         .arg(r.answerScore, 0, 'f', 2)
                                         .arg(r.encoderPart, 0, 'f', 2)
                                         .arg(r.shortcutPart, 0, 'f', 2)
                                         .arg(r.biasPart, 0, 'f', 2);
    if (r.hasAttention && r.facts.isEmpty())
        status += QLatin1Char(' ') + tr("No context facts in the input (the run was trained without context, or the "
                                        "head has no facts): attention covers the head and relation only. A run with "
                                        "context shows which facts an answer leaned on.");
    status_->setText(status);
    if (r.hasAttention && !r.facts.isEmpty()) {
        detail_->setCurrentWidget(facts_);
        // The facts the answer leaned on most, highlighted in the graph.
        QList<qint64> top;
        for (int i = 0; i < r.facts.size() && i < 3; ++i)
            top.append(r.facts[i].triple);
        graph_->showAndHighlight(top);
        Q_EMIT highlightRequested(top);
    } else if (!r.paths.isEmpty()) {
        detail_->setCurrentWidget(paths_);
        paths_->clearSelection();
        paths_->selectRow(0); // highlights the best path in the graph
    }
    Q_EMIT explanationShown(r.elapsedMs);
}

} // namespace kgw
