#!/usr/bin/env bash
# The main job on a fresh clone: install, build, then find the knowledge neurons of the example
# facts on the embedded default model and print them with the effect of suppressing and enhancing
# them. Offline: everything it needs is in the repository and the npm registry.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
export ONNXRUNTIME_NODE_INSTALL=skip # its install script would download CUDA files
if [[ ! -f node_modules/.package-lock.json ]]; then npm ci --no-fund --no-audit >&2; fi
npm run --silent build >&2
for f in examples/capitals.prompts examples/languages.prompts examples/stories.prompts; do
  echo "== $f"
  node dist/kn.js find "$f" 2>/dev/null
  echo
done
