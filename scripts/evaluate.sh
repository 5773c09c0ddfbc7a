#!/usr/bin/env bash
# Regenerates docs/EVALUATION.md: every script in scripts/eval/ (in name
# order) prints one markdown section; this concatenates them.
set -euo pipefail
cd "$(dirname "$0")/.."
cargo build --release --quiet
out=$(mktemp)
{
  echo "# Evaluation"
  echo
  echo "Regenerate with \`bash scripts/evaluate.sh\` (release build; figures from the machine it runs on: $(nproc) cores)."
  echo "Generated $(date -u +%Y-%m-%d)."
  echo
  for section in scripts/eval/*.sh; do
    [ -e "$section" ] || continue
    bash "$section"
    echo
  done
} > "$out"
mv "$out" docs/EVALUATION.md
echo "wrote docs/EVALUATION.md"
