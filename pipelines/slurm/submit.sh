#!/bin/bash
# Queues a sharded govlens run on Slurm: the job array of SHARDS shards, then the
# merge, which waits for all of them. Prints the two job ids.
#   SHARDS=16 PIPELINE=pipelines/ai-governance.toml OUT=out/ai-governance \
#       pipelines/slurm/submit.sh
# Variables (all optional): SHARDS [8], GOVLENS, PIPELINE, SHARDS_DIR, OUT (see
# the two .sbatch files); extra arguments go to both sbatch calls (e.g.
# --partition=short --account=mygroup).
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
shards=${SHARDS:-8}
export SHARDS_DIR=${SHARDS_DIR:-out/shards}
export OUT=${OUT:-out/merged}
if [ -n "$(ls -A "$SHARDS_DIR" 2>/dev/null)" ]; then
    echo "submit.sh: $SHARDS_DIR is not empty: remove it, or set SHARDS_DIR" >&2
    exit 2
fi
mkdir -p "$SHARDS_DIR"
array=$(sbatch --parsable --array="1-$shards" "$@" "$here/shards.sbatch")
array=${array%%;*}
merge=$(sbatch --parsable --dependency="afterok:$array" "$@" "$here/merge.sbatch")
echo "$array ${merge%%;*}"
