#include "launch_dialog.h"

#include <algorithm>

#include <QCheckBox>
#include <QComboBox>
#include <QDialogButtonBox>
#include <QDoubleSpinBox>
#include <QFormLayout>
#include <QMessageBox>
#include <QSpinBox>
#include <QThread>

#include "core/error.h"
#include "ml/train_presets.h"
#include "qt_convert.h"

namespace kgw {
namespace {

using namespace kg::ml;

// The dialog's words for each engine preset (ml/train_presets.h), by id.
struct PresetText {
    const char* id;
    const char* name;
    const char* tip;
};

constexpr PresetText kPresetTexts[] = {
    {"complex-1vsall", QT_TRANSLATE_NOOP("kgw::LaunchDialog", "ComplEx, 1-vs-all (strong default)"),
     QT_TRANSLATE_NOOP("kgw::LaunchDialog", "Scores every entity per query with cross-entropy and N3 "
                                            "regularisation: the most accurate setting on small and "
                                            "medium graphs")},
    {"rotate-adversarial", QT_TRANSLATE_NOOP("kgw::LaunchDialog", "RotatE, self-adversarial negatives"),
     QT_TRANSLATE_NOOP("kgw::LaunchDialog", "Sun et al. 2019: relations as rotations, 256 shared "
                                            "negatives weighted by their scores")},
    {"transe-margin", QT_TRANSLATE_NOOP("kgw::LaunchDialog", "TransE, margin loss (quick baseline)"),
     QT_TRANSLATE_NOOP("kgw::LaunchDialog", "Bordes et al. 2013: fast, a sanity baseline")},
    {"distmult-tiny", QT_TRANSLATE_NOOP("kgw::LaunchDialog", "DistMult, tiny (smoke test)"),
     QT_TRANSLATE_NOOP("kgw::LaunchDialog", "A few seconds on small graphs: check the pipeline")},
    {"compgcn", QT_TRANSLATE_NOOP("kgw::LaunchDialog", "CompGCN graph encoder + DistMult"),
     QT_TRANSLATE_NOOP("kgw::LaunchDialog", "Vashishth et al. 2020: entity states from message passing "
                                            "over the graph (entities composed with relations), scored "
                                            "by DistMult against every entity")},
    {"transformer-pretrain", QT_TRANSLATE_NOOP("kgw::LaunchDialog", "Transformer: pre-train (masked tokens)"),
     QT_TRANSLATE_NOOP("kgw::LaunchDialog", "Masked entity, relation and word-piece prediction over "
                                            "the triples with their context facts and over entity "
                                            "descriptions; fine-tune it afterwards")},
    {"transformer-lora", QT_TRANSLATE_NOOP("kgw::LaunchDialog", "Transformer: fine-tune with LoRA"),
     QT_TRANSLATE_NOOP("kgw::LaunchDialog", "Starts from a pre-trained run (Initialise from); only "
                                            "low-rank adapters, entity adapters and the output bias "
                                            "train")},
    {"transformer-joint", QT_TRANSLATE_NOOP("kgw::LaunchDialog", "Transformer: joint loss (full fine-tune)"),
     QT_TRANSLATE_NOOP("kgw::LaunchDialog", "Answer prediction plus masked tokens, a DistMult loss on "
                                            "the shared entity table and agreement with mined rules")},
    {"transformer-rank", QT_TRANSLATE_NOOP("kgw::LaunchDialog", "Transformer: rank answers (no context)"),
     QT_TRANSLATE_NOOP("kgw::LaunchDialog", "Head and relation only, 120 epochs, every known tail "
                                            "of a query as its target, N3 on the score's factors, a "
                                            "direct head × relation path beside the encoder, the "
                                            "learning rate warmed up and then decayed on a cosine: the "
                                            "best ranking on small dense graphs; attention then has no "
                                            "context facts to explain with")},
    {"transformer-explain", QT_TRANSLATE_NOOP("kgw::LaunchDialog", "Transformer: rank and explain (16 context facts)"),
     QT_TRANSLATE_NOOP("kgw::LaunchDialog", "The rank-answers recipe with 16 of the head's facts in the "
                                            "input, so that attention and attribution in the Explain tab "
                                            "can point at the facts an answer leaned on; about four times "
                                            "slower per epoch")},
    {"transformer-rank-large", QT_TRANSLATE_NOOP("kgw::LaunchDialog", "Transformer: rank answers, large graphs (GPU)"),
     QT_TRANSLATE_NOOP("kgw::LaunchDialog", "The rank-answers recipe at dim 256 with 4 layers of 8 heads, "
                                            "batch 1,024, dropout 0.3, 24 epochs: on fb15k-237 it reached "
                                            "test MRR 0.33 in about 2 minutes on one H200; hours on a CPU")},
};

const PresetText* presetText(const std::string& id)
{
    for (const auto& t : kPresetTexts)
        if (id == t.id)
            return &t;
    return nullptr;
}

QComboBox* combo(QWidget* parent, std::initializer_list<std::pair<const char*, int>> items)
{
    auto* box = new QComboBox(parent);
    for (const auto& [text, value] : items)
        box->addItem(QString::fromLatin1(text), value);
    return box;
}

QSpinBox* spin(QWidget* parent, int lo, int hi)
{
    auto* s = new QSpinBox(parent);
    s->setRange(lo, hi);
    return s;
}

} // namespace

LaunchDialog::LaunchDialog(QWidget* parent)
    : QDialog(parent)
    , preset_(new QComboBox(this))
    , model_(combo(this, {{"TransE", 0}, {"DistMult", 1}, {"ComplEx", 2}, {"RotatE", 3}, {"Transformer", 4}, {"CompGCN", 5}}))
    , mode_(new QComboBox(this))
    , loss_(new QComboBox(this))
    , optimizer_(combo(this, {{"Adam", 0}, {"Adagrad", 1}}))
    , reg_(new QComboBox(this))
    , device_(new QComboBox(this))
    , dim_(spin(this, 2, 4096))
    , epochs_(spin(this, 1, 100000))
    , batch_(spin(this, 1, 1 << 20))
    , negatives_(spin(this, 1, 100000))
    , evalEvery_(spin(this, 0, 1000))
    , patience_(spin(this, 0, 1000))
    , threads_(spin(this, 0, 256))
    , lr_(new QDoubleSpinBox(this))
    , regWeight_(new QDoubleSpinBox(this))
    , gamma_(new QDoubleSpinBox(this))
    , testAtEnd_(new QCheckBox(tr("Evaluate on the test split at the end"), this))
    , stage_(new QComboBox(this))
    , initFrom_(new QComboBox(this))
    , loraEntities_(new QComboBox(this))
    , targets_(new QComboBox(this))
    , layers_(spin(this, 1, 48))
    , heads_(spin(this, 1, 64))
    , context_(spin(this, 0, 512))
    , loraRank_(spin(this, 0, 1024))
    , headMask_(new QDoubleSpinBox(this))
    , dropout_(new QDoubleSpinBox(this))
    , lambdaLm_(new QDoubleSpinBox(this))
    , lambdaKge_(new QDoubleSpinBox(this))
    , lambdaReason_(new QDoubleSpinBox(this))
    , useText_(new QCheckBox(tr("Add the head's label as word pieces"), this))
    , shortcut_(new QCheckBox(tr("Score head × relation directly as well (bilinear shortcut)"), this))
{
    setWindowTitle(tr("New Training Run"));
    auto* form = new QFormLayout(this);
    for (const auto& p : trainPresets()) {
        const PresetText* text = presetText(p.id); // every engine preset has its words here (tst_training_gui)
        preset_->addItem(text ? tr(text->name) : qs(p.summary), qs(p.id));
        preset_->setItemData(preset_->count() - 1, text ? tr(text->tip) : qs(p.summary), Qt::ToolTipRole);
    }
    mode_->addItem(tr("1-vs-all"), static_cast<int>(TrainMode::OneVsAll));
    mode_->addItem(tr("negative sampling"), static_cast<int>(TrainMode::NegativeSampling));
    loss_->addItem(tr("cross-entropy"), static_cast<int>(LossKind::CE));
    loss_->addItem(tr("binary cross-entropy"), static_cast<int>(LossKind::BCE));
    loss_->addItem(tr("margin"), static_cast<int>(LossKind::Margin));
    reg_->addItem(tr("none"), static_cast<int>(RegKind::None));
    reg_->addItem(QStringLiteral("L2"), static_cast<int>(RegKind::L2));
    reg_->addItem(QStringLiteral("N3"), static_cast<int>(RegKind::N3));
    const auto names = deviceDescriptions(); // "cuda:0 — NVIDIA H200, 139.8 GiB"
    for (const auto& d : availableDevices()) {
        QString text = d == "cpu" ? tr("CPU") : qs(d);
        for (const auto& n : names)
            if (n.rfind(d + " ", 0) == 0)
                text = qs(n);
        device_->addItem(text, qs(d));
    }
    device_->setToolTip(tr("Devices LibTorch can use on this machine"));
    lr_->setDecimals(5);
    lr_->setRange(1e-5, 10);
    lr_->setSingleStep(0.001);
    regWeight_->setDecimals(5);
    regWeight_->setRange(0, 10);
    gamma_->setRange(0, 100);
    threads_->setSpecialValueText(tr("all cores"));

    preset_->setToolTip(tr("Starting points from the literature; every field can be changed"));
    model_->setToolTip(tr("TransE: translations; DistMult: diagonal bilinear (symmetric relations); ComplEx: "
                          "complex bilinear (asymmetric); RotatE: rotations in the complex plane; Transformer: over "
                          "triples and their context facts; CompGCN: a graph encoder with a DistMult decoder"));
    dim_->setToolTip(tr("Embedding size (real numbers per entity; ComplEx and RotatE need it even)"));
    epochs_->setToolTip(tr("Training budget: passes over the training triples"));
    lr_->setToolTip(tr("Learning rate of the optimizer"));
    batch_->setToolTip(tr("Training triples per optimizer step"));
    mode_->setToolTip(tr("1-vs-all scores all entities per query; negative sampling scores a few corrupted triples"));
    negatives_->setToolTip(tr("Negative samples per positive (negative sampling only)"));
    gamma_->setToolTip(tr("Margin offset of the distance models (TransE, RotatE)"));
    reg_->setToolTip(tr("N3 (Lacroix et al. 2018) suits ComplEx; L2 is the classic choice. For the transformer it "
                        "applies to the score's two factors: the query vector and the answer's row"));
    evalEvery_->setToolTip(tr("Filtered validation MRR every N epochs (0 = never); the best model is kept"));
    patience_->setToolTip(tr("Stop after this many validations without improvement (0 = never)"));
    threads_->setToolTip(tr("CPU threads for LibTorch"));

    form->addRow(tr("Preset:"), preset_);
    form->addRow(tr("Model:"), model_);
    form->addRow(tr("Dimension:"), dim_);
    form->addRow(tr("Epochs:"), epochs_);
    form->addRow(tr("Learning rate:"), lr_);
    form->addRow(tr("Batch size:"), batch_);
    form->addRow(tr("Training mode:"), mode_);
    form->addRow(tr("Loss:"), loss_);
    form->addRow(tr("Negatives:"), negatives_);
    form->addRow(tr("Gamma:"), gamma_);
    optimizer_->addItem(tr("Row-wise Adagrad"), static_cast<int>(OptimizerKind::RowAdagrad));
    optimizer_->setItemData(optimizer_->count() - 1, tr("One accumulator per table row (as PyTorch-BigGraph): almost no optimizer memory beside the tables"),
                            Qt::ToolTipRole);
    form->addRow(tr("Optimizer:"), optimizer_);
    form->addRow(tr("Regulariser:"), reg_);
    form->addRow(tr("Regulariser weight:"), regWeight_);
    form->addRow(tr("Device:"), device_);
    form->addRow(tr("Threads:"), threads_);
    form->addRow(tr("Validate every:"), evalEvery_);
    form->addRow(tr("Early-stop patience:"), patience_);
    form->addRow(testAtEnd_);
    stage_->addItem(tr("pre-train"), static_cast<int>(TextStage::Pretrain));
    stage_->addItem(tr("fine-tune"), static_cast<int>(TextStage::Finetune));
    initFrom_->addItem(tr("none (random start)"), QVariant::fromValue<qint64>(0));
    for (QDoubleSpinBox* b : {lambdaLm_, lambdaKge_, lambdaReason_}) {
        b->setRange(0, 10);
        b->setDecimals(3);
        b->setSingleStep(0.05);
    }
    headMask_->setRange(0, 0.95); // validate(): below 1
    headMask_->setDecimals(2);
    headMask_->setSingleStep(0.05);
    dropout_->setRange(0, 0.9); // validate(): below 1
    dropout_->setDecimals(2);
    dropout_->setSingleStep(0.05);
    loraRank_->setSpecialValueText(tr("off (full fine-tune)"));
    loraEntities_->addItem(tr("full update (the output head)"), QStringLiteral("full"));
    loraEntities_->addItem(tr("rank-r adapter (fewer parameters)"), QStringLiteral("adapter"));
    targets_->addItem(tr("the example's tail"), QStringLiteral("one"));
    targets_->addItem(tr("every known tail of (head, relation)"), QStringLiteral("all"));
    targets_->setToolTip(tr("What an answer query learns: its own tail (1-vs-all) or every training tail of the "
                            "same head and relation at once (KvsAll, as ConvE)"));
    loraEntities_->setToolTip(tr("Under LoRA, how the entity rows train: in full (closer to full fine-tuning) or "
                                 "through an adapter (far fewer parameters on large graphs)"));
    stage_->setToolTip(tr("Pre-training predicts masked tokens; fine-tuning ranks answers for (head, relation, ?)"));
    initFrom_->setToolTip(tr("Start from the model another transformer run kept (e.g. a pre-training run)"));
    layers_->setToolTip(tr("Transformer layers"));
    heads_->setToolTip(tr("Attention heads per layer (the dimension must be divisible by it)"));
    context_->setToolTip(tr("Neighbour facts of the head in the input: what attention can point at"));
    headMask_->setToolTip(tr("Share of fine-tuning examples whose head identity is hidden, so the answer must come "
                             "from the context facts (HittER); 0 keeps it visible and trains faster"));
    dropout_->setToolTip(tr("Dropout in the encoder's layers: large graphs trained for many epochs want more "
                            "(fb15k-237 on a GPU: 0.3), small ones less (umls: 0.1)"));
    loraRank_->setToolTip(tr("LoRA: rank of the adapters; the base weights stay frozen (must be below the dimension)"));
    lambdaLm_->setToolTip(tr("Weight of the masked-token loss during fine-tuning"));
    lambdaKge_->setToolTip(tr("Weight of the DistMult loss on the shared entity table"));
    lambdaReason_->setToolTip(tr("Weight of the agreement with mined rules, KL(rules ‖ model)"));
    struct Row {
        QString label;
        QWidget* field;
    };
    for (const Row& r : {Row{tr("Stage:"), stage_}, Row{tr("Initialise from:"), initFrom_}, Row{tr("Layers:"), layers_},
                         Row{tr("Heads:"), heads_}, Row{tr("Dropout:"), dropout_}, Row{tr("Context facts:"), context_},
                         Row{tr("Head mask:"), headMask_},
                         Row{tr("Targets:"), targets_},
                         Row{tr("LoRA rank:"), loraRank_}, Row{tr("LoRA entity rows:"), loraEntities_},
                         Row{tr("λ masked tokens:"), lambdaLm_},
                         Row{tr("λ KGE:"), lambdaKge_}, Row{tr("λ rules:"), lambdaReason_}})
        form->insertRow(form->rowCount() - 4, r.label, r.field);
    form->insertRow(form->rowCount() - 4, useText_);
    shortcut_->setToolTip(tr("Adds the product of the head's and relation's input embeddings to the answer query, "
                             "a DistMult-like path beside the encoder; the Explain tab splits each answer's score "
                             "between the two"));
    form->insertRow(form->rowCount() - 4, shortcut_);
    transformerRows_ = {stage_,   initFrom_,  layers_,    heads_,  dropout_,     context_, headMask_, targets_, loraRank_,
                        loraEntities_, lambdaLm_, lambdaKge_, lambdaReason_, useText_, shortcut_};
    kgeRows_ = {mode_, loss_, negatives_, gamma_, optimizer_};
    regRows_ = {reg_, regWeight_}; // KGE models and the transformer
    connect(model_, &QComboBox::currentIndexChanged, this, &LaunchDialog::updateVisibleRows);
    auto* buttons = new QDialogButtonBox(QDialogButtonBox::Ok | QDialogButtonBox::Cancel, this);
    form->addRow(buttons);
    connect(buttons, &QDialogButtonBox::accepted, this, [this] {
        try { // the same validate() as the CLI: refuse with the engine's message
            spec().config.validate();
        } catch (const kg::Error& e) {
            QMessageBox::warning(this, tr("Invalid settings"), qs(e.reason()));
            return;
        }
        accept();
    });
    connect(buttons, &QDialogButtonBox::rejected, this, &QDialog::reject);
    connect(preset_, &QComboBox::activated, this, &LaunchDialog::applyPreset);
    evalEvery_->setValue(1);
    testAtEnd_->setChecked(true);
    applyPreset(0);
}

void LaunchDialog::applyPreset(int index)
{
    const auto& all = trainPresets();
    if (index < 0 || index >= static_cast<int>(all.size()))
        return;
    preset_->setCurrentIndex(index); // spec() takes the fields not on the form from it
    JobSpec s = spec();
    s.config = all[static_cast<size_t>(index)].config;
    s.config.device = ss(device_->currentData().toString());
    setSpec(s);
}

void LaunchDialog::setSpec(const JobSpec& s)
{
    const TrainConfig& c = s.config;
    model_->setCurrentIndex(static_cast<int>(c.model));
    dim_->setValue(static_cast<int>(c.dim));
    epochs_->setValue(static_cast<int>(c.epochs));
    lr_->setValue(c.lr);
    batch_->setValue(static_cast<int>(c.batchSize));
    mode_->setCurrentIndex(mode_->findData(static_cast<int>(c.mode)));
    loss_->setCurrentIndex(loss_->findData(static_cast<int>(c.loss)));
    negatives_->setValue(static_cast<int>(c.negatives));
    gamma_->setValue(c.gamma);
    optimizer_->setCurrentIndex(optimizer_->findData(static_cast<int>(c.optimizer)));
    reg_->setCurrentIndex(reg_->findData(static_cast<int>(c.reg)));
    regWeight_->setValue(c.regWeight);
    threads_->setValue(c.threads);
    const int dev = device_->findData(qs(c.device));
    if (dev >= 0)
        device_->setCurrentIndex(dev);
    evalEvery_->setValue(s.evalEvery);
    patience_->setValue(s.patience);
    testAtEnd_->setChecked(s.evaluateTest);
    const auto& t = c.transformer;
    stage_->setCurrentIndex(stage_->findData(static_cast<int>(t.stage)));
    const int from = initFrom_->findData(QVariant::fromValue<qint64>(t.initFrom));
    if (from >= 0)
        initFrom_->setCurrentIndex(from);
    layers_->setValue(static_cast<int>(c.model == ModelKind::CompGCN ? c.gnn.layers : t.layers));
    heads_->setValue(static_cast<int>(t.heads));
    dropout_->setValue(c.model == ModelKind::CompGCN ? c.gnn.dropout : t.dropout);
    context_->setValue(static_cast<int>(t.context));
    headMask_->setValue(t.headMask);
    loraRank_->setValue(t.loraRank);
    loraEntities_->setCurrentIndex(std::max(0, loraEntities_->findData(qs(t.loraEntities))));
    targets_->setCurrentIndex(std::max(0, targets_->findData(qs(t.targets))));
    lambdaLm_->setValue(t.lambdaLm);
    lambdaKge_->setValue(t.lambdaKge);
    lambdaReason_->setValue(t.lambdaReason);
    useText_->setChecked(t.useText);
    shortcut_->setChecked(t.shortcut);
    updateVisibleRows();
}

void LaunchDialog::setTransformerRuns(const QList<QPair<qint64, QString>>& runs)
{
    const qint64 current = initFrom_->currentData().toLongLong();
    while (initFrom_->count() > 1)
        initFrom_->removeItem(1);
    for (const auto& [id, text] : runs)
        initFrom_->addItem(text, QVariant::fromValue<qint64>(id));
    const int keep = initFrom_->findData(QVariant::fromValue<qint64>(current));
    initFrom_->setCurrentIndex(keep >= 0 ? keep : 0);
}

void LaunchDialog::updateVisibleRows()
{
    auto* form = static_cast<QFormLayout*>(layout());
    const bool transformer = model_->currentData().toInt() == static_cast<int>(ModelKind::Transformer);
    const bool gnn = model_->currentData().toInt() == static_cast<int>(ModelKind::CompGCN);
    for (QWidget* w : transformerRows_)
        form->setRowVisible(w, transformer || (gnn && (w == layers_ || w == dropout_)));
    for (QWidget* w : kgeRows_)
        form->setRowVisible(w, !transformer && !gnn);
    for (QWidget* w : regRows_)
        form->setRowVisible(w, !gnn);
    layers_->setToolTip(gnn ? tr("Message-passing layers of the graph encoder") : tr("Transformer layers"));
    adjustSize();
}

JobSpec LaunchDialog::spec() const
{
    JobSpec s;
    const auto& all = trainPresets();
    if (preset_->currentIndex() >= 0)
        s.config = all[static_cast<size_t>(preset_->currentIndex())].config; // fields not on the form
    TrainConfig& c = s.config;
    c.model = static_cast<ModelKind>(model_->currentData().toInt());
    c.dim = dim_->value();
    c.epochs = epochs_->value();
    c.lr = lr_->value();
    c.batchSize = batch_->value();
    c.mode = static_cast<TrainMode>(mode_->currentData().toInt());
    c.loss = static_cast<LossKind>(loss_->currentData().toInt());
    c.negatives = negatives_->value();
    c.negChunk = std::min<int64_t>(c.negChunk, c.negatives);
    c.gamma = gamma_->value();
    c.optimizer = static_cast<OptimizerKind>(optimizer_->currentData().toInt());
    c.reg = static_cast<RegKind>(reg_->currentData().toInt());
    c.regWeight = regWeight_->value();
    c.device = ss(device_->currentData().toString());
    c.threads = threads_->value();
    s.evalEvery = evalEvery_->value();
    s.patience = patience_->value();
    s.evaluateTest = testAtEnd_->isChecked();
    auto& t = c.transformer;
    t.stage = static_cast<TextStage>(stage_->currentData().toInt());
    t.initFrom = initFrom_->currentData().toLongLong();
    if (c.model == ModelKind::CompGCN) {
        c.gnn.layers = layers_->value();
        c.gnn.dropout = dropout_->value();
    } else {
        t.layers = layers_->value();
        t.dropout = dropout_->value();
    }
    t.heads = heads_->value();
    t.context = context_->value();
    t.headMask = headMask_->value();
    t.loraRank = loraRank_->value();
    t.loraEntities = loraEntities_->currentData().toString().toStdString();
    t.targets = targets_->currentData().toString().toStdString();
    t.lambdaLm = lambdaLm_->value();
    t.lambdaKge = lambdaKge_->value();
    t.lambdaReason = lambdaReason_->value();
    t.useText = useText_->isChecked();
    t.shortcut = shortcut_->isChecked();
    return s;
}

} // namespace kgw
