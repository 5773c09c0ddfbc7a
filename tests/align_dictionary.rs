//! Bilingual word lists as alignment anchors (`align --dictionary FILE`):
//! loading, bad input, a wrong bead the list corrects, and the CLI.

mod support;

use std::sync::Arc;

use dragoman::align::{self, AlignOptions, Dictionary, DictionaryProblem};
use dragoman::lang::Lang;
use dragoman::segment::read_presegmented;
use support::{TempProject, dragoman, read_repo, repo_path};

const WORD_LIST: &str = "tests/fixtures/dictionary/news.tsv";

fn fixture_dictionary() -> Dictionary {
    Dictionary::parse(&read_repo(WORD_LIST), WORD_LIST).expect("the fixture word list loads")
}

#[test]
fn the_fixture_word_list_loads_and_matches_inflected_words() {
    let dictionary = fixture_dictionary();
    // 37 pairs; the phrase, the function word and جوي (two letters once
    // its suffix is stripped: too short to tell sentences apart) are read,
    // unused.
    assert_eq!(dictionary.len(), 34);
    assert_eq!(dictionary.skipped(), 3);
    // Clitics and plural suffixes stripped on the Arabic side, plurals on
    // the English side.
    assert_eq!(dictionary.renderings("شاشات"), vec!["screen"]);
    assert_eq!(dictionary.renderings("والمدينة"), vec!["city", "town"]);
    assert_eq!(dictionary.renderings("قوافل"), vec!["convoy"]);
    assert!(dictionary.renderings("سلاح").is_empty());
    assert!(dictionary.renderings("في").is_empty());
}

/// Two Arabic sentences of about the same length (flores200
/// 018_wikinews), the translation of the second only: length alone pairs
/// the English sentence with the first.
fn funeral() -> (Vec<dragoman::segment::Segment>, Vec<dragoman::segment::Segment>) {
    let arabic: Vec<String> = read_repo("tests/fixtures/flores200/docs/018_wikinews.ar")
        .lines()
        .skip(1)
        .take(2)
        .map(String::from)
        .collect();
    let english =
        read_repo("tests/fixtures/flores200/docs/018_wikinews.en").lines().nth(2).unwrap().to_string();
    assert!(english.starts_with("Several large television screens"));
    (read_presegmented(&arabic.join("\n"), Some(Lang::Ar)), read_presegmented(&english, Some(Lang::En)))
}

fn shape(alignment: &align::Alignment) -> Vec<(Vec<usize>, Vec<usize>)> {
    alignment.beads.iter().map(|b| (b.source.clone(), b.target.clone())).collect()
}

#[test]
fn the_dictionary_tells_which_sentence_was_left_untranslated() {
    let (source, target) = funeral();
    let expected = vec![(vec![0], vec![]), (vec![1], vec![0])];
    let without = align::align(&source, &target, &AlignOptions::default());
    assert_ne!(shape(&without), expected, "length alone gets this one wrong");
    let options =
        AlignOptions { dictionary: Some(Arc::new(fixture_dictionary())), ..AlignOptions::default() };
    let with = align::align(&source, &target, &options);
    assert_eq!(shape(&with), expected);
    let evidence: Vec<&str> =
        (with.beads[1].evidence.iter()).filter(|e| e.kind == "dictionary").map(|e| e.text.as_str()).collect();
    assert!(evidence.contains(&"شاشات = screens"), "{evidence:?}");
    assert!(evidence.contains(&"مراسم = ceremony"), "{evidence:?}");
}

#[test]
fn the_dictionary_keeps_the_bundled_example_exact() {
    let read = |name: &str| read_repo(&format!("examples/raqqa-2017/{name}"));
    let gold = align::parse_beads(&read("gold.align"), "gold.align").unwrap();
    let source = read_presegmented(&read("ar.sents"), Some(Lang::Ar));
    let target = read_presegmented(&read("en.sents"), Some(Lang::En));
    let options =
        AlignOptions { dictionary: Some(Arc::new(fixture_dictionary())), ..AlignOptions::default() };
    let alignment = align::align(&source, &target, &options);
    let pairs = |beads: &[align::Bead]| beads.iter().map(|b| (b.source.clone(), b.target.clone())).collect();
    let (found, gold): (Vec<_>, Vec<_>) = (pairs(&alignment.beads), pairs(&gold));
    assert_eq!(found, gold);
}

#[test]
fn a_line_without_a_tab_is_reported_with_file_and_line() {
    let error = Dictionary::parse("# words\nمدينة\tcity\nمعركة battle\n", "words.tsv").unwrap_err();
    assert_eq!(error.line, 3);
    assert_eq!(error.problem, DictionaryProblem::MissingTab);
    assert_eq!(error.to_string(), "words.tsv:3: no tab: expected `arabic<TAB>english[, english…]`");
}

#[test]
fn reversed_columns_and_empty_sides_are_reported() {
    let error = Dictionary::parse("city\tمدينة\n", "w.tsv").unwrap_err();
    assert!(matches!(error.problem, DictionaryProblem::NotArabic(_)), "{error}");
    let error = Dictionary::parse("مدينة\tcity\nمعركة\t , \n", "w.tsv").unwrap_err();
    assert_eq!((error.line, error.problem), (2, DictionaryProblem::EmptyEnglish));
}

#[test]
fn invalid_utf8_is_reported_with_line_and_column() {
    let mut bytes = "مدينة\tcity\n".as_bytes().to_vec();
    bytes.extend_from_slice(b"ab\xFF\tcd\n");
    let error = Dictionary::from_bytes(&bytes, "latin1.tsv").unwrap_err();
    assert_eq!((error.line, error.problem.clone()), (2, DictionaryProblem::InvalidUtf8 { column: 3 }));
    assert!(error.to_string().starts_with("latin1.tsv:2: invalid UTF-8 at column 3"), "{error}");
}

/// `text` as UTF-16 with a byte order mark, as Windows Notepad saves it.
fn utf16(text: &str, little_endian: bool) -> Vec<u8> {
    let mut bytes = if little_endian { vec![0xFF, 0xFE] } else { vec![0xFE, 0xFF] };
    for unit in text.encode_utf16() {
        bytes.extend(if little_endian { unit.to_le_bytes() } else { unit.to_be_bytes() });
    }
    bytes
}

#[test]
fn utf16_word_lists_load_like_utf8_ones() {
    let text = "# casualties\r\nقتل\tkilled, kill\r\nالمستشفى\thospital\r\n";
    let expected = Dictionary::parse(text, "words.tsv").unwrap();
    for little_endian in [true, false] {
        let dictionary = Dictionary::from_bytes(&utf16(text, little_endian), "words.tsv").unwrap();
        assert_eq!(dictionary.len(), 2);
        assert_eq!(dictionary.renderings("قتل"), expected.renderings("قتل"));
        assert_eq!(dictionary.renderings("والمستشفيات"), ["hospital"]);
    }
    // A UTF-8 BOM is skipped too.
    let with_bom = [b"\xEF\xBB\xBF".as_slice(), text.as_bytes()].concat();
    assert_eq!(Dictionary::from_bytes(&with_bom, "words.tsv").unwrap().len(), 2);
}

#[test]
fn undecodable_utf16_and_binary_files_are_reported_with_their_line() {
    // An unpaired surrogate on line 2.
    let mut bytes = utf16("مدينة\tcity\nمعركة\t", true);
    let offset = bytes.len();
    bytes.extend(0xD800u16.to_le_bytes());
    let error = Dictionary::from_bytes(&bytes, "words.tsv").unwrap_err();
    assert_eq!((error.line, error.problem.clone()), (2, DictionaryProblem::InvalidUtf16 { offset }));
    assert_eq!(error.to_string(), format!("words.tsv:2: invalid UTF-16 at byte offset {offset}"));
    let error = Dictionary::from_bytes(b"\xD9\x85\tm\nx\0y\n", "words.bin").unwrap_err();
    assert_eq!((error.line, error.problem), (2, DictionaryProblem::Binary { offset: 6 }));
}

#[test]
fn align_takes_dictionaries_and_names_their_pairs_as_evidence() {
    let project = TempProject::new();
    let arabic = read_repo("tests/fixtures/flores200/docs/018_wikinews.ar");
    let english = read_repo("tests/fixtures/flores200/docs/018_wikinews.en");
    project.write("ar.txt", arabic.lines().skip(1).take(2).collect::<Vec<_>>().join("\n") + "\n");
    project.write("en.txt", english.lines().nth(2).unwrap().to_string() + "\n");
    project.write("more.tsv", "# a second list, merged with the first\nأماكن\tplaces\n");
    let plain = project.dragoman().args(["align", "--presegmented", "ar.txt", "en.txt"]).output().unwrap();
    assert!(plain.status.success());
    assert_ne!(String::from_utf8_lossy(&plain.stdout), "0\t\n1\t0\n");

    let with = |format: &str| {
        let output = (project.dragoman())
            .args(["align", "--presegmented", "ar.txt", "en.txt", "--format", format, "--dictionary"])
            .arg(repo_path(WORD_LIST))
            .args(["--dictionary", "more.tsv"])
            .output()
            .unwrap();
        assert!(output.status.success(), "{}", String::from_utf8_lossy(&output.stderr));
        String::from_utf8(output.stdout).unwrap()
    };
    assert_eq!(with("beads"), "0\t\n1\t0\n");
    let json: serde_json::Value = serde_json::from_str(&with("json")).unwrap();
    let evidence = &json["beads"][1]["evidence"];
    let has = |kind: &str, text: &str| {
        evidence.as_array().unwrap().iter().any(|e| e["kind"] == kind && e["text"] == text)
    };
    assert!(has("dictionary", "شاشات = screens"), "{evidence}");
    assert!(has("dictionary", "أماكن = places"), "{evidence}");
}

#[test]
fn a_bad_dictionary_stops_align_with_its_file_and_line() {
    let project = TempProject::new();
    project.write("ar.txt", "مدينة كبيرة.\n");
    project.write("en.txt", "A large city.\n");
    project.write("bad.tsv", "مدينة\tcity\nكبيرة large\n");
    let output =
        (project.dragoman()).args(["align", "ar.txt", "en.txt", "--dictionary", "bad.tsv"]).output().unwrap();
    assert_eq!(output.status.code(), Some(2));
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(stderr.contains("dragoman: error: bad.tsv:2: no tab"), "{stderr}");
    let missing = (dragoman())
        .args(["align", "ar.txt", "en.txt", "--dictionary", "nowhere.tsv"])
        .current_dir(project.path())
        .output()
        .unwrap();
    assert_eq!(missing.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&missing.stderr).contains("nowhere.tsv"));
}

#[test]
fn the_projects_lexicons_are_used_without_naming_them() {
    let project = TempProject::new();
    let arabic = read_repo("tests/fixtures/flores200/docs/018_wikinews.ar");
    let english = read_repo("tests/fixtures/flores200/docs/018_wikinews.en");
    project.write("ar.txt", arabic.lines().skip(1).take(2).collect::<Vec<_>>().join("\n") + "\n");
    project.write("en.txt", english.lines().nth(2).unwrap().to_string() + "\n");
    project.write("lexicons/news.tsv", read_repo(WORD_LIST));
    project.write("lexicons/README.md", "Word lists for the aligner.\n");
    let align = |dir: &std::path::Path, extra: &[&str]| {
        let output = dragoman()
            .current_dir(dir)
            .arg("--project")
            .arg(project.path())
            .args(["align", "--presegmented"])
            .arg(project.join("ar.txt"))
            .arg(project.join("en.txt"))
            .args(extra)
            .output()
            .unwrap();
        assert!(output.status.success(), "{}", String::from_utf8_lossy(&output.stderr));
        (String::from_utf8(output.stdout).unwrap(), String::from_utf8(output.stderr).unwrap())
    };
    // From elsewhere, with --project: the project's list corrects the bead and the summary names it.
    let elsewhere = tempfile::tempdir().unwrap();
    let (beads, stderr) = align(elsewhere.path(), &[]);
    assert_eq!(beads, "0\t\n1\t0\n");
    assert!(stderr.contains("dictionary: lexicons/news.tsv (34 entries)"), "{stderr}");
    let (beads, stderr) = align(elsewhere.path(), &["--no-dictionary"]);
    assert_ne!(beads, "0\t\n1\t0\n");
    assert!(!stderr.contains("dictionary:"), "{stderr}");
    // Outside a project, aligning works without the lists.
    let outside = dragoman()
        .current_dir(elsewhere.path())
        .args(["align", "--presegmented"])
        .arg(project.join("ar.txt"))
        .arg(project.join("en.txt"))
        .output()
        .unwrap();
    assert!(outside.status.success());
    assert!(!String::from_utf8_lossy(&outside.stderr).contains("dictionary:"));
}
