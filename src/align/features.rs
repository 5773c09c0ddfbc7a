//! What the aligner knows about each sentence: its length and its lexical
//! anchors (numbers, Latin-script tokens, quotation marks, glossary
//! concepts), interned per document so that the dynamic programme compares
//! small integers, never strings.

use std::collections::HashMap;

use crate::normalize::{fold_digits, match_key};
use crate::segment::Segment;

/// The kinds of lexical evidence, in the order used for caps and weights.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub(crate) enum AnchorKind {
    Number,
    Latin,
    Quote,
    Glossary,
}

impl AnchorKind {
    pub(crate) const ALL: [AnchorKind; 4] =
        [AnchorKind::Number, AnchorKind::Latin, AnchorKind::Quote, AnchorKind::Glossary];

    pub(crate) fn index(self) -> usize {
        self as usize
    }

    /// The `kind` written in [`super::Evidence`].
    pub(crate) fn name(self) -> &'static str {
        match self {
            AnchorKind::Number => "number",
            AnchorKind::Latin => "latin",
            AnchorKind::Quote => "quote",
            AnchorKind::Glossary => "glossary",
        }
    }
}

/// One anchor occurrence in a sentence (or paragraph).
#[derive(Debug, Clone, Copy, PartialEq)]
pub(crate) struct Anchor {
    /// Interned (kind, text) id, unique within one document pair.
    pub(crate) id: u32,
    pub(crate) kind: AnchorKind,
    /// How much a match on this anchor is worth, before the per-kind cap:
    /// the kind's weight divided by how many sentences carry it, so that an
    /// anchor found everywhere (`19` in every COVID-19 sentence) says little.
    pub(crate) weight: f32,
}

/// A sentence (or a whole paragraph) as the cost function sees it.
#[derive(Debug, Clone, Default)]
pub(crate) struct Unit {
    /// Characters without whitespace, after deleting harakat, tatweel and
    /// invisible controls (they are not written in the translation).
    pub(crate) len: u32,
    /// Sorted by id, no duplicates; only anchors that occur on both sides
    /// somewhere in the document are kept.
    pub(crate) anchors: Vec<Anchor>,
    /// 0-based paragraph index in the document.
    pub(crate) paragraph: usize,
}

/// The anchors of both documents, interned together.
pub(crate) struct DocumentFeatures {
    pub(crate) source: Vec<Unit>,
    pub(crate) target: Vec<Unit>,
    /// Display text of every interned id (the source-side form for numbers
    /// and Latin tokens as first seen).
    pub(crate) labels: Vec<String>,
}

/// Weights of a single match per kind, in nats of evidence.
pub(crate) fn kind_weight(kind: AnchorKind) -> f32 {
    match kind {
        AnchorKind::Number => 3.0,
        AnchorKind::Latin => 2.5,
        AnchorKind::Quote => 0.5,
        AnchorKind::Glossary => 2.0,
    }
}

#[derive(Default)]
struct Interner {
    ids: HashMap<(AnchorKind, String), u32>,
    labels: Vec<String>,
    kinds: Vec<AnchorKind>,
}

impl Interner {
    fn intern(&mut self, kind: AnchorKind, key: String, label: &str) -> u32 {
        let next = self.labels.len() as u32;
        *self.ids.entry((kind, key)).or_insert_with(|| {
            self.labels.push(label.to_string());
            self.kinds.push(kind);
            next
        })
    }
}

/// Extracts lengths and anchors of both sides. `source_terms[i]` and
/// `target_terms[j]` are glossary concept ids (may be shorter than the
/// documents, or empty).
pub(crate) fn extract(
    source: &[Segment],
    target: &[Segment],
    source_terms: &[Vec<String>],
    target_terms: &[Vec<String>],
) -> DocumentFeatures {
    let mut interner = Interner::default();
    let mut raw_source: Vec<Vec<u32>> = Vec::with_capacity(source.len());
    let mut raw_target: Vec<Vec<u32>> = Vec::with_capacity(target.len());
    for (i, segment) in source.iter().enumerate() {
        raw_source.push(sentence_anchors(&segment.text, source_terms.get(i), &mut interner));
    }
    for (j, segment) in target.iter().enumerate() {
        raw_target.push(sentence_anchors(&segment.text, target_terms.get(j), &mut interner));
    }

    // Document frequency per side; an anchor absent from one side is no
    // evidence at all and is dropped.
    let count = interner.labels.len();
    let mut df_source = vec![0u32; count];
    let mut df_target = vec![0u32; count];
    for ids in &raw_source {
        for &id in ids {
            df_source[id as usize] += 1;
        }
    }
    for ids in &raw_target {
        for &id in ids {
            df_target[id as usize] += 1;
        }
    }
    let weigh = |ids: Vec<u32>| -> Vec<Anchor> {
        ids.into_iter()
            .filter(|&id| df_source[id as usize] > 0 && df_target[id as usize] > 0)
            .map(|id| {
                let kind = interner.kinds[id as usize];
                let df = df_source[id as usize].max(df_target[id as usize]);
                Anchor { id, kind, weight: kind_weight(kind) / df as f32 }
            })
            .collect()
    };
    let units = |segments: &[Segment], raw: Vec<Vec<u32>>| -> Vec<Unit> {
        segments
            .iter()
            .zip(raw)
            .map(|(segment, ids)| Unit {
                len: text_length(&segment.text),
                anchors: weigh(ids),
                paragraph: segment.paragraph,
            })
            .collect()
    };
    let source_units = units(source, raw_source);
    let target_units = units(target, raw_target);
    DocumentFeatures { source: source_units, target: target_units, labels: interner.labels }
}

/// Sorted, deduplicated anchor ids of one sentence.
fn sentence_anchors(text: &str, terms: Option<&Vec<String>>, interner: &mut Interner) -> Vec<u32> {
    let mut ids = Vec::new();
    let folded = fold_digits(text);
    for number in numbers(&folded) {
        ids.push(interner.intern(AnchorKind::Number, number.clone(), &number));
    }
    for token in latin_tokens(text) {
        ids.push(interner.intern(AnchorKind::Latin, token.to_lowercase(), token));
    }
    if text.chars().any(is_quotation_mark) {
        ids.push(interner.intern(AnchorKind::Quote, String::new(), "quotation"));
    }
    for concept in terms.into_iter().flatten() {
        ids.push(interner.intern(AnchorKind::Glossary, concept.clone(), concept));
    }
    ids.sort_unstable();
    ids.dedup();
    ids
}

/// Length for the length model: characters that the translation could
/// render, i.e. not whitespace and not deleted by the match key (harakat,
/// tatweel, bidi controls). Presentation forms count as their NFKC letters.
pub(crate) fn text_length(text: &str) -> u32 {
    let key = match_key(text);
    key.chars().filter(|c| !c.is_whitespace()).count().min(u32::MAX as usize) as u32
}

/// Numbers in text whose digits are already folded to ASCII: digit runs
/// with `.` or `,` between digits. The key drops thousands separators and
/// leading zeros so `1,000` = `1000` and `07` = `7`; a trailing `.0` stays
/// (a version number is not an integer).
pub(crate) fn numbers(folded: &str) -> Vec<String> {
    let bytes = folded.as_bytes();
    let mut found = Vec::new();
    let mut i = 0;
    while i < bytes.len() {
        if !bytes[i].is_ascii_digit() {
            i += 1;
            continue;
        }
        let mut key = String::new();
        while i < bytes.len() {
            let b = bytes[i];
            if b.is_ascii_digit() {
                key.push(b as char);
                i += 1;
            } else if (b == b'.' || b == b',') && bytes.get(i + 1).is_some_and(u8::is_ascii_digit) {
                if b == b'.' {
                    key.push('.');
                }
                i += 1;
            } else {
                break;
            }
        }
        let trimmed = key.trim_start_matches('0');
        let key = if trimmed.is_empty() || trimmed.starts_with('.') {
            format!("0{trimmed}")
        } else {
            trimmed.into()
        };
        found.push(key);
    }
    found
}

/// Runs of Latin letters and digits (names, acronyms, URL parts) that
/// contain a letter and are at least two characters long.
pub(crate) fn latin_tokens(text: &str) -> Vec<&str> {
    let is_latin = |c: char| c.is_ascii_alphanumeric() || ('\u{00C0}'..='\u{024F}').contains(&c);
    let mut tokens = Vec::new();
    let mut start = None;
    for (offset, c) in text.char_indices().chain(std::iter::once((text.len(), ' '))) {
        match (is_latin(c), start) {
            (true, None) => start = Some(offset),
            (false, Some(s)) => {
                let token = &text[s..offset];
                if token.chars().count() >= 2 && token.chars().any(|c| !c.is_ascii_digit()) {
                    tokens.push(token);
                }
                start = None;
            }
            _ => {}
        }
    }
    tokens
}

fn is_quotation_mark(c: char) -> bool {
    matches!(c, '"' | '“' | '”' | '«' | '»' | '„')
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::lang::Lang;

    fn seg(text: &str, paragraph: usize) -> Segment {
        Segment {
            text: text.into(),
            lang: Lang::detect(text, Lang::En),
            paragraph,
            start: 0,
            end: text.len(),
        }
    }

    #[test]
    fn numbers_fold_arabic_digits_and_separators() {
        assert_eq!(numbers(&fold_digits("أكثر من ٧٠ مدني و٣٫٥ كم و١٬٠٠٠")), vec!["70", "3.5", "1000"]);
        assert_eq!(numbers("on the 25th, 1,000 people; COVID-19 at 07.30"), vec!["25", "1000", "19", "7.30"]);
        assert_eq!(numbers("version 0.5 and 0"), vec!["0.5", "0"]);
    }

    #[test]
    fn latin_tokens_skip_arabic_and_bare_digits() {
        assert_eq!(latin_tokens("وكالة “Interfax” و YPG-2 و 12 a"), vec!["Interfax", "YPG"]);
    }

    #[test]
    fn length_ignores_spaces_and_harakat() {
        assert_eq!(text_length("مُدُنٌ  كبيرة"), "مدنكبيرة".chars().count() as u32);
        assert_eq!(text_length("a b\tc"), 3);
    }

    #[test]
    fn anchors_are_kept_only_when_both_sides_have_them() {
        let source = [seg("قتل ٧٠ مدنياً حسب “انترفاكس” Interfax", 0), seg("في عام 2017", 1)];
        let target = [seg("Interfax said 70 civilians died.", 0), seg("In the past.", 1)];
        let features = extract(&source, &target, &[], &[]);
        let labels: Vec<&str> =
            features.source[0].anchors.iter().map(|a| features.labels[a.id as usize].as_str()).collect();
        assert_eq!(labels, vec!["70", "Interfax"]);
        assert!(features.source[1].anchors.is_empty(), "2017 is not in the target");
        assert_eq!(features.target[0].anchors.len(), 2);
    }
}
