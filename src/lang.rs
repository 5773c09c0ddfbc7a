//! Languages dragoman knows and how a piece of text is assigned to one.
//!
//! Owns: the [`Lang`] enum, script-based detection, and language-tag matching
//! (BCP 47 / TMX `xml:lang`) with region fallback.

use std::fmt;

/// A language dragoman segments, aligns and checks.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, serde::Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Lang {
    Ar,
    En,
}

impl Lang {
    /// The BCP 47 primary subtag (`ar`, `en`).
    pub fn code(self) -> &'static str {
        match self {
            Lang::Ar => "ar",
            Lang::En => "en",
        }
    }

    /// Writing direction for HTML `dir`.
    pub fn dir(self) -> &'static str {
        match self {
            Lang::Ar => "rtl",
            Lang::En => "ltr",
        }
    }

    /// Parses a language tag, matching the primary subtag case-insensitively
    /// (`ar`, `AR-sy`, `ar-SA` are Arabic). Three-letter codes such as `ara`
    /// are *not* accepted: callers report them instead of guessing.
    pub fn from_tag(tag: &str) -> Option<Lang> {
        // Runs for every variant of every imported unit: bytes, no pattern
        // machinery.
        let primary = match tag.bytes().position(|b| b == b'-' || b == b'_') {
            Some(end) => &tag[..end],
            None => tag,
        };
        let primary = if primary.len() == 2 { primary } else { primary.trim() };
        match primary.as_bytes() {
            [a, r] if a.eq_ignore_ascii_case(&b'a') && r.eq_ignore_ascii_case(&b'r') => Some(Lang::Ar),
            [e, n] if e.eq_ignore_ascii_case(&b'e') && n.eq_ignore_ascii_case(&b'n') => Some(Lang::En),
            _ => None,
        }
    }

    /// Decides by script: Arabic when Arabic letters outnumber Latin ones.
    /// Text with neither (numbers, punctuation) is `fallback`.
    pub fn detect(text: &str, fallback: Lang) -> Lang {
        match ScriptCounts::of(text).pair() {
            (0, 0) => fallback,
            (a, l) if a >= l => Lang::Ar,
            _ => Lang::En,
        }
    }
}

/// How many Arabic and Latin letters a text has: what decides its language.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct ScriptCounts {
    pub arabic: usize,
    pub latin: usize,
}

impl ScriptCounts {
    pub fn of(text: &str) -> ScriptCounts {
        let mut counts = ScriptCounts::default();
        for c in text.chars() {
            if is_arabic_letter(c) {
                counts.arabic += 1;
            } else if c.is_alphabetic() && (c.is_ascii_alphabetic() || ('\u{00C0}'..='\u{024F}').contains(&c))
            {
                counts.latin += 1;
            }
        }
        counts
    }

    fn pair(self) -> (usize, usize) {
        (self.arabic, self.latin)
    }

    /// More Latin letters than Arabic ones.
    pub fn mostly_latin(self) -> bool {
        self.latin > self.arabic
    }

    /// More Arabic letters than Latin ones.
    pub fn mostly_arabic(self) -> bool {
        self.arabic > self.latin
    }
}

impl fmt::Display for Lang {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.code())
    }
}

impl std::str::FromStr for Lang {
    type Err = String;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        Lang::from_tag(s).ok_or_else(|| format!("unknown language `{s}` (expected `ar` or `en`)"))
    }
}

/// Letters of the Arabic script blocks (Arabic, Supplement, Extended-A,
/// Presentation Forms A and B), excluding digits and punctuation.
pub fn is_arabic_letter(c: char) -> bool {
    matches!(c,
        '\u{0620}'..='\u{064A}' | '\u{066E}'..='\u{06D3}' | '\u{06D5}' | '\u{06EE}'..='\u{06EF}'
        | '\u{06FA}'..='\u{06FF}' | '\u{0750}'..='\u{077F}' | '\u{08A0}'..='\u{08C9}'
        | '\u{FB50}'..='\u{FDFF}' | '\u{FE70}'..='\u{FEFF}')
        && c != '\u{0640}'
        && c != '\u{FEFF}'
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tags_match_case_insensitively_with_region() {
        assert_eq!(Lang::from_tag("ar-SA"), Some(Lang::Ar));
        assert_eq!(Lang::from_tag("AR-sy"), Some(Lang::Ar));
        assert_eq!(Lang::from_tag("en_GB"), Some(Lang::En));
        assert_eq!(Lang::from_tag("ara"), None);
        assert_eq!(Lang::from_tag(""), None);
        assert_eq!(Lang::from_tag(" ar "), Some(Lang::Ar));
        assert_eq!(Lang::from_tag("En"), Some(Lang::En));
        assert_eq!(Lang::from_tag("e"), None);
        assert_eq!(Lang::from_tag("-ar"), None);
    }

    #[test]
    fn detects_script_per_text() {
        assert_eq!(Lang::detect("الرقة تذبح بصمت", Lang::En), Lang::Ar);
        assert_eq!(Lang::detect("Founder of Raqqa is being slaughtered", Lang::Ar), Lang::En);
        assert_eq!(Lang::detect("12, 13.", Lang::Ar), Lang::Ar);
        assert_eq!(Lang::detect("قال إن ISIS", Lang::En), Lang::Ar);
    }
}
