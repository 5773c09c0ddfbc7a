#!/usr/bin/env bash
# Installs FreeDict's Arabic–English dictionary (Debian package
# dict-freedict-ara-eng, GPL) and converts it into an alignment word list,
# lexicons/freedict-ara-eng.tsv (`arabic<TAB>english, english…`, the format
# `dragoman align --dictionary FILE` reads). The list is git-ignored: GPL
# data is not committed. Nothing in `cargo test` needs it.
#
# Kept: one-word Arabic headwords with their one-word English renderings
# (letters only, lower-cased). Dropped: phrases on either side, numbers,
# abbreviations with digits or dots, and renderings of more than
# MAX_RENDERINGS senses (hub entries whose senses are mostly noise).
set -euo pipefail
cd "$(dirname "$0")/.."
out=lexicons/freedict-ara-eng.tsv
dict_dir=/usr/share/dictd
index="$dict_dir/freedict-ara-eng.index"
data="$dict_dir/freedict-ara-eng.dict.dz"

if [[ ! -f "$index" || ! -f "$data" ]]; then
    if ! command -v apt-get >/dev/null 2>&1; then
        echo "install-dictionary: apt-get is not available; install FreeDict's ara-eng dictionary by hand" \
            "(files $index and $data) to build $out" >&2
        exit 0
    fi
    sudo=()
    if [[ $(id -u) -ne 0 ]]; then
        if command -v sudo >/dev/null 2>&1; then sudo=(sudo); else
            echo "install-dictionary: not root and no sudo; skipping (run: apt-get install dict-freedict-ara-eng)" >&2
            exit 0
        fi
    fi
    if ! "${sudo[@]}" apt-get install -y -q dict-freedict-ara-eng >&2; then
        echo "install-dictionary: apt-get install dict-freedict-ara-eng failed; skipping" >&2
        exit 0
    fi
fi
if [[ -f "$out" && "$out" -nt "$data" ]]; then
    echo "install-dictionary: $out is up to date" >&2
    exit 0
fi
mkdir -p lexicons
python3 - "$index" "$data" "$out.tmp" <<'PY'
import collections, gzip, re, sys

MAX_RENDERINGS = 12
index_path, data_path, out_path = sys.argv[1:4]
# dictd's index numbers are base-64 with this alphabet.
B64 = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/"
def number(text):
    n = 0
    for c in text:
        n = n * 64 + B64.index(c)
    return n

# dictzip is gzip with a random-access table in the header: gzip reads it.
data = gzip.open(data_path).read()
arabic_word = re.compile(r"^[\u0621-\u064A\u0671-\u06D3\u064B-\u0652\u0640]+$")
english_word = re.compile(r"^[A-Za-z]+$")
renderings = collections.OrderedDict()
for line in open(index_path, encoding="utf-8"):
    fields = line.rstrip("\n").split("\t")
    if len(fields) != 3 or fields[0].startswith("00database"):
        continue
    headword = fields[0].strip()
    if not arabic_word.match(headword):
        continue
    start, length = number(fields[1]), number(fields[2])
    entry = data[start:start + length].decode("utf-8").strip("\n").split("\n")
    # Line 1 is the headword and its pronunciation; then one sense a line,
    # numbered when there are several.
    senses = [re.sub(r"^\d+\.\s*", "", sense).strip() for sense in entry[1:]]
    senses = [s for s in senses if s]
    if len(senses) > MAX_RENDERINGS:
        continue
    words = renderings.setdefault(headword, [])
    for sense in senses:
        if english_word.match(sense) and len(sense) >= 2:
            word = sense.lower()
            if word not in words:
                words.append(word)
with open(out_path, "w", encoding="utf-8") as out:
    out.write("# FreeDict Arabic-English (Arabeyes.org), GPL-2.0-or-later, converted by\n")
    out.write("# scripts/install-dictionary.sh: one-word entries only. Not for redistribution in this repository.\n")
    kept = 0
    for headword, words in renderings.items():
        if words:
            out.write(f"{headword}\t{', '.join(words)}\n")
            kept += 1
print(f"install-dictionary: {kept} Arabic words written", file=sys.stderr)
PY
mv "$out.tmp" "$out"
echo "install-dictionary: wrote $out" >&2
