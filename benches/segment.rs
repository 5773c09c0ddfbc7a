//! Segmentation throughput with the built-in rules on Arabic and English
//! news text (`cargo bench --bench segment`). Target: ≥ 50 MB/s on one core.
//!
//! The text is the bundled raqqa-2017 article plus the FLORES-200 and
//! TICO-19 documents (each document's lines joined into one paragraph, as
//! in news copy), repeated to at least 2 MB per language.

use std::path::Path;
use std::time::{Duration, Instant};

use dragoman::lang::Lang;
use dragoman::segment::Segmenter;

#[path = "common/allocator.rs"]
mod allocator;

const MIN_BYTES: usize = 2 * 1024 * 1024;

fn news_text(lang: Lang) -> String {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let mut paragraphs = Vec::new();
    let article = std::fs::read_to_string(root.join(format!("examples/raqqa-2017/{}.txt", lang.code())))
        .expect("bundled example");
    paragraphs.push(article.trim().to_string());
    for corpus in ["tests/fixtures/flores200/docs", "tests/fixtures/tico19/docs"] {
        let mut files: Vec<_> = std::fs::read_dir(root.join(corpus))
            .expect("fixture corpus")
            .map(|e| e.expect("dir entry").path())
            .filter(|p| p.extension().is_some_and(|e| e == lang.code()))
            .collect();
        files.sort();
        for file in files {
            let text = std::fs::read_to_string(&file).expect("fixture text");
            let lines: Vec<&str> = text.lines().map(str::trim).filter(|l| !l.is_empty()).collect();
            paragraphs.push(lines.join(" "));
        }
    }
    let one_pass = paragraphs.join("\n\n");
    let mut text = String::with_capacity(MIN_BYTES + one_pass.len());
    while text.len() < MIN_BYTES {
        text.push_str(&one_pass);
        text.push_str("\n\n");
    }
    text
}

/// Best of several timed runs (after a warm-up), in MB/s, and the segment count.
fn measure(segmenter: &Segmenter, text: &str, lang: Option<Lang>) -> (f64, usize) {
    let segments = segmenter.segment(text, lang).len();
    let mut best = Duration::MAX;
    let started = Instant::now();
    while started.elapsed() < Duration::from_secs(3) {
        let run = Instant::now();
        let count = std::hint::black_box(segmenter.segment(std::hint::black_box(text), lang)).len();
        best = best.min(run.elapsed());
        assert_eq!(count, segments);
    }
    (text.len() as f64 / 1e6 / best.as_secs_f64(), segments)
}

fn main() {
    let segmenter = Segmenter::builtin();
    println!("segment throughput, built-in rules, one thread (best of repeated runs):");
    for lang in [Lang::Ar, Lang::En] {
        let text = news_text(lang);
        let (explicit, segments) = measure(&segmenter, &text, Some(lang));
        let (auto, _) = measure(&segmenter, &text, None);
        println!(
            "{}: {:.1} MB of news text, {segments} segments: {explicit:.1} MB/s with --lang {}, {auto:.1} MB/s with --lang auto",
            lang.code(),
            text.len() as f64 / 1e6,
            lang.code(),
        );
    }
}
