//! The matching key: how two spellings of the same text are made equal.
//!
//! Owns the one normalization every matcher uses (memory lookup and
//! concordance, glossary recognition, checks, alignment anchors), following
//! `../shared/notes/arabic-text.md`:
//! NFKC; delete harakat, tatweel, Quranic marks, bidi and zero-width
//! controls; fold alef/ya/ta-marbuta/kaf/hamza-seat forms; Arabic-Indic
//! digits and separators to ASCII; case-fold; fold curly quotes and dash
//! variants; collapse whitespace runs to one space.
//!
//! Invariant: normalization is for *matching only*. Stored and published
//! text is always the original; [`MatchKey`] keeps a byte map so a match
//! found in the key is reported as a span of the original.

use unicode_normalization::UnicodeNormalization;

/// A normalized form of some text, with a map back to the original.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MatchKey {
    /// The normalized text.
    pub text: String,
    /// For every byte of `text` (plus one past the end), the byte offset in
    /// the original that it came from. `origin[text.len()]` is the original
    /// length, so `origin[end]` closes a span.
    origin: Vec<usize>,
}

impl MatchKey {
    /// Normalizes `original` (see the module docs).
    pub fn new(original: &str) -> MatchKey {
        let mut origin = Vec::with_capacity(original.len() + 1);
        let text =
            normalize_into(original, |offset, bytes| origin.extend(std::iter::repeat_n(offset, bytes)));
        origin.push(original.len());
        MatchKey { text, origin }
    }

    /// The original byte span of the key span `start..end` (byte offsets into
    /// [`MatchKey::text`], on char boundaries).
    ///
    /// The end extends over characters deleted by normalization that follow
    /// the last matched character (a diacritic on the last letter belongs to
    /// the match), but never over whitespace.
    pub fn original_span(&self, start: usize, end: usize, original: &str) -> (usize, usize) {
        let o_start = self.origin[start];
        let o_end = if end >= self.text.len() {
            // Trailing deleted characters at the very end: keep those that are
            // not whitespace.
            let last = if end == 0 { 0 } else { self.origin[end - 1] };
            extend_over_deleted(original, last, original.len())
        } else {
            let last = self.origin[end - 1];
            extend_over_deleted(original, last, self.origin[end])
        };
        (o_start, o_end.max(o_start))
    }
}

/// From the char starting at `last`, move past it and past following
/// characters that normalization deletes, stopping at `limit`.
fn extend_over_deleted(original: &str, last: usize, limit: usize) -> usize {
    let mut chars = original[last..].char_indices();
    let mut end = match chars.next() {
        Some((_, c)) => last + c.len_utf8(),
        None => return last,
    };
    for (i, c) in chars {
        let at = last + i;
        if at >= limit || c.is_whitespace() || !is_deleted(c) {
            break;
        }
        end = at + c.len_utf8();
    }
    end.min(original.len().max(limit))
}

/// The normalized text only, when no offsets are needed (the memory's hot
/// path: no byte map is built). Equal to `MatchKey::new(original).text`;
/// ASCII and the basic Arabic block, nearly all of any text, go through
/// [`HOT_FOLDS`], everything else through [`normalize_into`]'s rules.
pub fn match_key(original: &str) -> String {
    let folds = &*HOT_FOLDS;
    let mut text = String::with_capacity(original.len());
    let mut pending_space = false;
    let push = |text: &mut String, pending_space: &mut bool, out: char| {
        if std::mem::take(pending_space) {
            text.push(' ');
        }
        text.push(out);
    };
    for c in original.chars() {
        let code = c as usize;
        let fold = match code {
            0..0x80 => folds.ascii[code],
            0x600..0x700 => folds.arabic[code - 0x600],
            _ => HotFold::Other,
        };
        match fold {
            HotFold::Delete => {}
            HotFold::Space => pending_space |= !text.is_empty(),
            HotFold::Keep(out) => push(&mut text, &mut pending_space, out),
            HotFold::Other => {
                let mut fold_one = |c: char| match fold_char(c) {
                    None => {}
                    Some(out) if out.is_whitespace() => pending_space |= !text.is_empty(),
                    Some(out) => {
                        out.to_lowercase().for_each(|lower| push(&mut text, &mut pending_space, lower))
                    }
                };
                if nfkc_is_identity(c) {
                    fold_one(c);
                } else {
                    std::iter::once(c).nfkc().for_each(fold_one);
                }
            }
        }
    }
    text
}

/// What the key makes of one character of ASCII or the basic Arabic block,
/// computed once from [`normalize_into`] itself so the fast path in
/// [`match_key`] cannot drift from the rules.
#[derive(Clone, Copy)]
enum HotFold {
    Delete,
    Space,
    /// Kept as this one character (folded, lower-cased).
    Keep(char),
    /// Anything else: the general rules.
    Other,
}

struct HotFolds {
    ascii: [HotFold; 0x80],
    arabic: [HotFold; 0x100],
}

static HOT_FOLDS: std::sync::LazyLock<HotFolds> = std::sync::LazyLock::new(|| {
    let fold = |code: u32| {
        let Some(c) = char::from_u32(code) else { return HotFold::Other };
        let key = normalize_into(&format!("x{c}x"), |_, _| {});
        let mut folded = key.strip_prefix('x').and_then(|k| k.strip_suffix('x')).unwrap_or("").chars();
        match (folded.next(), folded.next()) {
            (None, _) => HotFold::Delete,
            (Some(' '), None) => HotFold::Space,
            (Some(out), None) => HotFold::Keep(out),
            _ => HotFold::Other,
        }
    };
    HotFolds {
        ascii: std::array::from_fn(|i| fold(i as u32)),
        arabic: std::array::from_fn(|i| fold(0x600 + i as u32)),
    }
});

/// The one normalization loop. `record(offset, n)` is told that the next `n`
/// bytes of the key came from the character at byte `offset` of the original.
fn normalize_into(original: &str, mut record: impl FnMut(usize, usize)) -> String {
    let mut text = String::with_capacity(original.len());
    let mut pending_space: Option<usize> = None;
    let mut emit = |text: &mut String, offset: usize, c: char, pending_space: &mut Option<usize>| {
        let Some(out) = fold_char(c) else { return };
        if out.is_whitespace() {
            if !text.is_empty() && pending_space.is_none() {
                *pending_space = Some(offset);
            }
            return;
        }
        if let Some(space_at) = pending_space.take() {
            text.push(' ');
            record(space_at, 1);
        }
        if out.is_ascii() {
            text.push(out.to_ascii_lowercase());
            record(offset, 1);
        } else if ('\u{0600}'..='\u{06FF}').contains(&out) {
            // Arabic has no case: skip the Unicode case tables (import hot path).
            text.push(out);
            record(offset, out.len_utf8());
        } else {
            for lower in out.to_lowercase() {
                let before = text.len();
                text.push(lower);
                record(offset, text.len() - before);
            }
        }
    };
    for (offset, c) in original.char_indices() {
        if nfkc_is_identity(c) {
            emit(&mut text, offset, c, &mut pending_space);
        } else {
            for folded in std::iter::once(c).nfkc() {
                emit(&mut text, offset, folded, &mut pending_space);
            }
        }
    }
    text
}

/// Characters NFKC leaves alone, checked without running NFKC: ASCII and the
/// basic Arabic block, except the four letters with compatibility
/// decompositions (U+0675–U+0678, high hamza forms).
fn nfkc_is_identity(c: char) -> bool {
    c.is_ascii() || (('\u{0600}'..='\u{06FF}').contains(&c) && !('\u{0675}'..='\u{0678}').contains(&c))
}

fn is_deleted(c: char) -> bool {
    fold_char(c).is_none()
}

/// Folds one (already NFKC) character; `None` deletes it.
fn fold_char(c: char) -> Option<char> {
    Some(match c {
        // Most characters of any text stay as they are: decide them first.
        'a'..='z'
        | 'A'..='Z'
        | '0'..='9'
        | '\u{0621}'
        | '\u{0627}'..='\u{0628}'
        | '\u{062A}'..='\u{063A}'
        | '\u{0641}'..='\u{0648}'
        | '\u{064A}' => c,
        // Harakat, superscript alef, Quranic annotation marks, tatweel.
        '\u{064B}'..='\u{065F}' | '\u{0670}' | '\u{06D6}'..='\u{06ED}' | '\u{0640}' => return None,
        // Bidi, zero-width and invisible formatting controls; soft hyphen.
        '\u{200B}'..='\u{200F}'
        | '\u{202A}'..='\u{202E}'
        | '\u{2066}'..='\u{2069}'
        | '\u{061C}'
        | '\u{FEFF}'
        | '\u{00AD}'
        | '\u{2060}' => return None,
        'أ' | 'إ' | 'آ' | 'ٱ' => 'ا',
        'ى' | 'ی' | 'ے' => 'ي',
        'ة' => 'ه',
        'ک' => 'ك',
        'ؤ' | 'ئ' => 'ء',
        '٠'..='٩' => char::from(b'0' + (c as u32 - '٠' as u32) as u8),
        '۰'..='۹' => char::from(b'0' + (c as u32 - '۰' as u32) as u8),
        '٫' => '.',
        '٬' => ',',
        '٪' => '%',
        '’' | '‘' | '`' | '´' | 'ʼ' => '\'',
        '“' | '”' | '«' | '»' | '„' => '"',
        '\u{2010}'..='\u{2015}' | '\u{2212}' => '-',
        c if c.is_whitespace() => ' ',
        c => c,
    })
}

/// Replaces Arabic-Indic and Eastern Arabic-Indic digits and the Arabic
/// decimal and thousands separators by ASCII, leaving everything else as is.
/// Used where only numbers are compared (`٣٫٥` = `3.5`).
pub fn fold_digits(text: &str) -> String {
    text.chars()
        .map(|c| match c {
            '٠'..='٩' | '۰'..='۹' | '٫' | '٬' | '٪' => fold_char(c).unwrap_or(c),
            c => c,
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn folds_arabic_spelling_variants() {
        assert_eq!(match_key("إنترفاكس"), match_key("انترفاكس"));
        assert_eq!(match_key("سورية"), "سوريه");
        assert_eq!(match_key("مسؤول"), match_key("مسئول"));
        assert_eq!(match_key("مُدُنٌ"), "مدن");
        assert_eq!(match_key("لـ”داعش”"), "ل\"داعش\"");
        assert_eq!(match_key("مصطفى"), "مصطفي");
    }

    #[test]
    fn folds_digits_case_quotes_and_space() {
        assert_eq!(match_key("٣٫٥  Km"), "3.5 km");
        assert_eq!(match_key("People’s\u{00A0}Protection"), "people's protection");
        assert_eq!(fold_digits("في ٢٥ الشهر"), "في 25 الشهر");
        assert_eq!(match_key("  a \n b  "), "a b");
    }

    #[test]
    fn deletes_invisible_controls_without_splitting_words() {
        assert_eq!(match_key("الر\u{200C}قة"), "الرقه");
        assert_eq!(match_key("\u{202B}داعش\u{202C}"), "داعش");
    }

    #[test]
    fn maps_key_spans_back_to_the_original() {
        let original = "في الرَّقَّةِ اليوم";
        let key = MatchKey::new(original);
        let start = key.text.find("الرقه").unwrap();
        let (s, e) = key.original_span(start, start + "الرقه".len(), original);
        assert_eq!(&original[s..e], "الرَّقَّةِ");

        let original = "وبالرقة";
        let key = MatchKey::new(original);
        let (s, e) = key.original_span(0, key.text.len(), original);
        assert_eq!(&original[s..e], original);

        let original = "لـ”داعش” هنا";
        let key = MatchKey::new(original);
        let start = key.text.find("داعش").unwrap();
        let (s, e) = key.original_span(start, start + "داعش".len(), original);
        assert_eq!(&original[s..e], "داعش");
    }

    #[test]
    fn presentation_forms_fold_through_nfkc() {
        assert_eq!(match_key("\u{FEFB}"), "لا");
        // U+0675 (high hamza alef) is the one basic-block letter NFKC changes.
        assert_eq!(match_key("\u{0675}"), match_key("\u{0627}\u{0674}"));
    }

    proptest::proptest! {
        /// The table-driven fast path of `match_key` against the general
        /// loop, on text mixing every kind of character the rules treat
        /// differently.
        #[test]
        fn fast_key_equals_the_general_rules(
            text in proptest::collection::vec(proptest::sample::select(vec![
                'a', 'Z', 'x', '0', '7', ' ', ' ', '\t', '\n', '\u{0B}', '\r', '`', '\'', '"', '-', '.', 'İ',
                'ا', 'أ', 'إ', 'آ', 'ٱ', 'ى', 'ة', 'ؤ', 'ئ', 'ک', 'ی', '٣', '٫', '٬', '٪', '۵', 'ـ', 'َ', 'ّ',
                '\u{0670}', '\u{0675}', '\u{0678}', '\u{06D6}', '\u{061C}', '\u{200C}', '\u{202B}',
                '\u{00A0}', '\u{00AD}', '\u{2003}', '’', '“', '«', '–', '\u{FEFB}', 'Ｒ', 'ﷲ', 'Σ', 'ß',
            ]), 0..40)
        ) {
            let text: String = text.into_iter().collect();
            proptest::prop_assert_eq!(match_key(&text), MatchKey::new(&text).text);
        }
    }

    #[test]
    fn every_hot_character_agrees_with_the_general_rules() {
        for code in (0..0x80).chain(0x600..0x700) {
            let Some(c) = char::from_u32(code) else { continue };
            for text in [format!("{c}"), format!("a{c}b"), format!(" {c} "), format!("ب{c}{c}ت")] {
                assert_eq!(match_key(&text), MatchKey::new(&text).text, "U+{code:04X}");
            }
        }
    }

    #[test]
    fn key_without_offsets_equals_key_with_offsets() {
        for text in [
            "Founder of Raqqa, “City of Ghosts”.",
            "لـ”داعش” في ٢٥ الشهر\u{00A0}الجاري",
            "ﻻ  Ｒａｑｑａ\u{200F}",
        ] {
            assert_eq!(match_key(text), MatchKey::new(text).text);
        }
    }
}
