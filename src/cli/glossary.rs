//! `dragoman glossary …`: list, lint, import, export, drift, suggest.

use std::path::{Path, PathBuf};

use clap::builder::{PossibleValuesParser, TypedValueParser};

use super::args::{GlossaryArgs, MemoryPath};
use super::print::{self, note};
use super::{Context, DataFormat, Outcome};
use dragoman::glossary::formats::ExternalFormat;
use dragoman::glossary::{self, TermType, lint};
use dragoman::render;

#[derive(Debug, clap::Subcommand)]
pub enum GlossaryCommand {
    /// List glossary entries.
    List(ListArgs),
    /// Report duplicate sources, conflicting renderings, forbidden forms
    /// accepted elsewhere and malformed lines (exit 1 on errors; warnings
    /// exit 0 unless --strict).
    Lint(LintArgs),
    /// Convert a glossary (CSV, TSV, TBX) into `glossaries/<stem>.txt`.
    Import(ImportArgs),
    /// Write the glossaries in another format.
    Export(ExportArgs),
    /// Names the memory renders in two or more ways (exit 1 when any).
    Drift(DriftArgs),
    /// Candidate glossary entries mined from the memory.
    Suggest(SuggestArgs),
}

#[derive(Debug, clap::Args)]
pub struct ListArgs {
    /// Only entries of this type (group, place, person, organization, other).
    #[arg(long = "type", value_name = "T", value_parser = parse_type)]
    kind: Option<TermType>,
    #[command(flatten)]
    selection: GlossaryArgs,
    /// text: one entry a line, tab-separated; json: {"entries": [...]}.
    #[arg(long, value_enum, default_value_t)]
    format: DataFormat,
}

fn parse_type(name: &str) -> Result<TermType, String> {
    TermType::from_name(name).ok_or_else(|| {
        format!("unknown type `{name}` (expected one of: {})", TermType::ALL.map(TermType::name).join(", "))
    })
}

#[derive(Debug, clap::Args)]
pub struct LintArgs {
    #[command(flatten)]
    selection: GlossaryArgs,
    /// text: one problem a line (file:line: severity: kind: message);
    /// json: {"problems": [...]}.
    #[arg(long, value_enum, default_value_t)]
    format: DataFormat,
    /// Exit 1 on warnings too.
    #[arg(long)]
    strict: bool,
}

#[derive(Debug, clap::Args)]
pub struct ImportArgs {
    /// The glossary to import.
    file: PathBuf,
    /// Its format: csv, tsv (OmegaT's tab-separated glossary) or tbx (2008 or v3,
    /// told by the root element) [default: from the file name's extension].
    #[arg(long, value_parser = external_format(&["csv", "tsv", "tbx"]))]
    format: Option<ExternalFormat>,
    /// Replace `glossaries/<stem>.txt` if it exists.
    #[arg(long)]
    force: bool,
}

#[derive(Debug, clap::Args)]
pub struct ExportArgs {
    /// Where to write (`-` for stdout).
    out: PathBuf,
    /// tsv: our native format, which OmegaT 3.6 reads as it is from a .utf8,
    /// .txt or .tab file (.utf8 is always read as UTF-8); csv: for
    /// spreadsheets and Translate Toolkit (every column, a header, a UTF-8
    /// byte-order mark so Excel shows the Arabic); omegat-csv: for OmegaT
    /// 3.6, named .csv (source, target, comment and no header: OmegaT reads
    /// every row as a term); tbx2008: read by OmegaT 3.6 (.tbx), Translate
    /// Toolkit and Trados (forbidden forms in a note); tbx3: TBX v3, read by
    /// neither OmegaT 3.6 nor Translate Toolkit. A warning says when OmegaT
    /// 3.6 will not read the file.
    #[arg(long, default_value = "tsv",
          value_parser = external_format(&["tsv", "csv", "omegat-csv", "tbx2008", "tbx3"]))]
    format: ExternalFormat,
    #[command(flatten)]
    selection: GlossaryArgs,
}

/// `--format` of `import` and `export`: one of `names` (listed in help and
/// errors as clap lists a value enum's), read by the library.
fn external_format(names: &'static [&'static str]) -> impl TypedValueParser<Value = ExternalFormat> {
    PossibleValuesParser::new(names).try_map(|name| name.parse::<ExternalFormat>())
}

pub fn run(command: GlossaryCommand, context: &Context) -> anyhow::Result<Outcome> {
    match command {
        GlossaryCommand::List(args) => list(args, context),
        GlossaryCommand::Lint(args) => lint_command(args, context),
        GlossaryCommand::Import(args) => import(args, context),
        GlossaryCommand::Export(args) => export(args, context),
        GlossaryCommand::Drift(args) => drift(args, context),
        GlossaryCommand::Suggest(args) => suggest(args, context),
    }
}

fn list(args: ListArgs, context: &Context) -> anyhow::Result<Outcome> {
    let mut warnings = Vec::new();
    let glossary = args.selection.choice().load(&context.project, &mut warnings)?;
    print::warnings(&warnings);
    let entries: Vec<&glossary::Entry> =
        glossary.entries().iter().filter(|e| args.kind.is_none_or(|k| e.kind == k)).collect();
    let json = serde_json::json!({ "entries": entries });
    context.printer.report(args.format, &json, |_| render::glossary::entries(&entries))?;
    Ok(if entries.is_empty() { Outcome::Findings } else { Outcome::Ok })
}

fn lint_command(args: LintArgs, context: &Context) -> anyhow::Result<Outcome> {
    let files = args.selection.choice().files(&context.project)?;
    if files.is_empty() {
        anyhow::bail!("no glossary to lint in {}", context.project.glossary_dir().display());
    }
    let problems = lint::lint_files(&files)?;
    let json = serde_json::json!({ "problems": problems });
    context.printer.report(args.format, &json, |_| render::glossary::lint_problems(&problems))?;
    let errors = problems.iter().filter(|p| p.severity == lint::LintSeverity::Error).count();
    let warnings = problems.len() - errors;
    note(format!("dragoman: {} glossary file(s): {errors} error(s), {warnings} warning(s)", files.len()));
    Ok(if errors > 0 || (args.strict && warnings > 0) { Outcome::Findings } else { Outcome::Ok })
}

fn import(args: ImportArgs, context: &Context) -> anyhow::Result<Outcome> {
    let imported =
        dragoman::workflow::glossary::import(&context.project, &args.file, args.format, args.force)?;
    print::messages(render::glossary::imported(&imported));
    Ok(Outcome::Ok)
}

fn export(args: ExportArgs, context: &Context) -> anyhow::Result<Outcome> {
    let choice = args.selection.choice();
    let exported = dragoman::workflow::glossary::export(&context.project, &choice, &args.out, args.format)?;
    print::warnings(&exported.warnings);
    if args.out != Path::new("-") {
        note(format!("dragoman: wrote {} entries to {}", exported.entries, args.out.display()));
    }
    Ok(Outcome::Ok)
}

#[derive(Debug, clap::Args)]
pub struct DriftArgs {
    /// Only units created or changed on or after this day (YYYY-MM-DD).
    #[arg(long, value_name = "DATE", value_parser = |d: &str| dragoman::terminology::parse_day(d).map_err(|e| e.to_string()))]
    since: Option<String>,
    /// Only units of this document.
    #[arg(long, value_name = "NAME")]
    document: Option<String>,
    /// Leave out names seen in fewer units.
    #[arg(long, value_name = "N", default_value_t = 2)]
    min_count: u64,
    #[command(flatten)]
    memory: MemoryPath,
    #[command(flatten)]
    selection: GlossaryArgs,
    /// text: each name with its renderings; json: {"drift": [...]} (a contract).
    #[arg(long, value_enum, default_value_t)]
    format: DataFormat,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum, Default)]
pub enum SuggestFormat {
    #[default]
    Text,
    Json,
    /// Rows of the native glossary format, ready for `glossaries/`.
    Tsv,
}

#[derive(Debug, clap::Args)]
pub struct SuggestArgs {
    /// Leave out names seen with a rendering in fewer units.
    #[arg(long, value_name = "N", default_value_t = 3)]
    min_count: u64,
    /// At most this many [default: all; 50 in text].
    #[arg(long, value_name = "N")]
    limit: Option<usize>,
    #[command(flatten)]
    memory: MemoryPath,
    #[command(flatten)]
    selection: GlossaryArgs,
    #[arg(long, value_enum, default_value_t)]
    format: SuggestFormat,
}

fn drift(args: DriftArgs, context: &Context) -> anyhow::Result<Outcome> {
    use dragoman::workflow::terminology::{DriftOptions, drift};
    let location = args.memory.resolve(context)?;
    let filter = dragoman::terminology::UnitFilter { since: args.since, document: args.document };
    let options = DriftOptions { filter, min_count: args.min_count };
    let mined = drift(&context.project, &location, &args.selection.choice(), &options)?;
    print::warnings(&mined.warnings);
    let drifted = &mined.report.drift;
    context.printer.report(args.format, &mined.report, |style| render::glossary::drift(drifted, style))?;
    note(format!(
        "dragoman: {} unit(s) read, {} name(s) rendered in more than one way",
        mined.units,
        drifted.len()
    ));
    Ok(if drifted.is_empty() { Outcome::Ok } else { Outcome::Findings })
}

fn suggest(args: SuggestArgs, context: &Context) -> anyhow::Result<Outcome> {
    use dragoman::workflow::terminology::{SuggestOptions, suggest};
    let location = args.memory.resolve(context)?;
    let options = SuggestOptions { min_count: args.min_count };
    let mut mined = suggest(&context.project, &location, &args.selection.choice(), &options)?;
    print::warnings(&mined.warnings);
    let limit = args.limit.or((args.format == SuggestFormat::Text).then_some(50));
    mined.report.suggestions.truncate(limit.unwrap_or(usize::MAX));
    let suggestions = &mined.report.suggestions;
    match args.format {
        SuggestFormat::Json => context.printer.data(&render::json(&mined.report))?,
        SuggestFormat::Tsv => {
            let entries: Vec<glossary::Entry> = suggestions.iter().map(|s| s.entry()).collect();
            context.printer.data(&glossary::write_native(&entries))?;
        }
        SuggestFormat::Text => {
            context.printer.data(&render::glossary::suggestions(suggestions, &context.printer.style))?
        }
    }
    note(format!("dragoman: {} unit(s) read, {} suggestion(s)", mined.units, suggestions.len()));
    Ok(Outcome::Ok)
}
