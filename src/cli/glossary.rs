//! `dragoman glossary …`.

use super::{Context, Outcome};

#[derive(Debug, clap::Subcommand)]
pub enum GlossaryCommand {
    /// List glossary entries.
    List,
}

pub fn run(_command: GlossaryCommand, _context: &Context) -> anyhow::Result<Outcome> {
    anyhow::bail!("`glossary` is not implemented yet")
}
