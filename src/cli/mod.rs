//! The command line: parses arguments, builds the library's plain options,
//! calls the library (mostly [`dragoman::workflow`]), writes the text
//! [`dragoman::render`] makes of its reports through [`print::Printer`],
//! and picks the exit code. Nothing else: how output looks is the library's.
//!
//! Conventions (see README): data to stdout, messages to stderr as
//! `dragoman: error: …`; exit 0 ok, 1 findings or no match, 2 could not run;
//! colour only on a terminal and never with `NO_COLOR`.

mod args;
mod check;
mod glossary;
mod print;
mod publish;
mod sentences;
mod tm;

use std::io::IsTerminal;
use std::path::PathBuf;
use std::process::ExitCode;

use clap::{Parser, Subcommand, ValueEnum};

use dragoman::project::Project;
use dragoman::render::Style;

pub use print::Printer;

/// dragoman: translation memory and bilingual publishing for Arabic news
/// translated into English.
#[derive(Debug, Parser)]
#[command(name = "dragoman", version, about, long_about = None)]
pub struct Cli {
    /// The project directory (holds `tm/` and `glossaries/`).
    #[arg(long, global = true, default_value = ".", value_name = "DIR")]
    project: PathBuf,

    #[command(subcommand)]
    command: Command,
}

#[derive(Debug, Subcommand)]
enum Command {
    /// Create a project: tm/, glossaries/ (with the house glossary), out/.
    Init {
        /// The project directory (created if missing) [default: the current directory].
        #[arg(default_value = ".")]
        dir: PathBuf,
        /// Start with no glossary instead of a copy of the house glossary (glossaries/syria.txt).
        #[arg(long)]
        empty_glossary: bool,
    },
    /// Split Arabic or English text into sentences.
    Segment(sentences::SegmentArgs),
    /// Align the sentences of an article and its translation.
    Align(sentences::AlignArgs),
    /// Work with the translation memory.
    #[command(subcommand)]
    Tm(tm::TmCommand),
    /// Work with glossaries.
    #[command(subcommand)]
    Glossary(glossary::GlossaryCommand),
    /// Check a translation's terminology, numbers and quotes.
    Check(check::CheckArgs),
    /// Accept a finding so later checks stay silent about it.
    Accept(check::AcceptArgs),
    /// Write the English and bilingual editions of an article.
    Publish(publish::PublishArgs),
    /// The main job: check, store in the memory and publish a finished translation.
    Ingest(publish::IngestArgs),
    /// The translator's kit for a new article: an XLIFF work file and a brief page.
    Prepare(publish::PrepareArgs),
}

/// `--format` for commands whose output is data.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum, Default)]
pub enum DataFormat {
    #[default]
    Text,
    Json,
}

/// What a command found, mapped to the exit code.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Outcome {
    /// Exit 0.
    Ok,
    /// Exit 1: findings of error severity, or no match.
    Findings,
}

/// What every command may need besides its own arguments.
#[derive(Debug, Clone)]
pub struct Context {
    pub project: Project,
    /// The one way to write to stdout.
    pub printer: Printer,
    /// stderr is a terminal (progress bars).
    pub stderr_is_terminal: bool,
}

/// Runs the command line and returns the process exit code.
pub fn main() -> ExitCode {
    let cli = match Cli::try_parse() {
        Ok(cli) => cli,
        Err(e) => {
            // Help and version are not errors; usage errors exit 2 as clap does.
            let _ = e.print();
            return ExitCode::from(if e.use_stderr() { 2 } else { 0 });
        }
    };
    let stdout_is_terminal = std::io::stdout().is_terminal();
    let color = stdout_is_terminal && std::env::var_os("NO_COLOR").is_none_or(|v| v.is_empty());
    let context = Context {
        project: Project::at(cli.project.clone()),
        printer: Printer { style: Style { color, terminal: stdout_is_terminal } },
        stderr_is_terminal: std::io::stderr().is_terminal(),
    };
    match run(cli.command, &context) {
        Ok(Outcome::Ok) => ExitCode::SUCCESS,
        Ok(Outcome::Findings) => ExitCode::from(1),
        Err(error) if is_broken_pipe(&error) => ExitCode::SUCCESS,
        Err(error) => {
            eprintln!("dragoman: error: {}", dragoman::render::one_line(&format!("{error:#}")));
            ExitCode::from(2)
        }
    }
}

fn run(command: Command, context: &Context) -> anyhow::Result<Outcome> {
    match command {
        Command::Init { dir, empty_glossary } => {
            for path in dragoman::workflow::init(&dir, empty_glossary)? {
                print::note(format!("created {}", path.display()));
            }
            print::note(format!("dragoman: {} is a dragoman project", dir.display()));
            Ok(Outcome::Ok)
        }
        Command::Segment(args) => sentences::segment(args, context),
        Command::Align(args) => sentences::align(args, context),
        Command::Tm(command) => tm::run(command, context),
        Command::Glossary(command) => glossary::run(command, context),
        Command::Check(args) => check::run(args, context),
        Command::Accept(args) => check::accept(args, context),
        Command::Publish(args) => publish::publish(args, context),
        Command::Ingest(args) => publish::ingest(args, context),
        Command::Prepare(args) => publish::prepare(args, context),
    }
}

fn is_broken_pipe(error: &anyhow::Error) -> bool {
    error.chain().any(|cause| {
        cause.downcast_ref::<std::io::Error>().is_some_and(|e| e.kind() == std::io::ErrorKind::BrokenPipe)
    })
}
