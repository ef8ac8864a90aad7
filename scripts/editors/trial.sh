#!/usr/bin/env bash
# A real session of other editors against the built language server (dist/kn-language-server.js):
# Neovim (0.7+, headless, its built-in client) and Emacs (eglot, 1.9+ or built in since Emacs 29,
# batch). Each opens the same .prompts file beside a copy of models/bert-tiny-facts and checks:
# syntax diagnostics, model diagnostics after a save, hover, a code lens's command run the editor's
# own way (Neovim: codelens.run; eglot shows no lenses, so it runs the lens's command with
# eglot-execute-command), and formatting. Prints one line per check; exits 1 if one failed.
#
#   npm run build && bash scripts/editors/trial.sh            # both editors
#   bash scripts/editors/trial.sh nvim                        # one of them (nvim | emacs)
# Needs: apt-get install neovim emacs-nox elpa-eglot (Debian 12: Neovim 0.7.2, Emacs 28.2 + eglot 1.9).
set -euo pipefail
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
server="$root/dist/kn-language-server.js"
[[ -f $server ]] || { echo "no $server: run npm run build" >&2; exit 1; }
editors=("${@:-nvim emacs}")
read -r -a editors <<<"${editors[*]}"

work=$(mktemp -d "${TMPDIR:-/tmp}/kn-editors-XXXXXX")
trap 'rm -rf "$work"' EXIT
mkdir -p "$work/models" "$work/docs"
cp -r "$root/models/bert-tiny-facts" "$work/models/"
git -C "$work" init -q # a project root for eglot (project.el)
# Messy on purpose (spaces for the formatter), a held-out prompt the model gets wrong, and a prompt
# with two masks (a syntax error).
cat >"$work/docs/capitals.prompts" <<'PROMPTS'
@version 1
@model   ../models/bert-tiny-facts
@steps 8

fact   capital-of-france   ->   Paris
    [en] The capital of France is <mask>.
  [en] <mask> is the capital of France.
  [fr] La capitale de la France est <mask>.
  [fr] Tout le monde sait que la capitale de la France est <mask>.
  [en] The capital of <mask> is <mask>.
PROMPTS

status=0
for editor in "${editors[@]}"; do
  results="$work/$editor.jsonl"
  cp "$work/docs/capitals.prompts" "$work/docs/capitals.prompts.orig"
  start=$SECONDS
  case $editor in
    nvim)
      KN_SERVER=$server KN_RESULTS=$results KN_CACHE="$work/cache-nvim" timeout 240 \
        nvim --headless --clean -u "$root/scripts/editors/nvim.lua" "$work/docs/capitals.prompts" >"$work/nvim.log" 2>&1 || true
      ;;
    emacs)
      KN_SERVER=$server KN_RESULTS=$results KN_CACHE="$work/cache-emacs" timeout 240 \
        emacs --batch -Q -l "$root/scripts/editors/eglot.el" "$work/docs/capitals.prompts" >"$work/emacs.log" 2>&1 || true
      ;;
    *) echo "unknown editor $editor (nvim | emacs)" >&2; exit 1 ;;
  esac
  mv "$work/docs/capitals.prompts.orig" "$work/docs/capitals.prompts"
  if [[ ! -s $results ]]; then
    echo "$editor: no results ($((SECONDS - start)) s); its log:"; tail -30 "$work/$editor.log"; status=1; continue
  fi
  node -e '
    const lines = require("fs").readFileSync(process.argv[1], "utf8").trim().split("\n").map((l) => JSON.parse(l));
    for (const r of lines) console.log(`${r.ok ? "ok  " : "FAIL"} ${r.editor}: ${r.check}${r.detail ? " — " + r.detail : ""}`);
    const want = ["syntax diagnostics", "model diagnostics after :write", "hover", "code lens command runs", "formatting"];
    const missing = want.filter((c) => !lines.some((r) => r.check.startsWith(c.split(" after")[0]) && r.ok));
    if (missing.length) { console.log(`FAIL ${process.argv[2]}: missing or failed: ${missing.join(", ")}`); process.exit(1); }
  ' "$results" "$editor" || { status=1; tail -20 "$work/$editor.log"; }
  echo "$editor: $((SECONDS - start)) s"
done
exit $status
