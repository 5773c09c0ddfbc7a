//! Tidy: the invariants of ARCHITECTURE.md, checked by reading the sources
//! (in the spirit of rust-analyzer's tidy tests). Each rule names the
//! invariant it keeps; a failure lists every offending file and line.
//!
//! Unit-test modules (`#[cfg(test)]` to the end of a file) are not read:
//! tests may read fixtures and print.

use std::path::{Path, PathBuf};

/// Every `.rs` file under `src/`, with its path relative to `src/` and its
/// text up to the first `#[cfg(test)]`.
fn sources() -> Vec<(String, String)> {
    fn walk(dir: &Path, out: &mut Vec<PathBuf>) {
        for entry in std::fs::read_dir(dir).unwrap() {
            let path = entry.unwrap().path();
            if path.is_dir() {
                walk(&path, out);
            } else if path.extension().is_some_and(|e| e == "rs") {
                out.push(path);
            }
        }
    }
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("src");
    let mut files = Vec::new();
    walk(&root, &mut files);
    files.sort();
    files
        .into_iter()
        .filter(|path| !path.ends_with("tests.rs"))
        .map(|path| {
            let text = std::fs::read_to_string(&path).unwrap();
            let code = text.split("#[cfg(test)]").next().unwrap_or_default().to_string();
            let relative = path.strip_prefix(&root).unwrap().to_string_lossy().replace('\\', "/");
            (relative, code)
        })
        .collect()
}

/// The lines of files matching `in_scope` that contain any of `needles`
/// (comments skipped), as `file:line: text`.
fn offenders(in_scope: impl Fn(&str) -> bool, needles: &[&str]) -> Vec<String> {
    let mut found = Vec::new();
    for (file, code) in sources().iter().filter(|(file, _)| in_scope(file)) {
        for (number, line) in code.lines().enumerate() {
            let trimmed = line.trim_start();
            if trimmed.starts_with("//") {
                continue;
            }
            if needles.iter().any(|needle| line.contains(needle)) {
                found.push(format!("src/{file}:{}: {}", number + 1, line.trim()));
            }
        }
    }
    found
}

fn under(file: &str, modules: &[&str]) -> bool {
    modules.iter().any(|m| file == format!("{m}.rs") || file.starts_with(&format!("{m}/")))
}

const PURE: &[&str] =
    &["segment", "align", "pair", "normalize", "lang", "hash", "check", "publish", "render"];

#[test]
fn the_pure_core_does_no_io() {
    // ARCHITECTURE.md, "Pure core": these modules take text and return values.
    let found = offenders(
        |file| under(file, PURE),
        &[
            "std::fs",
            "fs::",
            "File::",
            "stdin()",
            "stdout()",
            "stderr()",
            "std::env::",
            "std::net",
            "std::process",
        ],
    );
    assert!(
        found.is_empty(),
        "file system, environment or process access in a pure module:\n{}",
        found.join("\n")
    );
}

#[test]
fn only_the_command_line_prints_or_picks_exit_codes() {
    // ARCHITECTURE.md: "only `cli` prints or chooses exit codes".
    let found = offenders(
        |file| !file.starts_with("cli/") && file != "main.rs",
        &["println!", "eprintln!", "print!(", "eprint!(", "dbg!(", "process::exit", "ExitCode"],
    );
    assert!(found.is_empty(), "printing or an exit code outside src/cli:\n{}", found.join("\n"));
}

#[test]
fn sql_lives_only_in_a_memory_backend() {
    // ARCHITECTURE.md: only `memory`'s backends know SQL.
    let backend = |file: &str| file.starts_with("memory/sqlite/") || file.starts_with("memory/postgres/");
    let found = offenders(
        |file| !backend(file),
        &[
            "rusqlite::",
            " postgres::",
            "(postgres::",
            "SELECT ",
            "INSERT INTO",
            "CREATE TABLE",
            "DELETE FROM",
            "UPDATE ",
        ],
    );
    assert!(found.is_empty(), "SQL outside src/memory/sqlite or src/memory/postgres:\n{}", found.join("\n"));
}

#[test]
fn the_command_line_crates_stay_in_the_binary() {
    // ARCHITECTURE.md: clap, anyhow and indicatif are the binary's; the
    // library reports typed errors (thiserror).
    let found =
        offenders(|file| !file.starts_with("cli/") && file != "main.rs", &["clap", "anyhow", "indicatif"]);
    assert!(found.is_empty(), "a command-line crate used by the library:\n{}", found.join("\n"));
}

/// The lines of `src/cli/`, every line (doc comments are clap's help; unit
/// tests count too), as `wc -l src/cli/*.rs` counts them.
fn command_line_lines() -> usize {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("src/cli");
    let files = std::fs::read_dir(dir).unwrap().map(|entry| entry.unwrap().path());
    files.map(|path| std::fs::read_to_string(path).unwrap().lines().count()).sum()
}

/// Issue 12: "`cli` only parses, builds options, calls, prints and picks the
/// exit code: well under 1,500 lines". Past this, move what a command
/// decides into `workflow` (or share an argument group) before adding more.
const COMMAND_LINE_MAX_LINES: usize = 1_450;

#[test]
fn the_command_line_stays_thin() {
    let lines = command_line_lines();
    assert!(
        lines <= COMMAND_LINE_MAX_LINES,
        "src/cli/ has {lines} lines (at most {COMMAND_LINE_MAX_LINES}): move logic into src/workflow/"
    );
}

#[test]
fn the_code_cites_no_file_outside_the_repository() {
    // The repository is self-contained: notes the code relies on are in docs/notes/.
    let mut found = Vec::new();
    for (file, code) in sources() {
        for (number, line) in code.lines().enumerate() {
            if line.contains("../shared") {
                found.push(format!("src/{file}:{}", number + 1));
            }
        }
    }
    assert!(found.is_empty(), "cites ../shared (copy the note into docs/notes/): {found:?}");
}

#[test]
fn the_rules_catch_what_they_are_for() {
    // The scanner itself must see a violation where there is one.
    assert!(!offenders(|file| file == "cli/print.rs", &["eprintln!"]).is_empty());
    assert!(!offenders(|file| file.starts_with("memory/sqlite/"), &["rusqlite::"]).is_empty());
    assert!(command_line_lines() > 1_000, "the line count reads src/cli/");
}
