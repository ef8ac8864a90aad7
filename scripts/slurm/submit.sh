#!/usr/bin/env bash
# Submits a dataset run as a Slurm job array of SHARDS tasks and a merge job that waits for it:
#
#   bash scripts/slurm/submit.sh SHARDS RESULTS_DIR FILE.prompts... [kn find options] [-- sbatch options]
#
# e.g. bash scripts/slurm/submit.sh 8 results/pararel pararel.prompts --model bert-base-cased --steps 20
# Prints the array's job id and the merge's; RESULTS_DIR/all.jsonl appears when the merge is done.
# Submitting again after a failure resumes every shard where it stopped.
set -euo pipefail

here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
n=${1:?usage: submit.sh SHARDS RESULTS_DIR FILE.prompts... [kn find options] [-- sbatch options]}
dir=${2:?usage: submit.sh SHARDS RESULTS_DIR FILE.prompts...}
shift 2
kn_args=() sbatch_args=()
while (($#)); do
  if [[ $1 == -- ]]; then shift; sbatch_args=("$@"); break; fi
  kn_args+=("$1"); shift
done
# kn from this checkout unless one is given or on PATH.
if [[ -z ${KN:-} ]] && ! command -v kn >/dev/null; then export KN="node $here/../../out/engine/src/cli/main.js"; fi
mkdir -p "$dir"
array=$(sbatch --parsable --array="0-$((n - 1))" --output="$dir/kn-find-%A_%a.log" "${sbatch_args[@]}" "$here/kn-array.sbatch" "$dir" "${kn_args[@]}")
array=${array%%;*}
merge=$(sbatch --parsable --dependency="afterok:$array" --output="$dir/kn-merge-%j.log" "${sbatch_args[@]}" "$here/kn-merge.sbatch" "$dir" "$n")
echo "array $array merge ${merge%%;*}"
