//! `glossary lint`: problems in glossary files that loading tolerates or
//! stops at — malformed lines, duplicate sources, conflicting renderings, a
//! forbidden form that another entry accepts, a short form that is listed as
//! a long one too or is no shorter than the names it abbreviates.

use std::collections::{HashMap, HashSet};
use std::path::PathBuf;

use super::recognize::english_key;
use super::{Entry, GlossaryError, native};
use crate::normalize::match_key;
use crate::textio;

/// What kind of problem a lint finding is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum LintKind {
    Malformed,
    Empty,
    DuplicateSource,
    ConflictingRendering,
    ForbiddenAlsoAccepted,
    NotArabic,
    ShortForm,
}

impl LintKind {
    pub fn name(self) -> &'static str {
        match self {
            LintKind::Malformed => "malformed",
            LintKind::Empty => "empty",
            LintKind::DuplicateSource => "duplicate-source",
            LintKind::ConflictingRendering => "conflicting-rendering",
            LintKind::ForbiddenAlsoAccepted => "forbidden-also-accepted",
            LintKind::NotArabic => "not-arabic",
            LintKind::ShortForm => "short-form",
        }
    }
}

/// How bad a lint problem is: errors make `glossary lint` exit 1.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize)]
#[serde(rename_all = "lowercase")]
pub enum LintSeverity {
    Error,
    /// Legitimate in a house glossary, but worth a look: a form forbidden for
    /// one name and approved for another (Darayya is the town داريا, and a
    /// wrong rendering of the Raqqa neighbourhood الدرعية). The check reports
    /// it only where the forbidding entry's term is in the source.
    Warning,
}

impl LintSeverity {
    pub fn name(self) -> &'static str {
        match self {
            LintSeverity::Error => "error",
            LintSeverity::Warning => "warning",
        }
    }
}

/// One problem, located at `FILE:LINE` (or `FILE` for a whole file).
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct LintProblem {
    pub location: String,
    pub kind: LintKind,
    pub severity: LintSeverity,
    pub message: String,
}

/// Lints glossary files: each file's malformed lines, then the problems of
/// all their entries together. Only unreadable files are errors.
pub fn lint_files(paths: &[PathBuf]) -> Result<Vec<LintProblem>, GlossaryError> {
    let mut problems = Vec::new();
    let mut entries = Vec::new();
    for path in paths {
        let input = textio::read_text(path)?;
        let parsed = native::parse_all(&input.text, &input.name);
        for problem in parsed.problems {
            problems.push(LintProblem {
                location: format!("{}:{}", input.name, problem.line),
                kind: LintKind::Malformed,
                severity: LintSeverity::Error,
                message: problem.message,
            });
        }
        if parsed.entries.is_empty() {
            problems.push(LintProblem {
                location: input.name.clone(),
                kind: LintKind::Empty,
                severity: LintSeverity::Error,
                message: "the glossary has no entries".to_string(),
            });
        }
        entries.extend(parsed.entries);
    }
    problems.extend(lint_entries(&entries));
    Ok(problems)
}

/// Problems among entries: the same Arabic spelling in two entries (a
/// duplicate when they agree, a conflict when their renderings differ), a
/// forbidden English form that some entry approves or accepts, a source with
/// no Arabic letters.
pub fn lint_entries(entries: &[Entry]) -> Vec<LintProblem> {
    let mut problems = Vec::new();
    let mut by_source: HashMap<String, usize> = HashMap::new();
    for (index, entry) in entries.iter().enumerate() {
        if !entry.source.chars().any(crate::lang::is_arabic_letter) {
            problems.push(LintProblem {
                location: entry.location(),
                kind: LintKind::NotArabic,
                severity: LintSeverity::Error,
                message: format!(
                    "the source `{}` has no Arabic letters (are the columns swapped?)",
                    entry.source
                ),
            });
        }
        short_form_problems(entry, &mut problems);
        // A set: an entry may list 100,000 variants.
        let mut seen_here = HashSet::new();
        for form in entry.arabic_forms() {
            let key = match_key(form);
            if key.is_empty() || !seen_here.insert(key.clone()) {
                continue;
            }
            match by_source.get(&key) {
                Some(&first) => {
                    let other = &entries[first];
                    let same = english_key(&other.target) == english_key(&entry.target);
                    problems.push(LintProblem {
                        location: entry.location(),
                        kind: if same { LintKind::DuplicateSource } else { LintKind::ConflictingRendering },
                        severity: LintSeverity::Error,
                        message: if same {
                            format!("`{form}` is already an entry at {} (same rendering)", other.location())
                        } else {
                            format!(
                                "`{form}` is rendered `{}` here but `{}` at {}",
                                entry.target,
                                other.target,
                                other.location()
                            )
                        },
                    });
                }
                None => {
                    by_source.insert(key, index);
                }
            }
        }
    }

    let mut good: HashMap<String, Vec<usize>> = HashMap::new();
    for (index, entry) in entries.iter().enumerate() {
        for form in entry.good_renderings() {
            let owners = good.entry(english_key(form)).or_default();
            if owners.last() != Some(&index) {
                owners.push(index);
            }
        }
    }
    for (index, entry) in entries.iter().enumerate() {
        let mut seen_here = HashSet::new();
        for form in &entry.forbidden {
            let key = english_key(form);
            if !seen_here.insert(key.clone()) {
                continue;
            }
            // Within one entry it is a contradiction; across two names it is
            // usually a deliberate "not to be confused with". One problem per
            // forbidding entry and form, naming the first other owner and
            // counting the rest: N entries forbidding what N others accept
            // would otherwise be N×N lines.
            let owners = good.get(&key).map(Vec::as_slice).unwrap_or_default();
            if owners.contains(&index) {
                problems.push(LintProblem {
                    location: entry.location(),
                    kind: LintKind::ForbiddenAlsoAccepted,
                    severity: LintSeverity::Error,
                    message: format!("`{form}` is both forbidden and accepted for `{}`", entry.source),
                });
            }
            let mut others = owners.iter().filter(|&&owner| owner != index);
            let Some(&first) = others.next() else { continue };
            let more = others.count();
            let other = &entries[first];
            let and_more = match more {
                0 => String::new(),
                1 => " and 1 more entry".to_string(),
                n => format!(" and {n} more entries"),
            };
            problems.push(LintProblem {
                location: entry.location(),
                kind: LintKind::ForbiddenAlsoAccepted,
                severity: LintSeverity::Warning,
                message: format!(
                    "`{form}` is forbidden for `{}` but accepted for `{}` at {}{and_more}; \
                     check reports it only where `{}` is in the source",
                    entry.source,
                    other.source,
                    other.location(),
                    entry.source
                ),
            });
        }
    }
    problems
}

/// The `short` column: each form no longer than the entry's longest approved
/// or accepted rendering (it abbreviates one of them, or names the term as
/// news style does after it: `President Assad`), and not listed among
/// them too (a form is short or long, and the order check needs to know).
fn short_form_problems(entry: &Entry, problems: &mut Vec<LintProblem>) {
    if entry.short.is_empty() {
        return;
    }
    let long: HashSet<String> =
        std::iter::once(&entry.target).chain(&entry.accepted).map(|form| english_key(form)).collect();
    let longest = long.iter().map(|key| key.chars().count()).max().unwrap_or(0);
    let mut seen = HashSet::new();
    for form in &entry.short {
        let key = english_key(form);
        if !seen.insert(key.clone()) {
            continue;
        }
        let message = if long.contains(&key) {
            format!(
                "`{form}` is listed as a short form of `{}` and as its approved or accepted rendering: \
                 keep it in one column (column 10 is for forms used after the long one)",
                entry.source
            )
        } else if key.chars().count() > longest {
            format!(
                "`{form}` is listed as a short form of `{}` but is longer than `{}`",
                entry.source, entry.target
            )
        } else {
            continue;
        };
        problems.push(LintProblem {
            location: entry.location(),
            kind: LintKind::ShortForm,
            severity: LintSeverity::Error,
            message,
        });
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::glossary::native::parse_all;

    #[test]
    fn short_forms_are_shorter_and_in_one_column() {
        let text = "الأمم المتحدة\tUnited Nations\t\t\tUN\t\torganization\t\t\tUN|U.N.\n\
                    بشار الأسد\tBashar al-Assad\t\t\t\t\tperson\t\t\tAssad|President Bashar al-Assad\n\
                    الولايات المتحدة\tUnited States\t\t\tAmerica\t\tplace\t\t\tUS|U.S.\n";
        let problems = lint_entries(&parse_all(text, "g.txt").entries);
        let found: Vec<(&str, LintKind)> = problems.iter().map(|p| (p.location.as_str(), p.kind)).collect();
        assert_eq!(found, [("g.txt:1", LintKind::ShortForm), ("g.txt:2", LintKind::ShortForm)]);
        assert!(problems[0].message.contains("`UN` is listed as a short form"), "{}", problems[0].message);
        assert!(problems[1].message.contains("is longer than `Bashar al-Assad`"), "{}", problems[1].message);
    }

    #[test]
    fn finds_duplicates_conflicts_and_forbidden_accepted() {
        let text = "الرقة\tRaqqa\nالرقه\tRaqqa\nسورية\tSyria\t\tسوريا\nسوريا\tSyrie\nداعش\tISIS\t\t\t\tIslamic State\nالدولة الإسلامية\tIslamic State\nRaqqa\tالرقة\n";
        let entries = parse_all(text, "g.txt").entries;
        let problems = lint_entries(&entries);
        let kinds: Vec<(String, LintKind)> = problems.iter().map(|p| (p.location.clone(), p.kind)).collect();
        assert_eq!(
            kinds,
            [
                ("g.txt:2".to_string(), LintKind::DuplicateSource),
                ("g.txt:4".to_string(), LintKind::ConflictingRendering),
                ("g.txt:7".to_string(), LintKind::NotArabic),
                ("g.txt:5".to_string(), LintKind::ForbiddenAlsoAccepted),
            ]
        );
        assert!(
            problems[1].message.contains("`Syrie` here but `Syria` at g.txt:3"),
            "{}",
            problems[1].message
        );
    }

    #[test]
    fn many_entries_forbidding_what_many_accept_give_one_warning_each() {
        // N entries approve `Darayya`, N others forbid it: N warnings with a
        // count, not N×N.
        let n = 300;
        let mut text = String::new();
        for i in 0..n {
            text.push_str(&format!("داريا{i}\tDarayya\n"));
        }
        for i in 0..n {
            text.push_str(&format!("الدرعية{i}\tal-Diriyah\t\t\t\tDarayya\n"));
        }
        let problems = lint_entries(&parse_all(&text, "g.txt").entries);
        let warnings: Vec<&LintProblem> =
            problems.iter().filter(|p| p.kind == LintKind::ForbiddenAlsoAccepted).collect();
        assert_eq!(warnings.len(), n);
        assert!(
            warnings[0].message.contains("accepted for `داريا0` at g.txt:1 and 299 more entries"),
            "{}",
            warnings[0].message
        );
    }
}
