//! `dragoman align SRC TGT`: which sentences of the translation translate
//! which sentences of the source.

use std::io::Write;
use std::path::PathBuf;

use anyhow::Context as _;

use super::args::{GlossaryArgs, PairInput, dictionary_note, parse_confidence, warn_all};
use super::print::note;
use super::{Context, Outcome, warn};
use dragoman::align::{self, AlignOptions};
use dragoman::project::document_name;
use dragoman::workflow::alignment::{AlignmentFormat, format_annotated_beads, write_alignment};
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
    #[arg(long, default_value = "beads", value_parser = parse_format)]
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

fn parse_format(name: &str) -> Result<AlignmentFormat, String> {
    AlignmentFormat::from_name(name).ok_or_else(|| {
        let names: Vec<&str> = AlignmentFormat::ALL.iter().map(|f| f.name()).collect();
        format!("unknown format `{name}` (expected one of: {})", names.join(", "))
    })
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
    let mut warnings = Vec::new();
    let recognizer = args.glossary.choice().anchors(&context.project, &mut warnings)?;
    let input = args.input.input_in(&context.project);
    let mut options = input.options(recognizer, &mut warnings)?;
    warn_all(&warnings);
    if let Some(line) = dictionary_note(&input, &options)? {
        note(line);
    }
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
    let written = if args.annotate && args.format == AlignmentFormat::Beads {
        out.write_all(format_annotated_beads(&pair).as_bytes())
    } else {
        write_alignment(&mut out, &pair, args.format, args.min_confidence)
    };
    written.and_then(|()| out.flush()).context("cannot write the alignment to stdout")?;
    Ok(Outcome::Ok)
}
