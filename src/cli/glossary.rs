//! `dragoman glossary …`: list, lint, import, export.

use std::path::{Path, PathBuf};

use super::args::{GlossaryArgs, warn_all};
use super::print::note;
use super::{Context, DataFormat, Outcome};
use dragoman::glossary::formats::ExternalFormat;
use dragoman::glossary::{self, TermType, lint};

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

#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum ImportFormat {
    Csv,
    Tsv,
    Tbx,
}

#[derive(Debug, clap::Args)]
pub struct ImportArgs {
    /// The glossary to import.
    file: PathBuf,
    /// Its format: csv, tsv (OmegaT's tab-separated glossary) or tbx (2008 or v3,
    /// told by the root element) [default: from the file name's extension].
    #[arg(long, value_enum)]
    format: Option<ImportFormat>,
    /// Replace `glossaries/<stem>.txt` if it exists.
    #[arg(long)]
    force: bool,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum, Default)]
pub enum ExportFormat {
    // Described in one paragraph on `--format` (per-value docs would move
    // every option's help to its own line).
    #[default]
    Tsv,
    Csv,
    OmegatCsv,
    Tbx2008,
    Tbx3,
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
    #[arg(long, value_enum, default_value_t)]
    format: ExportFormat,
    #[command(flatten)]
    selection: GlossaryArgs,
}

pub fn run(command: GlossaryCommand, context: &Context) -> anyhow::Result<Outcome> {
    match command {
        GlossaryCommand::List(args) => list(args, context),
        GlossaryCommand::Lint(args) => lint_command(args, context),
        GlossaryCommand::Import(args) => import(args, context),
        GlossaryCommand::Export(args) => export(args, context),
    }
}

fn list(args: ListArgs, context: &Context) -> anyhow::Result<Outcome> {
    let mut warnings = Vec::new();
    let glossary = args.selection.choice().load(&context.project, &mut warnings)?;
    warn_all(&warnings);
    let entries: Vec<&glossary::Entry> =
        glossary.entries().iter().filter(|e| args.kind.is_none_or(|k| e.kind == k)).collect();
    let mut out = String::new();
    match args.format {
        DataFormat::Json => {
            out = serde_json::to_string_pretty(&serde_json::json!({ "entries": entries }))?;
            out.push('\n');
        }
        DataFormat::Text => {
            for entry in &entries {
                let mut line = format!("{}\t{}\t{}", entry.source, entry.target, entry.kind);
                if !entry.variants.is_empty() {
                    line.push_str(&format!("\tvariants: {}", entry.variants.join(", ")));
                }
                if !entry.accepted.is_empty() {
                    line.push_str(&format!("\taccepted: {}", entry.accepted.join(", ")));
                }
                if !entry.forbidden.is_empty() {
                    line.push_str(&format!("\tforbidden: {}", entry.forbidden.join(", ")));
                }
                if entry.ambiguous {
                    line.push_str("\t(ambiguous)");
                }
                out.push_str(&line);
                out.push('\n');
            }
        }
    }
    context.printer.data(&out)?;
    Ok(if entries.is_empty() { Outcome::Findings } else { Outcome::Ok })
}

fn lint_command(args: LintArgs, context: &Context) -> anyhow::Result<Outcome> {
    let files = args.selection.choice().files(&context.project)?;
    if files.is_empty() {
        anyhow::bail!("no glossary to lint in {}", context.project.glossary_dir().display());
    }
    let problems = lint::lint_files(&files)?;
    let out = match args.format {
        DataFormat::Json => {
            format!("{}\n", serde_json::to_string_pretty(&serde_json::json!({ "problems": problems }))?)
        }
        DataFormat::Text => problems
            .iter()
            .map(|p| format!("{}: {}: {}: {}\n", p.location, p.severity.name(), p.kind.name(), p.message))
            .collect(),
    };
    context.printer.data(&out)?;
    let errors = problems.iter().filter(|p| p.severity == lint::LintSeverity::Error).count();
    let warnings = problems.len() - errors;
    note(format!("dragoman: {} glossary file(s): {errors} error(s), {warnings} warning(s)", files.len()));
    Ok(if errors > 0 || (args.strict && warnings > 0) { Outcome::Findings } else { Outcome::Ok })
}

fn import(args: ImportArgs, context: &Context) -> anyhow::Result<Outcome> {
    let format = args.format.map(|f| match f {
        ImportFormat::Csv => ExternalFormat::Csv,
        ImportFormat::Tsv => ExternalFormat::Tsv,
        ImportFormat::Tbx => ExternalFormat::Tbx2008,
    });
    let imported = dragoman::workflow::glossary::import(&context.project, &args.file, format, args.force)?;
    for skipped in &imported.skipped {
        super::warn(format!("{}:{}: skipped: {}", imported.name, skipped.line, skipped.reason));
    }
    note(format!(
        "dragoman: imported {} entries ({}) into {}",
        imported.entries,
        imported.format,
        imported.written.display()
    ));
    for problem in &imported.problems {
        super::warn(format!("{}: {}", problem.kind.name(), problem.message));
    }
    Ok(Outcome::Ok)
}

fn export(args: ExportArgs, context: &Context) -> anyhow::Result<Outcome> {
    let format = match args.format {
        ExportFormat::Tsv => ExternalFormat::Tsv,
        ExportFormat::Csv => ExternalFormat::Csv,
        ExportFormat::OmegatCsv => ExternalFormat::OmegatCsv,
        ExportFormat::Tbx2008 => ExternalFormat::Tbx2008,
        ExportFormat::Tbx3 => ExternalFormat::Tbx3,
    };
    let choice = args.selection.choice();
    let exported = dragoman::workflow::glossary::export(&context.project, &choice, &args.out, format)?;
    warn_all(&exported.warnings);
    if args.out != Path::new("-") {
        note(format!("dragoman: wrote {} entries to {}", exported.entries, args.out.display()));
    }
    Ok(Outcome::Ok)
}
