//! The accept list: findings an editor has accepted (a quoted forbidden
//! form, a deliberate variant), silent on later runs.
//!
//! A plain tab-separated file in the project (`accepted-findings.tsv`):
//! `check ⇥ term ⇥ surface ⇥ context ⇥ note`, `#` lines are comments.
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
        })
    }

    fn line(&self) -> String {
        [
            self.check.id().to_string(),
            clean(&self.term),
            clean(&self.surface),
            self.context.clone().unwrap_or_else(|| "*".to_string()),
            clean(&self.note),
        ]
        .join("\t")
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
    #[error("{file}:{line}: {message}")]
    Malformed { file: String, line: usize, message: String },
}

/// The accepted findings of a project.
#[derive(Debug, Clone, Default)]
pub struct AcceptList {
    pub acceptances: Vec<Acceptance>,
}

const HEADER: &str =
    "# dragoman accepted findings: check\tterm\tsurface\tcontext (sentence hash or * for everywhere)\tnote";

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
            acceptance.note = fields.get(4..).map(|rest| rest.join(" ")).unwrap_or_default();
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
        let same = |a: &Acceptance| {
            a.check == acceptance.check
                && key_of(&a.term) == key_of(&acceptance.term)
                && key_of(&a.surface) == key_of(&acceptance.surface)
                && a.context == acceptance.context
        };
        if self.acceptances.iter().any(same) {
            return false;
        }
        self.acceptances.push(acceptance);
        true
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
}
