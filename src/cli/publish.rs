//! `dragoman publish` and `dragoman ingest`.

use super::{Context, Outcome};

#[derive(Debug, clap::Args)]
pub struct PublishArgs {}

#[derive(Debug, clap::Args)]
pub struct IngestArgs {}

pub fn publish(_args: PublishArgs, _context: &Context) -> anyhow::Result<Outcome> {
    anyhow::bail!("`publish` is not implemented yet")
}

pub fn ingest(_args: IngestArgs, _context: &Context) -> anyhow::Result<Outcome> {
    anyhow::bail!("`ingest` is not implemented yet")
}
