//! `dragoman align`.

use super::{Context, Outcome};

#[derive(Debug, clap::Args)]
pub struct AlignArgs {}

pub fn run(_args: AlignArgs, _context: &Context) -> anyhow::Result<Outcome> {
    anyhow::bail!("`align` is not implemented yet")
}
