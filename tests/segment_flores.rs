//! FLORES-200 devtest (Arabic and English): each document's lines joined
//! with one space into a paragraph. Every join is a true sentence boundary,
//! so boundary recall at the joins must stay ≥ 0.97 in both languages.
//! Splits inside a line are not necessarily wrong (some lines hold two
//! sentences); they are counted and printed for inspection
//! (`cargo test --test segment_flores -- --nocapture`).

mod support;

use dragoman::lang::Lang;
use dragoman::segment::Segmenter;

/// Boundary figures for one language.
struct JoinScore {
    joins: usize,
    joins_found: usize,
    inline_splits: Vec<String>,
    missed: Vec<String>,
}

fn score(lang: Lang) -> JoinScore {
    let segmenter = Segmenter::builtin();
    let dir = support::repo_path("tests/fixtures/flores200/docs");
    let mut files: Vec<_> = std::fs::read_dir(&dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|e| e == lang.code()))
        .collect();
    files.sort();
    assert!(files.len() > 200, "FLORES fixture missing: {}", dir.display());
    let mut result = JoinScore { joins: 0, joins_found: 0, inline_splits: Vec::new(), missed: Vec::new() };
    for file in files {
        let text = std::fs::read_to_string(&file).unwrap();
        let lines: Vec<&str> = text.lines().map(str::trim).filter(|l| !l.is_empty()).collect();
        let joined = lines.join(" ");
        // Byte offsets of the joins (the start of every line but the first).
        let mut joins = Vec::new();
        let mut offset = 0;
        for line in &lines[..lines.len() - 1] {
            offset += line.len() + 1;
            joins.push(offset);
        }
        let segments = segmenter.segment(&joined, Some(lang));
        let starts: Vec<usize> = segments.iter().skip(1).map(|s| s.start).collect();
        result.joins += joins.len();
        for &join in &joins {
            if starts.contains(&join) {
                result.joins_found += 1;
            } else {
                let before = &joined[..join - 1];
                let tail: String =
                    before.chars().rev().take(40).collect::<Vec<_>>().into_iter().rev().collect();
                let head: String = joined[join..].chars().take(30).collect();
                result
                    .missed
                    .push(format!("{}: …{tail} | {head}…", file.file_name().unwrap().to_string_lossy()));
            }
        }
        for &start in starts.iter().filter(|s| !joins.contains(s)) {
            let tail: String =
                joined[..start].chars().rev().take(40).collect::<Vec<_>>().into_iter().rev().collect();
            let head: String = joined[start..].chars().take(30).collect();
            result.inline_splits.push(format!(
                "{}: …{} | {head}…",
                file.file_name().unwrap().to_string_lossy(),
                tail.trim_end()
            ));
        }
    }
    result
}

fn check(lang: Lang) {
    let result = score(lang);
    let recall = result.joins_found as f64 / result.joins as f64;
    // Strict precision counts every split inside a line as wrong, although
    // many FLORES lines hold two sentences.
    let precision = result.joins_found as f64 / (result.joins_found + result.inline_splits.len()) as f64;
    println!(
        "{lang}: recall at joins {recall:.4} ({}/{}), strict precision {precision:.4}, splits inside lines {}",
        result.joins_found,
        result.joins,
        result.inline_splits.len()
    );
    for missed in &result.missed {
        println!("  missed  {missed}");
    }
    for split in &result.inline_splits {
        println!("  inline  {split}");
    }
    assert!(result.joins > 700, "expected the full devtest, got {} joins", result.joins);
    assert!(recall >= 0.97, "{lang}: boundary recall at joins {recall:.4} < 0.97");
}

#[test]
fn arabic_boundary_recall_at_joins() {
    check(Lang::Ar);
}

#[test]
fn english_boundary_recall_at_joins() {
    check(Lang::En);
}
