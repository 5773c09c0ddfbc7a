//! `tm import` / `tm export` through the CLI: lossless round trips of real
//! and hand-written TMX, hostile files refused with the memory untouched,
//! `--skip-bad`, and crash safety under SIGKILL.

mod support;

use std::path::{Path, PathBuf};

use dragoman::tmx::{TmxReader, TranslationUnit};
use support::{TempProject, repo_path};

fn read_units(path: &Path) -> Vec<TranslationUnit> {
    let file = std::fs::File::open(path).unwrap();
    let mut reader = TmxReader::new(file, &path.display().to_string()).unwrap();
    let mut units = Vec::new();
    while let Some(unit) = reader.next_unit().unwrap_or_else(|e| panic!("{e}")) {
        units.push(unit);
    }
    units
}

fn import(project: &TempProject, memory: &str, files: &[&Path]) -> std::process::Output {
    project.dragoman().args(["tm", "import", "--tm", memory]).args(files).output().unwrap()
}

fn export(project: &TempProject, memory: &str, out: &Path) {
    project.dragoman().args(["tm", "export", "--tm", memory]).arg(out).assert().success();
}

/// import → export → import → export: the units read from the original,
/// the first and the second export are identical.
fn assert_round_trip(original: &Path) {
    let project = TempProject::new();
    let output = import(&project, "a.sqlite", &[original]);
    assert!(output.status.success(), "{}", String::from_utf8_lossy(&output.stderr));
    let first = project.join("first.tmx");
    export(&project, "a.sqlite", &first);
    assert!(import(&project, "b.sqlite", &[&first]).status.success());
    let second = project.join("second.tmx");
    export(&project, "b.sqlite", &second);

    let units = read_units(original);
    assert!(!units.is_empty());
    assert_eq!(read_units(&first), units, "{}: first export differs", original.display());
    assert_eq!(read_units(&second), units, "{}: second export differs", original.display());
    assert_eq!(std::fs::read(&first).unwrap(), std::fs::read(&second).unwrap());
}

#[test]
fn tico19_round_trip_keeps_every_unit() {
    assert_round_trip(&repo_path("tests/fixtures/tico19/original/all.en-ar.tmx"));
}

#[test]
fn hand_written_fixtures_round_trip() {
    let dir = repo_path("tests/fixtures/tmx/good");
    let mut files: Vec<PathBuf> = std::fs::read_dir(&dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|e| e == "tmx"))
        .collect();
    files.sort();
    assert!(files.len() >= 5, "{files:?}");
    for file in files {
        assert_round_trip(&file);
    }
}

fn sha(path: &Path) -> Vec<u8> {
    std::fs::read(path).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

/// A memory with some units in it, its path, and its bytes.
fn seeded_project() -> (TempProject, PathBuf) {
    let project = TempProject::new();
    let good = repo_path("tests/fixtures/tmx/good/trados-props-notes.tmx");
    assert!(import(&project, "m.sqlite", &[&good]).status.success());
    let path = project.join("m.sqlite");
    (project, path)
}

#[test]
fn hostile_files_are_refused_and_the_memory_is_untouched() {
    let dir = repo_path("tests/fixtures/tmx/bad");
    let expected = std::fs::read_to_string(dir.join("EXPECTED.tsv"))
        .expect("tests/fixtures/tmx/bad/EXPECTED.tsv (written with the TMX reader's fixtures)");
    let (project, memory) = seeded_project();
    let before = sha(&memory);
    let mut checked = 0;
    for line in expected.lines().filter(|l| !l.trim().is_empty() && !l.starts_with('#')) {
        let fields: Vec<&str> = line.split('\t').collect();
        let [file, message, scope] = fields[..] else { panic!("bad EXPECTED.tsv line: {line}") };
        let path = dir.join(file);
        let output = import(&project, "m.sqlite", &[&path]);
        let stderr = String::from_utf8_lossy(&output.stderr);
        assert_eq!(output.status.code(), Some(2), "{file}: {stderr}");
        assert!(stderr.contains(message), "{file}: expected `{message}` in: {stderr}");
        assert!(stderr.starts_with("dragoman: error: "), "{file}: {stderr}");
        assert_eq!(sha(&memory), before, "{file}: the memory changed");

        // --skip-bad gets past unit errors (listing each), never past fatal ones.
        let copy = project.join("skip.sqlite");
        std::fs::copy(&memory, &copy).unwrap();
        let output = project
            .dragoman()
            .args(["tm", "import", "--skip-bad", "--tm"])
            .arg(&copy)
            .arg(&path)
            .output()
            .unwrap();
        let stderr = String::from_utf8_lossy(&output.stderr);
        match scope {
            "unit" => {
                assert_eq!(output.status.code(), Some(0), "{file}: {stderr}");
                assert!(
                    stderr.contains("skipped a bad unit") && stderr.contains(message),
                    "{file}: {stderr}"
                );
            }
            "fatal" => {
                assert_eq!(output.status.code(), Some(2), "{file}: {stderr}");
                assert_eq!(sha(&copy), before, "{file}: --skip-bad changed the memory on a fatal error");
            }
            other => panic!("{file}: unknown scope {other}"),
        }
        std::fs::remove_file(&copy).unwrap();
        checked += 1;
    }
    assert!(checked >= 20, "only {checked} hostile files");
}

#[test]
fn several_files_are_all_or_nothing() {
    let (project, memory) = seeded_project();
    let before = sha(&memory);
    let good = repo_path("tests/fixtures/tmx/good/level2-markup.tmx");
    let bad = project.write("bad.tmx", "<tmx version=\"1.4\"><header srclang=\"ar\"/><body><tu><tuv xml:lang=\"ar\"><seg>نص &nbsp;</seg></tuv><tuv xml:lang=\"en\"><seg>text</seg></tuv></tu></body></tmx>");
    let output = import(&project, "m.sqlite", &[&good, &bad]);
    assert_eq!(output.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&output.stderr).contains("bad.tmx:1:"));
    assert_eq!(sha(&memory), before);

    // A failed first import leaves no memory behind.
    let output = import(&project, "fresh.sqlite", &[&bad]);
    assert_eq!(output.status.code(), Some(2));
    assert!(!project.join("fresh.sqlite").exists());
}

#[test]
fn units_without_both_languages_are_kept_and_reported() {
    let project = TempProject::new();
    let tmx = project.write(
        "mixed.tmx",
        r#"<?xml version="1.0"?>
<tmx version="1.4"><header srclang="ar" creationtool="t" creationtoolversion="1" segtype="sentence" o-tmf="t" adminlang="en" datatype="plaintext"/><body>
<tu tuid="pair"><tuv xml:lang="ar-SA"><seg>مرحبا</seg></tuv><tuv xml:lang="EN-us"><seg>Hello</seg></tuv></tu>
<tu tuid="french"><tuv xml:lang="ar"><seg>شكرا</seg></tuv><tuv xml:lang="fr"><seg>Merci</seg></tuv></tu>
</body></tmx>"#,
    );
    let output = import(&project, "m.sqlite", &[&tmx]);
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(output.status.success(), "{stderr}");
    assert!(stderr.contains("unit 2 (tuid french): no English variant"), "{stderr}");
    assert!(stderr.contains("imported 2 units (1 that cannot be matched)"), "{stderr}");
    let json =
        project.dragoman().args(["tm", "stats", "--tm", "m.sqlite", "--format", "json"]).output().unwrap();
    let stats: serde_json::Value = serde_json::from_slice(&json.stdout).unwrap();
    assert_eq!(stats["units"], 2);
    assert_eq!(stats["unmatchable"], 1);
    assert_eq!(stats["languages"]["fr"], 1);
    // Region tags match case-insensitively.
    let found = project
        .dragoman()
        .args(["tm", "lookup", "--tm", "m.sqlite", "مرحبا", "--format", "json"])
        .output()
        .unwrap();
    let found: serde_json::Value = serde_json::from_slice(&found.stdout).unwrap();
    assert_eq!(found["matches"][0]["target"], "Hello");
}

#[test]
fn stdin_import_and_stdout_export() {
    let project = TempProject::new();
    let tmx = std::fs::read(repo_path("tests/fixtures/tmx/good/omegat-tmx11.tmx")).unwrap();
    project.dragoman().args(["tm", "import", "-"]).write_stdin(tmx).assert().success();
    let output = project.dragoman().args(["tm", "export", "-"]).output().unwrap();
    assert!(output.status.success());
    let text = String::from_utf8(output.stdout).unwrap();
    assert!(text.starts_with("<?xml version=\"1.0\" encoding=\"UTF-8\"?>"), "{text}");
    assert!(text.contains("xml:lang="));
}

/// Writes a TMX of `count` units of real sentences (TICO-19 recombined).
fn large_tmx(path: &Path, count: usize) {
    let units = read_units(&repo_path("tests/fixtures/tico19/original/all.en-ar.tmx"));
    let mut writer =
        dragoman::tmx::TmxWriter::new(std::fs::File::create(path).unwrap(), &Default::default()).unwrap();
    for i in 0..count {
        let mut unit = units[i % units.len()].clone();
        unit.tuid = Some(format!("big:{i}"));
        writer.write_unit(&unit).unwrap();
    }
    writer.finish().unwrap();
}

#[cfg(unix)]
#[test]
fn a_killed_import_leaves_all_or_nothing() {
    use std::time::{Duration, Instant};

    let (project, memory) = seeded_project();
    let before_units = unit_count(&memory);
    let big = project.join("big.tmx");
    large_tmx(&big, 150_000);

    let mut command = std::process::Command::new(assert_cmd::cargo::cargo_bin("dragoman"));
    command.args(["tm", "import", "--tm"]).arg(&memory).arg(&big);
    command.stdout(std::process::Stdio::null()).stderr(std::process::Stdio::null());
    let mut child = command.spawn().unwrap();
    // Kill it once the import is writing (the WAL has grown), well before it ends.
    let wal = PathBuf::from(format!("{}-wal", memory.display()));
    let start = Instant::now();
    while std::fs::metadata(&wal).map_or(0, |m| m.len()) < 4 << 20
        && start.elapsed() < Duration::from_secs(60)
    {
        std::thread::sleep(Duration::from_millis(5));
    }
    let finished_early = child.try_wait().unwrap().is_some();
    child.kill().unwrap();
    child.wait().unwrap();
    assert!(!finished_early, "the import ended before it could be killed");

    let opened = dragoman::memory::Memory::open(&memory).unwrap();
    opened.check_integrity().unwrap();
    drop(opened);
    let after = unit_count(&memory);
    assert!(after == before_units || after == before_units + 150_000, "{before_units} → {after}");
    // And the memory still works.
    project.dragoman().args(["tm", "stats", "--tm"]).arg(&memory).assert().success();
}

fn unit_count(memory: &Path) -> u64 {
    dragoman::memory::Memory::open(memory).unwrap().unit_count().unwrap()
}
