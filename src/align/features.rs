//! What the aligner knows about each sentence: its length, its lexical
//! anchors (numbers, Latin-script tokens, name skeletons, glossary
//! concepts; interned per document so that the dynamic programme compares
//! small integers, never strings) and its punctuation marks.

use std::collections::HashMap;

use crate::lang::{Lang, is_arabic_letter};
use crate::normalize::{fold_digits, is_invisible_control};
use crate::segment::Segment;

/// The kinds of lexical evidence, in the order used for caps and weights.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub(crate) enum AnchorKind {
    Number,
    Latin,
    Glossary,
    Name,
    /// A word pair learned from the document's own confident beads
    /// ([`super::lexicon`]).
    Lexicon,
    /// A word pair of a bilingual word list ([`super::dictionary`]).
    Dictionary,
}

impl AnchorKind {
    pub(crate) const ALL: [AnchorKind; 6] = [
        AnchorKind::Number,
        AnchorKind::Latin,
        AnchorKind::Glossary,
        AnchorKind::Name,
        AnchorKind::Lexicon,
        AnchorKind::Dictionary,
    ];

    pub(crate) fn index(self) -> usize {
        self as usize
    }

    /// The `kind` written in [`super::Evidence`].
    pub(crate) fn name(self) -> &'static str {
        match self {
            AnchorKind::Number => "number",
            AnchorKind::Latin => "latin",
            AnchorKind::Glossary => "glossary",
            AnchorKind::Name => "name",
            AnchorKind::Lexicon => "lexicon",
            AnchorKind::Dictionary => "dictionary",
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

/// Punctuation that a translation keeps: a question stays a question, a
/// quotation stays quoted. Unlike anchors, marks are compared both ways: a
/// mark on one side only is evidence *against* a bead, as much as the
/// mark's frequency and slip rate say.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Mark {
    Question,
    Exclamation,
    Parenthesis,
    Quote,
}

impl Mark {
    pub(crate) const ALL: [Mark; 4] = [Mark::Question, Mark::Exclamation, Mark::Parenthesis, Mark::Quote];

    pub(crate) fn bit(self) -> u8 {
        1 << self as u8
    }

    pub(crate) fn label(self) -> &'static str {
        match self {
            Mark::Question => "?",
            Mark::Exclamation => "!",
            Mark::Parenthesis => "( )",
            Mark::Quote => "“ ”",
        }
    }

    /// The `kind` of its [`super::Evidence`].
    pub(crate) fn evidence_kind(self) -> &'static str {
        match self {
            Mark::Quote => "quote",
            _ => "punctuation",
        }
    }

    /// How often a translation loses or adds this mark.
    fn slip_rate(self) -> f64 {
        match self {
            Mark::Question => 0.03,
            Mark::Exclamation => 0.05,
            Mark::Parenthesis => 0.08,
            // Arabic news quotes names and terms that English leaves bare.
            Mark::Quote => 0.3,
        }
    }

    fn of_text(text: &str) -> u8 {
        let mut marks = 0;
        for c in text.chars() {
            marks |= match c {
                '?' | '؟' => Mark::Question.bit(),
                '!' => Mark::Exclamation.bit(),
                '(' | ')' | '[' | ']' => Mark::Parenthesis.bit(),
                c if is_quotation_mark(c) => Mark::Quote.bit(),
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
    pub(crate) agree: [f64; 4],
    pub(crate) disagree: [f64; 4],
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

/// An anchor found in so many sentences that a match is worth less than
/// this is dropped: it cannot tell sentences apart and only costs time.
pub(crate) const MIN_ANCHOR_WEIGHT: f32 = 0.1;
/// The strongest anchors of a sentence that are kept (a long sentence full
/// of names and numbers needs no more to be recognized).
pub(crate) const MAX_ANCHORS_PER_UNIT: usize = 24;

/// Which anchors [`DocumentFrequency::weight`] drops.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Pruning {
    /// Drop an anchor absent from one side of the document (it is no
    /// evidence at all) or weighing less than [`MIN_ANCHOR_WEIGHT`] (it
    /// cannot tell sentences apart and only costs time). Every anchor kind
    /// found in the text, and the dictionary's.
    OneSidedAndWeak,
    /// Keep every anchor: for anchors whose own selection already decided
    /// which are informative (the learned lexicon; why is said there).
    KeepAll,
}

/// How many sentences of each side of a document carry each anchor: what
/// an anchor's weight in that document is decided by. The one place where
/// anchors are weighted by document frequency (text anchors here, the
/// dictionary's and the lexicon's in their modules).
pub(crate) struct DocumentFrequency {
    source: Vec<u32>,
    target: Vec<u32>,
}

impl DocumentFrequency {
    /// Counts, for anchors numbered `0..count`, the occurrences listed for
    /// each side (one per sentence that carries the anchor).
    pub(crate) fn count(
        count: usize,
        source: impl IntoIterator<Item = u32>,
        target: impl IntoIterator<Item = u32>,
    ) -> DocumentFrequency {
        let tally = |occurrences: &mut dyn Iterator<Item = u32>| {
            let mut sentences = vec![0u32; count];
            occurrences.for_each(|index| sentences[index as usize] += 1);
            sentences
        };
        DocumentFrequency { source: tally(&mut source.into_iter()), target: tally(&mut target.into_iter()) }
    }

    /// What one match on anchor `index` (of `kind`) is worth: the kind's
    /// weight divided by the number of sentences carrying it on the busier
    /// side, so that an anchor found everywhere (`19` in every COVID-19
    /// sentence) says little. `None` when `pruning` drops it.
    pub(crate) fn weight(&self, index: usize, kind: AnchorKind, pruning: Pruning) -> Option<f32> {
        let (in_source, in_target) = (self.source[index], self.target[index]);
        let weight = kind_weight(kind) / in_source.max(in_target).max(1) as f32;
        match pruning {
            Pruning::KeepAll => Some(weight),
            Pruning::OneSidedAndWeak => {
                (in_source > 0 && in_target > 0 && weight >= MIN_ANCHOR_WEIGHT).then_some(weight)
            }
        }
    }
}

/// Weights of a single match per kind, in nats of evidence.
pub(crate) fn kind_weight(kind: AnchorKind) -> f32 {
    match kind {
        AnchorKind::Number => 3.0,
        AnchorKind::Latin => 2.5,
        AnchorKind::Glossary => 2.0,
        AnchorKind::Name => 3.0,
        AnchorKind::Lexicon => 2.0,
        AnchorKind::Dictionary => 2.0,
    }
}

/// Adds anchors (ids after every existing one) to a unit, keeping its list
/// sorted by id and at most [`MAX_ANCHORS_PER_UNIT`] long (the weakest
/// dropped).
pub(crate) fn attach_anchors(unit: &mut Unit, anchors: impl IntoIterator<Item = Anchor>) {
    unit.anchors.extend(anchors);
    if unit.anchors.len() > MAX_ANCHORS_PER_UNIT {
        unit.anchors.sort_unstable_by(|a, b| b.weight.total_cmp(&a.weight).then(a.id.cmp(&b.id)));
        unit.anchors.truncate(MAX_ANCHORS_PER_UNIT);
    }
    unit.anchors.sort_by_key(|anchor| anchor.id);
}

#[derive(Default)]
struct Interner {
    /// Per kind: key → id.
    ids: [HashMap<String, u32>; AnchorKind::ALL.len()],
    /// The form first seen on the source side and on the target side.
    labels: Vec<(Option<String>, Option<String>)>,
    kinds: Vec<AnchorKind>,
    keys: Vec<String>,
}

impl Interner {
    /// The id of a target-side `key`, new if it is the first of its kind.
    fn intern_target(&mut self, kind: AnchorKind, key: &str, label: &str) -> u32 {
        let id = match self.ids[kind.index()].get(key) {
            Some(&id) => id,
            None => {
                let id = self.labels.len() as u32;
                self.ids[kind.index()].insert(key.to_string(), id);
                self.labels.push((None, None));
                self.kinds.push(kind);
                self.keys.push(key.to_string());
                id
            }
        };
        let slot = &mut self.labels[id as usize].1;
        if slot.is_none() {
            *slot = Some(label.to_string());
        }
        id
    }

    /// Takes in the target-side keys of `later`, an interner of the text
    /// that follows this one's, as if they had been interned here in order
    /// (new keys get the next ids in `later`'s order; a known key keeps its
    /// id and its first-seen form). Returns `later`'s ids renumbered.
    fn absorb_target(&mut self, later: Interner) -> Vec<u32> {
        let forms = later.labels.into_iter().map(|(_, target)| target.unwrap_or_default());
        (later.kinds.into_iter().zip(later.keys).zip(forms))
            .map(|((kind, key), form)| self.intern_target(kind, &key, &form))
            .collect()
    }

    /// The id of a source-side `key`, if the target side has it.
    fn lookup(&self, kind: AnchorKind, key: &str) -> Option<u32> {
        self.ids[kind.index()].get(key).copied()
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
    // The target side is interned first and the source side only looks its
    // keys up: a key on one side only is no anchor, and the Arabic side
    // offers many candidate name readings that would otherwise all be
    // stored.
    // The target side's two halves are interned on two threads, the second
    // into an interner of its own that is then merged into the first's.
    let intern_target = |range: std::ops::Range<usize>| {
        let mut interner = Interner::default();
        let mut scratch = Scratch::default();
        let ids: Vec<Vec<u32>> = range
            .map(|j| {
                let mut intern =
                    |kind, key: &str, label: &str| Some(interner.intern_target(kind, key, label));
                sentence_anchors(&target[j], target_terms.get(j), &mut intern, &mut scratch)
            })
            .collect();
        (ids, interner)
    };
    let target_half = target.len() / 2;
    let ((mut raw_target, mut interner), (back_ids, back_interner)) = super::parallel::join(
        target.len(),
        || intern_target(0..target_half),
        || intern_target(target_half..target.len()),
    );
    let renumbered = interner.absorb_target(back_interner);
    raw_target.extend(back_ids.into_iter().map(|ids| {
        let mut ids: Vec<u32> = ids.into_iter().map(|id| renumbered[id as usize]).collect();
        ids.sort_unstable();
        ids
    }));
    // The source side only reads the interner: its two halves are looked
    // up on two threads, each noting the form it first saw of every id;
    // the first half's form wins, as if they had run in order.
    let half = source.len() / 2;
    let look_up_source = |range: std::ops::Range<usize>| {
        let interner = &interner;
        let mut labels: Vec<Option<String>> = vec![None; interner.labels.len()];
        let mut scratch = Scratch::default();
        let ids: Vec<Vec<u32>> = range
            .map(|i| {
                let mut look_up = |kind, key: &str, label: &str| {
                    let id = interner.lookup(kind, key)?;
                    labels[id as usize].get_or_insert_with(|| label.to_string());
                    Some(id)
                };
                sentence_anchors(&source[i], source_terms.get(i), &mut look_up, &mut scratch)
            })
            .collect();
        (ids, labels)
    };
    let ((mut raw_source, front_labels), (back_ids, back_labels)) = super::parallel::join(
        source.len(),
        || look_up_source(0..half),
        || look_up_source(half..source.len()),
    );
    raw_source.extend(back_ids);
    for ((slot, front), back) in interner.labels.iter_mut().zip(front_labels).zip(back_labels) {
        slot.0 = front.or(back);
    }

    let frequency = DocumentFrequency::count(
        interner.kinds.len(),
        raw_source.iter().flatten().copied(),
        raw_target.iter().flatten().copied(),
    );
    let weigh = |ids: Vec<u32>| -> Vec<Anchor> {
        let mut anchors: Vec<Anchor> = ids
            .into_iter()
            .filter_map(|id| {
                let kind = interner.kinds[id as usize];
                let weight = frequency.weight(id as usize, kind, Pruning::OneSidedAndWeak)?;
                Some(Anchor { id, kind, weight })
            })
            .collect();
        if anchors.len() > MAX_ANCHORS_PER_UNIT {
            anchors.sort_unstable_by(|a, b| b.weight.total_cmp(&a.weight).then(a.id.cmp(&b.id)));
            anchors.truncate(MAX_ANCHORS_PER_UNIT);
            anchors.sort_unstable_by_key(|anchor| anchor.id);
        }
        anchors
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

/// Buffers reused across sentences.
#[derive(Default)]
struct Scratch {
    key: String,
    letters: Vec<char>,
}

/// At most this many anchor keys of each kind are read from one sentence.
/// A news sentence has a few dozen (an Arabic word gives up to four name
/// readings); a "sentence" of 10 MB of numbers has a million, and interning
/// them all cost seconds and hundreds of MB to align a bead whose anchors
/// could not change its place.
pub(crate) const MAX_ANCHOR_KEYS_PER_KIND: usize = 4096;

/// Anchors are read from at most the first this many bytes of a sentence
/// (a line of megabytes with no full stop is one "sentence").
pub(crate) const MAX_ANCHOR_TEXT_BYTES: usize = 64 * 1024;

/// Sorted, deduplicated anchor ids of one sentence; `intern` gives the id
/// of a key (`kind`, `key`, `label`: the text as found), if it has one.
/// Only the first [`MAX_ANCHOR_KEYS_PER_KIND`] keys of each kind are asked
/// for.
fn sentence_anchors(
    segment: &Segment,
    terms: Option<&Vec<String>>,
    intern: &mut impl FnMut(AnchorKind, &str, &str) -> Option<u32>,
    scratch: &mut Scratch,
) -> Vec<u32> {
    let mut end = segment.text.len().min(MAX_ANCHOR_TEXT_BYTES);
    while !segment.text.is_char_boundary(end) {
        end -= 1;
    }
    let text = &segment.text[..end];
    let mut ids = Vec::new();
    let mut asked = [0usize; AnchorKind::ALL.len()];
    let mut intern = |kind: AnchorKind, key: &str, label: &str| {
        let count = &mut asked[kind.index()];
        if *count >= MAX_ANCHOR_KEYS_PER_KIND {
            return None;
        }
        *count += 1;
        intern(kind, key, label)
    };
    let folded = fold_digits(text);
    for number in numbers(&folded) {
        ids.extend(intern(AnchorKind::Number, &number, &number));
    }
    for token in latin_tokens(text) {
        scratch.key.clear();
        scratch.key.extend(token.chars().flat_map(char::to_lowercase));
        ids.extend(intern(AnchorKind::Latin, &scratch.key, token));
    }
    for concept in terms.into_iter().flatten() {
        ids.extend(intern(AnchorKind::Glossary, concept, concept));
    }
    // Names: Arabic words only in Arabic sentences and capitalized Latin
    // words only in English ones, so a Latin token quoted in Arabic text
    // (already a `latin` anchor) is not counted twice.
    let mut key = std::mem::take(&mut scratch.key);
    let mut add = |skeleton: &str, word: &str| {
        ids.extend(intern(AnchorKind::Name, skeleton, word));
    };
    match segment.lang {
        Lang::Ar => each_arabic_skeleton(text, &mut key, &mut scratch.letters, &mut add),
        Lang::En => each_english_skeleton(text, &mut key, &mut add),
    }
    scratch.key = key;
    ids.sort_unstable();
    ids.dedup();
    ids
}

/// Length for the length model: characters without whitespace, vowel
/// marks, tatweel and invisible format controls (none of them is
/// translated). Counted directly rather than through the match key: this
/// runs for every sentence and only needs a count.
pub(crate) fn text_length(text: &str) -> u32 {
    let counted =
        text.chars().filter(|&c| !c.is_whitespace() && !is_arabic_mark(c) && !is_invisible_control(c));
    counted.count().min(u32::MAX as usize) as u32
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

pub(crate) fn push_class(skeleton: &mut String, class: Option<char>) {
    if let Some(class) = class
        && !skeleton.ends_with(class)
    {
        skeleton.push(class);
    }
}

/// The sound class of an Arabic letter in a skeleton; `None` for vowels,
/// weak and silent letters (alef and hamza forms, و, ي, ى, ع, ة).
pub(crate) fn arabic_class(c: char, is_last: bool) -> Option<char> {
    match c {
        'ب' | 'پ' => Some('b'),
        'ت' | 'ط' | 'ث' => Some('t'),
        'د' | 'ض' | 'ذ' => Some('d'),
        'ف' | 'ڤ' => Some('f'),
        'س' | 'ص' | 'ش' => Some('s'),
        'ز' | 'ظ' => Some('z'),
        'ك' | 'ق' | 'خ' | 'ڨ' => Some('k'),
        'ج' | 'غ' | 'گ' => Some('j'),
        'ح' => Some('h'),
        // A final ه is silent (or a ta marbuta written without dots).
        'ه' if !is_last => Some('h'),
        'ل' => Some('l'),
        'م' => Some('m'),
        'ن' => Some('n'),
        'ر' => Some('r'),
        _ => None,
    }
}

/// Writes the skeleton of an Arabic word (letters without vowel marks)
/// into `out`.
fn arabic_skeleton_into(letters: &[char], out: &mut String) {
    out.clear();
    for (k, &c) in letters.iter().enumerate() {
        push_class(out, arabic_class(c, k + 1 == letters.len()));
    }
}

#[cfg(test)]
fn arabic_skeleton(word: &str) -> String {
    let letters: Vec<char> = word.chars().collect();
    let mut out = String::new();
    arabic_skeleton_into(&letters, &mut out);
    out
}

/// The skeleton of a Latin-script word, with English digraphs (`sh`, `th`,
/// `kh`, `gh`, `ph`, `dh`, `ch`) read as one sound.
pub(crate) fn english_skeleton_into(word: &str, skeleton: &mut String) {
    skeleton.clear();
    let mut letters = word.chars().map(|c| c.to_ascii_lowercase()).peekable();
    while let Some(c) = letters.next() {
        let digraph = letters.peek() == Some(&'h') && matches!(c, 's' | 'c' | 't' | 'k' | 'g' | 'p' | 'd');
        if digraph {
            letters.next();
        }
        let class = match (c, digraph) {
            ('s' | 'c', true) => Some('s'),
            ('g', true) => Some('j'),
            ('p', true) => Some('f'),
            ('t' | 'k' | 'd', true) => Some(c),
            ('b' | 'p', _) => Some('b'),
            ('f' | 'v', _) => Some('f'),
            ('k' | 'c' | 'q', _) => Some('k'),
            ('g' | 'j', _) => Some('j'),
            ('x', _) => {
                push_class(skeleton, Some('k'));
                Some('s')
            }
            ('t' | 'd' | 's' | 'z' | 'h' | 'l' | 'm' | 'n' | 'r', _) => Some(c),
            _ => None,
        };
        push_class(skeleton, class);
    }
}

#[cfg(test)]
fn english_skeleton(word: &str) -> String {
    let mut out = String::new();
    english_skeleton_into(word, &mut out);
    out
}

/// Calls `found(skeleton, word)` for the Arabic words of a sentence, each
/// with its clitic readings: a leading conjunction (و, ف), preposition (ب,
/// ل, ك) and article (ال, لل) may or may not be part of the name, so every
/// reading is offered (`وبالرقة` → `وبالرقة`, `بالرقة`, `الرقة`, `رقة`).
fn each_arabic_skeleton<'t>(
    text: &'t str,
    skeleton: &mut String,
    letters: &mut Vec<char>,
    found: &mut impl FnMut(&str, &'t str),
) {
    let in_word = |c: char| is_arabic_letter(c) || is_arabic_mark(c);
    for word in text.split(|c: char| !in_word(c)).filter(|w| !w.is_empty()) {
        // Skeletons ignore vowel marks; prefixes are matched without them.
        letters.clear();
        letters.extend(word.chars().filter(|&c| !is_arabic_mark(c)));
        let mut starts = [0usize; 4];
        let mut readings = 1;
        let mut at = 0;
        const CLITICS: [&[&[char]]; 3] =
            [&[&['و'], &['ف']], &[&['ب'], &['ل'], &['ك']], &[&['ا', 'ل'], &['ل']]];
        for prefixes in CLITICS {
            let matched = prefixes.iter().find(|p| letters[at..].starts_with(p));
            if let Some(prefix) = matched
                && letters.len() - at - prefix.len() >= 2
            {
                at += prefix.len();
                starts[readings] = at;
                readings += 1;
            }
        }
        for &start in &starts[..readings] {
            arabic_skeleton_into(&letters[start..], skeleton);
            if skeleton.len() >= MIN_SKELETON {
                found(skeleton, word);
            }
        }
    }
}

/// The name skeletons of the Arabic words of a sentence (see
/// [`each_arabic_skeleton`]), one per skeleton.
pub(crate) fn arabic_name_skeletons(text: &str) -> Vec<(String, &str)> {
    let mut found = Vec::new();
    let (mut skeleton, mut letters) = (String::new(), Vec::new());
    each_arabic_skeleton(text, &mut skeleton, &mut letters, &mut |s, word| found.push((s.to_string(), word)));
    found.sort();
    found.dedup_by(|a, b| a.0 == b.0);
    found
}

/// Harakat, superscript alef and tatweel: written or not, same word.
pub(crate) fn is_arabic_mark(c: char) -> bool {
    matches!(c, '\u{064B}'..='\u{065F}' | '\u{0670}' | '\u{0640}')
}

/// Calls `found(skeleton, word)` for the capitalized Latin words of a
/// sentence (names, acronyms): lower-case words are ordinary vocabulary.
fn each_english_skeleton<'t>(text: &'t str, skeleton: &mut String, found: &mut impl FnMut(&str, &'t str)) {
    for token in latin_tokens(text) {
        if token.chars().next().is_some_and(char::is_uppercase) {
            english_skeleton_into(token.trim_end_matches("'s"), skeleton);
            if skeleton.len() >= MIN_SKELETON {
                found(skeleton, token);
            }
        }
    }
}

/// The name skeletons of the capitalized Latin words of a sentence, one
/// per skeleton.
pub(crate) fn english_name_skeletons(text: &str) -> Vec<(String, &str)> {
    let mut found = Vec::new();
    let mut skeleton = String::new();
    each_english_skeleton(text, &mut skeleton, &mut |s, word| found.push((s.to_string(), word)));
    found.sort();
    found.dedup_by(|a, b| a.0 == b.0);
    found
}

fn is_quotation_mark(c: char) -> bool {
    matches!(c, '"' | '“' | '”' | '«' | '»' | '„')
}

/// The most clause joints counted in one sentence: a 1-N bead never spans
/// more than `MAX_BEAD_LIMIT` target sentences.
const MAX_CLAUSE_JOINTS: u8 = 15;

/// How many clause joints an Arabic sentence has: a comma (`،`, `,`) or
/// semicolon (`؛`, `;`) followed by a word that opens a new clause — one
/// with the conjunction و or ف glued to it (`وأضاف`, `فقد`), or a
/// connective such as `ثم`, `كما`, `بينما`, `حيث`. Arabic prose chains
/// clauses this way where English starts a new sentence, so an Arabic
/// sentence with k joints is often translated as up to k + 1 English ones
/// (the aligner's 1-N beads). 0 for other languages.
pub(crate) fn clause_joints(segment: &Segment) -> u8 {
    if segment.lang != Lang::Ar {
        return 0;
    }
    let text = segment.text.as_str();
    let mut joints = 0u8;
    for (at, c) in text.char_indices() {
        if !matches!(c, '،' | '؛' | ',' | ';') {
            continue;
        }
        let rest = &text[at + c.len_utf8()..];
        let word: String = (rest.trim_start().chars())
            .take_while(|&c| is_arabic_letter(c) || is_arabic_mark(c))
            .filter(|&c| !is_arabic_mark(c))
            .collect();
        if opens_clause(&crate::normalize::match_key(&word)) {
            joints = (joints + 1).min(MAX_CLAUSE_JOINTS);
        }
    }
    joints
}

/// Whether a normalized Arabic word (`match_key`) opens a clause after a
/// comma: a connective (those with ف glued on included: many words start
/// with a root ف, `فيروس`, `فترة`), or a word of at least two letters
/// after the conjunction و that is not one of the common nouns spelt with
/// a root و (`وزير`, `وقت`…, which follow a comma in lists and
/// appositions).
fn opens_clause(word: &str) -> bool {
    if CLAUSE_CONNECTIVES.binary_search(&word).is_ok() {
        return true;
    }
    let Some(rest) = word.strip_prefix('و') else {
        return false;
    };
    rest.chars().count() >= 2 && ROOT_WAW_NOUNS.binary_search(&word).is_err()
}

/// Words that open a clause after a comma ([`opens_clause`]); sorted
/// (binary search), normalized like `match_key`.
const CLAUSE_CONNECTIVES: &[&str] = &[
    "اذ",
    "اما",
    "بل",
    "بينما",
    "ثم",
    "حيث",
    "عندما",
    "فان",
    "فقد",
    "فكان",
    "فكانت",
    "فلا",
    "فلم",
    "فهو",
    "فهي",
    "فيما",
    "كما",
    "لكن",
    "لكنه",
    "لكنها",
    "مما",
];

/// Common nouns whose و is a root letter, not the conjunction
/// ([`opens_clause`]); sorted, normalized like `match_key`.
const ROOT_WAW_NOUNS: &[&str] = &[
    "وباء",
    "وثيقه",
    "وجه",
    "وحده",
    "وزاره",
    "وزراء",
    "وزير",
    "وساءل",
    "وسط",
    "وضع",
    "وطني",
    "وفاه",
    "وفق",
    "وفقا",
    "وقت",
    "وكاله",
    "ولايه",
    "ولد",
];

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_later_half_interned_apart_gets_the_ids_of_one_pass() {
        let keys = [("70", "70"), ("isis", "ISIS"), ("70", "70"), ("raqqa", "Raqqa"), ("isis", "Isis")];
        let intern_all = |keys: &[(&str, &str)]| {
            let mut interner = Interner::default();
            let ids: Vec<u32> = (keys.iter())
                .map(|(key, form)| interner.intern_target(AnchorKind::Latin, key, form))
                .collect();
            (ids, interner)
        };
        let (one_pass_ids, one_pass) = intern_all(&keys);
        let (mut ids, mut front) = intern_all(&keys[..2]);
        let (back_ids, back) = intern_all(&keys[2..]);
        let renumbered = front.absorb_target(back);
        ids.extend(back_ids.iter().map(|&id| renumbered[id as usize]));
        assert_eq!(ids, one_pass_ids);
        assert_eq!(front.keys, one_pass.keys);
        assert_eq!(front.labels, one_pass.labels);
        assert_eq!(front.labels[1].1.as_deref(), Some("ISIS"), "the first form seen is kept");
    }
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
    fn a_sentence_of_a_million_numbers_asks_for_a_bounded_number_of_keys() {
        let text: String = (0..20_000).map(|i| format!("{i} Q{i} ")).collect();
        let mut asked = [0usize; AnchorKind::ALL.len()];
        let mut count = |kind: AnchorKind, _: &str, _: &str| {
            asked[kind.index()] += 1;
            Some(asked.iter().sum::<usize>() as u32)
        };
        let ids = sentence_anchors(&seg(&text, 0), None, &mut count, &mut Scratch::default());
        assert_eq!(asked[AnchorKind::Number.index()], MAX_ANCHOR_KEYS_PER_KIND);
        assert_eq!(asked[AnchorKind::Latin.index()], MAX_ANCHOR_KEYS_PER_KIND);
        assert!(ids.len() <= 3 * MAX_ANCHOR_KEYS_PER_KIND);
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
    fn clause_joints_count_commas_before_words_that_open_a_clause() {
        let joints = |text: &str| clause_joints(&seg(text, 0));
        // Real run-on news prose: two clauses chained with ، و and ، كما.
        assert_eq!(
            joints("قال الوزير إن الوضع تحت السيطرة، وأضاف أن القوات مستعدة، كما دعا السكان إلى الهدوء."),
            2
        );
        assert_eq!(joints("وصل الوفد إلى دمشق؛ ثم توجه إلى حلب."), 1);
        // Commas in a list or before a noun with a root و are no joints.
        assert_eq!(joints("زار الرئيس مصر، الأردن، وزير الخارجية كان معه."), 0);
        assert_eq!(joints("انتشر الفيروس، فيروس كورونا، في المدينة."), 0);
        assert_eq!(joints("He came, and then he left."), 0, "English has no Arabic joints");
    }

    #[test]
    fn clause_opener_lists_are_sorted_normalized_words() {
        for list in [CLAUSE_CONNECTIVES, ROOT_WAW_NOUNS] {
            assert!(list.windows(2).all(|pair| pair[0] < pair[1]), "{list:?}");
            assert!(list.iter().all(|word| crate::normalize::match_key(word) == *word), "{list:?}");
        }
        assert!(opens_clause("واضاف") && opens_clause("وفي") && opens_clause("ثم") && opens_clause("فقد"));
        assert!(!opens_clause("وزير") && !opens_clause("فيروس") && !opens_clause("وا"));
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
