//! Publishing: the English edition (HTML, Markdown, plain text) and the
//! bilingual side-by-side HTML edition of an article and its translation.
//!
//! Owns: the [`Edition`] view model (built from an [`ArticlePair`] plus
//! glossary [`Highlight`]s ([`term_highlights`]) and check [`FindingMark`]s
//! ([`FindingMark::from_finding`])), the pure renderers
//! [`render_english_html`], [`render_english_markdown`],
//! [`render_english_text`] and [`render_bilingual_html`], and the
//! [`EditionFormat`]s with their file names. Adding an edition format is one
//! variant of [`EditionFormat`] and its renderer. No I/O: the workflow
//! ([`crate::workflow`]) writes the strings these return.
//!
//! Safety of the output (see [`escape`]): every piece of user text is
//! escaped for its format, and bidi controls in user text are shown as
//! visible `[U+202E]` markers so they cannot reorder the page.

pub mod brief;
pub mod escape;
mod html;
mod plain;

use std::ops::Range;

pub use html::{render_bilingual_html, render_english_html};
pub use plain::{render_english_markdown, render_english_text};

use crate::check::Finding;
pub use crate::check::Severity;
use crate::glossary::{Entry, Recognizer, Rendering};
use crate::lang::Lang;
use crate::pair::{ArticlePair, JoinedSentences, join_sentences};
use crate::segment::Segment;

/// Which text of the pair a span refers to.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Side {
    /// The Arabic original.
    Source,
    /// The English translation.
    Target,
}

/// What the user told us about the article (all optional).
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Metadata {
    /// Overrides the title taken from the translation's first paragraph.
    pub title: Option<String>,
    pub byline: Option<String>,
    /// Shown as a link only when it is an `http`/`https` URL.
    pub source_url: Option<String>,
    pub date: Option<String>,
}

/// A glossary term found in one cell of the bilingual edition.
#[derive(Debug, Clone, PartialEq)]
pub struct Highlight {
    /// 0-based bead (row) index.
    pub bead: usize,
    pub side: Side,
    /// Byte span in the cell text ([`ArticlePair::source_of`] /
    /// [`ArticlePair::target_of`] of that bead); see [`CellLocator`].
    pub span: Range<usize>,
    /// The glossary entry's Arabic term.
    pub term: String,
    /// Its approved English rendering.
    pub rendering: String,
    /// The entry's note or comment (may be empty).
    pub note: String,
    /// The kind of name (`place`, `group`, …): becomes the CSS class
    /// `term-<kind>` after reduction to `[a-z0-9-]`.
    pub kind: String,
}

/// A check finding to show on the page.
#[derive(Debug, Clone, PartialEq)]
pub struct FindingMark {
    /// The check id (`term-forbidden`, …).
    pub check: String,
    pub severity: Severity,
    pub message: String,
    /// 0-based beads (rows) the finding is about, first the one it is
    /// listed under; empty for a finding about the whole document.
    pub beads: Vec<usize>,
    /// Text to mark.
    pub spans: Vec<FindingSpan>,
}

/// A span a finding points at, in one cell.
#[derive(Debug, Clone, PartialEq)]
pub struct FindingSpan {
    /// 0-based bead (row).
    pub bead: usize,
    pub side: Side,
    /// Byte span in that bead's cell text.
    pub span: Range<usize>,
}

/// Choices about how the pair is presented.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct EditionOptions {
    /// Beads with a confidence below this are marked as low confidence
    /// (default: the aligner's own review threshold).
    pub low_confidence_below: f64,
    /// Keep glossary and finding highlights when the bilingual page is
    /// printed (the `print-highlights` class on `<body>`).
    pub print_highlights: bool,
}

impl Default for EditionOptions {
    fn default() -> Self {
        EditionOptions { low_confidence_below: crate::align::DEFAULT_MIN_CONFIDENCE, print_highlights: false }
    }
}

/// A paragraph of one side, exactly as written.
#[derive(Debug, Clone, PartialEq)]
pub struct Paragraph {
    pub text: String,
    /// Detected from the text itself.
    pub lang: Lang,
}

/// Everything the renderers need, as plain data.
#[derive(Debug, Clone, PartialEq)]
pub struct Edition {
    /// The document name (file names, `<meta>`).
    pub name: String,
    pub title: String,
    /// The title is the translation's first paragraph (so the English
    /// edition's body starts at the second).
    pub title_from_text: bool,
    pub metadata: Metadata,
    pub source_paragraphs: Vec<Paragraph>,
    pub target_paragraphs: Vec<Paragraph>,
    /// One per bead, in order.
    pub rows: Vec<Row>,
    pub findings: Vec<FindingMark>,
    /// The aligner's warnings (e.g. "the translation looks like another text").
    pub warnings: Vec<String>,
    pub options: EditionOptions,
}

/// One bead: source sentences facing their translation.
#[derive(Debug, Clone, PartialEq)]
pub struct Row {
    /// 0-based bead index (the page numbers rows from 1).
    pub bead: usize,
    pub source: Cell,
    pub target: Cell,
    /// A paragraph of either side starts at this row.
    pub paragraph_start: bool,
    pub confidence: f64,
    pub low_confidence: bool,
    /// Indices into [`Edition::findings`].
    pub findings: Vec<usize>,
}

/// The sentences of one side of a bead.
#[derive(Debug, Clone, PartialEq)]
pub struct Cell {
    /// The bead's sentences joined by a space (as [`ArticlePair::source_of`]).
    pub text: String,
    /// Detected per cell: an English caption in the Arabic text is `en`.
    pub lang: Lang,
    /// Byte offsets in `text` where a new paragraph begins within the cell.
    pub paragraph_breaks: Vec<usize>,
    /// Non-overlapping marked spans, in order.
    pub marks: Vec<Mark>,
}

/// A marked span of a cell: a glossary term, findings, or both.
#[derive(Debug, Clone, PartialEq)]
pub struct Mark {
    pub span: Range<usize>,
    /// The glossary entries matched here (several when entries share a
    /// spelling); empty for a span marked only by findings.
    pub terms: Vec<TermTip>,
    /// Indices into [`Edition::findings`].
    pub findings: Vec<usize>,
}

/// What a highlighted term's tooltip says.
#[derive(Debug, Clone, PartialEq)]
pub struct TermTip {
    pub term: String,
    pub rendering: String,
    pub note: String,
    /// Already reduced to `[a-z0-9-]`.
    pub kind: String,
}

impl Edition {
    /// Builds the view model of `pair`. Highlights and finding spans that
    /// fall outside their cell or off a character boundary are ignored;
    /// overlapping ones are resolved as described at [`Cell::marks`]:
    /// highlights sorted by start (longer first) keep the first of any
    /// overlapping group; a finding span that overlaps a kept mark is
    /// attached to it, otherwise it becomes a mark of its own.
    pub fn build(
        pair: &ArticlePair,
        metadata: Metadata,
        highlights: &[Highlight],
        findings: Vec<FindingMark>,
        options: EditionOptions,
    ) -> Edition {
        let source_paragraphs = paragraphs(&pair.source_text, &pair.source, Lang::Ar);
        let target_paragraphs = paragraphs(&pair.target_text, &pair.target, Lang::En);

        let mut rows: Vec<Row> = Vec::with_capacity(pair.alignment.beads.len());
        let (mut last_source_paragraph, mut last_target_paragraph) = (None, None);
        for (index, bead) in pair.alignment.beads.iter().enumerate() {
            let source = cell(&pair.source, &bead.source, Lang::Ar);
            let target = cell(&pair.target, &bead.target, Lang::En);
            let starts_paragraph = |segments: &[Segment], indices: &[usize], last: Option<usize>| {
                let first = indices.first().and_then(|&i| segments.get(i)).map(|s| s.paragraph);
                first.is_some() && first != last
            };
            let paragraph_start = index == 0
                || starts_paragraph(&pair.source, &bead.source, last_source_paragraph)
                || starts_paragraph(&pair.target, &bead.target, last_target_paragraph);
            let last_paragraph = |segments: &[Segment], indices: &[usize], before: Option<usize>| {
                indices.last().and_then(|&i| segments.get(i)).map(|s| s.paragraph).or(before)
            };
            last_source_paragraph = last_paragraph(&pair.source, &bead.source, last_source_paragraph);
            last_target_paragraph = last_paragraph(&pair.target, &bead.target, last_target_paragraph);
            let confidence = if bead.confidence.is_finite() { bead.confidence } else { 0.0 };
            rows.push(Row {
                bead: index,
                source,
                target,
                paragraph_start,
                confidence,
                low_confidence: confidence < options.low_confidence_below,
                findings: Vec::new(),
            });
        }

        let mut ordered: Vec<&Highlight> = highlights.iter().collect();
        ordered
            .sort_by_key(|h| (h.bead, h.side == Side::Target, h.span.start, std::cmp::Reverse(h.span.end)));
        for highlight in ordered {
            let Some(row) = rows.get_mut(highlight.bead) else { continue };
            let cell = row.cell_mut(highlight.side);
            if !valid_span(&cell.text, &highlight.span) {
                continue;
            }
            let tip = TermTip {
                term: highlight.term.clone(),
                rendering: highlight.rendering.clone(),
                note: highlight.note.clone(),
                kind: css_token(&highlight.kind),
            };
            match cell.overlapping(&highlight.span) {
                // Two entries spelled alike match the same words: one mark, both tips.
                Some(existing) if cell.marks[existing].span == highlight.span => {
                    if !cell.marks[existing].terms.contains(&tip) {
                        cell.marks[existing].terms.push(tip);
                    }
                }
                Some(_) => {}
                None => {
                    cell.insert(Mark { span: highlight.span.clone(), terms: vec![tip], findings: Vec::new() })
                }
            }
        }

        for (finding_index, finding) in findings.iter().enumerate() {
            for &bead in &finding.beads {
                if let Some(row) = rows.get_mut(bead).filter(|row| !row.findings.contains(&finding_index)) {
                    row.findings.push(finding_index);
                }
            }
            for FindingSpan { bead, side, span } in &finding.spans {
                let Some(row) = rows.get_mut(*bead) else { continue };
                let cell = row.cell_mut(*side);
                if !valid_span(&cell.text, span) {
                    continue;
                }
                match cell.overlapping(span) {
                    Some(existing) => {
                        let mark = &mut cell.marks[existing];
                        if !mark.findings.contains(&finding_index) {
                            mark.findings.push(finding_index);
                        }
                    }
                    None => cell.insert(Mark {
                        span: span.clone(),
                        terms: Vec::new(),
                        findings: vec![finding_index],
                    }),
                }
            }
        }

        let (title, title_from_text) = match metadata.title.as_deref().map(str::trim) {
            Some(title) if !title.is_empty() => (title.to_string(), false),
            _ => match target_paragraphs.first() {
                Some(first) if target_paragraphs.len() > 1 && looks_like_headline(&first.text) => {
                    (first.text.clone(), true)
                }
                _ => (pair.name.clone(), false),
            },
        };

        Edition {
            name: pair.name.clone(),
            title,
            title_from_text,
            metadata,
            source_paragraphs,
            target_paragraphs,
            rows,
            findings,
            warnings: pair.alignment.warnings.clone(),
            options,
        }
    }

    /// The English edition's body: the translation's paragraphs without the
    /// one used as the title.
    pub fn body_paragraphs(&self) -> &[Paragraph] {
        let skip = usize::from(self.title_from_text).min(self.target_paragraphs.len());
        &self.target_paragraphs[skip..]
    }

    /// How many findings of each severity, most severe first (error,
    /// warning, info).
    pub fn count_by_severity(&self) -> [(Severity, usize); 3] {
        Severity::MOST_SEVERE_FIRST.map(|s| (s, self.findings.iter().filter(|f| f.severity == s).count()))
    }
}

impl FindingMark {
    /// A check finding as the page shows it: listed under its bead (and
    /// every other bead it concerns), its spans marked in that bead's cells,
    /// its suggestion appended to the message when the message lacks it.
    pub fn from_finding(finding: &Finding) -> FindingMark {
        let mut beads: Vec<usize> = Vec::new();
        for bead in finding.bead.into_iter().chain(finding.beads.iter().copied()) {
            if !beads.contains(&bead) {
                beads.push(bead);
            }
        }
        let mut spans = Vec::new();
        if let Some(bead) = finding.bead {
            for (side, span) in [(Side::Source, finding.source_span), (Side::Target, finding.target_span)] {
                if let Some((start, end)) = span {
                    spans.push(FindingSpan { bead, side, span: start..end });
                }
            }
        }
        let mut message = finding.message.clone();
        if let Some(suggestion) = finding.suggestion.as_deref().filter(|s| !message.contains(*s)) {
            message.push_str(&format!(" (suggested: {suggestion})"));
        }
        FindingMark {
            check: finding.check.id().to_string(),
            severity: finding.severity,
            message,
            beads,
            spans,
        }
    }
}

/// Every glossary term the recognizer finds in each cell, on both sides, as
/// highlights (spans in the cell text, as `check` reports them). A
/// forbidden rendering is highlighted as `forbidden`, whatever its entry's
/// kind.
pub fn term_highlights(pair: &ArticlePair, recognizer: &Recognizer) -> Vec<Highlight> {
    let entries = recognizer.entries();
    let mut highlights = Vec::new();
    for (bead_index, bead) in pair.alignment.beads.iter().enumerate() {
        let source = pair.source_of(bead);
        for found in recognizer.find_arabic(&source) {
            let Some(entry) = entries.get(found.entry) else { continue };
            highlights.push(Highlight {
                bead: bead_index,
                side: Side::Source,
                span: found.span.0..found.span.1,
                term: entry.source.clone(),
                rendering: entry.target.clone(),
                note: entry_note(entry),
                kind: entry.kind.name().to_string(),
            });
        }
        let target = pair.target_of(bead);
        for found in recognizer.find_english(&target) {
            let Some(entry) = entries.get(found.entry) else { continue };
            let (note, kind) = match found.rendering {
                Rendering::Forbidden => {
                    (format!("“{}” is not the house form. {}", found.surface, entry_note(entry)), "forbidden")
                }
                _ => (entry_note(entry), entry.kind.name()),
            };
            highlights.push(Highlight {
                bead: bead_index,
                side: Side::Target,
                span: found.span.0..found.span.1,
                term: entry.source.clone(),
                rendering: entry.target.clone(),
                note: note.trim().to_string(),
                kind: kind.to_string(),
            });
        }
    }
    highlights
}

/// What a tooltip says about an entry: its note, else its comment.
fn entry_note(entry: &Entry) -> String {
    if entry.note.trim().is_empty() {
        entry.comment.trim().to_string()
    } else {
        entry.note.trim().to_string()
    }
}

/// The files an edition is written as. Names (`html`, `md`, `txt`,
/// `bilingual`) are what `--formats` takes.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum EditionFormat {
    /// `NAME.en.html`: the English edition as a web page.
    Html,
    /// `NAME.en.md`: the English edition as Markdown.
    Markdown,
    /// `NAME.en.txt`: the English edition as plain text.
    Text,
    /// `NAME.bilingual.html`: Arabic and English side by side.
    Bilingual,
}

impl EditionFormat {
    /// Every format, in the order editions are written by default.
    pub const ALL: [EditionFormat; 4] =
        [EditionFormat::Html, EditionFormat::Markdown, EditionFormat::Text, EditionFormat::Bilingual];

    /// The name `--formats` takes.
    pub fn name(self) -> &'static str {
        match self {
            EditionFormat::Html => "html",
            EditionFormat::Markdown => "md",
            EditionFormat::Text => "txt",
            EditionFormat::Bilingual => "bilingual",
        }
    }

    pub fn from_name(name: &str) -> Option<EditionFormat> {
        EditionFormat::ALL.into_iter().find(|f| f.name() == name)
    }

    /// What it does, for `--help`.
    pub fn description(self) -> &'static str {
        match self {
            EditionFormat::Html => "the English edition as a web page (NAME.en.html)",
            EditionFormat::Markdown => "the English edition as Markdown (NAME.en.md)",
            EditionFormat::Text => "the English edition as plain text (NAME.en.txt)",
            EditionFormat::Bilingual => "Arabic and English side by side (NAME.bilingual.html)",
        }
    }

    /// The file this format is written to for document `name`.
    pub fn file_name(self, name: &str) -> String {
        match self {
            EditionFormat::Html => format!("{name}.en.html"),
            EditionFormat::Markdown => format!("{name}.en.md"),
            EditionFormat::Text => format!("{name}.en.txt"),
            EditionFormat::Bilingual => format!("{name}.bilingual.html"),
        }
    }

    /// The edition rendered in this format.
    pub fn render(self, edition: &Edition) -> String {
        match self {
            EditionFormat::Html => render_english_html(edition),
            EditionFormat::Markdown => render_english_markdown(edition),
            EditionFormat::Text => render_english_text(edition),
            EditionFormat::Bilingual => render_bilingual_html(edition),
        }
    }
}

impl Row {
    fn cell_mut(&mut self, side: Side) -> &mut Cell {
        match side {
            Side::Source => &mut self.source,
            Side::Target => &mut self.target,
        }
    }

    pub fn cell(&self, side: Side) -> &Cell {
        match side {
            Side::Source => &self.source,
            Side::Target => &self.target,
        }
    }
}

impl Cell {
    fn overlapping(&self, span: &Range<usize>) -> Option<usize> {
        self.marks.iter().position(|m| m.span.start < span.end && span.start < m.span.end)
    }

    fn insert(&mut self, mark: Mark) {
        let at = self.marks.partition_point(|m| m.span.start < mark.span.start);
        self.marks.insert(at, mark);
    }
}

/// Maps byte spans in a whole text (what a recognizer run over
/// `pair.source_text` reports) to a bead and a span in that bead's cell.
#[derive(Debug, Clone)]
pub struct CellLocator {
    source: Vec<Placement>,
    target: Vec<Placement>,
}

/// Where one sentence sits: its span in the text, its bead and its offset
/// in the bead's cell.
#[derive(Debug, Clone, Copy)]
struct Placement {
    start: usize,
    end: usize,
    bead: usize,
    cell_offset: usize,
}

impl CellLocator {
    pub fn new(pair: &ArticlePair) -> CellLocator {
        let place = |segments: &[Segment], pick: fn(&crate::align::Bead) -> &Vec<usize>| {
            let mut placements = Vec::new();
            for (bead_index, bead) in pair.alignment.beads.iter().enumerate() {
                let mut offset = 0;
                for &i in pick(bead) {
                    let Some(segment) = segments.get(i) else { continue };
                    placements.push(Placement {
                        start: segment.start,
                        end: segment.end,
                        bead: bead_index,
                        cell_offset: offset,
                    });
                    offset += segment.text.len() + 1;
                }
            }
            placements.sort_by_key(|p| p.start);
            placements
        };
        CellLocator { source: place(&pair.source, |b| &b.source), target: place(&pair.target, |b| &b.target) }
    }

    /// The bead and cell span of a text span, when the span lies within one
    /// sentence.
    pub fn locate(&self, side: Side, span: &Range<usize>) -> Option<(usize, Range<usize>)> {
        let placements = match side {
            Side::Source => &self.source,
            Side::Target => &self.target,
        };
        let after = placements.partition_point(|p| p.start <= span.start);
        let p = placements.get(after.checked_sub(1)?)?;
        (span.end <= p.end && span.start <= span.end).then(|| {
            let start = p.cell_offset + (span.start - p.start);
            (p.bead, start..start + (span.end - span.start))
        })
    }
}

fn cell(segments: &[Segment], indices: &[usize], fallback: Lang) -> Cell {
    let JoinedSentences { text, paragraph_breaks } = join_sentences(segments, indices);
    let lang = Lang::detect(&text, fallback);
    Cell { text, lang, paragraph_breaks, marks: Vec::new() }
}

/// The paragraphs of a text as written: from the first sentence of each
/// paragraph to the end of its last (line breaks inside kept).
fn paragraphs(text: &str, segments: &[Segment], fallback: Lang) -> Vec<Paragraph> {
    let mut result: Vec<Paragraph> = Vec::new();
    let mut i = 0;
    while i < segments.len() {
        let paragraph = segments[i].paragraph;
        let mut j = i;
        while j + 1 < segments.len() && segments[j + 1].paragraph == paragraph {
            j += 1;
        }
        let group = &segments[i..=j];
        let exact = text.get(group[0].start..group[group.len() - 1].end);
        let paragraph_text = match exact {
            Some(slice) if slice.starts_with(group[0].text.as_str()) => slice.to_string(),
            // Segments that do not point into `text` (hand-made pairs): join them.
            _ => group.iter().map(|s| s.text.as_str()).collect::<Vec<_>>().join(" "),
        };
        let lang = Lang::detect(&paragraph_text, fallback);
        result.push(Paragraph { text: paragraph_text, lang });
        i = j + 1;
    }
    result
}

/// A short single line that does not end like a sentence.
pub(crate) fn looks_like_headline(text: &str) -> bool {
    let trimmed = text.trim();
    !trimmed.is_empty()
        && trimmed.chars().count() <= 160
        && !trimmed.contains('\n')
        && !trimmed.ends_with(['.', '!', '?', ':', ';', ',', '؟', '،', '؛'])
}

fn valid_span(text: &str, span: &Range<usize>) -> bool {
    span.start < span.end && text.get(span.clone()).is_some()
}

/// Reduces a free-form kind to a safe CSS class fragment.
fn css_token(kind: &str) -> String {
    let token: String = kind
        .chars()
        .map(|c| c.to_ascii_lowercase())
        .map(|c| if c.is_ascii_alphanumeric() { c } else { '-' })
        .collect();
    let token = token.trim_matches('-');
    if token.is_empty() { "other".to_string() } else { token.to_string() }
}

#[cfg(test)]
mod tests;
