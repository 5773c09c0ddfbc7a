//! Benchmark of `check`: a 10,000-sentence pair with a 5,000-entry
//! glossary. Target: term checks ≤ 1 s, all checks with near-miss ≤ 2 s.
//!
//! The text is real (the FLORES-200 sentences in tests/fixtures, Arabic and
//! English line-aligned, cycled to 10,000) with generated glossary names
//! planted in both sides: with clitics in Arabic, and in English sometimes
//! forbidden or misspelt, so every check has work to do. The glossary is
//! the house glossary plus generated entries up to 5,000. Prints a markdown
//! table (scripts/eval/50-check.sh puts it into docs/EVALUATION.md).

use std::path::Path;
use std::time::Instant;

use dragoman::align::{Alignment, Bead};
use dragoman::check::{self, CheckOptions};
use dragoman::glossary::{Entry, Glossary, Recognizer, TermType};
use dragoman::pair::ArticlePair;
use dragoman::segment::read_presegmented;

const SENTENCES: usize = 10_000;
const ENTRIES: usize = 5_000;

/// A small deterministic generator (xorshift64*), so runs compare.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        self.0.wrapping_mul(0x2545_F491_4F6C_DD1D)
    }
    fn below(&mut self, n: usize) -> usize {
        (self.next() % n as u64) as usize
    }
}

const ARABIC_LETTERS: &[char] = &[
    'ب', 'ت', 'ث', 'ج', 'ح', 'خ', 'د', 'ذ', 'ر', 'ز', 'س', 'ش', 'ص', 'ض', 'ط', 'ظ', 'ع', 'غ', 'ف', 'ق', 'ك',
    'ل', 'م', 'ن', 'ه', 'و', 'ي', 'ا',
];
const LATIN: &[char] =
    &['a', 'b', 'd', 'e', 'f', 'g', 'h', 'i', 'k', 'l', 'm', 'n', 'o', 'r', 's', 't', 'u', 'z'];

fn word(rng: &mut Rng, letters: &[char], min: usize, max: usize) -> String {
    let len = min + rng.below(max - min + 1);
    (0..len).map(|_| letters[rng.below(letters.len())]).collect()
}

fn capitalized(rng: &mut Rng) -> String {
    let w = word(rng, LATIN, 5, 9);
    let mut chars = w.chars();
    chars.next().map(|c| c.to_ascii_uppercase().to_string() + chars.as_str()).unwrap_or_default()
}

fn glossary(rng: &mut Rng) -> Glossary {
    let house = Glossary::load(&[Path::new(env!("CARGO_MANIFEST_DIR")).join("glossaries/syria.txt")])
        .expect("glossaries/syria.txt");
    let mut entries: Vec<Entry> = house.entries().to_vec();
    while entries.len() < ENTRIES {
        let words = 1 + rng.below(3);
        let mut source: Vec<String> = (0..words).map(|_| word(rng, ARABIC_LETTERS, 3, 7)).collect();
        if rng.below(2) == 0 {
            source[0] = format!("ال{}", source[0]);
        }
        let target: Vec<String> = (0..words).map(|_| capitalized(rng)).collect();
        let mut entry = Entry::new(&source.join(" "), &target.join(" "));
        entry.kind = TermType::Place;
        entry.forbidden = vec![format!("{}x", target.join(" "))];
        if rng.below(10) == 0 {
            entry.variants = vec![word(rng, ARABIC_LETTERS, 4, 8)];
        }
        entries.push(entry);
    }
    Glossary::from_entries(entries)
}

/// The FLORES sentences, Arabic and English, line-aligned.
fn flores() -> Vec<(String, String)> {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/flores200/docs");
    let mut names: Vec<_> = std::fs::read_dir(&dir)
        .expect("flores docs")
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.extension().is_some_and(|e| e == "ar"))
        .collect();
    names.sort();
    let mut pairs = Vec::new();
    for ar in names {
        let en = ar.with_extension("en");
        let (Ok(a), Ok(e)) = (std::fs::read_to_string(&ar), std::fs::read_to_string(&en)) else { continue };
        for (a, e) in a.lines().zip(e.lines()) {
            pairs.push((a.trim().to_string(), e.trim().to_string()));
        }
    }
    pairs
}

/// CPU time of this thread (Linux `/proc/thread-self/schedstat`, in ns):
/// wall time on a shared machine also counts other people's work.
fn cpu_ns() -> Option<u64> {
    std::fs::read_to_string("/proc/thread-self/schedstat").ok()?.split_whitespace().next()?.parse().ok()
}

/// Runs `work` three times; the best wall and CPU times in ms.
fn measure<T>(mut work: impl FnMut() -> T) -> (f64, Option<f64>, T) {
    let mut best_wall = f64::MAX;
    let mut best_cpu: Option<f64> = None;
    let mut last = None;
    for _ in 0..3 {
        let (cpu0, started) = (cpu_ns(), Instant::now());
        let result = work();
        best_wall = best_wall.min(started.elapsed().as_secs_f64() * 1e3);
        if let (Some(a), Some(b)) = (cpu0, cpu_ns()) {
            let ms = (b - a) as f64 / 1e6;
            best_cpu = Some(best_cpu.map_or(ms, |c: f64| c.min(ms)));
        }
        last = Some(result);
    }
    (best_wall, best_cpu, last.expect("ran three times"))
}

fn show(wall: f64, cpu: Option<f64>) -> String {
    match cpu {
        Some(cpu) => format!("{wall:.0} ms wall, {cpu:.0} ms CPU"),
        None => format!("{wall:.0} ms"),
    }
}

fn main() {
    let mut rng = Rng(0x9E37_79B9_7F4A_7C15);
    let glossary = glossary(&mut rng);
    let entries = glossary.entries();
    let sentences = flores();
    let clitics = ["", "و", "ب", "ل", "وب", "ف"];
    let mut source = String::new();
    let mut target = String::new();
    for i in 0..SENTENCES {
        let (ar, en) = &sentences[i % sentences.len()];
        let mut ar = ar.clone();
        let mut en = en.clone();
        for _ in 0..rng.below(4) {
            let entry = &entries[rng.below(entries.len())];
            let clitic = clitics[rng.below(clitics.len())];
            let arabic = if clitic == "ل" && entry.source.starts_with("ال") {
                format!("لل{}", &entry.source["ال".len()..])
            } else {
                format!("{clitic}{}", entry.source)
            };
            ar.push_str(&format!(" في {arabic}"));
            let english = match rng.below(20) {
                0 => entry.forbidden.first().cloned().unwrap_or_else(|| entry.target.clone()),
                1 => format!("{}e", entry.target), // a misspelling
                2 => String::new(),                // left out
                _ => entry.target.clone(),
            };
            en.push_str(&format!(" in {english}"));
        }
        source.push_str(&ar);
        source.push('\n');
        target.push_str(&en);
        target.push('\n');
    }
    let source_segments = read_presegmented(&source, None);
    let target_segments = read_presegmented(&target, None);
    let beads = (0..SENTENCES)
        .map(|i| Bead { source: vec![i], target: vec![i], confidence: 1.0, evidence: Vec::new() })
        .collect();
    let pair = ArticlePair {
        name: "bench".into(),
        source_text: source.clone(),
        target_text: target.clone(),
        source: source_segments,
        target: target_segments,
        alignment: Alignment { beads, warnings: Vec::new() },
    };
    let words: usize = source.split_whitespace().count() + target.split_whitespace().count();

    let (build_wall, build_cpu, recognizer) = measure(|| Recognizer::try_new(&glossary).expect("recognizer"));
    let (key_wall, key_cpu, keyed) = measure(|| {
        pair.source
            .iter()
            .chain(&pair.target)
            .map(|s| dragoman::normalize::MatchKey::new(&s.text).text.len())
            .sum::<usize>()
    });
    let (found_wall, found_cpu, (arabic_found, english_found)) = measure(|| {
        pair.source.iter().zip(&pair.target).fold((0, 0), |acc, (s, t)| {
            (acc.0 + recognizer.find_arabic(&s.text).len(), acc.1 + recognizer.find_english(&t.text).len())
        })
    });
    let (terms_wall, terms_cpu, terms_report) =
        measure(|| check::run_checks(&pair, &recognizer, &CheckOptions { near_miss: false }));
    let (all_wall, all_cpu, all_report) =
        measure(|| check::run_checks(&pair, &recognizer, &CheckOptions { near_miss: true }));

    println!("| measure | value |");
    println!("|---|---|");
    println!("| glossary entries | {} |", entries.len());
    println!("| sentence pairs | {SENTENCES} ({words} words) |");
    println!("| terms recognized (Arabic / English) | {arabic_found} / {english_found} |");
    println!("| recognizer build (both automata) | {} |", show(build_wall, build_cpu));
    println!("| match keys of both texts ({keyed} bytes) | {} |", show(key_wall, key_cpu));
    println!("| recognition alone, both sides | {} |", show(found_wall, found_cpu));
    println!(
        "| term checks, no near-miss (target ≤ 1 s) | {} ({} findings) |",
        show(terms_wall, terms_cpu),
        terms_report.findings.len()
    );
    println!(
        "| all checks with near-miss (target ≤ 2 s) | {} ({} findings, {} near misses) |",
        show(all_wall, all_cpu),
        all_report.findings.len(),
        all_report.findings.iter().filter(|f| f.check == check::CheckId::TermNearMiss).count()
    );
}
