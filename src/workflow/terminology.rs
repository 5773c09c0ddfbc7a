//! `glossary drift` and `glossary suggest`: the memory's names and their
//! renderings ([`crate::terminology`]), read from a memory on either backend
//! in two streaming passes.

use std::sync::Arc;

use super::WorkflowError;
use super::article::GlossaryChoice;
use crate::memory::{Memory, MemoryLocation};
use crate::project::Project;
use crate::terminology::{Archive, DriftReport, SuggestReport, UnitFilter, Visit};

/// What `glossary drift` reads and reports.
#[derive(Debug, Clone)]
pub struct DriftOptions {
    pub filter: UnitFilter,
    /// Names in fewer units are left out.
    pub min_count: u64,
}

/// What `glossary suggest` reports.
#[derive(Debug, Clone)]
pub struct SuggestOptions {
    /// Names seen with a rendering in fewer units are left out.
    pub min_count: u64,
}

/// A report and the warnings (glossary problems) to show beside it.
#[derive(Debug)]
pub struct Mined<R> {
    pub report: R,
    /// Units read (with Arabic and English).
    pub units: u64,
    pub warnings: Vec<String>,
}

fn stream(memory: &Memory) -> impl Fn(Visit<'_>) -> Result<(), WorkflowError> + '_ {
    |visit: Visit<'_>| {
        memory.for_each_unit(&mut |unit| visit(&unit))?;
        Ok(())
    }
}

fn archive(
    project: &Project,
    location: &MemoryLocation,
    glossary: &GlossaryChoice,
    filter: &UnitFilter,
) -> Result<(Memory, Archive, Vec<String>), WorkflowError> {
    let mut warnings = Vec::new();
    let recognizer = glossary.anchors(project, &mut warnings)?.map(Arc::unwrap_or_clone);
    let memory = Memory::open_location(location)?;
    let archive = Archive::build(recognizer, filter, stream(&memory))?;
    Ok((memory, archive, warnings))
}

/// Every name the memory renders in two or more ways.
pub fn drift(
    project: &Project,
    location: &MemoryLocation,
    glossary: &GlossaryChoice,
    options: &DriftOptions,
) -> Result<Mined<DriftReport>, WorkflowError> {
    let (_, archive, warnings) = archive(project, location, glossary, &options.filter)?;
    Ok(Mined { report: archive.drift(options.min_count), units: archive.units(), warnings })
}

/// Candidate glossary entries mined from the memory.
pub fn suggest(
    project: &Project,
    location: &MemoryLocation,
    glossary: &GlossaryChoice,
    options: &SuggestOptions,
) -> Result<Mined<SuggestReport>, WorkflowError> {
    let (_, archive, warnings) = archive(project, location, glossary, &UnitFilter::default())?;
    Ok(Mined { report: archive.suggest(options.min_count), units: archive.units(), warnings })
}
