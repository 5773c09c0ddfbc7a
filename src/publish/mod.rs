//! Publishing: the English edition (HTML, Markdown, text) and the bilingual
//! side-by-side edition.
//!
//! Owns: rendering; every piece of text is escaped.
