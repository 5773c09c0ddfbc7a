//! Alignment on generated cases (`align::synth`) from the line-aligned
//! fixtures. Accuracy: the floors are what the aligner measured when they
//! were set (docs/EVALUATION.md has the current figures), a little below,
//! so that a regression fails and noise does not. Determinism: a pair long
//! enough for every parallel step aligns the same on one thread and two.

use std::path::Path;

use dragoman::align::synth::{self, Counts, ParallelDocument, SynthConfig};
use dragoman::align::{self, AlignOptions, Alignment};
use dragoman::lang::Lang;
use dragoman::pair::{ArticlePair, PairOptions};
use dragoman::segment::read_presegmented;

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

/// The fixtures' lines of both corpora, repeated until there are `lines`
/// pairs, as one document.
fn long_document(lines: usize) -> ParallelDocument {
    let documents: Vec<ParallelDocument> = corpus("tico19").into_iter().chain(corpus("flores200")).collect();
    let pairs = documents.iter().flat_map(|d| d.source.iter().zip(&d.target)).cycle().take(lines);
    let (source, target) = pairs.map(|(s, t)| (s.clone(), t.clone())).unzip();
    ParallelDocument { name: format!("long-{lines}"), source, target }
}

/// A bead as compared: sentences, confidence bits, evidence (kind, text).
type BeadPrint = (Vec<usize>, Vec<usize>, u64, Vec<(String, String)>);

/// Everything an alignment says, floats as bits: equal means byte-identical
/// output in every format.
fn fingerprint(alignment: &Alignment) -> Vec<BeadPrint> {
    alignment
        .beads
        .iter()
        .map(|bead| {
            let evidence = bead.evidence.iter().map(|e| (e.kind.clone(), e.text.clone())).collect();
            (bead.source.clone(), bead.target.clone(), bead.confidence.to_bits(), evidence)
        })
        .collect()
}

#[test]
fn one_thread_and_two_align_a_long_pair_identically() {
    // Above every threshold of `align/parallel.rs` (400 sentences of work):
    // the anchors' halves, the lexicon's sides, the posterior passes, the
    // paragraph regions and the second pass's stretches all split.
    let case = synth::generate(&long_document(8500), &SynthConfig::default());
    let source = read_presegmented(&case.source_presegmented, Some(Lang::Ar));
    let target = read_presegmented(&case.target_presegmented, Some(Lang::En));
    assert!(source.len() >= 6000 && target.len() >= 6000, "{} and {} sentences", source.len(), target.len());
    let align_on = |threads: usize| {
        let pool = rayon::ThreadPoolBuilder::new().num_threads(threads).build().unwrap();
        pool.install(|| align::align(&source, &target, &AlignOptions::default()))
    };
    let (one, two) = (align_on(1), align_on(2));
    assert_eq!(one.warnings, two.warnings);
    assert!(one.beads.len() > 5000 && one.beads.iter().any(|b| !b.evidence.is_empty()));
    let (one, two) = (fingerprint(&one), fingerprint(&two));
    if let Some(k) = (0..one.len().min(two.len())).find(|&k| one[k] != two[k]) {
        panic!("bead {k} differs: one thread {:?}, two threads {:?}", one[k], two[k]);
    }
    assert_eq!(one.len(), two.len());
}
