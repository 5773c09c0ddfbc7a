//! Word tokens of a match key and OmegaT's fuzzy score over them.
//!
//! The score is OmegaT's `100 × (max(len) − levenshtein) / max(len)` (integer
//! division), computed over word tokens of the normalized text
//! ([`crate::normalize::match_key`]), so a translator sees the percentages
//! they know from their CAT tool.

use std::collections::HashMap;

use rapidfuzz::distance::levenshtein;

use crate::lang::Lang;

/// A word token of a match key: its text and byte offsets in the key.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Token<'a> {
    pub text: &'a str,
    pub start: usize,
    pub end: usize,
}

/// The word tokens of a match key: runs of letters and digits. An apostrophe
/// between letters (`people's`) and a `.` or `,` between digits (`12.5`,
/// `1,000`) stay inside the token; every other character separates tokens.
pub fn tokens(key: &str) -> Vec<Token<'_>> {
    let mut found = Vec::new();
    for_each_token(key, |start, end| found.push(Token { text: &key[start..end], start, end }));
    found
}

/// Calls `found(start, end)` with the byte span of each token of
/// [`tokens`], in order, without collecting them (the import hot path).
pub(crate) fn for_each_token(key: &str, mut found: impl FnMut(usize, usize)) {
    let mut start: Option<usize> = None;
    let mut previous: Option<char> = None;
    let mut chars = key.char_indices().peekable();
    while let Some((at, c)) = chars.next() {
        // Only a separator inside a token needs to look at its neighbours.
        let inside = is_word_char(c)
            || start.is_some()
                && matches!(c, '\'' | '.' | ',')
                && match (previous, chars.peek().map(|&(_, n)| n)) {
                    (Some(p), Some(n)) => {
                        c == '\'' && p.is_alphabetic() && n.is_alphabetic()
                            || matches!(c, '.' | ',') && p.is_ascii_digit() && n.is_ascii_digit()
                    }
                    _ => false,
                };
        match (inside, start) {
            (true, None) => start = Some(at),
            (false, Some(s)) => {
                found(s, at);
                start = None;
            }
            _ => {}
        }
        previous = Some(c);
    }
    if let Some(s) = start {
        found(s, key.len());
    }
}

/// Letters and digits; Arabic letters and ASCII are decided without the
/// general Unicode tables (most of the text, and the hot path of imports).
fn is_word_char(c: char) -> bool {
    match c {
        'a'..='z' | 'A'..='Z' | '0'..='9' | '\u{0621}'..='\u{063A}' | '\u{0641}'..='\u{064A}' => true,
        c if c.is_ascii() => false,
        c => c.is_alphanumeric(),
    }
}

/// The texts of [`tokens`].
pub fn token_texts(key: &str) -> Vec<&str> {
    tokens(key).into_iter().map(|t| t.text).collect()
}

/// The index term of a token on one language side: a stable 64-bit hash
/// (FNV-1a) of the side and the token. Stable across runs and versions,
/// since the index stores it.
pub fn term_id(lang: Lang, token: &str) -> i64 {
    crate::hash::Fnv1a::new().write_part(lang.code()).write(token.as_bytes()).finish() as i64
}

/// OmegaT's similarity of two token sequences, in percent (0 when both are
/// empty, as OmegaT does).
pub fn similarity(query: &[&str], candidate: &[&str]) -> u8 {
    Scorer::new(query).score(candidate, 0).unwrap_or(0)
}

/// Scores many candidates against one query: the query's tokens are mapped
/// to small integer ids once, and a candidate token absent from the query
/// gets an id no query token has (its identity does not matter to the
/// distance), so the Levenshtein runs over short integer sequences.
#[derive(Debug, Clone)]
pub struct Scorer<'q> {
    ids: HashMap<&'q str, u32>,
    query: Vec<u32>,
    stranger: u32,
}

impl<'q> Scorer<'q> {
    pub fn new(query: &[&'q str]) -> Scorer<'q> {
        let mut ids = HashMap::with_capacity(query.len());
        let ids_of_query = query
            .iter()
            .map(|t| {
                let next = ids.len() as u32;
                *ids.entry(*t).or_insert(next)
            })
            .collect();
        let stranger = ids.len() as u32;
        Scorer { ids, query: ids_of_query, stranger }
    }

    pub fn query_len(&self) -> usize {
        self.query.len()
    }

    /// The score of `candidate`, or `None` when it is below `min` percent.
    pub fn score(&self, candidate: &[&str], min: u8) -> Option<u8> {
        let longest = self.query.len().max(candidate.len());
        if longest == 0 {
            return (min == 0).then_some(0);
        }
        let ids: Vec<u32> =
            candidate.iter().map(|t| self.ids.get(t).copied().unwrap_or(self.stranger)).collect();
        let max_distance = longest * (100 - usize::from(min.min(100))) / 100;
        let args = levenshtein::Args::default().score_cutoff(max_distance);
        let distance = levenshtein::distance_with_args(self.query.iter().copied(), ids, &args)?;
        let score = (100 * (longest - distance) / longest) as u8;
        (score >= min).then_some(score)
    }
}

/// The smallest number of tokens a candidate of `candidate_len` tokens must
/// share with a query of `query_len` tokens to score at least `min`: a
/// Levenshtein alignment keeps at most the shared tokens, so
/// `distance ≥ longest − shared`.
pub fn required_shared(query_len: usize, candidate_len: usize, min: u8) -> usize {
    let longest = query_len.max(candidate_len);
    (longest * usize::from(min)).div_ceil(100)
}

/// The candidate lengths (in tokens) that can reach `min` against a query of
/// `query_len` tokens: the shorter side must hold the required shared tokens.
pub fn length_window(query_len: usize, min: u8) -> (usize, usize) {
    let min = usize::from(min.max(1));
    let shortest = (query_len * min).div_ceil(100);
    let longest = query_len * 100 / min;
    (shortest, longest)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::normalize::match_key;

    #[test]
    fn tokens_keep_numbers_and_apostrophes_whole() {
        let key = match_key("Raqqa’s population: 12.5 million (1,000 fled) — al-Raqqa.");
        assert_eq!(
            token_texts(&key),
            ["raqqa's", "population", "12.5", "million", "1,000", "fled", "al", "raqqa"]
        );
        let key = match_key("قال: إنّ ٣٠٠ مدني فرّوا من «الرقة».");
        assert_eq!(token_texts(&key), ["قال", "ان", "300", "مدني", "فروا", "من", "الرقه"]);
        let key = match_key("لـ\"الرقة\"");
        assert_eq!(token_texts(&key), ["ل", "الرقه"]);
    }

    #[test]
    fn token_offsets_point_into_the_key() {
        let key = match_key("في   الرقة، اليوم");
        for token in tokens(&key) {
            assert_eq!(&key[token.start..token.end], token.text);
        }
        assert!(tokens("...!؟").is_empty());
    }

    #[test]
    fn similarity_follows_omegat() {
        let a = token_texts("a b c d e f g h i j");
        let b = token_texts("a b c d e f g h i x");
        assert_eq!(similarity(&a, &b), 90);
        // One token dropped from ten: 100 × (10 − 1) / 10.
        let c = token_texts("a b c d e f g h i");
        assert_eq!(similarity(&a, &c), 90);
        // Integer division truncates: 100 × 2 / 3 = 66.
        assert_eq!(similarity(&token_texts("x y z"), &token_texts("x y w")), 66);
        assert_eq!(similarity(&[], &[]), 0);
        assert_eq!(similarity(&a, &a), 100);
    }

    #[test]
    fn scorer_cutoff_agrees_with_full_score() {
        let query = token_texts("the cat sat on the mat today");
        let scorer = Scorer::new(&query);
        for candidate in ["the cat sat on the mat", "a dog sat on a mat today", "the the the", "mat"] {
            let tokens = token_texts(candidate);
            let full = similarity(&query, &tokens);
            for min in [1u8, 30, 50, 70, 85, 100] {
                assert_eq!(scorer.score(&tokens, min), (full >= min).then_some(full), "{candidate} {min}");
            }
        }
    }

    #[test]
    fn filters_never_reject_a_candidate_that_reaches_the_minimum() {
        let words = ["a", "b", "c", "d"];
        // Every candidate over a small alphabet up to length 7, against queries
        // of several lengths: the length window and shared-token bound hold.
        let mut candidates: Vec<Vec<&str>> = vec![vec![]];
        for _ in 0..6 {
            let longer: Vec<Vec<&str>> = candidates
                .iter()
                .filter(|c| c.len() < 6)
                .flat_map(|c| {
                    words.iter().map(move |w| {
                        let mut next = c.clone();
                        next.push(*w);
                        next
                    })
                })
                .collect();
            candidates.extend(longer);
            candidates.sort();
            candidates.dedup();
        }
        for query in [vec!["a", "b", "c"], vec!["a", "a", "b", "c", "d"], vec!["d"]] {
            for min in [50u8, 70, 85] {
                let (lo, hi) = length_window(query.len(), min);
                for candidate in &candidates {
                    let score = similarity(&query, candidate);
                    if score >= min {
                        assert!((lo..=hi).contains(&candidate.len()), "{query:?} {candidate:?} {min}");
                        let mut shared = 0;
                        let mut pool = candidate.clone();
                        for t in &query {
                            if let Some(i) = pool.iter().position(|p| p == t) {
                                pool.remove(i);
                                shared += 1;
                            }
                        }
                        assert!(shared >= required_shared(query.len(), candidate.len(), min));
                    }
                }
            }
        }
    }

    #[test]
    fn the_fast_path_agrees_with_unicode() {
        for c in ('\0'..='\u{07FF}').chain('\u{FB50}'..='\u{FEFF}') {
            assert_eq!(is_word_char(c), c.is_alphanumeric(), "{c:?}");
        }
    }

    #[test]
    fn term_ids_separate_languages() {
        // Stored in every memory's word index: these values must never change.
        assert_eq!(term_id(Lang::Ar, "الرقه"), 3_666_487_172_764_927_770);
        assert_eq!(term_id(Lang::En, "isis"), -6_590_434_422_916_495_786);
        assert_ne!(term_id(Lang::Ar, "isis"), term_id(Lang::En, "isis"));
    }
}
