//! `dragoman segment` (split a text file into sentences, or export the
//! built-in rules as SRX) and `dragoman align SRC TGT` (which sentences of
//! the translation translate which sentences of the source).

use std::path::PathBuf;

use super::args::{GlossaryArgs, PairInput, parse_confidence};
use super::{Context, DataFormat, Outcome, print};
use dragoman::lang::Lang;
use dragoman::segment::BUILTIN_SRX;
use dragoman::workflow::alignment::{self, AlignRequest, AlignmentFormat};
use dragoman::{align, render, segment, textio, workflow};

#[derive(Debug, clap::Args)]
pub struct SegmentArgs {
    /// The text to segment (`-` for stdin): UTF-8, or UTF-16 with a BOM.
    #[arg(required_unless_present = "export_rules")]
    file: Option<PathBuf>,
    /// The language of the text; `auto` decides per paragraph by script.
    #[arg(long, value_enum, default_value_t = LangChoice::Auto)]
    lang: LangChoice,
    /// Segment with the rules of this SRX 2.0 file instead of the built-in ones.
    #[arg(long, value_name = "FILE.srx")]
    rules: Option<PathBuf>,
    /// Output format: text, one segment per line (blank line between
    /// paragraphs, what `--presegmented` reads); json: segments with their
    /// paragraph and UTF-8 byte offsets into the input.
    #[arg(long, value_enum, default_value_t)]
    format: DataFormat,
    /// Number the sentences (from 1, as `check` and the pages count them);
    /// text output only, for reading: `--presegmented` does not read it back.
    #[arg(long)]
    numbered: bool,
    /// Write the built-in rules as an SRX 2.0 file (for OmegaT, Okapi, Trados), `-` for stdout.
    #[arg(long, value_name = "FILE.srx")]
    export_rules: Option<PathBuf>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
enum LangChoice {
    Ar,
    En,
    Auto,
}

pub fn segment(args: SegmentArgs, context: &Context) -> anyhow::Result<Outcome> {
    if let Some(target) = &args.export_rules {
        textio::write_atomic(target, BUILTIN_SRX.as_bytes())?;
    }
    let Some(file) = &args.file else { return Ok(Outcome::Ok) };
    let segmenter = workflow::article::segmenter(args.rules.as_deref())?;
    let lang = match args.lang {
        LangChoice::Ar => Some(Lang::Ar),
        LangChoice::En => Some(Lang::En),
        LangChoice::Auto => None,
    };
    let text = textio::read_text(file)?.text;
    // Plain text is written without a `Segment` per sentence: hostile rules
    // can cut 10 MB into millions of one-character segments.
    context.printer.data(&match args.format {
        DataFormat::Text if args.numbered => render::segment::numbered(&segmenter.segment(&text, lang)),
        DataFormat::Text => segmenter.segment_to_text(&text, lang),
        DataFormat::Json => segment::format_json(&segmenter.segment(&text, lang)),
    })?;
    Ok(Outcome::Ok)
}

#[derive(Debug, clap::Args)]
pub struct AlignArgs {
    /// The Arabic source text (`-` for stdin).
    source: PathBuf,
    /// Its English translation (`-` for stdin).
    target: PathBuf,
    #[command(flatten)]
    input: PairInput,
    /// beads: `6<TAB>6,7,8` a line (editable, read back by `--beads`);
    /// tsv: confidence, source text, target text; json: segments and beads
    /// with confidence and evidence; tmx: a TMX 1.4b document.
    #[arg(long, default_value = "beads")]
    format: AlignmentFormat,
    /// Glossary terms anchor the alignment: the project's glossaries, or
    /// these files.
    #[command(flatten)]
    glossary: GlossaryArgs,
    /// With `--format beads`: a `#` comment before each bead with its number
    /// (from 1) and the first words of both sides (`--beads` skips comments).
    #[arg(long)]
    annotate: bool,
    /// Largest N in a 1-N or N-1 bead.
    #[arg(long, value_name = "N", default_value_t = 5, value_parser = parse_max_bead)]
    max_bead: usize,
    /// Flag beads below this confidence (tsv and json output).
    #[arg(long, value_name = "X", default_value_t = align::DEFAULT_MIN_CONFIDENCE, value_parser = parse_confidence)]
    min_confidence: f64,
}

fn parse_max_bead(value: &str) -> Result<usize, String> {
    let n: usize = value.parse().map_err(|_| format!("`{value}` is not a whole number"))?;
    let limit = align::MAX_BEAD_LIMIT;
    if (1..=limit).contains(&n) { Ok(n) } else { Err(format!("must be between 1 and {limit}")) }
}

pub fn align(args: AlignArgs, context: &Context) -> anyhow::Result<Outcome> {
    let request = AlignRequest {
        input: args.input.input(context),
        glossary: args.glossary.choice(),
        source: args.source,
        target: args.target,
        max_bead: args.max_bead,
        min_confidence: args.min_confidence,
        format: args.format,
        annotate: args.annotate,
    };
    let aligned = alignment::align(&context.project, &request)?;
    print::messages(aligned.messages);
    context.printer.data(&aligned.output)?;
    Ok(Outcome::Ok)
}
