#!/usr/bin/env bash
# Glossary and check figures: acceptance on the bundled example and the
# planted-error edition, Arabic surface forms, speed (benches/check.rs), and
# the aligner's link F1 without and with glossary anchors.
set -euo pipefail
cd "$(dirname "$0")/../.."

echo "## Glossaries and terminology checks (\`dragoman check\`)"
echo
echo "### Acceptance"
echo
echo "The planted-error edition is \`tests/fixtures/check/planted/en.sents\` (the example's English with"
echo "errors planted for every check, listed in \`MANIFEST.tsv\`), checked against \`examples/raqqa-2017/ar.sents\`"
echo "with the gold beads. With \`glossaries/syria.txt\` the one other error is correct too: the planted"
echo "\`Rakka is Being Slaughtered\` also breaks the group name \`الرقة تذبح بصمت\`, which only syria.txt lists."
echo
cargo bench --quiet --bench check -- --acceptance 2>/dev/null
echo
echo "### False alarms on professional translations (issue #13)"
echo
echo "FLORES-200 and TICO-19 (tests/fixtures) checked with their line alignment as gold beads and"
echo "\`glossaries/syria.txt\`: the translations are professional, so nearly every error is a false alarm."
echo "Recall: in each document one number the English shares with the Arabic has its last digit changed."
echo "\`cargo bench --bench check -- --false-alarms --list\` prints every finding on stderr."
echo
cargo bench --quiet --bench check -- --false-alarms 2>/dev/null
echo
echo "### Hostile inputs: time and peak memory (issue #20)"
echo
echo "Each generated worst case runs in its own process (peak RSS is its own); the library work of the"
echo "command named. Goal: under 10 s and 500 MB, or refused at once with a clear error."
echo
cargo bench --quiet --bench check -- --hostile 2>/dev/null
echo
echo "### Speed"
echo
echo "A 10,000-sentence pair (FLORES-200 sentences cycled, with generated names planted on both sides, some"
echo "forbidden, misspelt or left out) and a 5,000-entry glossary (syria.txt plus generated entries); best of"
echo "three runs. CPU is this thread's CPU time (on a shared machine wall time also counts others' work)."
echo
cargo bench --quiet --bench check 2>/dev/null
echo
echo "### Alignment with glossary anchors"
echo
echo "Link F1 of \`align\` on its generated test cases (\`align::synth\`, as in the alignment section) without"
echo "anchors and with the glossary's concepts as anchors (what \`check\` and \`publish\` do). \"Anchors found\""
echo "counts concepts recognized on both sides of a gold bead."
echo
cargo bench --quiet --bench check -- --align 2>/dev/null
