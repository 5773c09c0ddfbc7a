//! The SRX 2.0 rule engine: compiles the rules that apply to one language
//! and finds the break positions inside a paragraph.
//!
//! SRX semantics: at each position between two characters, the rules are
//! tried in order; the first whose `beforebreak` matches text ending there
//! and whose `afterbreak` matches text starting there decides (break or
//! no break). Where no rule matches, there is no break.
//!
//! Speed: a break can only happen where some break rule's `beforebreak`
//! matches, so one forward pass of a lazy DFA built from *all* the rules'
//! `beforebreak` patterns (overlapping, every match end of every pattern)
//! lists the candidate positions and, for each, which rules' `beforebreak`
//! matched there. Only the `afterbreak` patterns are then run, anchored at
//! the candidate. Patterns the lazy DFA cannot run (Unicode `\b` on non-ASCII
//! text) fall back to trying the rules at every position, which is slower but
//! gives the same result.
//!
//! Bounded work per candidate (issue #20): rules come from users and
//! vendors, so no rule may make segmentation quadratic. The `beforebreak`
//! matches are consumed as the scan reports them (in order of position),
//! never stored for the whole paragraph, so 200 rules matching `.` keep at
//! most 200 pending matches, not 200 per character. An `afterbreak` is
//! matched within [`AFTERBREAK_LOOKAHEAD`] bytes after the candidate (and a
//! `beforebreak` in the fallback within [`FALLBACK_LOOKBEHIND`] bytes before
//! it): SRX 2.0 sets no such limit, but rules look at the next word or two
//! (the built-in ones at most a few characters), and without a bound an
//! `afterbreak` such as `[^\n]*QQQ` rescans the rest of a 1 MB paragraph at
//! every full stop. Assertions still see the whole paragraph (`$` does not
//! match at the end of the window). Rules that share an `afterbreak` share
//! its one evaluation per candidate.

use std::sync::Mutex;

use regex_automata::hybrid::dfa::{Cache, DFA, OverlappingState};
use regex_automata::{Anchored, Input, MatchKind, meta};

use super::java_regex;
use super::srx::{SrxDocument, SrxError, SrxRule};

/// How far back the fallback looks for a `beforebreak` match. Rules look at
/// a word or two; this only bounds the cost of pathological patterns.
pub const FALLBACK_LOOKBEHIND: usize = 1024;

/// How far after a break candidate an `afterbreak` match may reach, in
/// bytes: a match must end within this window (see the module docs).
pub const AFTERBREAK_LOOKAHEAD: usize = 1024;

/// The rules of one language, in SRX order, ready to run.
pub struct LanguageRules {
    rules: Vec<CompiledRule>,
    /// The distinct `afterbreak` patterns, each compiled once.
    afters: Vec<meta::Regex>,
    scanner: Option<BeforeScanner>,
}

struct CompiledRule {
    breaks: bool,
    /// `(?:beforebreak)\z`, used by the fallback; `None` when empty.
    before_at_end: Option<meta::Regex>,
    /// Index in `afters` of the `afterbreak`, run anchored at the
    /// position; `None` when empty.
    after: Option<usize>,
}

/// What a search did, for tests that bound it: how many `afterbreak`
/// evaluations, the bytes offered to them, and the most `beforebreak`
/// matches held at once.
#[derive(Debug, Default, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Work {
    pub after_evaluations: usize,
    pub after_window_bytes: usize,
    pub most_pending: usize,
}

/// Per-candidate results of the distinct `afterbreak` patterns, reset
/// between candidates by undoing only what was set.
struct AfterMemo {
    known: Vec<Option<bool>>,
    set: Vec<usize>,
}

/// A lazy DFA over the distinct `beforebreak` patterns, with a pool of
/// caches so that a shared segmenter needs no `&mut`.
struct BeforeScanner {
    dfa: DFA,
    /// Per DFA pattern, the rules (indices, increasing) with that
    /// `beforebreak`: 200 copies of one pattern are scanned for once.
    rules: Vec<Vec<usize>>,
    /// Per DFA pattern, whether one of its rules is a break rule.
    breaks: Vec<bool>,
    caches: Mutex<Vec<Cache>>,
}

impl std::fmt::Debug for LanguageRules {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("LanguageRules")
            .field("rules", &self.rules.len())
            .field("one_pass_scan", &self.scanner.is_some())
            .finish()
    }
}

/// Compiles the rules the document's map rules select for `language`
/// (a language code such as `ar`, matched case-insensitively against each
/// `languagepattern`; with `cascade`, every matching map contributes its
/// rules in order, otherwise only the first).
pub fn compile(document: &SrxDocument, language: &str, file: &str) -> Result<LanguageRules, SrxError> {
    let mut selected: Vec<(&str, usize, &SrxRule)> = Vec::new();
    for map in &document.language_maps {
        let error = |message: String| SrxError {
            file: file.to_string(),
            line: map.line,
            rule: Some(format!("languagemap \"{}\"", map.pattern)),
            message,
        };
        let pattern = java_regex::translate(&map.pattern).map_err(error)?;
        let matcher = regex::RegexBuilder::new(&format!("^(?:{pattern})$"))
            .case_insensitive(true)
            .build()
            .map_err(|e| error(format!("cannot compile languagepattern: {}", one_line(&e.to_string()))))?;
        if !matcher.is_match(language) {
            continue;
        }
        if let Some(set) = document.language_rules.iter().find(|set| set.name == map.rule_name) {
            selected.extend(set.rules.iter().enumerate().map(|(i, rule)| (set.name.as_str(), i + 1, rule)));
        }
        if !document.cascade {
            break;
        }
    }

    let mut rules = Vec::with_capacity(selected.len());
    let mut befores: Vec<String> = Vec::with_capacity(selected.len());
    let mut before_rules: Vec<Vec<usize>> = Vec::new();
    let mut afters: Vec<meta::Regex> = Vec::new();
    let mut after_index: std::collections::HashMap<String, usize> = std::collections::HashMap::new();
    for (set_name, number, rule) in selected {
        let compile_side = |java: &str, line: usize, side: &str, anchor_end: bool| {
            let error = |message: String| SrxError {
                file: file.to_string(),
                line,
                rule: Some(format!("rule {number} of languagerule \"{set_name}\" ({side})")),
                message,
            };
            let pattern = java_regex::translate(java).map_err(error)?;
            if pattern.is_empty() {
                return Ok((None, pattern));
            }
            let full = if anchor_end { format!("(?:{pattern})\\z") } else { pattern.clone() };
            let regex = meta::Regex::new(&full).map_err(|e| {
                error(format!("cannot compile pattern `{java}`: {}", one_line(&e.to_string())))
            })?;
            Ok((Some(regex), pattern))
        };
        let (before_at_end, before) = compile_side(&rule.before.java, rule.before.line, "beforebreak", true)?;
        let after = match after_index.get(&rule.after.java) {
            Some(&index) => Some(index),
            None => match compile_side(&rule.after.java, rule.after.line, "afterbreak", false)? {
                (Some(regex), _) => {
                    afters.push(regex);
                    after_index.insert(rule.after.java.clone(), afters.len() - 1);
                    Some(afters.len() - 1)
                }
                (None, _) => None,
            },
        };
        match befores.iter().position(|known| *known == before) {
            Some(pattern) => before_rules[pattern].push(rules.len()),
            None => {
                befores.push(before);
                before_rules.push(vec![rules.len()]);
            }
        }
        rules.push(CompiledRule { breaks: rule.breaks, before_at_end, after });
    }

    let scanner = if rules.iter().any(|r| r.breaks) {
        DFA::builder().configure(DFA::config().match_kind(MatchKind::All)).build_many(&befores).ok().map(
            |dfa| {
                let breaks = before_rules.iter().map(|list| list.iter().any(|&r| rules[r].breaks)).collect();
                BeforeScanner { dfa, rules: before_rules, breaks, caches: Mutex::new(Vec::new()) }
            },
        )
    } else {
        None
    };
    Ok(LanguageRules { rules, afters, scanner })
}

/// The useful line of a (multi-line) regex error.
fn one_line(message: &str) -> String {
    let line = message
        .lines()
        .find(|l| l.trim_start().starts_with("error:"))
        .unwrap_or_else(|| message.lines().rev().find(|l| !l.trim().is_empty()).unwrap_or(message));
    line.trim().trim_start_matches("error:").trim().to_string()
}

impl LanguageRules {
    /// Appends to `breaks` the byte offsets inside `paragraph` (never 0 or
    /// its length) where a segment ends, in increasing order.
    pub fn find_breaks(&self, paragraph: &str, breaks: &mut Vec<usize>) {
        self.find_breaks_measured(paragraph, breaks);
    }

    /// [`LanguageRules::find_breaks`], saying how much work it did.
    pub(crate) fn find_breaks_measured(&self, paragraph: &str, breaks: &mut Vec<usize>) -> Work {
        let mut work = Work::default();
        if paragraph.is_empty() || !self.rules.iter().any(|r| r.breaks) {
            return work;
        }
        let already = breaks.len();
        if let Some(scanner) = &self.scanner {
            if self.scan_with_dfa(scanner, paragraph, breaks, &mut work).is_ok() {
                return work;
            }
            breaks.truncate(already);
        }
        self.scan_every_position(paragraph, breaks, &mut work);
        work
    }

    fn scan_with_dfa(
        &self,
        scanner: &BeforeScanner,
        paragraph: &str,
        breaks: &mut Vec<usize>,
        work: &mut Work,
    ) -> Result<(), regex_automata::MatchError> {
        let mut cache = scanner.take_cache();
        let input = Input::new(paragraph);
        let mut state = OverlappingState::start();
        let mut memo = self.memo();
        // The patterns that matched ending at `at`: the scan reports every
        // match at one position before moving on, so a position is decided
        // as soon as a match at a later one arrives.
        let mut at = 0;
        let mut pending: Vec<usize> = Vec::new();
        let mut rules: Vec<usize> = Vec::new();
        let mut decide = |at: usize, pending: &mut Vec<usize>, work: &mut Work| {
            // Only a break rule can make a break.
            if pending.iter().any(|&pattern| scanner.breaks[pattern]) {
                match pending[..] {
                    [pattern] => rules.extend_from_slice(&scanner.rules[pattern]),
                    _ => {
                        rules.extend(
                            pending.iter().flat_map(|&pattern| scanner.rules[pattern].iter().copied()),
                        );
                        rules.sort_unstable();
                        rules.dedup();
                    }
                }
                self.decide(paragraph, at, &mut rules, &mut memo, breaks, work);
            }
            pending.clear();
        };
        let result = loop {
            if let Err(e) = scanner.dfa.try_search_overlapping_fwd(&mut cache, &input, &mut state) {
                break Err(e);
            }
            let Some(end) = state.get_match() else {
                decide(at, &mut pending, work);
                break Ok(());
            };
            if end.offset() != at {
                decide(at, &mut pending, work);
                at = end.offset();
            }
            pending.push(end.pattern().as_usize());
            work.most_pending = work.most_pending.max(pending.len());
        };
        scanner.return_cache(cache);
        result
    }

    /// Decides the candidate `at`, whose beforebreak matches are `rules`
    /// (in increasing order; emptied after): the first rule, in SRX order,
    /// whose afterbreak also matches decides.
    fn decide(
        &self,
        paragraph: &str,
        at: usize,
        rules: &mut Vec<usize>,
        memo: &mut AfterMemo,
        breaks: &mut Vec<usize>,
        work: &mut Work,
    ) {
        if at == 0 || at >= paragraph.len() || !paragraph.is_char_boundary(at) {
            rules.clear();
            return;
        }
        let decided = rules.iter().find(|&&rule| self.after_matches(rule, paragraph, at, memo, work));
        if decided.is_some_and(|&rule| self.rules[rule].breaks) {
            breaks.push(at);
        }
        memo.reset();
        rules.clear();
    }

    /// The plain SRX definition: every position, every rule in order.
    fn scan_every_position(&self, paragraph: &str, breaks: &mut Vec<usize>, work: &mut Work) {
        let mut memo = self.memo();
        for (at, _) in paragraph.char_indices().skip(1) {
            let decided = (0..self.rules.len()).find(|&rule| {
                self.after_matches(rule, paragraph, at, &mut memo, work)
                    && self.rules[rule].before_matches(paragraph, at)
            });
            if decided.is_some_and(|rule| self.rules[rule].breaks) {
                breaks.push(at);
            }
            memo.reset();
        }
    }

    fn memo(&self) -> AfterMemo {
        AfterMemo { known: vec![None; self.afters.len()], set: Vec::new() }
    }

    /// Whether `rule`'s afterbreak matches at `at`, within
    /// [`AFTERBREAK_LOOKAHEAD`] bytes.
    fn after_matches(
        &self,
        rule: usize,
        paragraph: &str,
        at: usize,
        memo: &mut AfterMemo,
        work: &mut Work,
    ) -> bool {
        let Some(after) = self.rules[rule].after else { return true };
        if let Some(known) = memo.known[after] {
            return known;
        }
        let mut end = (at + AFTERBREAK_LOOKAHEAD).min(paragraph.len());
        while !paragraph.is_char_boundary(end) {
            end -= 1;
        }
        work.after_evaluations += 1;
        work.after_window_bytes += end - at;
        let matched =
            self.afters[after].is_match(Input::new(paragraph).range(at..end).anchored(Anchored::Yes));
        memo.known[after] = Some(matched);
        memo.set.push(after);
        matched
    }
}

impl AfterMemo {
    fn reset(&mut self) {
        for after in self.set.drain(..) {
            self.known[after] = None;
        }
    }
}

impl CompiledRule {
    fn before_matches(&self, paragraph: &str, at: usize) -> bool {
        self.before_at_end.as_ref().is_none_or(|before| {
            let mut from = at.saturating_sub(FALLBACK_LOOKBEHIND);
            while !paragraph.is_char_boundary(from) {
                from -= 1;
            }
            before.is_match(Input::new(&paragraph[..at]).range(from..))
        })
    }
}

impl BeforeScanner {
    fn take_cache(&self) -> Cache {
        let pooled = self.caches.lock().unwrap_or_else(|poisoned| poisoned.into_inner()).pop();
        pooled.unwrap_or_else(|| self.dfa.create_cache())
    }

    fn return_cache(&self, cache: Cache) {
        self.caches.lock().unwrap_or_else(|poisoned| poisoned.into_inner()).push(cache);
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::segment::{BUILTIN_SRX, srx};

    fn rules_for(xml: &str, language: &str) -> LanguageRules {
        compile(&srx::parse(xml, "t.srx").unwrap(), language, "t.srx").unwrap()
    }

    #[test]
    fn builtin_rules_run_on_the_one_pass_scan() {
        for language in ["ar", "en"] {
            assert!(rules_for(BUILTIN_SRX, language).scanner.is_some(), "{language}");
        }
    }

    #[test]
    fn unicode_word_boundaries_use_the_fallback_with_the_same_answer() {
        let xml = r#"<srx version="2.0"><header cascade="no"/><body><languagerules>
            <languagerule languagerulename="x">
              <rule break="no"><beforebreak>\bد\.</beforebreak><afterbreak>\s</afterbreak></rule>
              <rule break="yes"><beforebreak>\.</beforebreak><afterbreak>\s</afterbreak></rule>
            </languagerule></languagerules>
            <maprules><languagemap languagepattern=".*" languagerulename="x"/></maprules></body></srx>"#;
        let rules = rules_for(xml, "ar");
        assert!(rules.scanner.is_none());
        let text = "قال د. محمد. نعم";
        let mut breaks = Vec::new();
        rules.find_breaks(text, &mut breaks);
        assert_eq!(breaks, [text.find(". نعم").unwrap() + 1]);
    }

    /// An SRX document with `rules` (break, beforebreak, afterbreak) for
    /// every language.
    fn srx_of(rules: &[(&str, &str, &str)]) -> String {
        let body: String = rules
            .iter()
            .map(|(breaks, before, after)| {
                format!("<rule break=\"{breaks}\"><beforebreak>{before}</beforebreak><afterbreak>{after}</afterbreak></rule>")
            })
            .collect();
        format!(
            "<srx version=\"2.0\"><header cascade=\"no\"/><body><languagerules><languagerule languagerulename=\"x\">{body}</languagerule></languagerules><maprules><languagemap languagepattern=\".*\" languagerulename=\"x\"/></maprules></body></srx>"
        )
    }

    #[test]
    fn an_afterbreak_that_scans_to_the_paragraph_end_reads_a_window_per_candidate() {
        let rules = rules_for(&srx_of(&[("yes", "\\.", "[^\\n]*QQQ")]), "en");
        let paragraph = format!("{}QQQ", "قال إنه مستعد. ".repeat(20_000));
        let mut breaks = Vec::new();
        let work = rules.find_breaks_measured(&paragraph, &mut breaks);
        // 20,000 candidates of 1 KB each, not 20,000 scans of what remains
        // of 560 KB: the work no longer grows with the paragraph.
        assert_eq!(work.after_evaluations, 20_000);
        assert!(work.after_window_bytes <= 20_000 * AFTERBREAK_LOOKAHEAD, "{work:?}");
        // Only the full stops within the window of `QQQ` break.
        assert!(!breaks.is_empty() && breaks.len() < 60, "{} breaks", breaks.len());
        assert!(paragraph.len() - breaks[0] <= AFTERBREAK_LOOKAHEAD);
    }

    #[test]
    fn the_end_of_the_window_is_not_the_end_of_the_paragraph() {
        let rules = rules_for(&srx_of(&[("yes", "\\.", "[^.]*$")]), "en");
        let mut breaks = Vec::new();
        let near = "He said so. And then he left";
        rules.find_breaks(near, &mut breaks);
        assert_eq!(breaks, [near.find(". ").unwrap() + 1]);
        breaks.clear();
        let far = format!("He said so. {}", "and then he left ".repeat(100));
        rules.find_breaks(&far, &mut breaks);
        assert!(breaks.is_empty(), "`$` matched at the end of the window");
    }

    #[test]
    fn two_hundred_rules_matching_every_character_hold_a_few_matches_at_once() {
        let copies: Vec<(&str, &str, &str)> =
            [("no", ".", "Q"), ("yes", ".", ".")].iter().copied().cycle().take(200).collect();
        let rules = rules_for(&srx_of(&copies), "en");
        let paragraph = "قال إنه مستعد. He said so. ".repeat(2_000);
        let mut breaks = Vec::new();
        let work = rules.find_breaks_measured(&paragraph, &mut breaks);
        let candidates = paragraph.chars().count() - 1;
        assert_eq!(breaks.len(), candidates, "every character is a segment");
        // One beforebreak pattern pending, two distinct afterbreaks tried
        // per candidate: not 200 of each per character.
        assert_eq!(work.most_pending, 1);
        assert_eq!(work.after_evaluations, 2 * candidates);
    }

    #[test]
    fn regex_errors_name_the_rule_and_line() {
        let xml = "<srx version=\"2.0\"><body><languagerules>\n<languagerule languagerulename=\"x\">\n<rule>\n<beforebreak>(?&lt;=\\s)x</beforebreak>\n<afterbreak>[a-</afterbreak></rule>\n</languagerule></languagerules>\n<maprules><languagemap languagepattern=\"ar\" languagerulename=\"x\"/></maprules></body></srx>";
        let document = srx::parse(xml, "t.srx").unwrap();
        let error = compile(&document, "ar", "t.srx").unwrap_err();
        assert_eq!(
            error.to_string(),
            "t.srx:4: rule 1 of languagerule \"x\" (beforebreak): lookbehind `(?<=…)` is not supported"
        );
        // Rules no map selects for the language are not compiled.
        assert!(compile(&document, "en", "t.srx").is_ok());
        let fixed = xml.replace("(?&lt;=\\s)x", "x");
        let error = compile(&srx::parse(&fixed, "t.srx").unwrap(), "ar", "t.srx").unwrap_err();
        assert!(
            error.to_string().starts_with(
                "t.srx:5: rule 1 of languagerule \"x\" (afterbreak): cannot compile pattern `[a-`: "
            ),
            "{error}"
        );
        assert!(!error.to_string().contains('\n'), "{error}");
    }
}
