//! Translation of the Java (`java.util.regex`) patterns that SRX files hold
//! into the syntax of the `regex` crate.
//!
//! SRX 2.0 specifies ICU/Java regular expressions, and CAT tools (OmegaT,
//! Okapi, Trados) write Java syntax. Most of it means the same in `regex`;
//! this module rewrites the constructs that are spelled or behave
//! differently and rejects the ones `regex` cannot express (look-around,
//! backreferences), so that a rule never silently means something else.
//!
//! What is translated:
//! - `\d \s \w` (and negations) keep their Java meaning: ASCII only, unless
//!   the pattern turns on `(?U)` (Java's `UNICODE_CHARACTER_CLASS`).
//! - `\h \v \R \e \a \cX \0nn`, `\Q…\E` quoting, escaped punctuation.
//! - `\p{IsLatin}`, `\p{javaLowerCase}`, POSIX classes (`\p{Punct}`), a few
//!   blocks (`\p{InArabic}`).
//! - Possessive quantifiers (`a*+`) and atomic groups (`(?>…)`) become their
//!   ordinary forms: the engine here never backtracks, so a pattern can only
//!   match *more* often, never less.
//! - Java-only inline flags (`d`, `u`, `U`) are dropped.

/// Rewrites one Java pattern; the error says which construct has no
/// equivalent.
pub fn translate(java: &str) -> Result<String, String> {
    Translator { chars: java.chars().collect(), at: 0, out: String::with_capacity(java.len() + 8) }
        .run(has_unicode_flag(java))
}

/// `(?iU)` and friends turn on Unicode classes for the rest of the pattern.
fn has_unicode_flag(java: &str) -> bool {
    java.match_indices("(?").any(|(i, _)| {
        java[i + 2..].chars().take_while(|c| c.is_ascii_alphabetic() || *c == '-').any(|c| c == 'U')
    })
}

struct Translator {
    chars: Vec<char>,
    at: usize,
    out: String,
}

/// A character class written as its members (no brackets), so that it can
/// go inside another class or be wrapped in `[…]` / `[^…]`.
struct ClassBody {
    members: &'static str,
    negated: bool,
}

impl Translator {
    fn run(mut self, unicode_classes: bool) -> Result<String, String> {
        let mut class_depth = 0usize;
        while let Some(c) = self.next() {
            match c {
                '\\' => self.escape(class_depth > 0, unicode_classes)?,
                '[' => {
                    class_depth += 1;
                    self.out.push('[');
                    // `[^]…]` / `[]…]`: a leading `]` is a literal in both syntaxes.
                    if self.peek() == Some('^') {
                        self.next();
                        self.out.push('^');
                    }
                }
                ']' if class_depth > 0 => {
                    class_depth -= 1;
                    self.out.push(']');
                }
                '(' if class_depth == 0 => self.group()?,
                '*' | '+' | '?' if class_depth == 0 => {
                    self.out.push(c);
                    self.possessive_or_lazy();
                }
                '{' if class_depth == 0 => self.counted_repetition(),
                _ => self.out.push(c),
            }
        }
        Ok(self.out)
    }

    fn next(&mut self) -> Option<char> {
        let c = self.chars.get(self.at).copied();
        self.at += 1;
        c
    }

    fn peek(&self) -> Option<char> {
        self.chars.get(self.at).copied()
    }

    fn peek_str(&self, s: &str) -> bool {
        s.chars().enumerate().all(|(i, c)| self.chars.get(self.at + i) == Some(&c))
    }

    /// After a quantifier: `+` makes it possessive in Java (dropped here),
    /// `?` makes it lazy in both.
    fn possessive_or_lazy(&mut self) {
        match self.peek() {
            Some('+') => {
                self.next();
            }
            Some('?') => {
                self.next();
                self.out.push('?');
            }
            _ => {}
        }
    }

    /// `{n}`, `{n,}`, `{n,m}` are repetitions; any other `{` is a literal
    /// in Java, which `regex` wants escaped.
    fn counted_repetition(&mut self) {
        let rest: String = self.chars[self.at..].iter().take_while(|c| **c != '}').collect();
        let closed = self.chars.get(self.at + rest.len()) == Some(&'}');
        let is_repetition = closed && {
            let mut parts = rest.splitn(2, ',');
            let low = parts.next().unwrap_or("");
            let high = parts.next();
            !low.is_empty()
                && low.chars().all(|c| c.is_ascii_digit())
                && high.is_none_or(|h| h.chars().all(|c| c.is_ascii_digit()))
        };
        if is_repetition {
            self.out.push('{');
            self.out.push_str(&rest);
            self.out.push('}');
            self.at += rest.len() + 1;
            self.possessive_or_lazy();
        } else {
            self.out.push_str("\\{");
        }
    }

    fn group(&mut self) -> Result<(), String> {
        if self.peek() != Some('?') {
            self.out.push('(');
            return Ok(());
        }
        for (java, name) in [("?=", "lookahead"), ("?!", "negative lookahead")] {
            if self.peek_str(java) {
                return Err(format!("{name} `({java}…)` is not supported"));
            }
        }
        for (java, name) in [("?<=", "lookbehind"), ("?<!", "negative lookbehind")] {
            if self.peek_str(java) {
                return Err(format!("{name} `({java}…)` is not supported"));
            }
        }
        if self.peek_str("?>") {
            // Atomic group: without backtracking it is an ordinary group.
            self.at += 2;
            self.out.push_str("(?:");
            return Ok(());
        }
        if self.peek_str("?<") || self.peek_str("?:") || self.peek_str("?P<") {
            self.out.push('(');
            return Ok(());
        }
        // Inline flags: `(?idmsuxU-idmsuxU)` or `(?flags:…)`.
        self.next();
        let mut flags = String::new();
        loop {
            match self.next() {
                Some(c @ ('i' | 'm' | 's' | 'x' | '-')) => flags.push(c),
                // Java-only: UNIX_LINES, UNICODE_CASE, UNICODE_CHARACTER_CLASS.
                Some('d' | 'u' | 'U') => {}
                Some(')') => {
                    let flags = flags.trim_end_matches('-');
                    if !flags.is_empty() {
                        self.out.push_str(&format!("(?{flags})"));
                    }
                    return Ok(());
                }
                Some(':') => {
                    let flags = flags.trim_end_matches('-');
                    self.out.push_str(&format!("(?{flags}:"));
                    return Ok(());
                }
                Some(other) => return Err(format!("unknown group or flag `(?{flags}{other}`")),
                None => return Err("unclosed group `(?`".to_string()),
            }
        }
    }

    fn escape(&mut self, in_class: bool, unicode_classes: bool) -> Result<(), String> {
        let Some(c) = self.next() else {
            return Err("pattern ends with a lone backslash".to_string());
        };
        match c {
            '1'..='9' => Err(format!("backreference `\\{c}` is not supported")),
            'k' if self.peek() == Some('<') => {
                Err("named backreference `\\k<…>` is not supported".to_string())
            }
            'G' | 'Z' | 'X' => Err(format!("`\\{c}` is not supported")),
            'Q' => {
                let mut literal = String::new();
                while self.at < self.chars.len() && !self.peek_str("\\E") {
                    literal.push(self.chars[self.at]);
                    self.at += 1;
                }
                self.at = (self.at + 2).min(self.chars.len());
                for ch in literal.chars() {
                    self.push_literal(ch);
                }
                Ok(())
            }
            'd' | 'D' | 's' | 'S' | 'w' | 'W' if unicode_classes => {
                self.out.push('\\');
                self.out.push(c);
                Ok(())
            }
            'd' | 'D' | 's' | 'S' | 'w' | 'W' | 'h' | 'H' | 'v' | 'V' => {
                let members = match c.to_ascii_lowercase() {
                    'd' => "0-9",
                    's' => "\\t\\n\\x0B\\x0C\\r\\x20",
                    'w' => "a-zA-Z_0-9",
                    'h' => "\\t\\x20\\xA0\\x{1680}\\x{180E}\\x{2000}-\\x{200A}\\x{202F}\\x{205F}\\x{3000}",
                    _ => "\\n\\x0B\\x0C\\r\\x{85}\\x{2028}\\x{2029}",
                };
                self.push_class(ClassBody { members, negated: c.is_ascii_uppercase() }, in_class);
                Ok(())
            }
            'R' if !in_class => {
                self.out.push_str("(?:\\r\\n|[\\n\\x0B\\x0C\\r\\x{85}\\x{2028}\\x{2029}])");
                Ok(())
            }
            'p' | 'P' => self.property(c == 'P', in_class),
            'e' => {
                self.out.push_str("\\x1B");
                Ok(())
            }
            'a' => {
                self.out.push_str("\\x07");
                Ok(())
            }
            'c' => match self.next() {
                Some(letter) if letter.is_ascii() => {
                    self.out.push_str(&format!("\\x{:02X}", (letter as u8) ^ 0x40));
                    Ok(())
                }
                _ => Err("`\\c` must be followed by an ASCII character".to_string()),
            },
            '0' => {
                let digits: String =
                    self.chars[self.at..].iter().take(3).take_while(|d| ('0'..='7').contains(*d)).collect();
                // Java reads up to three octal digits, the third only if the value stays ≤ 0377.
                let digits =
                    if digits.len() == 3 && digits.as_bytes()[0] > b'3' { &digits[..2] } else { &digits };
                if digits.is_empty() {
                    return Err("`\\0` must be followed by octal digits".to_string());
                }
                self.at += digits.len();
                let value = u32::from_str_radix(digits, 8).map_err(|e| e.to_string())?;
                self.out.push_str(&format!("\\x{{{value:X}}}"));
                Ok(())
            }
            // Escapes with the same meaning in both syntaxes.
            't' | 'n' | 'r' | 'f' | 'x' | 'u' | 'b' | 'B' | 'A' | 'z' => {
                self.out.push('\\');
                self.out.push(c);
                Ok(())
            }
            c if c.is_ascii_alphanumeric() => Err(format!("unknown escape `\\{c}`")),
            // Java lets any other character be escaped to stand for itself.
            c => {
                self.push_literal(c);
                Ok(())
            }
        }
    }

    fn push_literal(&mut self, c: char) {
        // `<` and `>` after a backslash are word-boundary assertions in `regex`.
        if c.is_ascii_punctuation()
            && !matches!(c, '<' | '>' | '"' | '\'' | '@' | '%' | '/' | ',' | '=' | '!')
        {
            self.out.push('\\');
        }
        self.out.push(c);
    }

    fn push_class(&mut self, class: ClassBody, in_class: bool) {
        match (in_class, class.negated) {
            (true, false) => self.out.push_str(class.members),
            (_, true) => {
                self.out.push_str("[^");
                self.out.push_str(class.members);
                self.out.push(']');
            }
            (false, false) => {
                self.out.push('[');
                self.out.push_str(class.members);
                self.out.push(']');
            }
        }
    }

    /// `\p{…}` / `\P{…}` / `\pL`.
    fn property(&mut self, negated: bool, in_class: bool) -> Result<(), String> {
        let name: String = match self.next() {
            Some('{') => {
                let name: String = self.chars[self.at..].iter().take_while(|c| **c != '}').collect();
                if self.chars.get(self.at + name.len()) != Some(&'}') {
                    return Err("unclosed `\\p{`".to_string());
                }
                self.at += name.len() + 1;
                name
            }
            Some(letter) if letter.is_ascii_alphabetic() => letter.to_string(),
            _ => return Err("`\\p` must be followed by a property name".to_string()),
        };
        if let Some(members) = class_for_property(&name) {
            self.push_class(ClassBody { members, negated }, in_class);
            return Ok(());
        }
        if let Some(block) =
            name.strip_prefix("In").filter(|b| b.chars().next().is_some_and(char::is_uppercase))
        {
            return Err(format!("Unicode block `\\p{{In{block}}}` is not supported"));
        }
        let rust_name = match name.as_str() {
            "javaLowerCase" => "Lowercase",
            "javaUpperCase" => "Uppercase",
            "javaAlphabetic" => "Alphabetic",
            "javaLetter" => "L",
            "javaDigit" => "Nd",
            "javaWhitespace" => "White_Space",
            "javaTitleCase" => "Lt",
            other => other.strip_prefix("Is").unwrap_or(other),
        };
        self.out.push_str(if negated { "\\P{" } else { "\\p{" });
        self.out.push_str(rust_name);
        self.out.push('}');
        Ok(())
    }
}

/// Java's POSIX classes (ASCII only) and the blocks that Arabic rule files use.
fn class_for_property(name: &str) -> Option<&'static str> {
    Some(match name {
        "Lower" => "a-z",
        "Upper" => "A-Z",
        "ASCII" => "\\x00-\\x7F",
        "Alpha" => "a-zA-Z",
        "Digit" => "0-9",
        "Alnum" => "a-zA-Z0-9",
        "Punct" => "!-/:-@\\[-`{-~",
        "Graph" => "!-~",
        "Print" => "\\x20-~",
        "Blank" => "\\x20\\t",
        "Cntrl" => "\\x00-\\x1F\\x7F",
        "XDigit" => "0-9a-fA-F",
        "Space" => "\\t\\n\\x0B\\x0C\\r\\x20",
        "InBasicLatin" => "\\x00-\\x7F",
        "InLatin1Supplement" => "\\x80-\\xFF",
        "InArabic" => "\\x{0600}-\\x{06FF}",
        "InArabicSupplement" => "\\x{0750}-\\x{077F}",
        "InArabicPresentationFormsA" | "InArabicPresentationForms-A" => "\\x{FB50}-\\x{FDFF}",
        "InArabicPresentationFormsB" | "InArabicPresentationForms-B" => "\\x{FE70}-\\x{FEFF}",
        "InGeneralPunctuation" => "\\x{2000}-\\x{206F}",
        _ => return None,
    })
}

#[cfg(test)]
mod tests {
    use super::translate;

    fn compiles_to(java: &str, rust: &str) {
        let got = translate(java).unwrap_or_else(|e| panic!("{java}: {e}"));
        assert_eq!(got, rust, "translating {java}");
        regex::Regex::new(&got).unwrap_or_else(|e| panic!("{got}: {e}"));
    }

    #[test]
    fn java_classes_keep_their_ascii_meaning() {
        compiles_to(r"\s", r"[\t\n\x0B\x0C\r\x20]");
        compiles_to(r"[\d.]", r"[0-9.]");
        compiles_to(r"\S+", r"[^\t\n\x0B\x0C\r\x20]+");
        compiles_to(r"[^\s\p{Lu}]", r"[^\t\n\x0B\x0C\r\x20\p{Lu}]");
        compiles_to(r"(?U)\s", r"\s");
        assert!(!regex::Regex::new(&translate(r"\d").unwrap()).unwrap().is_match("٣"));
        assert!(regex::Regex::new(&translate(r"\p{Nd}").unwrap()).unwrap().is_match("٣"));
    }

    #[test]
    fn java_only_syntax_is_rewritten() {
        compiles_to(r"\p{IsLatin}\p{javaLowerCase}", r"\p{Latin}\p{Lowercase}");
        compiles_to(r"\p{Punct}", r"[!-/:-@\[-`{-~]");
        compiles_to(r"[\p{InArabic}]", r"[\x{0600}-\x{06FF}]");
        compiles_to(r"a*+b++c?+d{2,3}+", r"a*b+c?d{2,3}");
        compiles_to(r"(?>ab|a)c", r"(?:ab|a)c");
        compiles_to(r"\Q.?\E", r"\.\?");
        compiles_to(r"\<\>\-", r"<>\-");
        compiles_to(r"(?iu)dr\.", r"(?i)dr\.");
        compiles_to(r"(?U:x)", r"(?:x)");
        compiles_to(r"a{b", r"a\{b");
        compiles_to(r"\0101\e", r"\x{41}\x1B");
        compiles_to(r"[\u061F!]", r"[\u061F!]");
        compiles_to(r"(?<name>x)", r"(?<name>x)");
    }

    #[test]
    fn unsupported_constructs_are_named() {
        for (java, says) in [
            (r"(?<=\s)x", "lookbehind"),
            (r"(?<!Dr)\.", "negative lookbehind"),
            (r"\.(?=\s)", "lookahead"),
            (r"\.(?!\d)", "negative lookahead"),
            (r"(a)\1", "backreference"),
            (r"(?<a>x)\k<a>", "named backreference"),
            (r"\p{InCyrillic}", "Unicode block"),
            (r"x\G", "`\\G`"),
            (r"\y", "unknown escape"),
            ("\\", "lone backslash"),
        ] {
            let error = translate(java).expect_err(java);
            assert!(error.contains(says), "{java}: {error}");
        }
    }
}
