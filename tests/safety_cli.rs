//! Safe by default: input that looks wrong is refused before anything is
//! changed (languages swapped, not a project, both inputs on stdin), and a
//! project is created with `dragoman init`.

mod support;

use std::path::Path;

use support::{TempProject, dragoman, repo_path};

const AR: &str = "examples/raqqa-2017/ar.txt";
const EN: &str = "examples/raqqa-2017/en.txt";

fn stderr_of(output: &std::process::Output) -> String {
    String::from_utf8_lossy(&output.stderr).into_owned()
}

/// `dragoman ARGS…` run in `dir` (no `--project`: the current directory is it).
fn run_in(dir: &Path, args: &[&str]) -> std::process::Output {
    dragoman().current_dir(dir).args(args).output().unwrap()
}

/// Every path under `dir`, sorted, relative.
fn tree(dir: &Path) -> Vec<String> {
    fn walk(root: &Path, dir: &Path, out: &mut Vec<String>) {
        for entry in std::fs::read_dir(dir).unwrap() {
            let path = entry.unwrap().path();
            out.push(path.strip_prefix(root).unwrap().display().to_string());
            if path.is_dir() {
                walk(root, &path, out);
            }
        }
    }
    let mut out = Vec::new();
    walk(dir, dir, &mut out);
    out.sort();
    out
}

#[test]
fn swapped_languages_are_refused_and_change_nothing() {
    let project = TempProject::with_bundled_glossaries();
    // A memory with the article stored the right way round.
    project.dragoman().arg("ingest").arg(repo_path(AR)).arg(repo_path(EN)).assert().success();
    let memory = std::fs::read(project.join("tm/memory.sqlite")).unwrap();
    let editions = tree(&project.join("out"));
    let before = std::fs::read(project.join("out/raqqa-2017.en.html")).unwrap();

    for command in [&["ingest"][..], &["tm", "add"], &["check"], &["publish", "--out", "out"]] {
        let output = project.dragoman().args(command).arg(repo_path(EN)).arg(repo_path(AR)).output().unwrap();
        assert_eq!(output.status.code(), Some(2), "{command:?}");
        let stderr = stderr_of(&output);
        assert!(
            stderr.contains("looks English and the translation") && stderr.contains("Arabic: swap them?"),
            "{command:?}: {stderr}"
        );
        assert_eq!(stderr.lines().count(), 1, "one line: {stderr}");
    }
    assert_eq!(std::fs::read(project.join("tm/memory.sqlite")).unwrap(), memory, "memory untouched");
    assert_eq!(tree(&project.join("out")), editions);
    assert_eq!(std::fs::read(project.join("out/raqqa-2017.en.html")).unwrap(), before, "edition untouched");
}

#[test]
fn a_source_without_arabic_is_refused() {
    let project = TempProject::new();
    let english =
        project.write("draft.txt", "The battle for Raqqa began in June. Thousands fled the city.\n");
    let output = project.dragoman().args(["tm", "add"]).arg(&english).arg(&english).output().unwrap();
    assert_eq!(output.status.code(), Some(2));
    assert!(stderr_of(&output).contains("the source has no Arabic text"), "{}", stderr_of(&output));
    assert!(!project.join("tm/memory.sqlite").exists());
}

#[test]
fn outside_a_project_commands_that_use_its_memory_or_glossaries_refuse_and_create_nothing() {
    let empty = tempfile::tempdir().unwrap();
    let run = |args: &[&str]| run_in(empty.path(), args);
    let ar = repo_path(AR).display().to_string();
    let en = repo_path(EN).display().to_string();
    for args in [
        vec!["ingest", ar.as_str(), en.as_str()],
        vec!["check", ar.as_str(), en.as_str()],
        vec!["tm", "stats"],
        vec!["tm", "lookup", "الرقة"],
        vec!["glossary", "list"],
        vec!["accept", "--check", "quotes", "--surface", "x"],
    ] {
        let output = run(&args);
        assert_eq!(output.status.code(), Some(2), "{args:?}");
        let stderr = stderr_of(&output);
        assert!(
            stderr.starts_with("dragoman: error: not a dragoman project: no tm/ or glossaries/ in .")
                && stderr.contains("run `dragoman init"),
            "{args:?}: {stderr}"
        );
    }
    assert!(tree(empty.path()).is_empty(), "nothing created: {:?}", tree(empty.path()));

    // A typo in --project is the same refusal; a file is "not a directory".
    let output = run(&["--project", "/no/such/dir", "ingest", &ar, &en]);
    assert!(stderr_of(&output).contains("not a dragoman project: no tm/ or glossaries/ in /no/such/dir"));
    std::fs::write(empty.path().join("notes.txt"), "x").unwrap();
    let output = run(&["--project", "notes.txt", "tm", "stats"]);
    assert_eq!(output.status.code(), Some(2));
    assert!(stderr_of(&output).contains("--project notes.txt: not a directory"), "{}", stderr_of(&output));
}

#[test]
fn explicit_memories_and_glossaries_and_pure_commands_work_anywhere() {
    let empty = tempfile::tempdir().unwrap();
    let run = |args: &[&str]| run_in(empty.path(), args);
    let ar = repo_path(AR).display().to_string();
    let en = repo_path(EN).display().to_string();
    let glossary = repo_path("glossaries/syria.txt").display().to_string();
    assert_eq!(run(&["segment", &ar]).status.code(), Some(0));
    assert_eq!(run(&["align", &ar, &en]).status.code(), Some(0));
    let checked = run(&["check", &ar, &en, "--glossary", &glossary]);
    assert!(matches!(checked.status.code(), Some(0 | 1)), "{}", stderr_of(&checked));
    let added = run(&["tm", "add", &ar, &en, "--tm", "mine.sqlite", "--glossary", &glossary]);
    assert_eq!(added.status.code(), Some(0), "{}", stderr_of(&added));
    let stats = run(&["tm", "stats", "--tm", "mine.sqlite", "--format", "json"]);
    assert_eq!(stats.status.code(), Some(0), "{}", stderr_of(&stats));
}

#[test]
fn init_creates_a_project_that_ingest_uses() {
    let root = tempfile::tempdir().unwrap();
    let project = root.path().join("newsroom");
    dragoman().arg("init").arg(&project).assert().success();
    for path in ["tm", "glossaries/syria.txt", "out", ".gitignore", "README.md"] {
        assert!(project.join(path).exists(), "{path}");
    }
    assert_eq!(
        std::fs::read_to_string(project.join("glossaries/syria.txt")).unwrap(),
        std::fs::read_to_string(repo_path("glossaries/syria.txt")).unwrap(),
        "a copy of the shipped house glossary"
    );
    assert!(std::fs::read_to_string(project.join(".gitignore")).unwrap().contains("tm/memory.sqlite-wal"));
    let output = dragoman()
        .arg("--project")
        .arg(&project)
        .arg("ingest")
        .arg(repo_path(AR))
        .arg(repo_path(EN))
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(0), "{}", stderr_of(&output));
    assert!(project.join("tm/memory.sqlite").exists() && project.join("out/raqqa-2017.en.html").exists());
    // Running it again keeps what is there.
    std::fs::write(project.join("glossaries/syria.txt"), "الرقة\tRaqqa\n").unwrap();
    dragoman().arg("init").arg(&project).assert().success();
    assert_eq!(std::fs::read_to_string(project.join("glossaries/syria.txt")).unwrap(), "الرقة\tRaqqa\n");
}

#[test]
fn a_project_without_glossaries_warns_on_every_check_and_ingest() {
    let root = tempfile::tempdir().unwrap();
    dragoman().arg("init").arg(root.path()).arg("--empty-glossary").assert().success();
    assert!(!root.path().join("glossaries/syria.txt").exists());
    for command in [&["ingest", "--no-tm"][..], &["check"]] {
        let output = dragoman()
            .arg("--project")
            .arg(root.path())
            .args(command)
            .arg(repo_path(AR))
            .arg(repo_path(EN))
            .output()
            .unwrap();
        assert!(
            stderr_of(&output).contains("dragoman: warning: no glossary:"),
            "{command:?}: {}",
            stderr_of(&output)
        );
    }
}

#[test]
fn only_one_input_can_be_standard_input() {
    let project = TempProject::new();
    let output = project.dragoman().args(["ingest", "-", "-"]).output().unwrap();
    assert_eq!(output.status.code(), Some(2));
    assert!(stderr_of(&output).contains("only one input can be standard input"), "{}", stderr_of(&output));
}

#[test]
fn old_mac_line_endings_read_like_any_other() {
    let project = TempProject::new();
    let cr = |relative: &str| support::read_repo(relative).replace("\r\n", "\n").replace('\n', "\r");
    let ar = project.write("mac.ar.txt", cr(AR));
    let en = project.write("mac.en.txt", cr(EN));
    let beads = |a: &Path, e: &Path| {
        let output = project.dragoman().arg("align").arg(a).arg(e).output().unwrap();
        assert_eq!(output.status.code(), Some(0), "{}", stderr_of(&output));
        String::from_utf8(output.stdout).unwrap()
    };
    assert_eq!(beads(&ar, &en), beads(&repo_path(AR), &repo_path(EN)), "same paragraphs, same beads");
    let published = project.dragoman().args(["publish", "--out", "site"]).arg(&ar).arg(&en).output().unwrap();
    assert!(matches!(published.status.code(), Some(0 | 1)), "{}", stderr_of(&published));
    let original =
        project.dragoman().args(["publish", "--out", "lf"]).arg(repo_path(AR)).arg(repo_path(EN)).output();
    assert!(original.unwrap().status.code().is_some());
    let title = |path: &str| {
        let html = std::fs::read_to_string(project.join(path)).unwrap();
        html.split("<title>").nth(1).unwrap().split("</title>").next().unwrap().to_string()
    };
    assert_eq!(title("site/mac.en.html"), title("lf/raqqa-2017.en.html"), "the headline is still the title");
}

#[test]
fn a_word_document_is_named_with_what_to_do() {
    let project = TempProject::new();
    let docx = project.write("article.docx", b"PK\x03\x04\x14\x00\x06\x00\x08\x00word/document.xml");
    let output = project.dragoman().arg("ingest").arg(&docx).arg(repo_path(EN)).output().unwrap();
    assert_eq!(output.status.code(), Some(2));
    let stderr = stderr_of(&output);
    assert!(stderr.contains("article.docx: this is a Word document, not plain text"), "{stderr}");
    assert!(stderr.contains("save it as plain text (UTF-8)"), "{stderr}");
    assert!(!project.join("tm/memory.sqlite").exists());
}

#[test]
fn messages_say_what_to_do() {
    let project = TempProject::with_bundled_glossaries();
    // `tm lookup` without a sentence points to --file.
    let output = project.dragoman().args(["tm", "lookup"]).output().unwrap();
    assert_eq!(output.status.code(), Some(2));
    assert!(stderr_of(&output).contains("or --file FILE"), "{}", stderr_of(&output));
    // `check` without arguments mentions --tm.
    let output = project.dragoman().arg("check").output().unwrap();
    assert_eq!(output.status.code(), Some(2));
    let help =
        String::from_utf8(project.dragoman().args(["check", "--help"]).output().unwrap().stdout).unwrap();
    assert!(help.contains("or use --tm to check the memory"), "{help}");
    // Every --format is described in help.
    for command in [
        &["tm", "stats"][..],
        &["tm", "lookup"],
        &["tm", "concordance"],
        &["glossary", "list"],
        &["glossary", "lint"],
        &["glossary", "export"],
        &["glossary", "drift"],
        &["glossary", "suggest"],
        &["tm", "documents"],
        &["accept"],
        &["prepare"],
        &["segment"],
        &["check"],
        &["ingest"],
        &["publish"],
    ] {
        let help = project.dragoman().args(command).arg("--help").output().unwrap();
        let help = String::from_utf8(help.stdout).unwrap();
        let format = help.split("--format <").nth(1).unwrap_or_else(|| panic!("{command:?}: {help}"));
        // The description follows on the option's line, or (long help)
        // on the indented line below it.
        let mut lines = format.lines();
        let same_line = lines.next().unwrap().split('>').nth(1).unwrap_or("").trim();
        let next_line = lines.next().filter(|l| l.starts_with("          ")).unwrap_or("").trim();
        let described = if same_line.is_empty() { next_line } else { same_line };
        assert!(
            !described.is_empty() && !described.starts_with('-'),
            "{command:?} --format has a description: {help}"
        );
    }
    // tm add and ingest share one --min-confidence default.
    let default = |command: &[&str]| {
        let help = project.dragoman().args(command).arg("--help").output().unwrap();
        let help = String::from_utf8(help.stdout).unwrap();
        let after = help.split("--min-confidence <X>").nth(1).unwrap().to_string();
        after.split("[default: ").nth(1).unwrap().split(']').next().unwrap().to_string()
    };
    assert_eq!(default(&["tm", "add"]), default(&["ingest"]));
}

#[test]
fn glossary_lint_exits_1_on_errors_and_on_warnings_only_with_strict() {
    let project = TempProject::new();
    // A form one entry forbids and another approves: a warning, no error.
    project.write("glossaries/g.txt", "الرقة\tRaqqa\t\t\t\tIslamic State\nتنظيم الدولة\tIslamic State\n");
    let lint = |strict: bool| {
        let mut command = project.dragoman();
        command.args(["glossary", "lint"]);
        if strict {
            command.arg("--strict");
        }
        command.output().unwrap()
    };
    let plain = lint(false);
    let stdout = String::from_utf8_lossy(&plain.stdout).into_owned();
    assert!(stdout.contains("warning") && !stdout.contains(": error:"), "{stdout}");
    assert_eq!(plain.status.code(), Some(0), "warnings alone exit 0");
    assert_eq!(lint(true).status.code(), Some(1), "--strict: warnings exit 1");
    project.write("glossaries/bad.txt", "الرقة\n");
    assert_eq!(lint(false).status.code(), Some(1), "errors exit 1: {}", stderr_of(&lint(false)));
}

#[test]
fn segment_numbers_sentences_from_1() {
    let output = dragoman().args(["segment", "--numbered"]).arg(repo_path(EN)).output().unwrap();
    let text = String::from_utf8(output.stdout).unwrap();
    let numbered: Vec<&str> = text.lines().filter(|l| !l.is_empty()).collect();
    assert!(numbered[0].starts_with("   1  International Dispute"), "{text}");
    assert!(numbered[1].starts_with("   2  Raqqa is Being Slaughtered"), "{text}");
    assert!(numbered.last().unwrap().trim_start().starts_with(&numbered.len().to_string()));
}

#[test]
fn annotated_beads_number_from_1_and_read_back_like_plain_ones() {
    let project = TempProject::new();
    let align = |extra: &[&str]| {
        let output = project
            .dragoman()
            .arg("align")
            .args(extra)
            .arg(repo_path(AR))
            .arg(repo_path(EN))
            .output()
            .unwrap();
        assert_eq!(output.status.code(), Some(0), "{}", stderr_of(&output));
        String::from_utf8(output.stdout).unwrap()
    };
    let plain = align(&[]);
    assert!(plain.lines().all(|l| l.contains('\t')), "plain beads are unchanged: {plain}");
    let annotated = align(&["--annotate"]);
    assert!(annotated.starts_with("# 1: خلاف دولي في معركة الرقة | International Dispute"), "{annotated}");
    assert_eq!(
        annotated.lines().filter(|l| !l.starts_with('#')).collect::<Vec<_>>().join("\n") + "\n",
        plain
    );
    // Edited by hand and given back: the comments are skipped.
    let beads = project.write("fixed.beads", &annotated);
    let reread = align(&["--beads", beads.to_str().unwrap()]);
    assert_eq!(reread, plain);
}
