#!/usr/bin/env bash
# Data-parallel benchmark (not part of CTest): `kgwb train --world-size N` (N processes of one
# thread each on loopback, gradients all-reduced by Gloo every step) against one process with
# N threads, in the same run, with the same model, seed, epochs and global batch. Prints wall
# time (start to the last process's exit: start-up, rendezvous and test evaluation included),
# filtered test MRR, and the speed-up. Equal MRR up to float summation order is expected;
# where the model has dropout each rank draws its own masks, so the MRRs drift apart a little.
# Usage: tests/benchmarks/bench_dp.sh [BUILD_DIR]   env: DATASET=umls RANKS=2 EPOCHS=10
#        MODEL_ARGS="--preset transformer-rank"
set -euo pipefail
DATASET=${DATASET:-umls}
source "$(dirname "$0")/bench_common.sh"
RANKS=${RANKS:-2} EPOCHS=${EPOCHS:-10}
MODEL_ARGS=${MODEL_ARGS:---preset transformer-rank}
"$KGWB" import "$WORK/p.kgwb" "$DATA/train.tsv" --valid "$DATA/valid.tsv" --test "$DATA/test.tsv" --quiet
# shellcheck disable=SC2206
ARGS=(train "$WORK/p.kgwb" $MODEL_ARGS --epochs "$EPOCHS" --seed 1 --quiet)
port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')

mrr() { grep '^test' "$1" | awk '{print $3}'; }
t0=$(date +%s.%N)
"$KGWB" "${ARGS[@]}" --threads "$RANKS" --world-size 1 > "$WORK/one.log"
t1=$(date +%s.%N)
for ((r = 1; r < RANKS; r++)); do
  "$KGWB" "${ARGS[@]}" --threads 1 --world-size "$RANKS" --rank "$r" --master "127.0.0.1:$port" > "$WORK/r$r.log" &
done
"$KGWB" "${ARGS[@]}" --threads 1 --world-size "$RANKS" --rank 0 --master "127.0.0.1:$port" > "$WORK/r0.log"
wait
t2=$(date +%s.%N)
one=$(echo "$t1 - $t0" | bc) many=$(echo "$t2 - $t1" | bc)
echo "bench_dp: $DATASET, $MODEL_ARGS, $EPOCHS epochs, $(nproc) cores"
printf "%-28s %9s %8s\n" run seconds MRR
printf "%-28s %9.1f %8s\n" "1 process, $RANKS threads" "$one" "$(mrr "$WORK/one.log")"
printf "%-28s %9.1f %8s\n" "$RANKS ranks, 1 thread each" "$many" "$(mrr "$WORK/r0.log")"
echo "speed-up: $(echo "scale=2; $one / $many" | bc)x"
