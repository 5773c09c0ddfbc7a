//! What the aligner knows about each sentence: its length and its lexical
//! anchors (numbers, Latin-script tokens, quotation marks, glossary
//! concepts), interned per document so that the dynamic programme compares
//! small integers, never strings.

use std::collections::HashMap;

use crate::lang::{Lang, is_arabic_letter};
use crate::normalize::{fold_digits, match_key};
use crate::segment::Segment;

/// The kinds of lexical evidence, in the order used for caps and weights.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub(crate) enum AnchorKind {
    Number,
    Latin,
    Quote,
    Glossary,
    Name,
}

impl AnchorKind {
    pub(crate) const ALL: [AnchorKind; 5] =
        [AnchorKind::Number, AnchorKind::Latin, AnchorKind::Quote, AnchorKind::Glossary, AnchorKind::Name];

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
            AnchorKind::Name => "name",
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
    /// Which [`Mark`]s the text contains (bit `1 << mark as u8`).
    pub(crate) marks: u8,
}

/// Punctuation that a translation keeps: a question stays a question.
/// Unlike anchors, marks are compared both ways: a mark on one side only
/// is evidence *against* a bead.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Mark {
    Question,
    Exclamation,
    Parenthesis,
}

impl Mark {
    pub(crate) const ALL: [Mark; 3] = [Mark::Question, Mark::Exclamation, Mark::Parenthesis];

    pub(crate) fn bit(self) -> u8 {
        1 << self as u8
    }

    pub(crate) fn label(self) -> &'static str {
        match self {
            Mark::Question => "?",
            Mark::Exclamation => "!",
            Mark::Parenthesis => "( )",
        }
    }

    /// How often a translation loses or adds this mark.
    fn slip_rate(self) -> f64 {
        match self {
            Mark::Question => 0.03,
            Mark::Exclamation => 0.05,
            Mark::Parenthesis => 0.08,
        }
    }

    fn of_text(text: &str) -> u8 {
        let mut marks = 0;
        for c in text.chars() {
            marks |= match c {
                '?' | '؟' => Mark::Question.bit(),
                '!' => Mark::Exclamation.bit(),
                '(' | ')' | '[' | ']' => Mark::Parenthesis.bit(),
                _ => 0,
            };
        }
        marks
    }
}

/// What a mark is worth in one document pair: the log-likelihood ratio of
/// "both sides have it" and of "only one side has it" for a right bead
/// against a random pair of sentences, from how common the mark is.
#[derive(Debug, Clone, Copy, Default)]
pub(crate) struct MarkWeights {
    pub(crate) agree: [f64; 3],
    pub(crate) disagree: [f64; 3],
}

impl MarkWeights {
    fn measure(source: &[Unit], target: &[Unit]) -> MarkWeights {
        let mut weights = MarkWeights::default();
        let share = |units: &[Unit], mark: Mark| {
            units.iter().filter(|u| u.marks & mark.bit() != 0).count() as f64 / units.len().max(1) as f64
        };
        for (k, mark) in Mark::ALL.into_iter().enumerate() {
            let (ps, pt) = (share(source, mark), share(target, mark));
            if ps == 0.0 || pt == 0.0 {
                continue;
            }
            let slip = mark.slip_rate();
            let both_by_chance = ps * pt;
            let one_by_chance = ps * (1.0 - pt) + pt * (1.0 - ps);
            let p = (ps + pt) / 2.0;
            weights.agree[k] = (p * (1.0 - slip) / both_by_chance).ln().clamp(0.0, 2.5);
            weights.disagree[k] = (one_by_chance / slip).ln().clamp(0.0, 3.0);
        }
        weights
    }
}

/// The anchors of both documents, interned together.
pub(crate) struct DocumentFeatures {
    pub(crate) source: Vec<Unit>,
    pub(crate) target: Vec<Unit>,
    /// Display text of every interned id (the source-side form for numbers
    /// and Latin tokens as first seen).
    pub(crate) labels: Vec<String>,
    /// The interned key of every id (a number, a lower-cased token, a
    /// name skeleton, a concept id).
    pub(crate) keys: Vec<String>,
    pub(crate) marks: MarkWeights,
}

/// Weights of a single match per kind, in nats of evidence.
pub(crate) fn kind_weight(kind: AnchorKind) -> f32 {
    match kind {
        AnchorKind::Number => super::cost::tune("NUMW", 3.0) as f32,
        AnchorKind::Latin => 2.5,
        AnchorKind::Quote => 0.5,
        AnchorKind::Glossary => 2.0,
        AnchorKind::Name => super::cost::tune("NAMEW", 3.0) as f32,
    }
}

#[derive(Default)]
struct Interner {
    ids: HashMap<(AnchorKind, String), u32>,
    /// The form first seen on the source side and on the target side.
    labels: Vec<(Option<String>, Option<String>)>,
    kinds: Vec<AnchorKind>,
    keys: Vec<String>,
}

#[derive(Clone, Copy)]
enum Side {
    Source,
    Target,
}

impl Interner {
    fn intern(&mut self, kind: AnchorKind, key: String, label: &str, side: Side) -> u32 {
        let next = self.labels.len() as u32;
        let id = *self.ids.entry((kind, key)).or_insert_with_key(|(_, key)| {
            self.labels.push((None, None));
            self.kinds.push(kind);
            self.keys.push(key.clone());
            next
        });
        let slot = match side {
            Side::Source => &mut self.labels[id as usize].0,
            Side::Target => &mut self.labels[id as usize].1,
        };
        if slot.is_none() {
            *slot = Some(label.to_string());
        }
        id
    }

    /// How an anchor is shown as evidence: the source form, and the target
    /// form after an arrow when it is spelled differently (`روسيا → Russia`).
    fn into_labels(self) -> Vec<String> {
        self.labels
            .into_iter()
            .map(|pair| match pair {
                (Some(source), Some(target)) if source.to_lowercase() != target.to_lowercase() => {
                    format!("{source} → {target}")
                }
                (Some(label), _) | (None, Some(label)) => label,
                (None, None) => String::new(),
            })
            .collect()
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
        raw_source.push(sentence_anchors(segment, source_terms.get(i), &mut interner, Side::Source));
    }
    for (j, segment) in target.iter().enumerate() {
        raw_target.push(sentence_anchors(segment, target_terms.get(j), &mut interner, Side::Target));
    }

    // Document frequency per side; an anchor absent from one side is no
    // evidence at all and is dropped.
    let count = interner.kinds.len();
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
                marks: Mark::of_text(&segment.text),
            })
            .collect()
    };
    let source_units = units(source, raw_source);
    let target_units = units(target, raw_target);
    let marks = MarkWeights::measure(&source_units, &target_units);
    let keys = std::mem::take(&mut interner.keys);
    DocumentFeatures {
        source: source_units,
        target: target_units,
        labels: interner.into_labels(),
        keys,
        marks,
    }
}

/// Sorted, deduplicated anchor ids of one sentence.
fn sentence_anchors(
    segment: &Segment,
    terms: Option<&Vec<String>>,
    interner: &mut Interner,
    side: Side,
) -> Vec<u32> {
    let text = segment.text.as_str();
    let mut ids = Vec::new();
    let folded = fold_digits(text);
    for number in numbers(&folded) {
        ids.push(interner.intern(AnchorKind::Number, number.clone(), &number, side));
    }
    for token in latin_tokens(text) {
        ids.push(interner.intern(AnchorKind::Latin, token.to_lowercase(), token, side));
    }
    if text.chars().any(is_quotation_mark) {
        ids.push(interner.intern(AnchorKind::Quote, String::new(), "quotation", side));
    }
    for concept in terms.into_iter().flatten() {
        ids.push(interner.intern(AnchorKind::Glossary, concept.clone(), concept, side));
    }
    // Names: Arabic words only in Arabic sentences and capitalized Latin
    // words only in English ones, so a Latin token quoted in Arabic text
    // (already a `latin` anchor) is not counted twice.
    for (skeleton, word) in name_skeletons(segment) {
        ids.push(interner.intern(AnchorKind::Name, skeleton, word, side));
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

/// The name skeletons of a sentence with the words they come from.
pub(crate) fn name_skeletons(segment: &Segment) -> Vec<(String, &str)> {
    match segment.lang {
        Lang::Ar => arabic_name_skeletons(&segment.text),
        Lang::En => english_name_skeletons(&segment.text),
    }
}

/// Names are matched across scripts by their consonant skeleton: letters
/// mapped to coarse sound classes, vowels and weak letters dropped, doubles
/// collapsed (`انترفاكس` and `Interfax` are both `ntrfks`; `كوفيد` and
/// `COVID` are `kfd`). Skeletons shorter than this say too little.
const MIN_SKELETON: usize = 3;

fn push_class(skeleton: &mut String, class: Option<char>) {
    if let Some(class) = class
        && !skeleton.ends_with(class)
    {
        skeleton.push(class);
    }
}

/// The skeleton of an Arabic word (already through the match key, so
/// hamza seats, alef forms and ta marbuta are folded).
fn arabic_skeleton(word: &str) -> String {
    let mut skeleton = String::new();
    let letters: Vec<char> = word.chars().collect();
    for (k, &c) in letters.iter().enumerate() {
        let class = match c {
            'ب' | 'پ' => Some('b'),
            'ت' | 'ط' | 'ث' => Some('t'),
            'د' | 'ض' | 'ذ' => Some('d'),
            'ف' | 'ڤ' => Some('f'),
            'س' | 'ص' | 'ش' => Some('s'),
            'ز' | 'ظ' => Some('z'),
            'ك' | 'ق' | 'خ' => Some('k'),
            'ج' | 'غ' | 'گ' => Some('j'),
            // A final ه is the folded ta marbuta (or a silent ending).
            'ح' => Some('h'),
            'ه' if k + 1 < letters.len() => Some('h'),
            'ل' => Some('l'),
            'م' => Some('m'),
            'ن' => Some('n'),
            'ر' => Some('r'),
            _ => None,
        };
        push_class(&mut skeleton, class);
    }
    skeleton
}

/// The skeleton of a Latin-script word, with English digraphs (`sh`, `th`,
/// `kh`, `gh`, `ph`, `dh`, `ch`) read as one sound.
fn english_skeleton(word: &str) -> String {
    let lower: Vec<char> = word.to_lowercase().chars().collect();
    let mut skeleton = String::new();
    let mut k = 0;
    while k < lower.len() {
        let next_is_h = lower.get(k + 1) == Some(&'h');
        let (class, step) = match (lower[k], next_is_h) {
            ('s' | 'c', true) => (Some('s'), 2),
            ('t', true) => (Some('t'), 2),
            ('k', true) => (Some('k'), 2),
            ('g', true) => (Some('j'), 2),
            ('p', true) => (Some('f'), 2),
            ('d', true) => (Some('d'), 2),
            ('b' | 'p', _) => (Some('b'), 1),
            ('t', _) => (Some('t'), 1),
            ('d', _) => (Some('d'), 1),
            ('f' | 'v', _) => (Some('f'), 1),
            ('s', _) => (Some('s'), 1),
            ('z', _) => (Some('z'), 1),
            ('k' | 'c' | 'q', _) => (Some('k'), 1),
            ('g' | 'j', _) => (Some('j'), 1),
            ('x', _) => {
                push_class(&mut skeleton, Some('k'));
                (Some('s'), 1)
            }
            ('h', _) => (Some('h'), 1),
            ('l', _) => (Some('l'), 1),
            ('m', _) => (Some('m'), 1),
            ('n', _) => (Some('n'), 1),
            ('r', _) => (Some('r'), 1),
            _ => (None, 1),
        };
        push_class(&mut skeleton, class);
        k += step;
    }
    skeleton
}

/// Skeletons of the Arabic words of a sentence, each with its clitic
/// readings: a leading conjunction (و, ف), preposition (ب, ل, ك) and
/// article (ال, لل) may or may not be part of the name, so every reading
/// is offered (`وبالرقة` → `وبالرقه`, `بالرقه`, `الرقه`, `رقه`).
pub(crate) fn arabic_name_skeletons(text: &str) -> Vec<(String, &str)> {
    let key = match_key(text);
    let mut found = Vec::new();
    for word in key.split(|c: char| !is_arabic_letter(c)).filter(|w| !w.is_empty()) {
        let mut readings = vec![word];
        let mut stem = word;
        for prefixes in [&["و", "ف"][..], &["ب", "ل", "ك"][..], &["ال", "ل"][..]] {
            if let Some(rest) = prefixes.iter().find_map(|p| stem.strip_prefix(p))
                && rest.chars().count() >= 2
            {
                stem = rest;
                readings.push(stem);
            }
        }
        for reading in readings {
            let skeleton = arabic_skeleton(reading);
            if skeleton.len() >= MIN_SKELETON {
                found.push((skeleton, original_word(text, word)));
            }
        }
    }
    found.sort();
    found.dedup_by(|a, b| a.0 == b.0);
    found
}

/// The word as written, for evidence: the normalized form is close enough
/// to find it, and when it cannot be found the normalized form is shown.
fn original_word<'t>(text: &'t str, normalized: &str) -> &'t str {
    text.split(|c: char| !is_arabic_letter(c) && !('\u{064B}'..='\u{0670}').contains(&c))
        .find(|w| match_key(w) == normalized)
        .unwrap_or_else(|| text.split_whitespace().next().unwrap_or(""))
}

/// Skeletons of the capitalized Latin words of a sentence (names,
/// acronyms): lower-case words are ordinary vocabulary.
pub(crate) fn english_name_skeletons(text: &str) -> Vec<(String, &str)> {
    let mut found: Vec<(String, &str)> = latin_tokens(text)
        .into_iter()
        .filter(|token| token.chars().next().is_some_and(char::is_uppercase))
        .map(|token| (english_skeleton(token.trim_end_matches("'s")), token))
        .filter(|(skeleton, _)| skeleton.len() >= MIN_SKELETON)
        .collect();
    found.sort();
    found.dedup_by(|a, b| a.0 == b.0);
    found
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
    fn names_match_across_scripts_by_skeleton() {
        let skeleton_of = |found: Vec<(String, &str)>| found.into_iter().map(|(s, _)| s).collect::<Vec<_>>();
        let arabic = skeleton_of(arabic_name_skeletons("نقلت انترفاكس عن مسؤول في روسيا وبنغلاديش وكوفيد"));
        for english in ["Interfax", "COVID", "Bangladesh", "Russia"] {
            let skeleton = english_skeleton(english);
            if skeleton.len() >= MIN_SKELETON {
                assert!(arabic.contains(&skeleton), "{english} = {skeleton} not in {arabic:?}");
            }
        }
        assert_eq!(english_skeleton("Interfax"), "ntrfks");
        assert_eq!(english_skeleton("Khalid"), "kld");
        assert_eq!(arabic_skeleton("خالد"), "kld");
        // Clitics: the name inside "and Baghdad" is found.
        assert!(skeleton_of(arabic_name_skeletons("وبغداد")).contains(&english_skeleton("Baghdad")));
        assert!(english_name_skeletons("the minister said").is_empty());
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
        assert_eq!(labels, vec!["70", "Interfax", "انترفاكس → Interfax"]);
        assert!(features.source[1].anchors.is_empty(), "2017 is not in the target");
        assert_eq!(features.target[0].anchors.len(), 3);
    }
}
