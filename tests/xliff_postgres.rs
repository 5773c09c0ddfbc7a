//! `prepare` on the PostgreSQL memory gives the same kit as on SQLite: the
//! bundled example added to each backend, then prepared against each (the
//! work files equal byte for byte). Runs against the tests' private server
//! (`postgres_server`), skipped loudly without one.

mod postgres_server;
mod support;

use support::{TempProject, repo_path};

#[test]
fn prepare_gives_the_same_kit_on_both_backends() {
    let Some(url) = postgres_server::url("kit_prepare") else { return };
    let project = TempProject::with_bundled_glossaries();
    let sqlite = project.join("tm/memory.sqlite").display().to_string();
    for (memory, out) in [(sqlite.as_str(), "out-sqlite"), (url.as_str(), "out-pg")] {
        project
            .dragoman()
            .args(["tm", "add"])
            .arg(repo_path("examples/raqqa-2017/ar.txt"))
            .arg(repo_path("examples/raqqa-2017/en.txt"))
            .args(["--tm", memory])
            .assert()
            .success();
        let assert = project
            .dragoman()
            .arg("prepare")
            .arg(repo_path("examples/raqqa-2017/ar.txt"))
            .args(["--tm", memory, "--out", out, "--format", "json"])
            .assert()
            .success();
        let summary: serde_json::Value = serde_json::from_slice(&assert.get_output().stdout).unwrap();
        assert_eq!(summary["matches"]["exact"], 10, "{memory}: {summary}");
    }
    let read = |dir: &str| std::fs::read(project.join(&format!("{dir}/raqqa-2017.xlf"))).unwrap();
    assert_eq!(read("out-sqlite"), read("out-pg"));
}
