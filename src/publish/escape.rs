//! Making user text inert in each output format.
//!
//! Bidi controls: the embeddings, overrides and isolates (U+202A–U+202E,
//! U+2066–U+2069) and the marks (U+200E, U+200F, U+061C) are invisible and
//! can reorder what follows them, so a pasted U+202E could make a sentence
//! or a link read backwards. In every edition each one is replaced by a
//! visible marker naming its code point, `[U+202E]` (in HTML text wrapped
//! in `<span class="bidi-control">`), so the editor sees that the text
//! carries one and nothing is reordered. Everything else is kept as
//! written; directions come from `dir` attributes, never from controls we
//! add to the text.
//!
//! This is deliberately narrower than the invisible controls the match key
//! deletes ([`crate::normalize::is_invisible_control`], the one list): the
//! zero-width non-joiner and joiner (U+200C, U+200D) are part of correct
//! spelling (they choose letter shapes), the soft hyphen is a hyphenation
//! point, and the zero-width space, word joiner and BOM (U+200B, U+2060,
//! U+FEFF) only affect line breaking. None of them can reorder text, and a
//! published page must show the text as written, so only the reordering
//! ones become markers.

use std::fmt::Write;

use crate::normalize::is_invisible_control;

/// A bidi control that must not reach the output as itself: an invisible
/// control that can reorder text (see the module docs for the ones left as
/// written).
pub fn is_bidi_control(c: char) -> bool {
    is_invisible_control(c) && !matches!(c, '\u{200B}'..='\u{200D}' | '\u{2060}' | '\u{FEFF}' | '\u{00AD}')
}

/// The visible marker that replaces a bidi control.
pub fn bidi_marker(c: char) -> String {
    format!("[U+{:04X}]", u32::from(c))
}

/// Escapes text for an HTML element's content: `& < > " '` as entities,
/// bidi controls as visible markers.
pub fn html_text(text: &str) -> String {
    let mut out = String::with_capacity(text.len() + text.len() / 8);
    for c in text.chars() {
        match c {
            c if is_bidi_control(c) => {
                let _ = write!(out, "<span class=\"bidi-control\">{}</span>", bidi_marker(c));
            }
            _ => push_html_char(&mut out, c),
        }
    }
    out
}

/// Escapes text for a double-quoted HTML attribute value.
pub fn html_attr(text: &str) -> String {
    let mut out = String::with_capacity(text.len() + 8);
    for c in text.chars() {
        match c {
            c if is_bidi_control(c) => out.push_str(&bidi_marker(c)),
            // Newlines in a title attribute are shown as line breaks by
            // browsers; other control characters have no business there.
            '\n' => out.push_str("&#10;"),
            c if c.is_control() => out.push(' '),
            _ => push_html_char(&mut out, c),
        }
    }
    out
}

fn push_html_char(out: &mut String, c: char) {
    match c {
        '&' => out.push_str("&amp;"),
        '<' => out.push_str("&lt;"),
        '>' => out.push_str("&gt;"),
        '"' => out.push_str("&quot;"),
        '\'' => out.push_str("&#39;"),
        // NUL and other C0 controls are not allowed in HTML text.
        c if c.is_control() && !matches!(c, '\n' | '\t' | '\r') => out.push('\u{FFFD}'),
        c => out.push(c),
    }
}

/// A URL fit for `href`: only `http:` and `https:` (no `javascript:`,
/// `data:`), without whitespace or bidi controls.
pub fn safe_link(url: &str) -> Option<&str> {
    let url = url.trim();
    let lower = url.get(..8).unwrap_or(url).to_ascii_lowercase();
    let scheme_ok = lower.starts_with("http://") || lower.starts_with("https://");
    let clean = !url.chars().any(|c| c.is_whitespace() || c.is_control() || is_bidi_control(c));
    (scheme_ok && clean).then_some(url)
}

/// Escapes one line of inline Markdown text: every character CommonMark
/// could read as markup (emphasis, links, code, raw HTML, entities, tables)
/// gets a backslash, and so do line-start markers (headings, lists, quotes,
/// thematic breaks). Bidi controls become visible markers.
pub fn markdown_line(line: &str) -> String {
    let line = line.trim_start();
    let mut out = String::with_capacity(line.len() + 8);
    let mut at_start = true;
    let mut chars = line.chars().peekable();
    while let Some(c) = chars.next() {
        if is_bidi_control(c) {
            out.push_str(&markdown_line(&bidi_marker(c)));
            at_start = false;
            continue;
        }
        match c {
            '\\' | '`' | '*' | '_' | '[' | ']' | '<' | '>' | '&' | '|' | '~' => {
                out.push('\\');
                out.push(c);
            }
            '#' | '+' | '-' | '=' if at_start => {
                out.push('\\');
                out.push(c);
            }
            '0'..='9' if at_start => {
                // `1. ` and `1) ` start an ordered list.
                out.push(c);
                while let Some(&d) = chars.peek().filter(|d| d.is_ascii_digit()) {
                    out.push(d);
                    chars.next();
                }
                if let Some(&p) = chars.peek().filter(|p| matches!(p, '.' | ')')) {
                    out.push('\\');
                    out.push(p);
                    chars.next();
                }
            }
            c if c.is_control() && c != '\t' => out.push(' '),
            c => out.push(c),
        }
        at_start = false;
    }
    out
}

/// Plain text with bidi controls made visible; other text as written.
pub fn plain_text(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        if is_bidi_control(c) { out.push_str(&bidi_marker(c)) } else { out.push(c) }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn html_text_escapes_markup_and_shows_bidi_controls() {
        assert_eq!(html_text("<script>\"x\" & 'y'"), "&lt;script&gt;&quot;x&quot; &amp; &#39;y&#39;");
        let out = html_text("قال\u{202E}txt.exe");
        assert!(!out.contains('\u{202E}'));
        assert_eq!(out, "قال<span class=\"bidi-control\">[U+202E]</span>txt.exe");
        assert_eq!(html_text("الرقة"), "الرقة");
    }

    #[test]
    fn attributes_cannot_be_closed_or_reordered() {
        let out = html_attr("\"><img src=x onerror=alert(1)>\u{2067}\u{200F}");
        assert_eq!(out, "&quot;&gt;&lt;img src=x onerror=alert(1)&gt;[U+2067][U+200F]");
        assert!(!out.contains('"') && !out.contains('<'));
    }

    #[test]
    fn only_reordering_controls_become_markers() {
        let reordering = ['\u{202A}', '\u{202E}', '\u{2066}', '\u{2069}', '\u{200E}', '\u{200F}', '\u{061C}'];
        assert!(reordering.iter().all(|&c| is_bidi_control(c)));
        // Part of correct Arabic and Persian spelling, or line-breaking
        // hints: published as written.
        for c in ['\u{200B}', '\u{200C}', '\u{200D}', '\u{2060}', '\u{FEFF}', '\u{00AD}'] {
            assert!(is_invisible_control(c) && !is_bidi_control(c), "U+{:04X}", c as u32);
        }
        assert_eq!(plain_text("می\u{200C}خواهم"), "می\u{200C}خواهم");
    }

    #[test]
    fn only_web_links_are_links() {
        assert_eq!(safe_link(" https://www.raqqa-sl.co/?p=1 "), Some("https://www.raqqa-sl.co/?p=1"));
        assert_eq!(safe_link("HTTP://example.org"), Some("HTTP://example.org"));
        assert_eq!(safe_link("javascript:alert(1)"), None);
        assert_eq!(safe_link("data:text/html,<script>"), None);
        assert_eq!(safe_link("https://example.org/\u{202E}gpj.exe"), None);
        assert_eq!(safe_link("http"), None);
    }

    #[test]
    fn markdown_escapes_markup_and_line_starts() {
        assert_eq!(markdown_line("# not a heading"), "\\# not a heading");
        assert_eq!(markdown_line("- no list"), "\\- no list");
        assert_eq!(markdown_line("2017. A year"), "2017\\. A year");
        assert_eq!(
            markdown_line("[link](javascript:x) *em* <b>"),
            "\\[link\\](javascript:x) \\*em\\* \\<b\\>"
        );
        assert_eq!(markdown_line("a - b 3. c"), "a - b 3. c");
        assert_eq!(markdown_line("\u{202E}x"), "\\[U+202E\\]x");
        assert_eq!(markdown_line("الرقة تذبح بصمت"), "الرقة تذبح بصمت");
    }
}
