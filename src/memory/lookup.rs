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
use super::store::UnitKeys;
use super::{Memory, MemoryError};
use crate::lang::Lang;
use crate::normalize::{MatchKey, match_key};
use crate::segment::Segmenter;

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
    /// Set when the query matched one sentence of a unit whose source has
    /// several (a 2-1 or 3-1 bead stored as one unit); `null` otherwise.
    pub part: Option<UnitPart>,
    /// The most recent of those units (for `tm` commands that refer to it).
    #[serde(skip)]
    pub unit: i64,
    #[serde(skip)]
    pub changed: Option<String>,
}

/// Which sentence of a unit's source a query matched: the unit holds a
/// bead of several source sentences, so its target renders more than the
/// query ("part of a 2-sentence unit").
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize)]
pub struct UnitPart {
    /// The matching sentence, from 1.
    pub sentence: usize,
    /// How many sentences the unit's source has (the built-in SRX rules).
    pub sentences: usize,
    /// The matching sentence in `source`: UTF-8 byte offsets.
    pub start: usize,
    pub end: usize,
}

/// A candidate's exact score, before identical units are collapsed.
#[derive(Debug, Clone)]
struct Scored {
    unit: i64,
    score: u8,
    changed: Option<String>,
    source_key: String,
    target_key: String,
    part: Option<UnitPart>,
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
        let (candidates, longer) = self.candidates(&query, &tokens)?;
        let scored = self.rescore(&query, &tokens, &candidates, &longer)?;
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
        let n = tokens.len();
        let mut scored = Vec::new();
        // Units that may hold the query as one of their sentences are
        // scored after the scan (that reads their text).
        let mut several_sentences = Vec::new();
        self.store.for_each_keys(query.lang, &mut |unit, keys| {
            let Some(source_key) = &keys.source else { return };
            if may_hold_sentences(source_key, n) {
                several_sentences.push((unit, keys));
                return;
            }
            if let Some(score) = scorer.score(&fuzzy::token_texts(source_key), query.min) {
                scored.push(Scored {
                    unit,
                    score,
                    changed: keys.changed,
                    source_key: source_key.clone(),
                    target_key: keys.target.unwrap_or_default(),
                    part: None,
                });
            }
        })?;
        for (unit, keys) in several_sentences {
            scored.extend(self.score_unit(&query, &scorer, n, unit, keys, true)?);
        }
        self.collapse(&query, scored, options.limit)
    }

    /// Units that may score at least `query.min` (a superset of those that
    /// do), from the postings of the query's rarest tokens; and, from the
    /// same postings, the units too long for that which share enough tokens
    /// with the query to hold a sentence that scores `min`.
    fn candidates(&self, query: &Query, tokens: &[&str]) -> Result<(Vec<i64>, Vec<i64>), MemoryError> {
        let n = tokens.len();
        let min = query.min;
        let (fits, longest) = length_filter(n, min);
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
        // Too long to match whole; sentences of them may match.
        let mut longer: index::TermMap<usize> = index::TermMap::default();
        let mut covered = 0;
        let mut next = 0;
        while next < terms.len() && covered < prefix {
            let (frequency, term, count) = terms[next];
            if frequency > 0 {
                index::for_each_posting(&*self.store, term, |unit, length| {
                    if fits(length) {
                        found.entry(unit).or_insert((length, 0)).1 += count;
                    } else if length > longest {
                        *longer.entry(unit).or_insert(0) += count;
                    }
                })?;
            }
            covered += count;
            next += 1;
        }
        // More common tokens only tighten each candidate's bound on shared
        // tokens; read them while that is cheap.
        let mut unread: usize = terms[next..].iter().map(|t| t.2).sum();
        while next < terms.len() && terms[next].0 <= PRUNE_READ_FACTOR * (found.len() + longer.len()) as u64 {
            let (_, term, count) = terms[next];
            index::for_each_posting(&*self.store, term, |unit, _| {
                if let Some(entry) = found.get_mut(&unit) {
                    entry.1 += count;
                } else if let Some(shared) = longer.get_mut(&unit) {
                    *shared += count;
                }
            })?;
            unread -= count;
            next += 1;
        }
        // A sentence scoring `min` shares at least this many tokens (its
        // fewest, for a sentence no longer than the query).
        let sentence_needs = fuzzy::required_shared(n, n, min);
        let mut candidates = Vec::new();
        let mut longer: Vec<i64> = longer
            .into_iter()
            .filter(|&(_, shared)| shared + unread >= sentence_needs)
            .map(|(unit, _)| unit)
            .collect();
        for (unit, (length, shared)) in found {
            if shared + unread >= fuzzy::required_shared(n, length, min) {
                candidates.push(unit);
            } else if length > n && shared + unread >= sentence_needs {
                // Too few shared tokens to match whole; one of its
                // sentences may still match.
                longer.push(unit);
            }
        }
        candidates.sort_unstable();
        longer.sort_unstable();
        Ok((candidates, longer))
    }

    fn rescore(
        &self,
        query: &Query,
        tokens: &[&str],
        candidates: &[i64],
        parts_only: &[i64],
    ) -> Result<Vec<Scored>, MemoryError> {
        let scorer = Scorer::new(tokens);
        let n = tokens.len();
        let mut scored = Vec::new();
        // Postings of removed units stay until a reindex: no unit, no match.
        for (unit, keys) in self.store.keys_of(candidates, query.lang)? {
            scored.extend(self.score_unit(query, &scorer, n, unit, keys, true)?);
        }
        // Units that cannot match whole: only those with several sentences
        // (seen in the key, without a rescore) are scored, by sentence.
        for (unit, keys) in self.store.keys_of(parts_only, query.lang)? {
            if keys.source.as_deref().is_some_and(|key| may_hold_sentences(key, n)) {
                scored.extend(self.score_unit(query, &scorer, n, unit, keys, false)?);
            }
        }
        Ok(scored)
    }

    /// A unit's score against the query: as a whole, or, for a unit longer
    /// than the query whose source has several sentences, that of its best
    /// sentence when that is higher (capped at 99: the unit's target renders
    /// more than the query). The source is segmented with the built-in rules
    /// (the memory's segmentation of what it stores) at lookup time, so
    /// nothing is stored for this; only a match key with a sentence break
    /// inside is decoded and segmented.
    fn score_unit(
        &self,
        query: &Query,
        scorer: &Scorer,
        n: usize,
        unit: i64,
        keys: UnitKeys,
        whole: bool,
    ) -> Result<Option<Scored>, MemoryError> {
        let Some(source_key) = keys.source else { return Ok(None) };
        let whole = if whole { scorer.score(&fuzzy::token_texts(&source_key), query.min) } else { None };
        let mut part = None;
        if may_hold_sentences(&source_key, n)
            && let Some(shown) = self.shown_unit(unit, query.lang)?
        {
            let sentences = Segmenter::builtin().segment(&shown.source, Some(query.lang));
            if sentences.len() > 1 {
                part = sentences
                    .iter()
                    .enumerate()
                    .filter_map(|(i, sentence)| {
                        let key = match_key(&sentence.text);
                        let score = scorer.score(&fuzzy::token_texts(&key), query.min)?.min(99);
                        Some((score, i))
                    })
                    .max_by_key(|&(score, i)| (score, std::cmp::Reverse(i)))
                    .filter(|&(score, _)| whole.is_none_or(|whole| score > whole))
                    .map(|(score, i)| {
                        let sentence = &sentences[i];
                        let part = UnitPart {
                            sentence: i + 1,
                            sentences: sentences.len(),
                            start: sentence.start,
                            end: sentence.end,
                        };
                        (score, part)
                    });
            }
        }
        let (score, part) = match (whole, part) {
            (_, Some((score, part))) => (score, Some(part)),
            (Some(score), None) => (score, None),
            (None, None) => return Ok(None),
        };
        Ok(Some(Scored {
            unit,
            score,
            changed: keys.changed,
            source_key,
            target_key: keys.target.unwrap_or_default(),
            part,
        }))
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
                            part: member.part,
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

/// Which unit lengths (in tokens, as the index keeps them: capped at
/// [`LENGTH_CAP`]) can match an `n`-token query whole at `min`; and the
/// longest such length (a unit longer than that may hold the query as one
/// of its sentences).
fn length_filter(n: usize, min: u8) -> (impl Fn(usize) -> bool, usize) {
    let (shortest, longest) = fuzzy::length_window(n, min);
    let fits = move |length: usize| {
        if length >= LENGTH_CAP { longest >= LENGTH_CAP } else { (shortest..=longest).contains(&length) }
    };
    (fits, longest)
}

/// Whether a unit whose source has match key `key` may hold an `n`-token
/// query as one of several sentences: it is longer than the query and has
/// a sentence end before its last words.
fn may_hold_sentences(key: &str, n: usize) -> bool {
    has_inner_sentence_break(key) && fuzzy::tokens(key).len() > n
}

/// Whether a match key holds a sentence end before its last words: only
/// then can its text be more than one sentence.
fn has_inner_sentence_break(key: &str) -> bool {
    let ends = |c: char| matches!(c, '.' | '!' | '?' | '؟' | '…' | '۔');
    let body =
        key.trim_end().trim_end_matches(|c: char| ends(c) || matches!(c, '"' | '\'' | ')' | '»' | ' '));
    body.contains(ends)
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
