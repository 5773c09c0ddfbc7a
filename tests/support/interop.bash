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

# An OmegaT 3.6 project in $1 (Arabic → English, Lucene tokenizers, one
# segment per paragraph, default folders: source/, target/, tm/auto/ …),
# its configuration in $1.config. Put the files in, then omegat_translate.
omegat_project() {
  mkdir -p "$1"/{source,target,tm/auto,glossary,dictionary,omegat} "$1.config"
  cat > "$1/omegat.project" <<'XML'
<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<omegat>
  <project version="1.0">
    <source_dir>__DEFAULT__</source_dir>
    <source_dir_excludes/>
    <target_dir>__DEFAULT__</target_dir>
    <tm_dir>__DEFAULT__</tm_dir>
    <glossary_dir>__DEFAULT__</glossary_dir>
    <glossary_file>__DEFAULT__</glossary_file>
    <dictionary_dir>__DEFAULT__</dictionary_dir>
    <source_lang>ar</source_lang>
    <target_lang>en</target_lang>
    <source_tok>org.omegat.tokenizer.LuceneArabicTokenizer</source_tok>
    <target_tok>org.omegat.tokenizer.LuceneEnglishTokenizer</target_tok>
    <sentence_seg>false</sentence_seg>
    <support_default_translations>true</support_default_translations>
    <remove_tags>false</remove_tags>
  </project>
</omegat>
XML
}

# OmegaT, headless (--mode=console-translate), on the project in $1: writes
# target/ and sets LOG to OmegaT's log, its output in $1.out. OmegaT exits 0
# even when a file fails to load or its units are skipped: callers read LOG.
omegat_translate() {
  omegat "$1" --mode=console-translate --config-dir="$1.config" >"$1.out" 2>&1 || true
  LOG=$(find "$1.config" -name '*.log' | head -1)
  [ -n "$LOG" ] || { cat "$1.out"; fail "OmegaT wrote no log"; }
}
