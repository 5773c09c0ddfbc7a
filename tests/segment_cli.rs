//! `dragoman segment` through the command line: the contract of issue 2
//! (formats, stdin, encodings, rule export and import) and bad input, which
//! must give one line on stderr and exit 2, never a panic.

mod support;

use support::{TempProject, dragoman, read_repo, repo_path};

/// Runs `dragoman ARGS` and returns (exit code, stdout, stderr).
fn run(project: &TempProject, args: &[&str], stdin: Option<Vec<u8>>) -> (i32, String, String) {
    let mut command = project.dragoman();
    command.args(args);
    if let Some(input) = stdin {
        command.write_stdin(input);
    }
    let output = command.output().unwrap();
    (
        output.status.code().unwrap_or(-1),
        String::from_utf8(output.stdout).unwrap(),
        String::from_utf8(output.stderr).unwrap(),
    )
}

/// Asserts exit 2 with exactly one `dragoman: error:` line mentioning `says`.
fn assert_fails(project: &TempProject, args: &[&str], says: &[&str]) {
    let (code, stdout, stderr) = run(project, args, None);
    assert_eq!(code, 2, "{args:?}: stderr {stderr}");
    assert_eq!(stdout, "", "{args:?}");
    assert_eq!(stderr.lines().count(), 1, "{args:?}: one line expected, got {stderr}");
    assert!(stderr.starts_with("dragoman: error: "), "{stderr}");
    assert!(!stderr.contains("panicked"), "{stderr}");
    for part in says {
        assert!(stderr.contains(part), "{args:?}: `{part}` not in {stderr}");
    }
}

#[test]
fn segments_the_bundled_example_exactly() {
    for lang in ["ar", "en"] {
        let input = repo_path(&format!("examples/raqqa-2017/{lang}.txt"));
        dragoman()
            .arg("segment")
            .arg(&input)
            .assert()
            .success()
            .stdout(read_repo(&format!("examples/raqqa-2017/{lang}.sents")));
    }
}

#[test]
fn reads_stdin_and_forces_a_language() {
    let project = TempProject::new();
    let text = "قال د. محمد إن القصف مستمر. وأضاف أن المستشفى امتلأ.";
    let (code, stdout, _) = run(&project, &["segment", "-"], Some(text.as_bytes().to_vec()));
    assert_eq!((code, stdout.as_str()), (0, "قال د. محمد إن القصف مستمر.\nوأضاف أن المستشفى امتلأ.\n"));
    // As English, `د.` is not an abbreviation.
    let (_, stdout, _) = run(&project, &["segment", "--lang", "en", "-"], Some(text.as_bytes().to_vec()));
    assert_eq!(stdout.lines().count(), 3, "{stdout}");
}

#[test]
fn json_offsets_are_into_the_decoded_input_without_bom() {
    let project = TempProject::new();
    let text = "الرقة تذبح بصمت.\r\n\r\nRaqqa is Being Slaughtered Silently. It began in 2014.";
    let mut utf16 = vec![0xFF, 0xFE];
    utf16.extend(text.encode_utf16().flat_map(u16::to_le_bytes));
    let mut utf8_bom = vec![0xEF, 0xBB, 0xBF];
    utf8_bom.extend(text.as_bytes());
    for (name, bytes) in [("utf16.txt", utf16), ("bom.txt", utf8_bom)] {
        project.write(name, bytes);
        let (code, stdout, stderr) = run(&project, &["segment", "--format", "json", name], None);
        assert_eq!(code, 0, "{stderr}");
        let json: serde_json::Value = serde_json::from_str(&stdout).unwrap();
        let segments = json["segments"].as_array().unwrap();
        let found: Vec<(&str, &str, u64)> = segments
            .iter()
            .map(|s| {
                (s["text"].as_str().unwrap(), s["lang"].as_str().unwrap(), s["paragraph"].as_u64().unwrap())
            })
            .collect();
        assert_eq!(
            found,
            [
                ("الرقة تذبح بصمت.", "ar", 0),
                ("Raqqa is Being Slaughtered Silently.", "en", 1),
                ("It began in 2014.", "en", 1)
            ],
            "{name}"
        );
        for segment in segments {
            let (start, end) =
                (segment["start"].as_u64().unwrap() as usize, segment["end"].as_u64().unwrap() as usize);
            assert_eq!(&text[start..end], segment["text"].as_str().unwrap(), "{name}");
        }
    }
}

#[test]
fn exported_rules_are_the_builtin_srx_and_load_back() {
    let project = TempProject::new();
    let (code, _, stderr) = run(&project, &["segment", "--export-rules", "rules.srx"], None);
    assert_eq!(code, 0, "{stderr}");
    let exported = std::fs::read_to_string(project.join("rules.srx")).unwrap();
    assert_eq!(exported, dragoman::segment::BUILTIN_SRX);
    let (_, stdout, _) = run(&project, &["segment", "--export-rules", "-"], None);
    assert_eq!(stdout, exported);

    let input = repo_path("examples/raqqa-2017/en.txt");
    let input = input.to_str().unwrap();
    let (code, with_file, stderr) = run(&project, &["segment", "--rules", "rules.srx", input], None);
    assert_eq!(code, 0, "{stderr}");
    assert_eq!(with_file, read_repo("examples/raqqa-2017/en.sents"));
}

#[test]
fn loads_a_cat_tool_srx_with_java_regex_syntax() {
    let project = TempProject::new();
    let rules = repo_path("tests/fixtures/srx/cat-tool-export.srx");
    let rules = rules.to_str().unwrap();
    let text = "قال د. محمد إن القصف مستمر. وأضاف أن المستشفى امتلأ؟ نعم.\n\nAsk Dr. Hall. he said. Then go.";
    project.write("in.txt", text);
    let (code, stdout, stderr) = run(&project, &["segment", "--rules", rules, "in.txt"], None);
    assert_eq!(code, 0, "{stderr}");
    assert_eq!(
        stdout,
        "قال د. محمد إن القصف مستمر.\nوأضاف أن المستشفى امتلأ؟\nنعم.\n\nAsk Dr. Hall. he said.\nThen go.\n"
    );
}

#[test]
fn empty_input_gives_no_segments_and_exit_0() {
    let project = TempProject::new();
    project.write("empty.txt", "");
    project.write("blank.txt", "\n \r\n\n");
    for file in ["empty.txt", "blank.txt"] {
        let (code, stdout, stderr) = run(&project, &["segment", file], None);
        assert_eq!((code, stdout.as_str(), stderr.as_str()), (0, "", ""), "{file}");
        let (code, stdout, _) = run(&project, &["segment", "--format", "json", file], None);
        assert_eq!(code, 0);
        let json: serde_json::Value = serde_json::from_str(&stdout).unwrap();
        assert_eq!(json, serde_json::json!({"segments": []}));
    }
}

#[test]
fn missing_file_and_directory_are_clear_errors() {
    let project = TempProject::new();
    assert_fails(&project, &["segment", "nowhere.txt"], &["nowhere.txt"]);
    std::fs::create_dir(project.join("folder")).unwrap();
    assert_fails(&project, &["segment", "folder"], &["folder", "is a directory"]);
}

#[test]
fn invalid_utf8_names_the_byte_offset() {
    let project = TempProject::new();
    let mut bytes = "الرقة".as_bytes().to_vec();
    bytes.extend([0xD8, 0x20, b'x']);
    project.write("latin1.txt", bytes);
    assert_fails(&project, &["segment", "latin1.txt"], &["latin1.txt", "invalid UTF-8 at byte offset 10"]);
}

#[test]
fn binary_garbage_is_rejected() {
    let project = TempProject::new();
    let garbage: Vec<u8> = (0..512u32).map(|i| (i.wrapping_mul(2_654_435_761) >> 13) as u8).collect();
    project.write("garbage.bin", &garbage);
    let mut with_nul = b"PK\x03\x04".to_vec();
    with_nul.extend([0u8; 16]);
    project.write("archive.zip", with_nul);
    assert_fails(&project, &["segment", "garbage.bin"], &["garbage.bin"]);
    assert_fails(&project, &["segment", "archive.zip"], &["archive.zip", "a ZIP archive", "not plain text"]);
}

#[test]
fn malformed_srx_names_file_and_line() {
    let project = TempProject::new();
    project.write("in.txt", "نص.");
    let malformed = repo_path("tests/fixtures/srx/malformed.srx");
    assert_fails(
        &project,
        &["segment", "--rules", malformed.to_str().unwrap(), "in.txt"],
        &["malformed.srx:10:", "malformed XML"],
    );
    project.write("not-srx.srx", "<tmx version=\"1.4\"><body/></tmx>");
    assert_fails(
        &project,
        &["segment", "--rules", "not-srx.srx", "in.txt"],
        &["not-srx.srx:1:", "root element is <tmx>"],
    );
    assert_fails(&project, &["segment", "--rules", "missing.srx", "in.txt"], &["missing.srx"]);
}

#[test]
fn uncompilable_srx_regex_names_file_line_and_rule() {
    let project = TempProject::new();
    project.write("in.txt", "نص.");
    let rules = repo_path("tests/fixtures/srx/lookbehind.srx");
    assert_fails(
        &project,
        &["segment", "--rules", rules.to_str().unwrap(), "in.txt"],
        &["lookbehind.srx:14:", "rule 2 of languagerule \"Arabic\" (beforebreak)", "lookbehind"],
    );
    let broken = std::fs::read_to_string(&rules).unwrap().replace("(?&lt;=\\sد)\\.", "[.");
    project.write("broken.srx", broken);
    assert_fails(
        &project,
        &["segment", "--rules", "broken.srx", "in.txt"],
        &["broken.srx:14:", "cannot compile pattern `[.`"],
    );
}

#[test]
fn file_is_required_unless_exporting() {
    let project = TempProject::new();
    let (code, _, stderr) = run(&project, &["segment"], None);
    assert_eq!(code, 2, "{stderr}");
}
