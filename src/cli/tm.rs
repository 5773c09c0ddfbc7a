//! `dragoman tm …`: the translation memory.

use super::{Context, Outcome};

#[derive(Debug, clap::Subcommand)]
pub enum TmCommand {
    /// Memory statistics.
    Stats,
}

pub fn run(_command: TmCommand, _context: &Context) -> anyhow::Result<Outcome> {
    anyhow::bail!("`tm` is not implemented yet")
}
