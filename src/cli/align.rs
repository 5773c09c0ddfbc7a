//! `dragoman align SRC TGT`: which sentences of the translation translate
//! which sentences of the source.

use std::io::Write;
use std::path::PathBuf;

use anyhow::Context as _;
use clap::ValueEnum;

use super::args::{GlossaryArgs, PairInput, parse_confidence, warn_all};
use super::{Context, Outcome, warn};
use dragoman::align::{self, AlignOptions, Bead, Evidence};
use dragoman::pair::ArticlePair;
use dragoman::project::document_name;
use dragoman::segment::Segment;
use dragoman::tmx::{TmxWriter, WriterOptions};
use dragoman::workflow::article::{LoadedPair, read_pair};

#[derive(Debug, clap::Args)]
pub struct AlignArgs {
    /// The Arabic source text (`-` for stdin).
    #[arg(value_name = "SOURCE")]
    source: PathBuf,
    /// Its English translation (`-` for stdin).
    #[arg(value_name = "TARGET")]
    target: PathBuf,
    #[command(flatten)]
    input: PairInput,
    /// beads: `6<TAB>6,7,8` a line (editable, read back by `--beads`);
    /// tsv: confidence, source text, target text; json: segments and beads
    /// with confidence and evidence; tmx: a TMX 1.4b document.
    #[arg(long, value_enum, default_value_t = AlignFormat::Beads)]
    format: AlignFormat,
    /// Glossary terms anchor the alignment: the project's glossaries, or
    /// these files.
    #[command(flatten)]
    glossary: GlossaryArgs,
    /// Largest N in a 1-N or N-1 bead.
    #[arg(long, value_name = "N", default_value_t = 5, value_parser = parse_max_bead)]
    max_bead: usize,
    /// Flag beads below this confidence (tsv and json output).
    #[arg(long, value_name = "X", default_value_t = align::DEFAULT_MIN_CONFIDENCE, value_parser = parse_confidence)]
    min_confidence: f64,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
enum AlignFormat {
    Beads,
    Tsv,
    Json,
    Tmx,
}

fn parse_max_bead(value: &str) -> Result<usize, String> {
    let n: usize = value.parse().map_err(|_| format!("`{value}` is not a whole number"))?;
    if (1..=align::MAX_BEAD_LIMIT).contains(&n) {
        Ok(n)
    } else {
        Err(format!("must be between 1 and {}", align::MAX_BEAD_LIMIT))
    }
}

pub fn run(args: AlignArgs, context: &Context) -> anyhow::Result<Outcome> {
    if args.source == args.target && args.source.as_os_str() == "-" {
        anyhow::bail!("only one of SOURCE and TARGET can be `-` (standard input)");
    }
    let mut warnings = Vec::new();
    let recognizer = args.glossary.choice().recognizer(&context.project, &mut warnings)?;
    let mut options = args.input.input().options(recognizer, &mut warnings)?;
    warn_all(&warnings);
    options.align =
        AlignOptions { max_bead: args.max_bead, min_confidence: args.min_confidence, ..options.align };
    let LoadedPair { pair, source, target } =
        read_pair(&args.source, &args.target, &document_name(&args.source), &options)?;
    for (input, segments) in [(&source, &pair.source), (&target, &pair.target)] {
        if segments.is_empty() {
            warn(format!("{}: no sentences (the file is empty or only blank lines)", input.name));
        }
    }
    for warning in &pair.alignment.warnings {
        warn(warning);
    }

    let stdout = std::io::stdout();
    let mut out = std::io::BufWriter::new(stdout.lock());
    match args.format {
        AlignFormat::Beads => out.write_all(align::format_beads(&pair.alignment.beads).as_bytes()),
        AlignFormat::Tsv => write_tsv(&mut out, &pair, args.min_confidence),
        AlignFormat::Json => write_json(&mut out, &pair, args.min_confidence),
        AlignFormat::Tmx => write_tmx(&mut out, &pair),
    }
    .and_then(|()| out.flush())
    .context("cannot write the alignment to stdout")?;
    Ok(Outcome::Ok)
}

/// The pairs as TMX 1.4b, written by the same code as `tm add` + `tm
/// export` (one unit per bead with both sides; document, paragraph and
/// confidence as props).
fn write_tmx(out: &mut impl Write, pair: &ArticlePair) -> std::io::Result<()> {
    let created = dragoman::tmx::now();
    let (units, _one_sided) = dragoman::memory::units_from_pair(pair, 0.0, &created);
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
fn write_tsv(out: &mut impl Write, pair: &ArticlePair, min_confidence: f64) -> std::io::Result<()> {
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

fn write_json(out: &mut impl Write, pair: &ArticlePair, min_confidence: f64) -> std::io::Result<()> {
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
