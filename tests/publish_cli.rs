//! `dragoman publish` and `dragoman ingest` driven as a user would, in a
//! temporary project, on the bundled example.

mod support;

use support::{TempProject, repo_path};

const AR: &str = "examples/raqqa-2017/ar.txt";
const EN: &str = "examples/raqqa-2017/en.txt";

/// `dragoman publish` of the bundled example into `out`.
fn publish_example(project: &TempProject, out: impl AsRef<std::ffi::OsStr>) -> assert_cmd::Command {
    let mut command = project.dragoman();
    command.arg("publish").arg(repo_path(AR)).arg(repo_path(EN)).arg("--out").arg(out);
    command
}

fn edition_files(dir: &std::path::Path) -> Vec<String> {
    let mut names: Vec<String> = std::fs::read_dir(dir)
        .map(|entries| {
            entries.filter_map(|e| e.ok()).map(|e| e.file_name().to_string_lossy().into_owned()).collect()
        })
        .unwrap_or_default();
    names.sort();
    names
}

#[test]
fn publish_writes_the_four_editions() {
    let project = TempProject::new();
    let out = project.join("site/2017");
    let assert = project
        .dragoman()
        .args(["publish"])
        .arg(repo_path(AR))
        .arg(repo_path(EN))
        .arg("--out")
        .arg(&out)
        .args(["--source-url", "https://www.raqqa-sl.co/?p=4785", "--date", "28 May 2017"])
        .assert()
        .success();
    let stdout = String::from_utf8_lossy(&assert.get_output().stdout).into_owned();
    assert_eq!(
        edition_files(&out),
        ["raqqa-2017.bilingual.html", "raqqa-2017.en.html", "raqqa-2017.en.md", "raqqa-2017.en.txt"]
    );
    assert!(stdout.contains("wrote ") && stdout.contains("raqqa-2017.bilingual.html"), "{stdout}");

    let html = std::fs::read_to_string(out.join("raqqa-2017.en.html")).unwrap();
    assert!(html.contains("<h1>International Dispute over the Battle of Raqqa</h1>"));
    assert!(html.contains("<time>28 May 2017</time>"));
    let text = std::fs::read_to_string(out.join("raqqa-2017.en.txt")).unwrap();
    assert!(text.ends_with("journalist featured in film “City of Ghosts”.\n"));
    let markdown = std::fs::read_to_string(out.join("raqqa-2017.en.md")).unwrap();
    assert!(markdown.starts_with("# International Dispute over the Battle of Raqqa\n"));
}

#[test]
fn bilingual_page_of_the_example_has_a_row_per_bead() {
    let project = TempProject::new();
    let out = project.join("out");
    let assert = publish_example(&project, &out)
        .args(["--formats", "bilingual", "--format", "json"])
        .assert()
        .success();
    let summary: serde_json::Value = serde_json::from_slice(&assert.get_output().stdout).unwrap();
    let beads = summary["beads"].as_u64().unwrap() as usize;
    assert!(beads >= 10, "the example has at least ten beads, got {beads}");
    assert_eq!(edition_files(&out), ["raqqa-2017.bilingual.html"]);

    let html = std::fs::read_to_string(out.join("raqqa-2017.bilingual.html")).unwrap();
    assert!(html.starts_with("<!DOCTYPE html>\n<html lang=\"en\""));
    assert_eq!(html.matches(" data-bead=\"").count(), beads);
    for n in 1..=beads {
        assert!(html.contains(&format!("id=\"bead-{n}\" data-bead=\"{n}\"")), "row {n}");
    }
    // The first Arabic cell is the Arabic headline, right to left.
    let first = html.split("id=\"bead-1\"").nth(1).unwrap();
    assert!(
        first.contains("<div class=\"cell cell-source\" lang=\"ar\" dir=\"rtl\">خلاف دولي في معركة الرقة")
    );
    // The Arabic text's last paragraph is an English caption.
    let last = html.split(&format!("id=\"bead-{beads}\"")).nth(1).unwrap();
    assert!(
        last.contains("<div class=\"cell cell-source\" lang=\"en\" dir=\"ltr\">Founder of Raqqa"),
        "{last}"
    );
    assert_eq!(html.matches("class=\"cell cell-source\" lang=\"ar\" dir=\"rtl\"").count(), beads - 1);
}

#[test]
fn an_unwritable_output_directory_fails_cleanly() {
    let project = TempProject::new();
    // A file where the directory should be: nothing can be created under it.
    let blocker = project.write("out", "not a directory");
    publish_example(&project, blocker.join("editions"))
        .assert()
        .code(2)
        .stderr(predicates::str::starts_with("dragoman: error: cannot create output directory"));
    assert_eq!(std::fs::read_to_string(&blocker).unwrap(), "not a directory");

    // A directory in place of the last file: refused before any file is written.
    let out = project.join("site");
    std::fs::create_dir_all(out.join("raqqa-2017.bilingual.html")).unwrap();
    publish_example(&project, &out)
        .assert()
        .code(2)
        .stderr(predicates::str::contains("raqqa-2017.bilingual.html: a directory is in the way"));
    assert_eq!(edition_files(&out), ["raqqa-2017.bilingual.html"]);

    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        let locked = project.join("locked");
        std::fs::create_dir(&locked).unwrap();
        std::fs::set_permissions(&locked, std::fs::Permissions::from_mode(0o555)).unwrap();
        // Root ignores directory permissions; only check where they apply.
        let writable_anyway = std::fs::write(locked.join("probe"), "x").is_ok();
        if !writable_anyway {
            publish_example(&project, &locked)
                .assert()
                .code(2)
                .stderr(predicates::str::contains("cannot write"));
            assert!(edition_files(&locked).is_empty(), "nothing half-written: {:?}", edition_files(&locked));
        }
        std::fs::set_permissions(&locked, std::fs::Permissions::from_mode(0o755)).unwrap();
    }
}

#[test]
fn an_empty_translation_is_refused_with_its_name() {
    let project = TempProject::new();
    let empty = project.write("drafts/raqqa.en.txt", "\n  \n");
    project
        .dragoman()
        .arg("publish")
        .arg(repo_path(AR))
        .arg(&empty)
        .args(["--out", "out"])
        .assert()
        .code(2)
        .stderr(predicates::str::contains("raqqa.en.txt: the translation is empty"));
    assert!(!project.join("out").exists());
}

#[test]
fn hostile_metadata_and_names_do_not_escape() {
    let project = TempProject::new();
    let ar = project.write("in/ar.txt", "خبر <script>alert(1)</script>\n\nالرقة \u{202E}تذبح\n");
    let en = project
        .write("in/en.txt", "News <script>alert(1)</script>\n\nRaqqa \"><img src=x onerror=alert(1)>\n");
    project
        .dragoman()
        .arg("publish")
        .arg(&ar)
        .arg(&en)
        .args(["--out", "out", "--source-url", "javascript:alert(1)", "--title", "<b>x</b>"])
        .assert()
        // Findings (the hostile text quoted in their messages) are fine; failing to run is not.
        .code(predicates::ord::le(1));
    for file in ["in.bilingual.html", "in.en.html"] {
        let html = std::fs::read_to_string(project.join("out").join(file)).unwrap();
        assert!(!html.contains("<script") && !html.contains("<img") && !html.contains("<b>"), "{file}");
        assert!(!html.contains("href=\"javascript"), "{file}");
        assert!(!html.contains('\u{202E}'), "{file}");
        assert!(!html.contains("onerror=alert(1)>"), "{file}: the attribute text stays escaped");
    }
    project
        .dragoman()
        .arg("publish")
        .arg(&ar)
        .arg(&en)
        .args(["--out", "out", "--name", "../escape"])
        .assert()
        .code(2)
        .stderr(predicates::str::contains("--name `../escape` cannot be used in a file name"));
    assert!(!project.join("escape.en.html").exists());
}

/// The texts of the `<mark class="term …">` elements in one cell's HTML.
fn term_marks(cell_html: &str) -> Vec<String> {
    cell_html
        .split("<mark class=\"term")
        .skip(1)
        .map(|rest| {
            let inner = &rest[rest.find('>').unwrap() + 1..rest.find("</mark>").unwrap()];
            inner
                .replace("&quot;", "\"")
                .replace("&#39;", "'")
                .replace("&lt;", "<")
                .replace("&gt;", ">")
                .replace("&amp;", "&")
        })
        .collect()
}

#[test]
fn every_glossary_match_is_highlighted_on_both_sides() {
    use dragoman::glossary::{Glossary, Recognizer};
    use dragoman::pair::{ArticlePair, PairOptions};

    let project = TempProject::with_bundled_glossaries();
    project
        .dragoman()
        .arg("publish")
        .arg(repo_path(AR))
        .arg(repo_path(EN))
        .args(["--out", "out", "--formats", "bilingual"])
        .assert()
        .success();
    let html = std::fs::read_to_string(project.join("out/raqqa-2017.bilingual.html")).unwrap();

    // What the recognizer reports, cell by cell, on the same pair.
    let mut glossaries: Vec<_> =
        std::fs::read_dir(project.join("glossaries")).unwrap().map(|e| e.unwrap().path()).collect();
    glossaries.sort();
    let recognizer = Recognizer::new(&Glossary::load(&glossaries).unwrap());
    // Aligned as publish aligns: with the glossary's terms as anchors.
    let (ar, en) = (support::read_repo(AR), support::read_repo(EN));
    let mut options = PairOptions::default();
    let anchors = recognizer
        .concept_anchors(&options.segmenter.segment(&ar, None), &options.segmenter.segment(&en, None));
    options.align.terms = Some(anchors);
    let pair = ArticlePair::build("raqqa-2017", &ar, &en, &options).unwrap();

    let (mut english, mut arabic) = (Vec::new(), Vec::new());
    for (index, bead) in pair.alignment.beads.iter().enumerate() {
        let surfaces = |spans: Vec<(usize, usize)>, text: &str| {
            let mut spans = spans;
            spans.dedup();
            spans.into_iter().map(|(s, e)| text[s..e].to_string()).collect::<Vec<_>>()
        };
        let source = pair.source_of(bead);
        let target = pair.target_of(bead);
        let expected_source =
            surfaces(recognizer.find_arabic(&source).iter().map(|m| m.span).collect(), &source);
        let expected_target =
            surfaces(recognizer.find_english(&target).iter().map(|m| m.span).collect(), &target);

        let row = html.split(&format!("id=\"bead-{}\"", index + 1)).nth(1).unwrap();
        let row = row.split("<div class=\"row").next().unwrap();
        let target_cell = row.split("cell-target").nth(1).unwrap().split("cell-source").next().unwrap();
        let source_cell = row.split("cell-source").nth(1).unwrap();
        assert_eq!(term_marks(target_cell), expected_target, "English cell of row {}", index + 1);
        assert_eq!(term_marks(source_cell), expected_source, "Arabic cell of row {}", index + 1);
        english.extend(expected_target);
        arabic.extend(expected_source);
    }
    for term in [
        "Raqqa",
        "YPG",
        "cotton gins",
        "Interfax",
        "ISIS",
        "Palmyra",
        "Homs",
        "Badia desert",
        "SDF",
        "al-Mashlab",
    ] {
        assert!(english.iter().any(|m| m == term), "{term} highlighted: {english:?}");
    }
    for term in [
        "الرقة",
        "وحدات حماية الشعب",
        "محالج الاقطان",
        "انترفاكس",
        "داعش",
        "تدمر",
        "حمص",
        "البادية",
        "قسد",
        "المشلب",
    ] {
        assert!(arabic.iter().any(|m| m == term), "{term} highlighted: {arabic:?}");
    }
    // Tooltips carry the entry, its approved rendering and its note.
    assert!(html.contains("title=\"الرقة → Raqqa"), "tooltip for Raqqa");
}

#[test]
fn a_hand_corrected_beads_file_sets_the_rows() {
    let project = TempProject::new();
    let assert = project
        .dragoman()
        .arg("publish")
        .arg(repo_path("examples/raqqa-2017/ar.sents"))
        .arg(repo_path("examples/raqqa-2017/en.sents"))
        .arg("--presegmented")
        .arg("--beads")
        .arg(repo_path("examples/raqqa-2017/gold.align"))
        .args(["--out", "out", "--name", "raqqa-gold"])
        .assert()
        .success();
    assert!(stdout_text(&assert).starts_with("raqqa-gold: 10 source and 18 target sentences in 10 beads\n"));
    let html = std::fs::read_to_string(project.join("out/raqqa-gold.bilingual.html")).unwrap();
    assert_eq!(html.matches(" data-bead=\"").count(), 10);
    // Gold bead 6 (row 7) is one Arabic sentence facing five English ones.
    let row = html.split("id=\"bead-7\"").nth(1).unwrap().split("id=\"bead-8\"").next().unwrap();
    let english = row.split("cell-target").nth(1).unwrap().split("cell-source").next().unwrap();
    assert!(english.contains("These developments come after ISIS tried to empty Raqqa’s eastern"));
    assert!(english.contains("willingly and out of affection."));
    // Confidence 1: a person checked these beads.
    assert_eq!(html.matches("data-confidence=\"1.00\"").count(), 10);
    // The English edition: the headline is the title, the second headline a
    // standfirst, the other eight paragraphs the body.
    let english_page = std::fs::read_to_string(project.join("out/raqqa-gold.en.html")).unwrap();
    assert!(english_page.contains("<p class=\"dek\">Raqqa is Being Slaughtered Silently</p>"));
    assert_eq!(english_page.matches("<p>").count(), 8);

    let bad = project.write("bad.align", "0\t0\n1\t1,2\n");
    project
        .dragoman()
        .arg("publish")
        .arg(repo_path("examples/raqqa-2017/ar.sents"))
        .arg(repo_path("examples/raqqa-2017/en.sents"))
        .arg("--presegmented")
        .arg("--beads")
        .arg(&bad)
        .args(["--out", "bad-out"])
        .assert()
        .code(2)
        .stderr(predicates::str::contains("beads file does not fit the texts"));
    assert!(!project.join("bad-out").exists());
}

fn stdout_text(assert: &assert_cmd::assert::Assert) -> String {
    String::from_utf8_lossy(&assert.get_output().stdout).into_owned()
}
