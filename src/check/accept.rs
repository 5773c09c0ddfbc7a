//! The accept list: findings an editor has accepted (a quoted forbidden
//! form, a deliberate variant), silent on later runs.
//!
//! A plain tab-separated file in the project (`accepted-findings.tsv`):
//! `check ⇥ term ⇥ surface ⇥ context ⇥ note ⇥ accepted`, `#` lines are
//! comments. `accepted` (when it was accepted, `2026-12-03T16:20:00Z`, UTC)
//! is optional: lists written before it was recorded have five fields, and
//! a last field that is not such a date belongs to the note.
//! `context` is a hash of the match key of the sentence the finding is in
//! (so the acceptance holds for that sentence as long as it is not edited,
//! and survives edits that only change normalization: spacing, Arabic letter
//! variants, quotes) or `*` (everywhere). Terms and surfaces are compared
//! through the match key, so re-runs, re-segmentation and re-alignment do
//! not lose an acceptance.
//!
//! A finding's `id` carries the same fields, `|`-separated:
//! `term-forbidden|داعش|Daesh|9f3a01b2c4d5e6f7`; `dragoman accept ID` adds it.

use super::{CheckId, Finding, key_of, known_ids, stable_hash};

/// The context of a finding id: the hash of the match key of the sentence
/// the finding is in. Made only from the sentence, so every check hashes
/// the same way.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct SentenceHash {
    pub(super) hash: u64,
    /// The context an earlier version wrote for the same finding, still
    /// honoured.
    pub(super) legacy: Option<u64>,
}

impl SentenceHash {
    pub fn of(sentence: &str) -> SentenceHash {
        SentenceHash { hash: stable_hash(&[&key_of(sentence)]), legacy: None }
    }

    /// [`SentenceHash::of`], also remembering the context `term-inconsistent`
    /// gave its ids before it hashed the match key: the hash of the hex hash
    /// of the raw sentence (so an edit of spacing alone changed it). Ids
    /// with that context are in users' accept lists and keep silencing the
    /// finding while the sentence is unchanged.
    pub fn with_legacy_raw_hash(sentence: &str) -> SentenceHash {
        let raw = format!("{:016x}", stable_hash(&[sentence]));
        SentenceHash { legacy: Some(stable_hash(&[&key_of(&raw)])), ..SentenceHash::of(sentence) }
    }
}

/// The key `dragoman accept` takes for a finding in `sentence`.
pub fn finding_id(check: CheckId, term: Option<&str>, surface: &str, sentence: &str) -> String {
    id_of(check, term, surface, SentenceHash::of(sentence).hash)
}

/// A finding id with the context `context`.
pub(super) fn id_of(check: CheckId, term: Option<&str>, surface: &str, context: u64) -> String {
    format!("{}|{}|{}|{context:016x}", check.id(), clean(term.unwrap_or("")), clean(surface))
}

/// Fields of ids and accept lines hold no separators.
fn clean(field: &str) -> String {
    field.replace(['|', '\t', '\n', '\r'], " ")
}

/// One accepted finding.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Acceptance {
    pub check: CheckId,
    pub term: String,
    pub surface: String,
    /// A sentence hash, or `None` for everywhere (`*`).
    pub context: Option<String>,
    pub note: String,
    /// When it was accepted (`2026-12-03T16:20:00Z`, UTC), if recorded.
    pub accepted: Option<String>,
}

impl Acceptance {
    /// Parses a finding id (as printed by `check`).
    pub fn from_id(id: &str) -> Result<Acceptance, AcceptError> {
        let parts: Vec<&str> = id.trim().split('|').collect();
        let [check, term, surface, context] = parts[..] else {
            return Err(AcceptError::BadId(id.to_string()));
        };
        let check = CheckId::from_id(check).ok_or_else(|| AcceptError::UnknownCheck {
            check: check.to_string(),
            id: id.to_string(),
            known: known_ids(),
        })?;
        let context = match context {
            "*" => None,
            c if c.len() == 16 && c.bytes().all(|b| b.is_ascii_hexdigit()) => Some(c.to_string()),
            _ => return Err(AcceptError::BadId(id.to_string())),
        };
        Ok(Acceptance {
            check,
            term: term.to_string(),
            surface: surface.to_string(),
            context,
            note: String::new(),
            accepted: None,
        })
    }

    /// The id of this acceptance, as `accept --remove` takes it (`*` for
    /// everywhere).
    pub fn id(&self) -> String {
        format!(
            "{}|{}|{}|{}",
            self.check.id(),
            clean(&self.term),
            clean(&self.surface),
            self.context.as_deref().unwrap_or("*")
        )
    }

    /// The same finding (check, term and surface through the match key, and
    /// context); notes and dates aside.
    fn same_as(&self, other: &Acceptance) -> bool {
        self.check == other.check
            && key_of(&self.term) == key_of(&other.term)
            && key_of(&self.surface) == key_of(&other.surface)
            && self.context == other.context
    }

    fn line(&self) -> String {
        let mut fields = vec![
            self.check.id().to_string(),
            clean(&self.term),
            clean(&self.surface),
            self.context.clone().unwrap_or_else(|| "*".to_string()),
            clean(&self.note),
        ];
        if let Some(accepted) = &self.accepted {
            fields.push(clean(accepted));
        }
        fields.join("\t")
    }

    /// Whether this acceptance silences `finding`, by its id or the id an
    /// earlier version gave it.
    fn matches(&self, finding: &Finding) -> bool {
        finding.accept_ids().any(|id| {
            let Ok(other) = Acceptance::from_id(id) else { return false };
            self.check == other.check
                && key_of(&self.term) == key_of(&other.term)
                && key_of(&self.surface) == key_of(&other.surface)
                && (self.context.is_none() || self.context == other.context)
        })
    }
}

/// Why an accept list or id could not be used.
#[derive(Debug, thiserror::Error)]
pub enum AcceptError {
    #[error("`{0}` is not a finding id (expected CHECK|TERM|SURFACE|CONTEXT as printed by `dragoman check`)")]
    BadId(String),
    #[error("`{id}` names no check: `{check}` is not one of {known}")]
    UnknownCheck { check: String, id: String, known: String },
    #[error("`{id}` is not in the accept list{hint}; `dragoman accept --list` shows it")]
    NotAccepted { id: String, hint: String },
    #[error("{file}:{line}: {message}")]
    Malformed { file: String, line: usize, message: String },
}

/// `2026-12-03T16:20:00Z`: the form `accepted` dates are written in.
fn is_date(field: &str) -> bool {
    let b = field.as_bytes();
    b.len() == 20
        && b.iter().enumerate().all(|(i, c)| match i {
            4 | 7 => *c == b'-',
            10 => *c == b'T',
            13 | 16 => *c == b':',
            19 => *c == b'Z',
            _ => c.is_ascii_digit(),
        })
}

/// `time` as an `accepted` date (`2026-12-03T16:20:00Z`, UTC).
pub fn accepted_date(time: std::time::SystemTime) -> String {
    let tmx = crate::tmx::format_date(time); // 20261203T162000Z
    format!("{}-{}-{}T{}:{}:{}Z", &tmx[..4], &tmx[4..6], &tmx[6..8], &tmx[9..11], &tmx[11..13], &tmx[13..15])
}

/// The accepted findings of a project.
#[derive(Debug, Clone, Default)]
pub struct AcceptList {
    pub acceptances: Vec<Acceptance>,
}

const HEADER: &str = "# dragoman accepted findings: check\tterm\tsurface\tcontext (sentence hash or * for everywhere)\tnote\taccepted (UTC)";

impl AcceptList {
    /// Parses the file's text (`name` for messages).
    pub fn parse(text: &str, name: &str) -> Result<AcceptList, AcceptError> {
        let mut list = AcceptList::default();
        for (index, raw) in text.lines().enumerate() {
            let line = raw.trim_end_matches('\r');
            if line.trim().is_empty() || line.trim_start().starts_with('#') {
                continue;
            }
            let malformed =
                |message: String| AcceptError::Malformed { file: name.to_string(), line: index + 1, message };
            let fields: Vec<&str> = line.split('\t').collect();
            if fields.len() < 4 {
                return Err(malformed(format!(
                    "expected 4 or 5 tab-separated fields (check, term, surface, context, note), found {}",
                    fields.len()
                )));
            }
            let id = fields[..4].join("|");
            let mut acceptance = Acceptance::from_id(&id).map_err(|e| malformed(e.to_string()))?;
            let mut rest = &fields[4..];
            if let [before @ .., last] = rest
                && !before.is_empty()
                && is_date(last)
            {
                acceptance.accepted = Some(last.to_string());
                rest = before;
            }
            acceptance.note = rest.join(" ");
            list.acceptances.push(acceptance);
        }
        Ok(list)
    }

    /// The file's text, with a header.
    pub fn to_text(&self) -> String {
        let mut out = format!("{HEADER}\n");
        for acceptance in &self.acceptances {
            out.push_str(&acceptance.line());
            out.push('\n');
        }
        out
    }

    /// Adds an acceptance unless an equal one is there; returns whether it
    /// was added.
    pub fn add(&mut self, acceptance: Acceptance) -> bool {
        if self.acceptances.iter().any(|a| a.same_as(&acceptance)) {
            return false;
        }
        self.acceptances.push(acceptance);
        true
    }

    /// Removes the acceptance each id names (as `accept --list` or `check`
    /// print it, compared through the match key), all or none: an id that
    /// is not in the list is an error and nothing is removed. Returns the
    /// removed acceptances.
    pub fn remove(&mut self, ids: &[String]) -> Result<Vec<Acceptance>, AcceptError> {
        let mut keep = vec![true; self.acceptances.len()];
        for id in ids {
            let wanted = Acceptance::from_id(id)?;
            let Some(at) = self.acceptances.iter().position(|a| a.same_as(&wanted)) else {
                // The editor often has the finding's id from `check` while
                // the list holds the same finding accepted everywhere.
                let everywhere = Acceptance { context: None, ..wanted.clone() };
                let hint = self
                    .acceptances
                    .iter()
                    .find(|a| wanted.context.is_some() && a.same_as(&everywhere))
                    .map(|a| format!(" (it is accepted everywhere as `{}`)", a.id()))
                    .unwrap_or_default();
                return Err(AcceptError::NotAccepted { id: id.trim().to_string(), hint });
            };
            keep[at] = false;
        }
        let mut removed = Vec::new();
        let mut flags = keep.into_iter();
        self.acceptances.retain(|a| {
            let kept = flags.next().unwrap_or(true);
            if !kept {
                removed.push(a.clone());
            }
            kept
        });
        Ok(removed)
    }

    pub fn accepts(&self, finding: &Finding) -> bool {
        self.acceptances.iter().any(|a| a.matches(finding))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ids_round_trip_and_match_across_spelling() {
        let id = finding_id(CheckId::TermForbidden, Some("داعش"), "Daesh", "the Daesh convoy");
        let acceptance = Acceptance::from_id(&id).unwrap();
        assert_eq!(acceptance.check, CheckId::TermForbidden);
        assert_eq!(acceptance.surface, "Daesh");
        let mut list = AcceptList::default();
        assert!(list.add(acceptance.clone()));
        assert!(!list.add(acceptance));
        let text = list.to_text();
        let reread = AcceptList::parse(&text, "a.tsv").unwrap();
        assert_eq!(reread.acceptances, list.acceptances);
        // Same sentence, written with other quotes/spaces: same context.
        let again = finding_id(CheckId::TermForbidden, Some("داعش"), "DAESH", "the  Daesh convoy");
        assert_eq!(again.rsplit('|').next(), id.rsplit('|').next());
        assert!(Acceptance::from_id("term-missing|x").is_err());
        assert!(
            AcceptList::parse("term-missing\tx\n", "a.tsv").unwrap_err().to_string().starts_with("a.tsv:1:")
        );
    }

    #[test]
    fn dates_are_read_when_recorded_and_notes_stay_notes() {
        let old = "term-forbidden\tداعش\tDaesh\t*\tquoted\tin a statement\n";
        let list = AcceptList::parse(old, "a.tsv").unwrap();
        assert_eq!(list.acceptances[0].note, "quoted in a statement");
        assert_eq!(list.acceptances[0].accepted, None);
        let dated = "term-forbidden\tداعش\tDaesh\t*\t\t2026-12-03T16:20:00Z\n";
        let list = AcceptList::parse(dated, "a.tsv").unwrap();
        assert_eq!(list.acceptances[0].accepted.as_deref(), Some("2026-12-03T16:20:00Z"));
        assert_eq!(list.acceptances[0].note, "");
        assert_eq!(AcceptList::parse(&list.to_text(), "a.tsv").unwrap().acceptances, list.acceptances);
        let epoch = std::time::UNIX_EPOCH + std::time::Duration::from_secs(1_497_016_007);
        assert_eq!(accepted_date(epoch), "2017-06-09T13:46:47Z");
    }

    #[test]
    fn removing_is_all_or_nothing_and_hints_at_an_everywhere_acceptance() {
        let here = finding_id(CheckId::TermForbidden, Some("داعش"), "Daesh", "the Daesh convoy");
        let mut list = AcceptList::default();
        list.add(Acceptance::from_id(&here).unwrap());
        list.add(Acceptance::from_id("term-forbidden|الرقة|Raqqah|*").unwrap());
        let before = list.acceptances.clone();
        let elsewhere = finding_id(CheckId::TermForbidden, Some("الرقة"), "Raqqah", "in Raqqah");
        let error = list.remove(&[here.clone(), elsewhere]).unwrap_err().to_string();
        assert!(error.contains("accepted everywhere as `term-forbidden|الرقة|Raqqah|*`"), "{error}");
        assert_eq!(list.acceptances, before);
        // Through the match key, as acceptances match findings.
        let removed = list.remove(&[here.replace("Daesh", "DAESH")]).unwrap();
        assert_eq!(removed, before[..1]);
        assert_eq!(list.acceptances, before[1..]);
        assert_eq!(list.acceptances[0].id(), "term-forbidden|الرقة|Raqqah|*");
    }
}
