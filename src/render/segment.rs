//! `segment --numbered`: the text format with each sentence numbered.

use crate::segment::{Segment, format_text};

/// The segments as [`format_text`] writes them (one a line, a blank line
/// between paragraphs), each sentence numbered from 1 as `check` and the
/// pages count them. For reading: `--presegmented` does not read it back.
pub fn numbered(segments: &[Segment]) -> String {
    let lines = format_text(segments);
    let mut out = String::with_capacity(lines.len() + 8 * segments.len());
    let mut number = 0;
    for line in lines.lines() {
        if !line.is_empty() {
            number += 1;
            out.push_str(&format!("{number:>4}  "));
        }
        out.push_str(line);
        out.push('\n');
    }
    out
}
