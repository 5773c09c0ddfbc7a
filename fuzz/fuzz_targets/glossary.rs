//! Arbitrary bytes as a glossary in every format we read (native
//! tab-separated, CSV, TBX 2008, TBX v3), as a beads file and as a
//! dictionary's raw bytes (any encoding): errors, never panics; a glossary
//! that parses also builds a recognizer that runs.
#![no_main]

use dragoman::align::{Dictionary, parse_beads};
use dragoman::glossary::formats::{ExternalFormat, import};
use dragoman::glossary::{Glossary, Recognizer};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let _ = Dictionary::from_bytes(data, "fuzz.tsv");
    let Ok(text) = std::str::from_utf8(data) else { return };
    if let Ok(glossary) = Glossary::parse(text, "fuzz.txt") {
        let recognizer = Recognizer::new(&glossary);
        let _ = recognizer.find_arabic(text);
        let _ = recognizer.find_english(text);
    }
    for format in [ExternalFormat::Csv, ExternalFormat::Tbx2008, ExternalFormat::Tbx3] {
        let _ = import(text, "fuzz", format);
    }
    let _ = parse_beads(text, "fuzz.beads");
});
