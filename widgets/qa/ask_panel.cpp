#include "ask_panel.h"

#include <QCheckBox>
#include <QColor>
#include <QComboBox>
#include <QFileDialog>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QLabel>
#include <QLineEdit>
#include <QProgressBar>
#include <QPushButton>
#include <QSpinBox>
#include <QSplitter>
#include <QTableWidget>
#include <QVBoxLayout>

#include "entity_completer.h"
#include "ml/job.h"
#include "ml/qa.h"
#include "training_panel.h"
#include "job_follower.h"
#include "qt_convert.h"
#include "store/project.h"

namespace kgw {
namespace {

QTableWidget* makeTable(QWidget* parent, const QStringList& headers)
{
    auto* t = new QTableWidget(0, static_cast<int>(headers.size()), parent);
    t->setHorizontalHeaderLabels(headers);
    t->setEditTriggers(QAbstractItemView::NoEditTriggers);
    t->setSelectionBehavior(QAbstractItemView::SelectRows);
    t->setSelectionMode(QAbstractItemView::SingleSelection);
    t->verticalHeader()->hide();
    t->horizontalHeader()->setStretchLastSection(true);
    return t;
}

QTableWidgetItem* item(const QString& text, const QString& tip = {})
{
    auto* i = new QTableWidgetItem(text);
    if (!tip.isEmpty())
        i->setToolTip(tip);
    return i;
}

} // namespace

AskPanel::AskPanel(QWidget* parent)
    : QWidget(parent)
    , worker_(new AskWorker(this))
    , question_(new QLineEdit(this))
    , topic_(new QLineEdit(this))
    , model_(new QComboBox(this))
    , completion_(new QComboBox(this))
    , encoder_(new QComboBox(this))
    , ask_(new QPushButton(tr("Ask"), this))
    , import_(new QPushButton(tr("Import Questions…"), this))
    , train_(new QPushButton(tr("Train"), this))
    , cancel_(new QPushButton(tr("Cancel"), this))
    , epochs_(new QSpinBox(this))
    , weak_(new QCheckBox(tr("Answers only"), this))
    , progress_(new QProgressBar(this))
    , status_(new QLabel(this))
    , answers_(makeTable(this, {tr("#"), tr("Answer"), tr("Score"), tr("Path"), tr("Walk")}))
    , hops_(makeTable(this, {}))
    , alternatives_(makeTable(this, {tr("Alternative path"), tr("Probability"), tr("Entities reached")}))
    , history_(std::make_unique<RunHistoryReader>())
{
    question_->setPlaceholderText(tr("Ask a question about the graph, e.g. what is the nationality of X's spouse?"));
    topic_->setPlaceholderText(tr("topic entity (optional: overrides linking)"));
    attachEntityCompleter(topic_, [this] { return project_; });
    auto* form = new QHBoxLayout;
    form->addWidget(question_, 4);
    form->addWidget(topic_, 2);
    form->addWidget(ask_);
    auto* models = new QHBoxLayout;
    models->addWidget(new QLabel(tr("Model:"), this));
    models->addWidget(model_, 2);
    models->addWidget(new QLabel(tr("Fill gaps with:"), this));
    models->addWidget(completion_, 1);
    model_->setSizeAdjustPolicy(QComboBox::AdjustToContents);
    completion_->setSizeAdjustPolicy(QComboBox::AdjustToContents);
    completion_->setToolTip(tr("A CompGCN run predicts facts the graph lacks; hops may follow them (shown with ⇢)"));
    models->addStretch(1);
    // Training gets a row of its own: questions, epochs, encoder, supervision.
    auto* training = new QHBoxLayout;
    training->addWidget(import_);
    training->addWidget(new QLabel(tr("Epochs:"), this));
    epochs_->setRange(1, 1000);
    epochs_->setValue(30);
    training->addWidget(epochs_);
    training->addWidget(new QLabel(tr("Encoder:"), this));
    encoder_->setSizeAdjustPolicy(QComboBox::AdjustToContents);
    encoder_->setToolTip(tr("How the questions' words are read: words only, or also through their sentencepiece pieces, "
                            "started from a transformer run (pre-trained or joint-trained)"));
    training->addWidget(encoder_);
    weak_->setToolTip(tr("Learn from the answers alone, ignoring the questions' gold paths"));
    training->addWidget(weak_);
    training->addWidget(train_);
    training->addWidget(progress_, 1);
    training->addWidget(cancel_);
    training->addStretch(1);
    progress_->setRange(0, 100);
    progress_->hide();
    cancel_->hide();
    status_->setWordWrap(true);
    status_->setText(tr("Import questions and train a model, then ask."));

    answers_->horizontalHeader()->setSectionResizeMode(QHeaderView::ResizeToContents);
    alternatives_->horizontalHeader()->setSectionResizeMode(QHeaderView::ResizeToContents);
    alternatives_->setToolTip(tr("Double-click a path to answer along it instead"));
    hops_->setToolTip(tr("Each hop's attention over the question's words: the darker, the more that word chose the relation"));
    auto* lower = new QSplitter(Qt::Horizontal, this);
    auto* hopBox = new QWidget(lower);
    auto* hopLayout = new QVBoxLayout(hopBox);
    hopLayout->setContentsMargins(0, 0, 0, 0);
    hopLayout->addWidget(new QLabel(tr("Hops of the chosen answer and their attention over the question"), hopBox));
    hopLayout->addWidget(hops_);
    auto* altBox = new QWidget(lower);
    auto* altLayout = new QVBoxLayout(altBox);
    altLayout->setContentsMargins(0, 0, 0, 0);
    altLayout->addWidget(new QLabel(tr("Close alternatives"), altBox));
    altLayout->addWidget(alternatives_);
    lower->addWidget(hopBox);
    lower->addWidget(altBox);
    lower->setStretchFactor(0, 3);
    lower->setStretchFactor(1, 2);
    auto* split = new QSplitter(Qt::Vertical, this);
    split->addWidget(answers_);
    split->addWidget(lower);

    auto* layout = new QVBoxLayout(this);
    layout->addLayout(form);
    layout->addLayout(models);
    layout->addLayout(training);
    layout->addWidget(status_);
    layout->addWidget(split, 1);

    connect(ask_, &QPushButton::clicked, this, &AskPanel::askFromForm);
    connect(question_, &QLineEdit::returnPressed, this, &AskPanel::askFromForm);
    connect(topic_, &QLineEdit::returnPressed, this, &AskPanel::askFromForm);
    connect(worker_, &AskWorker::answered, this, &AskPanel::onAnswered);
    connect(answers_, &QTableWidget::currentCellChanged, this, [this](int row) { showAnswer(row); });
    connect(alternatives_, &QTableWidget::cellDoubleClicked, this, [this](int row) {
        if (row < 0 || row + 1 >= shown_.paths.size())
            return;
        QList<qint64> path;
        for (const auto& h : shown_.paths[row + 1].hops)
            path << h.relation;
        ask(question_->text(), shown_.topic, path);
    });
    auto reconfigure = [this] {
        if (project_)
            worker_->configure(qs(project_->path()), model_->currentData().toLongLong(),
                               completion_->currentData().toLongLong());
    };
    connect(model_, &QComboBox::currentIndexChanged, this, reconfigure);
    connect(completion_, &QComboBox::currentIndexChanged, this, reconfigure);
    connect(import_, &QPushButton::clicked, this, [this] {
        const QString file = QFileDialog::getOpenFileName(this, tr("Import Questions"), {},
                                                          tr("Question TSV (*.tsv *.txt *.gz);;All files (*)"));
        if (!file.isEmpty())
            importQuestions(file);
    });
    connect(train_, &QPushButton::clicked, this, &AskPanel::train);
    connect(cancel_, &QPushButton::clicked, this, [this] {
        if (training_)
            training_->cancel();
    });
    connect(worker_, &AskWorker::jobProgress, this, [this](int percent, const QString& text) {
        progress_->setValue(percent);
        status_->setText(text);
    });
    connect(worker_, &AskWorker::jobDone, this, &AskPanel::jobEnded);
    setEnabled(false);
}

void AskPanel::jobEnded(bool ok, const QString& summary)
{
    progress_->hide();
    cancel_->hide();
    train_->setEnabled(true);
    import_->setEnabled(true);
    status_->setText(summary);
    refreshModels();
    Q_EMIT jobFinished(ok);
}

void AskPanel::setTrainingQueue(TrainingPanel* queue)
{
    queue_ = queue;
    training_ = new JobFollower(this);
    training_->attach(queue_->worker());
    connect(training_, &JobFollower::progressed, this, [this](double share, const kg::ml::JobEvent& e) {
        progress_->setValue(static_cast<int>(100.0 * share));
        status_->setText(tr("Epoch %1 of %2, loss %3").arg(e.epoch).arg(e.epochs).arg(e.loss, 0, 'f', 4));
    });
    connect(training_, &JobFollower::finished, this,
            [this](qint64 runId, const QString& status, const QString& error, const kg::ml::JobEvent& last) {
                const bool ok = status == QLatin1String("finished");
                jobEnded(ok, status == QLatin1String("failed") ? tr("Training failed: %1").arg(error)
                                                               : tr("Run %1 %2: test Hits@1 %3.")
                                                                     .arg(runId)
                                                                     .arg(ok ? tr("finished") : tr("cancelled"))
                                                                     .arg(last.metrics.hits1, 0, 'f', 3));
            });
}

void AskPanel::setProject(std::shared_ptr<kg::Project> project)
{
    project_ = std::move(project);
    setEnabled(project_ != nullptr);
    answers_->setRowCount(0);
    hops_->setRowCount(0);
    alternatives_->setRowCount(0);
    resetLists();
    if (project_) // until the lists land: the newest qa run, no completion
        worker_->configure(qs(project_->path()), 0, 0);
    refreshModels();
}

void AskPanel::resetLists()
{
    const QSignalBlocker block(model_), blockCompletion(completion_), blockEncoder(encoder_);
    model_->clear();
    completion_->clear();
    completion_->addItem(tr("none"), QVariant::fromValue<qint64>(0));
    encoder_->clear();
    encoder_->addItem(tr("words (from scratch)"), QVariant::fromValue<qint64>(-1));
    encoder_->addItem(tr("words + pieces (from scratch)"), QVariant::fromValue<qint64>(0));
    ask_->setEnabled(false);
}

void AskPanel::refreshModels()
{
    const quint64 token = ++listsToken_;
    if (!project_)
        return;
    history_->runs(this, project_->path(), [this, token](RunHistoryReader::Runs read) {
        if (token != listsToken_)
            return;
        if (!read.error.isEmpty())
            status_->setText(tr("Could not read the project's runs: %1").arg(read.error));
        showLists(read);
    });
}

void AskPanel::showLists(const RunHistoryReader::Runs& read)
{
    const qint64 encoder = encoder_->currentData().toLongLong();
    resetLists();
    const QSignalBlocker block(model_), blockCompletion(completion_), blockEncoder(encoder_);
    for (size_t i = 0; i < read.runs.size(); ++i) { // newest first
        const auto& run = read.runs[i];
        const auto& summary = read.summaries[i];
        if (run.kind == "qa" && (run.status == "finished" || run.status == "cancelled")) {
            model_->addItem(tr("qa run %1 (test MRR %2)")
                                .arg(run.id)
                                .arg(summary.testMrr >= 0 ? QString::number(summary.testMrr, 'f', 3) : tr("n/a")),
                            QVariant::fromValue<qint64>(run.id));
            model_->setItemData(model_->count() - 1, tr("Trained %1 (UTC)").arg(qs(run.created)), Qt::ToolTipRole);
        } else if (run.status == "finished" || run.status == "stopped_early") {
            if (summary.model == "compgcn")
                completion_->addItem(tr("CompGCN run %1").arg(run.id), QVariant::fromValue<qint64>(run.id));
            else if (summary.model == "transformer")
                encoder_->addItem(tr("pieces from transformer run %1 (%2)")
                                      .arg(run.id)
                                      .arg(summary.stage == "pretrain" ? tr("pre-trained") : tr("fine-tuned")),
                                  QVariant::fromValue<qint64>(run.id));
        }
    }
    // The newest qa run answers, without completion; the encoder chosen stays while listed.
    encoder_->setCurrentIndex(std::max(0, encoder_->findData(QVariant::fromValue<qint64>(encoder))));
    ask_->setEnabled(model_->count() > 0);
    worker_->configure(qs(project_->path()), model_->count() ? model_->currentData().toLongLong() : 0,
                       completion_->currentData().toLongLong());
    Q_EMIT listsShown();
}

void AskPanel::askFromForm()
{
    const QString question = question_->text().trimmed();
    if (!project_ || question.isEmpty())
        return;
    const QString key = topic_->text().trimmed();
    if (key.isEmpty()) {
        ask(question, 0);
        return;
    }
    question_->setText(question);
    status_->setText(tr("Asking…"));
    token_ = worker_->askAbout(question, key); // the key is looked up on the worker
}

void AskPanel::ask(const QString& question, qint64 topic, const QList<qint64>& path)
{
    question_->setText(question);
    status_->setText(tr("Asking…"));
    token_ = worker_->ask(question, topic, path);
}

void AskPanel::importQuestions(const QString& file)
{
    if (!project_)
        return;
    import_->setEnabled(false);
    train_->setEnabled(false);
    status_->setText(tr("Importing %1…").arg(file));
    worker_->importQuestions(qs(project_->path()), file);
}

void AskPanel::train()
{
    if (!project_ || !queue_)
        return;
    kg::ml::QaTrainSpec spec;
    spec.epochs = epochs_->value();
    spec.weak = weak_->isChecked();
    const qint64 encoder = encoder_->currentData().toLongLong();
    spec.pieces = encoder >= 0;
    spec.encoderFrom = std::max<qint64>(encoder, 0);
    const quint64 token =
        queue_->startJob(std::make_shared<kg::ml::JobOf<kg::ml::QaJob>>(project_->path(), spec), tr("valid MRR"));
    training_->follow(token);
    if (!token) {
        status_->setText(tr("Another training job is running; wait for it or cancel it in the Training tab."));
        return;
    }
    train_->setEnabled(false);
    import_->setEnabled(false);
    progress_->setValue(0);
    progress_->show();
    cancel_->show();
    status_->setText(tr("Training the question-answering model…"));
}

void AskPanel::onAnswered(const AskResult& r)
{
    if (r.token != token_)
        return; // an older question's answer
    shown_ = r;
    answers_->setRowCount(0);
    hops_->setRowCount(0);
    alternatives_->setRowCount(0);
    if (!r.error.isEmpty()) {
        status_->setText(tr("Failed: %1").arg(r.error));
        return;
    }
    if (!r.unknownTopic.isEmpty()) {
        status_->setText(tr("No entity has the key %1.").arg(r.unknownTopic));
        return;
    }
    if (!r.topic) {
        status_->setText(tr("No entity of the graph is named in the question. Name one in the topic field."));
        return;
    }
    const QString how = r.linkedBy == QLatin1String("given")    ? tr("given")
                        : r.linkedBy == QLatin1String("search") ? tr("found by full-text search")
                                                                : tr("named in the question");
    status_->setText(tr("Topic: %1 (%2). %3 answers in %4 ms.")
                         .arg(r.topicLabel, how)
                         .arg(r.answers.size())
                         .arg(r.milliseconds, 0, 'f', 1));
    answers_->setRowCount(static_cast<int>(r.answers.size()));
    for (int i = 0; i < r.answers.size(); ++i) {
        const auto& a = r.answers[i];
        answers_->setItem(i, 0, item(QString::number(i + 1)));
        answers_->setItem(i, 1, item(a.label));
        answers_->setItem(i, 2, item(QString::number(a.score, 'f', 3)));
        answers_->setItem(i, 3, item(r.paths[a.path].text));
        answers_->setItem(i, 4, item(a.walk, a.predicted ? tr("⇢ marks a fact the completion run predicted; the graph lacks it") : QString()));
    }
    alternatives_->setRowCount(static_cast<int>(std::max<qsizetype>(r.paths.size() - 1, 0)));
    for (int i = 1; i < r.paths.size(); ++i) {
        alternatives_->setItem(i - 1, 0, item(r.paths[i].text));
        alternatives_->setItem(i - 1, 1, item(QString::number(r.paths[i].probability, 'f', 3)));
        alternatives_->setItem(i - 1, 2, item(QString::number(r.paths[i].reached)));
    }
    if (!r.answers.isEmpty())
        answers_->setCurrentCell(0, 1);
    Q_EMIT answersShown();
}

void AskPanel::showAnswer(int row)
{
    if (row < 0 || row >= shown_.answers.size())
        return;
    const auto& a = shown_.answers[row];
    const auto& path = shown_.paths[a.path];
    QStringList headers{tr("Relation"), tr("p")};
    headers << shown_.words;
    hops_->clear();
    hops_->setColumnCount(static_cast<int>(headers.size()));
    hops_->setHorizontalHeaderLabels(headers);
    hops_->setRowCount(static_cast<int>(path.hops.size()));
    for (int h = 0; h < path.hops.size(); ++h) {
        const auto& hop = path.hops[h];
        hops_->setItem(h, 0, item(hop.relationName));
        hops_->setItem(h, 1, item(QString::number(hop.probability, 'f', 3)));
        for (int w = 0; w < hop.attention.size() && w < shown_.words.size(); ++w) {
            const double v = hop.attention[w];
            auto* cell = item(QString::number(v, 'f', 2),
                              tr("%1: attention %2 at hop %3").arg(shown_.words[w]).arg(v, 0, 'f', 3).arg(h + 1));
            const int shade = static_cast<int>(255 - 200 * std::min(1.0, v));
            cell->setBackground(QColor(shade, shade, 255));
            cell->setForeground(v > 0.6 ? QColor(Qt::white) : QColor(Qt::black));
            if (w >= shown_.topicBegin && w < shown_.topicEnd)
                cell->setToolTip(tr("%1 (the topic entity)").arg(cell->toolTip()));
            hops_->setItem(h, 2 + w, cell);
        }
    }
    hops_->resizeColumnsToContents();
    Q_EMIT highlightRequested(a.triples);
}

} // namespace kgw
