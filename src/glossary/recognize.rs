//! Finding glossary terms in running text.
//!
//! Arabic follows `docs/notes/arabic-text.md`: both the text and the
//! terms are compared through the one match key ([`MatchKey`]); the text is
//! never stemmed. Instead each term allows a fixed set of proclitic
//! prefixes, so that the surface forms are generated from the term:
//! `و ف` (and), `ب ك` (in, like) and, for terms without the article, `ل`
//! (for); combinations `وب فك ول …`; a term with `ال` takes `لل` + the term
//! without its article (`للرقة`, `للاذقية`). A quote may stand between the
//! clitics and the term (`لـ"داعش"`: the tatweel is gone in the key).
//! Multiword terms take clitics on their first word only. Terms flagged
//! `derived` also match with an adjective suffix (`داعشية`).
//!
//! English is case-folded, with curly apostrophes and hyphens folded, except
//! short all-caps acronyms (`IS`, `YPG`), which must match case-sensitively
//! (`IS` is not `is`).
//!
//! One Aho–Corasick automaton per language finds every occurrence of every
//! term in one pass, so a 5,000-entry glossary costs about what a small one
//! does; the automaton holds each term once (the clitics are checked around
//! each occurrence rather than multiplied into the automaton). Overlapping
//! occurrences are resolved leftmost-longest (`الرقة السمرا` over `الرقة`,
//! `al-Mashlab` over a forbidden `Mashlab`).

use std::collections::{HashMap, HashSet};

use aho_corasick::{AhoCorasick, AhoCorasickKind, MatchKind};

use super::{Entry, Glossary, GlossaryError};
use crate::align::TermAnchors;
use crate::normalize::{MatchKey, is_invisible_control};
use crate::segment::Segment;

/// How an Arabic occurrence matched its entry.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, serde::Serialize)]
#[serde(rename_all = "lowercase")]
pub enum MatchHow {
    /// The term as in the glossary (after normalization).
    Exact,
    /// The term with proclitics (`وبالرقة`, `لـ"داعش"`).
    Clitic,
    /// One of the entry's listed spelling variants (with or without clitics).
    Variant,
    /// The term with an adjective suffix (entries flagged `derived`).
    Derived,
}

/// Which English form of an entry was found.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, serde::Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Rendering {
    Approved,
    Accepted,
    /// A declared short form or acronym (the glossary's `short` column).
    Short,
    Forbidden,
}

/// An occurrence of a glossary term in Arabic text.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct TermMatch {
    /// Index of the entry in [`Glossary::entries`].
    pub entry: usize,
    /// Byte span in the original text of the whole surface form, clitics and
    /// suffix included (`وبالرقة`).
    pub span: (usize, usize),
    /// Byte span in the original text of the term itself.
    pub term_span: (usize, usize),
    /// The original text of `span`.
    pub surface: String,
    /// The glossary spelling that matched (the source or a variant).
    pub form: String,
    pub how: MatchHow,
    /// The proclitics, normalized (`وب`, `لل`), empty if none.
    pub clitic: String,
}

/// An occurrence of one of an entry's English forms.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct EnglishMatch {
    /// Index of the entry in [`Glossary::entries`].
    pub entry: usize,
    /// Byte span in the original text.
    pub span: (usize, usize),
    /// The original text of `span`.
    pub surface: String,
    /// The glossary form that matched.
    pub form: String,
    pub rendering: Rendering,
}

/// Proclitics allowed directly before a term that has the article `ال`.
const BEFORE_ARTICLE: [&str; 9] = ["", "و", "ف", "ب", "ك", "وب", "وك", "فب", "فك"];
/// Proclitics allowed directly before a term without the article.
const BEFORE_BARE: [&str; 12] = ["", "و", "ف", "ب", "ك", "ل", "وب", "وك", "ول", "فب", "فك", "فل"];
/// Proclitics allowed before a quote that opens the term (`لـ"داعش"`).
const BEFORE_QUOTE: [&str; 11] = ["و", "ف", "ب", "ك", "ل", "وب", "وك", "ول", "فب", "فك", "فل"];
/// `ل` + article contracts to `لل` before the term without its article.
const BEFORE_CORE: [&str; 3] = ["لل", "ولل", "فلل"];
/// ... and to a single extra `ل` when the word itself starts with `ل` (`للاذقية`).
const BEFORE_LAM_CORE: [&str; 3] = ["ل", "ول", "فل"];
/// Adjective and nisba suffixes for `derived` entries (normalized: `ة` is `ه`).
const DERIVED_SUFFIXES: [&str; 7] = ["ي", "يه", "يين", "يون", "يات", "ين", "يا"];
const ARTICLE: &str = "ال";

/// One Arabic pattern in the automaton stands for these entry forms.
#[derive(Debug, Clone)]
struct ArabicForm {
    entry: usize,
    form: String,
    variant: bool,
    /// The pattern is the term without its article; it only matches after
    /// `لل` (or `ل` before a lam).
    core_after_lam: bool,
    /// The term starts with the article (it never takes a bare `ل`).
    has_article: bool,
}

#[derive(Debug, Clone)]
struct EnglishForm {
    entry: usize,
    form: String,
    rendering: Rendering,
    /// Short all-caps acronym: the original text must match exactly.
    case_sensitive: bool,
}

/// Finds glossary terms in Arabic and English text. Build once per glossary.
#[derive(Debug, Clone)]
pub struct Recognizer {
    entries: Vec<Entry>,
    arabic: Option<AhoCorasick>,
    arabic_forms: Vec<Vec<ArabicForm>>,
    english: Option<AhoCorasick>,
    english_forms: Vec<Vec<EnglishForm>>,
}

impl Recognizer {
    /// Builds the matchers. Infallible in practice; a glossary too large for
    /// the automaton (billions of states) yields a recognizer that finds
    /// nothing — use [`Recognizer::try_new`] to see that error.
    pub fn new(glossary: &Glossary) -> Recognizer {
        Recognizer::try_new(glossary).unwrap_or_else(|_| Recognizer {
            entries: glossary.entries().to_vec(),
            arabic: None,
            arabic_forms: Vec::new(),
            english: None,
            english_forms: Vec::new(),
        })
    }

    /// Builds the matchers, reporting an automaton that cannot be built.
    pub fn try_new(glossary: &Glossary) -> Result<Recognizer, GlossaryError> {
        let entries = glossary.entries().to_vec();
        let mut arabic_patterns = PatternSet::new();
        let mut english_patterns = PatternSet::new();
        for (index, entry) in entries.iter().enumerate() {
            check_term_lengths(entry)?;
            // Sets, not lists: an entry may list 100,000 variants.
            let mut seen = HashSet::new();
            for (n, form) in entry.arabic_forms().enumerate() {
                let key = MatchKey::new(form).text;
                if key.is_empty() || !seen.insert(key.clone()) {
                    continue;
                }
                let has_article = key.starts_with(ARTICLE) && key.chars().count() > 3;
                let arabic = ArabicForm {
                    entry: index,
                    form: form.to_string(),
                    variant: n > 0,
                    core_after_lam: false,
                    has_article,
                };
                if has_article {
                    let core = key[ARTICLE.len()..].to_string();
                    arabic_patterns.add(core, ArabicForm { core_after_lam: true, ..arabic.clone() });
                }
                arabic_patterns.add(key, arabic);
            }
            let renderings = std::iter::once((entry.target.as_str(), Rendering::Approved))
                .chain(entry.accepted.iter().map(|f| (f.as_str(), Rendering::Accepted)))
                .chain(entry.short.iter().map(|f| (f.as_str(), Rendering::Short)))
                .chain(entry.forbidden.iter().map(|f| (f.as_str(), Rendering::Forbidden)));
            let mut seen = HashSet::new();
            for (form, rendering) in renderings {
                let key = english_key(form);
                let case_sensitive = is_acronym(form);
                if key.is_empty() || !seen.insert((key.clone(), case_sensitive)) {
                    continue;
                }
                english_patterns.add(
                    key,
                    EnglishForm { entry: index, form: form.trim().to_string(), rendering, case_sensitive },
                );
            }
        }
        let build = |patterns: &[String]| -> Result<Option<AhoCorasick>, GlossaryError> {
            if patterns.is_empty() {
                return Ok(None);
            }
            let total: usize = patterns.iter().map(String::len).sum();
            if total > MAX_PATTERN_BYTES {
                return Err(GlossaryError::TooLarge(format!(
                    "its terms come to {total} bytes in one language; the limit is {MAX_PATTERN_BYTES}"
                )));
            }
            // A contiguous NFA, never a DFA: the DFA the builder picks for a
            // few patterns takes time quadratic in a long pattern (a 100 KB
            // term: minutes), while the NFA's build is linear in the
            // patterns' total length and matching stays one pass.
            AhoCorasick::builder()
                .kind(Some(AhoCorasickKind::ContiguousNFA))
                .match_kind(MatchKind::Standard)
                .build(patterns)
                .map(Some)
                .map_err(|e| GlossaryError::TooLarge(e.to_string()))
        };
        Ok(Recognizer {
            arabic: build(&arabic_patterns.patterns)?,
            arabic_forms: arabic_patterns.targets,
            english: build(&english_patterns.patterns)?,
            english_forms: english_patterns.targets,
            entries,
        })
    }

    /// The entries, indexed as in every match.
    pub fn entries(&self) -> &[Entry] {
        &self.entries
    }

    /// Every glossary term in Arabic `text`, leftmost-longest, in text order.
    /// Two entries with the same spelling both match the same span.
    pub fn find_arabic(&self, text: &str) -> Vec<TermMatch> {
        let Some(automaton) = &self.arabic else { return Vec::new() };
        let key = MatchKey::new(text);
        let k = key.text.as_str();
        let mut candidates = Vec::new();
        for found in automaton.find_overlapping_iter(k) {
            let (start, end) = (found.start(), found.end());
            for form in &self.arabic_forms[found.pattern().as_usize()] {
                let entry = &self.entries[form.entry];
                let Some((surface_start, clitic)) = clitic_before(k, start, form) else { continue };
                let Some(suffix_end) = suffix_after(k, end, entry.derived) else { continue };
                let how = if suffix_end > end {
                    MatchHow::Derived
                } else if form.variant {
                    MatchHow::Variant
                } else if clitic.is_empty() {
                    MatchHow::Exact
                } else {
                    MatchHow::Clitic
                };
                // The term itself: for `لل` + core, the core is what is left
                // of the term.
                candidates.push(Candidate {
                    start: surface_start,
                    end: suffix_end,
                    value: (form.entry, start, end, how, clitic, form.form.clone()),
                });
            }
        }
        resolve(candidates, |_| true)
            .into_iter()
            .map(|c| {
                let (entry, term_start, term_end, how, clitic, form) = c.value;
                let span = trim_invisible_end(text, key.original_span(c.start, c.end, text));
                TermMatch {
                    entry,
                    span,
                    term_span: trim_invisible_end(text, key.original_span(term_start, term_end, text)),
                    surface: text[span.0..span.1].to_string(),
                    form,
                    how,
                    clitic,
                }
            })
            .collect()
    }

    /// Every approved, accepted or forbidden English form in `text`,
    /// leftmost-longest, in text order. A forbidden form is never reported
    /// inside (or at the same place as) an approved or accepted one.
    pub fn find_english(&self, text: &str) -> Vec<EnglishMatch> {
        let Some(automaton) = &self.english else { return Vec::new() };
        let key = MatchKey::new(text);
        let folded = english_fold(&key.text);
        let k = folded.as_str();
        let mut candidates = Vec::new();
        for found in automaton.find_overlapping_iter(k) {
            let (start, end) = (found.start(), found.end());
            let pattern = &k[start..end];
            let starts_word = pattern.chars().next().is_some_and(char::is_alphanumeric);
            let ends_word = pattern.chars().next_back().is_some_and(char::is_alphanumeric);
            if starts_word && k[..start].chars().next_back().is_some_and(char::is_alphanumeric) {
                continue;
            }
            if ends_word && k[end..].chars().next().is_some_and(char::is_alphanumeric) {
                continue;
            }
            let span = trim_invisible_end(text, key.original_span(start, end, text));
            for form in &self.english_forms[found.pattern().as_usize()] {
                if form.case_sensitive
                    && (text.get(span.0..span.1) != Some(form.form.as_str())
                        || (form.rendering == Rendering::Forbidden && shouted(text, span)))
                {
                    continue;
                }
                candidates.push(Candidate {
                    start,
                    end,
                    value: (form.entry, span, form.form.clone(), form.rendering),
                });
            }
        }
        resolve(candidates, |c| c.value.3 != Rendering::Forbidden)
            .into_iter()
            .map(|c| {
                let (entry, span, form, rendering) = c.value;
                EnglishMatch { entry, span, surface: text[span.0..span.1].to_string(), form, rendering }
            })
            .collect()
    }

    /// Concepts (the entry's source term) found in each sentence, for the
    /// aligner: a concept found on both sides anchors the two sentences.
    /// Only approved and accepted English forms count.
    pub fn concept_anchors(&self, source: &[Segment], target: &[Segment]) -> TermAnchors {
        let concepts = |entries: Vec<usize>| {
            let mut ids: Vec<String> = Vec::new();
            for entry in entries {
                let id = &self.entries[entry].source;
                if !ids.contains(id) {
                    ids.push(id.clone());
                }
            }
            ids
        };
        TermAnchors {
            source: source
                .iter()
                .map(|s| concepts(self.find_arabic(&s.text).into_iter().map(|m| m.entry).collect()))
                .collect(),
            target: target
                .iter()
                .map(|s| {
                    concepts(
                        self.find_english(&s.text)
                            .into_iter()
                            .filter(|m| m.rendering != Rendering::Forbidden)
                            .map(|m| m.entry)
                            .collect(),
                    )
                })
                .collect(),
        }
    }
}

/// The longest glossary form (Arabic or English, in bytes of UTF-8) that
/// a recognizer accepts. Names and phrases are far shorter; a longer
/// "term" is a damaged or hostile file, and its automaton would cost memory
/// in proportion (the TMX reader likewise refuses over-long tokens).
pub const MAX_TERM_BYTES: usize = 1024;

/// The most bytes of distinct terms one automaton holds (per language).
/// A 5,000-entry glossary has about 100 KB; building the automaton costs
/// about a second and 100 MB per MB of patterns (benches/check.rs
/// `--hostile`), so this keeps loading any glossary within seconds.
pub const MAX_PATTERN_BYTES: usize = 2 * 1024 * 1024;

/// Refuses an entry with a form over [`MAX_TERM_BYTES`], naming where it is.
fn check_term_lengths(entry: &Entry) -> Result<(), GlossaryError> {
    let forms =
        entry.arabic_forms().chain(entry.good_renderings()).chain(entry.forbidden.iter().map(String::as_str));
    for form in forms {
        if form.len() > MAX_TERM_BYTES {
            let (file, line) = entry.origin.clone().unwrap_or_else(|| ("glossary".to_string(), 0));
            let preview: String = form.chars().take(30).collect();
            return Err(GlossaryError::Malformed {
                file,
                line,
                message: format!(
                    "a term of {} bytes (`{preview}…`): terms are limited to {MAX_TERM_BYTES} bytes",
                    form.len()
                ),
            });
        }
    }
    Ok(())
}

/// Patterns for one automaton, each with the entry forms it stands for.
struct PatternSet<T> {
    patterns: Vec<String>,
    targets: Vec<Vec<T>>,
    index: HashMap<String, usize>,
}

impl<T> PatternSet<T> {
    fn new() -> PatternSet<T> {
        PatternSet { patterns: Vec::new(), targets: Vec::new(), index: HashMap::new() }
    }

    fn add(&mut self, pattern: String, target: T) {
        match self.index.get(&pattern) {
            Some(&i) => self.targets[i].push(target),
            None => {
                self.index.insert(pattern.clone(), self.patterns.len());
                self.patterns.push(pattern);
                self.targets.push(vec![target]);
            }
        }
    }
}

/// A possible match, as key byte offsets, before overlaps are resolved.
struct Candidate<V> {
    start: usize,
    end: usize,
    value: V,
}

/// Leftmost-longest selection of non-overlapping spans. All candidates with
/// the chosen span are kept (two entries with the same spelling), except
/// that `preferred` candidates, when present at a span, drop the others.
fn resolve<V>(
    mut candidates: Vec<Candidate<V>>,
    preferred: impl Fn(&Candidate<V>) -> bool,
) -> Vec<Candidate<V>> {
    candidates.sort_by(|a, b| a.start.cmp(&b.start).then(b.end.cmp(&a.end)));
    let mut chosen: Vec<Candidate<V>> = Vec::new();
    let mut taken_until = 0;
    let mut current: Option<(usize, usize)> = None;
    for candidate in candidates {
        if current == Some((candidate.start, candidate.end)) {
            chosen.push(candidate);
        } else if candidate.start >= taken_until {
            taken_until = candidate.end;
            current = Some((candidate.start, candidate.end));
            chosen.push(candidate);
        }
    }
    // Within each group of equal spans, keep the preferred ones if any.
    let mut kept: Vec<Candidate<V>> = Vec::with_capacity(chosen.len());
    let mut group: Vec<Candidate<V>> = Vec::new();
    let flush = |group: &mut Vec<Candidate<V>>, kept: &mut Vec<Candidate<V>>| {
        let any_preferred = group.iter().any(&preferred);
        kept.extend(group.drain(..).filter(|c| !any_preferred || preferred(c)));
    };
    for candidate in chosen {
        if group.first().is_some_and(|g| (g.start, g.end) != (candidate.start, candidate.end)) {
            flush(&mut group, &mut kept);
        }
        group.push(candidate);
    }
    flush(&mut group, &mut kept);
    kept
}

/// Spans end at the last visible character: the match key deletes bidi
/// and zero-width controls, and a control after a term is not part of it.
fn trim_invisible_end(text: &str, (start, end): (usize, usize)) -> (usize, usize) {
    let kept = text[start..end].trim_end_matches(is_invisible_control);
    (start, start + kept.len())
}

fn is_word_char(c: char) -> bool {
    c.is_alphanumeric()
}

fn is_quote(c: char) -> bool {
    c == '"' || c == '\''
}

/// Start of the word that ends at `end` (walking back over word chars).
fn word_start(k: &str, end: usize) -> usize {
    k[..end].char_indices().rev().take_while(|&(_, c)| is_word_char(c)).last().map_or(end, |(i, _)| i)
}

/// Whether the occurrence of `form` at key offset `start` stands at a word
/// start, possibly after allowed proclitics. Returns where the surface form
/// starts and the proclitics.
fn clitic_before(k: &str, start: usize, form: &ArabicForm) -> Option<(usize, String)> {
    let before = k[..start].chars().next_back();
    match before {
        Some(c) if is_word_char(c) => {
            let word = word_start(k, start);
            let prefix = &k[word..start];
            let allowed: &[&str] = if form.core_after_lam {
                if k[start..].starts_with('ل') { &BEFORE_LAM_CORE } else { &BEFORE_CORE }
            } else if form.has_article {
                &BEFORE_ARTICLE
            } else {
                &BEFORE_BARE
            };
            allowed.contains(&prefix).then(|| (word, prefix.to_string()))
        }
        // The core alone is not the term: `رقة` needs its `لل`.
        _ if form.core_after_lam => None,
        Some(quote) if is_quote(quote) => {
            let quote_at = start - quote.len_utf8();
            let word = word_start(k, quote_at);
            let prefix = &k[word..quote_at];
            if BEFORE_QUOTE.contains(&prefix) {
                Some((word, prefix.to_string()))
            } else {
                // A quote glued to some other word still separates words.
                Some((start, String::new()))
            }
        }
        _ => Some((start, String::new())),
    }
}

/// Where the surface form ends: at `end` when a word boundary follows, or
/// after an adjective suffix when the entry allows derived forms.
fn suffix_after(k: &str, end: usize, derived: bool) -> Option<usize> {
    let rest = &k[end..];
    match rest.chars().next() {
        Some(c) if is_word_char(c) => {
            if !derived {
                return None;
            }
            let word_len =
                rest.char_indices().find(|&(_, c)| !is_word_char(c)).map_or(rest.len(), |(i, _)| i);
            DERIVED_SUFFIXES.contains(&&rest[..word_len]).then_some(end + word_len)
        }
        _ => Some(end),
    }
}

/// Whether the words around `span` are in capitals too (`IT IS HEREBY
/// ORDERED`): there an all-caps word is a shouted common word, not an
/// acronym, so `IS` is the verb. Both neighbours must be capitals (one, at
/// the start or end of the text). Only forbidden forms are skipped there: an
/// approved acronym in a headline (`YPG TAKES RAQQA`) still renders its term.
fn shouted(text: &str, (start, end): (usize, usize)) -> bool {
    let capitals = |word: &str| {
        word.chars().filter(|c| c.is_alphabetic()).count() >= 2
            && word.chars().all(|c| !c.is_alphabetic() || c.is_uppercase())
    };
    let before = text[..start].split(|c: char| !c.is_alphanumeric()).rfind(|w| !w.is_empty());
    let after = text[end..].split(|c: char| !c.is_alphanumeric()).find(|w| !w.is_empty());
    match (before, after) {
        (None, None) => false,
        (Some(word), None) | (None, Some(word)) => capitals(word),
        (Some(a), Some(b)) => capitals(a) && capitals(b),
    }
}

/// Folds hyphens to spaces in a match key, keeping byte offsets (both are
/// one byte), so `al-Mashlab`, `al Mashlab` and `Deir ez-Zor` compare equal.
fn english_fold(key: &str) -> String {
    key.replace('-', " ")
}

/// The comparison key of an English form: the match key with hyphens
/// folded and surrounding space trimmed.
pub fn english_key(form: &str) -> String {
    let folded = english_fold(&MatchKey::new(form).text);
    folded.split(' ').filter(|w| !w.is_empty()).collect::<Vec<_>>().join(" ")
}

/// A short all-caps acronym (`IS`, `YPG`, `ISIS`): matched case-sensitively.
pub fn is_acronym(form: &str) -> bool {
    let form = form.trim();
    let len = form.chars().count();
    (2..=5).contains(&len)
        && form.chars().all(|c| c.is_ascii_uppercase() || c.is_ascii_digit())
        && form.starts_with(|c: char| c.is_ascii_uppercase())
}

/// The surface forms (normalized) the recognizer accepts for an Arabic term
/// without the derived suffixes: for documentation and tests.
pub fn arabic_surface_forms(term: &str) -> Vec<String> {
    let key = MatchKey::new(term).text;
    let has_article = key.starts_with(ARTICLE) && key.chars().count() > 3;
    let direct: &[&str] = if has_article { &BEFORE_ARTICLE } else { &BEFORE_BARE };
    let mut forms: Vec<String> = direct.iter().map(|p| format!("{p}{key}")).collect();
    forms.extend(BEFORE_QUOTE.iter().map(|p| format!("{p}\"{key}")));
    if has_article {
        let core = &key[ARTICLE.len()..];
        let lam: &[&str] = if core.starts_with('ل') { &BEFORE_LAM_CORE } else { &BEFORE_CORE };
        forms.extend(lam.iter().map(|p| format!("{p}{core}")));
    }
    forms
}

#[cfg(test)]
mod tests {
    use super::*;

    fn glossary() -> Glossary {
        let text = "الرقة\tRaqqa\t\t\t\tRaqa|Raqqah|al-Raqqa\tplace\n\
                    الرقة السمرا\tRaqqa al-Samra\t\t\t\tRaqqa Samra\tplace\n\
                    داعش\tISIS\t\tتنظيم الدولة|الدولة الإسلامية\t\tISIL|Daesh|IS|Islamic State\tgroup\tderived\n\
                    المشلب\tal-Mashlab\t\t\t\tMashlab|Meshleb\tplace\n\
                    وحدات حماية الشعب\tYPG\t\t\tPeople's Protection Units (YPG)|People's Protection Units\tPeople's Defense Units\tgroup\n\
                    اللاذقية\tLatakia\t\t\t\t\tplace\n\
                    حمص\tHoms\t\t\t\tHims\tplace\tambiguous\n";
        Glossary::parse(text, "t.txt").unwrap()
    }

    fn arabic(recognizer: &Recognizer, text: &str) -> Vec<(String, usize, MatchHow)> {
        recognizer.find_arabic(text).into_iter().map(|m| (m.surface, m.entry, m.how)).collect()
    }

    #[test]
    fn arabic_clitics_quotes_and_longest_match() {
        let r = Recognizer::new(&glossary());
        assert_eq!(arabic(&r, "وبالرقة"), [("وبالرقة".to_string(), 0, MatchHow::Clitic)]);
        assert_eq!(arabic(&r, "للرقة"), [("للرقة".to_string(), 0, MatchHow::Clitic)]);
        assert_eq!(arabic(&r, "للاذقية"), [("للاذقية".to_string(), 5, MatchHow::Clitic)]);
        assert_eq!(arabic(&r, "قوافل لـ”داعش” خرجت"), [("لـ”داعش".to_string(), 2, MatchHow::Clitic)]);
        assert_eq!(arabic(&r, "في الرقة السمرا"), [("الرقة السمرا".to_string(), 1, MatchHow::Exact)]);
        assert_eq!(
            arabic(&r, "بوحدات حماية الشعب"),
            [("بوحدات حماية الشعب".to_string(), 4, MatchHow::Clitic)]
        );
        assert_eq!(arabic(&r, "عناصر داعشية"), [("داعشية".to_string(), 2, MatchHow::Derived)]);
        assert_eq!(arabic(&r, "تنظيم الدولة الإسلامية"), [("تنظيم الدولة".to_string(), 2, MatchHow::Variant)]);
        for miss in ["رقة", "الرقم", "حرقة", "الحمص", "محمص", "الداعش", "المشلبي", "لالرقة"]
        {
            let found = arabic(&r, miss);
            assert!(found.is_empty(), "{miss}: {found:?}");
        }
    }

    #[test]
    fn arabic_spans_are_original_offsets() {
        let r = Recognizer::new(&glossary());
        let text = "خرجت من الرَّقَّةِ أمس";
        let found = r.find_arabic(text);
        assert_eq!(found.len(), 1);
        assert_eq!(&text[found[0].span.0..found[0].span.1], "الرَّقَّةِ");
        let text = "وللرقة";
        let m = &r.find_arabic(text)[0];
        assert_eq!((m.clitic.as_str(), &text[m.term_span.0..m.term_span.1]), ("ولل", "رقة"));
    }

    #[test]
    fn english_case_boundaries_and_forbidden_inside_approved() {
        let r = Recognizer::new(&glossary());
        let found = |t: &str| -> Vec<(String, Rendering)> {
            r.find_english(t).into_iter().map(|m| (m.surface, m.rendering)).collect()
        };
        assert_eq!(found("residents of al-Mashlab fled"), [("al-Mashlab".to_string(), Rendering::Approved)]);
        assert_eq!(found("in Mashlab"), [("Mashlab".to_string(), Rendering::Forbidden)]);
        assert_eq!(found("this is it"), []);
        assert_eq!(found("IS fighters"), [("IS".to_string(), Rendering::Forbidden)]);
        // Shouted text (TICO-19's `IT IS HEREBY ORDERED`): a verb in capitals.
        assert_eq!(found("IT IS HEREBY ORDERED THAT:"), []);
        assert_eq!(found("IT IS FURTHER ORDERED that"), []);
        assert_eq!(found("YPG TAKES TABQA"), [("YPG".to_string(), Rendering::Approved)]);
        assert_eq!(found("UN and IS fighters"), [("IS".to_string(), Rendering::Forbidden)]);
        assert_eq!(found("ISIS’s convoys"), [("ISIS".to_string(), Rendering::Approved)]);
        assert_eq!(
            found("the People’s Protection Units (YPG) and the YPG"),
            [
                ("People’s Protection Units (YPG)".to_string(), Rendering::Accepted),
                ("YPG".to_string(), Rendering::Approved)
            ]
        );
        assert_eq!(found("Raqqa al‑Samra"), [("Raqqa al‑Samra".to_string(), Rendering::Approved)]);
        assert_eq!(
            found("RAQQAH and raqqa's"),
            [("RAQQAH".into(), Rendering::Forbidden), ("raqqa".into(), Rendering::Approved)]
        );
        assert_eq!(found("Raqqawi ypg"), []);
    }

    #[test]
    fn generated_forms_are_all_recognized() {
        let r = Recognizer::new(&glossary());
        for term in ["الرقة", "داعش", "وحدات حماية الشعب", "اللاذقية"] {
            for form in arabic_surface_forms(term) {
                let text = format!("قال {form} أمس");
                let found = r.find_arabic(&text);
                assert_eq!(found.len(), 1, "{form}: {found:?}");
                assert_eq!(found[0].surface, form, "{form}");
            }
        }
    }
}
