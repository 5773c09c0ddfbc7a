//! `dragoman segment`: split a text file into sentences, or export the
//! built-in rules as SRX.

use std::path::{Path, PathBuf};

use anyhow::Context as _;

use super::{Context, DataFormat, Outcome};
use dragoman::lang::Lang;
use dragoman::segment::{self, Segmenter};
use dragoman::textio;

#[derive(Debug, clap::Args)]
pub struct SegmentArgs {
    /// The text to segment (`-` for stdin): UTF-8, or UTF-16 with a BOM.
    #[arg(value_name = "FILE", required_unless_present = "export_rules")]
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

impl LangChoice {
    fn lang(self) -> Option<Lang> {
        match self {
            LangChoice::Ar => Some(Lang::Ar),
            LangChoice::En => Some(Lang::En),
            LangChoice::Auto => None,
        }
    }
}

pub fn run(args: SegmentArgs, context: &Context) -> anyhow::Result<Outcome> {
    if let Some(target) = &args.export_rules {
        textio::write_atomic(target, segment::BUILTIN_SRX.as_bytes())?;
    }
    let Some(file) = &args.file else {
        return Ok(Outcome::Ok);
    };
    let segmenter = match &args.rules {
        Some(path) => load_rules(path)?,
        None => Segmenter::builtin(),
    };
    let input = textio::read_text(file)?;
    let (text, lang) = (&input.text, args.lang.lang());
    let output = match args.format {
        DataFormat::Text if args.numbered => {
            dragoman::render::segment::numbered(&segmenter.segment(text, lang))
        }
        DataFormat::Text => segmenter.segment_to_text(text, lang),
        DataFormat::Json => segment::format_json(&segmenter.segment(text, lang)),
    };
    context.printer.data(&output)?;
    Ok(Outcome::Ok)
}

fn load_rules(path: &Path) -> anyhow::Result<Segmenter> {
    let srx = textio::read_text(path)?;
    Segmenter::from_srx(&srx.text, &srx.name).with_context(|| "cannot use the segmentation rules".to_string())
}
