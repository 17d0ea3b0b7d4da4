#!/usr/bin/env bash
# Graph-encoder benchmark (not part of CTest): CompGCN (sub composition) + DistMult next to
# ComplEx 1-vs-all on the same dataset, in the same run, with the same epoch budget and
# threads, through `kgwb train`. Prints filtered test MRR / Hits@10 and wall time of each,
# and CompGCN's published fb15k-237 MRR (.355, CompGCN-Corr + ConvE, Vashishth et al. 2020;
# trained for hundreds of epochs on a GPU) as the anchor. On CPU this is a reduced run.
# Usage: tests/benchmarks/bench_gnn.sh [BUILD_DIR]   env: DATASET=fb15k-237 EPOCHS=2 DIM=100
#        BATCH=4096 THREADS=2
set -euo pipefail
DATASET=${DATASET:-fb15k-237}
source "$(dirname "$0")/bench_common.sh"
EPOCHS=${EPOCHS:-2} DIM=${DIM:-100} BATCH=${BATCH:-4096} THREADS=${THREADS:-2}
"$KGWB" import "$WORK/p.kgwb" "$DATA/train.tsv" --valid "$DATA/valid.tsv" --test "$DATA/test.tsv" --quiet

run() { # name, train options...
  local name=$1; shift
  local t0 t1 line
  t0=$(date +%s.%N)
  line=$("$KGWB" train "$WORK/p.kgwb" "$@" --epochs "$EPOCHS" --threads "$THREADS" --quiet | grep '^test')
  t1=$(date +%s.%N)
  awk -v n="$name" -v t="$(echo "$t1 - $t0" | bc)" -v l="$line" 'BEGIN {
    split(l, f, " "); for (i = 1; i <= length(f); i++) { if (f[i] == "MRR") m = f[i+1]; if (f[i] == "Hits@10") h = f[i+1] }
    printf "%-10s %8s %8s %9.0f\n", n, m, h, t }'
}
echo "bench_gnn: $DATASET, $EPOCHS epochs, dim $DIM, batch $BATCH, $THREADS threads"
printf "%-10s %8s %8s %9s\n" model "MRR" "Hits@10" "seconds"
run complex --model complex --dim "$DIM" --mode 1vsall --loss ce --lr 0.01 --batch 1024 --reg n3 --reg-weight 0.005
run compgcn --model compgcn --dim "$DIM" --lr 0.003 --batch "$BATCH"
echo "published: CompGCN (Corr + ConvE, fb15k-237, full training on a GPU) MRR 0.355"
