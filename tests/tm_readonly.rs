//! A memory where it cannot be written (read-only directory or mount, a
//! full disk) or that is an empty file: reads work and leave no file
//! behind, writes fail with one clear line and change nothing.

mod support;

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

use support::TempProject;

fn binary() -> PathBuf {
    assert_cmd::cargo::cargo_bin("dragoman")
}

/// `dragoman --project DIR ARGS…` run by `sh` under `limits` (shell
/// `ulimit` arguments; a write past the file-size limit fails with EFBIG,
/// as on a full disk, instead of killing the process).
fn run_limited(project: &TempProject, limits: &str, args: &[&str]) -> Output {
    Command::new("sh")
        .arg("-c")
        .arg(format!("trap '' XFSZ; ulimit {limits}; exec \"$0\" \"$@\""))
        .arg(binary())
        .arg("--project")
        .arg(project.path())
        .args(args)
        .current_dir(project.path())
        .output()
        .unwrap()
}

fn run(project: &TempProject, args: &[&str]) -> Output {
    project.dragoman().args(args).output().unwrap()
}

fn stderr(output: &Output) -> String {
    String::from_utf8_lossy(&output.stderr).into_owned()
}

fn journal_files(memory: &Path) -> Vec<PathBuf> {
    ["-wal", "-shm", "-journal"]
        .iter()
        .map(|suffix| PathBuf::from(format!("{}{suffix}", memory.display())))
        .filter(|file| file.exists())
        .collect()
}

/// A project whose memory holds the bundled Raqqa article.
fn project_with_memory() -> TempProject {
    let project = TempProject::new();
    let added = project
        .dragoman()
        .args(["tm", "add", "--presegmented"])
        .arg(support::repo_path("examples/raqqa-2017/ar.sents"))
        .arg(support::repo_path("examples/raqqa-2017/en.sents"))
        .output()
        .unwrap();
    assert!(added.status.success(), "{}", stderr(&added));
    project
}

#[test]
fn an_empty_file_is_not_a_memory_unless_the_command_writes() {
    let project = TempProject::new();
    let empty = project.write("tm/empty.sqlite", "");
    for args in [
        &["tm", "stats", "--tm", "tm/empty.sqlite"][..],
        &["tm", "export", "--tm", "tm/empty.sqlite", "out.tmx"],
        &["tm", "lookup", "--tm", "tm/empty.sqlite", "الرقة"],
    ] {
        let output = run(&project, args);
        assert_eq!(output.status.code(), Some(2), "{args:?}: {}", stderr(&output));
        assert!(stderr(&output).contains("an empty file"), "{args:?}: {}", stderr(&output));
        assert_eq!(std::fs::metadata(&empty).unwrap().len(), 0, "{args:?} wrote to it");
        assert!(journal_files(&empty).is_empty());
    }
    assert!(!project.join("out.tmx").exists());
    // A command that writes makes a memory of it.
    let tmx = project.write(
        "homs.tmx",
        r#"<tmx version="1.4"><header srclang="ar"/><body><tu tuid="homs:1"><tuv xml:lang="ar"><seg>نزح آلاف من حمص.</seg></tuv><tuv xml:lang="en"><seg>Thousands fled Homs.</seg></tuv></tu></body></tmx>"#,
    );
    let imported = run(&project, &["tm", "import", "--tm", "tm/empty.sqlite", tmx.to_str().unwrap()]);
    assert!(imported.status.success(), "{}", stderr(&imported));
    assert!(run(&project, &["tm", "stats", "--tm", "tm/empty.sqlite"]).status.success());
}

#[test]
fn on_a_full_disk_reads_work_and_writes_say_so_leaving_nothing_behind() {
    let project = project_with_memory();
    let memory = project.join("tm/memory.sqlite");
    let before = std::fs::read(&memory).unwrap();
    // 16 blocks of 512 bytes: no room for the 32 KiB shared-memory index.
    let stats = run_limited(&project, "-f 16", &["tm", "stats"]);
    assert!(stats.status.success(), "{}", stderr(&stats));
    assert!(String::from_utf8_lossy(&stats.stdout).contains("raqqa-2017"));
    let lookup = run_limited(&project, "-f 16", &["tm", "lookup", "الرقة تذبح بصمت"]);
    assert!(lookup.status.success(), "{}", stderr(&lookup));
    assert_eq!(journal_files(&memory), Vec::<PathBuf>::new());

    let added = run_limited(
        &project,
        "-f 16",
        &[
            "tm",
            "add",
            "--presegmented",
            "--name",
            "copy",
            support::repo_path("examples/raqqa-2017/ar.sents").to_str().unwrap(),
            support::repo_path("examples/raqqa-2017/en.sents").to_str().unwrap(),
        ],
    );
    assert_eq!(added.status.code(), Some(2), "{}", stderr(&added));
    assert!(stderr(&added).contains("no space left on device"), "{}", stderr(&added));
    assert_eq!(stderr(&added).lines().count(), 1, "{}", stderr(&added));
    assert_eq!(journal_files(&memory), Vec::<PathBuf>::new());
    assert_eq!(std::fs::read(&memory).unwrap(), before);
}

fn is_root() -> bool {
    let id = Command::new("id").arg("-u").output().unwrap();
    String::from_utf8_lossy(&id.stdout).trim() == "0"
}

/// Makes `dir` read-only for this test's processes until dropped: a
/// read-only bind mount when running as root (whom permissions do not
/// stop), otherwise the directory's mode.
struct ReadOnly {
    dir: PathBuf,
    mounted: bool,
}

impl ReadOnly {
    fn new(dir: &Path) -> Option<ReadOnly> {
        if !is_root() {
            let mut permissions = std::fs::metadata(dir).unwrap().permissions();
            permissions.set_readonly(true);
            std::fs::set_permissions(dir, permissions).unwrap();
            return Some(ReadOnly { dir: dir.to_path_buf(), mounted: false });
        }
        let bind = Command::new("mount").arg("--bind").arg(dir).arg(dir).status().ok()?;
        if !bind.success() {
            return None;
        }
        let remount = Command::new("mount").args(["-o", "remount,ro,bind"]).arg(dir).arg(dir).status();
        if !remount.is_ok_and(|s| s.success()) {
            let _ = Command::new("umount").arg(dir).status();
            return None;
        }
        Some(ReadOnly { dir: dir.to_path_buf(), mounted: true })
    }
}

impl Drop for ReadOnly {
    fn drop(&mut self) {
        if self.mounted {
            let _ = Command::new("umount").arg(&self.dir).status();
        } else {
            let mut permissions = std::fs::metadata(&self.dir).unwrap().permissions();
            #[allow(clippy::permissions_set_readonly_false)]
            permissions.set_readonly(false);
            let _ = std::fs::set_permissions(&self.dir, permissions);
        }
    }
}

#[test]
fn a_memory_in_a_read_only_directory_is_read_and_left_as_it_was() {
    let project = project_with_memory();
    let memory = project.join("tm/memory.sqlite");
    let before = std::fs::read(&memory).unwrap();
    let Some(_read_only) = ReadOnly::new(&project.join("tm")) else {
        eprintln!("cannot make a read-only directory here (root without mount); skipped");
        return;
    };
    for args in [
        &["tm", "stats"][..],
        &["tm", "lookup", "الرقة تذبح بصمت"],
        &["tm", "concordance", "الرقة"],
        &["tm", "export", "out.tmx"],
    ] {
        let output = run(&project, args);
        assert!(output.status.success(), "{args:?}: {}", stderr(&output));
        assert_eq!(journal_files(&memory), Vec::<PathBuf>::new(), "{args:?} left files");
    }
    assert!(std::fs::read_to_string(project.join("out.tmx")).unwrap().contains("raqqa-2017:1"));
    let removed = run(&project, &["tm", "remove", "--doc", "raqqa-2017"]);
    assert_eq!(removed.status.code(), Some(2), "{}", stderr(&removed));
    assert!(stderr(&removed).contains("can be read but not changed"), "{}", stderr(&removed));
    assert_eq!(std::fs::read(&memory).unwrap(), before);
}
