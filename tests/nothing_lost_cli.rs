//! Nothing lost when several people work at once or the disk fills up:
//! concurrent acceptances, an ingest whose editions cannot be written,
//! temporary files of killed runs, hostile text in messages.

mod support;

use support::{TempProject, repo_path};

const AR: &str = "examples/raqqa-2017/ar.txt";
const EN: &str = "examples/raqqa-2017/en.txt";

#[test]
fn twenty_acceptances_at_once_all_survive() {
    let project = TempProject::new();
    let children: Vec<std::process::Child> = (0..20)
        .map(|i| {
            let mut command = std::process::Command::new(assert_cmd::cargo::cargo_bin("dragoman"));
            command
                .arg("--project")
                .arg(project.path())
                .args(["accept", "--check", "term-near-miss", "--term", "الرقة", "--surface"])
                .arg(format!("Raqa{i}"))
                .stdout(std::process::Stdio::null())
                .stderr(std::process::Stdio::null());
            command.spawn().unwrap()
        })
        .collect();
    for mut child in children {
        assert!(child.wait().unwrap().success());
    }
    let list = std::fs::read_to_string(project.join("accepted-findings.tsv")).unwrap();
    for i in 0..20 {
        assert!(list.contains(&format!("\tRaqa{i}\t")), "acceptance {i} lost:\n{list}");
    }
    assert_eq!(list.lines().filter(|l| !l.starts_with('#')).count(), 20);
}

#[cfg(unix)]
#[test]
fn an_ingest_whose_editions_do_not_fit_on_the_disk_changes_nothing() {
    let project = TempProject::with_bundled_glossaries();
    project.dragoman().arg("ingest").arg(repo_path(AR)).arg(repo_path(EN)).assert().success();
    let memory = std::fs::read(project.join("tm/memory.sqlite")).unwrap();
    let editions: Vec<(String, Vec<u8>)> = std::fs::read_dir(project.join("out"))
        .unwrap()
        .map(|e| e.unwrap().path())
        .map(|p| (p.file_name().unwrap().to_string_lossy().into_owned(), std::fs::read(&p).unwrap()))
        .collect();
    // A changed translation would change the memory; a file-size limit of
    // 8 KiB (a full disk for files larger than that) stops the editions.
    let edited = project.write("edited.en.txt", support::read_repo(EN).replace("70", "71"));
    let binary = assert_cmd::cargo::cargo_bin("dragoman");
    let output = std::process::Command::new("sh")
        .arg("-c")
        .arg("trap '' XFSZ; ulimit -f 8; exec \"$0\" \"$@\"")
        .arg(&binary)
        .arg("--project")
        .arg(project.path())
        .args(["ingest", "--name", "raqqa-2017"])
        .arg(repo_path(AR))
        .arg(&edited)
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(2), "{}", String::from_utf8_lossy(&output.stderr));
    assert!(String::from_utf8_lossy(&output.stderr).contains("cannot write"));
    assert_eq!(std::fs::read(project.join("tm/memory.sqlite")).unwrap(), memory, "the memory is unchanged");
    let mut after: Vec<String> = std::fs::read_dir(project.join("out"))
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    after.sort();
    let mut names: Vec<String> = editions.iter().map(|(n, _)| n.clone()).collect();
    names.sort();
    assert_eq!(after, names, "no temporary file left");
    for (name, bytes) in editions {
        assert_eq!(std::fs::read(project.join("out").join(&name)).unwrap(), bytes, "{name} unchanged");
    }
}

#[test]
fn temporary_files_of_killed_runs_are_cleaned_on_the_next_run() {
    let project = TempProject::new();
    // What a run killed mid-write leaves: a temporary file named by its (gone) process.
    let stale = project.write("out/.dragoman-4000000000-Xk2a9Q.tmp", "half an edition");
    project.dragoman().args(["ingest", "--no-tm"]).arg(repo_path(AR)).arg(repo_path(EN)).assert().code(0);
    if std::path::Path::new("/proc/self").exists() {
        assert!(!stale.exists(), "the stale temporary file is removed");
    }
    assert!(project.join("out/raqqa-2017.en.html").exists());
}

#[test]
fn messages_cut_long_input_and_show_control_characters_escaped() {
    let project = TempProject::new();
    let huge = format!("0\t0,x{}\n", "9".repeat(1_000_000));
    let beads = project.write("bad.beads", huge);
    let output = project
        .dragoman()
        .args(["align", "--beads"])
        .arg(&beads)
        .arg(repo_path(AR))
        .arg(repo_path(EN))
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(2));
    assert!(output.stderr.len() < 4_000, "{} bytes of stderr", output.stderr.len());
    assert!(String::from_utf8_lossy(&output.stderr).contains("bad.beads:1"));

    // A glossary whose type field carries terminal escapes and a bidi override.
    project.write("glossaries/evil.txt", "الرقة\tRaqqa\t\t\t\t\t\x1b]0;pwned\x07\x1b[2J\u{202E}\n");
    let output = project.dragoman().args(["glossary", "list"]).output().unwrap();
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(
        !stderr.contains('\x1b') && !stderr.contains('\u{202E}'),
        "raw controls reached the terminal: {stderr:?}"
    );
    assert!(stderr.contains("<U+001B>"), "{stderr}");
}

#[test]
fn a_writer_behind_a_held_lock_waits_and_gives_up_after_wait_with_one_clear_line() {
    let project = TempProject::with_bundled_glossaries();
    project.dragoman().args(["tm", "add"]).arg(repo_path(AR)).arg(repo_path(EN)).assert().success();
    let memory = project.join("tm/memory.sqlite");
    // Another writer: Python's sqlite3 holds the write lock for 20 s.
    let holder = std::process::Command::new("python3")
        .arg("-c")
        .arg(
            "import sqlite3, sys, time\n\
             c = sqlite3.connect(sys.argv[1], isolation_level=None)\n\
             c.execute('BEGIN IMMEDIATE')\n\
             print('locked', flush=True)\n\
             time.sleep(20)",
        )
        .arg(&memory)
        .stdout(std::process::Stdio::piped())
        .spawn();
    let Ok(mut holder) = holder else {
        eprintln!("*** SKIPPED: python3 is not installed ***");
        return;
    };
    let mut line = String::new();
    std::io::BufRead::read_line(&mut std::io::BufReader::new(holder.stdout.take().unwrap()), &mut line)
        .unwrap();
    assert_eq!(line.trim(), "locked");
    let before = std::fs::read(&memory).unwrap();
    let edited = project.write("edited.en.txt", support::read_repo(EN).replace("70", "71"));
    let output = project
        .dragoman()
        .args(["tm", "add", "--name", "raqqa-2017", "--wait", "1"])
        .arg(repo_path(AR))
        .arg(&edited)
        .output()
        .unwrap();
    let _ = holder.kill();
    let _ = holder.wait();
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert_eq!(output.status.code(), Some(2), "{stderr}");
    assert!(stderr.contains("another process is writing this memory"), "{stderr}");
    assert_eq!(stderr.lines().count(), 1, "said once: {stderr}");
    assert_eq!(std::fs::read(&memory).unwrap(), before, "nothing changed");
}
