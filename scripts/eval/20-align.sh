#!/usr/bin/env bash
# Sentence alignment: accuracy on the bundled example and on generated cases,
# confidence quality, then speed and memory on long generated pairs.
# Prints one markdown section (see scripts/evaluate.sh).
set -euo pipefail
cd "$(dirname "$0")/../.."
echo "## Sentence alignment (\`dragoman align\`)"
echo
cargo bench --quiet --bench align -- --eval 2>/dev/null
echo
cargo bench --quiet --bench align 2>/dev/null
