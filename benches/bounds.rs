//! Bounded work on hostile input (issue #20): the former worst cases of
//! segmentation, alignment, checks and TMX import, each run as the user
//! runs it — the release `dragoman` binary on generated files — with its
//! wall time, CPU time and peak RSS (from `/usr/bin/time`, so each figure
//! is that one process's own).
//!
//! `cargo bench --bench bounds` prints a markdown table (the one in
//! docs/EVALUATION.md); `-- NAME…` runs only the cases whose name contains
//! one of the words. Generated files go to `DRAGOMAN_BENCH_DIR` (default
//! /tmp/dragoman-bench-bounds) and are reused between runs. Goal: under
//! 10 s and 500 MB each, or refused at once with a clear message.

use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::Command;

/// A case still running after this long is killed (and reported so).
const TIMEOUT_SECONDS: u32 = 120;

/// One worst case: how to make its files and which command runs on them.
struct Case {
    name: &'static str,
    input: &'static str,
    /// The command line after `dragoman` (file names relative to the
    /// bench directory, where a project with the house glossary lives).
    args: &'static [&'static str],
    make: fn(&Path),
}

const CASES: &[Case] = &[
    Case {
        name: "check-numbers",
        input: "10 MB of numbers a side, every one different (one paragraph)",
        args: &["check", "numbers.ar", "numbers.en"],
        make: |dir| {
            let numbers = |first: usize| {
                let mut text = String::new();
                let mut i = first;
                while text.len() < 10_000_000 {
                    text.push_str(&format!("{i} "));
                    i += 2;
                }
                text
            };
            write(dir, "numbers.ar", &format!("قال {}", numbers(1_000_000)));
            write(dir, "numbers.en", &numbers(1_000_001));
        },
    },
    Case {
        name: "publish-numbers",
        input: "the same",
        args: &["publish", "--out", "out", "numbers.ar", "numbers.en"],
        make: |_| {},
    },
    Case {
        name: "check-abbreviations",
        input: "`Mr. Dr. U.S. e.g.` × 40k (920 KB) against `قال مسؤول في الولايات المتحدة` × 40k",
        args: &["check", "abbreviations.ar", "abbreviations.en"],
        make: |dir| {
            write(dir, "abbreviations.ar", &"قال مسؤول في الولايات المتحدة ".repeat(40_000));
            write(dir, "abbreviations.en", &"Mr. Dr. U.S. e.g. ".repeat(40_000));
        },
    },
    Case {
        name: "check-names-numbers",
        input: "names and numbers, 2.3 MB a side (one paragraph)",
        args: &["check", "names.ar", "names.en"],
        make: |dir| {
            let arabic = "قتل 25 في الرقة و١٬٥٠٠ في حمص بيد داعش و 3.5 كم ";
            let english = "25 killed in Raqqa, 1,500 in Homs by ISIS, 3.5 km, 26 in Rakka ";
            write(dir, "names.ar", &arabic.repeat(2_300_000 / arabic.len()));
            write(dir, "names.en", &english.repeat(2_300_000 / english.len()));
        },
    },
    Case {
        name: "segment-scan-to-end",
        input: "SRX rule whose `afterbreak` can scan to the paragraph end (`[^\\n]*QQQ`), 1 MB paragraph",
        args: &["segment", "--lang", "en", "--rules", "scan.srx", "paragraph-1m.en"],
        make: |dir| {
            write(dir, "scan.srx", &srx(&[("yes", "\\.", "[^\\n]*QQQ")], 1));
            write(dir, "paragraph-1m.en", &"He said so. ".repeat(1_000_000 / 12));
        },
    },
    Case {
        name: "segment-200-rules-1m",
        input: "200 SRX rules matching `.` (16 KB), 1 MB paragraph",
        args: &["segment", "--lang", "en", "--rules", "dots.srx", "paragraph-1m.en"],
        make: |dir| {
            write(dir, "dots.srx", &srx(&[("no", ".", "Q"), ("yes", ".", ".")], 100));
        },
    },
    Case {
        name: "segment-200-rules-10m",
        input: "the same rules, 10 MB paragraph",
        args: &["segment", "--lang", "en", "--rules", "dots.srx", "paragraph-10m.en"],
        make: |dir| write(dir, "paragraph-10m.en", &"He said so. ".repeat(10_000_000 / 12)),
    },
    Case {
        name: "align-dots",
        input: "10 MB of `. ` a side (millions of tiny sentences)",
        args: &["align", "dots.ar", "dots.en"],
        make: |dir| {
            write(dir, "dots.ar", &format!("قال{}", ". ".repeat(5_000_000)));
            write(dir, "dots.en", &format!("Said{}", ". ".repeat(5_000_000)));
        },
    },
    Case {
        name: "align-paragraphs",
        input: "1M paragraphs a side",
        args: &["align", "paragraphs.ar", "paragraphs.en"],
        make: |dir| {
            write(dir, "paragraphs.ar", &"قال.\n\n".repeat(1_000_000));
            write(dir, "paragraphs.en", &"Said.\n\n".repeat(1_000_000));
        },
    },
    Case {
        name: "align-line",
        input: "a 100 MB line a side",
        args: &["align", "line.ar", "line.en"],
        make: |dir| {
            write(dir, "line.ar", &"قتل ثلاثة مدنيين في الرقة ".repeat(100_000_000 / 46));
            write(dir, "line.en", &"three civilians were killed in Raqqa ".repeat(100_000_000 / 37));
        },
    },
    Case {
        name: "publish-dots",
        input: "10 MB of `. ` a side",
        args: &["publish", "--out", "out", "dots.ar", "dots.en"],
        make: |_| {},
    },
    Case {
        name: "tm-import-huge",
        input: "TMX of 20 units of 27 MB each",
        args: &["tm", "import", "--tm", "huge.sqlite", "huge.tmx"],
        make: |dir| {
            let mut out = std::io::BufWriter::new(std::fs::File::create(dir.join("huge.tmx")).unwrap());
            out.write_all(b"<tmx version=\"1.4\"><header srclang=\"ar\"/><body>\n").unwrap();
            let arabic = "قتل ثلاثة مدنيين في الرقة ".repeat(27_000_000 / 2 / 46);
            let english = "three civilians were killed in Raqqa ".repeat(27_000_000 / 2 / 37);
            for i in 0..20 {
                writeln!(out, "<tu tuid=\"huge:{i}\"><tuv xml:lang=\"ar\"><seg>{i} {arabic}</seg></tuv><tuv xml:lang=\"en\"><seg>{i} {english}</seg></tuv></tu>").unwrap();
            }
            out.write_all(b"</body></tmx>\n").unwrap();
        },
    },
];

/// An SRX 2.0 file with `copies` copies of each (break, before, after) rule
/// for every language.
fn srx(rules: &[(&str, &str, &str)], copies: usize) -> String {
    let mut body = String::new();
    for _ in 0..copies {
        for (breaks, before, after) in rules {
            body.push_str(&format!(
                "<rule break=\"{breaks}\"><beforebreak>{before}</beforebreak><afterbreak>{after}</afterbreak></rule>\n"
            ));
        }
    }
    format!(
        "<?xml version=\"1.0\"?>\n<srx version=\"2.0\"><header segmentsubflows=\"yes\" cascade=\"no\"/><body><languagerules><languagerule languagerulename=\"all\">\n{body}</languagerule></languagerules><maprules><languagemap languagepattern=\".*\" languagerulename=\"all\"/></maprules></body></srx>\n"
    )
}

fn write(dir: &Path, name: &str, text: &str) {
    let path = dir.join(name);
    if !path.exists() {
        std::fs::write(&path, text).unwrap();
    }
}

fn main() {
    let filters: Vec<String> = std::env::args().skip(1).filter(|a| !a.starts_with('-')).collect();
    let dir = PathBuf::from(
        std::env::var("DRAGOMAN_BENCH_DIR").unwrap_or_else(|_| "/tmp/dragoman-bench-bounds".into()),
    );
    let project = dir.join("project");
    std::fs::create_dir_all(&dir).unwrap();
    let exe = env!("CARGO_BIN_EXE_dragoman");
    if !project.join("glossaries").exists() {
        let made = Command::new(exe).arg("init").arg(&project).output().expect("dragoman init");
        assert!(made.status.success(), "dragoman init: {}", String::from_utf8_lossy(&made.stderr));
    }
    println!("| input (generated) | command | wall | CPU | peak RSS | outcome |");
    println!("|---|---|---:|---:|---:|---|");
    for case in CASES {
        // A case's files may come from an earlier case: make them all.
        (case.make)(&project);
        if !filters.is_empty() && !filters.iter().any(|f| case.name.contains(f.as_str())) {
            continue;
        }
        let _ = std::fs::remove_file(project.join("huge.sqlite"));
        let output = Command::new("/usr/bin/time")
            .args(["-f", "TIME %e %U %S %M", "timeout", &TIMEOUT_SECONDS.to_string()])
            .arg(exe)
            .args(case.args)
            .current_dir(&project)
            .stdout(std::process::Stdio::null())
            .output()
            .expect("/usr/bin/time runs dragoman");
        let stderr = String::from_utf8_lossy(&output.stderr);
        let figures: Vec<f64> = stderr
            .lines()
            .rev()
            .find_map(|l| l.strip_prefix("TIME "))
            .map(|l| l.split_whitespace().filter_map(|v| v.parse().ok()).collect())
            .unwrap_or_default();
        let [wall, user, system, kb] = figures[..] else {
            println!("| {} | – | – | – | – | could not measure: {} |", case.input, stderr.trim());
            continue;
        };
        let said = stderr
            .lines()
            .filter(|l| !l.starts_with("TIME ") && !l.starts_with("Command exited"))
            .find(|l| l.starts_with("dragoman:") || l.contains("error"))
            .unwrap_or("");
        let outcome = match output.status.code() {
            Some(0) => "done".to_string(),
            Some(124) => format!("killed at {TIMEOUT_SECONDS} s"),
            // `check`, `publish` and `ingest` exit 1 when there are error findings.
            Some(1) if matches!(case.args[0], "check" | "publish" | "ingest") => {
                "done (findings)".to_string()
            }
            code => format!("exit {}: {}", code.map_or("signal".into(), |c| c.to_string()), said.trim()),
        };
        println!(
            "| {} | `dragoman {}` | {wall:.1} s | {:.1} s | {:.0} MB | {} |",
            case.input,
            case.args.join(" "),
            user + system,
            kb / 1024.0,
            outcome.replace('|', "/")
        );
    }
    let _ = std::fs::remove_file(project.join("huge.sqlite"));
}
