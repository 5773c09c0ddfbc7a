//! `dragoman prepare`: the translator's kit for a new article (XLIFF work
//! file and brief page): arguments in, [`dragoman::workflow::prepare`]
//! called, a summary out.

use std::path::PathBuf;

use super::args::{GlossaryArgs, MemoryPath};
use super::{Context, DataFormat, Outcome, print};
use dragoman::render;
use dragoman::workflow::prepare::{self, KitFormat, PrepareRequest};

#[derive(Debug, clap::Args)]
pub struct PrepareArgs {
    /// The new Arabic article (`-` reads stdin).
    #[arg(value_name = "ARTICLE")]
    source: PathBuf,
    /// The directory to write the kit to [default: the project's out/].
    #[arg(long, value_name = "DIR")]
    out: Option<PathBuf>,
    /// The document name used for file names [default: from ARTICLE].
    #[arg(long)]
    name: Option<String>,
    /// The article's title (in the XLIFF header and on the brief).
    #[arg(long, value_name = "T")]
    title: Option<String>,
    /// The publication date, as written.
    #[arg(long, value_name = "D")]
    date: Option<String>,
    /// The lowest fuzzy match score offered (percent).
    #[arg(long, value_name = "N", default_value_t = 70, value_parser = clap::value_parser!(u8).range(1..=100))]
    min: u8,
    #[command(flatten)]
    memory: MemoryPath,
    #[command(flatten)]
    glossary: GlossaryArgs,
    /// Which files to write, comma-separated: xliff (NAME.xlf), brief (NAME.brief.html).
    #[arg(long, value_delimiter = ',', default_value = "xliff,brief", value_parser = parse_kit_format)]
    formats: Vec<KitFormat>,
    /// The summary's format: text for people, json for scripts.
    #[arg(long, value_enum, default_value_t)]
    format: DataFormat,
}

fn parse_kit_format(name: &str) -> Result<KitFormat, String> {
    KitFormat::from_name(name).ok_or_else(|| format!("unknown kit format `{name}` (expected xliff or brief)"))
}

pub fn run(args: PrepareArgs, context: &Context) -> anyhow::Result<Outcome> {
    let request = PrepareRequest {
        source: args.source,
        out: args.out,
        name: args.name,
        title: args.title,
        date: args.date,
        min: args.min,
        memory: args.memory.tm,
        glossary: args.glossary.choice(),
        formats: args.formats,
    };
    let report = prepare::prepare(&context.project, &request)?;
    print::warnings(&report.warnings);
    let summary = &report.summary;
    context.printer.report(args.format, summary, |_| render::edition::prepared(summary, request.min))?;
    Ok(Outcome::Ok)
}

#[cfg(test)]
mod tests {
    /// clap checks its definitions only in debug builds; this runs the
    /// checks in any build (the `--xliff` / SOURCE TARGET groups of
    /// `ingest` and `publish` included).
    #[test]
    fn the_command_line_definition_is_consistent() {
        use clap::CommandFactory;
        super::super::Cli::command().debug_assert();
    }
}
