//! Escaping for writing XML, and resolving references when reading it
//! (with the strict parser settings every reader of ours uses).
//!
//! XML 1.0 cannot carry most C0 control characters at all, not even as
//! character references. Wherever dragoman writes XML text (TMX, and TBX
//! glossaries through [`push_text`], exported as `tmx::push_xml_text`) it
//! replaces them with U+FFFD REPLACEMENT CHARACTER, so a stray control
//! character in a source text never makes an unreadable file; the
//! replacement is visible to the translator instead of silently dropped.

/// The parser settings of every XML reader of ours (TMX, XLIFF): end tags
/// must match and comments be well formed, no unmatched end tag and no bare
/// `&` is let through, and text is kept exactly as written (references are
/// resolved by our own code: entities are never expanded).
pub fn configure_strict_reader<R>(xml: &mut quick_xml::Reader<R>) {
    let config = xml.config_mut();
    config.check_end_names = true;
    config.check_comments = true;
    config.expand_empty_elements = false;
    config.allow_unmatched_ends = false;
    config.allow_dangling_amp = false;
    config.trim_text(false);
}

/// Whether `c` may appear in an XML 1.0 document (the `Char` production).
pub fn is_xml_char(c: char) -> bool {
    matches!(c, '\t' | '\n' | '\r' | '\u{20}'..='\u{D7FF}' | '\u{E000}'..='\u{FFFD}' | '\u{10000}'..)
}

/// Appends `text` as XML character data: `& < >` escaped, `\r` as `&#13;`
/// (a raw one would be turned into `\n` by the next parser), characters XML
/// forbids replaced with U+FFFD.
pub fn push_text(out: &mut String, text: &str) {
    push_escaped(out, text, false);
}

/// Appends `text` as an attribute value (without quotes): like
/// [`push_text`], plus `"` and the whitespace characters that attribute
/// normalization would otherwise turn into spaces.
pub fn push_attribute(out: &mut String, text: &str) {
    push_escaped(out, text, true);
}

/// Whether `bytes` hold a byte that may need escaping or replacing: markup
/// characters, control characters, and lead bytes of U+F000 and above
/// (U+FFFE and U+FFFF are not XML characters). Arabic and Latin text never
/// takes the slow path. Every segment of an import passes through here.
fn needs_escaping(bytes: &[u8]) -> bool {
    let special = |b: u8| !(0x20..0xEF).contains(&b) | (b == b'&') | (b == b'<') | (b == b'>') | (b == b'"');
    super::input::first_in_blocks::<32>(bytes, special).is_some()
}

fn push_escaped(out: &mut String, text: &str, attribute: bool) {
    if !needs_escaping(text.as_bytes()) {
        out.push_str(text);
        return;
    }
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '\r' => out.push_str("&#13;"),
            '"' if attribute => out.push_str("&quot;"),
            '\n' if attribute => out.push_str("&#10;"),
            '\t' if attribute => out.push_str("&#9;"),
            c if !is_xml_char(c) => out.push('\u{FFFD}'),
            c => out.push(c),
        }
    }
}

/// Why a reference could not be resolved.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ReferenceError {
    /// `&name;` with a name other than the five XML entities.
    Undefined(String),
    /// `&#…;` that is not a number or names a character XML forbids.
    BadCharacter(String),
}

impl std::fmt::Display for ReferenceError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            ReferenceError::Undefined(name) => {
                write!(
                    f,
                    "undefined entity &{name}; (TMX allows only &amp; &lt; &gt; &quot; &apos; and \
                     character references; dragoman never expands entities from a DOCTYPE)"
                )?;
                if name == "nbsp" {
                    write!(f, "; write a no-break space as &#160;")?;
                }
                Ok(())
            }
            ReferenceError::BadCharacter(body) => {
                write!(f, "invalid character reference &{body}; (not a character XML allows)")
            }
        }
    }
}

/// Resolves the body of a reference (`amp`, `#160`, `#x41`).
pub fn resolve_reference(body: &str) -> Result<char, ReferenceError> {
    match body {
        "amp" => return Ok('&'),
        "lt" => return Ok('<'),
        "gt" => return Ok('>'),
        "quot" => return Ok('"'),
        "apos" => return Ok('\''),
        _ => {}
    }
    let Some(number) = body.strip_prefix('#') else {
        return Err(ReferenceError::Undefined(body.to_string()));
    };
    let code = match number.strip_prefix('x') {
        Some(hex) if !hex.is_empty() && hex.bytes().all(|b| b.is_ascii_hexdigit()) => {
            u32::from_str_radix(hex, 16).ok()
        }
        None if !number.is_empty() && number.bytes().all(|b| b.is_ascii_digit()) => number.parse().ok(),
        _ => None,
    };
    code.and_then(char::from_u32)
        .filter(|&c| is_xml_char(c))
        .ok_or_else(|| ReferenceError::BadCharacter(body.to_string()))
}

/// Unescapes an attribute value as XML requires: references resolved, and
/// literal tabs and line ends (`\r\n` counting once) turned into spaces.
pub fn unescape_attribute(raw: &str) -> Result<String, ReferenceError> {
    let special = |b: u8| matches!(b, b'&' | b'\r' | b'\n' | b'\t');
    let mut out = String::with_capacity(raw.len());
    let mut rest = raw;
    while let Some(i) = rest.bytes().position(special) {
        out.push_str(&rest[..i]);
        let tail = &rest[i..];
        if let Some(after) = tail.strip_prefix('&') {
            let Some(end) = after.find(';') else {
                return Err(ReferenceError::Undefined(after.to_string()));
            };
            out.push(resolve_reference(&after[..end])?);
            rest = &after[end + 1..];
        } else {
            out.push(' ');
            rest = tail.strip_prefix("\r\n").unwrap_or(&tail[1..]);
        }
    }
    out.push_str(rest);
    Ok(out)
}

/// XML line-end normalization for character data: `\r\n` and lone `\r`
/// become `\n`.
pub fn normalize_line_ends(text: &str) -> std::borrow::Cow<'_, str> {
    if memchr::memchr(b'\r', text.as_bytes()).is_none() {
        return std::borrow::Cow::Borrowed(text);
    }
    std::borrow::Cow::Owned(text.replace("\r\n", "\n").replace('\r', "\n"))
}

/// Whether `name` is usable as an XML element or attribute name (ASCII
/// subset: what TMX and its extensions use).
pub fn is_xml_name(name: &str) -> bool {
    let mut chars = name.chars();
    matches!(chars.next(), Some(c) if c.is_alphabetic() || c == '_' || c == ':')
        && chars.all(|c| c.is_alphanumeric() || matches!(c, '_' | ':' | '-' | '.'))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn escapes_text_and_attributes() {
        let mut out = String::new();
        push_text(&mut out, "a<b & \"c\"\r\u{7}الرقة");
        assert_eq!(out, "a&lt;b &amp; \"c\"&#13;\u{FFFD}الرقة");
        out.clear();
        push_attribute(&mut out, "say \"hi\"\n\tnow");
        assert_eq!(out, "say &quot;hi&quot;&#10;&#9;now");
    }

    #[test]
    fn long_text_is_escaped_wherever_the_markup_falls() {
        // Around the scanned blocks' boundaries (32 bytes) and in the
        // remainder after them.
        let sentence = "قالت مصادر محلية في مدينة الرقة إن الاشتباكات استمرت";
        for at in [0, 31, 32, 63, 64, 65, sentence.len()] {
            let at = (0..=at).rev().find(|&i| sentence.is_char_boundary(i)).unwrap();
            for (special, escaped) in [
                ("<", "&lt;"),
                (">", "&gt;"),
                ("&", "&amp;"),
                ("\u{FFFE}", "\u{FFFD}"),
                ("\u{1}", "\u{FFFD}"),
            ] {
                let (before, after) = sentence.split_at(at);
                let mut out = String::new();
                push_text(&mut out, &format!("{before}{special}{after}"));
                assert_eq!(out, format!("{before}{escaped}{after}"), "{special:?} at {at}");
            }
        }
        let mut out = String::new();
        push_text(&mut out, sentence);
        assert_eq!(out, sentence);
    }

    #[test]
    fn resolves_only_xml_references() {
        assert_eq!(resolve_reference("amp"), Ok('&'));
        assert_eq!(resolve_reference("#1575"), Ok('ا'));
        assert_eq!(resolve_reference("#x627"), Ok('ا'));
        assert!(matches!(resolve_reference("nbsp"), Err(ReferenceError::Undefined(_))));
        assert!(matches!(resolve_reference("#0"), Err(ReferenceError::BadCharacter(_))));
        assert!(matches!(resolve_reference("#x1"), Err(ReferenceError::BadCharacter(_))));
        assert!(matches!(resolve_reference("#xD800"), Err(ReferenceError::BadCharacter(_))));
        assert!(matches!(resolve_reference("#+65"), Err(ReferenceError::BadCharacter(_))));
    }

    #[test]
    fn attribute_values_are_normalized() {
        assert_eq!(unescape_attribute("a\r\nb\tc&#10;&lt;").unwrap(), "a b c\n<");
        assert!(unescape_attribute("a&nbsp;b").is_err());
    }
}
