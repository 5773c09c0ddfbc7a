//! Bilingual word lists that anchor the alignment (hunalign's dictionary):
//! the format, its loader, and the `dictionary` anchors it gives a
//! document pair.
//!
//! The format is one Arabic word a line, a tab, then its English
//! renderings separated by commas or more tabs; `#` starts a comment line:
//!
//! ```text
//! # casualties   (`<TAB>` stands for one tab character)
//! قتل<TAB>killed, kill
//! المستشفى<TAB>hospital
//! ```
//!
//! Words are matched the way the learned lexicon ([`super::lexicon`])
//! matches them: Arabic through the match key, its conjunction, article and
//! common suffixes stripped (`والمستشفيات` finds `المستشفى`); English
//! lower-cased with a plural `s` dropped. Entries of several words on either
//! side (phrases) and function words are read but not used: a sentence
//! aligner needs the content words that tell neighbouring sentences apart.
//!
//! An Arabic word found in a source sentence and one of its renderings in a
//! target sentence is an anchor of kind `dictionary` (one anchor per Arabic
//! word, whichever rendering the translator chose), weighted and capped like
//! the other anchors ([`super::cost`]).

use std::collections::HashMap;

use super::features::{Anchor, AnchorKind, DocumentFeatures, DocumentFrequency, Pruning, attach_anchors};
use super::lexicon::{arabic_stem, content_words, english_stem};
use crate::lang::is_arabic_letter;
use crate::normalize::match_key;
use crate::segment::Segment;
use crate::textio::{self, InputError};

/// A loaded word list (one or more files merged).
#[derive(Debug, Clone, Default)]
pub struct Dictionary {
    /// Arabic stem → its entry.
    entries: HashMap<String, Entry>,
    /// English stem → id (index into `english`).
    english_ids: HashMap<String, u32>,
    english: Vec<String>,
    /// Lines whose pairs were read but cannot be matched (phrases, function
    /// words).
    skipped: usize,
}

#[derive(Debug, Clone)]
struct Entry {
    /// The Arabic word as the list first wrote it (for evidence).
    headword: String,
    /// English stem ids, sorted.
    renderings: Vec<u32>,
}

/// A line of a word list that cannot be read.
#[derive(Debug, thiserror::Error)]
#[error("{name}:{line}: {problem}")]
pub struct DictionaryError {
    pub name: String,
    /// 1-based.
    pub line: usize,
    pub problem: DictionaryProblem,
}

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum DictionaryProblem {
    #[error("no tab: expected `arabic<TAB>english[, english…]`")]
    MissingTab,
    #[error("the Arabic column is empty")]
    EmptyArabic,
    #[error("the first column `{0}` has no Arabic letter (is it `arabic<TAB>english`?)")]
    NotArabic(String),
    #[error("no English rendering after the tab")]
    EmptyEnglish,
    /// `column` is 1-based, in bytes.
    #[error("invalid UTF-8 at column {column} (is the file in another encoding? save it as UTF-8)")]
    InvalidUtf8 { column: usize },
    /// `offset` is the byte offset in the file (UTF-16 with a BOM is read).
    #[error("invalid UTF-16 at byte offset {offset}")]
    InvalidUtf16 { offset: usize },
    #[error("NUL byte at byte offset {offset}: looks like a binary file, expected text")]
    Binary { offset: usize },
    /// Any other reason the bytes are not text (as [`crate::textio`] says).
    #[error("{0}")]
    Unreadable(String),
}

impl Dictionary {
    /// An empty dictionary (no anchors).
    pub fn new() -> Dictionary {
        Dictionary::default()
    }

    /// Parses a word list; `name` (the file) is used in error messages.
    pub fn parse(text: &str, name: &str) -> Result<Dictionary, DictionaryError> {
        let mut dictionary = Dictionary::new();
        dictionary.add_text(text, name)?;
        Ok(dictionary)
    }

    /// Parses a word list from raw bytes, decoded as every text input is
    /// ([`crate::textio::decode_text`]: UTF-8, UTF-8 or UTF-16 with a BOM),
    /// so that a decoding error is reported with its line.
    pub fn from_bytes(bytes: &[u8], name: &str) -> Result<Dictionary, DictionaryError> {
        let mut dictionary = Dictionary::new();
        dictionary.add_bytes(bytes, name)?;
        Ok(dictionary)
    }

    /// Adds the pairs of another word list (raw bytes, decoded like
    /// [`Dictionary::from_bytes`]) to this one.
    pub fn add_bytes(&mut self, bytes: &[u8], name: &str) -> Result<(), DictionaryError> {
        let text = textio::decode_text(bytes, name).map_err(|error| {
            let (offset, problem) = match error {
                InputError::InvalidUtf8 { offset, .. } => {
                    let line_start = bytes[..offset].iter().rposition(|&b| b == b'\n').map_or(0, |k| k + 1);
                    // Columns count from after a BOM, as an editor shows them.
                    let bom = if line_start == 0 && bytes.starts_with(UTF8_BOM) { UTF8_BOM.len() } else { 0 };
                    (offset, DictionaryProblem::InvalidUtf8 { column: offset - line_start - bom + 1 })
                }
                InputError::InvalidUtf16 { offset, .. } => {
                    (offset, DictionaryProblem::InvalidUtf16 { offset })
                }
                InputError::Binary { offset, .. } => (offset, DictionaryProblem::Binary { offset }),
                other => (0, DictionaryProblem::Unreadable(other.to_string())),
            };
            DictionaryError { name: name.to_string(), line: line_at(bytes, offset), problem }
        })?;
        self.add_text(&text, name)
    }

    /// Adds the pairs of another word list (text) to this one.
    pub fn add_text(&mut self, text: &str, name: &str) -> Result<(), DictionaryError> {
        let text = text.strip_prefix('\u{FEFF}').unwrap_or(text);
        for (k, line) in text.split('\n').enumerate() {
            self.add_line(line).map_err(|problem| DictionaryError {
                name: name.to_string(),
                line: k + 1,
                problem,
            })?;
        }
        Ok(())
    }

    fn add_line(&mut self, line: &str) -> Result<(), DictionaryProblem> {
        let line = line.strip_suffix('\r').unwrap_or(line);
        let trimmed = line.trim();
        if trimmed.is_empty() || trimmed.starts_with('#') {
            return Ok(());
        }
        let (arabic, english) = line.split_once('\t').ok_or(DictionaryProblem::MissingTab)?;
        let arabic = arabic.trim();
        if arabic.is_empty() {
            return Err(DictionaryProblem::EmptyArabic);
        }
        if !arabic.chars().any(is_arabic_letter) {
            return Err(DictionaryProblem::NotArabic(arabic.to_string()));
        }
        let renderings: Vec<&str> =
            english.split(['\t', ',']).map(str::trim).filter(|r| !r.is_empty()).collect();
        if renderings.is_empty() {
            return Err(DictionaryProblem::EmptyEnglish);
        }
        let key = match_key(arabic);
        let stem = match one_word(&key).and_then(arabic_stem) {
            Some(stem) => stem.into_owned(),
            None => {
                self.skipped += 1;
                return Ok(());
            }
        };
        let mut ids = Vec::new();
        for rendering in renderings {
            let key = match_key(rendering);
            let Some(english) = one_word(&key).and_then(english_stem) else { continue };
            let next = self.english.len() as u32;
            let id = *self.english_ids.entry(english.to_string()).or_insert(next);
            if id == next {
                self.english.push(english.into_owned());
            }
            ids.push(id);
        }
        if ids.is_empty() {
            self.skipped += 1;
            return Ok(());
        }
        let entry = self
            .entries
            .entry(stem)
            .or_insert_with(|| Entry { headword: arabic.to_string(), renderings: vec![] });
        entry.renderings.extend(ids);
        entry.renderings.sort_unstable();
        entry.renderings.dedup();
        Ok(())
    }

    /// How many Arabic words (stems) have renderings.
    pub fn len(&self) -> usize {
        self.entries.len()
    }

    pub fn is_empty(&self) -> bool {
        self.entries.is_empty()
    }

    /// Lines read but left unused: phrases and function words.
    pub fn skipped(&self) -> usize {
        self.skipped
    }

    /// The English renderings (stems) of an Arabic word as it may occur in
    /// text (with clitics, inflected), sorted; empty when the list does not
    /// have it.
    pub fn renderings(&self, arabic: &str) -> Vec<&str> {
        let key = match_key(arabic);
        let Some(entry) =
            one_word(&key).and_then(arabic_stem).and_then(|stem| self.entries.get(stem.as_ref()))
        else {
            return Vec::new();
        };
        let mut words: Vec<&str> =
            entry.renderings.iter().map(|&id| self.english[id as usize].as_str()).collect();
        words.sort_unstable();
        words
    }
}

impl Dictionary {
    /// The words that make the anchor of Arabic stem `stem` (its key, see
    /// [`add_anchors`]) shared by a bead, as written in these sentences:
    /// `المدينة = city`. `None` if the sentences do not have both.
    pub(crate) fn evidence<'t>(
        &self,
        stem: &str,
        source: impl IntoIterator<Item = &'t str>,
        target: impl IntoIterator<Item = &'t str>,
    ) -> Option<String> {
        let entry = self.entries.get(stem)?;
        let arabic = (source.into_iter().flat_map(written_words)).find(|word| {
            content_words(&match_key(word)).any(|w| arabic_stem(w).is_some_and(|found| found == stem))
        })?;
        let english = (target.into_iter().flat_map(written_words)).find(|word| {
            content_words(&match_key(word)).any(|w| {
                english_stem(w)
                    .and_then(|found| self.english_ids.get(found.as_ref()))
                    .is_some_and(|id| entry.renderings.binary_search(id).is_ok())
            })
        })?;
        Some(format!("{arabic} = {english}"))
    }
}

/// The words of a text as written (punctuation around them left out, vowel
/// marks kept).
fn written_words(text: &str) -> impl Iterator<Item = &str> {
    let in_word =
        |c: char| c.is_alphanumeric() || matches!(c, '\u{064B}'..='\u{065F}' | '\u{0670}' | '\u{0640}');
    text.split(char::is_whitespace)
        .map(move |word| word.trim_matches(|c: char| !in_word(c)))
        .filter(|w| !w.is_empty())
}

/// The key if it is one word of letters (no space, no punctuation inside).
fn one_word(key: &str) -> Option<&str> {
    let mut words = content_words(key);
    let word = words.next()?;
    (words.next().is_none() && word.len() == key.len()).then_some(word)
}

/// Adds the dictionary's anchors to a document pair's features: an Arabic
/// word of the list found in a source sentence and one of its renderings in
/// a target sentence. Ids follow the existing ones; each is weighted by the
/// kind's weight over the number of sentences (on the busier side) that
/// carry it, and dropped when that leaves too little to tell sentences
/// apart. Returns how many anchors were added.
pub(crate) fn add_anchors(
    dictionary: &Dictionary,
    source: &[Segment],
    target: &[Segment],
    features: &mut DocumentFeatures,
) -> usize {
    if dictionary.is_empty() {
        return 0;
    }
    // Source side: the entries found, as local concept numbers.
    let mut concepts: HashMap<&str, u32> = HashMap::new();
    let mut concept_entries: Vec<&Entry> = Vec::new();
    let mut concept_keys: Vec<&str> = Vec::new();
    let source_concepts: Vec<Vec<u32>> = source
        .iter()
        .map(|segment| {
            let key = match_key(&segment.text);
            let mut found: Vec<u32> = content_words(&key)
                .filter_map(|word| {
                    let stem = arabic_stem(word)?;
                    let (stem_key, entry) = dictionary.entries.get_key_value(stem.as_ref())?;
                    let next = concept_entries.len() as u32;
                    let concept = *concepts.entry(stem_key.as_str()).or_insert(next);
                    if concept == next {
                        concept_entries.push(entry);
                        concept_keys.push(stem_key.as_str());
                    }
                    Some(concept)
                })
                .collect();
            found.sort_unstable();
            found.dedup();
            found
        })
        .collect();
    if concept_entries.is_empty() {
        return 0;
    }
    // Target side: an English word stands for every present Arabic entry
    // it renders.
    let mut by_english: HashMap<u32, Vec<u32>> = HashMap::new();
    for (concept, entry) in concept_entries.iter().enumerate() {
        for &id in &entry.renderings {
            by_english.entry(id).or_default().push(concept as u32);
        }
    }
    let mut target_forms: Vec<Option<String>> = vec![None; concept_entries.len()];
    let target_concepts: Vec<Vec<u32>> = target
        .iter()
        .map(|segment| {
            let key = match_key(&segment.text);
            let mut found = Vec::new();
            for word in content_words(&key) {
                let Some(concepts) = english_stem(word)
                    .and_then(|stem| dictionary.english_ids.get(stem.as_ref()))
                    .and_then(|id| by_english.get(id))
                else {
                    continue;
                };
                for &concept in concepts {
                    target_forms[concept as usize].get_or_insert_with(|| word.to_string());
                    found.push(concept);
                }
            }
            found.sort_unstable();
            found.dedup();
            found
        })
        .collect();
    let frequency = DocumentFrequency::count(
        concept_entries.len(),
        source_concepts.iter().flatten().copied(),
        target_concepts.iter().flatten().copied(),
    );

    // Concepts on both sides get ids, in concept order (deterministic:
    // first seen in the source text).
    let mut ids: Vec<Option<Anchor>> = vec![None; concept_entries.len()];
    for concept in 0..concept_entries.len() {
        let Some(weight) = frequency.weight(concept, AnchorKind::Dictionary, Pruning::OneSidedAndWeak) else {
            continue;
        };
        let id = features.labels.len() as u32;
        let english = target_forms[concept].as_deref().unwrap_or_default();
        features.labels.push(format!("{} = {english}", concept_entries[concept].headword));
        features.keys.push(concept_keys[concept].to_string());
        ids[concept] = Some(Anchor { id, kind: AnchorKind::Dictionary, weight });
    }
    let added = ids.iter().flatten().count();
    for (unit, concepts) in features.source.iter_mut().zip(&source_concepts) {
        attach_anchors(unit, concepts.iter().filter_map(|&c| ids[c as usize]));
    }
    for (unit, concepts) in features.target.iter_mut().zip(&target_concepts) {
        attach_anchors(unit, concepts.iter().filter_map(|&c| ids[c as usize]));
    }
    added
}

const UTF8_BOM: &[u8] = b"\xEF\xBB\xBF";

/// The 1-based line of byte `offset` of an undecodable file: line ends
/// before it counted in UTF-16 when the file starts with a UTF-16 BOM (the
/// part before the error decodes), in bytes otherwise.
fn line_at(bytes: &[u8], offset: usize) -> usize {
    let before = &bytes[..offset.min(bytes.len())];
    let utf16 = match before.get(..2) {
        Some([0xFF, 0xFE]) => Some(u16::from_le_bytes as fn([u8; 2]) -> u16),
        Some([0xFE, 0xFF]) => Some(u16::from_be_bytes as fn([u8; 2]) -> u16),
        _ => None,
    };
    let breaks = match utf16 {
        Some(unit) => {
            before[2..].chunks_exact(2).filter(|pair| unit([pair[0], pair[1]]) == u16::from(b'\n')).count()
        }
        None => before.iter().filter(|&&b| b == b'\n').count(),
    };
    breaks + 1
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::lang::Lang;

    #[test]
    fn renderings_split_on_commas_and_tabs_and_lines_merge() {
        let text = "\u{FEFF}# comment\r\n\r\nالمستشفى\thospital, clinics\r\n  # indented comment\nمستشفيات\tinfirmary\tHospitals\n";
        let dictionary = Dictionary::parse(text, "w.tsv").unwrap();
        assert_eq!(dictionary.len(), 1, "the two spellings share a stem");
        assert_eq!(dictionary.renderings("بالمستشفى"), vec!["clinic", "hospital", "infirmary"]);
    }

    #[test]
    fn english_phrases_are_skipped_but_their_line_stays_valid() {
        let dictionary = Dictionary::parse("قصف\tair strike, shelling\nغارة\tair raid\n", "w.tsv").unwrap();
        assert_eq!(dictionary.renderings("القصف"), vec!["shelling"]);
        assert!(dictionary.renderings("غارة").is_empty());
        assert_eq!((dictionary.len(), dictionary.skipped()), (1, 1));
    }

    #[test]
    fn anchors_join_an_arabic_word_to_any_of_its_renderings() {
        let segment =
            |text: &str, lang| Segment { text: text.into(), lang, paragraph: 0, start: 0, end: text.len() };
        let source = [segment("نقل الجرحى إلى المستشفى.", Lang::Ar), segment("أغلقت المدرسة.", Lang::Ar)];
        let target = [
            segment("The schools were closed.", Lang::En),
            segment("The wounded went to a clinic.", Lang::En),
        ];
        let dictionary =
            Dictionary::parse("مستشفى\thospital, clinic\nمدرسة\tschool\nسوق\tmarket\n", "w.tsv").unwrap();
        let mut features = super::super::features::extract(&source, &target, &[], &[]);
        assert_eq!(add_anchors(&dictionary, &source, &target, &mut features), 2);
        let ids = |unit: &super::super::features::Unit| -> Vec<u32> {
            unit.anchors.iter().filter(|a| a.kind == AnchorKind::Dictionary).map(|a| a.id).collect()
        };
        assert_eq!(ids(&features.source[0]), ids(&features.target[1]));
        assert_eq!(ids(&features.source[1]), ids(&features.target[0]));
        assert_ne!(ids(&features.source[0]), ids(&features.source[1]));
        let evidence = dictionary.evidence(
            &features.keys[ids(&features.source[0])[0] as usize],
            [source[0].text.as_str()],
            [target[1].text.as_str()],
        );
        assert_eq!(evidence.as_deref(), Some("المستشفى = clinic"));
    }
}
