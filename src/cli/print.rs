//! The one printer: data to stdout, messages to stderr, and how text is
//! shown on a terminal (bidi and invisible controls neutralised, spans
//! marked one way for every command).

use std::collections::BTreeMap;
use std::fmt::Write as _;
use std::io::Write as _;

use anyhow::Context as _;
use dragoman::check::{Finding, Report, Severity};
use dragoman::normalize::is_invisible_control;
use dragoman::pair::ArticlePair;

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

/// Writes data to stdout and shapes text for it.
#[derive(Debug, Clone, Copy)]
pub struct Printer {
    /// stdout is a terminal and `NO_COLOR` is unset.
    pub color: bool,
    /// stdout is a terminal: controls that could reorder or hide text are
    /// shown escaped.
    pub terminal: bool,
}

impl Printer {
    /// Writes `text` to stdout as it is (data: no escaping beyond what the
    /// caller did with [`Printer::shown`]).
    pub fn data(&self, text: &str) -> anyhow::Result<()> {
        let mut lock = std::io::stdout().lock();
        lock.write_all(text.as_bytes()).context("cannot write to stdout")?;
        lock.flush().context("cannot write to stdout")
    }

    /// JSON data, pretty-printed, one document.
    pub fn json(&self, value: &impl serde::Serialize) -> anyhow::Result<()> {
        self.data(&(serde_json::to_string_pretty(value)? + "\n"))
    }

    /// Text as a person reads it on a terminal: bidi, zero-width and other
    /// control characters shown as `<U+202E>` so they cannot reorder, hide
    /// or overwrite what is displayed. Unchanged when stdout is not a terminal.
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

    /// `text` in a colour (terminal only).
    pub fn paint(&self, text: &str, tone: Tone) -> String {
        if self.color { format!("\x1b[{}m{text}\x1b[0m", tone.code()) } else { text.to_string() }
    }

    /// `text` dimmed (terminal only).
    pub fn dim(&self, text: &str) -> String {
        if self.color { format!("\x1b[2m{text}\x1b[0m") } else { text.to_string() }
    }

    /// The text with byte spans marked — underlined in their tone on a
    /// colour terminal, `⟦…⟧` otherwise. Text longer than `whole` characters
    /// shows only `radius` characters around each mark (merged when they
    /// touch), with `…` where it is cut. Overlapping marks keep the first;
    /// spans off the text or off a character boundary are ignored.
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

/// Each bead of an article pair as [`findings_text`] shows it: a label
/// (numbered from 1, its sentences too), its source and its target.
pub fn bead_texts(pair: &ArticlePair) -> Vec<(String, String, String)> {
    let list = |v: &[usize]| {
        if v.is_empty() {
            "-".to_string()
        } else {
            v.iter().map(|i| (i + 1).to_string()).collect::<Vec<_>>().join(",")
        }
    };
    pair.alignment
        .beads
        .iter()
        .enumerate()
        .map(|(i, bead)| {
            let label =
                format!("bead {} (source {} ↔ target {})", i + 1, list(&bead.source), list(&bead.target));
            (label, pair.source_of(bead), pair.target_of(bead))
        })
        .collect()
}

fn tone(severity: Severity) -> Tone {
    match severity {
        Severity::Error => Tone::Error,
        Severity::Warning => Tone::Warning,
        Severity::Info => Tone::Info,
    }
}

/// The findings as `check` prints them (and `ingest` after it): grouped by
/// bead or unit (`group` gives a finding's index into `texts`, each a
/// label, the source and the target) with both texts and the spans marked,
/// each finding with how to accept it, then the totals.
pub fn findings_text(
    printer: &Printer,
    report: &Report,
    texts: &[(String, &str, &str)],
    group: impl Fn(&Finding) -> Option<usize>,
) -> String {
    let mut out = String::new();
    let mut groups: BTreeMap<usize, Vec<&Finding>> = BTreeMap::new();
    for finding in &report.findings {
        groups.entry(group(finding).unwrap_or(usize::MAX)).or_default().push(finding);
    }
    for (bead, findings) in groups {
        let (label, source, target) = match texts.get(bead) {
            Some((label, s, t)) => (label.as_str(), *s, *t),
            None => ("(not located)", "", ""),
        };
        let _ = writeln!(out, "{}", printer.paint(label, Tone::Info));
        let marks = |side: fn(&Finding) -> Option<(usize, usize)>| -> Vec<((usize, usize), Tone)> {
            findings.iter().filter_map(|f| side(f).map(|s| (s, tone(f.severity)))).collect()
        };
        let _ = writeln!(out, "  ar: {}", printer.excerpt(source, &marks(|f| f.source_span), 240, 60));
        let _ = writeln!(out, "  en: {}", printer.excerpt(target, &marks(|f| f.target_span), 240, 60));
        for finding in findings {
            let severity = printer.paint(finding.severity.name(), tone(finding.severity));
            let _ = writeln!(out, "  {severity} {}: {}", finding.check, printer.shown(&finding.message));
            if finding.units.len() > 1 {
                let _ = writeln!(out, "      units: {}", printer.shown(&finding.units.join(", ")));
            }
            if finding.beads.len() > 1 {
                let list: Vec<String> = finding.beads.iter().map(|b| (b + 1).to_string()).collect();
                let _ = writeln!(out, "      beads: {}", list.join(", "));
            }
            let id = printer.shown(&finding.id.replace('\'', "'\\''"));
            let _ = writeln!(out, "      to accept: dragoman accept '{id}'");
        }
        out.push('\n');
    }
    let s = &report.summary;
    let _ = write!(out, "{} error(s), {} warning(s), {} info", s.error, s.warning, s.info);
    if report.accepted > 0 {
        let _ = write!(out, " ({} accepted finding(s) not shown)", report.accepted);
    }
    out.push('\n');
    out
}

/// Prints a warning to stderr in the house format.
pub fn warn(message: impl std::fmt::Display) {
    eprintln!("dragoman: warning: {}", one_line(&message.to_string()));
}

/// A note to stderr (what a command did).
pub fn note(message: impl std::fmt::Display) {
    eprintln!("{}", one_line(&message.to_string()));
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn excerpts_mark_overlapping_and_distant_spans_without_panicking() {
        let plain = Printer { color: false, terminal: false };
        let text = "قال ".repeat(100) + "داعش" + &" ثم".repeat(100) + " الرقة";
        let d = text.find("داعش").unwrap();
        let r = text.rfind("الرقة").unwrap();
        let spans =
            [((d, d + 8), Tone::Error), ((d + 2, d + 6), Tone::Info), ((r, text.len()), Tone::Warning)];
        let shown = plain.excerpt(&text, &spans, 240, 60);
        assert!(shown.starts_with("… ") && shown.contains("⟦داعش⟧") && shown.ends_with("⟦الرقة⟧"), "{shown}");
        assert_eq!(shown.matches('⟦').count(), 2);
        let colour = Printer { color: true, terminal: true };
        for cut in 0..text.len() {
            colour.excerpt(&text, &[((cut, cut + 1), Tone::Info), ((cut / 2, cut), Tone::Error)], 240, 60);
        }
        assert_eq!(plain.excerpt("short", &[], 240, 60), "short");
    }

    #[test]
    fn terminals_see_controls_escaped_pipes_see_text_as_written() {
        let text = "داعش\u{202E}ISIS\x1b[2J";
        assert_eq!(Printer { color: false, terminal: false }.shown(text), text);
        assert_eq!(Printer { color: false, terminal: true }.shown(text), "داعش<U+202E>ISIS<U+001B>[2J");
        assert_eq!(
            one_line("bad\x1b]0;title\x07 \u{202E}x\ny"),
            "bad<U+001B>]0;title<U+0007> <U+202E>x<U+000A>y"
        );
        assert!(one_line(&"x".repeat(10_000)).chars().count() < 2100);
    }
}
