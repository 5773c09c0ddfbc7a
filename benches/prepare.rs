//! The translator's kit (`prepare`): how much of a new article a memory of
//! earlier ones covers, and how long preparing takes against a large memory.
//!
//! `figures`: each FLORES-200 and TICO-19 document (tests/fixtures) is
//! prepared against a memory of the other documents of its corpus (one
//! memory per corpus, the document's own units left out of its lookups):
//! sentences whose best match is 100 %, 95–99, 70–94 or none, and the house
//! glossary's names found. `speed`: `workflow::prepare::prepare` (both
//! files written) on a generated 1,000-sentence article against a memory
//! of `DRAGOMAN_BENCH_UNITS` generated units (default 100,000; the issue's
//! target is ≤ 2 s at 1,000,000). Units and the article recombine real
//! sentence pairs (the first part of one joined with the last part of
//! another), so word statistics stay natural. `cargo bench --bench prepare
//! [-- figures|speed]`; scratch files go to `DRAGOMAN_BENCH_DIR` (default
//! /tmp/dragoman-bench-prepare).

use std::path::{Path, PathBuf};
use std::time::Instant;

use dragoman::glossary::{Glossary, Recognizer};
use dragoman::memory::{LookupOptions, Memory, MemoryError};
use dragoman::project::Project;
use dragoman::tmx::{TranslationUnit, Variant};
use dragoman::workflow::article::GlossaryChoice;
use dragoman::workflow::prepare::{KitFormat, PrepareRequest, prepare};

#[path = "common/rng.rs"]
mod rng;
use rng::Rng;

fn repo(relative: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join(relative)
}

fn unit(ar: &str, en: &str) -> TranslationUnit {
    TranslationUnit {
        tuid: None,
        attributes: Vec::new(),
        props: Vec::new(),
        notes: Vec::new(),
        variants: vec![Variant::from_text("ar", ar), Variant::from_text("en", en)],
    }
}

/// The documents of a corpus directory: (name, Arabic lines, English lines).
fn documents(dir: &str) -> Vec<(String, Vec<String>, Vec<String>)> {
    let dir = repo(dir);
    let mut names: Vec<PathBuf> = std::fs::read_dir(&dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|e| e == "ar"))
        .collect();
    names.sort();
    names
        .into_iter()
        .map(|ar_path| {
            let lines = |p: &Path| -> Vec<String> {
                std::fs::read_to_string(p).unwrap().lines().map(str::to_string).collect()
            };
            let name = ar_path.file_stem().unwrap().to_string_lossy().into_owned();
            (name, lines(&ar_path), lines(&ar_path.with_extension("en")))
        })
        .collect()
}

fn scratch() -> PathBuf {
    let dir = std::env::var("DRAGOMAN_BENCH_DIR").unwrap_or_else(|_| "/tmp/dragoman-bench-prepare".into());
    std::fs::create_dir_all(&dir).unwrap();
    PathBuf::from(dir)
}

fn figures() {
    let glossary = Glossary::load(&[repo("glossaries/syria.txt")]).unwrap();
    let recognizer = Recognizer::new(&glossary);
    println!("## prepare: matches in a memory of the corpus's other documents");
    println!(
        "| corpus | documents | sentences | 100 % | 95–99 | 70–94 | new | names found | ms per document |"
    );
    println!("|---|---|---|---|---|---|---|---|---|");
    for (corpus, dir) in
        [("FLORES-200", "tests/fixtures/flores200/docs"), ("TICO-19", "tests/fixtures/tico19/docs")]
    {
        let docs = documents(dir);
        let path = scratch().join(format!("{corpus}.sqlite"));
        let _ = std::fs::remove_file(&path);
        let mut memory = Memory::open_or_create(&path).unwrap();
        for (name, ar, en) in &docs {
            let units: Vec<TranslationUnit> = ar.iter().zip(en).map(|(a, e)| unit(a, e)).collect();
            memory.replace_document(name, &units).unwrap();
        }
        let options = LookupOptions { min: 70, limit: 12, lang: Some(dragoman::lang::Lang::Ar) };
        let (mut sentences, mut bands, mut names) = (0, [0usize; 4], 0);
        let started = Instant::now();
        for (name, ar, _) in &docs {
            let mut found = std::collections::HashSet::new();
            for sentence in ar {
                sentences += 1;
                let matches = match memory.lookup(sentence, &options) {
                    Ok(matches) => matches,
                    Err(MemoryError::NoWords | MemoryError::QueryTooLong { .. }) => Vec::new(),
                    Err(e) => panic!("{e}"),
                };
                // Leave the document itself out: a memory of the others.
                let best = matches.iter().find(|m| m.doc.as_deref() != Some(name.as_str()));
                bands[match best {
                    Some(m) if m.exact => 0,
                    Some(m) if m.score >= 95 => 1,
                    Some(_) => 2,
                    None => 3,
                }] += 1;
                found.extend(recognizer.find_arabic(sentence).into_iter().map(|m| m.entry));
            }
            names += found.len();
        }
        let ms = started.elapsed().as_secs_f64() * 1000.0 / docs.len() as f64;
        println!(
            "| {corpus} | {} | {sentences} | {} | {} | {} | {} | {names} | {ms:.1} |",
            docs.len(),
            bands[0],
            bands[1],
            bands[2],
            bands[3]
        );
    }
}

fn speed() {
    let units: usize =
        std::env::var("DRAGOMAN_BENCH_UNITS").ok().and_then(|v| v.parse().ok()).unwrap_or(100_000);
    let mut pool: Vec<(Vec<String>, Vec<String>)> = Vec::new();
    for dir in ["tests/fixtures/flores200/docs", "tests/fixtures/tico19/docs"] {
        for (_, ar, en) in documents(dir) {
            let split = |s: &String| s.split_whitespace().map(str::to_string).collect::<Vec<_>>();
            pool.extend(ar.iter().zip(&en).map(|(a, e)| (split(a), split(e))));
        }
    }
    pool.retain(|(a, e)| a.len() > 2 && e.len() > 2);
    let generate = |rng: &mut Rng| {
        let (a, b) = (&pool[rng.below(pool.len())], &pool[rng.below(pool.len())]);
        let cut =
            |words: &[String], share: f64| ((words.len() as f64 * share) as usize).clamp(1, words.len() - 1);
        let share = 0.3 + rng.below(40) as f64 / 100.0;
        let ar = [&a.0[..cut(&a.0, share)], &b.0[cut(&b.0, share)..]].concat().join(" ");
        let en = [&a.1[..cut(&a.1, share)], &b.1[cut(&b.1, share)..]].concat().join(" ");
        (ar, en)
    };
    let path = scratch().join(format!("speed-{units}.sqlite"));
    if !path.exists() {
        let started = Instant::now();
        let mut memory = Memory::open_or_create(&path).unwrap();
        let mut rng = Rng(0x5EED_0002);
        let mut batch = Vec::new();
        for i in 0..units {
            let (ar, en) = generate(&mut rng);
            batch.push(unit(&ar, &en));
            if batch.len() == 50_000 || i + 1 == units {
                memory.replace_document(&format!("bench-{i}"), &batch).unwrap();
                batch.clear();
            }
        }
        eprintln!("generated {units} units in {:.1} s", started.elapsed().as_secs_f64());
    }
    // The article: sentences like the memory's (another seed), one paragraph of five each.
    let mut rng = Rng(0x0C0F_FEE5);
    let mut article = String::new();
    for i in 0..1000 {
        let (ar, _) = generate(&mut rng);
        article += &ar;
        article += if i % 5 == 4 { ".\n\n" } else { ". " };
    }
    let dir = scratch().join("speed-project");
    std::fs::create_dir_all(&dir).unwrap();
    let source = dir.join("article.ar.txt");
    std::fs::write(&source, &article).unwrap();
    let request = PrepareRequest {
        source,
        out: Some(dir.join("out")),
        name: None,
        title: None,
        date: None,
        min: 70,
        memory: Some(path.display().to_string()),
        glossary: GlossaryChoice::Files(vec![repo("glossaries/syria.txt")]),
        formats: KitFormat::ALL.to_vec(),
    };
    let mut times = Vec::new();
    let mut last = None;
    for _ in 0..3 {
        let started = Instant::now();
        last = Some(prepare(&Project::at(&dir), &request).unwrap());
        times.push(started.elapsed().as_secs_f64());
    }
    times.sort_by(f64::total_cmp);
    let report = last.unwrap();
    let m = report.summary.matches;
    println!("## prepare: a generated article against a generated memory");
    println!("| memory units | sentences | 100 % | 95–99 | 70–94 | new | median s (3 runs) |");
    println!("|---|---|---|---|---|---|---|");
    println!(
        "| {units} | {} | {} | {} | {} | {} | {:.2} |",
        report.summary.sentences, m.exact, m.high, m.fuzzy, m.new, times[1]
    );
}

fn main() {
    let wanted: Vec<String> = std::env::args().skip(1).filter(|a| !a.starts_with('-')).collect();
    let run = |name: &str| wanted.is_empty() || wanted.iter().any(|w| w == name);
    if run("figures") {
        figures();
    }
    if run("speed") {
        speed();
    }
}
