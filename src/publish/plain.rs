//! The English edition as Markdown and as plain text.

use super::Edition;
use super::escape::{markdown_line, plain_text, safe_link};

/// The English edition as CommonMark: every line of user text escaped so
/// that nothing in it becomes markup or raw HTML.
pub fn render_english_markdown(edition: &Edition) -> String {
    let mut out = String::new();
    out.push_str("# ");
    out.push_str(&markdown_inline(&edition.title));
    out.push_str("\n\n");
    let meta = &edition.metadata;
    let mut lines = Vec::new();
    if let Some(byline) = present(&meta.byline) {
        lines.push(format!("*{}*", markdown_inline(byline)));
    }
    if let Some(date) = present(&meta.date) {
        lines.push(markdown_inline(date));
    }
    if let Some(url) = present(&meta.source_url) {
        lines.push(match safe_link(url).filter(|u| !u.contains(['<', '>'])) {
            Some(link) => format!("Original: <{link}>"),
            None => format!("Original: {}", markdown_inline(url)),
        });
    }
    if !lines.is_empty() {
        // Two trailing spaces would be a hard break; a backslash is visible
        // in every renderer that ignores it, so use separate paragraphs.
        out.push_str(&lines.join("\n\n"));
        out.push_str("\n\n");
    }
    for paragraph in edition.body_paragraphs() {
        let escaped: Vec<String> = paragraph
            .text
            .lines()
            .map(|line| markdown_line(line.trim_end_matches('\r')))
            .filter(|line| !line.trim().is_empty())
            .collect();
        if escaped.is_empty() {
            continue;
        }
        out.push_str(&escaped.join("\n"));
        out.push_str("\n\n");
    }
    let trimmed = out.trim_end().len();
    out.truncate(trimmed);
    out.push('\n');
    out
}

/// The English edition as plain text: title underlined, metadata, then the
/// paragraphs as written, separated by blank lines.
pub fn render_english_text(edition: &Edition) -> String {
    let mut out = String::new();
    let title = plain_text(&single_line(&edition.title));
    out.push_str(&title);
    out.push('\n');
    out.push_str(&"=".repeat(title.chars().count().clamp(3, 78)));
    out.push_str("\n\n");
    let meta = &edition.metadata;
    let mut any = false;
    for (label, value) in [("", &meta.byline), ("", &meta.date), ("Original: ", &meta.source_url)] {
        if let Some(value) = present(value) {
            out.push_str(label);
            out.push_str(&plain_text(&single_line(value)));
            out.push('\n');
            any = true;
        }
    }
    if any {
        out.push('\n');
    }
    for paragraph in edition.body_paragraphs() {
        out.push_str(&plain_text(&paragraph.text));
        out.push_str("\n\n");
    }
    let trimmed = out.trim_end().len();
    out.truncate(trimmed);
    out.push('\n');
    out
}

fn present(value: &Option<String>) -> Option<&str> {
    value.as_deref().map(str::trim).filter(|v| !v.is_empty())
}

fn single_line(text: &str) -> String {
    text.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// Metadata and titles are one line in Markdown.
fn markdown_inline(text: &str) -> String {
    markdown_line(&single_line(text))
}
