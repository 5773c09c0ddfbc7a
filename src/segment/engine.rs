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

use std::sync::Mutex;

use regex_automata::hybrid::dfa::{Cache, DFA, OverlappingState};
use regex_automata::{Anchored, Input, MatchKind, meta};

use super::java_regex;
use super::srx::{SrxDocument, SrxError, SrxRule};

/// How far back the fallback looks for a `beforebreak` match. Rules look at
/// a word or two; this only bounds the cost of pathological patterns.
const FALLBACK_LOOKBEHIND: usize = 1024;

/// The rules of one language, in SRX order, ready to run.
pub struct LanguageRules {
    rules: Vec<CompiledRule>,
    scanner: Option<BeforeScanner>,
}

struct CompiledRule {
    breaks: bool,
    /// `(?:beforebreak)\z`, used by the fallback; `None` when empty.
    before_at_end: Option<meta::Regex>,
    /// `afterbreak`, run anchored at the position; `None` when empty.
    after: Option<meta::Regex>,
}

/// A lazy DFA over every rule's `beforebreak` (pattern id = rule index),
/// with a pool of caches so that a shared segmenter needs no `&mut`.
struct BeforeScanner {
    dfa: DFA,
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
    let mut befores = Vec::with_capacity(selected.len());
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
        let (after, _) = compile_side(&rule.after.java, rule.after.line, "afterbreak", false)?;
        rules.push(CompiledRule { breaks: rule.breaks, before_at_end, after });
        befores.push(before);
    }

    let scanner = if rules.iter().any(|r| r.breaks) {
        DFA::builder()
            .configure(DFA::config().match_kind(MatchKind::All))
            .build_many(&befores)
            .ok()
            .map(|dfa| BeforeScanner { dfa, caches: Mutex::new(Vec::new()) })
    } else {
        None
    };
    Ok(LanguageRules { rules, scanner })
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
        if paragraph.is_empty() || !self.rules.iter().any(|r| r.breaks) {
            return;
        }
        let already = breaks.len();
        if let Some(scanner) = &self.scanner {
            if self.scan_with_dfa(scanner, paragraph, breaks).is_ok() {
                return;
            }
            breaks.truncate(already);
        }
        self.scan_every_position(paragraph, breaks);
    }

    fn scan_with_dfa(
        &self,
        scanner: &BeforeScanner,
        paragraph: &str,
        breaks: &mut Vec<usize>,
    ) -> Result<(), regex_automata::MatchError> {
        let mut cache = scanner.take_cache();
        let input = Input::new(paragraph);
        let mut state = OverlappingState::start();
        // (position, rule) for every beforebreak match end.
        let mut ends: Vec<(usize, usize)> = Vec::new();
        let result = loop {
            if let Err(e) = scanner.dfa.try_search_overlapping_fwd(&mut cache, &input, &mut state) {
                break Err(e);
            }
            match state.get_match() {
                Some(end) => ends.push((end.offset(), end.pattern().as_usize())),
                None => break Ok(()),
            }
        };
        scanner.return_cache(cache);
        result?;
        ends.sort_unstable();
        ends.dedup();
        for group in ends.chunk_by(|a, b| a.0 == b.0) {
            let at = group[0].0;
            if at == 0 || at >= paragraph.len() || !paragraph.is_char_boundary(at) {
                continue;
            }
            if !group.iter().any(|&(_, rule)| self.rules[rule].breaks) {
                continue;
            }
            // Rules are tried in order; `group` is sorted by rule index.
            if let Some(&(_, rule)) =
                group.iter().find(|&&(_, rule)| self.rules[rule].after_matches(paragraph, at))
                && self.rules[rule].breaks
            {
                breaks.push(at);
            }
        }
        Ok(())
    }

    /// The plain SRX definition: every position, every rule in order.
    fn scan_every_position(&self, paragraph: &str, breaks: &mut Vec<usize>) {
        for (at, _) in paragraph.char_indices().skip(1) {
            let decided = self
                .rules
                .iter()
                .find(|rule| rule.after_matches(paragraph, at) && rule.before_matches(paragraph, at));
            if decided.is_some_and(|rule| rule.breaks) {
                breaks.push(at);
            }
        }
    }
}

impl CompiledRule {
    fn after_matches(&self, paragraph: &str, at: usize) -> bool {
        self.after
            .as_ref()
            .is_none_or(|after| after.is_match(Input::new(paragraph).range(at..).anchored(Anchored::Yes)))
    }

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
