//! Documents in the memory through the command line: names that do not
//! collide (`--name` for standard input, `--replace` for another source
//! file), `tm documents`, `tm export --document`, and memories made before
//! the memory recorded documents.

mod support;

use serde_json::Value;
use support::{TempProject, read_repo};

/// The bundled example as `DIR/article.ar.txt` and `DIR/article.en.txt`:
/// two folders give two articles with the same file names.
fn article_in(project: &TempProject, dir: &str) -> (std::path::PathBuf, std::path::PathBuf) {
    (
        project.write(&format!("{dir}/article.ar.txt"), read_repo("examples/raqqa-2017/ar.txt")),
        project.write(&format!("{dir}/article.en.txt"), read_repo("examples/raqqa-2017/en.txt")),
    )
}

/// A shorter article from another day: what a second `article.ar.txt` holds.
fn other_article_in(project: &TempProject, dir: &str) -> (std::path::PathBuf, std::path::PathBuf) {
    (
        project.write(
            &format!("{dir}/article.ar.txt"),
            "قصف جوي على حلب\n\nقتل خمسة مدنيين في غارة جوية على حلب يوم الأحد.\n\nوقال المرصد إن الغارة استهدفت سوقا شعبيا.\n",
        ),
        project.write(
            &format!("{dir}/article.en.txt"),
            "Air Strike on Aleppo\n\nFive civilians were killed in an air strike on Aleppo on Sunday.\n\nThe Observatory said the strike hit a popular market.\n",
        ),
    )
}

fn ingest(project: &TempProject, (ar, en): &(std::path::PathBuf, std::path::PathBuf)) -> assert_cmd::Command {
    let mut command = project.dragoman();
    command.arg("ingest").arg(ar).arg(en).args(["--formats", "txt"]);
    command
}

fn documents(project: &TempProject) -> Value {
    let output = project.dragoman().args(["tm", "documents", "--format", "json"]).output().unwrap();
    assert!(output.status.success(), "{}", String::from_utf8_lossy(&output.stderr));
    serde_json::from_slice::<Value>(&output.stdout).unwrap()["documents"].clone()
}

fn export(project: &TempProject) -> Vec<u8> {
    project.dragoman().args(["tm", "export", "-"]).output().unwrap().stdout
}

fn stderr_of(output: &std::process::Output) -> String {
    String::from_utf8_lossy(&output.stderr).into_owned()
}

#[test]
fn an_article_with_the_same_name_from_another_file_is_refused_until_replace() {
    let project = TempProject::new();
    let first = article_in(&project, "monday");
    ingest(&project, &first).assert().success();
    let edition = std::fs::read(project.join("out/article.en.txt")).unwrap();
    let memory = export(&project);
    let recorded = documents(&project);

    let second = other_article_in(&project, "tuesday");
    let output = ingest(&project, &second).output().unwrap();
    assert_eq!(output.status.code(), Some(2));
    let stderr = stderr_of(&output);
    assert_eq!(stderr.lines().count(), 1, "{stderr}");
    let first_file = std::fs::canonicalize(&first.0).unwrap();
    let second_file = std::fs::canonicalize(&second.0).unwrap();
    let ingested = recorded[0]["ingested"].as_str().unwrap();
    for wanted in [
        "document `article` was stored from ".to_string(),
        first_file.display().to_string(),
        second_file.display().to_string(),
        format!("on {} {} UTC", &ingested[..10], &ingested[11..16]),
        "--replace".to_string(),
        "nothing was changed".to_string(),
    ] {
        assert!(stderr.contains(&wanted), "{wanted:?} in {stderr}");
    }
    assert_eq!(export(&project), memory, "the memory is unchanged");
    assert_eq!(documents(&project), recorded);
    assert_eq!(std::fs::read(project.join("out/article.en.txt")).unwrap(), edition, "the edition too");

    // The same source file again replaces, as always.
    ingest(&project, &first).assert().success();
    assert_eq!(documents(&project)[0]["source_file"], first_file.display().to_string());

    let replaced = ingest(&project, &second).arg("--replace").output().unwrap();
    assert!(replaced.status.success(), "{}", stderr_of(&replaced));
    let now = documents(&project);
    assert_eq!(now.as_array().unwrap().len(), 1);
    assert_eq!(now[0]["source_file"], second_file.display().to_string());
    assert_eq!(now[0]["title"], "Air Strike on Aleppo");
    assert_eq!(now[0]["units"], 3, "the headline and two sentences");
    let edition = std::fs::read_to_string(project.join("out/article.en.txt")).unwrap();
    assert!(edition.contains("Five civilians"), "{edition}");
}

#[test]
fn another_name_keeps_both_articles() {
    let project = TempProject::new();
    ingest(&project, &article_in(&project, "monday")).assert().success();
    ingest(&project, &other_article_in(&project, "tuesday"))
        .args(["--name", "aleppo-strike"])
        .assert()
        .success();
    let names: Vec<(String, u64)> = documents(&project)
        .as_array()
        .unwrap()
        .iter()
        .map(|d| (d["name"].as_str().unwrap().to_string(), d["units"].as_u64().unwrap()))
        .collect();
    assert_eq!(names, [("aleppo-strike".to_string(), 3), ("article".to_string(), 10)]);
}

#[test]
fn standard_input_needs_a_name() {
    let project = TempProject::new();
    let (ar, en) = article_in(&project, "monday");
    for command in [&["ingest"][..], &["tm", "add"]] {
        let output = project
            .dragoman()
            .args(command)
            .arg("-")
            .arg(&en)
            .write_stdin(std::fs::read(&ar).unwrap())
            .output()
            .unwrap();
        assert_eq!(output.status.code(), Some(2), "{command:?}");
        assert_eq!(
            stderr_of(&output),
            "dragoman: error: an article read from standard input needs a document name: pass --name NAME\n"
        );
    }
    assert!(!project.join("tm/memory.sqlite").exists() && !project.join("out").exists(), "nothing made");

    project
        .dragoman()
        .args(["ingest", "-"])
        .arg(&en)
        .args(["--name", "raqqa", "--formats", "txt"])
        .write_stdin(std::fs::read(&ar).unwrap())
        .assert()
        .success();
    assert_eq!(documents(&project)[0]["source_file"], "-");
    let text = project.dragoman().args(["tm", "documents"]).output().unwrap();
    let text = String::from_utf8(text.stdout).unwrap();
    assert!(text.contains("from standard input"), "{text}");
    // A file under the same name is another source.
    ingest(&project, &(ar, en)).args(["--name", "raqqa"]).assert().code(2);
}

#[test]
fn tm_add_refuses_another_source_file_too() {
    let project = TempProject::new();
    let add = |(ar, en): &(std::path::PathBuf, std::path::PathBuf), extra: &[&str]| {
        project.dragoman().args(["tm", "add"]).arg(ar).arg(en).args(extra).output().unwrap()
    };
    assert!(add(&article_in(&project, "monday"), &[]).status.success());
    let memory = export(&project);
    let second = other_article_in(&project, "tuesday");
    let refused = add(&second, &[]);
    assert_eq!(refused.status.code(), Some(2));
    assert!(stderr_of(&refused).contains("pass --replace"), "{}", stderr_of(&refused));
    assert_eq!(export(&project), memory);
    assert!(add(&second, &["--replace"]).status.success());
    assert_eq!(documents(&project)[0]["units"], 3);
}

#[test]
fn tm_documents_lists_title_date_units_source_and_time() {
    let project = TempProject::new();
    let first = article_in(&project, "monday");
    ingest(&project, &first).args(["--date", "2017-06-06"]).assert().success();
    let json = project.dragoman().args(["tm", "documents", "--format", "json"]).output().unwrap().stdout;
    let json = String::from_utf8(json).unwrap();
    let keys = ["documents", "name", "units", "source_file", "title", "date", "ingested"];
    let at: Vec<usize> = keys.iter().map(|k| json.find(&format!("\"{k}\":")).unwrap()).collect();
    assert!(at.windows(2).all(|w| w[0] < w[1]), "keys in the documented order: {json}");
    let listed = documents(&project);
    let document = &listed[0];
    assert_eq!(document["name"], "article");
    assert_eq!(document["units"], 10);
    assert_eq!(document["title"], "International Dispute over the Battle of Raqqa");
    assert_eq!(document["date"], "2017-06-06");
    let ingested = document["ingested"].as_str().unwrap();
    assert!(ingested.len() == 20 && ingested.ends_with('Z') && &ingested[10..11] == "T", "{ingested}");

    let text = project.dragoman().args(["tm", "documents"]).output().unwrap();
    let text = String::from_utf8(text.stdout).unwrap();
    assert!(text.starts_with("article  International Dispute over the Battle of Raqqa\n"), "{text}");
    assert!(text.contains("10 units · dated 2017-06-06 · from "), "{text}");
    assert!(text.contains(&std::fs::canonicalize(&first.0).unwrap().display().to_string()), "{text}");
    assert!(text.ends_with("1 document\n"), "{text}");
}

#[test]
fn export_by_document_writes_just_those_and_refuses_an_unknown_name() {
    let project = TempProject::new();
    ingest(&project, &article_in(&project, "monday")).assert().success();
    ingest(&project, &other_article_in(&project, "tuesday")).args(["--name", "aleppo"]).assert().success();
    let output = project.dragoman().args(["tm", "export", "-", "--document", "aleppo"]).output().unwrap();
    assert!(output.status.success());
    let tmx = String::from_utf8(output.stdout).unwrap();
    assert_eq!(tmx.matches("<tu ").count(), 3, "{tmx}");
    assert!(tmx.contains("tuid=\"aleppo:1\"") && !tmx.contains("article:"), "{tmx}");

    let both = project
        .dragoman()
        .args(["tm", "export", "-", "--document", "article", "--document", "aleppo"])
        .output()
        .unwrap();
    assert_eq!(String::from_utf8(both.stdout).unwrap().matches("<tu ").count(), 13);

    let refused = project
        .dragoman()
        .args(["tm", "export", "some.tmx", "--document", "aleppo", "--document", "homs"])
        .output()
        .unwrap();
    assert_eq!(refused.status.code(), Some(2));
    let stderr = stderr_of(&refused);
    assert!(stderr.contains("no document `homs` in the memory (documents: aleppo, article)"), "{stderr}");
    assert!(!project.join("some.tmx").exists(), "nothing written");
}

#[test]
fn removing_a_document_forgets_its_source() {
    let project = TempProject::new();
    ingest(&project, &article_in(&project, "monday")).assert().success();
    project.dragoman().args(["tm", "remove", "--doc", "article"]).assert().success();
    assert_eq!(documents(&project), Value::Array(Vec::new()));
    ingest(&project, &other_article_in(&project, "tuesday")).assert().success();
}

#[test]
fn a_memory_made_before_documents_were_recorded_is_upgraded_in_place() {
    let project = TempProject::new();
    ingest(&project, &article_in(&project, "monday")).assert().success();
    // What an earlier dragoman left: schema version 4, no `document` table.
    {
        let conn = rusqlite::Connection::open(project.join("tm/memory.sqlite")).unwrap();
        conn.execute_batch("DROP TABLE document; PRAGMA user_version = 4;").unwrap();
    }
    let memory = export(&project);
    let listed = documents(&project);
    assert_eq!(listed[0]["units"], 10);
    assert!(listed[0]["source_file"].is_null() && listed[0]["ingested"].is_null(), "{listed}");
    let text = project.dragoman().args(["tm", "documents"]).output().unwrap();
    assert!(String::from_utf8(text.stdout).unwrap().contains("10 units · source not known"));
    assert_eq!(export(&project), memory, "the units are as they were");
    // Nothing is known about the stored article's source: no --replace.
    let second = other_article_in(&project, "tuesday");
    ingest(&project, &second).assert().success();
    let conn = rusqlite::Connection::open(project.join("tm/memory.sqlite")).unwrap();
    let version: i64 = conn.query_row("PRAGMA user_version", [], |row| row.get(0)).unwrap();
    assert_eq!(version, 5);
    assert_eq!(
        documents(&project)[0]["source_file"],
        std::fs::canonicalize(&second.0).unwrap().display().to_string()
    );
}

#[test]
fn copying_a_memory_keeps_what_it_records_about_documents() {
    let project = TempProject::new();
    ingest(&project, &article_in(&project, "monday")).args(["--date", "2017-06-06"]).assert().success();
    let copy = project.join("copy.sqlite");
    project.dragoman().args(["tm", "copy", "tm/memory.sqlite"]).arg(&copy).assert().success();
    let listed = |tm: &std::path::Path| {
        let output = project
            .dragoman()
            .args(["tm", "documents", "--format", "json", "--tm"])
            .arg(tm)
            .output()
            .unwrap();
        serde_json::from_slice::<Value>(&output.stdout).unwrap()
    };
    assert_eq!(listed(&copy), listed(&project.join("tm/memory.sqlite")));
}
