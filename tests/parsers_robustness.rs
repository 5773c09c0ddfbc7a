//! The parsers of untrusted input that have no robustness test of their own
//! (glossaries in every format, beads files, SRX rule files, dictionaries
//! from raw bytes in any encoding) return errors,
//! never panic, on arbitrary input — the in-tree counterpart of the fuzz
//! targets in `fuzz/`, which need a nightly toolchain.

use dragoman::align::{Dictionary, parse_beads};
use dragoman::glossary::formats::{ExternalFormat, import};
use dragoman::glossary::{Glossary, Recognizer};
use dragoman::segment::Segmenter;
use proptest::prelude::*;

/// Lines built from the characters these formats give meaning to.
fn structured_text() -> impl Strategy<Value = String> {
    let pieces = prop::sample::select(vec![
        "\t",
        "\n",
        "\r\n",
        ",",
        "\"",
        "|",
        "#",
        " ",
        "الرقة",
        "Raqqa",
        "ـ",
        "<",
        ">",
        "/",
        "=",
        "&",
        ";",
        "&amp;",
        "&nbsp;",
        "<!DOCTYPE x [<!ENTITY a \"b\">]>",
        "<martif>",
        "<tbx>",
        "<termEntry>",
        "<langSet xml:lang=\"ar\">",
        "<term>",
        "</term>",
        "<srx version=\"2.0\">",
        "<rule break=\"no\">",
        "<beforebreak>",
        "</beforebreak>",
        "\\.",
        "(",
        ")",
        "[",
        "]",
        "*",
        "+",
        "?",
        "\\p{Lu}",
        "(?<=a)",
        "0",
        "1",
        "99999999999999999999",
        "-1",
        "place",
        "ambiguous",
        "\u{FEFF}",
        "\u{202E}",
    ]);
    prop::collection::vec(pieces, 0..60).prop_map(|v| v.concat())
}

fn exercise(text: &str) {
    if let Ok(glossary) = Glossary::parse(text, "fuzz.txt") {
        let recognizer = Recognizer::new(&glossary);
        let _ = recognizer.find_arabic(text);
        let _ = recognizer.find_english(text);
    }
    for format in [ExternalFormat::Csv, ExternalFormat::Tbx2008, ExternalFormat::Tbx3] {
        let _ = import(text, "fuzz", format);
    }
    if let Ok(beads) = parse_beads(text, "fuzz.beads") {
        for bead in beads {
            assert!(!(bead.source.is_empty() && bead.target.is_empty()), "an empty bead was accepted");
        }
    }
    if let Ok(rules) = Segmenter::from_srx(text, "fuzz.srx") {
        let sample = "قال د. محمد إن 70 مدنيا قتلوا. Dr. Smith agreed.";
        for segment in rules.segment(sample, None) {
            assert_eq!(&sample[segment.start..segment.end], segment.text);
        }
    }
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 400, ..ProptestConfig::default() })]

    #[test]
    fn structured_input_never_panics(text in structured_text()) {
        exercise(&text);
    }

    #[test]
    fn arbitrary_input_never_panics(text in any::<String>()) {
        exercise(&text);
    }

    /// Word lists are decoded from bytes (UTF-8, UTF-16 with either BOM);
    /// an error names a line that exists.
    #[test]
    fn arbitrary_dictionary_bytes_never_panic(
        bom in prop::sample::select(vec![&b""[..], b"\xFF\xFE", b"\xFE\xFF", b"\xEF\xBB\xBF"]),
        body in prop::collection::vec(prop::sample::select(vec![0u8, b'\t', b'\n', b'\r', b',', b'a', 0xD8, 0xD9, 0x85, 0xFF, 0xDC]), 0..80),
    ) {
        let bytes = [bom, &body].concat();
        if let Err(error) = Dictionary::from_bytes(&bytes, "fuzz.tsv") {
            prop_assert!(error.line >= 1 && error.line <= bytes.len() + 1, "{error}");
        }
    }
}

#[test]
fn real_files_cut_anywhere_never_panic() {
    let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR"));
    for file in ["glossaries/syria.txt", "examples/raqqa-2017/gold.align", "src/segment/default.srx"] {
        let text = std::fs::read_to_string(root.join(file)).unwrap();
        let cuts: Vec<usize> = (0..text.len()).step_by(text.len() / 40 + 1).collect();
        for cut in cuts {
            if text.is_char_boundary(cut) {
                exercise(&text[..cut]);
            }
        }
    }
}
