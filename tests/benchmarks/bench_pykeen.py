#!/usr/bin/env python3
"""PyKEEN peer for bench_train (benchmarks only; installer/install-peers.sh sets it up).

Trains the configuration bench_train gives kgwb: ComplEx (DIM real dimensions = DIM / 2
complex), no regulariser, kgwb's Xavier-normal initialisation, sLCWA with NEGATIVES uniform negatives per positive (PyKEEN's basic
sampler, head or tail corrupted), cross-entropy over [positive, negatives], Adam at LR, BATCH
positives per step, EPOCHS epochs, THREADS CPU threads; then the filtered (train + valid +
test) evaluation of the test split, head and tail. Prints one line:
  seconds_per_epoch eval_seconds mrr hits10
Usage: bench_pykeen.py DATASET_DIR DIM BATCH NEGATIVES LR EPOCHS THREADS SEED"""
import math
import sys
import time

import torch
from pykeen.evaluation import RankBasedEvaluator
from pykeen.losses import CrossEntropyLoss
from pykeen.models import ComplEx
from pykeen.training import SLCWATrainingLoop
from pykeen.triples import TriplesFactory

data, dim, batch, negatives, lr, epochs, threads, seed = sys.argv[1:9]
dim, batch, negatives, epochs, threads, seed = int(dim), int(batch), int(negatives), int(epochs), int(threads), int(seed)
torch.set_num_threads(threads)
torch.manual_seed(seed)
train = TriplesFactory.from_path(f"{data}/train.tsv")
valid = TriplesFactory.from_path(f"{data}/valid.tsv", entity_to_id=train.entity_to_id, relation_to_id=train.relation_to_id)
test = TriplesFactory.from_path(f"{data}/test.tsv", entity_to_id=train.entity_to_id, relation_to_id=train.relation_to_id)


def kgwb_xavier(x):
    """kgwb's initialisation: torch's Xavier normal over the table as a [rows, DIM] real matrix,
    std = sqrt(2 / (rows + DIM)). PyKEEN's ComplEx default is unit normal, which starts with
    scores in the tens, and its "xavier_normal" takes std = sqrt(2 / DIM) (0.1 at DIM 200,
    against kgwb's 0.0116 for fb15k-237's entities), a different start."""
    real = torch.view_as_real(x) if x.is_complex() else x
    with torch.no_grad():
        real.normal_(0.0, math.sqrt(2.0 / (x.shape[0] + dim)))
    return x


model = ComplEx(triples_factory=train, embedding_dim=dim // 2, loss=CrossEntropyLoss(), regularizer=None,
                entity_initializer=kgwb_xavier, relation_initializer=kgwb_xavier, random_seed=seed).to("cpu")
loop = SLCWATrainingLoop(model=model, triples_factory=train, optimizer="adam", optimizer_kwargs={"lr": float(lr)},
                         negative_sampler="basic", negative_sampler_kwargs={"num_negs_per_pos": negatives})
start = time.perf_counter()
loop.train(triples_factory=train, num_epochs=epochs, batch_size=batch, use_tqdm=False, use_tqdm_batch=False,
           pin_memory=False)
per_epoch = (time.perf_counter() - start) / epochs
start = time.perf_counter()
result = RankBasedEvaluator(filtered=True).evaluate(
    model, test.mapped_triples, batch_size=256, use_tqdm=False,
    additional_filter_triples=[train.mapped_triples, valid.mapped_triples])
eval_seconds = time.perf_counter() - start
mrr = result.get_metric("both.realistic.inverse_harmonic_mean_rank")
hits10 = result.get_metric("both.realistic.hits_at_10")
print(f"{per_epoch:.3f} {eval_seconds:.3f} {mrr:.5f} {hits10:.5f}")
