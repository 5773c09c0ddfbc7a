//! Round trips through the TMX reader and writer: a real third-party file
//! (TICO-19) and the hand-written fixtures in tests/fixtures/tmx/good/.

mod support;

use dragoman::lang::Lang;
use dragoman::tmx::{Header, TmxReader, TmxWriter, TranslationUnit, WriterOptions, classify_lang};

fn read_all(bytes: &[u8], name: &str) -> (Header, Vec<TranslationUnit>) {
    let mut reader = TmxReader::new(bytes, name).unwrap_or_else(|e| panic!("{e}"));
    let mut units = Vec::new();
    while let Some(unit) = reader.next_unit().unwrap_or_else(|e| panic!("{e}")) {
        units.push(unit);
    }
    (reader.header().clone(), units)
}

fn write_all(units: &[TranslationUnit], options: &WriterOptions) -> Vec<u8> {
    let mut writer = TmxWriter::new(Vec::new(), options).unwrap();
    for unit in units {
        writer.write_unit(unit).unwrap();
    }
    writer.finish().unwrap()
}

/// Reads `bytes`, writes the units, reads them back: the units must be
/// identical, and writing again must give the same bytes.
fn assert_round_trip(bytes: &[u8], name: &str) -> Vec<TranslationUnit> {
    let (_, units) = read_all(bytes, name);
    let written = write_all(&units, &WriterOptions::default());
    let (header, again) = read_all(&written, "written.tmx");
    assert_eq!(header.version, "1.4");
    assert_eq!(units.len(), again.len(), "{name}: unit count changed");
    for (before, after) in units.iter().zip(&again) {
        assert_eq!(before, after, "{name}: unit changed in the round trip");
    }
    assert_eq!(write_all(&again, &WriterOptions::default()), written, "{name}: second write differs");
    units
}

#[test]
fn tico19_memory_survives_a_round_trip() {
    let bytes = support::read_repo("tests/fixtures/tico19/original/all.en-ar.tmx");
    let (header, _) = read_all(bytes.as_bytes(), "all.en-ar.tmx");
    assert_eq!(header.srclang.as_deref(), Some("en"));
    assert_eq!(header.attribute("segtype"), Some("paragraph"));
    let units = assert_round_trip(bytes.as_bytes(), "all.en-ar.tmx");
    assert_eq!(units.len(), 3071);
    let first = &units[0];
    assert_eq!(first.tuid.as_deref(), Some("CMU_1:1"));
    assert_eq!(first.props[0].kind, "note");
    assert!(first.props[0].value.starts_with("http://www.speech.cs.cmu.edu/"));
    assert_eq!(
        first.variant(Lang::En).unwrap().seg.plain_text(),
        "about how long have these symptoms been going on?"
    );
    assert_eq!(first.variant(Lang::Ar).unwrap().seg.plain_text(), "منذ متى لا تزال هذه الأعراض مستمرة تقريبًا؟");
    for unit in &units {
        assert!(unit.variants.iter().all(|v| classify_lang(&v.lang).is_some()), "{:?}", unit.tuid);
    }
}

fn fixture(name: &str) -> Vec<u8> {
    let path = support::repo_path(&format!("tests/fixtures/tmx/good/{name}"));
    std::fs::read(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

fn text_of(unit: &TranslationUnit, lang: Lang) -> String {
    unit.variant(lang).unwrap_or_else(|| panic!("no {lang} variant in {:?}", unit.tuid)).seg.plain_text()
}

#[test]
fn every_good_fixture_round_trips() {
    let dir = support::repo_path("tests/fixtures/tmx/good");
    let mut count = 0;
    for entry in std::fs::read_dir(dir).unwrap() {
        let path = entry.unwrap().path();
        let name = path.file_name().unwrap().to_string_lossy().to_string();
        let units = assert_round_trip(&std::fs::read(&path).unwrap(), &name);
        assert!(units.len() >= 2 || name == "utf8-bom.tmx", "{name}: {} units", units.len());
        count += 1;
    }
    assert!(count >= 7, "only {count} good fixtures");
}

#[test]
fn utf16_files_read_like_utf8() {
    for (name, encoding) in [("utf16le-bom-memoq.tmx", "UTF-16LE"), ("utf16be-bom.tmx", "UTF-16BE")] {
        let bytes = fixture(name);
        let reader = TmxReader::new(bytes.as_slice(), name).unwrap();
        assert_eq!(reader.encoding(), encoding);
        let (header, units) = read_all(&bytes, name);
        assert_eq!(header.attribute("creationtool"), Some("MemoQ"));
        assert_eq!(units.len(), 2);
        assert_eq!(text_of(&units[0], Lang::Ar), "الرقة تذبح بصمت");
        assert_eq!(text_of(&units[0], Lang::En), "Raqqa Is Being Slaughtered Silently");
        assert_eq!(text_of(&units[1], Lang::Ar), "عبد العزيز الحمزة 😀 & رفاقه");
        assert_eq!(units[0].variants[1].lang, "en-us");
        assert_eq!(units[0].props[0].value, "Newsroom");
    }
}

#[test]
fn tmx11_lang_attribute_and_comments_in_body() {
    let (header, units) = read_all(&fixture("omegat-tmx11.tmx"), "omegat-tmx11.tmx");
    assert_eq!(header.version, "1.1");
    assert_eq!(header.srclang.as_deref(), Some("ar"));
    assert_eq!(units.len(), 2);
    assert_eq!(units[0].variants[0].lang, "ar");
    assert_eq!(text_of(&units[0], Lang::En), "Raqqa Is Being Slaughtered Silently");
    // `lang` is the language, not an ordinary attribute; the others are kept in order.
    let en = units[0].variant(Lang::En).unwrap();
    assert_eq!(en.attributes[0], ("changeid".to_string(), "translator".to_string()));
    assert_eq!(en.attributes.len(), 4);
    assert_eq!(units[1].props.iter().map(|p| p.kind.as_str()).collect::<Vec<_>>(), ["file", "prev", "next"]);
}

#[test]
fn level2_markup_is_kept_and_hidden_from_plain_text() {
    let (_, units) = read_all(&fixture("level2-markup.tmx"), "level2-markup.tmx");
    let ar = units[0].variant(Lang::Ar).unwrap();
    assert!(ar.seg.xml.contains(r#"<bpt i="1" type="bold">&lt;b&gt;</bpt>"#), "{}", ar.seg.xml);
    assert!(ar.seg.xml.contains(r#"<sub datatype="html" type="alt">شعار</sub>"#));
    assert_eq!(ar.seg.plain_text(), "قال الناشط إن الرقة تذبح بصمت.");
    assert_eq!(text_of(&units[0], Lang::En), "The activist said Raqqa is being slaughtered silently.");
    assert_eq!(text_of(&units[1], Lang::En), "Start of the italic text");
    assert_eq!(text_of(&units[2], Lang::En), "Old bold and empty nested");
    assert!(units[2].variants[1].seg.xml.contains("<ph/>"));
    // References decoded once, CDATA kept as text, zero-width non-joiner kept.
    assert_eq!(text_of(&units[3], Lang::Ar), "السعر < 5 & \"العرض\" > 3 ال\u{200C}<كود>& 'x'");
    assert_eq!(text_of(&units[3], Lang::En), "Price < 5 & \"offer\" > 3 AB<code>& 'x'");
}

#[test]
fn star_all_and_region_tags() {
    let (header, units) = read_all(&fixture("star-all-regions.tmx"), "star-all-regions.tmx");
    assert!(header.srclang_is_all());
    assert_eq!(header.notes[0].text, "Region tags as exporters write them.");
    assert_eq!(units[0].variants[0].lang, "ar-SA");
    assert_eq!(text_of(&units[0], Lang::Ar), "مرحبا بكم");
    assert_eq!(text_of(&units[1], Lang::Ar), "شكرا جزيلا");
    assert_eq!(text_of(&units[1], Lang::En), "Thank you very much");
    assert_eq!(units[2].attribute("srclang"), Some("en"));
    assert_eq!(units[2].variants.len(), 3);
    assert_eq!(classify_lang(&units[2].variants[2].lang), None);
}

#[test]
fn trados_props_notes_and_dates_are_kept() {
    let (header, units) = read_all(&fixture("trados-props-notes.tmx"), "trados-props-notes.tmx");
    assert_eq!(header.srclang.as_deref(), Some("ar-SA"));
    assert_eq!(header.props.len(), 3);
    assert_eq!(header.attribute("creationid"), Some(r"NEWSROOM\desk"));
    let unit = &units[0];
    assert_eq!(unit.tuid, None);
    assert_eq!(unit.attribute("usagecount"), Some("3"));
    assert_eq!(unit.attribute("changedate"), Some("20170610T080000Z"));
    assert_eq!(unit.props[2].lang.as_deref(), Some("en"));
    assert_eq!(unit.notes[0].text, "Checked by the desk & the editor.");
    assert_eq!(unit.notes[1].lang.as_deref(), Some("ar"));
    assert_eq!(unit.variants[0].props[0].value, "paragraph 1");
    assert_eq!(unit.variants[0].notes[0].text, "source note");
    assert_eq!(units[1].props[0].value, "line one\nline two\ttabbed");
    assert_eq!(text_of(&units[1], Lang::Ar), "سطر أول\nسطر ثان");
}

#[test]
fn written_files_are_tmx_14_with_every_header_attribute() {
    let (_, units) = read_all(&fixture("trados-props-notes.tmx"), "trados-props-notes.tmx");
    let options = WriterOptions { creation_date: Some("20240101T000000Z".to_string()), ..Default::default() };
    let text = String::from_utf8(write_all(&units, &options)).unwrap();
    assert!(text.starts_with("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<tmx version=\"1.4\">"));
    assert!(!text.contains("DOCTYPE"));
    for attribute in [
        "creationtool=\"dragoman\"",
        &format!("creationtoolversion=\"{}\"", env!("CARGO_PKG_VERSION")),
        "segtype=\"sentence\"",
        "o-tmf=\"dragoman\"",
        "adminlang=\"en\"",
        "srclang=\"ar\"",
        "datatype=\"plaintext\"",
        "creationdate=\"20240101T000000Z\"",
    ] {
        assert!(text.contains(attribute), "header lacks {attribute}");
    }
    // DTD order inside <tu>: notes, props, then variants.
    let tu = &text[text.find("<tu ").unwrap()..text.find("</tu>").unwrap()];
    let (note, prop, tuv) = (tu.find("<note").unwrap(), tu.find("<prop").unwrap(), tu.find("<tuv").unwrap());
    assert!(note < prop && prop < tuv, "{tu}");
    assert!(text.contains("<tuv xml:lang=\"ar-SA\">"));
    // Line ends in props survive as references inside attributes, raw in text.
    assert!(text.contains("line one\nline two\ttabbed</prop>"));
}

#[test]
fn writer_escapes_everything_and_refuses_invalid_units() {
    use dragoman::tmx::{Note, Prop, Variant};
    let unit = TranslationUnit {
        tuid: Some("a\"b<c>&\n".to_string()),
        attributes: vec![("creationid".to_string(), "x'y\"\t".to_string())],
        props: vec![Prop { kind: "x-\"k\"".to_string(), lang: None, value: "<v> & \u{1}".to_string() }],
        notes: vec![Note { lang: Some("ar".to_string()), text: "ملاحظة </note>".to_string() }],
        variants: vec![Variant::from_text("ar", "نص <b> & \r\n"), Variant::from_text("en", "text ]]> \u{0}")],
    };
    let bytes = write_all(std::slice::from_ref(&unit), &WriterOptions::default());
    let (_, units) = read_all(&bytes, "escaped.tmx");
    let mut expected = unit.clone();
    expected.props[0].value = "<v> & \u{FFFD}".to_string();
    expected.variants[1] = Variant::from_text("en", "text ]]> \u{FFFD}");
    assert_eq!(units, [expected]);
    assert_eq!(units[0].variants[0].seg.plain_text(), "نص <b> & \r\n");

    let mut writer = TmxWriter::new(Vec::new(), &WriterOptions::default()).unwrap();
    let empty = TranslationUnit { variants: Vec::new(), ..unit.clone() };
    assert_eq!(writer.write_unit(&empty).unwrap_err().kind(), std::io::ErrorKind::InvalidInput);
    let bad_name = TranslationUnit { attributes: vec![("a b".to_string(), "c".to_string())], ..unit };
    assert!(writer.write_unit(&bad_name).is_err());
    // A refused unit leaves no partial output behind.
    let text = String::from_utf8(writer.finish().unwrap()).unwrap();
    assert!(!text.contains("<tu"), "{text}");
}
