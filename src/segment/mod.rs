//! Sentence segmentation of Arabic and English text.
//!
//! Owns: the [`Segment`] type, paragraph splitting, the SRX 2.0 engine and
//! the built-in rules ([`BUILTIN_SRX`], an SRX file embedded in the binary
//! that `segment --export-rules` writes out for CAT tools), and the
//! plain-text "presegmented" format (one sentence per line, blank line
//! between paragraphs) that `segment` prints and `align --presegmented`
//! reads.
//!
//! Pure: no I/O. Invariant: every segment is an exact substring of the input
//! (`text == input[start..end]`), segments are in order, and only whitespace
//! lies between them.

mod engine;
mod java_regex;
pub mod srx;

use std::cell::OnceCell;
use std::sync::{Arc, OnceLock};

use crate::lang::{Lang, is_arabic_letter};
pub use srx::SrxError;

/// The built-in Arabic and English rules, as an SRX 2.0 document.
pub const BUILTIN_SRX: &str = include_str!("default.srx");

/// One sentence of a document.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct Segment {
    /// Exactly `input[start..end]`.
    pub text: String,
    /// The language the segment was segmented as.
    pub lang: Lang,
    /// 0-based paragraph index in the document.
    pub paragraph: usize,
    /// UTF-8 byte offsets into the decoded input (BOM removed).
    pub start: usize,
    pub end: usize,
}

/// A set of segmentation rules, ready to segment. Cloning is cheap (the
/// compiled rules are shared) and a segmenter can be used from many threads.
#[derive(Debug, Clone)]
pub struct Segmenter {
    rules: Arc<CompiledRules>,
}

#[derive(Debug)]
struct CompiledRules {
    name: String,
    arabic: engine::LanguageRules,
    english: engine::LanguageRules,
}

impl Segmenter {
    /// The built-in Arabic and English rules ([`BUILTIN_SRX`]), compiled
    /// once per process.
    pub fn builtin() -> Segmenter {
        static BUILTIN: OnceLock<Segmenter> = OnceLock::new();
        BUILTIN
            .get_or_init(|| {
                Segmenter::from_srx(BUILTIN_SRX, "built-in rules")
                    .unwrap_or_else(|e| panic!("the built-in SRX rules are broken: {e}"))
            })
            .clone()
    }

    /// Compiles an SRX 2.0 document. `name` (usually the file path) names
    /// the rules in errors, which also give the line and the rule. The rules
    /// for Arabic and English are those whose `languagepattern` matches `ar`
    /// and `en` (case-insensitively); a language no map selects gets no
    /// breaks inside paragraphs.
    pub fn from_srx(xml: &str, name: &str) -> Result<Segmenter, SrxError> {
        let document = srx::parse(xml, name)?;
        let arabic = engine::compile(&document, Lang::Ar.code(), name)?;
        let english = engine::compile(&document, Lang::En.code(), name)?;
        Ok(Segmenter { rules: Arc::new(CompiledRules { name: name.to_string(), arabic, english }) })
    }

    /// What the rules were loaded from (`built-in rules` or a file name).
    pub fn name(&self) -> &str {
        &self.rules.name
    }

    /// Segments `text`: paragraphs split at blank lines (and U+2029), each
    /// paragraph segmented with the rules of `lang` (`None` = decide per
    /// paragraph by script, falling back to the language of the whole text
    /// for paragraphs with no letters).
    pub fn segment(&self, text: &str, lang: Option<Lang>) -> Vec<Segment> {
        self.segment_at_most(text, lang, usize::MAX).unwrap_or_default()
    }

    /// [`Segmenter::segment`], giving up (`None`) as soon as a paragraph
    /// takes the count of segments over `limit`: a caller with a bound
    /// refuses 10 MB of `. ` without building its millions of segments.
    pub fn segment_at_most(&self, text: &str, lang: Option<Lang>, limit: usize) -> Option<Vec<Segment>> {
        let mut segments = Vec::new();
        let complete = self.each_piece(text, lang, limit, |piece, breaks| {
            segments.reserve(breaks);
            segments.push(Segment {
                text: text[piece.start..piece.end].to_string(),
                lang: piece.lang,
                paragraph: piece.paragraph,
                start: piece.start,
                end: piece.end,
            });
        });
        complete.then_some(segments)
    }

    /// The segments of `text` in the text format, exactly
    /// `format_text(&self.segment(text, lang))`, without holding a
    /// [`Segment`] (and its own copy of the text) per sentence: 10 MB cut
    /// into 10 million one-character segments stays a few hundred bytes
    /// of output and offsets per thousand segments, not 60 per segment.
    pub fn segment_to_text(&self, text: &str, lang: Option<Lang>) -> String {
        let mut out = String::with_capacity(text.len() + text.len() / 8 + 16);
        let mut previous_paragraph = None;
        self.each_piece(text, lang, usize::MAX, |piece, _| {
            write_text_line(
                &mut out,
                &text[piece.start..piece.end],
                piece.paragraph,
                &mut previous_paragraph,
            );
        });
        out
    }

    /// Calls `each` with every segment of `text` in order (and how many
    /// breaks its paragraph has, to reserve room at a paragraph's first);
    /// `false` as soon as a paragraph takes the count over `limit`.
    fn each_piece(
        &self,
        text: &str,
        lang: Option<Lang>,
        limit: usize,
        mut each: impl FnMut(Piece, usize),
    ) -> bool {
        // Only paragraphs without letters need the whole text's language.
        let document_lang = OnceCell::new();
        let mut count = 0usize;
        let mut breaks = Vec::new();
        for (index, paragraph) in paragraphs(text).enumerate() {
            let body = &text[paragraph.clone()];
            let paragraph_lang = lang.unwrap_or_else(|| match Lang::detect(body, Lang::Ar) {
                Lang::Ar if !body.chars().any(is_arabic_letter) => {
                    *document_lang.get_or_init(|| Lang::detect(text, Lang::En))
                }
                detected => detected,
            });
            let rules = match paragraph_lang {
                Lang::Ar => &self.rules.arabic,
                Lang::En => &self.rules.english,
            };
            breaks.clear();
            rules.find_breaks(body, &mut breaks);
            if count.saturating_add(breaks.len()) >= limit {
                // Blank pieces make no segment: count the ones that do.
                let mut starts = std::iter::once(0).chain(breaks.iter().copied());
                let pieces = breaks
                    .iter()
                    .copied()
                    .chain([body.len()])
                    .filter(|&end| starts.next().and_then(|start| trimmed(body, start, end)).is_some())
                    .count();
                if count.saturating_add(pieces) > limit {
                    return false;
                }
            }
            let mut piece_start = 0;
            let mut first = true;
            for piece_end in breaks.iter().copied().chain([body.len()]) {
                if let Some((start, end)) = trimmed(body, piece_start, piece_end) {
                    let piece = Piece {
                        lang: paragraph_lang,
                        paragraph: index,
                        start: paragraph.start + start,
                        end: paragraph.start + end,
                    };
                    each(piece, if first { breaks.len() + 1 } else { 0 });
                    first = false;
                    count += 1;
                }
                piece_start = piece_end;
            }
        }
        true
    }
}

/// A segment as byte offsets into the text it was cut from.
#[derive(Debug, Clone, Copy)]
struct Piece {
    lang: Lang,
    paragraph: usize,
    start: usize,
    end: usize,
}

/// The byte ranges of the paragraphs of `text`, whitespace trimmed: runs of
/// lines separated by one or more blank (whitespace-only) lines, or by
/// U+2029 PARAGRAPH SEPARATOR. CRLF and LF both end a line.
pub fn paragraphs(text: &str) -> impl Iterator<Item = std::ops::Range<usize>> + '_ {
    let mut lines = text.split_inclusive(['\n', '\u{2029}']);
    let mut offset = 0;
    std::iter::from_fn(move || {
        let mut current: Option<(usize, usize)> = None;
        for line in lines.by_ref() {
            let line_start = offset;
            offset += line.len();
            if line.chars().all(char::is_whitespace) {
                if current.is_some() {
                    break;
                }
                continue;
            }
            let start = current.map_or(line_start, |(start, _)| start);
            current = Some((start, offset));
            if line.ends_with('\u{2029}') {
                break;
            }
        }
        let (start, end) = current?;
        trimmed(text, start, end).map(|(s, e)| s..e)
    })
}

/// `start..end` of `text` without leading and trailing whitespace, or
/// `None` if nothing is left.
fn trimmed(text: &str, start: usize, end: usize) -> Option<(usize, usize)> {
    let piece = &text[start..end];
    let inner = piece.trim();
    if inner.is_empty() {
        return None;
    }
    let leading = piece.len() - piece.trim_start().len();
    Some((start + leading, start + leading + inner.len()))
}

/// Writes segments in the text format: one segment per line, one blank line
/// between paragraphs. This is the format [`read_presegmented`] reads.
/// Where a segment itself spans lines (rules that do not break at line
/// breaks), its line breaks are written as spaces so that it stays one line.
pub fn format_text(segments: &[Segment]) -> String {
    let mut out = String::with_capacity(segments.iter().map(|s| s.text.len() + 1).sum::<usize>() + 16);
    let mut previous_paragraph = None;
    for segment in segments {
        write_text_line(&mut out, &segment.text, segment.paragraph, &mut previous_paragraph);
    }
    out
}

/// One segment of [`format_text`]: a blank line first when it opens a new
/// paragraph, its own line breaks as spaces.
fn write_text_line(out: &mut String, text: &str, paragraph: usize, previous_paragraph: &mut Option<usize>) {
    if previous_paragraph.is_some_and(|p| p != paragraph) {
        out.push('\n');
    }
    *previous_paragraph = Some(paragraph);
    let mut rest = text;
    while let Some(at) = rest.find(['\r', '\n', '\u{85}', '\u{2028}', '\u{2029}']) {
        out.push_str(&rest[..at]);
        out.push(' ');
        let skip = if rest[at..].starts_with("\r\n") {
            2
        } else {
            rest[at..].chars().next().map_or(1, char::len_utf8)
        };
        rest = &rest[at + skip..];
    }
    out.push_str(rest);
    out.push('\n');
}

/// The `--format json` shape: `{"segments": [{"text", "lang", "paragraph",
/// "start", "end"}, …]}`.
pub fn format_json(segments: &[Segment]) -> String {
    #[derive(serde::Serialize)]
    struct Document<'a> {
        segments: &'a [Segment],
    }
    let mut json = serde_json::to_string_pretty(&Document { segments })
        .unwrap_or_else(|e| unreachable!("segments always serialize: {e}"));
    json.push('\n');
    json
}

/// Reads the presegmented format: one segment per non-blank line, a blank
/// line (or several) between paragraphs.
pub fn read_presegmented(text: &str, lang: Option<Lang>) -> Vec<Segment> {
    let mut segments = Vec::new();
    let mut paragraph = 0;
    let mut in_paragraph = false;
    let mut offset = 0;
    for line in text.split_inclusive('\n') {
        let content = line.trim_end_matches(['\n', '\r']);
        let trimmed = content.trim();
        if trimmed.is_empty() {
            if in_paragraph {
                paragraph += 1;
                in_paragraph = false;
            }
        } else {
            let start = offset + (content.len() - content.trim_start().len());
            segments.push(Segment {
                text: trimmed.to_string(),
                lang: lang.unwrap_or_else(|| Lang::detect(trimmed, Lang::En)),
                paragraph,
                start,
                end: start + trimmed.len(),
            });
            in_paragraph = true;
        }
        offset += line.len();
    }
    segments
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn paragraphs_split_at_blank_lines_crlf_and_u2029() {
        let text = "أول.\r\nسطر ثان\r\n \t\r\n\r\nثالث\u{2029}رابع\n\n\n";
        let found: Vec<&str> = paragraphs(text).map(|r| &text[r]).collect();
        assert_eq!(found, ["أول.\r\nسطر ثان", "ثالث", "رابع"]);
        assert_eq!(paragraphs("  \n\n \u{2029}").count(), 0);
    }

    #[test]
    fn auto_mode_gives_letterless_paragraphs_the_language_of_the_text() {
        let langs = |text: &str| -> Vec<Lang> {
            Segmenter::builtin().segment(text, None).into_iter().map(|s| s.lang).collect()
        };
        assert_eq!(langs("الرقة تذبح بصمت\n\n12, 13.\n\nRaqqa"), [Lang::Ar, Lang::Ar, Lang::En]);
        assert_eq!(langs("One.\n\n٢٠١٧\n\nTwo.\n\nقال"), [Lang::En, Lang::En, Lang::En, Lang::Ar]);
    }

    #[test]
    fn text_format_round_trips_through_read_presegmented() {
        let text = "الرقة تذبح بصمت. وقال المسؤول إن الهجوم بدأ.\n\nSecond paragraph. It has two.";
        let segments = Segmenter::builtin().segment(text, None);
        let printed = format_text(&segments);
        assert_eq!(
            printed,
            "الرقة تذبح بصمت.\nوقال المسؤول إن الهجوم بدأ.\n\nSecond paragraph.\nIt has two.\n"
        );
        let read: Vec<(String, usize)> =
            read_presegmented(&printed, None).into_iter().map(|s| (s.text, s.paragraph)).collect();
        let original: Vec<(String, usize)> = segments.into_iter().map(|s| (s.text, s.paragraph)).collect();
        assert_eq!(read, original);
    }

    #[test]
    fn text_without_segments_is_the_text_format_of_the_segments() {
        let dots = Segmenter::from_srx(
            r#"<srx version="2.0"><header segmentsubflows="yes"/><body><languagerules>
            <languagerule languagerulename="all"><rule break="yes"><beforebreak>.</beforebreak><afterbreak>.</afterbreak></rule></languagerule>
            </languagerules><maprules><languagemap languagepattern=".*" languagerulename="all"/></maprules></body></srx>"#,
            "dots.srx",
        )
        .unwrap();
        for text in [
            "الرقة تذبح بصمت. وقال المسؤول إن الهجوم بدأ.\n\nSecond paragraph. It has two.",
            "Mr. Smith went\r\nto Washington. He said so.\n \n\nقال\u{2029}٢٠١٧.",
            "",
            "  \n\n",
        ] {
            for segmenter in [Segmenter::builtin(), dots.clone()] {
                for lang in [None, Some(Lang::Ar), Some(Lang::En)] {
                    let segments = segmenter.segment(text, lang);
                    assert_eq!(segmenter.segment_to_text(text, lang), format_text(&segments), "{text:?}");
                }
            }
        }
        assert_eq!(dots.segment_to_text("ab c", Some(Lang::En)), "a\nb\nc\n");
    }

    #[test]
    fn text_format_keeps_a_multi_line_segment_on_one_line() {
        let segment = Segment { text: "a\r\nb\nc".into(), lang: Lang::En, paragraph: 0, start: 0, end: 6 };
        assert_eq!(format_text(&[segment]), "a b c\n");
    }

    #[test]
    fn json_has_the_documented_shape() {
        let segments = Segmenter::builtin().segment("\u{FEFF}x", Some(Lang::En));
        let value: serde_json::Value = serde_json::from_str(&format_json(&segments)).unwrap();
        assert_eq!(
            value,
            serde_json::json!({"segments": [{"text": "\u{FEFF}x", "lang": "en", "paragraph": 0, "start": 0, "end": 4}]})
        );
        assert_eq!(format_json(&[]).trim(), "{\n  \"segments\": []\n}");
    }
}
