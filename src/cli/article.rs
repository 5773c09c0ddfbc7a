//! What every command that takes an article and its translation shares
//! (`align`, `tm add`, `check`, `publish`, `ingest`): the segmentation and
//! alignment options, reading both texts, and the glossary whose terms
//! anchor the alignment. One place, so every command segments and aligns
//! the same way and bead numbers agree between them.

use std::path::{Path, PathBuf};
use std::sync::Arc;

use anyhow::Context as _;

use super::Context;
use super::glossary::GlossarySelection;
use crate::align;
use crate::glossary::{Glossary, Recognizer};
use crate::pair::{ArticlePair, PairOptions};
use crate::segment::Segmenter;
use crate::textio::{self, TextInput};

/// How to segment and align the pair.
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
    #[arg(long, value_name = "FILE")]
    pub dictionary: Vec<PathBuf>,
}

impl PairInput {
    /// The pipeline options: rules compiled, beads read, glossary anchors.
    pub fn options(&self, recognizer: Option<Arc<Recognizer>>) -> anyhow::Result<PairOptions> {
        let mut options =
            PairOptions { presegmented: self.presegmented, recognizer, ..PairOptions::default() };
        if let Some(path) = &self.rules {
            let srx = textio::read_text(path)?;
            options.segmenter =
                Segmenter::from_srx(&srx.text, &srx.name).context("cannot use the segmentation rules")?;
        }
        if let Some(path) = &self.beads {
            let input = textio::read_text(path)?;
            options.beads = Some(align::parse_beads(&input.text, &input.name)?);
        }
        if !self.dictionary.is_empty() {
            let mut dictionary = align::Dictionary::new();
            for path in &self.dictionary {
                dictionary.add_bytes(&textio::read_bytes(path)?, &textio::display_name(path))?;
            }
            if dictionary.is_empty() {
                super::warn("the dictionary has no usable one-word pairs: alignment runs without it");
            } else {
                options.align.dictionary = Some(Arc::new(dictionary));
            }
        }
        Ok(options)
    }
}

/// An article pair read from disk, with the inputs it came from.
pub struct LoadedPair {
    pub pair: ArticlePair,
    pub source: TextInput,
    pub target: TextInput,
}

/// Reads both texts and builds the pair named `name`.
pub fn read_pair(
    source: &Path,
    target: &Path,
    name: &str,
    options: &PairOptions,
) -> anyhow::Result<LoadedPair> {
    let source = textio::read_text(source)?;
    let target = textio::read_text(target)?;
    let pair = ArticlePair::build(name, &source.text, &target.text, options)
        .with_context(|| format!("cannot pair {} with {}", source.name, target.name))?;
    Ok(LoadedPair { pair, source, target })
}

/// The recognizer for the selected glossaries (`--glossary`, else the
/// project's), or `None` when there is no glossary at all: alignment then
/// simply has no term anchors.
pub fn optional_recognizer(
    selection: &GlossarySelection,
    context: &Context,
) -> anyhow::Result<Option<Arc<Recognizer>>> {
    let files = selection.files(context)?;
    if files.is_empty() {
        return Ok(None);
    }
    let glossary = Glossary::load(&files)?;
    for warning in glossary.warnings() {
        super::warn(warning);
    }
    Ok(Some(Arc::new(Recognizer::try_new(&glossary)?)))
}
