//! Alignment accuracy on generated cases (`align::synth`) from the
//! line-aligned fixtures: the floors are what the aligner measured when
//! they were set (docs/EVALUATION.md has the current figures), a little
//! below, so that a regression fails and noise does not.

use std::path::Path;

use dragoman::align::synth::{self, Counts, ParallelDocument, SynthConfig};
use dragoman::pair::{ArticlePair, PairOptions};

fn corpus(name: &str) -> Vec<ParallelDocument> {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures").join(name).join("docs");
    let mut stems: Vec<String> = std::fs::read_dir(&dir)
        .unwrap()
        .filter_map(|entry| entry.ok()?.file_name().to_str()?.strip_suffix(".ar").map(String::from))
        .collect();
    stems.sort();
    stems
        .iter()
        .map(|stem| {
            let read = |ext: &str| std::fs::read_to_string(dir.join(format!("{stem}.{ext}"))).unwrap();
            ParallelDocument::from_lines(&format!("{name}/{stem}"), &read("ar"), &read("en")).unwrap()
        })
        .collect()
}

/// Pooled counts over all generated articles of a corpus.
fn measure(name: &str, presegmented: bool) -> Counts {
    let options = PairOptions { presegmented, ..PairOptions::default() };
    let mut counts = Counts::default();
    for document in synth::articles(&corpus(name), 20, 60) {
        let case = synth::generate(&document, &SynthConfig::default());
        let (source, target) = if presegmented {
            (&case.source_presegmented, &case.target_presegmented)
        } else {
            (&case.source_text, &case.target_text)
        };
        let pair = ArticlePair::build(&case.name, source, target, &options).unwrap();
        let beads = if presegmented {
            pair.alignment.beads.clone()
        } else {
            // The segmenter's sentences are not the generator's: score over
            // the gold sentences they cover.
            synth::project(&pair.alignment.beads, &pair.source, &pair.target, &case)
        };
        counts.add(&synth::score(&case.gold, &beads).counts);
    }
    counts
}

fn assert_floors(name: &str, presegmented: bool, strict_floor: f64, link_floor: f64) {
    let counts = measure(name, presegmented);
    let (strict, links) = (counts.strict().f1, counts.links().f1);
    eprintln!("{name} presegmented={presegmented}: strict F1 {strict:.4}, link F1 {links:.4}");
    assert!(strict >= strict_floor, "{name}: strict bead F1 {strict:.4} fell below {strict_floor}");
    assert!(links >= link_floor, "{name}: link F1 {links:.4} fell below {link_floor}");
}

#[test]
fn tico19_presegmented() {
    assert_floors("tico19", true, 0.948, 0.977);
}

#[test]
fn flores200_presegmented() {
    assert_floors("flores200", true, 0.942, 0.975);
}

// Running text through the built-in segmenter, scored over the gold
// sentences each segment covers. tico19's chat lines start in lower case
// and are rightly not split, which merges beads: hence the lower floors.
#[test]
fn tico19_raw_text() {
    assert_floors("tico19", false, 0.876, 0.885);
}

#[test]
fn flores200_raw_text() {
    assert_floors("flores200", false, 0.93, 0.955);
}
