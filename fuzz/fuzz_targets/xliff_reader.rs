//! Arbitrary bytes as an XLIFF work file: the reader returns a document or
//! a one-line error with a position, never panics; a document it reads is
//! written again and reads back to the same document.
#![no_main]

use dragoman::xliff::{read_xliff, write_xliff};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    match read_xliff(data, "fuzz.xlf") {
        Err(error) => {
            assert!(error.line >= 1 && error.column >= 1);
            assert!(!error.to_string().contains('\n'));
        }
        Ok(document) => {
            let written = write_xliff(&document);
            let again = read_xliff(written.as_bytes(), "again.xlf").expect("our own XLIFF reads back");
            assert_eq!(again.paragraphs.len(), document.paragraphs.len());
            assert_eq!(again.units().count(), document.units().count());
        }
    }
});
