# Sourced by the benchmark scripts after they set DATASET: ROOT, BUILD (the script's first
# argument, default build/), KGWB, DATA (the dataset's folder), WORK (a scratch folder removed
# at exit, with any processes the script left running), and the checks that kgwb is built
# and the dataset is there.
ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
BUILD=${1:-$ROOT/build}
KGWB=$BUILD/bin/kgwb
DATA=${KGWB_DATASETS:-$ROOT/../shared/datasets}/$DATASET
WORK=$(mktemp -d)
trap 'pkill -P $$ 2>/dev/null || true; rm -rf "$WORK"' EXIT
[[ -x $KGWB ]] || { echo "build first: cmake --build $BUILD"; exit 2; }
[[ -f $DATA/train.tsv ]] || { echo "missing dataset $DATA"; exit 2; }
