#!/usr/bin/env bash
# Segmentation figures: the bundled example against its gold sentences,
# FLORES-200 boundary recall at line joins, and throughput (benches/segment.rs).
set -euo pipefail
cd "$(dirname "$0")/../.."
cargo build --release --quiet
bin=target/release/dragoman

echo "## Segmentation (\`dragoman segment\`, built-in rules)"
echo
echo "### Bundled example (examples/raqqa-2017)"
echo
echo "| file | gold sentences | produced | identical to gold |"
echo "|---|---|---|---|"
for lang in ar en; do
  out=$("$bin" segment "examples/raqqa-2017/$lang.txt")
  gold=$(cat "examples/raqqa-2017/$lang.sents")
  same=no; [ "$out" = "$gold" ] && same=yes
  echo "| $lang.txt | $(grep -c . <<<"$gold") | $(grep -c . <<<"$out") | $same |"
done
echo

flores=$(cargo test --release --quiet --test segment_flores -- --nocapture --test-threads=1 2>&1 || true)
echo "### FLORES-200 devtest: boundary recall at line joins"
echo
echo "Each document's lines are joined with one space into a paragraph (281 documents, 731 joins per"
echo "language); every join is a true sentence boundary. Strict precision counts every split *inside* a"
echo "line as wrong, although many FLORES lines hold two or more sentences (see the examples)."
echo
echo "| language | recall at joins | strict precision | splits inside lines |"
echo "|---|---|---|---|"
sed -nE 's/^[^a-z]*(ar|en): recall at joins ([0-9.]+) \(([0-9]+\/[0-9]+)\), strict precision ([0-9.]+), splits inside lines ([0-9]+)$/| \1 | \2 (\3) | \4 | \5 |/p' <<<"$flores"
echo
echo "Joins missed (all, with the end of the line before the join):"
echo
grep -E '^  missed' <<<"$flores" | sed -E 's/^  missed  /- /' || true
echo
echo "A few splits inside lines (line | split):"
echo
for lang in ar en; do
  grep -E "^  inline  [^ ]+\.$lang:" <<<"$flores" | head -4 | sed -E 's/^  inline  /- /' || true
done
echo

echo "### The exported rules in Java (the regex engine of OmegaT and Okapi)"
echo
if command -v java >/dev/null 2>&1; then
  work=$(mktemp -d)
  trap 'rm -rf "$work"' EXIT
  "$bin" segment --export-rules "$work/rules.srx"
  echo "\`segment --export-rules\` written out, then FLORES-200 documents (joined as above) and raqqa-2017 paragraphs"
  echo "segmented by a naive SRX engine on \`java.util.regex\` (tests/fixtures/srx/java/SrxCheck.java):"
  echo
  echo "| language | paragraphs | segments (dragoman) | identical in Java |"
  echo "|---|---|---|---|"
  for lang in ar en; do
    for f in tests/fixtures/flores200/docs/*."$lang"; do
      grep -v '^[[:space:]]*$' "$f" | sed 's/^[[:space:]]*//; s/[[:space:]]*$//' | paste -sd' '
    done > "$work/paragraphs.$lang"
    grep -v '^[[:space:]]*$' "examples/raqqa-2017/$lang.txt" >> "$work/paragraphs.$lang"
    java tests/fixtures/srx/java/SrxCheck.java "$work/rules.srx" "$lang" "$work/paragraphs.$lang" \
      | grep -v '^$' > "$work/java.$lang" || true
    sed 's/$/\n/' "$work/paragraphs.$lang" | "$bin" segment --lang "$lang" - | grep -v '^$' > "$work/rust.$lang"
    same=no; cmp -s "$work/java.$lang" "$work/rust.$lang" && same=yes
    echo "| $lang | $(wc -l < "$work/paragraphs.$lang") | $(wc -l < "$work/rust.$lang") | $same |"
  done
else
  echo "(skipped: no \`java\` on this machine)"
fi
echo

echo "### Throughput (one thread, release build)"
echo
echo '```'
cargo bench --quiet --bench segment 2>/dev/null | grep -vE '^\s*$'
echo '```'
