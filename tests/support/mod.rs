//! A small harness for driving the `dragoman` binary in a temporary project.
//! Each integration test file that needs it declares `mod support;`.
#![allow(dead_code)]

use std::path::{Path, PathBuf};

use assert_cmd::Command;

/// A temporary dragoman project (`tm/`, `glossaries/`), deleted on drop.
pub struct TempProject {
    pub dir: tempfile::TempDir,
}

impl TempProject {
    /// An empty project.
    pub fn new() -> TempProject {
        let dir = tempfile::tempdir().expect("temp dir");
        std::fs::create_dir_all(dir.path().join("tm")).unwrap();
        std::fs::create_dir_all(dir.path().join("glossaries")).unwrap();
        TempProject { dir }
    }

    /// A project with the repository's bundled glossaries copied in.
    pub fn with_bundled_glossaries() -> TempProject {
        let project = TempProject::new();
        for entry in std::fs::read_dir(repo_path("glossaries")).unwrap() {
            let path = entry.unwrap().path();
            if path.is_file() {
                std::fs::copy(&path, project.path().join("glossaries").join(path.file_name().unwrap()))
                    .unwrap();
            }
        }
        project
    }

    pub fn path(&self) -> &Path {
        self.dir.path()
    }

    pub fn join(&self, relative: &str) -> PathBuf {
        self.dir.path().join(relative)
    }

    /// Writes a file (creating directories) and returns its path.
    pub fn write(&self, relative: &str, contents: impl AsRef<[u8]>) -> PathBuf {
        let path = self.join(relative);
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::fs::write(&path, contents).unwrap();
        path
    }

    /// `dragoman --project <this project> ARGS…`, run from the project dir.
    pub fn dragoman(&self) -> Command {
        let mut cmd = dragoman();
        cmd.current_dir(self.path()).arg("--project").arg(self.path());
        cmd
    }
}

/// The `dragoman` binary, with colour off and no inherited `NO_COLOR` surprises.
pub fn dragoman() -> Command {
    let mut cmd = Command::cargo_bin("dragoman").expect("dragoman binary");
    cmd.env_remove("NO_COLOR");
    cmd
}

/// A path inside the repository (e.g. `examples/raqqa-2017/ar.txt`).
pub fn repo_path(relative: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join(relative)
}

/// Reads a repository file as UTF-8.
pub fn read_repo(relative: &str) -> String {
    std::fs::read_to_string(repo_path(relative)).unwrap_or_else(|e| panic!("{relative}: {e}"))
}
