#!/usr/bin/env bash
# Fuzzy lookup: latency p50/p99 at 100k and 1M units over 1,000 queries,
# agreement of the best score with brute force, index size, RSS
# (benches/memory.rs, `lookup`; reuses the memories 30-memory.sh built).
set -euo pipefail
cd "$(dirname "$0")/../.."
cargo bench --quiet --bench memory -- lookup 2>/dev/null
