//! Translation units from an aligned article pair (`tm add`, `ingest`).
//!
//! Each bead becomes one unit: tuid `NAME:N` (N = 1-based bead number),
//! props `x-document`, `x-paragraph` (1-based paragraph of the bead's first
//! source sentence) and `x-confidence`, and a `creationdate`. Store them with
//! [`super::Memory::replace_document`].

use crate::pair::ArticlePair;
use crate::tmx::{Prop, TranslationUnit, Variant};

/// A bead that was not stored, and why.
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
pub struct SkippedBead {
    /// 1-based bead number (the `N` of the tuid it would have had).
    pub bead: usize,
    pub confidence: f64,
    pub reason: String,
    /// The bead's source (or, when it has none, target) text.
    pub text: String,
}

/// The units of `pair`: every bead with both sides and a confidence of at
/// least `min_confidence`; the others are returned as skipped. `created` is
/// the TMX date the units carry (`YYYYMMDDThhmmssZ`).
pub fn units_from_pair(
    pair: &ArticlePair,
    min_confidence: f64,
    created: &str,
) -> (Vec<TranslationUnit>, Vec<SkippedBead>) {
    let mut units = Vec::new();
    let mut skipped = Vec::new();
    for (i, bead) in pair.alignment.beads.iter().enumerate() {
        let number = i + 1;
        let source = pair.source_of(bead);
        let target = pair.target_of(bead);
        let skip = |reason: &str| SkippedBead {
            bead: number,
            confidence: bead.confidence,
            reason: reason.to_string(),
            text: if source.is_empty() { target.clone() } else { source.clone() },
        };
        if source.is_empty() || target.is_empty() {
            skipped.push(skip(if source.is_empty() {
                "no Arabic sentence (an addition in the translation)"
            } else {
                "no English sentence (an omission in the translation)"
            }));
            continue;
        }
        if bead.confidence < min_confidence {
            skipped.push(skip(&format!("confidence {:.2} is below {min_confidence:.2}", bead.confidence)));
            continue;
        }
        let paragraph = bead.source.first().and_then(|&s| pair.source.get(s)).map_or(0, |s| s.paragraph) + 1;
        let prop = |kind: &str, value: String| Prop { kind: kind.to_string(), lang: None, value };
        units.push(TranslationUnit {
            tuid: Some(format!("{}:{number}", pair.name)),
            attributes: vec![("creationdate".to_string(), created.to_string())],
            props: vec![
                prop("x-document", pair.name.clone()),
                prop("x-paragraph", paragraph.to_string()),
                prop("x-confidence", format!("{:.2}", bead.confidence)),
            ],
            notes: Vec::new(),
            variants: vec![Variant::from_text("ar", &source), Variant::from_text("en", &target)],
        });
    }
    (units, skipped)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::pair::{ArticlePair, PairOptions};

    #[test]
    fn beads_become_units_with_document_props() {
        let options = PairOptions { presegmented: true, ..PairOptions::default() };
        let pair = ArticlePair::build(
            "raqqa-2017",
            "قتل ٣ مدنيين في الرقة.\n\nوقالت الأمم المتحدة إن <٢٠٠> فروا.\n",
            "Three civilians were killed in Raqqa.\n\nThe UN said <200> fled.\n",
            &options,
        )
        .unwrap();
        let (units, skipped) = units_from_pair(&pair, 0.0, "20170601T120000Z");
        assert!(skipped.is_empty());
        assert_eq!(units.len(), 2);
        let second = &units[1];
        assert_eq!(second.tuid.as_deref(), Some("raqqa-2017:2"));
        assert_eq!(second.props[0].value, "raqqa-2017");
        assert_eq!(second.props[1].value, "2");
        assert_eq!(second.variants[0].seg.plain_text(), "وقالت الأمم المتحدة إن <٢٠٠> فروا.");
        assert_eq!(second.variants[1].seg.xml, "The UN said &lt;200&gt; fled.");

        let sure = pair.alignment.beads.iter().filter(|b| b.confidence >= 1.0).count();
        let (units, skipped) = units_from_pair(&pair, 1.0, "20170601T120000Z");
        assert_eq!(units.len(), sure);
        assert_eq!(skipped.len(), 2 - sure);
        assert!(skipped.iter().all(|s| s.reason.contains("below 1.00")), "{skipped:?}");
    }
}
