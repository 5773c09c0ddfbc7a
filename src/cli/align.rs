//! `dragoman align SRC TGT`: which sentences of the translation translate
//! which sentences of the source.

use std::path::PathBuf;

use super::args::{GlossaryArgs, PairInput, parse_confidence};
use super::{Context, Outcome, print};
use dragoman::align;
use dragoman::workflow::alignment::{self, AlignRequest, AlignmentFormat};

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

pub fn run(args: AlignArgs, context: &Context) -> anyhow::Result<Outcome> {
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
