//! `dragoman check` and `dragoman accept`.

use super::{Context, Outcome};

#[derive(Debug, clap::Args)]
pub struct CheckArgs {}

#[derive(Debug, clap::Args)]
pub struct AcceptArgs {}

pub fn run(_args: CheckArgs, _context: &Context) -> anyhow::Result<Outcome> {
    anyhow::bail!("`check` is not implemented yet")
}

pub fn accept(_args: AcceptArgs, _context: &Context) -> anyhow::Result<Outcome> {
    anyhow::bail!("`accept` is not implemented yet")
}
