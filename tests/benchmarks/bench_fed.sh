#!/usr/bin/env bash
# Federated training benchmark (not part of CTest): a dataset split into silos (BY=relation:
# FedE's protocol, relations dealt at random; BY=triple: FedR's, triples dealt at random), then,
# in the same run and with the same model settings and epoch budget:
#   isolated   each silo trains alone for ROUNDS x LOCAL epochs (FedE's "Local" baseline)
#   collection all silos' triples in one project, trained as long (FedE's "Collection")
#   fede       kgwb fed serve + one kgwb fed join per silo on loopback (Gloo)
#   fedr       the same sharing relation embeddings instead (--share relations)
#   secure     the same with --secure-agg
#   dp Z       the same with --dp-noise Z --dp-clip 1, for each Z in DP_NOISE
# Test MRR is pooled over the silos' test queries, filtered two ways: against the silo's own
# triples (what a silo can do), and against all silos' triples (kgwb eval --filter-also), the
# filter Collection uses. Only the second compares with Collection: a model that learnt other
# silos' facts is otherwise charged for ranking them above a test answer. Prints a table,
# ratios to isolated (all-triples filter), and the payload through the coordinator per round.
# Usage: tests/benchmarks/bench_fed.sh [BUILD_DIR]   env: DATASET=umls CLIENTS=3 ROUNDS=10
#        LOCAL=2 MODEL=complex DIM=128 LR=0.01 BATCH=256 THREADS=1 DP_NOISE="0.01 0.05" (or none) SKIP_SECURE=0
#        BY=relation EXTRA="more train options, e.g. --mode negative_sampling --loss bce"
#        SKIP_COLLECTION=1 ONLY_FEDE=1 (FedE only: FedR shares nothing on a relation split)
#        TEXT_VOCAB=N (MODEL=transformer: read the entities' labels with one shared tokenizer)
set -euo pipefail
DATASET=${DATASET:-umls}
source "$(dirname "$0")/bench_common.sh"
CLIENTS=${CLIENTS:-3} ROUNDS=${ROUNDS:-10} LOCAL=${LOCAL:-2}
MODEL=${MODEL:-complex} DIM=${DIM:-128} LR=${LR:-0.01} BATCH=${BATCH:-256} THREADS=${THREADS:-1}
DP_NOISE=${DP_NOISE:-0.01 0.05} BY=${BY:-relation}
export KGWB_FED_SALT=bench-salt-$RANDOM$RANDOM
MODELOPTS=(--model "$MODEL" --dim "$DIM" --lr "$LR" --batch "$BATCH" ${EXTRA:-})
# TEXT_VOCAB=N: the transformer reads its entities' labels (the dataset's entities.tsv), every
# silo and Collection with one tokenizer of N, trained on the whole dataset's labels.
LABELS=()
if [[ -n ${TEXT_VOCAB:-} ]]; then
  LABELS=(--labels "$DATA/entities.tsv")
  MODELOPTS+=(--use-text --vocab-size "$TEXT_VOCAB")
fi

"$KGWB" import "$WORK/all.kgwb" "$DATA/train.tsv" --valid "$DATA/valid.tsv" --test "$DATA/test.tsv" "${LABELS[@]}" --quiet
"$KGWB" silo split "$WORK/all.kgwb" --clients "$CLIENTS" --out "$WORK/silos" --by "$BY"
share_tokenizer() { # project...
  [[ -n ${TEXT_VOCAB:-} ]] || return 0
  [[ -f $WORK/shared.model ]] || "$KGWB" tokenizer export "$WORK/all.kgwb" "$WORK/shared.model" --vocab-size "$TEXT_VOCAB" --quiet
  for p in "$@"; do "$KGWB" tokenizer import "$p" "$WORK/shared.model" --vocab-size "$TEXT_VOCAB" --quiet; done
}
share_tokenizer "$WORK"/silos/silo-*.kgwb

# Pooled MRR from "MRR x ... (N queries)" lines: sum(x*N)/sum(N).
pool() { awk '/^test/ { for (i = 1; i <= NF; i++) { if ($i == "MRR") m = $(i+1); if ($i ~ /^\(/) q = substr($i, 2) }
                        s += m * q; n += q } END { printf "%.4f", s / n }'; }

# Every silo's triples, for the all-triples filter and for Collection.
for s in train valid test; do
  for ((c = 1; c <= CLIENTS; c++)); do "$KGWB" export "$WORK/silos/silo-$c.kgwb" --split $s --out "$WORK/c$c-$s.tsv" > /dev/null; done
  cat "$WORK"/c*-$s.tsv > "$WORK/all-$s.tsv"
done
cat "$WORK"/all-{train,valid,test}.tsv > "$WORK/all-known.tsv"
# Pooled test MRR of the silos' checkpoints PREFIX1.ckpt.. under the all-triples filter.
globally() {
  for ((c = 1; c <= CLIENTS; c++)); do
    "$KGWB" eval "$WORK/silos/silo-$c.kgwb" --checkpoint "$1$c.ckpt" --filter-also "$WORK/all-known.tsv" | grep '^test'
  done | pool
}

t0=$(date +%s.%N)
for ((c = 1; c <= CLIENTS; c++)); do
  "$KGWB" train "$WORK/silos/silo-$c.kgwb" "${MODELOPTS[@]}" --epochs $((ROUNDS * LOCAL)) --threads "$THREADS" --quiet \
    --checkpoint "$WORK/iso$c.ckpt" | grep '^test' &
done > "$WORK/isolated.txt"
wait
isolated=$(pool < "$WORK/isolated.txt")
isolated_s=$(echo "$(date +%s.%N) - $t0" | bc)
isolated_all=$(globally "$WORK/iso")

# Collection: the silos' splits re-imported into one project.
collection=0 collection_s=0
if [[ ${SKIP_COLLECTION:-0} != 1 ]]; then
  "$KGWB" import "$WORK/collection.kgwb" "$WORK/all-train.tsv" --valid "$WORK/all-valid.tsv" --test "$WORK/all-test.tsv" \
    "${LABELS[@]}" --quiet > /dev/null
  share_tokenizer "$WORK/collection.kgwb"
  t0=$(date +%s.%N)
  collection=$("$KGWB" train "$WORK/collection.kgwb" "${MODELOPTS[@]}" --epochs $((ROUNDS * LOCAL)) --threads "$THREADS" --quiet \
    | grep '^test' | pool)
  collection_s=$(echo "$(date +%s.%N) - $t0" | bc)
fi

federate() { # extra serve options...
  local port=$((20000 + RANDOM % 20000)) t0
  t0=$(date +%s.%N)
  "$KGWB" fed serve --clients "$CLIENTS" --port $port --rounds "$ROUNDS" --local-epochs "$LOCAL" "${MODELOPTS[@]}" \
    --timeout 600 "$@" > "$WORK/serve.txt" 2>&1 &
  local server=$!
  for ((c = 1; c <= CLIENTS; c++)); do
    "$KGWB" fed join "$WORK/silos/silo-$c.kgwb" --server 127.0.0.1:$port --rank $c --threads "$THREADS" --timeout 600 \
      --checkpoint "$WORK/fed$c.ckpt" > "$WORK/join$c.txt" 2>&1 &
  done
  wait $server || { cat "$WORK/serve.txt"; exit 1; }
  wait
  local secs
  secs=$(echo "$(date +%s.%N) - $t0" | bc)
  grep '^test' "$WORK/serve.txt" | sed 's/^test (pooled over the silos)/test/' | pool
  printf ' %s %s %s\n' "$(globally "$WORK/fed")" "$secs" "$(grep -o '[0-9.]* MB' "$WORK/serve.txt" | head -1 | cut -d' ' -f1)"
}

echo "$DATASET, $CLIENTS silos (split by $BY), $MODEL d$DIM, $ROUNDS rounds x $LOCAL local epochs (isolated: $((ROUNDS * LOCAL)) epochs)"
printf '| setting | test MRR, own filter | test MRR, all-triples filter | vs isolated | wall s | MB per round |\n'
printf '|---|---|---|---|---|---|\n'
printf '| isolated (each silo alone) | %s | %s | 1.00 | %.1f | 0 |\n' "$isolated" "$isolated_all" "$isolated_s"
[[ ${SKIP_COLLECTION:-0} == 1 ]] || printf '| collection (all triples centralised) | — | %s | %.2f | %.1f | — |\n' \
  "$collection" "$(echo "$collection / $isolated_all" | bc -l)" "$collection_s"
row() { local name=$1; shift; read -r mrr all secs mb < <(federate "$@")
        printf '| %s | %s | %s | %.2f | %.1f | %s |\n' "$name" "$mrr" "$all" "$(echo "$all / $isolated_all" | bc -l)" "$secs" "$mb"; }
row "FedE"
if [[ ${ONLY_FEDE:-0} != 1 ]]; then
  row "FedR (relation embeddings shared)" --share relations
  row "FedAvg (entity and relation embeddings shared)" --share both
fi
[[ ${SKIP_SECURE:-0} == 1 ]] || row "FedE, secure aggregation" --secure-agg
[[ $DP_NOISE == none ]] || for z in $DP_NOISE; do row "FedE, DP noise $z x clip 1" --dp-noise "$z" --dp-clip 1; done
