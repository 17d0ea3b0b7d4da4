// The triple transformer (ml/text_trainer.h, ml/text_model.h), real LibTorch and
// sentencepiece on small data. One suite in two files: tst_text_model.cpp (trained through the
// job API like KGE models: config validation, learning a small generated graph, pre-training
// then LoRA fine-tuning, joint-loss terms, targets, bf16, bit-exact resume) and
// tst_text_model_explain.cpp (explanations from the ranking's own forward pass, the shortcut's
// share of a score, shape checks on stored models, TorchScript import); shared helpers here.
#pragma once

#include <torch/torch.h> // before Qt (QT_NO_KEYWORDS is set for this target)

#include <QObject>
#include <functional>
#include <string>
#include <vector>

#include "ml/text_trainer.h"
#include "ml/train_job.h"

namespace ttmtest {

// The small transformer most tests train: dim 64, 2 layers of 4 heads, 8 context facts, CPU.
kg::ml::TrainConfig small(int64_t epochs = 30);
// Runs a training job on PROJECT (progress events every step).
kg::ml::JobResult runJob(const std::string& project, const kg::ml::TrainConfig& c, int evalEvery = 0,
                         const std::function<void(const kg::ml::JobEvent&)>& onEvent = {});
// The id of the entity (or relation) KEY in PROJECT.
int64_t id(const std::string& project, const char* key, bool relation = false);
// Trains to the end; each epoch's mean loss.
std::vector<double> epochLosses(kg::ml::TextTrainer& t);

} // namespace ttmtest

class TestTextModel : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void configIsValidated();
    void contextLeavesOutThePredictedFact();
    void learnsASmallGraph();
    void pretrainThenLoraFinetune();
    void aRunKeepsItsTokenizer();
    void explanationComesFromTheRankingPass();
    void shortcutSplitsTheScore();
    void sufficientFactsConvertOtherEntities();
    void resumeIsBitExact();
    void jointLossTermsAreLive();
    void everyTailTargetsAndN3();
    void bf16AutocastTrains();
    void attentionFormsAgree();
    void shapesAreCheckedAndDamageRefused();
    void importsTorchScriptWithShapeChecks();
};
