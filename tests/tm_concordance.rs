//! Concordance shows the part of the translation most likely to render the
//! hit: measured on the bundled Raqqa article, whose names have one
//! rendering each.

mod support;

use support::{TempProject, repo_path};

#[test]
fn the_rendering_window_holds_the_names_rendering_in_most_units() {
    let project = TempProject::new();
    project
        .dragoman()
        .args(["tm", "add"])
        .arg(repo_path("examples/raqqa-2017/ar.txt"))
        .arg(repo_path("examples/raqqa-2017/en.txt"))
        .assert()
        .success();
    let names = [
        ("انترفاكس", "Interfax"),
        ("الرقة", "Raqqa"),
        ("داعش", "ISIS"),
        ("تدمر", "Palmyra"),
        ("روسيا", "Russia"),
    ];
    let (mut held, mut hits) = (0, 0);
    for (term, rendering) in names {
        let output =
            project.dragoman().args(["tm", "concordance", "--format", "json", term]).output().unwrap();
        let found: serde_json::Value = serde_json::from_slice(&output.stdout).unwrap();
        for hit in found["hits"].as_array().unwrap() {
            let target = hit["target"].as_str().unwrap();
            let window = &hit["rendering"];
            let (start, end) = (window[0].as_u64().unwrap() as usize, window[1].as_u64().unwrap() as usize);
            hits += 1;
            held += usize::from(target[start..end].contains(rendering));
        }
    }
    // Measured: 14 of 18 (a proportional window of the hit's words and two
    // either side); a cut from the start of the translation holds far fewer.
    assert_eq!(hits, 18);
    assert!(held >= 14, "{held} of {hits} windows hold the rendering");

    let text = project.dragoman().args(["tm", "concordance", "تدمر"]).output().unwrap();
    let text = String::from_utf8(text.stdout).unwrap();
    assert!(text.contains("the city ⟦of Palmyra in the eastern Homs⟧ countryside."), "{text}");
}
