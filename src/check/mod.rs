//! Quality checks of a translation: terminology, numbers, untranslated
//! text, quotes.
//!
//! Owns: the table of checks (ids and severities are a contract),
//! [`Finding`], running the checks over aligned beads or memory units, and
//! the accept list that silences findings an editor has accepted.
