//! Bringing a glossary from another tool into the project
//! (`glossary import`): decoded, converted to the native format, written as
//! `glossaries/<stem>.txt` without replacing one unless asked; and writing
//! the glossaries for another tool (`glossary export`), warning when the
//! file will not be read by the tool the format is for.

use std::path::{Path, PathBuf};

use super::WorkflowError;
use crate::glossary::formats::{self, ExternalFormat, Skipped};
use crate::glossary::lint::{self, LintProblem};
use crate::glossary::write_native;
use crate::project::Project;
use crate::textio;
use crate::workflow::GlossaryChoice;

/// What an export did.
#[derive(Debug)]
pub struct GlossaryExport {
    pub entries: usize,
    /// Problems loading the glossaries, and why OmegaT will not read the
    /// file (its extension; TBX v3), for the caller to show.
    pub warnings: Vec<String>,
}

/// Writes the glossaries `choice` selects to `out` (`-`: stdout) in
/// `format`, atomically.
pub fn export(
    project: &Project,
    choice: &GlossaryChoice,
    out: &Path,
    format: ExternalFormat,
) -> Result<GlossaryExport, WorkflowError> {
    let mut warnings = Vec::new();
    let glossary = choice.load(project, &mut warnings)?;
    textio::write_atomic(out, formats::export(glossary.entries(), format).as_bytes())?;
    warnings.extend(formats::omegat_extension_warning(format, out));
    Ok(GlossaryExport { entries: glossary.entries().len(), warnings })
}

/// What an import did.
#[derive(Debug)]
pub struct GlossaryImport {
    pub written: PathBuf,
    pub format: ExternalFormat,
    pub entries: usize,
    /// Entries without an Arabic or an English term, with their lines.
    pub skipped: Vec<Skipped>,
    /// The input as named in messages.
    pub name: String,
    /// Lint's problems with the imported entries.
    pub problems: Vec<LintProblem>,
}

/// Imports `file` (`format` or guessed from its name and root element)
/// into the project's `glossaries/`; an existing file of the same name is
/// replaced only with `force`.
pub fn import(
    project: &Project,
    file: &Path,
    format: Option<ExternalFormat>,
    force: bool,
) -> Result<GlossaryImport, WorkflowError> {
    project.require()?;
    let input = textio::read_text(file)?;
    let format = match format {
        // The root element tells TBX 2008 from TBX v3.
        Some(ExternalFormat::Tbx2008 | ExternalFormat::Tbx3) => {
            formats::tbx_dialect(&input.text).unwrap_or(ExternalFormat::Tbx2008)
        }
        Some(format) => format,
        None => ExternalFormat::guess(file, &input.text).ok_or_else(|| {
            WorkflowError::io(file, "cannot tell the format from the name; pass --format csv|tsv|tbx")
        })?,
    };
    let imported = formats::import_with_skipped(&input.text, &input.name, format)?;
    if imported.entries.is_empty() {
        return Err(WorkflowError::io(file, "no entries to import"));
    }
    let stem = file.file_stem().and_then(|s| s.to_str()).filter(|s| !s.is_empty()).unwrap_or("imported");
    let dir = project.glossary_dir();
    std::fs::create_dir_all(&dir).map_err(|e| WorkflowError::io(&dir, format!("cannot create: {e}")))?;
    let written = dir.join(format!("{stem}.txt"));
    if written.exists() && !force {
        return Err(WorkflowError::io(&written, "exists; pass --force to replace it"));
    }
    textio::write_atomic(&written, write_native(&imported.entries).as_bytes())?;
    Ok(GlossaryImport {
        written,
        format,
        entries: imported.entries.len(),
        problems: lint::lint_entries(&imported.entries),
        skipped: imported.skipped,
        name: input.name,
    })
}
