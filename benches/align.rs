//! Alignment figures, printed as markdown.
//!
//! `cargo bench --bench align`: speed and memory on long generated pairs
//! (a 10,000-sentence pair must align in ≤ 0.5 s).
//! `cargo bench --bench align -- --eval`: accuracy on the generated test
//! cases and the bundled example, and how well confidence separates right
//! from wrong beads (`--verbose` prints the wrong beads with their text to
//! stderr; `--presegmented-only` skips the raw-text rows; `--freer-only`
//! runs only the freer-translation rows, where `--verbose` also prints a
//! tally of the kinds of link errors). scripts/eval/20-align.sh prints both.
//! `--dictionary FILE` (repeatable) adds rows aligned with that word list
//! (see scripts/install-dictionary.sh).
//! `cargo bench --bench align -- --rows 10000,13400`: only the speed rows
//! of those line counts (for profiling).

use std::path::Path;
use std::sync::Arc;
use std::time::Instant;

use dragoman::align::synth::{self, Counts, ParallelDocument, SynthCase, SynthConfig};
use dragoman::align::{self, AlignOptions, Bead, DEFAULT_MIN_CONFIDENCE, Dictionary};
use dragoman::lang::Lang;
use dragoman::pair::{ArticlePair, PairOptions};
use dragoman::segment;

#[path = "common/allocator.rs"]
mod allocator;

fn main() {
    let args: Vec<String> = std::env::args().collect();
    let files: Vec<&String> =
        args.windows(2).filter(|pair| pair[0] == "--dictionary").map(|pair| &pair[1]).collect();
    let dictionary = (!files.is_empty()).then(|| {
        let mut dictionary = Dictionary::new();
        for file in &files {
            let bytes = std::fs::read(file).unwrap_or_else(|e| panic!("{file}: {e}"));
            dictionary.add_bytes(&bytes, file).unwrap_or_else(|e| panic!("{e}"));
        }
        Arc::new(dictionary)
    });
    if args.iter().any(|a| a == "--freer-only") {
        freer_translations(dictionary.as_ref(), args.iter().any(|a| a == "--verbose"));
    } else if args.iter().any(|a| a == "--eval") {
        evaluate(
            args.iter().any(|a| a == "--verbose"),
            args.iter().any(|a| a == "--presegmented-only"),
            dictionary,
        );
    } else {
        let rows = args.iter().position(|a| a == "--rows").and_then(|k| args.get(k + 1));
        let rows: Option<Vec<usize>> =
            rows.map(|list| list.split(',').filter_map(|n| n.parse().ok()).collect());
        speed(rows.as_deref(), dictionary);
    }
}

fn repo(relative: &str) -> std::path::PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join(relative)
}

/// Every line-aligned document of a fixture corpus, in name order.
fn load_corpus(corpus: &str) -> Vec<ParallelDocument> {
    let dir = repo(&format!("tests/fixtures/{corpus}/docs"));
    let mut names: Vec<String> = std::fs::read_dir(&dir)
        .unwrap_or_else(|e| panic!("{}: {e}", dir.display()))
        .filter_map(|entry| entry.ok()?.file_name().to_str()?.strip_suffix(".ar").map(String::from))
        .collect();
    names.sort();
    names
        .iter()
        .map(|name| {
            let read = |ext: &str| std::fs::read_to_string(dir.join(format!("{name}.{ext}"))).unwrap();
            ParallelDocument::from_lines(&format!("{corpus}/{name}"), &read("ar"), &read("en")).unwrap()
        })
        .collect()
}

fn cases(corpus: &str) -> Vec<SynthCase> {
    synth::articles(&load_corpus(corpus), 20, 60)
        .iter()
        .map(|document| synth::generate(document, &SynthConfig::default()))
        .collect()
}

struct Tally {
    counts: Counts,
    points: Vec<(f64, bool)>,
    cases: usize,
    sentences: usize,
    /// Cases whose search had to be widened (a warning says so).
    widened: usize,
    /// The smallest share of a case's sentences in non-null beads.
    least_linked: f64,
    /// With `verbose`: gold beads by shape and what became of them.
    errors: std::collections::BTreeMap<String, usize>,
}

/// What became of each gold bead: found exactly, its source sentence left
/// out, paired with some of its targets (a 1-N split wrongly), or paired
/// with none of them (the path drifted off by a sentence or more). Keyed
/// by the gold bead's shape.
fn classify(gold: &[Bead], predicted: &[Bead], into: &mut std::collections::BTreeMap<String, usize>) {
    let mut by_source = std::collections::HashMap::new();
    let mut by_target = std::collections::HashMap::new();
    for bead in predicted {
        for &i in &bead.source {
            by_source.insert(i, bead);
        }
        for &j in &bead.target {
            by_target.insert(j, bead);
        }
    }
    for bead in gold {
        let shape = format!("{}-{}", bead.source.len(), bead.target.len().min(4));
        let found = match (bead.source.first(), bead.target.first()) {
            (Some(i), _) => by_source[i],
            (None, Some(j)) => by_target[j],
            (None, None) => continue,
        };
        let class = if found.source == bead.source && found.target == bead.target {
            "right".to_string()
        } else if bead.is_null() {
            format!("linked as {}-{}", found.source.len(), found.target.len())
        } else if found.is_null() {
            "left out".to_string()
        } else if found.target.iter().any(|j| bead.target.contains(j)) {
            format!("partly, as {}-{}", found.source.len(), found.target.len())
        } else {
            "drift".to_string()
        };
        *into.entry(format!("{shape} {class}")).or_default() += 1;
    }
}

fn run_cases(
    cases: &[SynthCase],
    presegmented: bool,
    dictionary: Option<&Arc<Dictionary>>,
    verbose: bool,
) -> Tally {
    let align = AlignOptions { dictionary: dictionary.cloned(), ..AlignOptions::default() };
    let options = PairOptions { presegmented, align, ..PairOptions::default() };
    let mut tally = Tally {
        counts: Counts::default(),
        points: Vec::new(),
        cases: 0,
        sentences: 0,
        widened: 0,
        least_linked: 1.0,
        errors: Default::default(),
    };
    for case in cases {
        let (source, target) = if presegmented {
            (&case.source_presegmented, &case.target_presegmented)
        } else {
            (&case.source_text, &case.target_text)
        };
        let pair = ArticlePair::build(&case.name, source, target, &options).expect("no beads file given");
        let beads = if presegmented {
            pair.alignment.beads.clone()
        } else {
            synth::project(&pair.alignment.beads, &pair.source, &pair.target, case)
        };
        let scores = synth::score(&case.gold, &beads);
        if verbose && scores.strict.f1 < 1.0 {
            print_errors(case, &beads, &scores.correct);
            classify(&case.gold, &beads, &mut tally.errors);
        }
        tally.counts.add(&scores.counts);
        tally.points.extend(beads.iter().map(|b| b.confidence).zip(scores.correct));
        tally.cases += 1;
        tally.sentences += pair.source.len() + pair.target.len();
        tally.widened += usize::from(pair.alignment.warnings.iter().any(|w| w.contains("widen its search")));
        let linked: usize =
            (beads.iter().filter(|b| !b.is_null())).map(|b| b.source.len() + b.target.len()).sum();
        let all = case.gold.iter().map(|b| b.source.len() + b.target.len()).sum::<usize>();
        tally.least_linked = tally.least_linked.min(linked as f64 / all.max(1) as f64);
    }
    tally
}

fn print_errors(case: &SynthCase, predicted: &[Bead], correct: &[bool]) {
    let gold: Vec<String> = case.gold.iter().map(|b| format!("{:?}-{:?}", b.source, b.target)).collect();
    eprintln!("== {}", case.name);
    for (bead, &right) in predicted.iter().zip(correct) {
        if !right {
            eprintln!(
                "  wrong {:?}-{:?} conf {:.3} ev {}",
                bead.source,
                bead.target,
                bead.confidence,
                bead.evidence.len()
            );
        }
    }
    let predicted: std::collections::HashSet<String> =
        predicted.iter().map(|b| format!("{:?}-{:?}", b.source, b.target)).collect();
    let src: Vec<&str> = case.source_presegmented.lines().filter(|l| !l.is_empty()).collect();
    let tgt: Vec<&str> = case.target_presegmented.lines().filter(|l| !l.is_empty()).collect();
    for (g, bead) in gold.iter().zip(&case.gold).filter(|(g, _)| !predicted.contains(*g)) {
        eprintln!("  missed {g}");
        if std::env::var("SHOWTEXT").is_ok() {
            for &i in &bead.source {
                eprintln!(
                    "     AR{i} ({}) {}",
                    src[i].chars().filter(|c| !c.is_whitespace()).count(),
                    src[i]
                );
            }
            for &j in &bead.target {
                eprintln!(
                    "     EN{j} ({}) {}",
                    tgt[j].chars().filter(|c| !c.is_whitespace()).count(),
                    tgt[j]
                );
            }
        }
    }
}

fn percent(x: f64) -> String {
    format!("{:.1}", 100.0 * x)
}

fn evaluate(verbose: bool, presegmented_only: bool, dictionary: Option<Arc<Dictionary>>) {
    println!("### Sentence alignment: accuracy\n");
    let raqqa = raqqa_presegmented(None);
    println!(
        "`examples/raqqa-2017` (gold segmentation, `--presegmented`): {}/{} gold beads exact.\n",
        raqqa.0, raqqa.1
    );
    if let Some(dictionary) = &dictionary {
        let raqqa = raqqa_presegmented(Some(dictionary));
        println!(
            "With the dictionary (`--dictionary`, {} Arabic words: FreeDict ara-eng as \
             `scripts/install-dictionary.sh` converts it): raqqa-2017 {}/{} gold beads exact; rows \
             \"presegmented + dictionary\" below. The weights were tuned on these same generated cases \
             (they are the only test sets).\n",
            dictionary.len(),
            raqqa.0,
            raqqa.1
        );
    }
    let config = SynthConfig::default();
    println!(
        "Generated cases (`align::synth`, seed {}): articles of 20–60 sentence pairs from `tests/fixtures/tico19` and \
         `tests/fixtures/flores200`; per bead, {}% of Arabic runs of 2–4 sentences joined with `، و` (1-N), {}% English \
         pairs joined with `; ` (2-1), {}%/{}% Arabic/English sentences dropped, paragraph breaks after {}% of beads \
         (plus {}% on one side only). Strict = exact beads, null beads included; links = sentence pairs. \
         Raw-text rows segment the running text (a paragraph's sentences joined by a space) with the built-in \
         rules first and are scored over the gold sentences each segment covers (`synth::project`), so they \
         measure both steps; the fixtures' lines are sometimes several sentences and tico19's chat lines start \
         in lower case, which the segmenter rightly does not split.\n",
        config.seed,
        percent(config.join_source),
        percent(config.join_target),
        percent(config.drop_source),
        percent(config.drop_target),
        percent(config.paragraph_break),
        percent(config.one_sided_break),
    );
    println!(
        "| corpus | input | cases | sentences | strict P | strict R | strict F1 | link P | link R | link F1 |"
    );
    println!("|---|---|---:|---:|---:|---:|---:|---:|---:|---:|");
    let mut all_points = Vec::new();
    let mut dictionary_points = Vec::new();
    for corpus in ["tico19", "flores200"] {
        let cases = cases(corpus);
        // `--presegmented-only`: half the time, for tuning.
        let mut inputs: Vec<(bool, Option<&Arc<Dictionary>>)> = vec![(true, None)];
        if !presegmented_only {
            inputs.push((false, None));
        }
        if let Some(dictionary) = &dictionary {
            inputs.push((true, Some(dictionary)));
        }
        for (presegmented, dictionary) in inputs {
            let tally = run_cases(&cases, presegmented, dictionary, verbose && presegmented);
            let (strict, links) = (tally.counts.strict(), tally.counts.links());
            let input = match (presegmented, dictionary.is_some()) {
                (true, false) => "presegmented",
                (false, _) => "raw text",
                (true, true) => "presegmented + dictionary",
            };
            println!(
                "| {corpus} | {input} | {} | {} | {} | {} | **{}** | {} | {} | **{}** |",
                tally.cases,
                tally.sentences,
                percent(strict.precision),
                percent(strict.recall),
                percent(strict.f1),
                percent(links.precision),
                percent(links.recall),
                percent(links.f1),
            );
            if tally.widened > 0 {
                eprintln!("{corpus} {input}: {} cases needed the widened search", tally.widened);
            }
            if dictionary.is_some() {
                dictionary_points.extend(tally.points);
            } else if presegmented {
                all_points.extend(tally.points);
            }
        }
    }
    println!();
    if !dictionary_points.is_empty() {
        let auroc = synth::auroc(&dictionary_points).map_or("n/a".to_string(), |a| format!("{a:.3}"));
        let wrong = dictionary_points.iter().filter(|p| !p.1).count();
        println!(
            "With the dictionary: {} beads, {wrong} wrong, confidence AUROC **{auroc}** (the figures below are \
             without it).\n",
            dictionary_points.len()
        );
    }
    let wrong = all_points.iter().filter(|p| !p.1).count();
    let auroc = synth::auroc(&all_points).map_or("n/a".to_string(), |a| format!("{a:.3}"));
    let kept: Vec<&(f64, bool)> = all_points.iter().filter(|p| p.0 >= DEFAULT_MIN_CONFIDENCE).collect();
    let kept_right = kept.iter().filter(|p| p.1).count();
    let flagged_wrong = wrong - (kept.len() - kept_right);
    println!(
        "Confidence (presegmented cases, {} beads, {} wrong): AUROC **{auroc}**; beads at or above the default \
         `--min-confidence` {DEFAULT_MIN_CONFIDENCE}: {} of {} ({}%), of which {}% are right; the {} flagged beads \
         hold {} of the {} wrong ones.",
        all_points.len(),
        wrong,
        kept.len(),
        all_points.len(),
        percent(kept.len() as f64 / all_points.len().max(1) as f64),
        percent(kept_right as f64 / kept.len().max(1) as f64),
        all_points.len() - kept.len(),
        flagged_wrong,
        wrong,
    );
    println!();
    println!("| `--min-confidence` | beads flagged | wrong beads among them | right beads above |");
    println!("|---:|---:|---:|---:|");
    for threshold in [0.3, 0.5, 0.7, 0.9] {
        let flagged = all_points.iter().filter(|p| p.0 < threshold).count();
        let flagged_wrong = all_points.iter().filter(|p| p.0 < threshold && !p.1).count();
        let above = all_points.len() - flagged;
        let above_right = all_points.iter().filter(|p| p.0 >= threshold && p.1).count();
        println!(
            "| {threshold} | {} ({}%) | {} of {wrong} ({}%) | {}% |",
            flagged,
            percent(flagged as f64 / all_points.len().max(1) as f64),
            flagged_wrong,
            percent(flagged_wrong as f64 / wrong.max(1) as f64),
            percent(above_right as f64 / above.max(1) as f64),
        );
    }
    println!();
    println!("| confidence | beads | right |");
    println!("|---|---:|---:|");
    for (low, high) in [(0.0, 0.3), (0.3, 0.5), (0.5, 0.7), (0.7, 0.9), (0.9, 0.99), (0.99, 1.01)] {
        let bucket: Vec<_> = all_points.iter().filter(|p| p.0 >= low && p.0 < high).collect();
        let right = bucket.iter().filter(|p| p.1).count();
        println!(
            "| {low:.2}–{} | {} | {}% |",
            if high > 1.0 { "1".to_string() } else { format!("{high:.2}") },
            bucket.len(),
            if bucket.is_empty() { "–".to_string() } else { percent(right as f64 / bucket.len() as f64) }
        );
    }
    freer_translations(dictionary.as_ref(), false);
}

/// Issue #15: single-paragraph documents of about 100 Arabic against 200
/// English sentences, the Arabic often rendered as 2–4 English sentences,
/// every English sentence paraphrased (`SynthConfig::freer`).
fn freer_translations(dictionary: Option<&Arc<Dictionary>>, verbose: bool) {
    println!();
    println!(
        "### Sentence alignment: freer translations
"
    );
    println!(
        "Generated cases (`SynthConfig::freer`, seed 2017): articles of 180–200 line pairs of both corpora as \
         one paragraph each; the given share of Arabic sentences are run-ons of 2–4 that the English renders as \
         separate sentences, 3% English pairs joined, 3%/3% sentences dropped, and every English sentence \
         paraphrased (numbers and capitalized words left out, a fifth of the other words dropped or repeated, \
         two times in five a phrase such as \"In other words,\" added). \"Least linked\" is the smallest share \
         of a case's sentences in non-null beads; \"widened\": cases where the plain beam lost every path and \
         the guided one was used (with a warning).\n"
    );
    println!(
        "| 1-N share | input | cases | sentences | strict F1 | link P | link R | link F1 | least linked | widened | AUROC |"
    );
    println!("|---:|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|");
    for one_to_many in [0.5, 0.8] {
        let mut documents = load_corpus("tico19");
        documents.extend(load_corpus("flores200"));
        let cases: Vec<SynthCase> = synth::articles(&documents, 180, 200)
            .iter()
            .map(|document| synth::generate(document, &SynthConfig::freer(one_to_many)))
            .collect();
        let mut inputs: Vec<Option<&Arc<Dictionary>>> = vec![None];
        inputs.extend(dictionary.map(Some));
        for dictionary in inputs {
            let tally = run_cases(&cases, true, dictionary, verbose);
            let (strict, links) = (tally.counts.strict(), tally.counts.links());
            if verbose {
                eprintln!("{}% 1-N: {:?}", percent(one_to_many), tally.errors);
            }
            let auroc = synth::auroc(&tally.points).map_or("n/a".to_string(), |a| format!("{a:.3}"));
            println!(
                "| {}% | {} | {} | {} | {} | {} | {} | **{}** | {}% | {} | {auroc} |",
                percent(one_to_many),
                if dictionary.is_some() { "presegmented + dictionary" } else { "presegmented" },
                tally.cases,
                tally.sentences,
                percent(strict.f1),
                percent(links.precision),
                percent(links.recall),
                percent(links.f1),
                percent(tally.least_linked),
                tally.widened,
            );
        }
    }
}

/// (exact gold beads, gold beads) on the bundled example.
fn raqqa_presegmented(dictionary: Option<&Arc<Dictionary>>) -> (usize, usize) {
    let read = |name: &str| std::fs::read_to_string(repo(&format!("examples/raqqa-2017/{name}"))).unwrap();
    let gold = align::parse_beads(&read("gold.align"), "gold.align").unwrap();
    let source = segment::read_presegmented(&read("ar.sents"), Some(Lang::Ar));
    let target = segment::read_presegmented(&read("en.sents"), Some(Lang::En));
    let options = AlignOptions { dictionary: dictionary.cloned(), ..AlignOptions::default() };
    let alignment = align::align(&source, &target, &options);
    let scores = synth::score(&gold, &alignment.beads);
    (scores.counts.beads_right, gold.len())
}

/// Each speed row aligns its pair this many times and reports the median.
const REPEATS: usize = 5;

/// User and system CPU time of this process so far, all threads (Linux:
/// `/proc/self/stat`, in clock ticks of 1/100 s).
fn cpu_seconds() -> f64 {
    let stat = std::fs::read_to_string("/proc/self/stat").unwrap_or_default();
    // Fields after the command name (which may hold spaces) start at state.
    let fields: Vec<&str> = stat.rsplit_once(')').map_or("", |(_, rest)| rest).split_whitespace().collect();
    let ticks = |k: usize| fields.get(k).and_then(|f| f.parse::<f64>().ok()).unwrap_or(0.0);
    (ticks(11) + ticks(12)) / 100.0
}

/// Peak resident memory of this process so far, in MiB (Linux).
fn peak_rss_mib() -> Option<f64> {
    let status = std::fs::read_to_string("/proc/self/status").ok()?;
    let line = status.lines().find(|l| l.starts_with("VmHWM:"))?;
    let kib: f64 = line.split_whitespace().nth(1)?.parse().ok()?;
    Some(kib / 1024.0)
}

/// A long pair of `lines` line pairs from the fixtures (repeated as
/// needed), through the generator (so it has 1-N beads, omissions and
/// paragraph breaks).
fn long_case(lines: usize, paragraph_break: f64) -> SynthCase {
    let mut documents = load_corpus("tico19");
    documents.extend(load_corpus("flores200"));
    let mut source = Vec::with_capacity(lines);
    let mut target = Vec::with_capacity(lines);
    'fill: loop {
        for document in &documents {
            for (s, t) in document.source.iter().zip(&document.target) {
                if source.len() == lines {
                    break 'fill;
                }
                source.push(s.clone());
                target.push(t.clone());
            }
        }
    }
    let document = ParallelDocument { name: format!("long-{lines}"), source, target };
    synth::generate(
        &document,
        &SynthConfig { paragraph_break, one_sided_break: 0.0, ..SynthConfig::default() },
    )
}

/// `only`: the line counts of the rows to run (all when `None`).
/// `dictionary`: one more row, the 10,000-line pair aligned with it.
fn speed(only: Option<&[usize]>, dictionary: Option<Arc<Dictionary>>) {
    println!("### Sentence alignment: speed and memory\n");
    println!(
        "Release build (two threads where work is independent, `align/parallel.rs`), on a shared 2-core machine (timings vary with its load); generated pairs made by \
         repeating the fixtures through the generator, so they have 1-N beads and omissions; time of \
         `align::align` only: the first run (the process's memory still cold, as for one `dragoman align`), the \
         median of {REPEATS} runs in one process, and the CPU time of both threads in the median run (it varies \
         less with the machine's other work). Peak RSS is the whole process's high-water mark (it includes the fixtures and the \
         cases generated before).\n"
    );
    println!(
        "| pair | Arabic sentences | English sentences | paragraphs | first run | time (median of {REPEATS}) | CPU time | sentences/s | strict F1 | peak RSS |"
    );
    println!("|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|");
    let rows = [
        (2_500, 0.0, "one paragraph", false),
        (5_000, 0.0, "one paragraph", false),
        (10_000, 0.0, "one paragraph", false),
        (10_000, 0.25, "paragraphs", false),
        (10_000, 0.0, "one paragraph, `--dictionary`", true),
        (13_400, 0.0, "one paragraph", false),
        (20_000, 0.0, "one paragraph", false),
    ];
    for (lines, paragraph_break, label, with_dictionary) in rows {
        if with_dictionary && dictionary.is_none() {
            continue;
        }
        if only.is_some_and(|only| !only.contains(&lines)) {
            continue;
        }
        let case = long_case(lines, paragraph_break);
        let source = segment::read_presegmented(&case.source_presegmented, Some(Lang::Ar));
        let target = segment::read_presegmented(&case.target_presegmented, Some(Lang::En));
        let paragraphs = source.last().map_or(0, |s| s.paragraph + 1);
        let options = AlignOptions {
            dictionary: if with_dictionary { dictionary.clone() } else { None },
            ..AlignOptions::default()
        };
        let mut runs: Vec<(f64, f64, align::Alignment)> = (0..REPEATS)
            .map(|_| {
                let (started, cpu_before) = (Instant::now(), cpu_seconds());
                let alignment = align::align(&source, &target, &options);
                (started.elapsed().as_secs_f64(), cpu_seconds() - cpu_before, alignment)
            })
            .collect();
        let first_run = runs[0].0;
        runs.sort_by(|a, b| a.0.total_cmp(&b.0));
        let (seconds, cpu, alignment) = runs.swap_remove(REPEATS / 2);
        let scores = synth::score(&case.gold, &alignment.beads);
        if std::env::var_os("ALIGN_DIGEST").is_some() {
            // Optimizations must not change a single bead, confidence or
            // evidence: compare this digest before and after.
            use std::hash::{Hash, Hasher};
            let mut hasher = std::collections::hash_map::DefaultHasher::new();
            for bead in &alignment.beads {
                (&bead.source, &bead.target, bead.confidence.to_bits()).hash(&mut hasher);
                bead.evidence.iter().for_each(|e| (&e.kind, &e.text).hash(&mut hasher));
            }
            eprintln!("digest {lines} {paragraph_break}: {:016x}", hasher.finish());
        }
        println!(
            "| {lines} lines, {label} | {} | {} | {paragraphs} | {first_run:.3} s | {seconds:.3} s | {cpu:.2} s | {:.0} | {:.3} | {} |",
            source.len(),
            target.len(),
            (source.len() + target.len()) as f64 / seconds,
            scores.strict.f1,
            peak_rss_mib().map_or("n/a".to_string(), |m| format!("{m:.0} MiB")),
        );
    }
}
