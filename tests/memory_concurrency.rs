//! Several `dragoman` processes writing one memory at once: nothing lost,
//! nothing duplicated, no process failing where it should have waited.
//! Every test starts real processes (not threads), as a newsroom runs
//! dragoman from several terminals, and runs against both backends: the
//! project's SQLite file and a PostgreSQL memory on a private server
//! (skipped, loudly, without PostgreSQL; a failure in CI).

mod postgres_server;
mod support;

use std::collections::HashMap;
use std::path::Path;
use std::process::{Child, Command, Output, Stdio};

use dragoman::tmx::{TmxReader, TranslationUnit};
use support::TempProject;

/// How many processes race in each test: enough to overlap on two cores.
const PROCESSES: usize = 6;

fn binary() -> std::path::PathBuf {
    assert_cmd::cargo::cargo_bin("dragoman")
}

/// Starts `dragoman --project DIR ARGS…` without waiting for it.
fn start(project: &TempProject, args: &[&str]) -> Child {
    Command::new(binary())
        .current_dir(project.path())
        .arg("--project")
        .arg(project.path())
        .args(args)
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap()
}

fn finish(children: Vec<Child>) -> Vec<Output> {
    children.into_iter().map(|child| child.wait_with_output().unwrap()).collect()
}

fn assert_all_succeeded(outputs: &[Output]) {
    for output in outputs {
        assert!(output.status.success(), "a process failed: {}", String::from_utf8_lossy(&output.stderr));
    }
}

/// The memory's units, through `tm export`.
fn exported_units(project: &TempProject, memory: &str) -> Vec<TranslationUnit> {
    let out = project.join("exported.tmx");
    let output = Command::new(binary())
        .current_dir(project.path())
        .args(["--project"])
        .arg(project.path())
        .args(["tm", "export", "--tm", memory])
        .arg(&out)
        .output()
        .unwrap();
    assert!(output.status.success(), "{}", String::from_utf8_lossy(&output.stderr));
    let mut reader = TmxReader::new(std::fs::File::open(&out).unwrap(), "exported.tmx").unwrap();
    let mut units = Vec::new();
    while let Some(unit) = reader.next_unit().unwrap() {
        units.push(unit);
    }
    units
}

/// A presegmented article pair of `sentences` sentences (one per line):
/// Arabic news sentences with their translations, numbered so every bead is
/// different; `version` changes the English so two versions differ.
fn write_article(project: &TempProject, stem: &str, sentences: usize, version: &str) -> [String; 2] {
    let mut ar = String::new();
    let mut en = String::new();
    for n in 1..=sentences {
        ar.push_str(&format!("قال المرصد إن {n} مدنيين قتلوا في غارة على مدينة الرقة يوم الجمعة.\n"));
        en.push_str(&format!(
            "The observatory said {n} civilians were killed in a raid on Raqqa on Friday{version}.\n"
        ));
    }
    let ar_path = project.write(&format!("{stem}.ar.sents"), ar);
    let en_path = project.write(&format!("{stem}.en.sents"), en);
    [ar_path.display().to_string(), en_path.display().to_string()]
}

/// `--replace`: the versions raced are different files under one name.
fn add_args<'a>(memory: &'a str, files: &'a [String; 2], name: &'a str) -> Vec<&'a str> {
    vec!["tm", "add", "--tm", memory, "--presegmented", "--replace", "--name", name, &files[0], &files[1]]
}

/// Where a test's memory lives.
#[derive(Clone, Copy)]
enum Backend {
    Sqlite,
    Postgres,
}

impl Backend {
    /// The `--tm` of a fresh memory for one test (`test` names its
    /// PostgreSQL schema), or `None` when PostgreSQL is not installed.
    fn memory(self, test: &str) -> Option<String> {
        match self {
            Backend::Sqlite => Some("tm/memory.sqlite".to_string()),
            Backend::Postgres => postgres_server::url(test),
        }
    }
}

/// Every tuid once, and the units of one version only.
fn assert_one_complete_version(units: &[TranslationUnit], sentences: usize) {
    let mut tuids: HashMap<&str, usize> = HashMap::new();
    for unit in units {
        *tuids.entry(unit.tuid.as_deref().unwrap_or("")).or_default() += 1;
    }
    let repeated: Vec<_> = tuids.iter().filter(|(_, n)| **n > 1).collect();
    assert!(repeated.is_empty(), "{} tuids stored more than once, e.g. {:?}", repeated.len(), &repeated[..1]);
    assert_eq!(units.len(), sentences, "the document is not complete");
    let versions: std::collections::BTreeSet<bool> =
        units.iter().map(|u| u.variants[1].seg.plain_text().contains("(corrected)")).collect();
    assert_eq!(versions.len(), 1, "units of both versions were kept");
}

#[test]
fn concurrent_adds_of_one_document_end_as_one_of_them_complete() {
    concurrent_adds_of_one_document(Backend::Sqlite, "");
}

#[test]
fn concurrent_adds_of_one_document_end_as_one_of_them_complete_on_postgres() {
    concurrent_adds_of_one_document(Backend::Postgres, "concurrent_adds");
}

fn concurrent_adds_of_one_document(backend: Backend, test: &str) {
    let Some(memory) = backend.memory(test) else { return };
    let project = TempProject::new();
    let sentences = 300;
    let first = write_article(&project, "first", sentences, "");
    let corrected = write_article(&project, "corrected", sentences, " (corrected)");
    // Round one races into an empty memory, round two replaces a stored
    // version, with both versions in each round.
    for _round in 0..2 {
        let children = (0..PROCESSES)
            .map(|i| {
                start(&project, &add_args(&memory, if i % 2 == 0 { &first } else { &corrected }, "raqqa"))
            })
            .collect();
        assert_all_succeeded(&finish(children));
        assert_one_complete_version(&exported_units(&project, &memory), sentences);
    }
}

/// A small TMX file of `units` units, its tuids starting with `prefix`.
fn write_tmx(project: &TempProject, name: &str, prefix: &str, units: usize) -> String {
    let mut tmx = String::from(
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<tmx version=\"1.4\"><header creationtool=\"test\" \
         creationtoolversion=\"1\" segtype=\"sentence\" o-tmf=\"test\" adminlang=\"en\" srclang=\"ar\" \
         datatype=\"plaintext\"/><body>\n",
    );
    for n in 1..=units {
        tmx.push_str(&format!(
            "<tu tuid=\"{prefix}-{n}\"><tuv xml:lang=\"ar\"><seg>نزح {n} شخصاً من {prefix}</seg></tuv>\
             <tuv xml:lang=\"en\"><seg>{n} people fled {prefix}</seg></tuv></tu>\n"
        ));
    }
    tmx.push_str("</body></tmx>\n");
    project.write(name, tmx).display().to_string()
}

#[test]
fn processes_creating_a_new_memory_at_once_all_succeed() {
    processes_creating_a_new_memory(Backend::Sqlite, "");
}

#[test]
fn processes_creating_a_new_memory_at_once_all_succeed_on_postgres() {
    processes_creating_a_new_memory(Backend::Postgres, "creating_at_once");
}

fn processes_creating_a_new_memory(backend: Backend, test: &str) {
    for round in 0..3 {
        // A new schema each round: every round creates a memory.
        let Some(memory) = backend.memory(&format!("{test}{round}")) else { return };
        let project = TempProject::new();
        let files: Vec<String> = (0..PROCESSES)
            .map(|i| write_tmx(&project, &format!("f{i}.tmx"), &format!("town{i}"), 20))
            .collect();
        // Half import (exclusive create), half add (open or create): both
        // ways of making a memory race.
        let article = write_article(&project, "article", 5, "");
        let children = files
            .iter()
            .enumerate()
            .map(|(i, file)| {
                if i % 2 == 0 {
                    start(&project, &["tm", "import", "--tm", &memory, file])
                } else {
                    start(&project, &add_args(&memory, &article, &format!("doc{i}")))
                }
            })
            .collect();
        let outputs = finish(children);
        assert_all_succeeded(&outputs);
        let units = exported_units(&project, &memory);
        let imports = PROCESSES.div_ceil(2);
        assert_eq!(units.len(), imports * 20 + (PROCESSES - imports) * 5, "round {round}");
    }
}

#[test]
fn parallel_imports_of_one_file_store_it_once() {
    parallel_imports_of_one_file(Backend::Sqlite, "");
}

#[test]
fn parallel_imports_of_one_file_store_it_once_on_postgres() {
    parallel_imports_of_one_file(Backend::Postgres, "parallel_imports");
}

fn parallel_imports_of_one_file(backend: Backend, test: &str) {
    let Some(memory) = backend.memory(test) else { return };
    let project = TempProject::new();
    let file = write_tmx(&project, "homs.tmx", "homs", 50);
    let children =
        (0..PROCESSES).map(|_| start(&project, &["tm", "import", "--tm", &memory, &file])).collect();
    assert_all_succeeded(&finish(children));
    assert_eq!(exported_units(&project, &memory).len(), 50);
    assert!(!Path::new(&project.join("tm/memory.sqlite-journal")).exists());
}

/// PostgreSQL: a writer behind another client's write lock waits for
/// `--wait` seconds, then gives up with one line naming the holder, and
/// nothing is changed.
#[test]
fn a_writer_behind_a_held_postgres_lock_gives_up_after_wait_naming_the_holder() {
    let Some(memory) = Backend::Postgres.memory("held_lock") else { return };
    let project = TempProject::new();
    let article = write_article(&project, "article", 5, "");
    let first = start(&project, &add_args(&memory, &article, "aleppo"));
    assert_all_succeeded(&finish(vec![first]));

    // Another dragoman client holds the writers' lock (the row lock of
    // `meta.next_id`) in an open transaction.
    let mut holder = postgres_server::admin(postgres_server::DATABASE);
    holder.batch_execute("SET application_name = 'dragoman (pid 4242)'").unwrap();
    let mut transaction = holder.transaction().unwrap();
    transaction.query_one("SELECT value FROM held_lock.meta WHERE key = 'next_id' FOR UPDATE", &[]).unwrap();

    let corrected = write_article(&project, "corrected", 5, " (corrected)");
    let mut args = add_args(&memory, &corrected, "aleppo");
    args.extend(["--wait", "1"]);
    let output = finish(vec![start(&project, &args)]).pop().unwrap();
    transaction.rollback().unwrap();

    let stderr = String::from_utf8_lossy(&output.stderr);
    assert_eq!(output.status.code(), Some(2), "{stderr}");
    assert!(stderr.contains("another process is writing this memory"), "{stderr}");
    assert!(stderr.contains("for over 1 s"), "{stderr}");
    assert!(stderr.contains("holder: dragoman (pid 4242) from 127.0.0.1"), "{stderr}");
    assert_eq!(stderr.lines().count(), 1, "said once: {stderr}");
    let units = exported_units(&project, &memory);
    assert_eq!(units.len(), 5);
    assert!(units.iter().all(|u| !u.variants[1].seg.plain_text().contains("(corrected)")), "nothing changed");
}
