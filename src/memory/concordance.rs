//! Concordance: every unit whose text contains a term, keyword in context.
//!
//! Matching is on word tokens of the match key, so spelling variants that
//! normalization folds (`سورية`/`سوريه`, diacritics, tatweel) are found. An
//! Arabic term is clitic-aware: its first word may carry the conjunctions
//! `و ف`, the prepositions `ب ك` and, for a word with the article, `لل` in
//! place of `ال` (`الرقة` finds `بالرقة`, `والرقة`, `للرقة`, `وبالرقة`);
//! for one without the article, `ب ك ل`. Nothing else is stripped, so
//! `الرقعة` never matches `الرقة`. An English term's last word may carry a
//! possessive `'s`. Spans are byte offsets into the original text.

use std::collections::HashSet;

use super::fuzzy;
use super::index;
use super::{Memory, MemoryError};
use crate::lang::Lang;
use crate::normalize::{MatchKey, match_key};

#[derive(Debug, Clone)]
pub struct ConcordanceOptions {
    /// The term's language; `None` decides by script.
    pub lang: Option<Lang>,
    /// At most this many hits, most recent units first.
    pub limit: usize,
}

impl Default for ConcordanceOptions {
    fn default() -> Self {
        ConcordanceOptions { lang: None, limit: 20 }
    }
}

/// A unit containing the term.
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
pub struct ConcordanceHit {
    /// The unit's text in the term's language.
    pub source: String,
    /// The unit's text in the other language.
    pub target: String,
    /// The unit's id in the memory.
    pub id: i64,
    /// Byte spans of the term in `source`.
    pub spans: Vec<(usize, usize)>,
    /// The words of `target` most likely to render the first span (UTF-8
    /// byte offsets): those at the same relative position, as many as the
    /// span's share of the source, two words either side; `null` when either
    /// side is empty.
    pub rendering: Option<(usize, usize)>,
    #[serde(skip)]
    pub tuid: Option<String>,
}

/// The term as allowed word forms, position by position.
struct TermPattern {
    lang: Lang,
    positions: Vec<Vec<String>>,
}

impl TermPattern {
    fn new(term: &str, lang: Lang) -> Result<TermPattern, MemoryError> {
        let key = match_key(term);
        let words = fuzzy::token_texts(&key);
        if words.is_empty() {
            return Err(MemoryError::EmptyTerm);
        }
        let last = words.len() - 1;
        let positions = words
            .iter()
            .enumerate()
            .map(|(i, word)| {
                let mut forms = vec![word.to_string()];
                if lang == Lang::Ar && i == 0 {
                    forms = arabic_clitic_forms(word);
                }
                if lang == Lang::En && i == last {
                    forms.push(format!("{word}'s"));
                }
                forms
            })
            .collect();
        Ok(TermPattern { lang, positions })
    }

    /// Key spans of every occurrence in the tokens of a key.
    fn find(&self, tokens: &[fuzzy::Token<'_>]) -> Vec<(usize, usize)> {
        let width = self.positions.len();
        let mut spans = Vec::new();
        let mut start = 0;
        while start + width <= tokens.len() {
            let window = &tokens[start..start + width];
            if window.iter().zip(&self.positions).all(|(t, forms)| forms.iter().any(|f| f == t.text)) {
                spans.push((window[0].start, window[width - 1].end));
                start += width;
            } else {
                start += 1;
            }
        }
        spans
    }
}

/// The surface forms of an Arabic word (in match-key spelling) with the
/// clitics that attach to a name: see the module docs.
fn arabic_clitic_forms(word: &str) -> Vec<String> {
    let mut bases = vec![word.to_string()];
    match word.strip_prefix("ال").filter(|core| !core.is_empty()) {
        Some(core) => {
            bases.push(format!("ب{word}"));
            bases.push(format!("ك{word}"));
            bases.push(format!("لل{core}"));
        }
        None => bases.extend(["ب", "ك", "ل"].map(|p| format!("{p}{word}"))),
    }
    let mut forms = bases.clone();
    for conjunction in ["و", "ف"] {
        forms.extend(bases.iter().map(|b| format!("{conjunction}{b}")));
    }
    forms
}

impl Memory {
    /// Units containing `term`, most recent first.
    pub fn concordance(
        &self,
        term: &str,
        options: &ConcordanceOptions,
    ) -> Result<Vec<ConcordanceHit>, MemoryError> {
        let lang = options.lang.unwrap_or_else(|| Lang::detect(term, Lang::Ar));
        let pattern = TermPattern::new(term, lang)?;
        self.check_index()?;

        // Read the postings of the rarest position of the term.
        let mut rarest: Option<(u64, Vec<i64>)> = None;
        for forms in &pattern.positions {
            let terms: Vec<i64> = forms.iter().map(|f| fuzzy::term_id(lang, f)).collect();
            let mut frequency = 0;
            for &t in &terms {
                frequency += self.store.term_frequency(t)?;
            }
            if rarest.as_ref().is_none_or(|(f, _)| frequency < *f) {
                rarest = Some((frequency, terms));
            }
        }
        let mut candidates = HashSet::new();
        for term in rarest.map(|(_, terms)| terms).unwrap_or_default() {
            index::for_each_posting(&*self.store, term, |unit, _| {
                candidates.insert(unit);
            })?;
        }
        let mut candidates: Vec<i64> = candidates.into_iter().collect();
        candidates.sort_unstable_by(|a, b| b.cmp(a));

        let mut hits = Vec::new();
        for unit in candidates {
            if hits.len() >= options.limit {
                break;
            }
            let Some(shown) = self.shown_unit(unit, pattern.lang)? else { continue };
            let key = MatchKey::new(&shown.source);
            let spans: Vec<(usize, usize)> = pattern
                .find(&fuzzy::tokens(&key.text))
                .into_iter()
                .map(|(start, end)| key.original_span(start, end, &shown.source))
                .collect();
            if !spans.is_empty() {
                let rendering =
                    spans.first().and_then(|&span| proportional_window(&shown.source, span, &shown.target));
                hits.push(ConcordanceHit {
                    rendering,
                    source: shown.source,
                    target: shown.target,
                    id: unit,
                    spans,
                    tuid: shown.tuid,
                });
            }
        }
        Ok(hits)
    }
}

/// The words of `target` at the relative position `span` has in `source`
/// (by characters: a translation keeps the order of a news sentence's
/// parts more often than not), widened by two words either side; byte
/// offsets into `target`.
fn proportional_window(source: &str, (start, end): (usize, usize), target: &str) -> Option<(usize, usize)> {
    let chars = |text: &str| text.chars().count();
    let (source_len, target_len) = (chars(source), chars(target));
    if source_len == 0
        || target_len == 0
        || end > source.len()
        || !source.is_char_boundary(start)
        || !source.is_char_boundary(end)
    {
        return None;
    }
    let scale = target_len as f64 / source_len as f64;
    let from = (chars(&source[..start]) as f64 * scale).floor() as usize;
    let until = ((chars(&source[..end]) as f64 * scale).ceil() as usize).max(from + 1);
    // Words as runs of non-space characters, by character index.
    let mut words: Vec<(usize, usize, usize, usize)> = Vec::new(); // (char start, char end, byte start, byte end)
    let mut current: Option<(usize, usize)> = None;
    for (i, (byte, c)) in target.char_indices().enumerate() {
        match (c.is_whitespace(), current) {
            (false, None) => current = Some((i, byte)),
            (true, Some((ci, cb))) => {
                words.push((ci, i, cb, byte));
                current = None;
            }
            _ => {}
        }
    }
    if let Some((ci, cb)) = current {
        words.push((ci, target_len, cb, target.len()));
    }
    let first = words.iter().position(|w| w.1 > from)?;
    let last = words.iter().rposition(|w| w.0 < until).unwrap_or(first).max(first);
    let (first, last) = (first.saturating_sub(2), (last + 2).min(words.len() - 1));
    Some((words[first].2, words[last].3))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn spans_in(term: &str, lang: Lang, text: &str) -> Vec<String> {
        let pattern = TermPattern::new(term, lang).unwrap();
        let key = MatchKey::new(text);
        pattern
            .find(&fuzzy::tokens(&key.text))
            .into_iter()
            .map(|(s, e)| {
                let (s, e) = key.original_span(s, e, text);
                text[s..e].to_string()
            })
            .collect()
    }

    #[test]
    fn arabic_terms_match_with_clitics_only() {
        let text = "بالرقة والرقة للرقة وبالرقة لـ\"الرقة\" الرقعة الرقة السمراء فالرقة رقة";
        assert_eq!(
            spans_in("الرقة", Lang::Ar, text),
            ["بالرقة", "والرقة", "للرقة", "وبالرقة", "الرقة", "الرقة", "فالرقة"]
        );
        assert_eq!(spans_in("داعش", Lang::Ar, "لداعش وبداعش الداعشي داعش"), ["لداعش", "وبداعش", "داعش"]);
        assert_eq!(spans_in("سوريا", Lang::Ar, "في سوريا"), ["سوريا"]);
        assert_eq!(spans_in("الرَّقة", Lang::Ar, "في الرقّة"), ["الرقّة"]);
    }

    #[test]
    fn multiword_and_english_terms() {
        assert_eq!(
            spans_in("وحدات حماية الشعب", Lang::Ar, "قالت وحدات حماية الشعب إن بوحدات حماية الشعب"),
            ["وحدات حماية الشعب", "بوحدات حماية الشعب"]
        );
        assert_eq!(spans_in("Raqqa", Lang::En, "Raqqa’s people left RAQQA; Raqqawi"), ["Raqqa’s", "RAQQA"]);
        assert!(TermPattern::new("«»", Lang::Ar).is_err());
    }
}
