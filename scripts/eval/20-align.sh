#!/usr/bin/env bash
# Sentence alignment: accuracy on the bundled example and on generated cases,
# confidence quality, then speed and memory on long generated pairs. With
# FreeDict's Arabic–English word list (scripts/install-dictionary.sh installs
# and converts it when apt is available) it adds rows aligned with
# `--dictionary`; without it, those rows are left out.
# Prints one markdown section (see scripts/evaluate.sh).
set -euo pipefail
cd "$(dirname "$0")/../.."
scripts/install-dictionary.sh >/dev/null 2>&1 || true
dictionary=()
if [[ -f lexicons/freedict-ara-eng.tsv ]]; then
    dictionary=(--dictionary lexicons/freedict-ara-eng.tsv)
fi
echo "## Sentence alignment (\`dragoman align\`)"
echo
cargo bench --quiet --bench align -- --eval "${dictionary[@]}" 2>/dev/null
echo
cargo bench --quiet --bench align -- "${dictionary[@]}" 2>/dev/null
