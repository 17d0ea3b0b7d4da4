#include "training/federation_dialog.h"

#include <QCheckBox>
#include <QComboBox>
#include <QCoreApplication>
#include <QDir>
#include <QDoubleSpinBox>
#include <QFileDialog>
#include <QFileInfo>
#include <QFormLayout>
#include <QGroupBox>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QLabel>
#include <QLineEdit>
#include <QListWidget>
#include <QPlainTextEdit>
#include <QProcess>
#include <QPushButton>
#include <QRadioButton>
#include <QRandomGenerator>
#include <QRegularExpression>
#include <QSpinBox>
#include <QTableWidget>
#include <QTemporaryDir>
#include <QThread>
#include <QTimer>
#include <QVBoxLayout>

#include "ml/train_config.h"

namespace kgw {

FederationDialog::FederationDialog(QWidget* parent)
    : QDialog(parent)
    , cli_(QDir(QCoreApplication::applicationDirPath()).filePath(QStringLiteral("kgwb")))
    , local_(new QRadioButton(tr("Start a federation on this machine"), this))
    , join_(new QRadioButton(tr("Join a remote coordinator with this project"), this))
    , silos_(new QListWidget(this))
    , addSilo_(new QPushButton(tr("Add Silo…"), this))
    , removeSilo_(new QPushButton(tr("Remove"), this))
    , start_(new QPushButton(tr("Start"), this))
    , stop_(new QPushButton(tr("Stop"), this))
    , model_(new QComboBox(this))
    , share_(new QComboBox(this))
    , dim_(new QSpinBox(this))
    , rounds_(new QSpinBox(this))
    , localEpochs_(new QSpinBox(this))
    , port_(new QSpinBox(this))
    , rank_(new QSpinBox(this))
    , vocab_(new QSpinBox(this))
    , lr_(new QDoubleSpinBox(this))
    , dpNoise_(new QDoubleSpinBox(this))
    , secure_(new QCheckBox(tr("Secure aggregation (pairwise masks)"), this))
    , continueOnFailure_(new QCheckBox(tr("If a silo fails, go on without it"), this))
    , readText_(new QCheckBox(tr("Read entity labels (one tokenizer for every silo)"), this))
    , server_(new QLineEdit(this))
    , salt_(new QLineEdit(this))
    , joinSilo_(new QLabel(this))
    , status_(new QLabel(tr("Not running."), this))
    , table_(new QTableWidget(0, 5, this))
    , log_(new QPlainTextEdit(this))
{
    setWindowTitle(tr("Federated Run"));
    for (const auto& [name, key] : {std::pair{tr("ComplEx"), "complex"}, {tr("DistMult"), "distmult"},
                                    {tr("TransE"), "transe"}, {tr("RotatE"), "rotate"}, {tr("CompGCN"), "compgcn"},
                                    {tr("Transformer (rank answers)"), "transformer"}})
        model_->addItem(name, QString::fromLatin1(key));
    model_->setToolTip(tr("CompGCN and the transformer also average their layers (the encoder) each round, weighted "
                          "by each silo's training triples. The transformer trains with the rank-answers preset; "
                          "with Read entity labels it also reads each entity's label."));
    readText_->setToolTip(tr("Before the first round, silo 1's tokenizer (trained on its labels and descriptions if it "
                             "has none of this size) replaces the other silos' own, so every silo cuts words alike "
                             "and the pieces' rows are averaged too. Earlier runs keep the tokenizer they trained "
                             "with. Rounds take longer."));
    vocab_->setRange(64, 64000);
    vocab_->setSingleStep(100);
    vocab_->setValue(1000);
    vocab_->setToolTip(tr("Pieces of the shared sentencepiece tokenizer"));
    share_->addItem(tr("Entity embeddings (FedE)"), QStringLiteral("entities"));
    share_->addItem(tr("Relation embeddings (FedR)"), QStringLiteral("relations"));
    share_->addItem(tr("Both: the whole model (FedAvg)"), QStringLiteral("both"));
    share_->setToolTip(tr("What the silos average each round; the rest stays in each silo. FedR suits silos that "
                          "share relations (kgwb silo split --by triple)"));
    dim_->setRange(8, 2048);
    dim_->setSingleStep(8);
    dim_->setValue(128);
    rounds_->setRange(1, 10000);
    rounds_->setValue(10);
    localEpochs_->setRange(1, 1000);
    localEpochs_->setValue(2);
    port_->setRange(1024, 65535);
    port_->setValue(29500);
    rank_->setRange(1, 1000);
    lr_->setDecimals(4);
    lr_->setRange(0.0001, 1);
    lr_->setSingleStep(0.001);
    lr_->setValue(0.01);
    connect(model_, &QComboBox::currentIndexChanged, this, [this] {
        lr_->setValue(kg::ml::defaultLearningRate(kg::ml::parseModel(model_->currentData().toString().toStdString())));
    });
    dpNoise_->setDecimals(3);
    dpNoise_->setRange(0, 10);
    dpNoise_->setSingleStep(0.01);
    dpNoise_->setSpecialValueText(tr("off"));
    server_->setPlaceholderText(tr("host:port"));
    salt_->setEchoMode(QLineEdit::Password);
    salt_->setPlaceholderText(tr("the secret the silos share (8+ characters)"));
    local_->setChecked(true);

    rounds_->setToolTip(tr("Each round: the silos train locally, then the shared embeddings are averaged"));
    localEpochs_->setToolTip(tr("Epochs each silo trains on its own triples per round"));
    secure_->setToolTip(tr("Each pair of silos adds masks that cancel in the sum: no single silo's rows are seen"));
    continueOnFailure_->setToolTip(tr("Otherwise a silo that leaves, or takes over 30 minutes for a round, stops the federation"));
    dpNoise_->setToolTip(tr("Differential privacy: Gaussian noise (times the clipping norm 1) on each silo's changes"));

    auto* layout = new QVBoxLayout(this);
    layout->addWidget(local_);
    auto* localBox = new QGroupBox(tr("Silos (one project each)"), this);
    auto* lb = new QHBoxLayout(localBox);
    lb->addWidget(silos_, 1);
    auto* lbButtons = new QVBoxLayout;
    lbButtons->addWidget(addSilo_);
    lbButtons->addWidget(removeSilo_);
    lbButtons->addStretch(1);
    lb->addLayout(lbButtons);
    silos_->setMaximumHeight(90);
    layout->addWidget(localBox);
    layout->addWidget(join_);
    auto* joinForm = new QFormLayout;
    joinForm->addRow(tr("Coordinator:"), server_);
    joinForm->addRow(tr("Silo rank:"), rank_);
    joinForm->addRow(tr("Shared secret:"), salt_);
    joinForm->addRow(tr("Silo:"), joinSilo_);
    layout->addLayout(joinForm);

    auto* settings = new QGroupBox(tr("Model and rounds"), this);
    auto* form = new QFormLayout(settings);
    form->addRow(tr("Model:"), model_);
    form->addRow(tr("Dimension:"), dim_);
    form->addRow(QString(), readText_);
    form->addRow(tr("Vocabulary size:"), vocab_);
    form->addRow(tr("Shared:"), share_);
    form->addRow(tr("Learning rate:"), lr_);
    form->addRow(tr("Rounds:"), rounds_);
    form->addRow(tr("Local epochs per round:"), localEpochs_);
    form->addRow(tr("Port:"), port_);
    form->addRow(QString(), secure_);
    form->addRow(tr("DP noise:"), dpNoise_);
    form->addRow(QString(), continueOnFailure_);
    layout->addWidget(settings);

    auto* buttons = new QHBoxLayout;
    buttons->addWidget(start_);
    buttons->addWidget(stop_);
    buttons->addWidget(status_, 1);
    layout->addLayout(buttons);
    table_->setHorizontalHeaderLabels({tr("Round"), tr("Loss"), tr("Valid MRR"), tr("Valid Hits@10"), tr("Seconds")});
    table_->verticalHeader()->hide();
    table_->setEditTriggers(QAbstractItemView::NoEditTriggers);
    table_->horizontalHeader()->setSectionResizeMode(QHeaderView::Stretch);
    layout->addWidget(table_, 1);
    log_->setReadOnly(true);
    log_->setMaximumBlockCount(2000);
    log_->setPlaceholderText(tr("Output of the coordinator and the silos"));
    layout->addWidget(log_, 1);

    connect(local_, &QRadioButton::toggled, this, &FederationDialog::updateMode);
    connect(model_, &QComboBox::currentIndexChanged, this, &FederationDialog::updateMode);
    connect(readText_, &QCheckBox::toggled, this, &FederationDialog::updateMode);
    connect(addSilo_, &QPushButton::clicked, this, [this] {
        for (const QString& f : QFileDialog::getOpenFileNames(this, tr("Silo Projects"), QString(),
                                                              tr("KG Workbench projects (*.kgwb)")))
            addSilo(f);
    });
    connect(removeSilo_, &QPushButton::clicked, this, [this] { delete silos_->currentItem(); });
    connect(start_, &QPushButton::clicked, this, &FederationDialog::start);
    connect(stop_, &QPushButton::clicked, this, &FederationDialog::stop);
    updateMode();
    resize(640, 760);
}

FederationDialog::~FederationDialog()
{
    for (const auto& p : processes_)
        if (p) {
            p->disconnect(this);
            p->kill();
            p->waitForFinished(3000);
        }
}

void FederationDialog::setProjectPath(const QString& path)
{
    projectPath_ = path;
    joinSilo_->setText(path.isEmpty() ? tr("(no project open)") : QFileInfo(path).fileName());
    if (!path.isEmpty() && silos_->count() == 0)
        addSilo(path);
}

void FederationDialog::addSilo(const QString& path)
{
    for (int i = 0; i < silos_->count(); ++i)
        if (silos_->item(i)->data(Qt::UserRole).toString() == path)
            return;
    auto* item = new QListWidgetItem(QFileInfo(path).fileName(), silos_);
    item->setData(Qt::UserRole, path);
    item->setToolTip(path);
}

bool FederationDialog::running() const
{
    for (const auto& p : processes_)
        if (p && p->state() != QProcess::NotRunning)
            return true;
    return false;
}

void FederationDialog::updateMode()
{
    const bool local = local_->isChecked(), busy = running();
    for (QWidget* w : {static_cast<QWidget*>(silos_), static_cast<QWidget*>(addSilo_), static_cast<QWidget*>(removeSilo_)})
        w->setEnabled(local && !busy);
    for (QWidget* w : {static_cast<QWidget*>(server_), static_cast<QWidget*>(rank_), static_cast<QWidget*>(salt_)})
        w->setEnabled(!local && !busy);
    // A silo that joins takes the coordinator's settings; these only apply when starting one.
    for (QWidget* w : {static_cast<QWidget*>(model_), static_cast<QWidget*>(share_), static_cast<QWidget*>(dim_),
                       static_cast<QWidget*>(lr_),
                       static_cast<QWidget*>(rounds_), static_cast<QWidget*>(localEpochs_), static_cast<QWidget*>(port_),
                       static_cast<QWidget*>(secure_), static_cast<QWidget*>(dpNoise_),
                       static_cast<QWidget*>(continueOnFailure_)})
        w->setEnabled(local && !busy);
    const bool transformer = model_->currentData().toString() == QLatin1String("transformer");
    readText_->setEnabled(local && !busy && transformer);
    vocab_->setEnabled(local && !busy && transformer && readText_->isChecked());
    local_->setEnabled(!busy);
    join_->setEnabled(!busy);
    start_->setEnabled(!busy);
    stop_->setEnabled(busy);
}

QProcess* FederationDialog::launch(const QStringList& args, const QString& salt, bool coordinator)
{
    auto* p = new QProcess(this);
    p->setProcessChannelMode(QProcess::MergedChannels);
    auto env = QProcessEnvironment::systemEnvironment();
    if (!salt.isEmpty())
        env.insert(QStringLiteral("KGWB_FED_SALT"), salt); // not on the command line (ps would show it)
    p->setProcessEnvironment(env);
    connect(p, &QProcess::readyRead, this, [this, p, coordinator] { onOutput(p, coordinator); });
    connect(p, &QProcess::finished, this, [this, p, coordinator](int code, QProcess::ExitStatus st) {
        onExit(p, coordinator, st == QProcess::NormalExit ? code : -1);
    });
    connect(p, &QProcess::errorOccurred, this, [this, p, coordinator](QProcess::ProcessError e) {
        if (e == QProcess::FailedToStart) {
            log_->appendPlainText(tr("Could not start %1").arg(cli_));
            onExit(p, coordinator, -1);
        }
    });
    processes_.append(p);
    p->start(cli_, args);
    return p;
}

void FederationDialog::start()
{
    if (running())
        return;
    table_->setRowCount(0);
    log_->clear();
    lastError_.clear();
    failed_ = false;
    stopping_ = false;
    if (local_->isChecked()) {
        QStringList silos;
        for (int i = 0; i < silos_->count(); ++i)
            silos << silos_->item(i)->data(Qt::UserRole).toString();
        if (silos.isEmpty()) {
            status_->setText(tr("Add at least one silo project."));
            return;
        }
        const bool transformer = model_->currentData().toString() == QLatin1String("transformer");
        if (!transformer || !readText_->isChecked()) {
            startFederation(silos, false);
        } else {
            tokenizerDir_ = std::make_unique<QTemporaryDir>();
            const QString file = tokenizerDir_->filePath(QStringLiteral("shared.model"));
            const QString vocab = QString::number(vocab_->value());
            QList<QStringList> steps{{QStringLiteral("tokenizer"), QStringLiteral("export"), silos[0], file,
                                      QStringLiteral("--vocab-size"), vocab}};
            for (int i = 1; i < silos.size(); ++i)
                steps.append({QStringLiteral("tokenizer"), QStringLiteral("import"), silos[i], file,
                              QStringLiteral("--vocab-size"), vocab});
            status_->setText(tr("Giving every silo the tokenizer of %1…").arg(QFileInfo(silos[0]).fileName()));
            prepare(steps, [this, silos] { startFederation(silos, true); });
        }
    } else {
        if (projectPath_.isEmpty() || server_->text().trimmed().isEmpty() || salt_->text().size() < 8) {
            status_->setText(tr("Joining needs an open project, the coordinator's host:port and the shared secret."));
            return;
        }
        launch({QStringLiteral("fed"), QStringLiteral("join"), projectPath_, QStringLiteral("--server"),
                server_->text().trimmed(), QStringLiteral("--rank"), QString::number(rank_->value())},
               salt_->text(), true);
        status_->setText(tr("Joined as silo %1; waiting for the coordinator…").arg(rank_->value()));
    }
    updateMode();
}

void FederationDialog::startFederation(const QStringList& silos, bool readText)
{
    const QString port = QString::number(port_->value());
    QStringList serve{QStringLiteral("fed"), QStringLiteral("serve"), QStringLiteral("--clients"),
                      QString::number(silos.size()), QStringLiteral("--port"), port, QStringLiteral("--rounds"),
                      QString::number(rounds_->value()), QStringLiteral("--local-epochs"),
                      QString::number(localEpochs_->value()), QStringLiteral("--lr"), QString::number(lr_->value()),
                      QStringLiteral("--timeout"), QStringLiteral("1800")};
    if (model_->currentData().toString() == QLatin1String("transformer")) // the flags below override it
        serve << QStringLiteral("--preset") << QStringLiteral("transformer-rank");
    serve << QStringLiteral("--model") << model_->currentData().toString() << QStringLiteral("--dim")
          << QString::number(dim_->value()) << QStringLiteral("--share") << share_->currentData().toString();
    if (readText) // every silo now holds silo 1's tokenizer (start())
        serve << QStringLiteral("--use-text") << QStringLiteral("--vocab-size") << QString::number(vocab_->value());
    if (secure_->isChecked())
        serve << QStringLiteral("--secure-agg");
    if (continueOnFailure_->isChecked())
        serve << QStringLiteral("--on-failure") << QStringLiteral("continue");
    if (dpNoise_->value() > 0)
        serve << QStringLiteral("--dp-noise") << QString::number(dpNoise_->value());
    launch(serve, {}, true);
    // A fresh secret for this federation: the silos get it, the coordinator does not.
    const QString salt = QString::number(QRandomGenerator::system()->generate64(), 36) +
                         QString::number(QRandomGenerator::system()->generate64(), 36);
    const int threads = std::max(1, QThread::idealThreadCount() / static_cast<int>(silos.size()));
    for (int i = 0; i < silos.size(); ++i)
        launch({QStringLiteral("fed"), QStringLiteral("join"), silos[i], QStringLiteral("--server"),
                QStringLiteral("127.0.0.1:") + port, QStringLiteral("--rank"), QString::number(i + 1),
                QStringLiteral("--threads"), QString::number(threads), QStringLiteral("--timeout"),
                QStringLiteral("1800")},
               salt, false);
    status_->setText(tr("Federation of %n silo(s) running…", nullptr, static_cast<int>(silos.size())));
    updateMode();
}

void FederationDialog::prepare(QList<QStringList> steps, const std::function<void()>& then)
{
    if (steps.isEmpty()) {
        then();
        return;
    }
    const QStringList args = steps.takeFirst();
    auto* p = new QProcess(this);
    p->setProcessChannelMode(QProcess::MergedChannels);
    auto fail = [this](const QString& why) {
        if (!stopping_) {
            failed_ = true;
            status_->setText(why);
        }
        updateMode();
        Q_EMIT finished(false);
    };
    connect(p, &QProcess::readyRead, this, [this, p] { onOutput(p, false); });
    connect(p, &QProcess::finished, this, [this, p, steps, then, fail](int code, QProcess::ExitStatus st) {
        onOutput(p, false);
        if (stopping_)
            fail(QString());
        else if (st != QProcess::NormalExit || code != 0)
            fail(lastError_.isEmpty() ? tr("Preparing the silos failed (exit code %1).").arg(code)
                                      : tr("Failed: %1").arg(lastError_));
        else
            prepare(steps, then);
    });
    connect(p, &QProcess::errorOccurred, this, [this, fail](QProcess::ProcessError e) {
        if (e == QProcess::FailedToStart)
            fail(tr("Could not start %1").arg(cli_));
    });
    processes_.append(p);
    p->start(cli_, args);
}

void FederationDialog::stop()
{
    stopping_ = true;
    for (const auto& p : processes_)
        if (p && p->state() != QProcess::NotRunning)
            p->kill(); // the silos only read their projects: nothing to roll back
    status_->setText(tr("Stopped."));
}

void FederationDialog::onOutput(QProcess* p, bool coordinator)
{
    static const QRegularExpression round(QStringLiteral(
        R"(round (\d+)/(\d+)\s+loss ([0-9.]+)\s+.*valid MRR ([0-9.]+)\s+Hits@10 ([0-9.]+).*\s([0-9.]+) s$)"));
    while (p->canReadLine()) {
        const QString line = QString::fromUtf8(p->readLine()).trimmed();
        if (line.isEmpty() || line.startsWith(QLatin1String("WARNING: Logging before")))
            continue;
        log_->appendPlainText(line);
        if (line.contains(QLatin1String("error:")))
            lastError_ = line.mid(line.indexOf(QLatin1String("error:")) + 6).trimmed();
        if (!coordinator)
            continue;
        const auto m = round.match(line);
        if (m.hasMatch()) {
            const int row = table_->rowCount();
            table_->insertRow(row);
            const QStringList cells{m.captured(1) + QLatin1Char('/') + m.captured(2), m.captured(3), m.captured(4),
                                    m.captured(5), m.captured(6)};
            for (int c = 0; c < cells.size(); ++c)
                table_->setItem(row, c, new QTableWidgetItem(cells[c]));
            table_->scrollToBottom();
            if (!stopping_) // output read after Stop (the exit handler drains it) keeps "Stopped."
                status_->setText(tr("Round %1 of %2 done.").arg(m.captured(1), m.captured(2)));
        } else if (line.startsWith(QLatin1String("test")) && !stopping_) {
            const auto mrr = QRegularExpression(QStringLiteral(R"(MRR ([0-9.]+))")).match(line);
            status_->setText(tr("Finished: test MRR %1.").arg(mrr.captured(1)));
        }
    }
}

void FederationDialog::onExit(QProcess* p, bool coordinator, int code)
{
    onOutput(p, coordinator);
    if (code != 0 && !failed_ && !stopping_) {
        failed_ = true;
        status_->setText(lastError_.isEmpty() ? tr("A federation process stopped (exit code %1).").arg(code)
                                              : tr("Failed: %1").arg(lastError_));
        if (coordinator) // the silos cannot go on without their coordinator
            QTimer::singleShot(0, this, [this] {
                for (const auto& q : processes_)
                    if (q && q->state() != QProcess::NotRunning)
                        q->kill();
            });
    }
    if (!running()) {
        updateMode();
        Q_EMIT finished(!failed_ && !stopping_);
    }
}

} // namespace kgw
