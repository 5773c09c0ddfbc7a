//! `align`: an article pair read and aligned as every command does, and
//! the alignment written out in the formats `align --format` prints
//! (beads, tsv, json, tmx).

use std::io::Write;
use std::path::PathBuf;

use super::WorkflowError;
use super::article::{ArticleInput, GlossaryChoice, LoadedPair, read_pair};
use crate::align::{self, AlignOptions, Bead, Evidence};
use crate::pair::ArticlePair;
use crate::project::{Project, document_name};
use crate::render::Message;
use crate::segment::Segment;
use crate::tmx::{TmxWriter, WriterOptions};

/// What `align` takes.
#[derive(Debug, Clone)]
pub struct AlignRequest {
    /// The Arabic source (`-` = stdin).
    pub source: PathBuf,
    /// Its English translation (`-` = stdin).
    pub target: PathBuf,
    pub input: ArticleInput,
    /// The glossaries whose terms anchor the alignment.
    pub glossary: GlossaryChoice,
    /// Largest N in a 1-N or N-1 bead (1 to [`align::MAX_BEAD_LIMIT`]).
    pub max_bead: usize,
    /// Beads below this confidence are flagged (tsv, json).
    pub min_confidence: f64,
    pub format: AlignmentFormat,
    /// With [`AlignmentFormat::Beads`]: a comment before each bead
    /// ([`format_annotated_beads`]).
    pub annotate: bool,
}

/// An aligned pair: the output, and the warnings and notes for the caller
/// to show, in order.
#[derive(Debug)]
pub struct Aligned {
    pub output: String,
    pub messages: Vec<Message>,
}

/// Reads and aligns the pair of `request` and writes its alignment in the
/// format asked. The messages: glossary and word-list warnings, which word
/// lists anchor the alignment, an empty side, the aligner's warnings.
pub fn align(project: &Project, request: &AlignRequest) -> Result<Aligned, WorkflowError> {
    let mut warnings = Vec::new();
    let recognizer = request.glossary.anchors(project, &mut warnings)?;
    let mut options = request.input.options(recognizer, &mut warnings)?;
    let mut messages: Vec<Message> = warnings.into_iter().map(Message::Warning).collect();
    if let Some(dictionary) = &options.align.dictionary {
        let names: Vec<String> = request.input.word_lists()?.into_iter().map(|(_, name)| name).collect();
        messages.push(Message::Note(format!(
            "dictionary: {} ({} entries)",
            names.join(", "),
            dictionary.len()
        )));
    }
    options.align =
        AlignOptions { max_bead: request.max_bead, min_confidence: request.min_confidence, ..options.align };
    let LoadedPair { pair, source, target } =
        read_pair(&request.source, &request.target, &document_name(&request.source), &options)?;
    for (input, segments) in [(&source, &pair.source), (&target, &pair.target)] {
        if segments.is_empty() {
            let empty = format!("{}: no sentences (the file is empty or only blank lines)", input.name);
            messages.push(Message::Warning(empty));
        }
    }
    messages.extend(pair.alignment.warnings.iter().cloned().map(Message::Warning));
    let output = if request.annotate && request.format == AlignmentFormat::Beads {
        format_annotated_beads(&pair)
    } else {
        let mut bytes = Vec::new();
        write_alignment(&mut bytes, &pair, request.format, request.min_confidence)
            .map_err(|e| WorkflowError::io(&request.source, format!("cannot write the alignment: {e}")))?;
        // Every format writes Rust strings: the bytes are UTF-8.
        String::from_utf8_lossy(&bytes).into_owned()
    };
    Ok(Aligned { output, messages })
}

/// How an alignment is written.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum AlignmentFormat {
    /// `6<TAB>6,7,8` a line, 0-based (editable, read back by `--beads`).
    Beads,
    /// Confidence, source text, target text (and `low-confidence`).
    Tsv,
    /// Segments and beads with confidence and evidence (indices 0-based,
    /// offsets in UTF-8 bytes).
    Json,
    /// A TMX 1.4b document, one unit per bead with both sides.
    Tmx,
}

impl AlignmentFormat {
    pub const ALL: [AlignmentFormat; 4] =
        [AlignmentFormat::Beads, AlignmentFormat::Tsv, AlignmentFormat::Json, AlignmentFormat::Tmx];

    pub fn name(self) -> &'static str {
        match self {
            AlignmentFormat::Beads => "beads",
            AlignmentFormat::Tsv => "tsv",
            AlignmentFormat::Json => "json",
            AlignmentFormat::Tmx => "tmx",
        }
    }

    pub fn from_name(name: &str) -> Option<AlignmentFormat> {
        AlignmentFormat::ALL.into_iter().find(|f| f.name() == name)
    }
}

impl std::str::FromStr for AlignmentFormat {
    type Err = String;
    fn from_str(name: &str) -> Result<Self, Self::Err> {
        AlignmentFormat::from_name(name).ok_or_else(|| {
            let names: Vec<&str> = AlignmentFormat::ALL.iter().map(|f| f.name()).collect();
            format!("unknown format `{name}` (expected one of: {})", names.join(", "))
        })
    }
}

/// The beads format with a comment before each bead: its number (from 1,
/// as people count) and the first words of both sides, so a person fixing
/// the alignment by hand sees what each line pairs. `--beads` reads it back
/// (comments are skipped).
pub fn format_annotated_beads(pair: &ArticlePair) -> String {
    const WORDS: usize = 6;
    let first_words = |text: String| {
        let words: Vec<&str> = text.split_whitespace().collect();
        let more = if words.len() > WORDS { " …" } else { "" };
        let shown: String = words.iter().take(WORDS).copied().collect::<Vec<_>>().join(" ");
        // One line per comment, whatever the text holds.
        shown.replace(|c: char| c.is_control(), " ") + more
    };
    let mut out = String::new();
    for (index, bead) in pair.alignment.beads.iter().enumerate() {
        out.push_str(&format!(
            "# {}: {} | {}\n",
            index + 1,
            first_words(pair.source_of(bead)),
            first_words(pair.target_of(bead))
        ));
        out.push_str(&align::format_beads(std::slice::from_ref(bead)));
    }
    out
}

/// Writes the pair's alignment in `format`; beads below `min_confidence`
/// are flagged (tsv, json).
pub fn write_alignment(
    out: &mut dyn Write,
    pair: &ArticlePair,
    format: AlignmentFormat,
    min_confidence: f64,
) -> std::io::Result<()> {
    match format {
        AlignmentFormat::Beads => out.write_all(align::format_beads(&pair.alignment.beads).as_bytes()),
        AlignmentFormat::Tsv => write_tsv(out, pair, min_confidence),
        AlignmentFormat::Json => write_json(out, pair, min_confidence),
        AlignmentFormat::Tmx => write_tmx(out, pair),
    }
}

/// The pairs as TMX 1.4b, written by the same code as `tm add` + `tm
/// export` (one unit per bead with both sides; document, paragraph and
/// confidence as props).
fn write_tmx(out: &mut dyn Write, pair: &ArticlePair) -> std::io::Result<()> {
    let created = crate::tmx::now();
    let (units, _one_sided) = crate::memory::units_from_pair(pair, 0.0, &created);
    let options = WriterOptions { creation_date: Some(created), ..WriterOptions::default() };
    let mut writer = TmxWriter::new(out, &options)?;
    for unit in &units {
        writer.write_unit(unit)?;
    }
    writer.finish().map(|_| ())
}

/// `confidence<TAB>source<TAB>target`, and a fourth column
/// `low-confidence` on flagged beads only. Tabs and line breaks inside a
/// sentence become spaces (TSV has no quoting).
fn write_tsv(out: &mut dyn Write, pair: &ArticlePair, min_confidence: f64) -> std::io::Result<()> {
    let clean = |text: String| text.replace(['\t', '\n', '\r'], " ");
    for bead in &pair.alignment.beads {
        write!(
            out,
            "{:.4}\t{}\t{}",
            bead.confidence,
            clean(pair.source_of(bead)),
            clean(pair.target_of(bead))
        )?;
        if bead.is_flagged(min_confidence) {
            write!(out, "\tlow-confidence")?;
        }
        writeln!(out)?;
    }
    Ok(())
}

#[derive(serde::Serialize)]
struct JsonAlignment<'a> {
    source: JsonSide<'a>,
    target: JsonSide<'a>,
    beads: Vec<JsonBead<'a>>,
    warnings: &'a [String],
}

#[derive(serde::Serialize)]
struct JsonSide<'a> {
    segments: &'a [Segment],
}

#[derive(serde::Serialize)]
struct JsonBead<'a> {
    source: &'a [usize],
    target: &'a [usize],
    confidence: f64,
    /// Below `--min-confidence`: review before trusting.
    flagged: bool,
    evidence: &'a [Evidence],
}

fn write_json(out: &mut dyn Write, pair: &ArticlePair, min_confidence: f64) -> std::io::Result<()> {
    fn json_bead(bead: &Bead, min_confidence: f64) -> JsonBead<'_> {
        JsonBead {
            source: &bead.source,
            target: &bead.target,
            confidence: bead.confidence,
            flagged: bead.is_flagged(min_confidence),
            evidence: &bead.evidence,
        }
    }
    let document = JsonAlignment {
        source: JsonSide { segments: &pair.source },
        target: JsonSide { segments: &pair.target },
        beads: pair.alignment.beads.iter().map(|bead| json_bead(bead, min_confidence)).collect(),
        warnings: &pair.alignment.warnings,
    };
    serde_json::to_writer_pretty(&mut *out, &document)?;
    writeln!(out)
}
