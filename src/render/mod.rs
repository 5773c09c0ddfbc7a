//! Reports as text: how every command's results read on a terminal or in a
//! pipe, as pure functions from the library's reports to `String`.
//!
//! Why a library module (ripgrep's model, where the printer is the
//! `grep-printer` crate): the command line, a future server and tests all
//! show the same reports, so the text is built once here and the binary
//! only writes it. Nothing here does I/O, prints or knows clap, anyhow or
//! indicatif (`tests/tidy.rs` keeps it so); renderers cannot fail.
//!
//! [`Style`] says what the output is written to (colour, a terminal) and
//! shapes text for it: controls neutralised on a terminal
//! ([`Style::shown`]), spans marked one way for every command
//! ([`Style::excerpt`]: `⟦…⟧`, or underlined in colour). One file per
//! report family: [`check`], [`glossary`], [`memory`], [`edition`] (and
//! the translator's kit), [`segment`].

pub mod check;
pub mod edition;
pub mod glossary;
pub mod memory;
pub mod segment;

use std::fmt::Write as _;

use crate::normalize::is_invisible_control;

/// How a marked span is coloured on a terminal (without colour every mark
/// is `⟦…⟧`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Tone {
    Error,
    Warning,
    Info,
    /// A search hit or a difference (lookup, concordance).
    Hit,
}

impl Tone {
    fn code(self) -> &'static str {
        match self {
            Tone::Error => "1;31",
            Tone::Warning => "1;33",
            Tone::Info => "1;36",
            Tone::Hit => "1;31",
        }
    }
}

/// What the text is written to, which decides how it is shaped.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Style {
    /// Colour escapes are wanted (a terminal, and `NO_COLOR` unset).
    pub color: bool,
    /// The output is a terminal: controls that could reorder or hide text
    /// are shown escaped.
    pub terminal: bool,
}

impl Style {
    /// Text as a person reads it on a terminal: bidi, zero-width and other
    /// control characters shown as `<U+202E>` so they cannot reorder, hide
    /// or overwrite what is displayed. Unchanged when the output is not a terminal.
    pub fn shown(&self, text: &str) -> String {
        if !self.terminal {
            return text.to_string();
        }
        let mut out = String::with_capacity(text.len());
        for c in text.chars() {
            if is_invisible_control(c) || (c.is_control() && c != '\n' && c != '\t') {
                let _ = write!(out, "<U+{:04X}>", c as u32);
            } else {
                out.push(c);
            }
        }
        out
    }

    /// `text` in a colour (colour output only).
    pub fn paint(&self, text: &str, tone: Tone) -> String {
        if self.color { format!("\x1b[{}m{text}\x1b[0m", tone.code()) } else { text.to_string() }
    }

    /// `text` dimmed (colour output only).
    pub fn dim(&self, text: &str) -> String {
        if self.color { format!("\x1b[2m{text}\x1b[0m") } else { text.to_string() }
    }

    /// The text with byte spans marked — underlined in their tone in
    /// colour, `⟦…⟧` otherwise. Text longer than `whole` characters shows
    /// only `radius` characters around each mark (merged when they touch),
    /// with `…` where it is cut. Overlapping marks keep the first; spans off
    /// the text or off a character boundary are ignored.
    pub fn excerpt(
        &self,
        text: &str,
        spans: &[((usize, usize), Tone)],
        whole: usize,
        radius: usize,
    ) -> String {
        let mut spans: Vec<((usize, usize), Tone)> = spans
            .iter()
            .copied()
            .filter(|((s, e), _)| {
                s <= e && *e <= text.len() && text.is_char_boundary(*s) && text.is_char_boundary(*e)
            })
            .collect();
        spans.sort_by_key(|(s, _)| *s);
        let mut kept: Vec<((usize, usize), Tone)> = Vec::new();
        for span in spans {
            if kept.last().is_none_or(|((_, end), _)| span.0.0 >= *end) {
                kept.push(span);
            }
        }
        let floor = |mut i: usize| {
            while !text.is_char_boundary(i) {
                i -= 1;
            }
            i
        };
        let chars_back = |from: usize, n: usize| {
            floor(text[..from].char_indices().rev().nth(n.saturating_sub(1)).map_or(0, |(i, _)| i))
        };
        let chars_on =
            |from: usize, n: usize| text[from..].char_indices().nth(n).map_or(text.len(), |(i, _)| from + i);
        let mut windows: Vec<(usize, usize)> = Vec::new();
        if text.chars().count() <= whole {
            windows.push((0, text.len()));
        } else if kept.is_empty() {
            windows.push((0, chars_on(0, whole)));
        } else {
            for ((s, e), _) in &kept {
                let window = (if radius == 0 { *s } else { chars_back(*s, radius) }, chars_on(*e, radius));
                match windows.last_mut() {
                    Some(last) if window.0 <= last.1 => last.1 = last.1.max(window.1),
                    _ => windows.push(window),
                }
            }
        }
        let shown_until = windows.last().map_or(0, |w| w.1);
        let mut out = String::new();
        for (from, until) in windows {
            if from > 0 {
                out.push_str(if out.is_empty() { "… " } else { " … " });
            }
            let mut at = from;
            for ((s, e), tone) in kept.iter().filter(|((s, e), _)| *s >= from && *e <= until) {
                out.push_str(&self.shown(&text[at..*s]));
                let piece = self.shown(&text[*s..*e]);
                if self.color {
                    let _ = write!(out, "\x1b[4;{}m{piece}\x1b[0m", tone.code());
                } else {
                    let _ = write!(out, "⟦{piece}⟧");
                }
                at = *e;
            }
            out.push_str(&self.shown(&text[at..until]));
        }
        if shown_until < text.len() {
            out.push_str(" …");
        }
        out
    }
}

/// A message as one safe line for a terminal: control characters (escape
/// sequences, bidi overrides, line breaks) shown escaped, and at most
/// 2,000 characters, so a hostile file cannot repaint the terminal or flood it.
pub fn one_line(message: &str) -> String {
    const LIMIT: usize = 2000;
    let mut out = String::with_capacity(message.len().min(LIMIT + 16));
    for (count, c) in message.chars().enumerate() {
        if count == LIMIT {
            out.push_str("… (cut)");
            break;
        }
        if c.is_control() || is_invisible_control(c) {
            let _ = write!(out, "<U+{:04X}>", c as u32);
        } else {
            out.push(c);
        }
    }
    out
}

/// A line for stderr, as the command line shows it: a warning
/// (`dragoman: warning: …`) or a note of what a command did.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Message {
    Warning(String),
    Note(String),
}

/// `word` with an English plural `s` unless `count` is 1 (`info` has none).
pub fn plural(word: &str, count: usize) -> String {
    if count == 1 || word == "info" { word.to_string() } else { format!("{word}s") }
}

/// A value as the JSON documents the commands print: pretty, one newline
/// at the end. JSON output is a contract; its shape is the library types'.
pub fn json(value: &impl serde::Serialize) -> String {
    // Serializing the library's plain report types (strings, numbers,
    // maps with string keys) cannot fail.
    serde_json::to_string_pretty(value).expect("reports serialize to JSON") + "\n"
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn excerpts_mark_overlapping_and_distant_spans_without_panicking() {
        let plain = Style { color: false, terminal: false };
        let text = "قال ".repeat(100) + "داعش" + &" ثم".repeat(100) + " الرقة";
        let d = text.find("داعش").unwrap();
        let r = text.rfind("الرقة").unwrap();
        let spans =
            [((d, d + 8), Tone::Error), ((d + 2, d + 6), Tone::Info), ((r, text.len()), Tone::Warning)];
        let shown = plain.excerpt(&text, &spans, 240, 60);
        assert!(shown.starts_with("… ") && shown.contains("⟦داعش⟧") && shown.ends_with("⟦الرقة⟧"), "{shown}");
        assert_eq!(shown.matches('⟦').count(), 2);
        let colour = Style { color: true, terminal: true };
        for cut in 0..text.len() {
            colour.excerpt(&text, &[((cut, cut + 1), Tone::Info), ((cut / 2, cut), Tone::Error)], 240, 60);
        }
        assert_eq!(plain.excerpt("short", &[], 240, 60), "short");
    }

    #[test]
    fn terminals_see_controls_escaped_pipes_see_text_as_written() {
        let text = "داعش\u{202E}ISIS\x1b[2J";
        assert_eq!(Style { color: false, terminal: false }.shown(text), text);
        assert_eq!(Style { color: false, terminal: true }.shown(text), "داعش<U+202E>ISIS<U+001B>[2J");
        assert_eq!(
            one_line("bad\x1b]0;title\x07 \u{202E}x\ny"),
            "bad<U+001B>]0;title<U+0007> <U+202E>x<U+000A>y"
        );
        assert!(one_line(&"x".repeat(10_000)).chars().count() < 2100);
    }

    #[test]
    fn plurals_and_json_end_as_the_commands_print_them() {
        assert_eq!(plural("error", 1), "error");
        assert_eq!(plural("error", 2), "errors");
        assert_eq!(plural("info", 3), "info");
        assert_eq!(json(&serde_json::json!({ "a": 1 })), "{\n  \"a\": 1\n}\n");
    }
}
