#!/usr/bin/env bash
# Renders the bundled example's bilingual edition in headless Chromium at a
# desktop width (1280×2000) and a phone width (390×2000) and writes
#   docs/screenshots/bilingual-desktop.png   (committed: the README shows it)
#   docs/screenshots/bilingual-phone.png     (ignored by git)
# Look at both: Arabic right-to-left in the right column, each sentence
# facing its translation, punctuation on the correct side.
#
# Needs Chromium (Debian: apt-get install -y chromium) and, for faithful
# Arabic shaping, an Arabic font (Debian: fonts-noto-core has Noto Naskh
# Arabic). Uses the project's glossaries/ but never touches its memory.
set -euo pipefail

cd "$(dirname "$0")/.."
shots=docs/screenshots
mkdir -p "$shots"

chromium=$(command -v chromium || command -v chromium-browser || command -v google-chrome || true)
if [ -z "$chromium" ]; then
    echo "screenshot.sh: Chromium not found; install it (Debian: apt-get install -y chromium)" >&2
    exit 2
fi

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

# --no-tm: a screenshot must not change the memory. Exit 1 (error findings)
# still writes the editions, which is what we want to look at.
status=0
cargo run --quiet -- --project . ingest examples/raqqa-2017/ar.txt examples/raqqa-2017/en.txt \
    --no-tm --formats bilingual --out "$work" \
    --byline "Raqqa is Being Slaughtered Silently" --date "2017" >/dev/null || status=$?
if [ "$status" -gt 1 ]; then
    echo "screenshot.sh: dragoman ingest failed (exit $status)" >&2
    exit "$status"
fi
page="$work/raqqa-2017.bilingual.html"

shoot() {
    local file=$1 size=$2 profile
    profile=$(mktemp -d)
    "$chromium" --headless --no-sandbox --disable-gpu --disable-background-networking \
        --disable-component-update --disable-sync --no-first-run --hide-scrollbars \
        --user-data-dir="$profile" --window-size="$size" --screenshot="$file" \
        "file://$(realpath "$page")" >/dev/null 2>&1
    rm -rf "$profile"
    [ -s "$file" ] || { echo "screenshot.sh: Chromium wrote no $file" >&2; exit 2; }
    echo "$file"
}

shoot "$PWD/$shots/bilingual-desktop.png" 1280,2000
shoot "$PWD/$shots/bilingual-phone.png" 390,2000
