//! `check`: an article pair, or every unit of a memory, against the
//! glossaries, the accept list applied; an article also against the names
//! the project's memory always renders one way (`term-archive`).

use std::collections::HashMap;
use std::path::Path;
use std::sync::Arc;

use super::article::{ArticleInput, GlossaryChoice, LoadedPair, read_pair};
use super::{WorkflowError, load_accept_list};
use crate::check::{self, CheckOptions, Report};
use crate::glossary::Recognizer;
use crate::lang::Lang;
use crate::memory::{Memory, MemoryError, MemoryLocation};
use crate::pair::ArticlePair;
use crate::project::{Project, document_name};
use crate::terminology::{Archive, SettledName, UnitFilter, Visit};

/// A checked article.
#[derive(Debug)]
pub struct ArticleCheck {
    pub pair: ArticlePair,
    pub report: Report,
    pub warnings: Vec<String>,
}

/// One checked unit of a memory: what the report's findings point at.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CheckedUnit {
    /// The unit's tuid, or `#N` (its 1-based position) when it has none.
    pub tuid: String,
    pub source: String,
    pub target: String,
}

/// A checked memory.
#[derive(Debug)]
pub struct MemoryCheck {
    /// The units checked, in memory order.
    pub units: Vec<CheckedUnit>,
    pub report: Report,
    pub warnings: Vec<String>,
}

/// Checks the pair `source`/`target`, aligned as every command aligns it
/// (the glossary's terms anchoring the alignment).
pub fn check_article(
    project: &Project,
    source: &Path,
    target: &Path,
    input: &ArticleInput,
    glossary: &GlossaryChoice,
    options: &CheckOptions,
) -> Result<ArticleCheck, WorkflowError> {
    let mut warnings = Vec::new();
    let recognizer = Arc::new(Recognizer::try_new(&glossary.load(project, &mut warnings)?)?);
    let accepted = load_accept_list(project)?;
    let pair_options = input.options(Some(Arc::clone(&recognizer)), &mut warnings)?;
    let LoadedPair { pair, .. } = read_pair(source, target, &document_name(source), &pair_options)?;
    warnings.extend(pair.alignment.warnings.iter().cloned());
    let report = check::run_checks(&pair, &recognizer, options);
    let settled = archive_names(project, &recognizer, &mut warnings)?;
    let report = check::archive::with_archive(report, &pair, &settled).apply_accepted(&accepted);
    Ok(ArticleCheck { pair, report, warnings })
}

/// Units a name needs, all with one rendering, before `term-archive` holds
/// a translation to it.
pub const ARCHIVE_MIN_UNITS: u64 = 3;

/// The names the project's memory (the one `ingest` writes to) always
/// renders one way, read in two streaming passes, for `term-archive`. With no
/// memory, or an empty one, none, and one warning saying the check was
/// skipped.
fn archive_names(
    project: &Project,
    recognizer: &Recognizer,
    warnings: &mut Vec<String>,
) -> Result<HashMap<String, SettledName>, WorkflowError> {
    let skipped = |why: String| format!("term-archive skipped: {why}");
    let Ok(location) = super::memory_location(project, None) else {
        warnings.push(skipped("no project, so no memory to compare names with".into()));
        return Ok(HashMap::new());
    };
    let memory = match Memory::open_location(&location) {
        Ok(memory) => memory,
        Err(MemoryError::Missing { .. }) => {
            warnings.push(skipped(format!("no translation memory at {location}")));
            return Ok(HashMap::new());
        }
        Err(error) => return Err(error.into()),
    };
    let archive = Archive::build(Some(recognizer.clone()), &UnitFilter::default(), |visit: Visit<'_>| {
        memory.for_each_unit(&mut |unit| visit(&unit)).map(|_| ())
    })?;
    if archive.units() == 0 {
        warnings.push(skipped(format!("the translation memory at {location} is empty")));
    }
    Ok(archive.settled_names(ARCHIVE_MIN_UNITS))
}

/// Checks every unit of the memory at `path` that has an Arabic and an
/// English variant (the others are counted in a warning).
pub fn check_memory(
    project: &Project,
    location: &MemoryLocation,
    glossary: &GlossaryChoice,
    options: &CheckOptions,
) -> Result<MemoryCheck, WorkflowError> {
    let mut warnings = Vec::new();
    let recognizer = Recognizer::try_new(&glossary.load(project, &mut warnings)?)?;
    let accepted = load_accept_list(project)?;
    let memory = Memory::open_location(location)?;
    let mut units = Vec::new();
    let mut position = 0;
    let mut skipped = 0;
    memory.for_each_unit(&mut |unit| {
        position += 1;
        let (Some(ar), Some(en)) = (unit.variant(Lang::Ar), unit.variant(Lang::En)) else {
            skipped += 1;
            return;
        };
        let tuid = unit.tuid.clone().unwrap_or_else(|| format!("#{position}"));
        units.push(CheckedUnit { tuid, source: ar.seg.plain_text(), target: en.seg.plain_text() });
    })?;
    if skipped > 0 {
        warnings
            .push(format!("{location}: {skipped} unit(s) without both Arabic and English were not checked"));
    }
    let report = check::run_checks_tm(
        units.iter().map(|u| (u.tuid.clone(), u.source.clone(), u.target.clone())),
        &recognizer,
        options,
    )
    .apply_accepted(&accepted);
    Ok(MemoryCheck { units, report, warnings })
}
