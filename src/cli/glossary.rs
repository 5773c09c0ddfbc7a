//! `dragoman glossary …`: list, lint, import, export, drift, suggest. The
//! small commands are run where they are declared.

use std::path::{Path, PathBuf};

use clap::builder::{PossibleValuesParser, TypedValueParser};

use super::args::{GlossaryArgs, MemoryPath};
use super::print::{self, note};
use super::{Context, DataFormat, Outcome};
use dragoman::glossary::formats::ExternalFormat;
use dragoman::glossary::{self, TermType, lint};
use dragoman::render;
use dragoman::workflow::{self, terminology};

#[derive(Debug, clap::Subcommand)]
pub enum GlossaryCommand {
    /// List glossary entries.
    List {
        /// Only entries of this type (group, place, person, organization, other).
        #[arg(long = "type", value_name = "T", value_parser = parse_type)]
        kind: Option<TermType>,
        #[command(flatten)]
        selection: GlossaryArgs,
        /// text: one entry a line, tab-separated; json: {"entries": [...]}.
        #[arg(long, value_enum, default_value_t)]
        format: DataFormat,
    },
    /// Report duplicate sources, conflicting renderings, forbidden forms
    /// accepted elsewhere and malformed lines (exit 1 on errors; warnings
    /// exit 0 unless --strict).
    Lint {
        #[command(flatten)]
        selection: GlossaryArgs,
        /// text: one problem a line (file:line: severity: kind: message);
        /// json: {"problems": [...]}.
        #[arg(long, value_enum, default_value_t)]
        format: DataFormat,
        /// Exit 1 on warnings too.
        #[arg(long)]
        strict: bool,
    },
    /// Convert a glossary (CSV, TSV, TBX) into `glossaries/<stem>.txt`.
    Import {
        /// The glossary to import.
        file: PathBuf,
        /// Its format: csv, tsv (OmegaT's tab-separated glossary) or tbx (2008 or v3,
        /// told by the root element) [default: from the file name's extension].
        #[arg(long, value_parser = external_format(&["csv", "tsv", "tbx"]))]
        format: Option<ExternalFormat>,
        /// Replace `glossaries/<stem>.txt` if it exists.
        #[arg(long)]
        force: bool,
    },
    /// Write the glossaries in another format.
    Export {
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
    },
    /// Names the memory renders in two or more ways (exit 1 when any).
    Drift {
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
    },
    /// Candidate glossary entries mined from the memory.
    Suggest {
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
    },
}

fn parse_type(name: &str) -> Result<TermType, String> {
    TermType::from_name(name).ok_or_else(|| {
        format!("unknown type `{name}` (expected one of: {})", TermType::ALL.map(TermType::name).join(", "))
    })
}

/// `--format` of `import` and `export`: one of `names` (listed in help and
/// errors as clap lists a value enum's), read by the library.
fn external_format(names: &'static [&'static str]) -> impl TypedValueParser<Value = ExternalFormat> {
    PossibleValuesParser::new(names).try_map(|name| name.parse::<ExternalFormat>())
}

pub fn run(command: GlossaryCommand, context: &Context) -> anyhow::Result<Outcome> {
    let project = &context.project;
    match command {
        GlossaryCommand::List { kind, selection, format } => {
            let mut warnings = Vec::new();
            let glossary = selection.choice().load(project, &mut warnings)?;
            print::warnings(&warnings);
            let entries: Vec<&glossary::Entry> =
                glossary.entries().iter().filter(|e| kind.is_none_or(|k| e.kind == k)).collect();
            let json = serde_json::json!({ "entries": entries });
            context.printer.report(format, &json, |_| render::glossary::entries(&entries))?;
            return Ok(if entries.is_empty() { Outcome::Findings } else { Outcome::Ok });
        }
        GlossaryCommand::Lint { selection, format, strict } => {
            let files = selection.choice().files(project)?;
            if files.is_empty() {
                anyhow::bail!("no glossary to lint in {}", project.glossary_dir().display());
            }
            let problems = lint::lint_files(&files)?;
            let json = serde_json::json!({ "problems": problems });
            context.printer.report(format, &json, |_| render::glossary::lint_problems(&problems))?;
            let errors = problems.iter().filter(|p| p.severity == lint::LintSeverity::Error).count();
            let warnings = problems.len() - errors;
            let files = files.len();
            note(format!("dragoman: {files} glossary file(s): {errors} error(s), {warnings} warning(s)"));
            return Ok(if errors > 0 || (strict && warnings > 0) { Outcome::Findings } else { Outcome::Ok });
        }
        GlossaryCommand::Import { file, format, force } => {
            let imported = workflow::glossary::import(project, &file, format, force)?;
            print::messages(render::glossary::imported(&imported));
        }
        GlossaryCommand::Export { out, format, selection } => {
            let exported = workflow::glossary::export(project, &selection.choice(), &out, format)?;
            print::warnings(&exported.warnings);
            if out != Path::new("-") {
                note(format!("dragoman: wrote {} entries to {}", exported.entries, out.display()));
            }
        }
        GlossaryCommand::Drift { since, document, min_count, memory, selection, format } => {
            let filter = dragoman::terminology::UnitFilter { since, document };
            let options = terminology::DriftOptions { filter, min_count };
            let mined =
                terminology::drift(project, &memory.resolve(context)?, &selection.choice(), &options)?;
            print::warnings(&mined.warnings);
            let drifted = &mined.report.drift;
            context.printer.report(format, &mined.report, |style| render::glossary::drift(drifted, style))?;
            let (units, names) = (mined.units, drifted.len());
            note(format!("dragoman: {units} unit(s) read, {names} name(s) rendered in more than one way"));
            return Ok(if drifted.is_empty() { Outcome::Ok } else { Outcome::Findings });
        }
        GlossaryCommand::Suggest { min_count, limit, memory, selection, format } => {
            let options = terminology::SuggestOptions { min_count };
            let mut mined =
                terminology::suggest(project, &memory.resolve(context)?, &selection.choice(), &options)?;
            print::warnings(&mined.warnings);
            let limit = limit.or((format == SuggestFormat::Text).then_some(50));
            mined.report.suggestions.truncate(limit.unwrap_or(usize::MAX));
            let suggestions = &mined.report.suggestions;
            let entries = || suggestions.iter().map(|s| s.entry()).collect::<Vec<_>>();
            context.printer.data(&match format {
                SuggestFormat::Json => render::json(&mined.report),
                SuggestFormat::Tsv => glossary::write_native(&entries()),
                SuggestFormat::Text => render::glossary::suggestions(suggestions, &context.printer.style),
            })?;
            note(format!("dragoman: {} unit(s) read, {} suggestion(s)", mined.units, suggestions.len()));
        }
    }
    Ok(Outcome::Ok)
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum, Default)]
pub enum SuggestFormat {
    #[default]
    Text,
    Json,
    /// Rows of the native glossary format, ready for `glossaries/`.
    Tsv,
}
