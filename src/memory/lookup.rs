//! Fuzzy lookup: the units whose source most resembles a sentence.
//!
//! Retrieval is sublinear: a unit scoring at least `min` shares at least
//! `k = ⌈min × max(n, L) / 100⌉` word tokens with an `n`-token query (see
//! [`fuzzy::required_shared`]), so it must contain one of the query's
//! `n − k + 1` rarest tokens. Lookup reads only those tokens' postings,
//! keeps units whose length is inside the window `min` allows, reads a few
//! more postings when that prunes the candidates cheaply, then rescores every
//! remaining candidate exactly. The result is exactly what scanning every
//! unit would give ([`Memory::lookup_exhaustive`] does that, for tests and
//! benchmarks).

use std::collections::HashMap;

use super::fuzzy::{self, Scorer};
use super::index::{self, LENGTH_CAP};
use super::{Memory, MemoryError};
use crate::lang::Lang;
use crate::normalize::{MatchKey, match_key};

/// How to look a sentence up.
#[derive(Debug, Clone)]
pub struct LookupOptions {
    /// The lowest score (percent, 1–100) worth showing.
    pub min: u8,
    /// At most this many lines (identical units collapsed into one line).
    pub limit: usize,
    /// The query's language; `None` decides by script.
    pub lang: Option<Lang>,
}

impl Default for LookupOptions {
    fn default() -> Self {
        LookupOptions { min: 70, limit: 5, lang: None }
    }
}

/// One line of lookup results: a unit, or several identical ones.
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
pub struct FuzzyMatch {
    /// OmegaT's word score; 100 only for an exact match of the original
    /// text, 99 at most for a match that is equal only after normalization.
    pub score: u8,
    pub exact: bool,
    /// The unit's text in the query's language.
    pub source: String,
    /// The unit's text in the other language.
    pub target: String,
    pub tuid: Option<String>,
    pub doc: Option<String>,
    /// How many identical units (same source, target and score) this line
    /// stands for.
    pub count: usize,
    /// The most recent of those units (for `tm` commands that refer to it).
    #[serde(skip)]
    pub unit: i64,
    #[serde(skip)]
    pub changed: Option<String>,
}

/// A candidate's exact score, before identical units are collapsed.
#[derive(Debug, Clone)]
struct Scored {
    unit: i64,
    score: u8,
    changed: Option<String>,
    source_key: String,
    target_key: String,
}

/// The most word tokens a query may have. Lookup matches sentences; a
/// query of a whole article (no sentence break in a megabyte) would be
/// rescored against every unit sharing a word with it, in time that grows
/// with the square of its length, so it is refused instead (the longest
/// sentence of the bundled corpora has under 200 words).
pub const MAX_QUERY_WORDS: usize = 1_000;

/// A query ready to match.
struct Query {
    text: String,
    key: String,
    lang: Lang,
    min: u8,
}

impl Query {
    fn new(text: &str, options: &LookupOptions) -> Result<Query, MemoryError> {
        let text = text.trim().to_string();
        let key = match_key(&text);
        let words = fuzzy::tokens(&key).len();
        if words == 0 {
            return Err(MemoryError::NoWords);
        }
        if words > MAX_QUERY_WORDS {
            return Err(MemoryError::QueryTooLong { words, limit: MAX_QUERY_WORDS });
        }
        let lang = options.lang.unwrap_or_else(|| Lang::detect(&text, Lang::Ar));
        Ok(Query { text, key, lang, min: options.min.clamp(1, 100) })
    }
}

/// Postings of a token this common are read to prune candidates only while
/// that costs less than rescoring them (an entry decodes ~1000× faster than a
/// candidate is rescored; this leaves a wide margin).
const PRUNE_READ_FACTOR: u64 = 50;

impl Memory {
    /// The best matches for `query`, best first (then most recently changed).
    pub fn lookup(&self, query: &str, options: &LookupOptions) -> Result<Vec<FuzzyMatch>, MemoryError> {
        let query = Query::new(query, options)?;
        self.check_index()?;
        let tokens = fuzzy::token_texts(&query.key);
        let candidates = self.candidates(&query, &tokens)?;
        let scored = self.rescore(&query, &tokens, &candidates)?;
        self.collapse(&query, scored, options.limit)
    }

    /// Like [`Memory::lookup`], but scores every unit of the memory: the
    /// reference the index is tested and benchmarked against.
    pub fn lookup_exhaustive(
        &self,
        query: &str,
        options: &LookupOptions,
    ) -> Result<Vec<FuzzyMatch>, MemoryError> {
        let query = Query::new(query, options)?;
        let tokens = fuzzy::token_texts(&query.key);
        let scorer = Scorer::new(&tokens);
        let mut scored = Vec::new();
        self.store.for_each_keys(query.lang, &mut |unit, keys| {
            let Some(source_key) = keys.source else { return };
            if let Some(score) = scorer.score(&fuzzy::token_texts(&source_key), query.min) {
                scored.push(Scored {
                    unit,
                    score,
                    changed: keys.changed,
                    source_key,
                    target_key: keys.target.unwrap_or_default(),
                });
            }
        })?;
        self.collapse(&query, scored, options.limit)
    }

    /// Units that may score at least `query.min` (a superset of those that
    /// do), from the postings of the query's rarest tokens.
    fn candidates(&self, query: &Query, tokens: &[&str]) -> Result<Vec<i64>, MemoryError> {
        let n = tokens.len();
        let min = query.min;
        let (shortest, longest) = fuzzy::length_window(n, min);
        let fits = |length: usize| {
            if length >= LENGTH_CAP { longest >= LENGTH_CAP } else { (shortest..=longest).contains(&length) }
        };
        // Distinct terms with their multiplicity in the query, rarest first.
        let mut multiplicity: HashMap<i64, usize> = HashMap::new();
        for token in tokens {
            *multiplicity.entry(fuzzy::term_id(query.lang, token)).or_insert(0) += 1;
        }
        let mut terms = Vec::with_capacity(multiplicity.len());
        for (term, count) in multiplicity {
            terms.push((self.store.term_frequency(term)?, term, count));
        }
        terms.sort_unstable();

        // Every unit that reaches `min` contains one of the first
        // `n − k + 1` token occurrences (k for the shortest admissible length).
        let prefix = n + 1 - fuzzy::required_shared(n, n, min).max(1);
        let mut found: index::TermMap<(usize, usize)> = index::TermMap::default();
        let mut covered = 0;
        let mut next = 0;
        while next < terms.len() && covered < prefix {
            let (frequency, term, count) = terms[next];
            if frequency > 0 {
                index::for_each_posting(&*self.store, term, |unit, length| {
                    if fits(length) {
                        found.entry(unit).or_insert((length, 0)).1 += count;
                    }
                })?;
            }
            covered += count;
            next += 1;
        }
        // More common tokens only tighten each candidate's bound on shared
        // tokens; read them while that is cheap.
        let mut unread: usize = terms[next..].iter().map(|t| t.2).sum();
        while next < terms.len() && terms[next].0 <= PRUNE_READ_FACTOR * found.len() as u64 {
            let (_, term, count) = terms[next];
            index::for_each_posting(&*self.store, term, |unit, _| {
                if let Some(entry) = found.get_mut(&unit) {
                    entry.1 += count;
                }
            })?;
            unread -= count;
            next += 1;
        }
        let mut candidates: Vec<i64> = found
            .into_iter()
            .filter(|&(_, (length, shared))| shared + unread >= fuzzy::required_shared(n, length, min))
            .map(|(unit, _)| unit)
            .collect();
        candidates.sort_unstable();
        Ok(candidates)
    }

    fn rescore(
        &self,
        query: &Query,
        tokens: &[&str],
        candidates: &[i64],
    ) -> Result<Vec<Scored>, MemoryError> {
        let scorer = Scorer::new(tokens);
        let mut scored = Vec::new();
        for &unit in candidates {
            // Postings of removed units stay until a reindex: no unit, no match.
            let Some(keys) = self.store.keys(unit, query.lang)? else { continue };
            let Some(source_key) = keys.source else { continue };
            if let Some(score) = scorer.score(&fuzzy::token_texts(&source_key), query.min) {
                scored.push(Scored {
                    unit,
                    score,
                    changed: keys.changed,
                    source_key,
                    target_key: keys.target.unwrap_or_default(),
                });
            }
        }
        Ok(scored)
    }

    /// Turns scored units into result lines: identical units collapse into
    /// one line with a count; exactness is decided on the original text.
    fn collapse(
        &self,
        query: &Query,
        mut scored: Vec<Scored>,
        limit: usize,
    ) -> Result<Vec<FuzzyMatch>, MemoryError> {
        scored.sort_by(|a, b| {
            b.score.cmp(&a.score).then_with(|| b.changed.cmp(&a.changed)).then_with(|| b.unit.cmp(&a.unit))
        });
        // Units with equal keys and score are the candidates for one line;
        // only the groups that can reach the first `limit` lines are read.
        let mut groups: Vec<Vec<&Scored>> = Vec::new();
        let mut group_of: HashMap<(u8, &str, &str), usize> = HashMap::new();
        for unit in &scored {
            let key = (unit.score, unit.source_key.as_str(), unit.target_key.as_str());
            match group_of.get(&key) {
                Some(&g) => groups[g].push(unit),
                None => {
                    group_of.insert(key, groups.len());
                    groups.push(vec![unit]);
                }
            }
        }
        let mut lines: Vec<FuzzyMatch> = Vec::new();
        let mut line_of: HashMap<(u8, String, String), usize> = HashMap::new();
        for (taken, group) in groups.iter().enumerate() {
            // A perfect word score may still be 100 or 99 (exact or not), so
            // every such group is read before the limit applies.
            if taken >= limit && group[0].score < 100 {
                break;
            }
            for member in group {
                let Some(shown) = self.shown_unit(member.unit, query.lang)? else { continue };
                let exact = member.score == 100 && shown.source.trim() == query.text;
                let score = if exact { 100 } else { member.score.min(99) };
                let key = (score, shown.source.clone(), shown.target.clone());
                match line_of.get(&key) {
                    Some(&line) => lines[line].count += 1,
                    None => {
                        line_of.insert(key, lines.len());
                        lines.push(FuzzyMatch {
                            score,
                            exact,
                            source: shown.source,
                            target: shown.target,
                            tuid: shown.tuid,
                            doc: shown.doc,
                            count: 1,
                            unit: member.unit,
                            changed: member.changed.clone(),
                        });
                    }
                }
            }
        }
        lines.sort_by(|a, b| b.score.cmp(&a.score).then_with(|| b.changed.cmp(&a.changed)));
        lines.truncate(limit);
        Ok(lines)
    }

    /// A stored unit's text as shown: the `lang` side as source.
    pub(crate) fn shown_unit(&self, id: i64, lang: Lang) -> Result<Option<ShownUnit>, MemoryError> {
        let Some(stored) = self.store.shown_unit(id)? else { return Ok(None) };
        let text = |variant: Option<usize>| {
            variant.and_then(|i| stored.unit.variants.get(i)).map(|v| v.seg.plain_text()).unwrap_or_default()
        };
        let (source, target) = match lang {
            Lang::Ar => (text(stored.ar_variant), text(stored.en_variant)),
            Lang::En => (text(stored.en_variant), text(stored.ar_variant)),
        };
        Ok(Some(ShownUnit { source, target, tuid: stored.tuid, doc: stored.doc }))
    }
}

pub(crate) struct ShownUnit {
    pub source: String,
    pub target: String,
    pub tuid: Option<String>,
    pub doc: Option<String>,
}

/// Byte spans of the words of `source` (original text) that an optimal word
/// alignment with `query` does not match: what a translator must change.
/// Very long pairs (over a million token pairs) are not marked.
pub fn differing_words(query: &str, source: &str) -> Vec<(usize, usize)> {
    let query_key = match_key(query);
    let query_tokens = fuzzy::token_texts(&query_key);
    let source_key = MatchKey::new(source);
    let source_tokens = fuzzy::tokens(&source_key.text);
    let (n, m) = (query_tokens.len(), source_tokens.len());
    if n.saturating_mul(m) > 1_000_000 {
        return Vec::new();
    }
    // distance[i][j] between query[..i] and source[..j], then walk back.
    let width = m + 1;
    let mut distance = vec![0usize; (n + 1) * width];
    for (j, cell) in distance.iter_mut().take(width).enumerate() {
        *cell = j;
    }
    for i in 1..=n {
        distance[i * width] = i;
        for j in 1..=m {
            let same = query_tokens[i - 1] == source_tokens[j - 1].text;
            distance[i * width + j] = (distance[(i - 1) * width + j - 1] + usize::from(!same))
                .min(distance[(i - 1) * width + j] + 1)
                .min(distance[i * width + j - 1] + 1);
        }
    }
    let mut matched = vec![false; m];
    let (mut i, mut j) = (n, m);
    while i > 0 && j > 0 {
        let here = distance[i * width + j];
        let same = query_tokens[i - 1] == source_tokens[j - 1].text;
        if same && here == distance[(i - 1) * width + j - 1] {
            matched[j - 1] = true;
            i -= 1;
            j -= 1;
        } else if here == distance[(i - 1) * width + j - 1] + 1 {
            i -= 1;
            j -= 1;
        } else if here == distance[i * width + j - 1] + 1 {
            j -= 1;
        } else {
            i -= 1;
        }
    }
    source_tokens
        .iter()
        .zip(matched)
        .filter(|(_, matched)| !matched)
        .map(|(t, _)| source_key.original_span(t.start, t.end, source))
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn marks_the_words_that_differ() {
        let source = "قُتل ٣ مدنيين في الرقة أمس";
        let spans = differing_words("قتل 5 مدنيين في الرقة", source);
        let marked: Vec<&str> = spans.iter().map(|&(s, e)| &source[s..e]).collect();
        assert_eq!(marked, ["٣", "أمس"]);
        assert!(differing_words("a b c", "a b c").is_empty());
    }
}
