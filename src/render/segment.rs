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

#[cfg(test)]
mod tests {
    use crate::segment::Segmenter;

    #[test]
    fn sentences_are_numbered_across_paragraphs_and_blank_lines_stay_blank() {
        let text = "قال المرصد إن القصف استمر. وقتل ثلاثة مدنيين.\n\nسيطرت القوات على الرقة.";
        let numbered = super::numbered(&Segmenter::builtin().segment(text, None));
        assert_eq!(
            numbered,
            "   1  قال المرصد إن القصف استمر.\n   2  وقتل ثلاثة مدنيين.\n\n   3  سيطرت القوات على الرقة.\n"
        );
    }
}
