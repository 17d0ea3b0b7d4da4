#!/usr/bin/env bash
# Import benchmarks (not part of CTest).
#  1. fb15k-237 (train+valid+test with entity and relation labels): kgwb import versus the
#     sqlite3 CLI's .import of the same TSVs into bare tables, same run, median of N runs.
#     Target: ratio <= 1.5. Then one run with --profile prints where kgwb's time went.
#  2. A generated 20M-triple file (1M entities, 500 relations): triples/s, wall time and
#     peak RSS. Goal: < 60 s and < 2 GB. With --with-100m also 100M triples (5M entities,
#     1,000 relations). Goal: < 300 s and < 4 GB.
# Usage: tests/benchmarks/bench_import.sh [BUILD_DIR] [--skip-20m | --with-100m]
set -euo pipefail
ROOT=$(cd "$(dirname "$0")/../.." && pwd)
BUILD=${1:-$ROOT/build}
KGWB=$BUILD/bin/kgwb
GEN=$BUILD/bin/gen_triples
DATA=${KGWB_DATASETS:-$ROOT/../shared/datasets}/fb15k-237
RUNS=${RUNS:-5}
WORK=$(mktemp -d)
trap 'rm -rf "$WORK"' EXIT
[[ -x $KGWB && -x $GEN ]] || { echo "build first: cmake --build $BUILD --target benchmarks"; exit 2; }
[[ -f $DATA/train.tsv ]] || { echo "missing dataset $DATA"; exit 2; }

now() { date +%s.%N; }
median() { sort -g | awk '{a[NR]=$1} END {print (NR%2 ? a[(NR+1)/2] : (a[NR/2]+a[NR/2+1])/2)}'; }

ref_times=() ; our_times=()
for ((i = 1; i <= RUNS; i++)); do
  rm -f "$WORK"/ref.db* "$WORK"/p.kgwb*
  t0=$(now)
  sqlite3 "$WORK/ref.db" >/dev/null <<SQL
-- a rollback journal with full syncs (sqlite3's defaults), as kgwb's CLI uses for a bulk import
PRAGMA journal_mode=DELETE;
PRAGMA synchronous=FULL;
CREATE TABLE t(h TEXT, r TEXT, t TEXT);
CREATE TABLE e(id TEXT, label TEXT, description TEXT);
CREATE TABLE rl(id TEXT, label TEXT);
-- ascii mode: no CSV quote handling, so a '"' in a description is text (as for kgwb)
.mode ascii
.separator "\t" "\n"
.import $DATA/train.tsv t
.import $DATA/valid.tsv t
.import $DATA/test.tsv t
.import $DATA/entities.tsv e
.import $DATA/relations.tsv rl
SQL
  t1=$(now)
  "$KGWB" import "$WORK/p.kgwb" "$DATA/train.tsv" --valid "$DATA/valid.tsv" --test "$DATA/test.tsv" \
    --labels "$DATA/entities.tsv" --labels "$DATA/relations.tsv" --quiet >/dev/null
  t2=$(now)
  ref_times+=("$(echo "$t1 - $t0" | bc -l)")
  our_times+=("$(echo "$t2 - $t1" | bc -l)")
done
ref=$(printf '%s\n' "${ref_times[@]}" | median)
ours=$(printf '%s\n' "${our_times[@]}" | median)
triples=$(sqlite3 "$WORK/p.kgwb" "select count(*) from triples")
ref_rows=$(sqlite3 "$WORK/ref.db" "select (select count(*) from t) || ' triples, ' || (select count(*) from e) || ' entity rows'")
printf 'fb15k-237 import (%s triples + labels), median of %d runs\n' "$triples" "$RUNS"
printf '  sqlite3 .import reference : %.3f s (%s)\n' "$ref" "$ref_rows"
printf '  kgwb import (one command) : %.3f s\n' "$ours"
printf '  ratio kgwb/reference      : %.2fx (target <= 1.50x)\n' "$(echo "$ours / $ref" | bc -l)"
rm -f "$WORK"/p.kgwb*
"$KGWB" import "$WORK/p.kgwb" "$DATA/train.tsv" --valid "$DATA/valid.tsv" --test "$DATA/test.tsv" \
  --labels "$DATA/entities.tsv" --labels "$DATA/relations.tsv" --quiet --profile | sed -n 's/^time: /  kgwb breakdown (one profiled run): /p'
[[ "${2:-}" == "--skip-20m" ]] && exit 0

# generated N E R LABEL TIME_GOAL_S RSS_GOAL_MB: import N generated triples into a new project
generated() {
  local n=$1 e=$2 r=$3 label=$4 time_goal=$5 rss_goal=$6
  echo "generating $label triples..."
  "$GEN" "$n" "$e" "$r" > "$WORK/gen.tsv"
  rm -f "$WORK"/ref.db* "$WORK"/gen.kgwb*
  /usr/bin/time -f '%e %M' -o "$WORK/time.txt" "$KGWB" import "$WORK/gen.kgwb" "$WORK/gen.tsv" --quiet
  read -r secs rss_kb < "$WORK/time.txt"
  local distinct
  distinct=$(sqlite3 "$WORK/gen.kgwb" "select count(*) from triples")
  printf '%s generated triples, %s entities, %s relations (%s distinct after duplicates)\n' "$label" "$e" "$r" "$distinct"
  printf '  wall time : %.1f s (goal < %s s)\n' "$secs" "$time_goal"
  printf '  triples/s : %.0f\n' "$(echo "$n / $secs" | bc -l)"
  printf '  peak RSS  : %.0f MB (goal < %s MB)\n' "$(echo "$rss_kb / 1024" | bc -l)" "$rss_goal"
  rm -f "$WORK/gen.tsv" "$WORK"/gen.kgwb*
}
generated 20000000 1000000 500 20M 60 2048
# 100M (3.0 GB of TSV, a 6 GB project, about 7 minutes here): only when asked.
[[ "${2:-}" == "--with-100m" ]] && generated 100000000 5000000 1000 100M 300 4096
exit 0
