//! Figures of `glossary drift`, `glossary suggest` and `term-archive`
//! (issue #18), on a memory built from the fixture corpora: TICO-19 and
//! FLORES-200 (line-aligned documents, one unit a line) and the example
//! article (its gold beads). Prints markdown tables for docs/EVALUATION.md.
//!
//! - Planted drift: names the clean memory renders one way in at least 3
//!   units get one occurrence in three rewritten to a realistic variant
//!   (another transliteration, a dropped or added `al-`, a doubled
//!   consonant); `drift` must report each with both renderings. Names
//!   reported but not planted are listed on stderr (`--list`) to judge.
//! - `suggest`: the top 50 judged against the TICO-19 terminology lists,
//!   and recall of the list entries the memory pairs in at least 3 units.
//! - `term-archive` false alarms: each document checked (its lines as gold
//!   beads) against an archive of every other document.
//! - Speed: `drift` and `suggest` over a generated memory (the corpus units
//!   cycled with new document names and dates) of `--units N` (default
//!   1,000,000), units streamed from memory (storage not included); with
//!   `--tm PATH|URL`, over that memory as the commands read it (a bare
//!   read of its units first, to say what the storage costs).

use std::collections::{BTreeSet, HashMap};
use std::path::PathBuf;
use std::time::Instant;

use dragoman::align::Bead;
use dragoman::check::{self, CheckOptions};
use dragoman::glossary::formats::{self, ExternalFormat};
use dragoman::glossary::{Glossary, Recognizer, english_key};
use dragoman::memory::{Memory, MemoryLocation};
use dragoman::normalize::match_key;
use dragoman::pair::{ArticlePair, PairOptions};
use dragoman::terminology::{Archive, UnitFilter, Visit};
use dragoman::tmx::{Prop, TranslationUnit, Variant};

#[path = "common/allocator.rs"]
mod allocator;

fn repo(relative: &str) -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join(relative)
}

fn read(relative: &str) -> String {
    std::fs::read_to_string(repo(relative)).unwrap_or_else(|e| panic!("{relative}: {e}"))
}

fn unit(document: &str, day: &str, ar: &str, en: &str) -> TranslationUnit {
    TranslationUnit {
        tuid: None,
        attributes: vec![("creationdate".into(), format!("{day}T120000Z"))],
        props: vec![Prop { kind: "x-document".into(), lang: None, value: document.into() }],
        notes: Vec::new(),
        variants: vec![Variant::from_text("ar", ar), Variant::from_text("en", en)],
    }
}

/// The documents of the fixture corpora and the example, as (name, lines
/// of Arabic, lines of English), one pair a line.
fn documents() -> Vec<(String, Vec<(String, String)>)> {
    let mut documents = Vec::new();
    for corpus in ["tico19", "flores200"] {
        let dir = repo(&format!("tests/fixtures/{corpus}/docs"));
        let mut names: Vec<String> = std::fs::read_dir(&dir)
            .expect("fixture corpus")
            .filter_map(|e| e.ok()?.file_name().to_str()?.strip_suffix(".ar").map(String::from))
            .collect();
        names.sort();
        for name in names {
            let read = |ext: &str| std::fs::read_to_string(dir.join(format!("{name}.{ext}"))).unwrap();
            let (ar, en) = (read("ar"), read("en"));
            let lines = ar.lines().zip(en.lines()).map(|(a, e)| (a.trim().to_string(), e.trim().to_string()));
            documents.push((format!("{corpus}/{name}"), lines.collect()));
        }
    }
    let ar: Vec<String> = read("examples/raqqa-2017/ar.sents").lines().map(str::to_string).collect();
    let en: Vec<String> = read("examples/raqqa-2017/en.sents").lines().map(str::to_string).collect();
    let join = |side: &[String], list: &str| {
        list.split(',')
            .filter_map(|i| side.get(i.parse::<usize>().ok()?))
            .cloned()
            .collect::<Vec<_>>()
            .join(" ")
    };
    let beads = read("examples/raqqa-2017/gold.align")
        .lines()
        .filter_map(|l| l.split_once('\t'))
        .map(|(s, t)| (join(&ar, s), join(&en, t)))
        .filter(|(s, t)| !s.is_empty() && !t.is_empty())
        .collect();
    documents.push(("raqqa-2017".to_string(), beads));
    documents
}

/// Units of the documents, dated one day apart per document.
fn units_of(documents: &[(String, Vec<(String, String)>)]) -> Vec<TranslationUnit> {
    let mut units = Vec::new();
    for (d, (name, lines)) in documents.iter().enumerate() {
        let day = format!("2020{:02}{:02}", 1 + (d / 28) % 12, 1 + d % 28);
        units.extend(lines.iter().map(|(ar, en)| unit(name, &day, ar, en)));
    }
    units
}

fn archive(units: &[TranslationUnit], recognizer: Option<&Recognizer>) -> Archive {
    Archive::build(recognizer.cloned(), &UnitFilter::default(), |visit: Visit<'_>| {
        units.iter().for_each(visit);
        Ok::<(), ()>(())
    })
    .unwrap()
}

/// A realistic variant of a rendering, by `how` (0: another
/// transliteration of a vowel, 1: `al-` dropped or added, 2: a doubled
/// consonant), or `None` when that kind does not apply.
fn variant(rendering: &str, arabic_has_article: bool, how: usize) -> Option<String> {
    match how {
        0 => {
            let swaps = [
                ("ou", "u"),
                ("ee", "i"),
                ("ei", "ey"),
                ("a", "e"),
                ("e", "a"),
                ("i", "e"),
                ("u", "o"),
                ("o", "u"),
            ];
            let first_vowel_end = rendering.char_indices().skip(1).find(|(_, c)| "aeiou".contains(*c))?.0;
            swaps.iter().find_map(|(from, to)| {
                let at = rendering[first_vowel_end..].find(from)? + first_vowel_end;
                Some(format!("{}{to}{}", &rendering[..at], &rendering[at + from.len()..]))
            })
        }
        1 if arabic_has_article => {
            match rendering.strip_prefix("al-").or_else(|| rendering.strip_prefix("Al-")) {
                Some(bare) => Some(bare.to_string()),
                None => Some(format!("al-{rendering}")),
            }
        }
        2 => {
            let chars: Vec<char> = rendering.chars().collect();
            let k = (2..chars.len().saturating_sub(1)).find(|&k| {
                let c = chars[k];
                "bdfgklmnrstz".contains(c)
                    && chars[k - 1] != c
                    && chars[k + 1] != c
                    && "aeiou".contains(chars[k - 1])
            })?;
            let mut doubled = chars.clone();
            doubled.insert(k, chars[k]);
            Some(doubled.into_iter().collect())
        }
        _ => None,
    }
}

fn planted_drift(list: bool) {
    let documents = documents();
    let clean = units_of(&documents);
    let house = Recognizer::new(&Glossary::load(&[repo("glossaries/syria.txt")]).expect("syria.txt"));
    let before = archive(&clean, Some(&house)).drift(2);
    let settled = archive(&clean, Some(&house)).settled_names(3);
    let mut keys: Vec<&String> = settled.keys().collect();
    keys.sort();
    let mut planted_units = clean.clone();
    let mut planted: Vec<(String, String, String, usize)> = Vec::new();
    let mut kinds = [0usize; 3];
    let mut changed_units: BTreeSet<usize> = BTreeSet::new();
    for (n, key) in keys.iter().enumerate() {
        let name = &settled[*key];
        let how = (0..3)
            .map(|k| (n + k) % 3)
            .find_map(|how| variant(&name.rendering, key.starts_with("ال"), how).map(|v| (how, v)));
        let Some((how, replacement)) = how else { continue };
        // Every third unit of the name (at least one) gets the variant.
        let mut seen = 0;
        let mut changed = 0;
        for (u, unit) in planted_units.iter_mut().enumerate() {
            let ar = unit.variants[0].seg.plain_text();
            let en = unit.variants[1].seg.plain_text();
            if !match_key(&ar).contains(key.trim_start_matches("ال")) || !en.contains(&name.rendering) {
                continue;
            }
            seen += 1;
            if seen % 3 == 1 {
                unit.variants[1] = Variant::from_text("en", &en.replacen(&name.rendering, &replacement, 1));
                changed += 1;
                changed_units.insert(u);
            }
        }
        if changed > 0 {
            kinds[how] += 1;
            planted.push((name.term.clone(), name.rendering.clone(), replacement, changed));
        }
    }
    let after = archive(&planted_units, Some(&house)).drift(2);
    let reported: HashMap<&str, BTreeSet<&str>> = (after.drift.iter())
        .map(|d| (d.term.as_str(), d.renderings.iter().map(|r| r.text.as_str()).collect()))
        .collect();
    let found = planted
        .iter()
        .filter(|(term, original, variant, _)| {
            reported
                .get(term.as_str())
                .is_some_and(|r| r.contains(original.as_str()) && r.contains(variant.as_str()))
        })
        .count();
    let planted_terms: BTreeSet<&str> = planted.iter().map(|p| p.0.as_str()).collect();
    let unplanted: Vec<_> = after.drift.iter().filter(|d| !planted_terms.contains(d.term.as_str())).collect();
    println!("| measure | value |");
    println!("|---|---|");
    println!(
        "| memory | {} units in {} documents (TICO-19, FLORES-200, the example) |",
        clean.len(),
        documents.len()
    );
    println!("| names rendered one way in ≥ 3 units (planting candidates) | {} |", settled.len());
    println!(
        "| names planted (transliteration / al- / doubled consonant) | {} ({} / {} / {}), {} units changed |",
        planted.len(),
        kinds[0],
        kinds[1],
        kinds[2],
        planted.iter().map(|p| p.3).sum::<usize>()
    );
    println!("| planted names reported with both renderings (recall) | {found}/{} |", planted.len());
    println!("| names reported on the clean memory | {} |", before.drift.len());
    println!("| reported names not planted | {} |", unplanted.len());
    // term-archive on the planted documents, against the clean archive.
    let (mut start, mut caught, mut elsewhere) = (0, BTreeSet::new(), 0);
    for (name, lines) in &documents {
        let texts: Vec<(String, String)> = planted_units[start..start + lines.len()]
            .iter()
            .map(|u| (u.variants[0].seg.plain_text(), u.variants[1].seg.plain_text()))
            .collect();
        if !texts.is_empty() {
            let pair = gold_lines(name, &texts);
            let report = check::archive::with_archive(check::Report::default(), &pair, &settled);
            for finding in &report.findings {
                let unit = start + finding.bead.unwrap_or(usize::MAX - start);
                if changed_units.contains(&unit) {
                    caught.insert(unit);
                } else {
                    elsewhere += 1;
                }
            }
        }
        start += lines.len();
    }
    println!(
        "| term-archive on the planted documents (clean archive): planted units warned / other warnings | {}/{} / {elsewhere} |",
        caught.len(),
        changed_units.len()
    );
    if list {
        for (term, original, variant, _) in &planted {
            let both = reported
                .get(term.as_str())
                .is_some_and(|r| r.contains(original.as_str()) && r.contains(variant.as_str()));
            eprintln!(
                "planted: {term}: {original} → {variant}: {}",
                if both { "reported" } else { "missed" }
            );
            if !both && let Some(d) = after.drift.iter().find(|d| d.term == *term) {
                let r: Vec<String> =
                    d.renderings.iter().map(|r| format!("{} ({})", r.text, r.units)).collect();
                eprintln!("    reported as: {}", r.join(", "));
            }
        }
        for d in &unplanted {
            let r: Vec<String> = d.renderings.iter().map(|r| format!("{} ({})", r.text, r.units)).collect();
            eprintln!("unplanted: {} [{}]: {}", d.term, d.approved.as_deref().unwrap_or("-"), r.join(", "));
        }
    }
}

fn suggest_quality(list: bool) {
    let documents = documents();
    let units = units_of(&documents);
    let house = Recognizer::new(&Glossary::load(&[repo("glossaries/syria.txt")]).expect("syria.txt"));
    let mined = archive(&units, Some(&house));
    let report = mined.suggest(3);
    let mut answer = Vec::new();
    for file in ["terminology_facebook_en-ar_AR.csv", "terminology_google_en-ar.csv"] {
        let text = read(&format!("tests/fixtures/tico19/original/{file}"));
        answer.extend(formats::import(&text, file, ExternalFormat::Csv).expect("TICO-19 list"));
    }
    let arabic_of = |english: &str| -> Vec<String> {
        let key = english_key(english);
        answer.iter().filter(|e| english_key(&e.target) == key).map(|e| match_key(&e.source)).collect()
    };
    let (mut right, mut wrong, mut unlisted) = (0, 0, 0);
    for s in report.suggestions.iter().take(50) {
        let forms = arabic_of(&s.renderings[0].text);
        let term = match_key(&s.term);
        let bare = |k: &str| k.trim_start_matches("ال").to_string();
        let verdict = if forms.is_empty() {
            unlisted += 1;
            "not in the lists"
        } else if forms
            .iter()
            .any(|f| bare(f) == bare(&term) || f.contains(&term) || term.contains(f.as_str()))
        {
            right += 1;
            "right"
        } else {
            wrong += 1;
            "wrong"
        };
        if list {
            eprintln!(
                "suggest: {} → {} ({:.2}, {}): {verdict}",
                s.term, s.renderings[0].text, s.confidence, s.kind
            );
        }
    }
    // Recall: list entries whose Arabic and English occur in the same unit
    // in at least 3 units.
    let glossary = Glossary::from_entries(answer.clone());
    let lists = Recognizer::new(&glossary);
    let mut together: HashMap<usize, usize> = HashMap::new();
    for unit in &units {
        let ar = lists.find_arabic(&unit.variants[0].seg.plain_text());
        let en = lists.find_english(&unit.variants[1].seg.plain_text());
        let entries: BTreeSet<usize> =
            ar.iter().map(|m| m.entry).filter(|e| en.iter().any(|x| x.entry == *e)).collect();
        for entry in entries {
            *together.entry(entry).or_default() += 1;
        }
    }
    let frequent: Vec<usize> = together.iter().filter(|(_, n)| **n >= 3).map(|(e, _)| *e).collect();
    let suggested: BTreeSet<String> =
        report.suggestions.iter().map(|s| english_key(&s.renderings[0].text)).collect();
    let capitalized: Vec<usize> = frequent
        .iter()
        .copied()
        .filter(|&e| answer[e].target.starts_with(|c: char| c.is_uppercase()))
        .collect();
    let recalled = |list: &[usize]| {
        list.iter().filter(|&&e| suggested.contains(&english_key(&answer[e].target))).count()
    };
    println!("| measure | value |");
    println!("|---|---|");
    println!("| suggestions (≥ 3 units) | {} |", report.suggestions.len());
    println!("| top 50: right / wrong / not in the TICO-19 lists | {right} / {wrong} / {unlisted} |");
    println!(
        "| precision of the top 50 judged by the lists | {} |",
        if right + wrong > 0 {
            format!("{:.2} ({right}/{})", right as f64 / (right + wrong) as f64, right + wrong)
        } else {
            "-".into()
        }
    );
    println!(
        "| list entries paired in ≥ 3 units: suggested / all | {}/{} |",
        recalled(&frequent),
        frequent.len()
    );
    println!(
        "| … of them capitalized in English (names, acronyms) | {}/{} |",
        recalled(&capitalized),
        capitalized.len()
    );
    if list {
        for &e in &frequent {
            let hit = suggested.contains(&english_key(&answer[e].target));
            eprintln!(
                "list entry ≥ 3: {} → {}: {}",
                answer[e].source,
                answer[e].target,
                if hit { "suggested" } else { "missed" }
            );
        }
    }
}

fn gold_lines(name: &str, lines: &[(String, String)]) -> ArticlePair {
    let ar: String = lines.iter().map(|(a, _)| format!("{}\n", a.replace('\n', " "))).collect();
    let en: String = lines.iter().map(|(_, e)| format!("{}\n", e.replace('\n', " "))).collect();
    let beads = (0..lines.len())
        .map(|i| Bead { source: vec![i], target: vec![i], confidence: 1.0, evidence: Vec::new() })
        .collect();
    let options = PairOptions { presegmented: true, beads: Some(beads), ..PairOptions::default() };
    ArticlePair::build(name, &ar, &en, &options).expect("line-aligned")
}

fn term_archive_false_alarms(list: bool) {
    let documents = documents();
    let house = Recognizer::new(&Glossary::load(&[repo("glossaries/syria.txt")]).expect("syria.txt"));
    println!(
        "| corpus | documents (sentence pairs) | archive names (mean) | term-archive warnings | documents with one |"
    );
    println!("|---|---:|---:|---:|---:|");
    for corpus in ["flores200", "tico19"] {
        let (mut checked, mut pairs, mut warnings, mut with_one, mut names) = (0, 0, 0, 0, 0);
        for (d, (name, lines)) in documents.iter().enumerate() {
            if !name.starts_with(corpus) || lines.is_empty() {
                continue;
            }
            let others: Vec<(String, Vec<(String, String)>)> =
                documents.iter().enumerate().filter(|(k, _)| *k != d).map(|(_, doc)| doc.clone()).collect();
            let settled = archive(&units_of(&others), Some(&house)).settled_names(3);
            names += settled.len();
            let pair = gold_lines(name, lines);
            let report = check::run_checks(&pair, &house, &CheckOptions { near_miss: false });
            let report = check::archive::with_archive(report, &pair, &settled);
            let found: Vec<_> = report.findings.iter().filter(|f| f.check.id() == "term-archive").collect();
            checked += 1;
            pairs += lines.len();
            warnings += found.len();
            with_one += usize::from(!found.is_empty());
            if list {
                for f in found {
                    eprintln!("term-archive: {name}: {}", f.message);
                }
            }
        }
        println!("| {corpus} | {checked} ({pairs}) | {} | {warnings} | {with_one} |", names / checked.max(1));
    }
}

/// The process's CPU time so far (user + system, Linux `/proc`, in clock
/// ticks of 1/100 s).
fn cpu_seconds() -> f64 {
    let stat = std::fs::read_to_string("/proc/self/stat").unwrap_or_default();
    let fields: Vec<&str> = stat.rsplit_once(')').map_or("", |(_, rest)| rest).split_whitespace().collect();
    let ticks = |k: usize| fields.get(k).and_then(|f| f.parse::<f64>().ok()).unwrap_or(0.0);
    (ticks(11) + ticks(12)) / 100.0
}

/// The process's peak resident memory so far, in MB (Linux `/proc`).
fn peak_rss_mb() -> f64 {
    let status = std::fs::read_to_string("/proc/self/status").unwrap_or_default();
    let kb =
        status.lines().find_map(|l| l.strip_prefix("VmHWM:")?.trim().strip_suffix("kB")?.trim().parse().ok());
    kb.unwrap_or(0.0) / 1024.0
}

/// Wall and CPU seconds of `run`.
fn timed<T>(run: impl FnOnce() -> T) -> (T, f64, f64) {
    let (started, cpu) = (Instant::now(), cpu_seconds());
    let value = run();
    (value, started.elapsed().as_secs_f64(), cpu_seconds() - cpu)
}

fn speed(count: usize) {
    let base = units_of(&documents());
    let units: Vec<TranslationUnit> = (0..count)
        .map(|i| {
            let mut unit = base[i % base.len()].clone();
            let round = i / base.len();
            unit.props[0].value = format!("{}-{round}", unit.props[0].value);
            unit.attributes[0].1 =
                format!("{}{:02}{:02}T120000Z", 2000 + round % 25, 1 + round % 12, 1 + i % 28);
            unit
        })
        .collect();
    let house = Recognizer::new(&Glossary::load(&[repo("glossaries/syria.txt")]).expect("syria.txt"));
    let ((mined, drift), wall, cpu) = timed(|| {
        let mined = archive(&units, Some(&house));
        let drift = mined.drift(2);
        (mined, drift)
    });
    let (suggestions, suggest_wall, suggest_cpu) = timed(|| mined.suggest(3));
    println!("| measure (units streamed from memory, {} threads) | value |", rayon::current_num_threads());
    println!("|---|---|");
    println!("| units | {count} |");
    println!(
        "| archive (two passes) and drift | {wall:.1} s wall, {cpu:.1} s CPU ({} names) |",
        drift.drift.len()
    );
    println!(
        "| … and suggest | {:.1} s wall, {:.1} s CPU ({} suggestions) |",
        wall + suggest_wall,
        cpu + suggest_cpu,
        suggestions.suggestions.len()
    );
    println!("| peak RSS (the generated units held in memory) | {:.0} MB |", peak_rss_mb());
}

/// `drift` and `suggest` over a memory as `glossary drift` reads it
/// (`Memory::for_each_unit`, both passes), after one bare read of its units.
fn speed_of_memory(location: &str) {
    let location = MemoryLocation::parse(location).expect("--tm: a path or a postgres:// URL");
    let memory = Memory::open_location(&location).expect("the memory of --tm");
    let house = Recognizer::new(&Glossary::load(&[repo("glossaries/syria.txt")]).expect("syria.txt"));
    let (read, read_wall, read_cpu) = timed(|| {
        let mut count = 0u64;
        memory.for_each_unit(&mut |_| count += 1).expect("read");
        count
    });
    let ((mined, drift, suggestions), wall, cpu) = timed(|| {
        let mined = Archive::build(Some(house), &UnitFilter::default(), |visit: Visit<'_>| {
            memory.for_each_unit(&mut |unit| visit(&unit)).map(|_| ())
        })
        .expect("read");
        let drift = mined.drift(2);
        let suggestions = mined.suggest(3);
        (mined, drift, suggestions)
    });
    println!("| measure ({location}, {} threads) | value |", rayon::current_num_threads());
    println!("|---|---|");
    println!("| units | {read} ({} with Arabic and English) |", mined.units());
    println!(
        "| one bare read of the units (`Memory::for_each_unit`) | {read_wall:.1} s wall, {read_cpu:.1} s CPU |"
    );
    println!(
        "| archive (two reads), drift and suggest | {wall:.1} s wall, {cpu:.1} s CPU ({} names, {} suggestions) |",
        drift.drift.len(),
        suggestions.suggestions.len()
    );
    println!("| peak RSS | {:.0} MB |", peak_rss_mb());
}

fn main() {
    let args: Vec<String> = std::env::args().collect();
    let list = args.iter().any(|a| a == "--list");
    let units = args
        .iter()
        .position(|a| a == "--units")
        .and_then(|i| args.get(i + 1)?.parse().ok())
        .unwrap_or(1_000_000);
    let only = |flag: &str| args.iter().any(|a| a == flag);
    let all = !["--drift", "--suggest", "--archive", "--speed"].iter().any(|f| only(f));
    if all || only("--drift") {
        println!("### Planted drift\n");
        planted_drift(list);
        println!();
    }
    if all || only("--suggest") {
        println!("### Suggestions against the TICO-19 terminology lists\n");
        suggest_quality(list);
        println!();
    }
    if all || only("--archive") {
        println!("### term-archive: false alarms (each document against an archive of all the others)\n");
        term_archive_false_alarms(list);
        println!();
    }
    let tm = args.iter().position(|a| a == "--tm").and_then(|i| args.get(i + 1));
    if all || only("--speed") {
        println!("### Speed\n");
        match tm {
            Some(location) => speed_of_memory(location),
            None => speed(units),
        }
    }
}
