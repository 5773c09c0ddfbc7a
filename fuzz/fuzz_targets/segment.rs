//! Arbitrary text through the built-in segmenter, and arbitrary bytes as an
//! SRX rule file: never a panic, and segments stay exact substrings.
#![no_main]

use dragoman::segment::Segmenter;
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else { return };
    for segment in Segmenter::builtin().segment(text, None) {
        assert_eq!(&text[segment.start..segment.end], segment.text);
    }
    if let Ok(rules) = Segmenter::from_srx(text, "fuzz.srx") {
        for segment in rules.segment("قال د. محمد إن 70 مدنيا قتلوا. Dr. Smith agreed.", None) {
            assert!(!segment.text.is_empty());
        }
    }
});
