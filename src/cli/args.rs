//! Argument groups several commands share, each mapped to the library's
//! plain options: how to read an article pair, which glossaries, which
//! memory, a confidence.

use std::path::PathBuf;

use dragoman::memory::{LockWait, MemoryLocation};
use dragoman::workflow::{ArticleInput, GlossaryChoice};

use super::Context;

/// How to segment and align the pair (`align`, `tm add`, `check`,
/// `publish`, `ingest`).
#[derive(Debug, Clone, clap::Args)]
pub struct PairInput {
    /// The texts are already one sentence a line, blank line between
    /// paragraphs (what `segment` prints).
    #[arg(long)]
    pub presegmented: bool,
    /// SRX segmentation rules to use instead of the built-in ones.
    #[arg(long, value_name = "FILE.srx")]
    pub rules: Option<PathBuf>,
    /// A hand-corrected alignment (what `align --format beads` prints: one
    /// bead a line, `6<TAB>6,7,8`) to use instead of aligning.
    #[arg(long, value_name = "FILE")]
    pub beads: Option<PathBuf>,
    /// A bilingual word list whose pairs anchor the alignment: one Arabic
    /// word a line, a tab, its English renderings separated by commas
    /// (scripts/install-dictionary.sh makes one from FreeDict). Repeatable.
    /// [default: the word lists in the project's lexicons/]
    #[arg(long, value_name = "FILE")]
    pub dictionary: Vec<PathBuf>,
    /// Use no word list, not even the project's lexicons/.
    #[arg(long, conflicts_with = "dictionary")]
    pub no_dictionary: bool,
}

impl PairInput {
    /// The options, with the word lists of the project's lexicons/ unless
    /// `--dictionary` or `--no-dictionary` is given or there is no project
    /// (aligning works anywhere).
    pub fn input(&self, context: &Context) -> ArticleInput {
        let project = &context.project;
        ArticleInput {
            presegmented: self.presegmented,
            rules: self.rules.clone(),
            beads: self.beads.clone(),
            dictionaries: self.dictionary.clone(),
            lexicons: (!self.no_dictionary && project.require().is_ok())
                .then(|| project.root.join("lexicons")),
        }
    }
}

/// `--glossary FILE` (repeatable) replaces the project's `glossaries/*.txt`.
#[derive(Debug, Clone, clap::Args)]
pub struct GlossaryArgs {
    /// A glossary file to use instead of the project's glossaries (repeatable).
    #[arg(long = "glossary", value_name = "FILE")]
    pub glossaries: Vec<PathBuf>,
}

impl GlossaryArgs {
    pub fn choice(&self) -> GlossaryChoice {
        GlossaryChoice::from_files(self.glossaries.clone())
    }
}

/// `--tm PATH|URL`, shared by every command that reads or writes a memory.
#[derive(Debug, Clone, clap::Args)]
pub struct MemoryPath {
    /// The memory: an SQLite file or a PostgreSQL URL (postgres://…)
    /// [default: $DRAGOMAN_TM, else `memory` in dragoman.toml, else tm/memory.sqlite].
    #[arg(long = "tm", value_name = "PATH|URL")]
    pub tm: Option<String>,
}

impl MemoryPath {
    /// `--tm`, else `DRAGOMAN_TM`, else the project's (refused outside a project).
    pub fn resolve(&self, context: &Context) -> anyhow::Result<MemoryLocation> {
        Ok(dragoman::workflow::memory_location(&context.project, self.tm.as_deref())?)
    }
}

/// `--wait SECONDS`, for commands that write a memory.
#[derive(Debug, Clone, clap::Args)]
pub struct WaitArgs {
    /// Wait at most this many seconds while another process writes the
    /// memory [default: as long as it writes].
    #[arg(long, value_name = "SECONDS")]
    pub wait: Option<u64>,
}

impl WaitArgs {
    /// The wait, saying on a terminal that it waits.
    pub fn lock_wait(&self, context: &Context) -> LockWait {
        LockWait {
            limit: self.wait.map(std::time::Duration::from_secs),
            on_wait: context.stderr_is_terminal.then(|| -> dragoman::memory::OnWait {
                std::sync::Arc::new(|name: &str| {
                    super::print::note(format!("waiting for another dragoman process writing {name} …"))
                })
            }),
        }
    }
}

/// `--min-confidence X`: the one validation of a confidence (0 to 1).
pub fn parse_confidence(value: &str) -> Result<f64, String> {
    match value.trim().parse::<f64>() {
        Ok(x) if (0.0..=1.0).contains(&x) => Ok(x),
        _ => Err(format!("`{value}` is not a confidence between 0 and 1")),
    }
}
