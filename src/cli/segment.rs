//! `dragoman segment`.

use super::{Context, Outcome};

#[derive(Debug, clap::Args)]
pub struct SegmentArgs {}

pub fn run(_args: SegmentArgs, _context: &Context) -> anyhow::Result<Outcome> {
    anyhow::bail!("`segment` is not implemented yet")
}
