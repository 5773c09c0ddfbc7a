//! Units ready to store: everything a backend writes for a unit, computed
//! from the unit alone (its encoded body, its match keys, which variant is
//! the Arabic and which the English one), and the language issues an import
//! reports.

use std::borrow::Cow;

use super::index::SideTerms;
use super::{LanguageIssue, LanguagePair, codec};
use crate::lang::Lang;
use crate::normalize::match_key;
use crate::tmx::TranslationUnit;

/// A unit ready to store: its body encoded and everything a backend stores
/// beside it, computed from the unit alone. Import prepares units on one
/// thread and a backend stores them (and indexes their match keys) on
/// another (`exchange`); `tm add` and tests do both in turn.
pub(crate) struct PreparedUnit {
    pub tuid: Option<String>,
    /// The document the unit was added from (`tm add`, or its `x-document`
    /// prop).
    pub doc: Option<String>,
    /// The TMX dates as written (`YYYYMMDDThhmmssZ` sorts as text); no
    /// change date for a unit never changed (readers take the creation
    /// date).
    pub created: Option<String>,
    pub changed: Option<String>,
    /// The variants' language tags as written, space-separated.
    pub langs: String,
    /// The Arabic and the English side (in that order): the variant's
    /// position and its match key.
    pub sides: [Option<Side>; 2],
    /// The unit in the encoding of [`codec`].
    pub body: Vec<u8>,
    /// [`undated_digest`] of the unit: units [`same_but_dates`] have the
    /// same digest, so a backend indexes it to find a unit it already holds.
    pub digest: i64,
}

pub(crate) struct Side {
    pub variant: usize,
    /// [`crate::normalize::match_key`] of the variant's plain text.
    pub key: String,
    /// The word index's terms of `key`, when computed ahead
    /// ([`PreparedUnit::with_index_terms`]).
    terms: Option<SideTerms>,
}

impl Side {
    /// The word index's terms of this side (`lang`): computed ahead on the
    /// import's preparing thread, or now.
    pub(crate) fn index_terms(&self, lang: Lang) -> Cow<'_, SideTerms> {
        match &self.terms {
            Some(terms) => Cow::Borrowed(terms),
            None => Cow::Owned(SideTerms::of_key(lang, &self.key)),
        }
    }
}

impl PreparedUnit {
    /// Prepares `unit`; `doc` overrides the document named by its
    /// `x-document` prop.
    pub(crate) fn new(unit: &TranslationUnit, doc: Option<&str>, languages: &LanguagePair) -> PreparedUnit {
        let mut body = Vec::with_capacity(64 + unit.variants.iter().map(|v| v.seg.xml.len()).sum::<usize>());
        codec::encode(unit, &mut body);
        let doc =
            doc.or_else(|| unit.props.iter().find(|p| p.kind == "x-document").map(|p| p.value.as_str()));
        let attribute = |name: &str| {
            unit.attributes.iter().find(|(k, _)| k.eq_ignore_ascii_case(name)).map(|(_, v)| v.clone())
        };
        let created = attribute("creationdate");
        let changed = attribute("changedate");
        let mut langs = String::with_capacity(3 * unit.variants.len());
        for (i, variant) in unit.variants.iter().enumerate() {
            if i > 0 {
                langs.push(' ');
            }
            langs.push_str(&variant.lang);
        }
        // A unit with a segment too long to be a sentence is kept as it is
        // but never matched: keying and indexing it would cost an import
        // more than everything else it reads.
        let matched = oversized_segment(unit).is_none();
        let sides = [Lang::Ar, Lang::En].map(|lang| {
            if !matched {
                return None;
            }
            let preferred = languages.tag_for(lang).unwrap_or(lang.code());
            let variant = pick_variant(unit, lang, preferred)?;
            Some(Side { variant, key: match_key(&unit.variants[variant].seg.text()), terms: None })
        });
        PreparedUnit {
            tuid: unit.tuid.clone(),
            doc: doc.map(str::to_string),
            created,
            changed,
            langs,
            sides,
            body,
            digest: undated_digest(unit),
        }
    }

    /// Computes the word index's terms of both sides now: an import does it
    /// on its preparing thread, so the storing thread only files them.
    pub(crate) fn with_index_terms(mut self) -> PreparedUnit {
        for (lang, side) in [Lang::Ar, Lang::En].into_iter().zip(&mut self.sides) {
            if let Some(side) = side {
                side.terms = Some(SideTerms::of_key(lang, &side.key));
            }
        }
        self
    }
}

/// Two units that differ at most in their dates (`creationdate`,
/// `changedate`, `lastusagedate`: unit attributes ending in `date`).
pub(crate) fn same_but_dates(a: &TranslationUnit, b: &TranslationUnit) -> bool {
    let undated = |unit: &TranslationUnit| -> Vec<(String, String)> {
        unit.attributes.iter().filter(|(key, _)| !is_date(key)).cloned().collect()
    };
    a.tuid == b.tuid
        && a.props == b.props
        && a.notes == b.notes
        && a.variants == b.variants
        && undated(a) == undated(b)
}

fn is_date(attribute: &str) -> bool {
    attribute.ends_with("date")
}

/// A 64-bit digest of everything [`same_but_dates`] compares, the same on
/// every platform and in every version (it is stored): FNV-1a over the
/// fields, each string prefixed by its length so that no two different
/// units hash the same bytes. Equal digests are only candidates; units are
/// compared whole before one is taken for another.
pub(crate) fn undated_digest(unit: &TranslationUnit) -> i64 {
    let mut hash = Fnv1a::default();
    hash.option(unit.tuid.as_deref());
    for (key, value) in unit.attributes.iter().filter(|(key, _)| !is_date(key)) {
        hash.str(key);
        hash.str(value);
    }
    hash.count(usize::MAX);
    let props = |hash: &mut Fnv1a, props: &[crate::tmx::Prop]| {
        hash.count(props.len());
        for prop in props {
            hash.str(&prop.kind);
            hash.option(prop.lang.as_deref());
            hash.str(&prop.value);
        }
    };
    let notes = |hash: &mut Fnv1a, notes: &[crate::tmx::Note]| {
        hash.count(notes.len());
        for note in notes {
            hash.option(note.lang.as_deref());
            hash.str(&note.text);
        }
    };
    props(&mut hash, &unit.props);
    notes(&mut hash, &unit.notes);
    hash.count(unit.variants.len());
    for variant in &unit.variants {
        hash.str(&variant.lang);
        hash.count(variant.attributes.len());
        for (key, value) in &variant.attributes {
            hash.str(key);
            hash.str(value);
        }
        props(&mut hash, &variant.props);
        notes(&mut hash, &variant.notes);
        hash.str(&variant.seg.xml);
    }
    hash.0 as i64
}

struct Fnv1a(u64);

impl Default for Fnv1a {
    fn default() -> Self {
        Fnv1a(0xcbf2_9ce4_8422_2325)
    }
}

impl Fnv1a {
    fn bytes(&mut self, bytes: &[u8]) {
        for &byte in bytes {
            self.0 = (self.0 ^ u64::from(byte)).wrapping_mul(0x0100_0000_01b3);
        }
    }

    fn count(&mut self, n: usize) {
        self.bytes(&(n as u64).to_le_bytes());
    }

    fn str(&mut self, s: &str) {
        self.count(s.len());
        self.bytes(s.as_bytes());
    }

    fn option(&mut self, s: Option<&str>) {
        match s {
            Some(s) => {
                self.bytes(&[1]);
                self.str(s);
            }
            None => self.bytes(&[0]),
        }
    }
}

/// The longest segment, in bytes of plain text, that gets a match key and
/// index entries: 1 MiB, some 100,000 words. A lookup query is at most
/// [`super::lookup::MAX_QUERY_WORDS`] words, so it could not score even 1 against a
/// longer one; a TMX with such segments holds documents, not sentences.
pub const MAX_MATCHED_SEGMENT_BYTES: usize = 1 << 20;

/// The length of `unit`'s longest segment when it is over
/// [`MAX_MATCHED_SEGMENT_BYTES`] (so the unit is stored but not matched).
pub(crate) fn oversized_segment(unit: &TranslationUnit) -> Option<usize> {
    unit.variants
        .iter()
        // The markup is never shorter than its plain text: only a long one
        // is decoded to measure.
        .filter(|v| v.seg.xml.len() > MAX_MATCHED_SEGMENT_BYTES)
        .map(|v| v.seg.text().len())
        .filter(|&len| len > MAX_MATCHED_SEGMENT_BYTES)
        .max()
}

/// The import report's line for a unit [`oversized_segment`] finds.
pub(crate) fn oversized_issue(unit: &TranslationUnit, position: usize) -> Option<LanguageIssue> {
    let bytes = oversized_segment(unit)?;
    Some(LanguageIssue {
        position,
        tuid: unit.tuid.clone(),
        message: format!(
            "a segment of {bytes} bytes, over the {MAX_MATCHED_SEGMENT_BYTES} a matched segment may have; kept, but lookup and concordance never find it"
        ),
    })
}

/// The languages `unit` lacks (so it cannot be matched from them): the
/// sides [`PreparedUnit::new`] leaves empty.
pub(crate) fn missing_languages(unit: &TranslationUnit) -> Vec<Lang> {
    [Lang::Ar, Lang::En]
        .into_iter()
        .filter(|&lang| !unit.variants.iter().any(|v| Lang::from_tag(&v.lang) == Some(lang)))
        .collect()
}

/// The variant of `unit` in `lang`, preferring (as OmegaT does) the exact
/// tag the user named, then the bare language, then any region; the first
/// in document order among equals.
pub(crate) fn pick_variant(unit: &TranslationUnit, lang: Lang, preferred: &str) -> Option<usize> {
    unit.variants
        .iter()
        .enumerate()
        .filter(|(_, v)| Lang::from_tag(&v.lang) == Some(lang))
        .min_by_key(|(i, v)| {
            let rank = if v.lang.eq_ignore_ascii_case(preferred) {
                0
            } else if !v.lang.bytes().any(|b| b == b'-' || b == b'_') {
                1
            } else {
                2
            };
            (rank, *i)
        })
        .map(|(i, _)| i)
}

/// Describes what keeps a unit from being matched, for import reports.
pub(crate) fn language_issue(
    unit: &TranslationUnit,
    missing: &[Lang],
    position: usize,
) -> Option<LanguageIssue> {
    if missing.is_empty() {
        return None;
    }
    let names: Vec<&str> = missing
        .iter()
        .map(|l| match l {
            Lang::Ar => "Arabic",
            Lang::En => "English",
        })
        .collect();
    let tags: Vec<String> = unit.variants.iter().map(|v| format!("`{}`", v.lang)).collect();
    let mut message = format!(
        "no {} variant (languages: {}); kept, but it cannot be matched",
        names.join(" or "),
        if tags.is_empty() { "none".to_string() } else { tags.join(", ") }
    );
    let unknown: Vec<&str> =
        unit.variants.iter().filter(|v| Lang::from_tag(&v.lang).is_none()).map(|v| v.lang.as_str()).collect();
    if unknown.iter().any(|t| t.eq_ignore_ascii_case("ara") || t.eq_ignore_ascii_case("eng")) {
        message.push_str(" — three-letter codes such as `ara` are not language tags here; use `ar` / `en`");
    }
    Some(LanguageIssue { position, tuid: unit.tuid.clone(), message })
}
