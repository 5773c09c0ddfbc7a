#!/usr/bin/env bash
# Regenerates the measured sections of docs/EVALUATION.md: every script in
# scripts/eval/ (in name order) prints one or more `## ` sections, and each
# replaces the section of the document whose heading starts the same way
# (a heading may add "(issue #N)"); sections no script prints (figures
# from benches run by hand, e.g. `cargo bench --bench terminology`) are
# kept as they are, and a new section is appended. `scripts/evaluate.sh
# 20-align` runs only the scripts whose names contain `20-align`.
set -euo pipefail
cd "$(dirname "$0")/.."
cargo build --release --quiet
generated=$(mktemp)
merged=$(mktemp)
trap 'rm -f "$generated" "$merged"' EXIT
for section in scripts/eval/*${1:-}*.sh; do
  [ -e "$section" ] || continue
  bash "$section"
  echo
done > "$generated"
python3 - docs/EVALUATION.md "$generated" "$(nproc)" "$(date -u +%Y-%m-%d)" "${1:-all}" > "$merged" <<'PY'
import re, sys

document, generated, cores, today, which = sys.argv[1:6]

def sections(text):
    """The text before the first `## ` heading, then (heading, section) pairs."""
    parts = re.split(r"(?m)^(?=## )", text)
    return parts[0], [(part.split("\n", 1)[0], part) for part in parts[1:]]

def prose(section):
    """The lines of a section that are neither tables, code nor blank."""
    inside_code = False
    for line in section.splitlines()[1:]:
        if line.startswith("```"):
            inside_code = not inside_code
        elif not inside_code and line.strip() and not line.startswith("|"):
            yield line

def title(heading):
    # "## Shared memory: … side by side (issue #16)" matches "## Shared memory: … side by side".
    return re.sub(r"\s*\(issue #[0-9]+[^)]*\)\s*$", "", heading).strip()

_, fresh = sections(open(generated, encoding="utf-8").read())
head, old = sections(open(document, encoding="utf-8").read())
fresh_by_title = {title(h): body for h, body in fresh}
used = set()
out = []
for heading, body in old:
    key = title(heading)
    if key in fresh_by_title:
        new = fresh_by_title[key]
        lost = [line for line in prose(body) if line[:40] not in {l[:40] for l in new.splitlines()}]
        if lost:
            print(f"evaluate.sh: {len(lost)} hand-written lines of '{heading}' are not printed by its script and"
                  f" are gone (see git diff; move them into the script): {lost[0][:60]}…", file=sys.stderr)
        # Keep the document's heading (it may name the issue).
        out.append(heading + new[len(new.split("\n", 1)[0]):])
        used.add(key)
    else:
        out.append(body)
out += [body for h, body in fresh if title(h) not in used]
head = re.sub(r"(?m)^(Last regenerated .*|Generated [0-9-]+\.)$",
              f"Last regenerated {today} ({which} of `scripts/eval/`; {cores} cores).", head)
sys.stdout.write(head + "".join(b if b.endswith("\n\n") else b.rstrip("\n") + "\n\n" for b in out).rstrip("\n") + "\n")
PY
mv "$merged" docs/EVALUATION.md
trap 'rm -f "$generated"' EXIT
echo "wrote docs/EVALUATION.md"
