#!/usr/bin/env bash
# Interoperability of the translator's kit (`prepare` → CAT tool →
# `ingest --xliff`) with real tools (run by .ci/run; `cargo test` never
# needs these tools):
#  1. xmllint --schema (OASIS XLIFF 1.2 strict, copied into
#     tests/fixtures/xliff/schema/) accepts every XLIFF we write: the
#     bundled example against an empty memory (no matches), against the
#     example's memory (exact), and an edited article (fuzzy, names, numbers);
#  2. Translate Toolkit's translate.storage.xliff reads every unit, its
#     source, target, notes and alt-trans;
#  3. OmegaT 3.6, headless: our NAME.xlf in source/, our TMX in tm/auto/,
#     --mode=console-translate writes target/NAME.xlf; `dragoman ingest
#     --xliff` of it stores every pair and the English edition equals the
#     one from the plain-text pair.
# Installs what is missing (apt-get, pip); prints how long each step took.
INTEROP_NAME=interop-kit
# shellcheck source=support/interop.bash
source "$(dirname "$0")/support/interop.bash"
XSD="$ROOT/tests/fixtures/xliff/schema/xliff-core-1.2-strict.xsd"
AR="$ROOT/examples/raqqa-2017/ar.txt"
EN="$ROOT/examples/raqqa-2017/en.txt"

step "installing tools where missing"
install_tools translate.storage.xliff

step "preparing the kits"
build_dragoman
"$DRAGOMAN" init "$tmp/project" >/dev/null 2>&1 || fail "dragoman init failed"
P=(--project "$tmp/project")
# No matches: an empty memory.
"$DRAGOMAN" "${P[@]}" prepare "$AR" --tm "$tmp/empty.sqlite" --out "$tmp/new" >/dev/null || fail "prepare (empty memory)"
# Exact matches: the example's own memory.
"$DRAGOMAN" "${P[@]}" tm add "$AR" "$EN" >/dev/null 2>&1 || fail "tm add"
"$DRAGOMAN" "${P[@]}" prepare "$AR" --out "$tmp/exact" --title "Raqqa" --date 2017-06-27 >/dev/null || fail "prepare (exact)"
# Fuzzy matches, names and numbers: an edited article.
sed -e 's/وجرح أخرون/وأصيب العشرات/' -e 's/في 25 الشهر/في 26 الشهر/' "$AR" > "$tmp/raqqa-update.ar.txt"
"$DRAGOMAN" "${P[@]}" prepare "$tmp/raqqa-update.ar.txt" --out "$tmp/fuzzy" --format json > "$tmp/fuzzy.json" || fail "prepare (fuzzy)"
python3 - "$tmp/fuzzy.json" <<'PY'
import json, sys
m = json.load(open(sys.argv[1]))["matches"]
assert m["fuzzy"] + m["high"] >= 1 and m["exact"] >= 1, f"expected exact and fuzzy matches, got {m}"
PY
grep -q '<alt-trans' "$tmp/fuzzy/raqqa-update.xlf" || fail "the edited article has no alt-trans"
grep -q '<note from="glossary">' "$tmp/fuzzy/raqqa-update.xlf" || fail "no name notes"

step "1. xmllint --schema (XLIFF 1.2 strict)"
for f in "$tmp/new/raqqa-2017.xlf" "$tmp/exact/raqqa-2017.xlf" "$tmp/fuzzy/raqqa-update.xlf"; do
  xmllint --noout --schema "$XSD" "$f" 2>"$tmp/xmllint.err" || { cat "$tmp/xmllint.err"; fail "$f is not valid XLIFF 1.2 strict"; }
  echo "valid: $(basename "$(dirname "$f")")/$(basename "$f")"
done

step "2. Translate Toolkit reads every unit, note and alt-trans"
for f in "$tmp/exact/raqqa-2017.xlf" "$tmp/fuzzy/raqqa-update.xlf"; do
python3 - "$f" <<'PY'
import sys, xml.etree.ElementTree as ET
from translate.storage.xliff import xlifffile
NS = {"x": "urn:oasis:names:tc:xliff:document:1.2"}
path = sys.argv[1]
# What the file holds, read with a plain XML parser.
expected = []
for tu in ET.parse(path).getroot().iter("{%s}trans-unit" % NS["x"]):
    expected.append({
        "id": tu.get("id"),
        "source": tu.find("x:source", NS).text,
        "target": tu.find("x:target", NS).text,
        "notes": [n.text for n in tu.findall("x:note", NS)],
        "alts": [(a.get("match-quality"), a.find("x:target", NS).text) for a in tu.findall("x:alt-trans", NS)],
    })
with open(path, "rb") as f:
    store = xlifffile(f)
units = [u for u in store.units if not u.isheader()]
assert len(units) == len(expected), f"translate-toolkit read {len(units)} units, the file has {len(expected)}"
alts = 0
for unit, want in zip(units, expected):
    assert unit.getid().endswith(want["id"]), f"id {unit.getid()!r} != {want['id']!r}"
    assert unit.source == want["source"], f"source changed: {unit.source!r}"
    assert unit.target == want["target"], f"target changed: {unit.target!r}"
    notes = unit.getnotes()
    for note in want["notes"]:
        assert note in notes, f"note lost: {note!r} not in {notes!r}"
    got_alts = [(a.xmlelement.get("match-quality"), a.target) for a in unit.getalttrans()]
    assert got_alts == want["alts"], f"alt-trans differ: {got_alts!r} != {want['alts']!r}"
    alts += len(got_alts)
print(f"translate-toolkit: {path.split('/')[-1]}: {len(units)} units, sources, targets, notes and {alts} alt-trans intact")
PY
done

step "3. OmegaT 3.6 translates our XLIFF from our TMX; ingest --xliff takes it back"
PROJ="$tmp/omegat-project"
omegat_project "$PROJ"
cp "$tmp/new/raqqa-2017.xlf" "$PROJ/source/"
"$DRAGOMAN" "${P[@]}" tm export "$PROJ/tm/auto/dragoman.tmx" >/dev/null 2>&1 || fail "tm export"
omegat_translate "$PROJ"
if grep -E 'TMXR_(WARNING|ERROR)|Error:|Exception' "$LOG"; then
  fail "OmegaT reported a problem (log: $LOG)"
fi
OUT="$PROJ/target/raqqa-2017.xlf"
[ -f "$OUT" ] || { tail -20 "$PROJ.out"; fail "OmegaT wrote no target/raqqa-2017.xlf"; }
xmllint --noout --schema "$XSD" "$OUT" 2>/dev/null && echo "OmegaT's output is still valid XLIFF 1.2 strict"
units=$(grep -c '<trans-unit' "$OUT")
# A fresh project: the pairs must come from the XLIFF alone.
"$DRAGOMAN" init "$tmp/back" >/dev/null 2>&1
"$DRAGOMAN" --project "$tmp/back" ingest "$AR" "$EN" --no-tm --out "$tmp/plain" >/dev/null || fail "plain ingest"
"$DRAGOMAN" --project "$tmp/back" ingest --xliff "$OUT" --out "$tmp/kit" --format json >"$tmp/ingest.json" \
  || fail "dragoman ingest --xliff of OmegaT's file failed"
python3 - "$tmp/ingest.json" "$units" <<'PY'
import json, sys
summary, units = json.load(open(sys.argv[1])), int(sys.argv[2])
stored = summary["memory"]["added"]
assert summary["beads"] == units, f"{summary['beads']} beads, OmegaT's file has {units} units"
assert stored == units, f"stored {stored} of {units} units: {summary['memory']['not_stored']}"
print(f"ingest --xliff: {stored} of {units} OmegaT units stored")
PY
for f in raqqa-2017.en.html raqqa-2017.en.md raqqa-2017.en.txt; do
  cmp -s "$tmp/plain/$f" "$tmp/kit/$f" || { diff "$tmp/plain/$f" "$tmp/kit/$f" | head; fail "$f differs from the plain-text pair's"; }
done
echo "the English edition equals the plain-text pair's"

step "interop-kit: all checks passed"
