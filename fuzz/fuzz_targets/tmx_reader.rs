//! Feeds arbitrary bytes to the TMX reader: it must never panic, never
//! loop, and every unit it returns must be complete.
#![no_main]

use dragoman::tmx::TmxReader;
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let Ok(mut reader) = TmxReader::new(data, "fuzz.tmx") else {
        return;
    };
    // Each call consumes input, so this ends; the bound guards against a bug.
    for _ in 0..=data.len() {
        match reader.next_unit() {
            Ok(Some(unit)) => assert!(unit.variants.len() >= 2),
            Ok(None) => return,
            Err(error) if error.is_unit_error() => {}
            Err(_) => return,
        }
    }
    panic!("reader did not finish");
});
