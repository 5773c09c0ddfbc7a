//! `dragoman align SRC TGT`: which sentences of the translation translate
//! which sentences of the source.

use std::io::Write;
use std::path::PathBuf;

use anyhow::Context as _;
use clap::ValueEnum;

use super::{Context, Outcome, warn};
use std::sync::Arc;

use crate::align::{self, AlignOptions, Bead, Evidence};
use crate::glossary::{Glossary, Recognizer};
use crate::pair::{ArticlePair, PairOptions};
use crate::project::document_name;
use crate::segment::{Segment, Segmenter};
use crate::textio;

#[derive(Debug, clap::Args)]
pub struct AlignArgs {
    /// The Arabic source text (`-` for stdin).
    #[arg(value_name = "SRC")]
    source: PathBuf,
    /// Its English translation (`-` for stdin).
    #[arg(value_name = "TGT")]
    target: PathBuf,
    /// The texts are already one sentence a line, a blank line between
    /// paragraphs (what `dragoman segment` prints).
    #[arg(long)]
    presegmented: bool,
    /// Segmentation rules (SRX 2.0) instead of the built-in ones.
    #[arg(long, value_name = "FILE.srx", conflicts_with = "presegmented")]
    rules: Option<PathBuf>,
    /// beads: `6<TAB>6,7,8` a line (editable, read back by `--beads`);
    /// tsv: confidence, source text, target text; json: segments and beads
    /// with confidence and evidence; tmx: a TMX 1.4b document.
    #[arg(long, value_enum, default_value_t = AlignFormat::Beads)]
    format: AlignFormat,
    /// A glossary whose terms anchor the alignment (repeatable).
    #[arg(long = "glossary", value_name = "FILE")]
    glossaries: Vec<PathBuf>,
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

fn parse_confidence(value: &str) -> Result<f64, String> {
    let x: f64 = value.parse().map_err(|_| format!("`{value}` is not a number"))?;
    if (0.0..=1.0).contains(&x) { Ok(x) } else { Err("must be between 0 and 1".to_string()) }
}

pub fn run(args: AlignArgs, _context: &Context) -> anyhow::Result<Outcome> {
    if args.format == AlignFormat::Tmx {
        // TODO(lead): write the pairs with the tmx module's TMX 1.4b writer.
        anyhow::bail!(
            "TMX output needs the memory module, which is not wired in yet; use --format beads, tsv or json"
        );
    }
    if args.source == args.target && args.source.as_os_str() == "-" {
        anyhow::bail!("only one of SRC and TGT can be `-` (stdin)");
    }

    let segmenter = match &args.rules {
        Some(path) => {
            let rules = textio::read_text(path)?;
            Segmenter::from_srx(&rules.text, &rules.name)?
        }
        None => Segmenter::builtin(),
    };
    // Glossary concepts found on both sides anchor the alignment.
    let recognizer = if args.glossaries.is_empty() {
        None
    } else {
        let glossary = Glossary::load(&args.glossaries)?;
        for warning in glossary.warnings() {
            warn(warning);
        }
        Some(Arc::new(Recognizer::try_new(&glossary)?))
    };
    let source = textio::read_text(&args.source)?;
    let target = textio::read_text(&args.target)?;
    let options = PairOptions {
        segmenter,
        recognizer,
        presegmented: args.presegmented,
        align: AlignOptions {
            max_bead: args.max_bead,
            min_confidence: args.min_confidence,
            ..Default::default()
        },
        ..PairOptions::default()
    };
    let pair = ArticlePair::build(&document_name(&args.source), &source.text, &target.text, &options)?;
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
        AlignFormat::Tmx => unreachable!("rejected above"),
    }
    .and_then(|()| out.flush())
    .context("cannot write the alignment to stdout")?;
    Ok(Outcome::Ok)
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
