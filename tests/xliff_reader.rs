//! The XLIFF reader and writer on their own: what CAT tools write back
//! (segmentation markers, inline codes, states), a write → read round trip
//! of hostile text, and robustness on arbitrary and truncated input (the
//! in-tree counterpart of `fuzz/fuzz_targets/xliff_reader.rs`).

use dragoman::xliff::{
    Alternative, Note, Target, Unit, XliffDocument, XliffErrorKind, read_xliff, read_xliff_file, write_xliff,
};
use proptest::prelude::*;

fn fixture(name: &str) -> std::path::PathBuf {
    std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/xliff").join(name)
}

#[test]
fn segmented_units_from_a_cat_tool_are_joined_and_codes_dropped() {
    let document = read_xliff_file(&fixture("segmented-cat-tool.xlf")).unwrap();
    assert_eq!(document.original, "raqqa-2017/ar.txt");
    assert_eq!(document.paragraphs.len(), 2, "nested groups belong to their top-level group");
    let units: Vec<&Unit> = document.units().collect();
    assert_eq!(units.len(), 3);
    // Two <mrk mtype="seg"> segments in one unit: joined by a space.
    assert_eq!(
        units[0].translation(),
        Some("Over the past two days, more than 70 civilians were killed. Others were wounded.")
    );
    // <g> keeps its text, <x/> has none, <ph> holds native code.
    assert_eq!(units[1].source, "الرقة تذبح بصمت");
    assert_eq!(units[1].translation(), Some("Raqqa is Being Slaughtered Silently"));
    assert_eq!(units[2].translation(), None, "state needs-translation");
    assert_eq!(units[2].alternatives[0].match_quality, "85%");
}

fn unit(source: &str, target: Option<(&str, Option<&str>)>) -> Unit {
    Unit {
        id: "1".into(),
        source: source.into(),
        target: target.map(|(text, state)| Target { text: text.into(), state: state.map(Into::into) }),
        ..Unit::default()
    }
}

#[test]
fn untranslated_units_are_told_apart_from_translations() {
    let ar = "الرقة تذبح بصمت";
    assert_eq!(unit(ar, None).translation(), None);
    assert_eq!(unit(ar, Some(("  ", None))).translation(), None);
    assert_eq!(unit(ar, Some((ar, Some("translated")))).translation(), None, "still the source");
    assert_eq!(unit(ar, Some(("Raqqa", Some("needs-translation")))).translation(), None);
    assert_eq!(unit(ar, Some(("الرقة تذبح", Some("new")))).translation(), None, "a half-edited copy");
    // OmegaT 3.6 leaves state="new" on targets it filled.
    assert_eq!(
        unit(ar, Some(("Raqqa is Being Slaughtered", Some("new")))).translation(),
        Some("Raqqa is Being Slaughtered")
    );
    assert_eq!(unit(ar, Some(("Raqqa", Some("needs-review-translation")))).translation(), Some("Raqqa"));
    assert_eq!(unit(ar, Some(("Raqqa", None))).translation(), Some("Raqqa"));
}

#[test]
fn utf16_work_files_are_read() {
    let text = std::fs::read_to_string(fixture("segmented-cat-tool.xlf")).unwrap();
    let mut bytes = vec![0xFF, 0xFE];
    for unit in text.encode_utf16() {
        bytes.extend_from_slice(&unit.to_le_bytes());
    }
    let document = read_xliff(&bytes, "utf16.xlf").unwrap();
    assert_eq!(document, read_xliff(text.as_bytes(), "utf8.xlf").unwrap());
}

#[test]
fn deep_nesting_is_refused_not_followed() {
    let mut text = String::from(
        r#"<xliff version="1.2"><file original="a" source-language="ar" datatype="plaintext"><body>"#,
    );
    text += &"<group>".repeat(500);
    let error = read_xliff(text.as_bytes(), "deep.xlf").unwrap_err();
    assert_eq!(error.kind, XliffErrorKind::TooLarge, "{error}");
    assert_eq!(error.line, 1);
}

#[test]
fn errors_point_at_the_line_and_column() {
    let text = "<xliff version=\"1.2\">\n<file original=\"a\" source-language=\"ar\" datatype=\"plaintext\"><body>\n  <trans-unit id=\"7\"><target>x</target></trans-unit>\n</body></file></xliff>";
    let error = read_xliff(text.as_bytes(), "w.xlf").unwrap_err();
    assert_eq!((error.line, error.column, error.kind), (3, 3, XliffErrorKind::Invalid), "{error}");
    assert_eq!(error.to_string(), "w.xlf:3:3: <trans-unit id=\"7\"> has no <source>");
}

/// Text with everything that must survive escaping: markup characters,
/// quotes, bidi controls, a no-break space, Arabic with diacritics.
fn hostile_text() -> impl Strategy<Value = String> {
    let pieces = prop::sample::select(vec![
        "الرقة",
        "تذبح",
        "بصمت",
        "Raqqa",
        " ",
        "\u{a0}",
        "&",
        "<",
        ">",
        "\"",
        "'",
        "]]>",
        "\u{202E}",
        "\u{200F}",
        "\u{200D}",
        "ً",
        "\t",
        "٢٥",
        "&amp;",
        "<x/>",
        "\u{1F600}",
    ]);
    prop::collection::vec(pieces, 1..12)
        .prop_map(|p| p.concat())
        .prop_filter("not blank", |t| !t.trim().is_empty())
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 200, ..ProptestConfig::default() })]

    #[test]
    fn what_we_write_reads_back_unchanged(
        sources in prop::collection::vec(hostile_text(), 1..6),
        target in hostile_text(),
        note in hostile_text(),
        title in hostile_text(),
    ) {
        let units = sources.iter().enumerate().map(|(i, source)| Unit {
            id: format!("s1-{}", i + 1),
            source: source.trim().to_string(),
            target: Some(Target { text: target.trim().to_string(), state: Some("new".into()) }),
            notes: vec![Note { from: Some("glossary".into()), text: note.trim().to_string() }],
            alternatives: vec![Alternative {
                match_quality: "87".into(),
                origin: title.clone(),
                source: source.trim().to_string(),
                target: target.trim().to_string(),
            }],
        }).collect();
        let document = XliffDocument {
            original: format!("{}.ar.txt", title.trim()),
            source_language: "ar".into(),
            target_language: "en".into(),
            title: Some(title.trim().to_string()),
            date: None,
            document: None,
            paragraphs: vec![units],
        };
        let written = write_xliff(&document);
        let read = read_xliff(written.as_bytes(), "round.xlf").unwrap();
        prop_assert_eq!(read, document);
    }

    #[test]
    fn arbitrary_markup_gives_an_error_or_a_document_never_a_panic(
        pieces in prop::collection::vec(prop::sample::select(vec![
            "<xliff version=\"1.2\">", "<xliff version=\"2.0\">", "</xliff>", "<file original=\"a\" source-language=\"ar\">",
            "</file>", "<body>", "</body>", "<group>", "</group>", "<trans-unit id=\"1\">", "<trans-unit>",
            "</trans-unit>", "<source>", "</source>", "<target state=\"new\">", "</target>", "<mrk mtype=\"seg\">",
            "</mrk>", "<ph>", "</ph>", "<x/>", "<alt-trans>", "</alt-trans>", "<note from=\"title\">", "</note>",
            "الرقة", "Raqqa", "&amp;", "&nbsp;", "&#0;", "&#x627;", "&", "<!DOCTYPE x>", "<!-- c -->", "<![CDATA[a<b]]>",
            "\n", " ", "\u{202E}", "<?pi x?>", "<header>", "</header>",
        ]), 0..40),
    ) {
        let text = pieces.concat();
        match read_xliff(text.as_bytes(), "arbitrary.xlf") {
            Ok(document) => {
                let again = read_xliff(write_xliff(&document).as_bytes(), "again.xlf").unwrap();
                prop_assert_eq!(again.units().count(), document.units().count());
            }
            Err(error) => {
                prop_assert!(error.line >= 1 && error.column >= 1);
                prop_assert!(!error.to_string().contains('\n'), "{}", error);
            }
        }
    }

    #[test]
    fn arbitrary_bytes_never_panic(bytes in prop::collection::vec(any::<u8>(), 0..400)) {
        let _ = read_xliff(&bytes, "bytes.xlf");
    }
}

#[test]
fn every_truncation_of_a_work_file_is_an_error() {
    let text = std::fs::read_to_string(fixture("segmented-cat-tool.xlf")).unwrap();
    let end = text.trim_end().len() - "</xliff>".len();
    for cut in (1..end).filter(|&i| text.is_char_boundary(i)) {
        let error = read_xliff(&text.as_bytes()[..cut], "cut.xlf");
        assert!(error.is_err(), "cut at {cut} was read as a document");
    }
}
