//! TMX 1.4b: the unit model and the streaming reader and writer.
//!
//! Owns: [`TranslationUnit`] (the one unit model the whole crate uses for
//! memory content), reading TMX 1.1–1.4b (UTF-8/UTF-16) and writing TMX 1.4b.
//!
//! Invariant: everything a TMX unit carries survives import → export:
//! attributes, props, notes, and segment content with inline markup.

/// A `<prop type="…">` on a header, unit or variant.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct Prop {
    /// The `type` attribute (`x-document`, `x-confidence`, …).
    pub kind: String,
    /// `xml:lang` of the prop, if any.
    pub lang: Option<String>,
    pub value: String,
}

/// A `<note>`.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct Note {
    pub lang: Option<String>,
    pub text: String,
}

/// The content of a `<seg>`: text with TMX Level 2 inline markup.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct SegContent {
    /// The inner XML of `<seg>` as canonical, escaped XML: text escaped,
    /// inline elements (`bpt ept it ph hi sub ut`) kept with their attributes.
    pub xml: String,
}

/// One language variant (`<tuv>`) of a unit.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct Variant {
    /// The language tag exactly as written (`ar`, `ar-SA`, `EN-us`).
    pub lang: String,
    /// Other `<tuv>` attributes in document order (e.g. `creationdate`),
    /// excluding the language.
    pub attributes: Vec<(String, String)>,
    pub props: Vec<Prop>,
    pub notes: Vec<Note>,
    pub seg: SegContent,
}

/// A translation unit (`<tu>`).
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct TranslationUnit {
    pub tuid: Option<String>,
    /// Other `<tu>` attributes in document order (`creationdate`,
    /// `changedate`, `creationid`, `changeid`, `usagecount`,
    /// `lastusagedate`, `srclang`, …), excluding `tuid`.
    pub attributes: Vec<(String, String)>,
    pub props: Vec<Prop>,
    pub notes: Vec<Note>,
    pub variants: Vec<Variant>,
}
