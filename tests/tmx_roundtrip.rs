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
