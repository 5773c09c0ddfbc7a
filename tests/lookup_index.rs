//! The index never changes a result: on a few thousand real units (TICO-19's
//! memory plus FLORES-200 documents), indexed lookup returns exactly the
//! matches an exhaustive scan with the same scoring returns, for every
//! match at or above `--min`.

mod support;

use std::path::Path;

use dragoman::memory::{ImportOptions, LookupOptions, Memory, TmxSource};
use dragoman::tmx::{TmxWriter, TranslationUnit, Variant, WriterOptions};

/// Sentences of the FLORES-200 documents as units (line-aligned files).
fn flores_units() -> Vec<TranslationUnit> {
    let dir = support::repo_path("tests/fixtures/flores200/docs");
    let mut names: Vec<String> = std::fs::read_dir(&dir)
        .unwrap()
        .filter_map(|e| e.ok()?.file_name().into_string().ok())
        .filter_map(|n| n.strip_suffix(".ar").map(str::to_string))
        .collect();
    names.sort();
    let mut units = Vec::new();
    for name in names {
        let ar = std::fs::read_to_string(dir.join(format!("{name}.ar"))).unwrap();
        let en = std::fs::read_to_string(dir.join(format!("{name}.en"))).unwrap();
        for (i, (a, e)) in ar.lines().zip(en.lines()).enumerate() {
            units.push(TranslationUnit {
                tuid: Some(format!("{name}:{}", i + 1)),
                attributes: vec![("creationdate".into(), format!("2019{:02}01T000000Z", i % 12 + 1))],
                props: Vec::new(),
                notes: Vec::new(),
                variants: vec![Variant::from_text("ar", a), Variant::from_text("en", e)],
            });
        }
    }
    units
}

fn build_memory(dir: &Path) -> (Memory, Vec<TranslationUnit>) {
    let flores = flores_units();
    let mut writer = TmxWriter::new(Vec::new(), &WriterOptions::default()).unwrap();
    for unit in &flores {
        writer.write_unit(unit).unwrap();
    }
    let flores_tmx = writer.finish().unwrap();
    let tico =
        std::fs::File::open(support::repo_path("tests/fixtures/tico19/original/all.en-ar.tmx")).unwrap();
    let mut memory = Memory::open_or_create(&dir.join("memory.sqlite")).unwrap();
    memory
        .import(
            vec![
                TmxSource { name: "tico19.tmx".into(), input: Box::new(tico) },
                TmxSource { name: "flores.tmx".into(), input: Box::new(std::io::Cursor::new(flores_tmx)) },
            ],
            &ImportOptions::default(),
        )
        .unwrap();
    (memory, flores)
}

/// Edits that keep a sentence recognisable to different degrees: drop a
/// word, swap two, replace one with a word of another sentence, cut the tail.
fn edited_queries(units: &[TranslationUnit]) -> Vec<String> {
    let mut queries = Vec::new();
    for (i, unit) in units.iter().enumerate().step_by(11).take(80) {
        for variant in &unit.variants {
            let text = variant.seg.plain_text();
            let mut words: Vec<&str> = text.split_whitespace().collect();
            if words.len() < 3 {
                queries.push(text.clone());
                continue;
            }
            let other = units[(i * 31 + 5) % units.len()].variants[0].seg.plain_text();
            let stranger = other.split_whitespace().next().unwrap_or("x").to_string();
            match i % 4 {
                0 => {
                    words.remove(words.len() / 2);
                }
                1 => words.swap(0, 1),
                2 => words[1] = &stranger,
                _ => words.truncate(words.len() * 3 / 4),
            }
            queries.push(words.join(" "));
        }
    }
    queries
}

#[test]
fn indexed_lookup_equals_exhaustive_scan() {
    let dir = tempfile::tempdir().unwrap();
    let (memory, flores) = build_memory(dir.path());
    assert_eq!(memory.unit_count().unwrap(), 3071 + 1012);
    let queries = edited_queries(&flores);
    assert!(queries.len() >= 150, "{}", queries.len());
    let mut compared = 0;
    let mut with_matches = 0;
    for query in &queries {
        // With no limit in play, the scan at --min 50 holds the scan at any
        // higher minimum: its lines at or above that minimum.
        let scan =
            memory.lookup_exhaustive(query, &LookupOptions { min: 50, limit: 10_000, lang: None }).unwrap();
        for min in [50u8, 70, 85] {
            let indexed = memory.lookup(query, &LookupOptions { min, limit: 10_000, lang: None }).unwrap();
            let expected: Vec<_> = scan.iter().filter(|m| m.score >= min).cloned().collect();
            assert_eq!(indexed, expected, "--min {min}: {query}");
            compared += 1;
            with_matches += usize::from(!indexed.is_empty());
        }
    }
    // The comparison is meaningful only if most queries find something.
    assert!(with_matches * 10 >= compared * 7, "{with_matches} of {compared} lookups found matches");
}

#[test]
fn short_and_common_word_queries_agree_too() {
    let dir = tempfile::tempdir().unwrap();
    let (memory, _) = build_memory(dir.path());
    for query in
        ["في", "the", "في الرقة", "of the", "do you have a fever", "هل لديك حمى", "COVID-19 pandemic"]
    {
        for min in [30u8, 70] {
            let options = LookupOptions { min, limit: 10_000, lang: None };
            assert_eq!(
                memory.lookup(query, &options).unwrap(),
                memory.lookup_exhaustive(query, &options).unwrap(),
                "--min {min}: {query}"
            );
        }
    }
}
