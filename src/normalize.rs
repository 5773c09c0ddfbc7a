//! The matching key: how two spellings of the same text are made equal.
//!
//! Owns the one normalization every matcher uses (memory lookup and
//! concordance, glossary recognition, checks, alignment anchors), following
//! `docs/notes/arabic-text.md`:
//! NFKC; delete harakat, tatweel, Quranic marks, bidi and zero-width
//! controls ([`is_invisible_control`], the one list of them); fold alef/ya/ta-marbuta/kaf/hamza-seat forms; Arabic-Indic
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
/// path: no byte map is built). Equal to `MatchKey::new(original).text`.
///
/// This runs for both sides of every imported unit, so ASCII and the basic
/// Arabic block, nearly all of any text, are folded bytewise through
/// [`HOT_FOLDS`] (computed from the general rules), with spaces collapsed
/// without a branch. Everything else goes through [`fold_char`].
pub fn match_key(original: &str) -> String {
    thread_local! {
        /// Scratch for the key's bytes, reused so each key costs one
        /// allocation (the returned string).
        static SCRATCH: std::cell::RefCell<Vec<u8>> = const { std::cell::RefCell::new(Vec::new()) };
    }
    SCRATCH.with(|scratch| match scratch.try_borrow_mut() {
        Ok(mut scratch) => key_into(original, &mut scratch),
        Err(_) => key_into(original, &mut Vec::new()),
    })
}

/// [`match_key`] with `key` as scratch.
fn key_into(original: &str, key: &mut Vec<u8>) -> String {
    let folds: &[HotFold; HOT_ASCII + 0x100] = &HOT_FOLDS;
    let bytes = original.as_bytes();
    // A hot character never folds to more bytes than it has;
    // `fold_elsewhere` makes room when the general rules lengthen the text.
    if key.len() < bytes.len() + 4 {
        key.resize(bytes.len() + 4, 0);
    }
    let mut len = 0;
    // Whether the key is empty or ends in a space: then a space is dropped,
    // so runs collapse and leading spaces vanish (kept in a register rather
    // than read back from `key`, which would chain every byte to the last).
    let mut after_space = true;
    let mut at = 0;
    while let Some(&lead) = bytes.get(at) {
        let fold = folds[usize::from(lead & 0x7F)];
        if lead < 0x80 && fold.len == 1 {
            key[len] = fold.bytes[0];
            len += usize::from(!(fold.space && after_space));
            after_space = fold.space;
            at += 1;
            continue;
        }
        if let (0xD8..=0xDB, Some(&next)) = (lead, bytes.get(at + 1)) {
            let fold = folds[HOT_ASCII + ((usize::from(lead & 0x03) << 6) | usize::from(next & 0x3F))];
            if fold.len <= 2 {
                key[len..len + 2].copy_from_slice(&fold.bytes);
                len += usize::from(fold.len);
                after_space &= fold.len == 0;
                at += 2;
                continue;
            }
        }
        let Some(c) = original.get(at..).and_then(|rest| rest.chars().next()) else { break };
        at += c.len_utf8();
        len = fold_elsewhere(c, key, len, bytes.len() - at);
        after_space = len == 0 || key[len - 1] == b' ';
    }
    if len > 0 && key[len - 1] == b' ' {
        len -= 1;
    }
    // Only whole characters were written, so this cannot fail (the fallback
    // keeps it from ever panicking). SIMD validation and a copy cost a
    // third of what `String::from_utf8` takes on Arabic.
    match simdutf8::basic::from_utf8(&key[..len]) {
        Ok(text) => text.to_owned(),
        Err(_) => normalize_into(original, |_, _| {}),
    }
}

/// [`match_key`] for a character outside ASCII and the basic Arabic block:
/// writes its fold into `key` after `len` bytes and returns the new length,
/// keeping room for `rest` more bytes of hot characters. Apart from the hot
/// loop, so that loop keeps its state in registers.
#[cold]
fn fold_elsewhere(c: char, key: &mut Vec<u8>, mut len: usize, rest: usize) -> usize {
    fold_into(c, |out| {
        if key.len() < len + 4 + rest + 2 {
            key.resize(2 * (len + 4 + rest) + 2, 0);
        }
        if out != ' ' {
            len += out.encode_utf8(&mut key[len..len + 4]).len();
        } else if len > 0 && key[len - 1] != b' ' {
            key[len] = b' ';
            len += 1;
        }
    });
    len
}

/// What the key makes of one character of ASCII or the basic Arabic block:
/// its folded UTF-8 bytes (`len` 0 deletes it; more than 2: the general
/// rules decide), and whether that is a space.
#[derive(Clone, Copy, Default)]
struct HotFold {
    bytes: [u8; 2],
    len: u8,
    space: bool,
}

/// Table entries for ASCII come first, then the basic Arabic block.
const HOT_ASCII: usize = 0x80;

/// The folds of ASCII and of the basic Arabic block, computed once from
/// [`normalize_into`] itself so that [`match_key`]'s fast path cannot drift
/// from the rules. A fold the fast path cannot take (longer than the
/// character, or a space from an Arabic character) is left to the rules.
static HOT_FOLDS: std::sync::LazyLock<[HotFold; HOT_ASCII + 0x100]> = std::sync::LazyLock::new(|| {
    let general = HotFold { len: u8::MAX, ..HotFold::default() };
    let fold = |code: u32| -> HotFold {
        let Some(c) = char::from_u32(code) else { return general };
        // Between two letters, so that a space shows.
        let key = normalize_into(&format!("x{c}x"), |_, _| {});
        let Some(out) = key.strip_prefix('x').and_then(|k| k.strip_suffix('x')) else { return general };
        let space = out == " ";
        if out.len() > c.len_utf8() || (space && !c.is_ascii()) {
            return general;
        }
        let mut bytes = [0; 2];
        bytes[..out.len()].copy_from_slice(out.as_bytes());
        HotFold { bytes, len: out.len() as u8, space }
    };
    std::array::from_fn(|i| if i < HOT_ASCII { fold(i as u32) } else { fold(0x600 + (i - HOT_ASCII) as u32) })
});

/// The one normalization loop. `record(offset, n)` is told that the next `n`
/// bytes of the key came from the character at byte `offset` of the original.
fn normalize_into(original: &str, mut record: impl FnMut(usize, usize)) -> String {
    let mut text = String::with_capacity(original.len());
    let mut pending_space: Option<usize> = None;
    for (offset, c) in original.char_indices() {
        fold_into(c, |out| {
            if out == ' ' {
                if !text.is_empty() && pending_space.is_none() {
                    pending_space = Some(offset);
                }
                return;
            }
            if let Some(space_at) = pending_space.take() {
                text.push(' ');
                record(space_at, 1);
            }
            let before = text.len();
            text.push(out);
            record(offset, text.len() - before);
        });
    }
    text
}

/// The rules for one character of the original: NFKC, then [`fold_char`]
/// and lower case. Calls `out` with each character of the key it becomes
/// (none when deleted), whitespace as `' '`; collapsing spaces is the
/// caller's.
fn fold_into(c: char, mut out: impl FnMut(char)) {
    let mut fold_one = |c: char| match fold_char(c) {
        None => {}
        Some(folded) if folded.is_whitespace() => out(' '),
        // Arabic has no case: skip the Unicode case tables.
        Some(folded) if folded.is_ascii() || ('\u{0600}'..='\u{06FF}').contains(&folded) => {
            out(folded.to_ascii_lowercase())
        }
        Some(folded) => folded.to_lowercase().for_each(&mut out),
    };
    if nfkc_is_identity(c) {
        fold_one(c);
    } else {
        std::iter::once(c).nfkc().for_each(fold_one);
    }
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
        c if is_invisible_control(c) => return None,
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

/// Characters that are written in a text but not seen: the bidi
/// embeddings, overrides and isolates (U+202A–U+202E, U+2066–U+2069), the
/// marks (U+200E, U+200F, U+061C), the zero-width space, non-joiner and
/// joiner (U+200B–U+200D), the word joiner (U+2060), the byte order mark /
/// zero-width no-break space (U+FEFF) and the soft hyphen (U+00AD).
///
/// This is the one list every module uses: the match key deletes them (two
/// spellings that differ only by one are the same text), the aligner does
/// not count them as length, term matches end before them, and displays
/// make them visible. Other C0/C1 control characters are not in it: they
/// are not formatting that a translator writes, the match key keeps them
/// (a tab or line break is whitespace there), and a terminal display that
/// must also neutralise them (escape sequences) adds them itself.
/// `publish` marks only the subset that can reorder text (see
/// `publish/escape.rs`).
pub fn is_invisible_control(c: char) -> bool {
    matches!(
        c,
        '\u{200B}'..='\u{200F}'
            | '\u{202A}'..='\u{202E}'
            | '\u{2066}'..='\u{2069}'
            | '\u{061C}'
            | '\u{FEFF}'
            | '\u{00AD}'
            | '\u{2060}'
    )
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
    fn invisible_controls_are_the_format_characters_not_other_controls() {
        let invisible = [
            '\u{200B}', '\u{200C}', '\u{200D}', '\u{200E}', '\u{200F}', '\u{202A}', '\u{202E}', '\u{2066}',
            '\u{2069}', '\u{061C}', '\u{FEFF}', '\u{00AD}', '\u{2060}',
        ];
        assert!(invisible.iter().all(|&c| is_invisible_control(c)));
        // Visible neighbours of the ranges, and C0/C1 controls (a tab is
        // whitespace to the key, not an invisible letter).
        for c in [
            '\u{200A}', '\u{2010}', '\u{2029}', '\u{202F}', '\u{2065}', '\u{206A}', '\t', '\u{7}', '\u{85}',
            'ـ',
        ] {
            assert!(!is_invisible_control(c), "U+{:04X}", c as u32);
        }
        assert_eq!(match_key("داعش\u{00AD}\u{2060}\u{FEFF}"), "داعش");
        assert_eq!(match_key("a\u{7}b"), "a\u{7}b");
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
                '\u{FDFA}', '\u{2474}', '\u{3000}', '\u{FB50}', '\u{0085}',
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
            // Characters whose folds are longer than they are, in a row.
            "\u{FDFA}\u{FDFA}\u{FDFA} \u{2474}\u{2474}\u{2474}\u{FDFA}",
        ] {
            assert_eq!(match_key(text), MatchKey::new(text).text);
        }
    }
}
