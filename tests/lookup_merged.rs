//! Sentences stored inside a unit of several source sentences (a 2-1 bead)
//! are found by lookup, said to be part of that unit, on both the indexed
//! and the exhaustive path.

mod support;

use dragoman::memory::{LookupOptions, Memory};
use support::TempProject;

/// An article whose translation joins its two news sentences into one: the
/// aligner stores them as one 2-1 unit.
const AR: &str = "قصف جوي على حلب\n\nقتل خمسة مدنيين في غارة جوية على حلب يوم الأحد. وقال المرصد السوري إن الغارة استهدفت سوقا شعبيا في حي الشعار.\n";
const EN: &str = "Air Strike on Aleppo\n\nFive civilians were killed on Sunday when an air strike hit a popular market in the al-Shaar district of Aleppo, the Syrian Observatory said.\n";
const FIRST: &str = "قتل خمسة مدنيين في غارة جوية على حلب يوم الأحد.";
const SECOND: &str = "وقال المرصد السوري إن الغارة استهدفت سوقا شعبيا في حي الشعار.";

fn project_with_the_article() -> TempProject {
    let project = TempProject::new();
    let ar = project.write("aleppo.ar.txt", AR);
    let en = project.write("aleppo.en.txt", EN);
    project.dragoman().args(["tm", "add"]).arg(&ar).arg(&en).assert().success();
    project
}

#[test]
fn each_sentence_of_a_two_sentence_unit_is_a_match_that_says_so() {
    let project = project_with_the_article();
    for (query, sentence) in [(FIRST, 1), (SECOND, 2)] {
        let output = project.dragoman().args(["tm", "lookup", "--format", "json", query]).output().unwrap();
        assert!(output.status.success(), "{query}: {}", String::from_utf8_lossy(&output.stderr));
        let found: serde_json::Value = serde_json::from_slice(&output.stdout).unwrap();
        let best = &found["matches"][0];
        assert_eq!(best["score"], 99, "never exact: the unit renders more: {found}");
        assert_eq!(best["exact"], false);
        assert_eq!(best["target"], EN.lines().nth(2).unwrap());
        assert_eq!(best["part"]["sentence"], sentence);
        assert_eq!(best["part"]["sentences"], 2);
        let source = best["source"].as_str().unwrap();
        let (start, end) = (best["part"]["start"].as_u64().unwrap(), best["part"]["end"].as_u64().unwrap());
        assert_eq!(&source[start as usize..end as usize], query);

        let text = project.dragoman().args(["tm", "lookup", query]).output().unwrap();
        let text = String::from_utf8(text.stdout).unwrap();
        assert!(text.contains(&format!("part of a 2-sentence unit (sentence {sentence})")), "{text}");
        assert!(!text.contains('⟦'), "no word of the matching sentence differs: {text}");
    }
    // A whole unit is not "part" of anything.
    let title =
        project.dragoman().args(["tm", "lookup", "--format", "json", "قصف جوي على حلب"]).output().unwrap();
    let title: serde_json::Value = serde_json::from_slice(&title.stdout).unwrap();
    assert_eq!(title["matches"][0]["exact"], true);
    assert!(title["matches"][0]["part"].is_null());
}

#[test]
fn a_sentence_the_unit_does_not_hold_is_no_match() {
    let project = project_with_the_article();
    // Shares the place and the day, not the sentence.
    let output = project
        .dragoman()
        .args(["tm", "lookup", "قالت الأمم المتحدة إن مئات العائلات نزحت من حلب يوم الأحد."])
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(1), "{}", String::from_utf8_lossy(&output.stdout));
}

#[test]
fn looking_up_the_article_just_added_finds_every_sentence() {
    let project = project_with_the_article();
    let output = project
        .dragoman()
        .args(["tm", "lookup", "--format", "json", "--file", "aleppo.ar.txt"])
        .output()
        .unwrap();
    let found: serde_json::Value = serde_json::from_slice(&output.stdout).unwrap();
    assert_eq!(found["summary"]["segments"], 3);
    assert_eq!(found["summary"]["no_match"], 0, "{found}");
}

#[test]
fn the_index_finds_the_same_parts_as_scanning_every_unit() {
    let project = project_with_the_article();
    let memory = Memory::open(&project.join("tm/memory.sqlite")).unwrap();
    for query in [
        FIRST,
        SECOND,
        "وقال المرصد إن الغارة استهدفت سوقا في حي الشعار",
        "قتل خمسة مدنيين في غارة جوية على حلب يوم السبت",
    ] {
        for min in [50, 70, 90] {
            let options = LookupOptions { min, limit: 10, lang: None };
            let indexed = memory.lookup(query, &options).unwrap();
            assert_eq!(indexed, memory.lookup_exhaustive(query, &options).unwrap(), "--min {min}: {query}");
            if min == 70 {
                assert!(indexed.iter().any(|m| m.part.is_some()), "{query}: {indexed:?}");
            }
        }
    }
}
