#!/usr/bin/env bash
# Translation memory: import/export throughput, peak RSS and index size on a
# generated 1,000,000-unit Arabic–English TMX (benches/memory.rs, `store`).
# DRAGOMAN_BENCH_UNITS=100000 for a quicker run; generated files are kept in
# /tmp/dragoman-bench (DRAGOMAN_BENCH_DIR) and reused by 40-lookup.sh.
set -euo pipefail
cd "$(dirname "$0")/../.."
cargo bench --quiet --bench memory -- store 2>/dev/null
