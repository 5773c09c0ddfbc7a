#!/usr/bin/env bash
# Interoperability of dragoman's TMX with real CAT tools (run by .ci/run;
# `cargo test` never needs these tools):
#  1. the example memory exported as TMX is valid against the TMX 1.4 DTD;
#  2. translate-toolkit's tmxfile reads every unit with both languages intact;
#  3. OmegaT 3.6, headless, pre-translates every Arabic segment from our TMX
#     in tm/auto/ (checked in its log and its target file, not its exit code);
#  4. the reverse: TMX written by translate-toolkit and by OmegaT imports
#     into a dragoman memory with every unit.
# Installs what is missing (apt-get, pip); prints how long each step took.
# INTEROP_TMX=FILE checks FILE instead of the exported example.
INTEROP_NAME=interop
# shellcheck source=support/interop.bash
source "$(dirname "$0")/support/interop.bash"
DTD="$ROOT/tests/fixtures/tmx/tmx14.dtd"

step "installing tools where missing"
install_tools translate.storage.tmx

step "exporting the example memory"
build_dragoman
TMX="$tmp/raqqa.tmx"
if [ -n "${INTEROP_TMX:-}" ]; then
  # Check a given TMX instead (used to see that the checks can fail).
  cp "$INTEROP_TMX" "$TMX"
  echo "checking $INTEROP_TMX"
else
  "$DRAGOMAN" tm add examples/raqqa-2017/ar.txt examples/raqqa-2017/en.txt --tm "$tmp/m.sqlite" \
    || fail "dragoman tm add failed"
  "$DRAGOMAN" tm export "$TMX" --tm "$tmp/m.sqlite" || fail "dragoman tm export failed"
  echo "exported with: dragoman tm add + tm export"
fi
units=$(grep -c '<tu[ >]' "$TMX")
[ "$units" -gt 0 ] || fail "exported TMX has no units"
echo "$units units"

step "1. xmllint --dtdvalid"
xmllint --noout --dtdvalid "$DTD" "$TMX" || fail "exported TMX is not valid against tmx14.dtd"

# The expected pairs, from the TMX itself (plain text: our export has no markup).
python3 - "$TMX" "$tmp/pairs.json" <<'PY'
import json, sys, xml.etree.ElementTree as ET
XML_LANG = '{http://www.w3.org/XML/1998/namespace}lang'
pairs = []
for tu in ET.parse(sys.argv[1]).getroot().iter('tu'):
    texts = [''.join(tuv.find('seg').itertext()) for tuv in tu.iter('tuv')]
    pairs.append(texts[:2])  # source (Arabic) first, as dragoman writes it
json.dump(pairs, open(sys.argv[2], 'w'), ensure_ascii=False)
PY

step "2. translate-toolkit reads every unit"
python3 - "$TMX" "$tmp/pairs.json" <<'PY'
import json, sys
from translate.storage.tmx import tmxfile
expected = json.load(open(sys.argv[2]))
with open(sys.argv[1], 'rb') as f:
    store = tmxfile(f, sourcelanguage='ar', targetlanguage='en')
units = [u for u in store.units if not u.isheader()]
assert len(units) == len(expected), f'translate-toolkit read {len(units)} units, expected {len(expected)}'
for unit, (ar, en) in zip(units, expected):
    assert unit.source == ar, f'source lost or changed: {unit.source!r} != {ar!r}'
    assert unit.target == en, f'target lost or changed: {unit.target!r} != {en!r}'
print(f'translate-toolkit: {len(units)} units, Arabic and English intact')
PY

step "3. OmegaT pre-translates every segment from tm/auto/"
PROJ="$tmp/omegat-project"
omegat_project "$PROJ"
cp "$TMX" "$PROJ/tm/auto/dragoman.tmx"
# One Arabic segment per paragraph (OmegaT's text filter: blank-line separated).
python3 - "$tmp/pairs.json" "$PROJ/source/file.txt" <<'PY'
import json, sys
pairs = json.load(open(sys.argv[1]))
open(sys.argv[2], 'w', encoding='utf-8').write(''.join(ar + '\n\n' for ar, _ in pairs))
PY
omegat_translate "$PROJ"
# OmegaT exits 0 even when a TMX fails to load or its units are skipped
# (e.g. `xml:lang="ara"`: TMXR_WARNING_SOURCE_NOT_FOUND): read the log.
grep -q 'dragoman.tmx (TMXR_INFO_READING_FILE)' "$LOG" || fail "OmegaT did not read our TMX (log: $LOG)"
if grep -E 'TMXR_(WARNING|ERROR)|Error:' "$LOG"; then
  fail "OmegaT reported a problem loading the TMX (log: $LOG)"
fi
[ -f "$PROJ/target/file.txt" ] || { tail -20 "$PROJ.out"; fail "OmegaT wrote no target file"; }
python3 - "$tmp/pairs.json" "$PROJ/target/file.txt" <<'PY'
import json, sys
pairs = json.load(open(sys.argv[1]))
target = open(sys.argv[2], encoding='utf-8').read()
paragraphs = [p.strip() for p in target.split('\n\n') if p.strip()]
assert len(paragraphs) == len(pairs), f'{len(paragraphs)} paragraphs in target, expected {len(pairs)}'
untranslated = [ar for (ar, en), got in zip(pairs, paragraphs) if got != en.strip()]
assert not untranslated, f'{len(untranslated)} of {len(pairs)} segments not translated, e.g. {untranslated[0]!r}'
print(f'OmegaT: all {len(pairs)} segments translated from our TMX')
PY

step "4. TMX written by translate-toolkit and OmegaT imports into dragoman"
python3 - "$tmp/pairs.json" "$tmp/ttk.tmx" <<'PY'
import json, sys
from translate.storage.tmx import tmxfile
store = tmxfile(sourcelanguage='ar', targetlanguage='en')
for ar, en in json.load(open(sys.argv[1])):
    store.addtranslation(ar, 'ar', en, 'en')
with open(sys.argv[2], 'wb') as f:
    store.serialize(f)
PY
# Each foreign file goes through `dragoman tm import` into a fresh memory:
# every unit must arrive, with its Arabic and English.
for f in "$tmp/ttk.tmx" "$PROJ"/*.tmx "$PROJ/omegat/project_save.tmx"; do
  [ -f "$f" ] && grep -q '<tu' "$f" || continue
  memory="$tmp/foreign-$(basename "$f").sqlite"
  "$DRAGOMAN" tm import "$f" --tm "$memory" || fail "dragoman could not import $f"
  expected=$(grep -c '<tu[ >]' "$f")
  got=$("$DRAGOMAN" tm stats --format json --tm "$memory" | python3 -c 'import json,sys; print(json.load(sys.stdin)["units"])')
  [ "$got" = "$expected" ] || fail "$f: dragoman imported $got units, the file has $expected"
  echo "dragoman tm import: $(basename "$f"): $got units"
done

step "interop: all checks passed"
