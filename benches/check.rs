//! Benchmark of `check`: a 10,000-sentence pair with a 5,000-entry
//! glossary. Target: term checks ≤ 1 s, all checks with near-miss ≤ 2 s.
//!
//! The text is real (the FLORES-200 sentences in tests/fixtures, Arabic and
//! English line-aligned, cycled to 10,000) with generated glossary names
//! planted in both sides: with clitics in Arabic, and in English sometimes
//! forbidden or misspelt, so every check has work to do. The glossary is
//! the house glossary plus generated entries up to 5,000. Prints a markdown
//! table (scripts/eval/50-check.sh puts it into docs/EVALUATION.md).
//!
//! `cargo bench --bench check -- --acceptance`: instead, the acceptance
//! figures (the example, the planted-error edition, the surface forms).
//! `cargo bench --bench check -- --align`: instead, the aligner's link F1 on
//! its generated test cases (`align::synth`) and on the bundled example,
//! without and with glossary terms as anchors.
//! `cargo bench --bench check -- --false-alarms`: instead, findings on the
//! professionally translated FLORES-200 and TICO-19 fixtures with their line
//! alignment as gold beads (nearly every error is a false alarm), and
//! recall on one number error planted per document.
//! `cargo bench --bench check -- --hostile`: instead, the former worst cases
//! of glossaries and checks (issue #20), each in a child process so that its
//! peak RSS is its own: time and peak memory per generated input.

use std::path::Path;
use std::time::Instant;

use dragoman::align::{Alignment, Bead, synth};
use dragoman::check::{self, CheckOptions};
use dragoman::glossary::{Entry, Glossary, Recognizer, TermType, formats};
use dragoman::lang::Lang;
use dragoman::pair::{ArticlePair, PairOptions};
use dragoman::segment::read_presegmented;

#[path = "common/rng.rs"]
mod rng;
use rng::Rng;

#[path = "common/allocator.rs"]
mod allocator;

const SENTENCES: usize = 10_000;
const ENTRIES: usize = 5_000;

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
    let args: Vec<String> = std::env::args().collect();
    if let Some(at) = args.iter().position(|a| a == "--hostile-case") {
        hostile_case(args.get(at + 1).map_or("", String::as_str));
        return;
    }
    if args.iter().any(|a| a == "--false-alarms") {
        false_alarms();
        return;
    }
    if args.iter().any(|a| a == "--hostile") {
        hostile();
        return;
    }
    if std::env::args().any(|a| a == "--align") {
        align_with_anchors();
        return;
    }
    if std::env::args().any(|a| a == "--acceptance") {
        acceptance();
        return;
    }
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

fn repo(relative: &str) -> std::path::PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join(relative)
}

/// Every line-aligned document of a fixture corpus, as the align bench
/// reads them, cut into the same generated articles.
fn synth_cases(corpus: &str) -> Vec<synth::SynthCase> {
    let dir = repo(&format!("tests/fixtures/{corpus}/docs"));
    let mut names: Vec<String> = std::fs::read_dir(&dir)
        .expect("fixture corpus")
        .filter_map(|entry| entry.ok()?.file_name().to_str()?.strip_suffix(".ar").map(String::from))
        .collect();
    names.sort();
    let documents: Vec<synth::ParallelDocument> = names
        .iter()
        .filter_map(|name| {
            let read = |ext: &str| std::fs::read_to_string(dir.join(format!("{name}.{ext}"))).ok();
            synth::ParallelDocument::from_lines(&format!("{corpus}/{name}"), &read("ar")?, &read("en")?).ok()
        })
        .collect();
    synth::articles(&documents, 20, 60)
        .iter()
        .map(|d| synth::generate(d, &synth::SynthConfig::default()))
        .collect()
}

/// Aligns presegmented `source` and `target`, with the recognizer's
/// concepts as anchors when given (what `check` and `publish` do).
fn align_pair(source: &str, target: &str, anchors: Option<&Recognizer>) -> Vec<Bead> {
    let mut options = PairOptions { presegmented: true, ..PairOptions::default() };
    if let Some(recognizer) = anchors {
        options.align.terms = Some(recognizer.concept_anchors(
            &read_presegmented(source, Some(Lang::Ar)),
            &read_presegmented(target, Some(Lang::En)),
        ));
    }
    ArticlePair::build("eval", source, target, &options).expect("no beads file").alignment.beads
}

fn align_with_anchors() {
    let house = Glossary::load(&[repo("glossaries/syria.txt")]).expect("glossaries/syria.txt");
    let mut with_terms = house.entries().to_vec();
    for name in ["terminology_google_en-ar.csv", "terminology_facebook_en-ar_AR.csv"] {
        let path = repo(&format!("tests/fixtures/tico19/original/{name}"));
        let text = std::fs::read_to_string(&path).expect("tico19 terminology");
        with_terms.extend(formats::import(&text, name, formats::ExternalFormat::Csv).expect("imports"));
    }
    let glossaries = [
        ("glossaries/syria.txt", Recognizer::new(&house)),
        ("syria.txt + TICO-19 terminology", Recognizer::new(&Glossary::from_entries(with_terms))),
    ];
    println!("| test set | input | glossary | anchors found | link F1 without | link F1 with |");
    println!("|---|---|---|---:|---:|---:|");
    let percent = |x: f64| format!("{:.1}", 100.0 * x);
    // Gold beads index the generated sentences, so input is presegmented
    // (raw text would be re-segmented and not comparable).
    for corpus in ["tico19", "flores200"] {
        let cases = synth_cases(corpus);
        let mut without = synth::Counts::default();
        for case in &cases {
            let aligned = align_pair(&case.source_presegmented, &case.target_presegmented, None);
            without.add(&synth::score(&case.gold, &aligned).counts);
        }
        for (name, recognizer) in &glossaries {
            let mut with = synth::Counts::default();
            let mut anchors = 0;
            for case in &cases {
                let found = recognizer.concept_anchors(
                    &read_presegmented(&case.source_presegmented, Some(Lang::Ar)),
                    &read_presegmented(&case.target_presegmented, Some(Lang::En)),
                );
                anchors += shared_concepts(&found, &case.gold);
                let aligned =
                    align_pair(&case.source_presegmented, &case.target_presegmented, Some(recognizer));
                with.add(&synth::score(&case.gold, &aligned).counts);
            }
            println!(
                "| {corpus} ({} cases) | presegmented | {name} | {anchors} | {} | {} |",
                cases.len(),
                percent(without.links().f1),
                percent(with.links().f1)
            );
        }
    }
    let ar = std::fs::read_to_string(repo("examples/raqqa-2017/ar.sents")).expect("example");
    let en = std::fs::read_to_string(repo("examples/raqqa-2017/en.sents")).expect("example");
    let gold = dragoman::align::parse_beads(
        &std::fs::read_to_string(repo("examples/raqqa-2017/gold.align")).expect("gold"),
        "gold.align",
    )
    .expect("gold beads");
    let without = synth::score(&gold, &align_pair(&ar, &en, None)).links.f1;
    let with = synth::score(&gold, &align_pair(&ar, &en, Some(&glossaries[0].1))).links.f1;
    println!(
        "| examples/raqqa-2017 | presegmented | glossaries/syria.txt | – | {} | {} |",
        percent(without),
        percent(with)
    );
}

/// Concepts found on both sides of a gold bead: the anchors that can help.
fn shared_concepts(anchors: &dragoman::align::TermAnchors, gold: &[Bead]) -> usize {
    gold.iter()
        .map(|bead| {
            let side = |ids: &[usize], found: &[Vec<String>]| -> Vec<String> {
                ids.iter().filter_map(|&i| found.get(i)).flatten().cloned().collect()
            };
            let source = side(&bead.source, &anchors.source);
            let target = side(&bead.target, &anchors.target);
            source.iter().filter(|c| target.contains(c)).count()
        })
        .sum()
}

fn read(relative: &str) -> String {
    std::fs::read_to_string(repo(relative)).unwrap_or_else(|e| panic!("{relative}: {e}"))
}

fn tsv_rows(relative: &str) -> Vec<Vec<String>> {
    read(relative)
        .lines()
        .filter(|l| !l.trim().is_empty() && !l.starts_with('#'))
        .map(|l| l.split('\t').map(str::to_string).collect())
        .collect()
}

/// The example with gold sentences and beads and the given English.
fn gold_pair(english: &str) -> ArticlePair {
    let beads =
        dragoman::align::parse_beads(&read("examples/raqqa-2017/gold.align"), "gold.align").expect("gold");
    let options = PairOptions { presegmented: true, beads: Some(beads), ..PairOptions::default() };
    ArticlePair::build("raqqa-2017", &read("examples/raqqa-2017/ar.sents"), &read(english), &options)
        .expect("gold beads fit")
}

fn acceptance() {
    let house = Recognizer::new(&Glossary::load(&[repo("glossaries/syria.txt")]).expect("syria.txt"));
    let test =
        Recognizer::new(&Glossary::load(&[repo("tests/fixtures/check/house.txt")]).expect("house.txt"));
    let options = CheckOptions::default();
    let summary =
        |r: &check::Report| format!("{} / {} / {}", r.summary.error, r.summary.warning, r.summary.info);

    println!("| test | glossary | result |");
    println!("|---|---|---|");
    // The example as `check` runs it: built-in segmentation and alignment.
    let mut options_pair = PairOptions::default();
    let (ar, en) = (read("examples/raqqa-2017/ar.txt"), read("examples/raqqa-2017/en.txt"));
    let split = |text: &str| options_pair.segmenter.segment(text, None);
    options_pair.align.terms = Some(house.concept_anchors(&split(&ar), &split(&en)));
    let pair = ArticlePair::build("raqqa-2017", &ar, &en, &options_pair).expect("pair");
    let report = check::run_checks(&pair, &house, &options);
    let interfax =
        report.findings.iter().any(|f| f.check == check::CheckId::TermNearMiss && f.surface == "إنترفاكاس");
    println!(
        "| examples/raqqa-2017 (ar.txt, en.txt; errors / warnings / info) | syria.txt | {}; `إنترفاكاس` near miss of Interfax: {} |",
        summary(&report),
        if interfax { "reported" } else { "MISSING" }
    );
    for finding in &report.findings {
        println!(
            "| ↳ bead {} | | {} {}: {} |",
            finding.bead.unwrap_or(0),
            finding.severity.name(),
            finding.check,
            finding.message.replace('|', "/")
        );
    }

    let manifest = tsv_rows("tests/fixtures/check/planted/MANIFEST.tsv");
    let planted: std::collections::BTreeSet<&str> =
        manifest.iter().filter_map(|m| m[3].split(':').next()).filter(|n| *n != "0").collect();
    for (name, recognizer) in [("tests/fixtures/check/house.txt", &test), ("syria.txt", &house)] {
        let report =
            check::run_checks(&gold_pair("tests/fixtures/check/planted/en.sents"), recognizer, &options);
        let key = dragoman::normalize::match_key;
        let matches = |f: &check::Finding, m: &Vec<String>| {
            f.bead.map(|b| b.to_string()) == Some(m[0].clone())
                && f.check.id() == m[1]
                && key(&f.surface) == key(&m[2])
        };
        let found = manifest.iter().filter(|m| report.findings.iter().any(|f| matches(f, m))).count();
        let unexpected = report
            .findings
            .iter()
            .filter(|f| f.severity == check::Severity::Error && !manifest.iter().any(|m| matches(f, m)))
            .count();
        println!(
            "| planted-error edition ({} planted errors, {} expected findings) | {name} | {found}/{} expected findings; {unexpected} other error(s); totals {} |",
            planted.len(),
            manifest.len(),
            manifest.len(),
            summary(&report)
        );
    }

    let forms = tsv_rows("tests/fixtures/check/surface-forms.tsv");
    let recognized = forms
        .iter()
        .filter(|row| {
            let found = test.find_arabic(&row[0]);
            if row[3] == "none" {
                found.is_empty()
            } else {
                found.iter().any(|m| test.entries()[m.entry].source == row[2] && m.surface == row[1])
            }
        })
        .count();
    println!(
        "| Arabic surface forms (clitics, tatweel, quotes, variants, multiword, derived) | house.txt | {recognized}/{} recognized |",
        forms.len()
    );
    let lookalikes = tsv_rows("tests/fixtures/check/lookalikes.tsv");
    let wrong = lookalikes
        .iter()
        .filter(|row| test.find_arabic(&row[0]).iter().any(|m| test.entries()[m.entry].source == row[1]))
        .count();
    println!(
        "| Arabic look-alikes that must not match | house.txt | {wrong}/{} wrongly matched |",
        lookalikes.len()
    );
}

/// The former worst cases of issue #20, by name: what each generates and
/// which command's work it runs.
const HOSTILE: &[(&str, &str, &str)] = &[
    (
        "long-term-100k",
        "a glossary with one 100 KB term (one TSV line)",
        "check, publish, ingest, align, tm add (loading)",
    ),
    ("long-term-20m", "a glossary with one 20 MB term", "check, publish, ingest, align, tm add (loading)"),
    ("terms-over-limit", "4,000 terms of 1 KB (4 MB of patterns)", "check (loading)"),
    ("terms-at-limit", "2,000 terms of 1 KB (2 MB of patterns, the limit)", "check (loading)"),
    (
        "variants-100k",
        "one entry with 100k Arabic variants, 100k accepted and 100k forbidden forms",
        "check (load + a 100-bead article)",
    ),
    ("variants-100k-lint", "the same entry", "glossary lint"),
    ("tbx-40k", "TBX 2008 with 40,000 entries", "glossary import"),
    (
        "lint-conflicts-4000",
        "4,000 entries approving X, then 4,000 forbidding X",
        "glossary lint, glossary import",
    ),
    (
        "abbreviations-paragraph",
        "one paragraph of `Mr. Dr. U.S. e.g.` × 40k (920 KB) against `الولايات المتحدة` × 40k",
        "check (syria.txt)",
    ),
    ("names-numbers-paragraph", "one paragraph of names and numbers, 2.3 MB a side", "check (syria.txt)"),
    ("numbers-10m", "10 MB of numbers a side, every one different", "check"),
];

fn hostile() {
    let exe = std::env::current_exe().expect("the bench binary");
    println!("| input (generated) | command | time | peak RSS | result |");
    println!("|---|---|---:|---:|---|");
    for (name, input, command) in HOSTILE {
        let output = std::process::Command::new(&exe).args(["--hostile-case", name]).output();
        let row = match output {
            Ok(out) if out.status.success() => String::from_utf8_lossy(&out.stdout).trim().to_string(),
            Ok(out) => format!("| – | – | failed: {} |", out.status),
            Err(e) => format!("| – | – | could not run: {e} |"),
        };
        println!("| {input} | {command} {row}");
    }
}

/// Peak resident memory of this process so far (VmHWM), in MB.
fn peak_rss_mb() -> f64 {
    let status = std::fs::read_to_string("/proc/self/status").unwrap_or_default();
    status
        .lines()
        .find_map(|l| l.strip_prefix("VmHWM:"))
        .and_then(|v| v.trim().trim_end_matches("kB").trim().parse::<f64>().ok())
        .map_or(f64::NAN, |kb| kb / 1024.0)
}

/// One article of a single bead: `source` and `target` as one sentence each.
fn one_bead(source: &str, target: &str) -> ArticlePair {
    let beads = vec![Bead { source: vec![0], target: vec![0], confidence: 1.0, evidence: Vec::new() }];
    ArticlePair {
        name: "hostile".into(),
        source_text: source.to_string(),
        target_text: target.to_string(),
        source: read_presegmented(source, None),
        target: read_presegmented(target, None),
        alignment: Alignment { beads, warnings: Vec::new() },
    }
}

fn repeat_to(piece: &str, bytes: usize) -> String {
    piece.repeat(bytes.div_ceil(piece.len()))
}

fn check_summary(report: &check::Report) -> String {
    format!(
        "{} findings ({} errors, {} warnings)",
        report.findings.len(),
        report.summary.error,
        report.summary.warning
    )
}

fn refused_or_built(result: Result<Recognizer, dragoman::glossary::GlossaryError>) -> String {
    match result {
        Ok(_) => "built".to_string(),
        Err(e) => {
            let message = e.to_string();
            let short: String = message.chars().take(90).collect();
            format!("refused: {}", short.replace('|', "/"))
        }
    }
}

/// Runs one worst case and prints `| time | peak RSS | result |`.
fn hostile_case(name: &str) {
    let started = Instant::now();
    let result = match name {
        "long-term-100k" | "long-term-20m" => {
            let bytes = if name == "long-term-100k" { 100_000 } else { 20_000_000 };
            let text = format!("{}\tRaqqa\n", repeat_to("الرقة ", bytes));
            let loaded = Glossary::parse(&text, "long.txt").expect("parses");
            refused_or_built(Recognizer::try_new(&loaded))
        }
        "terms-at-limit" | "terms-over-limit" => {
            let mut rng = Rng(7);
            let count = if name == "terms-at-limit" { 2_050 } else { 4_000 };
            let entries: Vec<Entry> = (0..count)
                .map(|_| {
                    let source: String =
                        (0..80).map(|_| word(&mut rng, ARABIC_LETTERS, 5, 5)).collect::<Vec<_>>().join(" ");
                    let source: String = source.chars().take(500).collect();
                    Entry::new(&source, &capitalized(&mut rng))
                })
                .collect();
            refused_or_built(Recognizer::try_new(&Glossary::from_entries(entries)))
        }
        "variants-100k" | "variants-100k-lint" => {
            let mut rng = Rng(11);
            let mut entry = Entry::new("الرقة", "Raqqa");
            entry.variants = (0..100_000).map(|_| word(&mut rng, ARABIC_LETTERS, 6, 9)).collect();
            entry.accepted = (0..100_000).map(|_| capitalized(&mut rng)).collect();
            entry.forbidden = (0..100_000).map(|_| capitalized(&mut rng)).collect();
            let glossary = Glossary::from_entries(vec![entry.clone()]);
            if name == "variants-100k-lint" {
                let problems = dragoman::glossary::lint::lint_entries(glossary.entries());
                format!("{} problems", problems.len())
            } else {
                let recognizer = Recognizer::try_new(&glossary).expect("builds");
                let source = (0..100)
                    .map(|i| format!("قصف في الرقة و{} اليوم {i}\n", entry.variants[i]))
                    .collect::<String>();
                let target = (0..100)
                    .map(|i| format!("Shelling in {} today {i}\n", entry.forbidden[i]))
                    .collect::<String>();
                let beads = (0..100)
                    .map(|i| Bead { source: vec![i], target: vec![i], confidence: 1.0, evidence: Vec::new() })
                    .collect();
                let pair = ArticlePair {
                    name: "variants".into(),
                    source_text: source.clone(),
                    target_text: target.clone(),
                    source: read_presegmented(&source, None),
                    target: read_presegmented(&target, None),
                    alignment: Alignment { beads, warnings: Vec::new() },
                };
                check_summary(&check::run_checks(&pair, &recognizer, &CheckOptions::default()))
            }
        }
        "tbx-40k" => {
            let mut rng = Rng(13);
            let entries: Vec<Entry> = (0..40_000)
                .map(|_| Entry::new(&word(&mut rng, ARABIC_LETTERS, 4, 8), &capitalized(&mut rng)))
                .collect();
            let tbx = formats::export(&entries, formats::ExternalFormat::Tbx2008);
            let started = Instant::now();
            let imported =
                formats::import(&tbx, "big.tbx", formats::ExternalFormat::Tbx2008).expect("imports");
            let problems = dragoman::glossary::lint::lint_entries(&imported);
            format!(
                "{} entries, {} lint problems ({:.1} MB of TBX; import alone {:.1} s)",
                imported.len(),
                problems.len(),
                tbx.len() as f64 / 1e6,
                started.elapsed().as_secs_f64()
            )
        }
        "lint-conflicts-4000" => {
            let mut text = String::new();
            for i in 0..4_000 {
                text.push_str(&format!("داريا{i}\tDarayya\n"));
            }
            for i in 0..4_000 {
                text.push_str(&format!("الدرعية{i}\tal-Diriyah\t\t\t\tDarayya\n"));
            }
            let entries = dragoman::glossary::native::parse_all(&text, "conflicts.txt").entries;
            let problems = dragoman::glossary::lint::lint_entries(&entries);
            let bytes: usize = problems.iter().map(|p| p.message.len()).sum();
            format!("{} warnings, {:.1} MB of messages", problems.len(), bytes as f64 / 1e6)
        }
        "abbreviations-paragraph" | "names-numbers-paragraph" | "numbers-10m" => {
            let (source, target) = match name {
                "abbreviations-paragraph" => (
                    repeat_to("قال مسؤول في الولايات المتحدة ", 40_000 * 30),
                    "Mr. Dr. U.S. e.g. ".repeat(40_000),
                ),
                "names-numbers-paragraph" => (
                    repeat_to("قتل 25 في الرقة و١٬٥٠٠ في حمص بيد داعش و 3.5 كم ", 2_300_000),
                    repeat_to("25 killed in Raqqa, 1,500 in Homs by ISIS, 3.5 km, 26 in Rakka ", 2_300_000),
                ),
                _ => {
                    let numbers = |offset: usize| {
                        let mut text = String::new();
                        let mut i = offset;
                        while text.len() < 10_000_000 {
                            text.push_str(&format!("{i} "));
                            i += 2;
                        }
                        text
                    };
                    (numbers(1_000_000), numbers(1_000_001))
                }
            };
            let glossary = if name == "numbers-10m" {
                Glossary::default()
            } else {
                Glossary::load(&[repo("glossaries/syria.txt")]).expect("syria.txt")
            };
            let recognizer = Recognizer::try_new(&glossary).expect("builds");
            let pair = one_bead(&source, &target);
            check_summary(&check::run_checks(&pair, &recognizer, &CheckOptions::default()))
        }
        other => format!("unknown case `{other}`"),
    };
    println!("| {:.2} s | {:.0} MB | {result} |", started.elapsed().as_secs_f64(), peak_rss_mb());
}

/// The line-aligned documents of a fixture corpus, as (name, Arabic, English).
fn line_aligned(corpus: &str) -> Vec<(String, String, String)> {
    let dir = repo(&format!("tests/fixtures/{corpus}/docs"));
    let mut names: Vec<String> = std::fs::read_dir(&dir)
        .expect("fixture corpus")
        .filter_map(|entry| entry.ok()?.file_name().to_str()?.strip_suffix(".ar").map(String::from))
        .collect();
    names.sort();
    names
        .into_iter()
        .filter_map(|name| {
            let read = |ext: &str| std::fs::read_to_string(dir.join(format!("{name}.{ext}"))).ok();
            Some((name.clone(), read("ar")?, read("en")?))
        })
        .collect()
}

/// A document checked with its lines as gold beads.
fn gold_lines(name: &str, ar: &str, en: &str) -> ArticlePair {
    let lines = ar.lines().count().min(en.lines().count());
    let keep = |text: &str| text.lines().take(lines).map(|l| format!("{}\n", l.trim())).collect::<String>();
    let (ar, en) = (keep(ar), keep(en));
    let beads = (0..lines)
        .map(|i| Bead { source: vec![i], target: vec![i], confidence: 1.0, evidence: Vec::new() })
        .collect();
    let options = PairOptions { presegmented: true, beads: Some(beads), ..PairOptions::default() };
    ArticlePair::build(name, &ar, &en, &options).expect("line-aligned")
}

/// The English with one number changed: the first target line whose first
/// ASCII number also appears in the Arabic line (after digit folding), with
/// its last digit changed. Returns the line and the new number.
fn plant_number(ar: &str, en: &str) -> Option<(String, usize, String)> {
    let fold = |c: char| match c {
        '٠'..='٩' => char::from_digit(c as u32 - '٠' as u32, 10).unwrap_or(c),
        _ => c,
    };
    let ar_lines: Vec<String> = ar.lines().map(|l| l.chars().map(fold).collect()).collect();
    let mut lines: Vec<String> = en.lines().map(str::to_string).collect();
    for (i, line) in lines.iter_mut().enumerate() {
        let Some(arabic) = ar_lines.get(i) else { break };
        let Some(start) = line.find(|c: char| c.is_ascii_digit()) else { continue };
        if line[..start].chars().next_back().is_some_and(char::is_alphabetic) {
            continue;
        }
        let len = line[start..].find(|c: char| !c.is_ascii_digit()).unwrap_or(line.len() - start);
        let number = &line[start..start + len];
        if !arabic.contains(number) {
            continue;
        }
        let last = number.as_bytes()[len - 1] - b'0';
        let changed = format!("{}{}", &number[..len - 1], (last + 3) % 10);
        line.replace_range(start..start + len, &changed);
        return Some((lines.join("\n") + "\n", i, changed));
    }
    None
}

fn false_alarms() {
    let house = Recognizer::new(&Glossary::load(&[repo("glossaries/syria.txt")]).expect("syria.txt"));
    let options = CheckOptions::default();
    println!(
        "| corpus | documents (sentence pairs) | errors by check | documents with an error | warnings | planted number errors found (as errors) |"
    );
    println!("|---|---:|---|---:|---:|---:|");
    for corpus in ["flores200", "tico19"] {
        let documents = line_aligned(corpus);
        let mut errors: std::collections::BTreeMap<&str, usize> = std::collections::BTreeMap::new();
        let (mut with_error, mut warnings, mut sentences) = (0, 0, 0);
        let (mut planted, mut found, mut found_as_error) = (0, 0, 0);
        for (name, ar, en) in &documents {
            let pair = gold_lines(name, ar, en);
            sentences += pair.alignment.beads.len();
            let report = check::run_checks(&pair, &house, &options);
            let mut any = false;
            for finding in &report.findings {
                // `--list`: every error and warning on stderr, to read them.
                if std::env::args().any(|a| a == "--list") && finding.severity != check::Severity::Info {
                    eprintln!(
                        "{corpus}/{name} bead {:?} {} {}: {}",
                        finding.bead, finding.severity, finding.check, finding.message
                    );
                }
                match finding.severity {
                    check::Severity::Error => {
                        *errors.entry(finding.check.id()).or_default() += 1;
                        any = true;
                    }
                    check::Severity::Warning => warnings += 1,
                    check::Severity::Info => {}
                }
            }
            with_error += usize::from(any);
            if let Some((planted_en, line, changed)) = plant_number(ar, en) {
                planted += 1;
                let report = check::run_checks(&gold_lines(name, ar, &planted_en), &house, &options);
                let hit = report.findings.iter().find(|f| {
                    f.check == check::CheckId::NumberMismatch
                        && f.bead == Some(line)
                        && f.surface.contains(&changed)
                });
                if std::env::args().any(|a| a == "--list")
                    && hit.is_none_or(|f| f.severity != check::Severity::Error)
                {
                    eprintln!(
                        "{corpus}/{name} bead {line} planted `{changed}`: {}",
                        hit.map_or("not found".to_string(), |f| format!("{}: {}", f.severity, f.message))
                    );
                }
                found += usize::from(hit.is_some());
                found_as_error += usize::from(hit.is_some_and(|f| f.severity == check::Severity::Error));
            }
        }
        let listed: Vec<String> = errors.iter().map(|(id, n)| format!("{n} `{id}`")).collect();
        println!(
            "| {corpus} | {} ({sentences}) | {} | {with_error} | {warnings} | {found}/{planted} ({found_as_error} as errors) |",
            documents.len(),
            if listed.is_empty() { "0".to_string() } else { listed.join(", ") }
        );
    }
}
