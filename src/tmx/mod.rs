//! TMX 1.4b: the unit model and the streaming reader and writer.
//!
//! Owns: [`TranslationUnit`] (the one unit model the whole crate uses for
//! memory content), reading TMX 1.1–1.4b (UTF-8/UTF-16) with [`TmxReader`]
//! and writing TMX 1.4b with [`TmxWriter`].
//!
//! Invariant: everything a TMX unit carries survives import → export:
//! attributes, props, notes, and segment content with inline markup.
//!
//! Decisions worth knowing:
//! - Segment content is kept as canonical XML ([`SegContent::xml`]); the
//!   text a translator sees is [`SegContent::plain_text`].
//! - No entity is ever expanded: a DOCTYPE is allowed and ignored, and any
//!   reference other than the five XML entities and character references is
//!   an error naming its line and column.
//! - A unit needs at least two variants, each with a language and a
//!   non-empty `<seg>`; otherwise it is a *unit* error (see
//!   [`TmxError::is_unit_error`]) and reading can continue. Language tags
//!   are kept as written (`AR-sy`), but a three-letter code of a language
//!   that has a two-letter one (`ara`) is a unit error naming the right tag.
//! - Size limits keep memory bounded: one XML token (say, a segment's text)
//!   may be up to 16 MiB, one unit up to 32 MiB. A 1 MB segment is read
//!   normally.
//! - Control characters XML 1.0 forbids are replaced by U+FFFD when
//!   writing (see [`SegContent::from_text`]).

mod error;
pub(crate) mod escape;
mod input;
mod reader;
mod writer;

pub use error::{TmxError, TmxErrorKind};
/// XML character data as every dragoman XML writer escapes it (TMX, TBX):
/// markup escaped, characters XML 1.0 forbids replaced with U+FFFD.
pub use escape::push_text as push_xml_text;
pub use input::MAX_TOKEN_BYTES;
pub use reader::{MAX_UNIT_BYTES, TmxReader};
pub use writer::{TmxWriter, WriterOptions};

use std::borrow::Cow;
use std::time::{SystemTime, UNIX_EPOCH};

use crate::lang::Lang;

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

/// The `<header>` of a TMX document.
#[derive(Debug, Clone, Default, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct Header {
    /// The `version` attribute of `<tmx>` (`1.4`, `1.1`); empty when absent.
    pub version: String,
    /// The header's `srclang`: a language tag, `*all*` (any variant may be
    /// the source), or `None` when absent.
    pub srclang: Option<String>,
    /// The other header attributes in document order (`creationtool`,
    /// `segtype`, `o-tmf`, `adminlang`, `datatype`, `creationdate`, …).
    pub attributes: Vec<(String, String)>,
    pub props: Vec<Prop>,
    pub notes: Vec<Note>,
}

impl Header {
    /// The value of a header attribute.
    pub fn attribute(&self, name: &str) -> Option<&str> {
        attribute(&self.attributes, name)
    }

    /// True when the header's `srclang` is `*all*`.
    pub fn srclang_is_all(&self) -> bool {
        self.srclang.as_deref().is_some_and(|s| s.trim().eq_ignore_ascii_case("*all*"))
    }
}

/// The content of a `<seg>`: text with TMX Level 2 inline markup.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct SegContent {
    /// The inner XML of `<seg>` as canonical, escaped XML: text escaped
    /// (`&amp; &lt; &gt;`, `\r` as `&#13;`), inline elements (`bpt ept it ph
    /// hi sub ut`) kept with their attributes in document order, comments
    /// dropped, CDATA sections turned into escaped text.
    pub xml: String,
}

impl SegContent {
    /// A segment of plain text. Characters XML 1.0 cannot carry (C0 control
    /// characters other than tab, line feed and carriage return) become
    /// U+FFFD: a TMX file cannot hold them in any form.
    pub fn from_text(text: &str) -> SegContent {
        let mut xml = String::with_capacity(text.len());
        escape::push_text(&mut xml, text);
        SegContent { xml }
    }

    /// True when the segment has inline markup (Level 2).
    pub fn has_markup(&self) -> bool {
        self.xml.contains('<')
    }

    /// The text a translator sees: references decoded, inline markup
    /// removed. Text inside `<hi>` is kept (it is highlighted text of the
    /// sentence). The content of `<bpt> <ept> <it> <ph> <ut>` is native code
    /// of the original format (`<b>`, `{1}`), not text, so it is dropped —
    /// and with it any `<sub>` inside them: a sub-flow (a footnote, an
    /// `alt` text) is a separate piece of text, not part of this sentence.
    pub fn plain_text(&self) -> String {
        self.text().into_owned()
    }

    /// [`SegContent::plain_text`], borrowed when the segment has no markup
    /// and no references (nearly always; the import's match keys take this
    /// path for every segment).
    pub fn text(&self) -> Cow<'_, str> {
        if memchr::memchr2(b'<', b'&', self.xml.as_bytes()).is_none() {
            return Cow::Borrowed(&self.xml);
        }
        let mut text = String::with_capacity(self.xml.len());
        self.visit_text(|piece| {
            text.push_str(piece);
            true
        });
        Cow::Owned(text)
    }

    /// True when [`SegContent::plain_text`] would be empty or only
    /// whitespace (without building it).
    pub fn is_blank(&self) -> bool {
        match self.xml.trim_start().chars().next() {
            None => return true,
            Some('<' | '&') => {}
            Some(_) => return false,
        }
        let mut blank = true;
        self.visit_text(|piece| {
            blank = piece.trim().is_empty();
            blank
        });
        blank
    }

    /// Calls `visit` with each piece of visible text in order, until it
    /// returns false.
    fn visit_text(&self, mut visit: impl FnMut(&str) -> bool) {
        // Depth inside code elements: text there is not shown.
        let mut code_depth = 0usize;
        let mut rest = self.xml.as_str();
        while !rest.is_empty() {
            let Some(i) = rest.find(['<', '&']) else {
                if code_depth == 0 {
                    visit(rest);
                }
                return;
            };
            if code_depth == 0 && i > 0 && !visit(&rest[..i]) {
                return;
            }
            let tail = &rest[i..];
            if let Some(after) = tail.strip_prefix('&') {
                let end = after.find(';').unwrap_or(after.len());
                if code_depth == 0
                    && let Ok(c) = escape::resolve_reference(&after[..end])
                    && !visit(c.encode_utf8(&mut [0; 4]))
                {
                    return;
                }
                rest = after.get(end + 1..).unwrap_or("");
            } else {
                let end = tail.find('>').map_or(tail.len(), |e| e + 1);
                let tag = &tail[..end];
                let closing = tag.starts_with("</");
                let empty = tag.ends_with("/>");
                let name = tag
                    .trim_start_matches(['<', '/'])
                    .split(|c: char| c.is_whitespace() || c == '/' || c == '>')
                    .next()
                    .unwrap_or("");
                let is_code = matches!(name, "bpt" | "ept" | "it" | "ph" | "ut");
                if is_code && !empty {
                    if closing {
                        code_depth = code_depth.saturating_sub(1);
                    } else {
                        code_depth += 1;
                    }
                }
                rest = &tail[end..];
            }
        }
    }
}

/// One language variant (`<tuv>`) of a unit.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct Variant {
    /// The language tag exactly as written (`ar`, `ar-SA`, `EN-us`), from
    /// `xml:lang` or TMX 1.1's `lang`.
    pub lang: String,
    /// Other `<tuv>` attributes in document order (e.g. `creationdate`),
    /// excluding the language.
    pub attributes: Vec<(String, String)>,
    pub props: Vec<Prop>,
    pub notes: Vec<Note>,
    pub seg: SegContent,
}

impl Variant {
    /// A variant with plain text and nothing else.
    pub fn from_text(lang: &str, text: &str) -> Variant {
        Variant {
            lang: lang.to_string(),
            attributes: Vec::new(),
            props: Vec::new(),
            notes: Vec::new(),
            seg: SegContent::from_text(text),
        }
    }
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

impl TranslationUnit {
    /// The value of a unit attribute (`creationdate`, …).
    pub fn attribute(&self, name: &str) -> Option<&str> {
        attribute(&self.attributes, name)
    }

    /// The variant for `lang`, preferring (as OmegaT does) an exact tag
    /// (`ar`), then the bare language with any region (`ar-SA`, `AR-sy`).
    pub fn variant(&self, lang: Lang) -> Option<&Variant> {
        self.variants
            .iter()
            .find(|v| v.lang.trim().eq_ignore_ascii_case(lang.code()))
            .or_else(|| self.variants.iter().find(|v| classify_lang(&v.lang) == Some(lang)))
    }
}

fn attribute<'a>(attributes: &'a [(String, String)], name: &str) -> Option<&'a str> {
    attributes.iter().find(|(n, _)| n == name).map(|(_, v)| v.as_str())
}

/// The dragoman language of a TMX language tag: `ar`, `ar-SA`, `AR-sy`,
/// `ar_EG` are Arabic, `en`, `en-GB` English. Three-letter codes (`ara`,
/// `eng`) and `*all*` are `None`: callers report them instead of guessing.
pub fn classify_lang(tag: &str) -> Option<Lang> {
    Lang::from_tag(tag.trim())
}

/// Three-letter ISO 639-2 codes of languages that have a two-letter code,
/// which BCP 47 (and so TMX's `xml:lang`) requires instead. OmegaT silently
/// skips units tagged `ara`; dragoman's reader reports them.
const THREE_LETTER_CODES: &[(&str, &str)] = &[
    ("ara", "ar"),
    ("eng", "en"),
    ("fra", "fr"),
    ("fre", "fr"),
    ("deu", "de"),
    ("ger", "de"),
    ("spa", "es"),
    ("fas", "fa"),
    ("per", "fa"),
    ("tur", "tr"),
    ("urd", "ur"),
    ("heb", "he"),
    ("rus", "ru"),
    ("zho", "zh"),
    ("chi", "zh"),
    ("ita", "it"),
    ("por", "pt"),
    ("nld", "nl"),
    ("dut", "nl"),
    ("kur", "ku"),
    ("hin", "hi"),
    ("jpn", "ja"),
    ("kor", "ko"),
];

/// The two-letter code to use instead of a tag whose primary subtag is a
/// three-letter code of a language that has one (`ara` → `ar`, `eng-US` →
/// `en`).
pub fn two_letter_code(tag: &str) -> Option<&'static str> {
    let primary = tag.trim().split(['-', '_']).next()?;
    if primary.len() != 3 {
        return None;
    }
    THREE_LETTER_CODES.iter().find(|(three, _)| primary.eq_ignore_ascii_case(three)).map(|&(_, two)| two)
}

/// A TMX date, `YYYYMMDDThhmmssZ` (UTC).
pub fn format_date(time: SystemTime) -> String {
    let secs = time.duration_since(UNIX_EPOCH).map_or(0, |d| d.as_secs());
    let (days, day_secs) = (secs / 86_400, secs % 86_400);
    let (year, month, day) = civil_from_days(days);
    format!(
        "{year:04}{month:02}{day:02}T{:02}{:02}{:02}Z",
        day_secs / 3600,
        (day_secs % 3600) / 60,
        day_secs % 60
    )
}

/// The current time as a TMX date.
pub fn now() -> String {
    format_date(SystemTime::now())
}

/// Days since 1970-01-01 → (year, month, day), proleptic Gregorian
/// (Howard Hinnant's `civil_from_days`).
fn civil_from_days(days: u64) -> (u64, u64, u64) {
    let z = days + 719_468;
    let era = z / 146_097;
    let doe = z % 146_097;
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let day = doy - (153 * mp + 2) / 5 + 1;
    let month = if mp < 10 { mp + 3 } else { mp - 9 };
    let year = yoe + era * 400 + u64::from(month <= 2);
    (year, month, day)
}

#[cfg(test)]
mod tests {
    use std::time::Duration;

    use super::*;

    #[test]
    fn dates_are_tmx_format() {
        assert_eq!(format_date(UNIX_EPOCH), "19700101T000000Z");
        // 2017-06-09 13:46:47 UTC
        assert_eq!(format_date(UNIX_EPOCH + Duration::from_secs(1_497_016_007)), "20170609T134647Z");
        assert_eq!(format_date(UNIX_EPOCH + Duration::from_secs(951_782_400)), "20000229T000000Z");
        assert_eq!(now().len(), 16);
    }

    #[test]
    fn plain_text_drops_codes_keeps_highlights() {
        let seg = SegContent {
            xml: "قال <bpt i=\"1\">&lt;b&gt;</bpt>الناشط<ept i=\"1\">&lt;/b&gt;</ept> &amp; \
                  <hi type=\"x-em\">الرقة</hi><ph x=\"2\">{1}<sub>alt text</sub></ph><it pos=\"begin\"/>."
                .to_string(),
        };
        assert_eq!(seg.plain_text(), "قال الناشط & الرقة.");
        assert!(seg.has_markup());
        assert!(!seg.is_blank());
        assert!(SegContent { xml: " <ph>{1}</ph>&#10; ".to_string() }.is_blank());
        assert!(!SegContent { xml: " <ph>{1}</ph>&#10;x".to_string() }.is_blank());
        assert!(SegContent::from_text("").is_blank());
    }

    #[test]
    fn from_text_round_trips_through_plain_text() {
        let text = "Raqqa <is> \"being\" slaughtered & silently\r\n";
        let seg = SegContent::from_text(text);
        assert_eq!(seg.xml, "Raqqa &lt;is&gt; \"being\" slaughtered &amp; silently&#13;\n");
        assert_eq!(seg.plain_text(), text);
        assert_eq!(SegContent::from_text("a\u{1}b").plain_text(), "a\u{FFFD}b");
    }

    #[test]
    fn classifies_tags_with_regions() {
        assert_eq!(classify_lang("ar-SA"), Some(Lang::Ar));
        assert_eq!(classify_lang("AR-sy"), Some(Lang::Ar));
        assert_eq!(classify_lang("en-GB"), Some(Lang::En));
        assert_eq!(classify_lang("ara"), None);
        assert_eq!(classify_lang("*all*"), None);
        assert_eq!(two_letter_code("ara"), Some("ar"));
        assert_eq!(two_letter_code("ENG-us"), Some("en"));
        assert_eq!(two_letter_code("ar"), None);
        assert_eq!(two_letter_code("tlh"), None);
    }
}
