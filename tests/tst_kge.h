// KGE models, training and filtered evaluation on real LibTorch, small data. One suite in two
// files: tst_kge_scoring.cpp (scores, filtered ranks, the fused kernel, optimizer updates) and
// tst_kge.cpp (training, determinism, cancel and pause, checkpoints), with shared helpers here.
#pragma once

#include <torch/torch.h> // before Qt (QT_NO_KEYWORDS is set for this target)

#include <QObject>
#include <QString>
#include <QTemporaryDir>

#include "ml/kg_data.h"
#include "ml/train_config.h"

namespace kgetest {

// A random graph with a few duplicate (h, r) keys so that filtering matters.
kg::ml::KgData randomGraph(int64_t E, int64_t R, int64_t n, uint64_t seed);
// dim 16, 2 threads, CPU.
kg::ml::TrainConfig smallConfig(kg::ml::ModelKind kind);
// A Qt Test data table with one row per KGE model kind (column "kind").
void kindRows();
// The shared datasets' folder NAME (../shared/datasets next to the checkout).
QString datasetDir(const char* name);
// nations (train and test splits) imported into DIR/n.kgwb.
kg::ml::KgData importNations(const QTemporaryDir& dir);

} // namespace kgetest

class TestKge : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void bernoulliCountsTriplesPerHeadAndTail();
    void allScoresAgreeWithTripleScores_data();
    void allScoresAgreeWithTripleScores();
    void filteredRanksMatchBruteForce_data();
    void filteredRanksMatchBruteForce();
    void pathScoresComposeRelations_data();
    void pathScoresComposeRelations();
    void tiesGetRealisticRanks();
    void fusedRanksMatchBruteForce();
    void onePassAdamMatchesTorchAdam();
    void fusedAdamMatchesTorchAdam();
    void gatheredDotMatchesGatherAndBmm();
    void rowUpdatesTouchOnlyTheBatchRows();
    void rowAdagradKeepsOneAccumulatorPerRow();
    void gpuCheckpointLoadsOnCpu();
    void pathScoresGoThroughTheirEdges();
    void lossFallsOnNations_data();
    void lossFallsOnNations();
    void umlsReachesMrrAbove08();
    void trainingIsDeterministic();
    void compactTrainTrainsAsWide();
    void cancelStopsTraining();
    void pauseHoldsTrainingUntilResumed();
    void throughputLeavesOutEpochEndWork();
    void rotateOneVsAllBeyondMemoryFailsClearly();
    void configJsonRoundTripAndErrors();
    void resumeFromCheckpointIsBitExact_data();
    void resumeFromCheckpointIsBitExact();
    void malformedCheckpointsAreRejected();
};
