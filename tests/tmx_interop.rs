//! Helpers for tests/interop.sh (run with `--ignored`; `cargo test` alone
//! skips them because they need paths from the script):
//! - `export_example_tmx`: writes the bundled example's gold-aligned pairs
//!   as TMX with [`TmxWriter`] to `$TMX_INTEROP_OUT` (a stand-in for
//!   `dragoman tm export` where that is not available).
//! - `read_foreign_tmx`: reads every `$TMX_INTEROP_READ` file (colon
//!   separated) with [`TmxReader`] and fails on any error or on a unit
//!   without an Arabic and an English variant.

mod support;

use dragoman::lang::Lang;
use dragoman::tmx::{Prop, TmxReader, TmxWriter, TranslationUnit, Variant, WriterOptions};

/// Sentences of a `.sents` file: one a line, blank lines between paragraphs.
fn sentences(relative: &str) -> Vec<String> {
    support::read_repo(relative).lines().filter(|l| !l.trim().is_empty()).map(str::to_string).collect()
}

fn joined(sentences: &[String], indices: &str) -> String {
    indices
        .split(',')
        .map(|i| sentences[i.trim().parse::<usize>().unwrap()].as_str())
        .collect::<Vec<_>>()
        .join(" ")
}

#[test]
#[ignore = "run by tests/interop.sh"]
fn export_example_tmx() {
    let out = std::env::var("TMX_INTEROP_OUT").expect("set TMX_INTEROP_OUT");
    let (ar, en) = (sentences("examples/raqqa-2017/ar.sents"), sentences("examples/raqqa-2017/en.sents"));
    let options = WriterOptions { creation_date: Some(dragoman::tmx::now()), ..Default::default() };
    let mut writer = TmxWriter::new(std::fs::File::create(&out).unwrap(), &options).unwrap();
    for (n, line) in support::read_repo("examples/raqqa-2017/gold.align").lines().enumerate() {
        let (ar_indices, en_indices) = line.split_once('\t').unwrap();
        writer
            .write_unit(&TranslationUnit {
                tuid: Some(format!("raqqa-2017-{n}")),
                attributes: vec![("creationdate".to_string(), options.creation_date.clone().unwrap())],
                props: vec![Prop {
                    kind: "x-document".to_string(),
                    lang: None,
                    value: "raqqa-2017".to_string(),
                }],
                notes: Vec::new(),
                variants: vec![
                    Variant::from_text("ar", &joined(&ar, ar_indices)),
                    Variant::from_text("en", &joined(&en, en_indices)),
                ],
            })
            .unwrap();
    }
    writer.finish().unwrap();
}

#[test]
#[ignore = "run by tests/interop.sh"]
fn read_foreign_tmx() {
    let paths = std::env::var("TMX_INTEROP_READ").expect("set TMX_INTEROP_READ");
    for path in paths.split(':') {
        let file = std::fs::File::open(path).unwrap_or_else(|e| panic!("{path}: {e}"));
        let mut reader =
            TmxReader::new(std::io::BufReader::new(file), path).unwrap_or_else(|e| panic!("{e}"));
        let mut count = 0;
        while let Some(unit) = reader.next_unit().unwrap_or_else(|e| panic!("{e}")) {
            for lang in [Lang::Ar, Lang::En] {
                let variant =
                    unit.variant(lang).unwrap_or_else(|| panic!("{path}: unit without {lang}: {unit:?}"));
                assert!(!variant.seg.plain_text().trim().is_empty(), "{path}: empty {lang} text");
            }
            count += 1;
        }
        assert!(count > 0, "{path}: no units");
        println!("{path}: {count} units read");
    }
}
