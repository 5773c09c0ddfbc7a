# Shared by tests/interop*.sh (sourced, not run): the repository as the
# working directory, a temporary directory removed on exit, timed steps,
# failures in one line, and the real tools installed where missing.
# Set INTEROP_NAME (how failures are signed) before sourcing.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/../.."
ROOT=$PWD
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
step_start=$(date +%s)
step() {
  local now; now=$(date +%s)
  echo "-- $* (previous step: $((now - step_start)) s)"
  step_start=$now
}
fail() { echo "$INTEROP_NAME: FAIL: $*" >&2; exit 1; }

# xmllint and OmegaT 3.6 from Debian, Translate Toolkit from PyPI when
# `python3 -c "import $1"` fails.
install_tools() {
  if ! command -v xmllint >/dev/null || ! command -v omegat >/dev/null; then
    apt-get update -qq
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq libxml2-utils omegat >/dev/null
  fi
  if ! python3 -c "import $1" 2>/dev/null; then
    python3 -m pip install -q translate-toolkit
  fi
}

# The release binary, as $DRAGOMAN.
build_dragoman() {
  cargo build --release -q
  DRAGOMAN="$ROOT/target/release/dragoman"
}
