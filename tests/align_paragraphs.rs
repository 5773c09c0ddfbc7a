//! Paragraph breaks at the same place on both sides bound the beads (issue
//! #15.2): pairs pasted one pair a paragraph, as `check` users paste them,
//! align as one bead a pair, so bead numbers are pair numbers.

mod support;

use dragoman::align::{AlignOptions, align};
use dragoman::lang::Lang;
use dragoman::segment::{Segmenter, read_presegmented};
use support::repo_path;

/// The line pairs of a fixture corpus's documents.
fn line_pairs(corpus: &str) -> Vec<(String, String)> {
    let dir = repo_path(&format!("tests/fixtures/{corpus}/docs"));
    let mut names: Vec<String> = std::fs::read_dir(&dir)
        .unwrap()
        .filter_map(|e| e.ok()?.file_name().to_str()?.strip_suffix(".ar").map(String::from))
        .collect();
    names.sort();
    let mut pairs = Vec::new();
    for name in names {
        let read = |ext: &str| std::fs::read_to_string(dir.join(format!("{name}.{ext}"))).unwrap();
        let (ar, en) = (read("ar"), read("en"));
        for (a, e) in ar.lines().zip(en.lines()) {
            if !a.trim().is_empty() && !e.trim().is_empty() {
                pairs.push((a.trim().to_string(), e.trim().to_string()));
            }
        }
    }
    pairs
}

#[test]
fn forty_one_independent_pairs_one_a_paragraph_align_one_bead_a_pair() {
    for corpus in ["flores200", "tico19"] {
        let all = line_pairs(corpus);
        for (window, pairs) in all.chunks_exact(41).enumerate() {
            let join = |side: fn(&(String, String)) -> &String| {
                pairs.iter().map(|p| side(p).as_str()).collect::<Vec<_>>().join("\n\n")
            };
            let (arabic, english) = (join(|p| &p.0), join(|p| &p.1));
            for presegmented in [true, false] {
                let (source, target) = if presegmented {
                    (read_presegmented(&arabic, Some(Lang::Ar)), read_presegmented(&english, Some(Lang::En)))
                } else {
                    let segmenter = Segmenter::builtin();
                    (segmenter.segment(&arabic, Some(Lang::Ar)), segmenter.segment(&english, Some(Lang::En)))
                };
                let alignment = align(&source, &target, &AlignOptions::default());
                for (k, bead) in alignment.beads.iter().enumerate() {
                    let paragraphs = |segments: &[dragoman::segment::Segment], indices: &[usize]| {
                        let mut found: Vec<usize> = indices.iter().map(|&i| segments[i].paragraph).collect();
                        found.dedup();
                        found
                    };
                    let (s, t) = (paragraphs(&source, &bead.source), paragraphs(&target, &bead.target));
                    assert!(
                        s.len() <= 1 && t.len() <= 1 && (s == t || s.is_empty() || t.is_empty()),
                        "{corpus} window {window} presegmented {presegmented}: bead {} spans paragraphs {s:?} / {t:?}",
                        k + 1
                    );
                }
                if presegmented {
                    for (k, bead) in alignment.beads.iter().enumerate() {
                        assert_eq!(
                            (bead.source.clone(), bead.target.clone()),
                            (vec![k], vec![k]),
                            "{corpus} window {window}: bead {}",
                            k + 1
                        );
                    }
                }
            }
        }
    }
}

#[test]
fn pasted_arabic_pairs_where_one_paragraph_becomes_two_english_sentences_stay_one_bead_a_pair() {
    let arabic = [
        "أعلنت وزارة الصحة السورية تسجيل 45 إصابة جديدة بفيروس كورونا في دمشق وريفها.",
        "وقال وزير الصحة إن المستشفيات الحكومية رفعت جاهزيتها وإن الوضع تحت السيطرة، مضيفاً أن الوزارة وزعت أجهزة تنفس جديدة على المحافظات الشمالية خلال الأسبوع الماضي.",
        "وأغلقت السلطات المدارس والجامعات حتى إشعار آخر.",
        "ودعت منظمة الصحة العالمية إلى تكثيف الفحوص في مخيمات النازحين.",
        "وتخشى المنظمات الإنسانية من انتشار الوباء في إدلب المكتظة بالسكان.",
        "وكانت الحكومة قد فرضت حظراً للتجول من السادسة مساءً حتى السادسة صباحاً.",
    ];
    let english = [
        "The Syrian Health Ministry reported 45 new coronavirus cases in Damascus and its countryside.",
        "The health minister said public hospitals had raised their readiness and the situation was under control. He added that the ministry had distributed new ventilators to the northern provinces last week.",
        "The authorities closed schools and universities until further notice.",
        "The World Health Organization called for more testing in camps for displaced people.",
        "Humanitarian organizations fear the epidemic will spread in densely populated Idlib.",
        "The government had imposed a curfew from six in the evening until six in the morning.",
    ];
    let segmenter = Segmenter::builtin();
    let source = segmenter.segment(&arabic.join("\n\n"), Some(Lang::Ar));
    let target = segmenter.segment(&english.join("\n\n"), Some(Lang::En));
    assert_eq!((source.len(), target.len()), (6, 7), "the second English paragraph is two sentences");
    let alignment = align(&source, &target, &AlignOptions::default());
    let pairs: Vec<(Vec<usize>, Vec<usize>)> = (alignment.beads.iter())
        .map(|bead| {
            let paragraphs = |segments: &[dragoman::segment::Segment], indices: &[usize]| {
                let mut found: Vec<usize> = indices.iter().map(|&i| segments[i].paragraph).collect();
                found.dedup();
                found
            };
            (paragraphs(&source, &bead.source), paragraphs(&target, &bead.target))
        })
        .collect();
    let expected: Vec<(Vec<usize>, Vec<usize>)> = (0..6).map(|k| (vec![k], vec![k])).collect();
    assert_eq!(pairs, expected);
    assert_eq!(alignment.beads[1].target, vec![1, 2]);
}
