#include "candidates_panel.h"

#include <QComboBox>
#include <QDoubleSpinBox>
#include <QFileDialog>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QLabel>
#include <QLineEdit>
#include <QProgressBar>
#include <QPushButton>
#include <QShortcut>
#include <QSpinBox>
#include <QSplitter>
#include <QTableWidget>
#include <QTextBrowser>
#include <QVBoxLayout>

#include "entity_completer.h"
#include "ml/extract.h"
#include "ml/job.h"
#include "training_panel.h"
#include "job_follower.h"
#include "project_editor.h"
#include "qt_convert.h"
#include "store/project.h"

namespace kgw {

namespace {

enum Column { ColScore, ColHead, ColRelation, ColTail, ColEvidence, ColumnCount };

// The sentence as HTML with the head's mention on one colour and the tail's on another.
QString highlighted(const EvidenceRow& e)
{
    struct Mark {
        int begin, end;
        const char* colour;
    };
    QList<Mark> marks;
    if (e.headEnd > e.headBegin)
        marks << Mark{e.headBegin, e.headEnd, "#cfe3ff"};
    if (e.tailEnd > e.tailBegin)
        marks << Mark{e.tailBegin, e.tailEnd, "#ffe0b3"};
    std::sort(marks.begin(), marks.end(), [](const Mark& a, const Mark& b) { return a.begin < b.begin; });
    QString html;
    int at = 0;
    for (const Mark& m : marks) {
        if (m.begin < at)
            continue;
        html += e.text.mid(at, m.begin - at).toHtmlEscaped();
        html += QStringLiteral("<span style=\"background:%1\"><b>%2</b></span>")
                    .arg(QLatin1String(m.colour), e.text.mid(m.begin, m.end - m.begin).toHtmlEscaped());
        at = m.end;
    }
    return html + e.text.mid(at).toHtmlEscaped();
}

} // namespace

CandidatesPanel::CandidatesPanel(ProjectEditor* editor, QWidget* parent)
    : QWidget(parent)
    , editor_(editor)
    , worker_(new CandidateWorker(this))
    , training_(new JobFollower(this))
    , status_(new QLabel(this))
    , filter_(new QComboBox(this))
    , listMin_(new QDoubleSpinBox(this))
    , epochs_(new QSpinBox(this))
    , run_(new QComboBox(this))
    , kge_(new QComboBox(this))
    , minScore_(new QDoubleSpinBox(this))
    , bulkMin_(new QDoubleSpinBox(this))
    , importDocs_(new QPushButton(tr("Import Documents…"), this))
    , descriptions_(new QPushButton(tr("Use Entity Descriptions"), this))
    , train_(new QPushButton(tr("Train Extractor"), this))
    , extract_(new QPushButton(tr("Extract"), this))
    , cancel_(new QPushButton(tr("Cancel"), this))
    , progress_(new QProgressBar(this))
    , table_(new QTableWidget(this))
    , evidence_(new QTextBrowser(this))
    , head_(new QLineEdit(this))
    , relation_(new QComboBox(this))
    , tail_(new QLineEdit(this))
    , accept_(new QPushButton(tr("Accept (A)"), this))
    , reject_(new QPushButton(tr("Reject (R)"), this))
    , bulk_(new QPushButton(tr("Accept All ≥"), this))
{
    epochs_->setRange(1, 100);
    epochs_->setValue(3);
    epochs_->setToolTip(tr("Epochs per cross-fitting fold"));
    for (QDoubleSpinBox* box : {minScore_, listMin_, bulkMin_}) {
        box->setRange(0, 1);
        box->setSingleStep(0.05);
        box->setDecimals(2);
    }
    minScore_->setValue(0.5);
    bulkMin_->setValue(0.95);
    kge_->setToolTip(tr("A KGE run whose plausibility of each triple is mixed into the score"));
    progress_->setRange(0, 100);
    progress_->setMaximumWidth(200);
    progress_->hide();
    cancel_->hide();
    filter_->addItem(tr("Pending"), QStringLiteral("pending"));
    filter_->addItem(tr("Accepted"), QStringLiteral("accepted"));
    filter_->addItem(tr("Rejected"), QStringLiteral("rejected"));
    filter_->addItem(tr("All"), QString());

    // Two rows (documents and training; extraction), so the tab fits a 1366-pixel screen.
    auto* jobs = new QHBoxLayout;
    jobs->addWidget(importDocs_);
    jobs->addWidget(descriptions_);
    jobs->addSpacing(12);
    jobs->addWidget(new QLabel(tr("Epochs"), this));
    jobs->addWidget(epochs_);
    jobs->addWidget(train_);
    jobs->addStretch(1);
    jobs->addWidget(progress_);
    jobs->addWidget(cancel_);
    auto* extraction = new QHBoxLayout;
    extraction->addWidget(new QLabel(tr("Extractor"), this));
    extraction->addWidget(run_, 1);
    extraction->addWidget(new QLabel(tr("KGE"), this));
    extraction->addWidget(kge_, 1);
    extraction->addWidget(new QLabel(tr("Min. score"), this));
    extraction->addWidget(minScore_);
    extraction->addWidget(extract_);

    auto* filters = new QHBoxLayout;
    filters->addWidget(new QLabel(tr("Show"), this));
    filters->addWidget(filter_);
    filters->addWidget(new QLabel(tr("scoring at least"), this));
    filters->addWidget(listMin_);
    filters->addSpacing(12);
    filters->addWidget(status_, 1);

    table_->setColumnCount(ColumnCount);
    table_->setHorizontalHeaderLabels({tr("Score"), tr("Head"), tr("Relation"), tr("Tail"), tr("Evidence")});
    table_->setSelectionBehavior(QAbstractItemView::SelectRows);
    table_->setSelectionMode(QAbstractItemView::SingleSelection);
    table_->setEditTriggers(QAbstractItemView::NoEditTriggers);
    table_->setAlternatingRowColors(true);
    table_->verticalHeader()->hide();
    table_->verticalHeader()->setDefaultSectionSize(22);
    table_->horizontalHeader()->setSectionResizeMode(ColEvidence, QHeaderView::Stretch);
    evidence_->setOpenLinks(false);

    auto* edit = new QHBoxLayout;
    edit->addWidget(new QLabel(tr("Head"), this));
    edit->addWidget(head_, 2);
    edit->addWidget(new QLabel(tr("Relation"), this));
    edit->addWidget(relation_, 2);
    edit->addWidget(new QLabel(tr("Tail"), this));
    edit->addWidget(tail_, 2);
    edit->addWidget(accept_);
    edit->addWidget(reject_);
    edit->addSpacing(12);
    edit->addWidget(bulk_);
    edit->addWidget(bulkMin_);
    head_->setPlaceholderText(tr("entity key"));
    tail_->setPlaceholderText(tr("entity key"));
    attachEntityCompleter(head_, [this] { return project_; });
    attachEntityCompleter(tail_, [this] { return project_; });

    auto* lower = new QWidget(this);
    auto* lowerLayout = new QVBoxLayout(lower);
    lowerLayout->setContentsMargins(0, 0, 0, 0);
    lowerLayout->addWidget(evidence_);
    lowerLayout->addLayout(edit);
    auto* split = new QSplitter(Qt::Vertical, this);
    split->addWidget(table_);
    split->addWidget(lower);
    split->setStretchFactor(0, 3);
    split->setStretchFactor(1, 1);

    auto* layout = new QVBoxLayout(this);
    layout->addLayout(jobs);
    layout->addLayout(extraction);
    layout->addLayout(filters);
    layout->addWidget(split, 1);

    connect(worker_, &CandidateWorker::listed, this, &CandidatesPanel::onListed);
    connect(worker_, &CandidateWorker::jobProgress, this, [this](int percent, const QString& text) {
        progress_->setValue(percent);
        status_->setText(text);
    });
    connect(worker_, &CandidateWorker::jobDone, this, [this](bool ok, const QString& summary) {
        setBusy(false);
        refresh();
        status_->setText(summary);
        Q_EMIT jobFinished(ok, summary);
    });
    connect(importDocs_, &QPushButton::clicked, this, [this] {
        const QStringList files = QFileDialog::getOpenFileNames(
            this, tr("Import Documents"), QString(),
            tr("Documents (*.txt *.md *.markdown *.html *.htm *.gz);;All files (*)"));
        if (!files.isEmpty())
            importDocuments(files);
    });
    connect(descriptions_, &QPushButton::clicked, this, [this] { importDocuments({}, true); });
    connect(train_, &QPushButton::clicked, this, &CandidatesPanel::train);
    connect(extract_, &QPushButton::clicked, this, &CandidatesPanel::extract);
    connect(cancel_, &QPushButton::clicked, this, [this] {
        if (training_->active())
            training_->cancel();
        else
            worker_->cancelJob();
    });
    connect(filter_, &QComboBox::currentIndexChanged, this, &CandidatesPanel::refresh);
    connect(listMin_, &QDoubleSpinBox::valueChanged, this, &CandidatesPanel::refresh);
    connect(table_, &QTableWidget::currentCellChanged, this, [this](int row) { showCandidate(row); });
    connect(accept_, &QPushButton::clicked, this, &CandidatesPanel::acceptSelected);
    connect(reject_, &QPushButton::clicked, this, &CandidatesPanel::rejectSelected);
    connect(bulk_, &QPushButton::clicked, this, &CandidatesPanel::acceptAbove);
    // Keyboard review: A and R on the table (arrow keys move between candidates).
    auto* a = new QShortcut(QKeySequence(Qt::Key_A), table_, nullptr, nullptr, Qt::WidgetShortcut);
    auto* r = new QShortcut(QKeySequence(Qt::Key_R), table_, nullptr, nullptr, Qt::WidgetShortcut);
    connect(a, &QShortcut::activated, this, &CandidatesPanel::acceptSelected);
    connect(r, &QShortcut::activated, this, &CandidatesPanel::rejectSelected);
    connect(editor_, &ProjectEditor::changed, this, &CandidatesPanel::refresh); // undo/redo of a decision
    setProject(nullptr);
}

void CandidatesPanel::setTrainingQueue(TrainingPanel* queue)
{
    queue_ = queue;
    training_->attach(queue_->worker());
    connect(training_, &JobFollower::progressed, this, [this](double share, const kg::ml::JobEvent& e) {
        progress_->setValue(static_cast<int>(100.0 * share));
        status_->setText(tr("Training the extractor (run %1): epoch %2 of %3, loss %4")
                             .arg(e.runId)
                             .arg(e.epoch)
                             .arg(e.epochs)
                             .arg(e.loss, 0, 'f', 4));
    });
    connect(training_, &JobFollower::finished, this,
            [this](qint64 runId, const QString& status, const QString& error, const kg::ml::JobEvent& last) {
                setBusy(false);
                refresh();
                const bool ok = status == QLatin1String("finished");
                const QString summary = status == QLatin1String("failed")
                                            ? tr("Training failed: %1").arg(error)
                                            : tr("Extractor run %1 %2; held-out F1 %3 (cross-fitted).")
                                                  .arg(runId)
                                                  .arg(ok ? tr("finished") : tr("cancelled"))
                                                  .arg(last.metrics.mrr, 0, 'f', 3);
                status_->setText(summary);
                Q_EMIT jobFinished(ok, summary);
            });
}

void CandidatesPanel::setProject(std::shared_ptr<kg::Project> project)
{
    project_ = std::move(project);
    worker_->configure(project_ ? qs(project_->path()) : QString());
    relation_->clear(); // filled from the first page, read on the worker
    for (QWidget* w : std::initializer_list<QWidget*>{importDocs_, descriptions_, train_, extract_, accept_, reject_, bulk_})
        w->setEnabled(project_ != nullptr);
    rows_.clear();
    table_->setRowCount(0);
    evidence_->clear();
    if (project_)
        refresh();
    else
        status_->setText(tr("No project open."));
}

void CandidatesPanel::refresh()
{
    if (project_)
        token_ = worker_->list(filter_->currentData().toString(), listMin_->value(), 1000, relation_->count() == 0);
}

void CandidatesPanel::onListed(const CandidatePage& page)
{
    if (page.token != token_)
        return; // a newer request is on its way
    if (!page.error.isEmpty()) {
        status_->setText(page.error);
        return;
    }
    const qint64 keep = table_->currentRow() >= 0 && table_->currentRow() < rows_.size() ? rows_[table_->currentRow()].id : 0;
    // (id, text) items; the item chosen stays while listed.
    auto fillBox = [](QComboBox* box, const QList<QPair<qint64, QString>>& items, const QString& none) {
        const QVariant current = box->currentData();
        box->clear();
        if (!none.isEmpty())
            box->addItem(none, QVariant::fromValue<qint64>(0));
        for (const auto& [id, text] : items)
            box->addItem(text, QVariant::fromValue<qint64>(id));
        const int at = box->findData(current);
        box->setCurrentIndex(at >= 0 ? at : 0);
    };
    if (!page.relations.isEmpty())
        fillBox(relation_, page.relations, QString());
    fillBox(run_, page.extractRuns, QString());
    fillBox(kge_, page.kgeRuns, tr("None"));
    extract_->setEnabled(!page.extractRuns.isEmpty());
    rows_ = page.rows;
    table_->setRowCount(static_cast<int>(rows_.size()));
    int select = rows_.isEmpty() ? -1 : 0;
    for (int i = 0; i < rows_.size(); ++i) {
        const CandidateRow& c = rows_[i];
        auto* score = new QTableWidgetItem(QString::number(c.score, 'f', 3));
        score->setTextAlignment(Qt::AlignRight | Qt::AlignVCenter);
        table_->setItem(i, ColScore, score);
        table_->setItem(i, ColHead, new QTableWidgetItem(c.headLabel));
        table_->setItem(i, ColRelation, new QTableWidgetItem(c.relationLabel));
        table_->setItem(i, ColTail, new QTableWidgetItem(c.tailLabel));
        table_->setItem(i, ColEvidence, new QTableWidgetItem(c.evidence.isEmpty() ? QString() : c.evidence.front().text));
        if (c.id == keep)
            select = i;
    }
    table_->resizeColumnsToContents();
    table_->horizontalHeader()->setSectionResizeMode(ColEvidence, QHeaderView::Stretch);
    status_->setText(tr("%1 documents, %2 sentences · %3 pending, %4 accepted, %5 rejected · showing %6")
                         .arg(page.documents)
                         .arg(page.sentences)
                         .arg(page.pending)
                         .arg(page.accepted)
                         .arg(page.rejected)
                         .arg(rows_.size()));
    if (select >= 0)
        table_->setCurrentCell(select, ColScore);
    else
        showCandidate(-1);
    Q_EMIT listShown();
}

void CandidatesPanel::showCandidate(int row)
{
    if (row < 0 || row >= rows_.size()) {
        evidence_->clear();
        head_->clear();
        tail_->clear();
        return;
    }
    const CandidateRow& c = rows_[row];
    head_->setText(c.headKey);
    tail_->setText(c.tailKey);
    relation_->setCurrentIndex(relation_->findData(QVariant::fromValue<qint64>(c.relation)));
    QString html = QStringLiteral("<p><b>%1</b> — %2 → <b>%3</b> &nbsp; <i>%4</i></p>")
                       .arg(c.headLabel.toHtmlEscaped(), c.relationLabel.toHtmlEscaped(), c.tailLabel.toHtmlEscaped(),
                            tr("score %1, %2").arg(c.score, 0, 'f', 3).arg(c.status));
    for (const EvidenceRow& e : c.evidence)
        html += QStringLiteral("<p>%1<br/><small>%2 · %3</small></p>")
                    .arg(highlighted(e), e.document.toHtmlEscaped(), tr("sentence score %1").arg(e.score, 0, 'f', 3));
    evidence_->setHtml(html);
}

void CandidatesPanel::afterDecision(int row)
{
    // Showing pending ones: the decided row leaves the list; the next one is selected.
    if (filter_->currentData().toString() == QLatin1String("pending") && row >= 0 && row < rows_.size()) {
        rows_.removeAt(row);
        table_->removeRow(row);
        if (row < table_->rowCount())
            table_->setCurrentCell(row, ColScore);
    }
    refresh();
}

void CandidatesPanel::acceptSelected()
{
    const int row = table_->currentRow();
    if (!project_ || row < 0 || row >= rows_.size())
        return;
    const CandidateRow& c = rows_[row];
    auto entityId = [&](QLineEdit* edit, qint64 original, const QString& originalKey) -> qint64 {
        const QString key = edit->text().trimmed();
        if (key == originalKey)
            return original;
        const auto e = project_->entityByKey(ss(key));
        return e ? e->id : -1;
    };
    const qint64 head = entityId(head_, c.head, c.headKey), tail = entityId(tail_, c.tail, c.tailKey);
    if (head < 0 || tail < 0) {
        status_->setText(tr("No entity has the key '%1'.").arg(head < 0 ? head_->text() : tail_->text()));
        return;
    }
    const qint64 relation = relation_->currentData().toLongLong();
    if (editor_->acceptCandidate(c.id, head == c.head ? 0 : head, relation == c.relation ? 0 : relation,
                                 tail == c.tail ? 0 : tail))
        afterDecision(row);
}

void CandidatesPanel::rejectSelected()
{
    const int row = table_->currentRow();
    if (project_ && row >= 0 && row < rows_.size() && editor_->rejectCandidate(rows_[row].id))
        afterDecision(row);
}

void CandidatesPanel::acceptAbove()
{
    const qint64 n = editor_->acceptCandidatesAbove(bulkMin_->value());
    if (n >= 0)
        status_->setText(tr("Accepted %n candidates.", nullptr, static_cast<int>(n)));
    refresh();
}

void CandidatesPanel::setBusy(bool busy, const QString& text)
{
    for (QWidget* w : std::initializer_list<QWidget*>{importDocs_, descriptions_, train_, extract_})
        w->setEnabled(!busy && project_);
    progress_->setVisible(busy);
    cancel_->setVisible(busy);
    progress_->setValue(0);
    if (!text.isEmpty())
        status_->setText(text);
}

void CandidatesPanel::importDocuments(const QStringList& files, bool descriptions)
{
    if (!project_)
        return;
    setBusy(true, tr("Importing documents…"));
    worker_->importDocuments(files, descriptions);
}

void CandidatesPanel::train()
{
    if (!project_ || !queue_)
        return;
    kg::ml::ExtractTrainSpec spec;
    spec.epochs = epochs_->value();
    const quint64 token = queue_->startJob(std::make_shared<kg::ml::JobOf<kg::ml::ExtractJob>>(project_->path(), spec),
                                           tr("held-out F1"));
    training_->follow(token);
    if (!token) {
        status_->setText(tr("Another training job is running; wait for it or cancel it in the Training tab."));
        return;
    }
    setBusy(true, tr("Training the extractor…"));
}

void CandidatesPanel::extract()
{
    if (!project_)
        return;
    setBusy(true, tr("Extracting candidates…"));
    worker_->extract(run_->currentData().toLongLong(), kge_->currentData().toLongLong(), minScore_->value());
}

} // namespace kgw
