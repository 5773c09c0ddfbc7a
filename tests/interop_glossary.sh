#!/usr/bin/env bash
# Glossary exports read by the real tools they are for (`cargo test` never
# needs these tools):
#  1. OmegaT 3.6: the files `glossary export` writes for it, put in a
#     project's glossary/ folder, are loaded by OmegaT's own glossary code
#     (GlossaryManager, via tests/fixtures/interop/OmegatGlossaryProbe.java:
#     OmegaT's console modes load no glossary, so nothing else shows it
#     headless) with every term pair intact: --format omegat-csv as .csv
#     (no header row taken as a term), the native format as .utf8 and .txt
#     (a .tsv is ignored, and dragoman warned), tbx2008 as .tbx; TBX v3 is
#     refused, as `glossary export --help` says. A spreadsheet CSV (with a
#     header) is shown to give OmegaT a bogus "source" term: the probe can fail.
#  2. Translate Toolkit: csvl10n reads the spreadsheet CSV (byte-order mark
#     and header) and tbx reads TBX 2008, every pair intact; it reads no TBX v3.
# Installs what is missing (apt-get, pip); prints how long each step took.
INTEROP_NAME=interop_glossary
# shellcheck source=support/interop.bash
source "$(dirname "$0")/support/interop.bash"

step "installing tools where missing"
install_tools 'translate.storage.csvl10n, translate.storage.tbx'
# The probe runs as a single source file (`java Probe.java`), which needs
# the JDK's compiler module; omegat itself pulls only a runtime.
if ! java --list-modules 2>/dev/null | grep -q '^jdk.compiler'; then
  apt-get update -qq
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq default-jdk-headless >/dev/null
fi

step "exporting the house glossary"
build_dragoman
GLOSSARY="$ROOT/glossaries/syria.txt"
export_as() { # FORMAT FILE: exports, keeps stderr for the warning checks
  "$DRAGOMAN" glossary export "$2" --format "$1" --glossary "$GLOSSARY" 2>"$2.stderr" \
    || { cat "$2.stderr"; fail "dragoman glossary export --format $1 $2 failed"; }
}
"$DRAGOMAN" glossary list --format json --glossary "$GLOSSARY" >"$tmp/entries.json"
OMEGAT_DIR="$tmp/omegat-project/glossary"
mkdir -p "$OMEGAT_DIR" "$tmp/ttk"
export_as omegat-csv "$OMEGAT_DIR/house.csv"
export_as tsv "$OMEGAT_DIR/house.utf8"
export_as tsv "$OMEGAT_DIR/house-txt.txt"
export_as tsv "$OMEGAT_DIR/house-tsv.tsv"
export_as tbx2008 "$OMEGAT_DIR/house.tbx"
export_as tbx3 "$OMEGAT_DIR/house-v3.tbx"
export_as csv "$tmp/ttk/spreadsheet.csv"
export_as tbx2008 "$tmp/ttk/house.tbx"
export_as tbx3 "$tmp/ttk/house-v3.tbx"
grep -q 'OmegaT 3.6 reads tab-separated glossaries only from' "$OMEGAT_DIR/house-tsv.tsv.stderr" \
  || fail "no warning for a tab-separated export named .tsv"
grep -q 'read by neither OmegaT 3.6 nor Translate Toolkit' "$OMEGAT_DIR/house-v3.tbx.stderr" \
  || fail "no warning for a TBX v3 export"
for quiet in house.csv house.utf8 house-txt.txt house.tbx; do
  if grep -v '^dragoman: wrote' "$OMEGAT_DIR/$quiet.stderr" | grep -q .; then
    fail "unexpected warning for $quiet: $(cat "$OMEGAT_DIR/$quiet.stderr")"
  fi
done
[ "$(head -c 3 "$tmp/ttk/spreadsheet.csv" | od -An -tx1 | tr -d ' ')" = efbbbf ] \
  || fail "the spreadsheet CSV has no UTF-8 byte-order mark"
rm -f "$OMEGAT_DIR"/*.stderr

step "1. OmegaT 3.6 loads the exports with its own glossary code"
# A spreadsheet CSV in OmegaT: its header becomes a term (what omegat-csv avoids).
cp "$tmp/ttk/spreadsheet.csv" "$OMEGAT_DIR/spreadsheet.csv"
java -cp "/usr/share/omegat/OmegaT.jar:/usr/share/omegat/lib/*" \
  "$ROOT/tests/fixtures/interop/OmegatGlossaryProbe.java" "$OMEGAT_DIR" >"$tmp/omegat.tsv" 2>"$tmp/omegat.err" \
  || { tail -20 "$tmp/omegat.err"; fail "OmegaT's glossary loader did not run"; }
python3 - "$tmp/entries.json" "$tmp/omegat.tsv" <<'PY'
import collections, json, sys
entries = json.load(open(sys.argv[1]))['entries']
pairs = [(e['source'], e['target']) for e in entries]
loaded = collections.defaultdict(list)
for line in open(sys.argv[2], encoding='utf-8'):
    fields = line.rstrip('\n').split('\t')
    loaded[fields[0]].append(tuple(fields[1:3]) if len(fields) > 2 else tuple(fields[1:]))
def same(name):
    got = loaded[name]
    assert got == pairs, f'OmegaT read {len(got)} entries from {name}, expected {len(pairs)}; first difference: ' + \
        next((f'{g!r} != {p!r}' for g, p in zip(got, pairs) if g != p), 'in the count')
    print(f'OmegaT: {name}: all {len(pairs)} entries, Arabic and English intact')
same('house.csv')
same('house.utf8')
same('house-txt.txt')
assert loaded['house-tsv.tsv'] == [('(ignored)',)], f'a .tsv glossary: {loaded["house-tsv.tsv"][:2]}'
print('OmegaT: house-tsv.tsv ignored (dragoman warned)')
# TBX 2008: one OmegaT entry per Arabic term (variants included) and English term.
tbx = set(loaded['house.tbx'])
missing = [p for p in pairs if p not in tbx]
assert not missing, f'{len(missing)} of {len(pairs)} pairs missing from what OmegaT read of house.tbx, e.g. {missing[0]}'
print(f'OmegaT: house.tbx: all {len(pairs)} approved pairs among its {len(tbx)} entries')
v3 = loaded['house-v3.tbx']
assert len(v3) == 1 and v3[0][0].startswith('(error)'), f'OmegaT read TBX v3?: {v3[:2]}'
print('OmegaT: house-v3.tbx refused (TBX v3), as --help says')
spreadsheet = loaded['spreadsheet.csv']
assert spreadsheet[0] == ('source', 'target'), f'expected the header as a bogus term: {spreadsheet[0]}'
print('OmegaT: a spreadsheet CSV gives the bogus term source → target (why omegat-csv has no header)')
PY

step "2. Translate Toolkit reads the spreadsheet CSV and TBX 2008"
python3 - "$tmp/entries.json" "$tmp/ttk" <<'PY'
import json, sys
from translate.storage.csvl10n import csvfile
from translate.storage.tbx import tbxfile
entries = json.load(open(sys.argv[1]))['entries']
pairs = [(e['source'], e['target']) for e in entries]
with open(f'{sys.argv[2]}/spreadsheet.csv', 'rb') as f:
    store = csvfile(f)
got = [(u.source, u.target) for u in store.units]
assert got == pairs, f'csvl10n read {len(got)} units, expected {len(pairs)}: {got[:2]}'
print(f'translate-toolkit csvl10n: all {len(pairs)} entries, Arabic and English intact')
store = tbxfile.parsefile(f'{sys.argv[2]}/house.tbx')
got = [(u.source, u.target) for u in store.units]
assert got == pairs, f'tbx read {len(got)} units, expected {len(pairs)}: {got[:2]}'
print(f'translate-toolkit tbx: all {len(pairs)} entries from TBX 2008')
try:
    units = tbxfile.parsefile(f'{sys.argv[2]}/house-v3.tbx').units
except Exception:  # it refuses the file (an assertion on the root element today)
    units = []
assert not [u for u in units if u.source], f'translate-toolkit read TBX v3: {len(units)} units'
print('translate-toolkit: no terms from TBX v3, as --help says')
PY
step "done"
