//! The checks that need no glossary: `number-mismatch`, `untranslated`,
//! `quotes`.

use std::collections::{HashMap, HashSet};

use super::{CheckedPair, FoundAt, Location, MAX_FINDINGS_PER_ITEM, Severity, Shared};
use crate::lang::is_arabic_letter;
use crate::normalize::match_key;

/// A number as written, with its value normalized for comparison.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Number {
    /// The value as compared (`1500`, `12:00`, `360000` for `360 ألف`).
    pub(crate) value: String,
    /// Alternatives and parts, for the few numbers that have any (a
    /// pointer, not two vectors, per number: a paragraph of 10 MB of
    /// numbers has a million).
    more: Option<Box<More>>,
    pub(crate) span: (usize, usize),
    /// A decade or century (`1960s`, `20s`), which the other language often
    /// writes in words (`الستينيات`): not required on the other side.
    approximate: bool,
}

#[derive(Debug, Clone, PartialEq, Eq)]
struct More {
    /// Other ways to write the same value (`12:00` = `1200` = `12.00`).
    alternatives: Vec<String>,
    /// The numbers a decimal comma may instead separate (`1,1` after a
    /// figure reference is figures 1 and 1): enough for the other side to
    /// state one of them, never a value to compare.
    parts: Vec<String>,
}

impl Number {
    fn alternatives(&self) -> &[String] {
        self.more.as_ref().map_or(&[], |more| &more.alternatives)
    }

    fn parts(&self) -> &[String] {
        self.more.as_ref().map_or(&[], |more| &more.parts)
    }
}

/// ASCII value of a decimal digit of any script dragoman reads.
fn digit(c: char) -> Option<char> {
    match c {
        '0'..='9' => Some(c),
        '٠'..='٩' => char::from_digit(c as u32 - '٠' as u32, 10),
        '۰'..='۹' => char::from_digit(c as u32 - '۰' as u32, 10),
        _ => None,
    }
}

/// Numbers in `text`: digit runs with their separators. `٫` and `.` are
/// decimal points; `٬`, and `,` before exactly three digits, group
/// thousands and are dropped, so `1,500` = `١٬٥٠٠` = `1500`.
///
/// Arabic text (`arabic`) is read the way a bilingual editor reads it:
/// digits glued to proclitics are numbers (`و43`, `ب2018`, `لـ25`,
/// `وال19`); `,` before other than three digits is a decimal comma
/// (`5,5 مليون`); a `.` before groups of three digits may group thousands
/// (`1.500` is 1,500 or 1.5: both are kept). In both languages a scale
/// word after the number multiplies it (`360 ألف` = 360,000, `2.5 مليار`,
/// `5 million`), and a time of day converts between the 12- and 24-hour
/// clocks (`7 p.m.` = `19:00`); `'53` may be 1953 or 2053.
pub(crate) fn numbers(text: &str, arabic: bool) -> Vec<Number> {
    scan(text, arabic).0
}

/// [`numbers`], and apart from them the digits inside codes and names
/// (`ACE2`, `H1N1`, `U07.1`, `ببتيداز4`): not quantities to compare, but
/// the other language may write the same name with the digits apart
/// (`الإنزيم المحول للأنجيوتنسين 2`, `اتش 1 إن 1`).
fn scan(text: &str, arabic: bool) -> (Vec<Number>, Vec<Number>) {
    // Room for every run of digits, counted first: a Vec grown by doubling
    // holds up to twice its numbers, and a paragraph of 10 MB of numbers
    // has over a million a side (45 MB of the check's peak).
    let runs = text
        .chars()
        .scan(false, |in_run, c| {
            let starts = digit(c).is_some() && !*in_run;
            *in_run = digit(c).is_some();
            Some(starts)
        })
        .filter(|&starts| starts)
        .count();
    let mut found = Vec::with_capacity(runs);
    let mut codes = Vec::new();
    let mut rest_at = 0;
    while let Some(offset) = text[rest_at..].find(|c: char| digit(c).is_some()) {
        let start = rest_at + offset;
        let before = &text[..start];
        // Digits glued to a letter are part of a name or code (`R0`,
        // `B0AT1`, `H1N1`), not a quantity to compare, unless the letters
        // are Arabic proclitics.
        let in_identifier = before.chars().next_back().is_some_and(|c| c.is_alphabetic() || c == 'ـ')
            && !(arabic && glued_proclitics(before));
        let mut value = String::new();
        let mut at = start;
        let mut dot_groups_of_three = true;
        let mut dots = 0;
        let mut decimal_comma = false;
        while let Some(c) = text[at..].chars().next() {
            if let Some(d) = digit(c) {
                value.push(d);
                at += c.len_utf8();
                continue;
            }
            let after = &text[at + c.len_utf8()..];
            let next_digits = after.chars().take_while(|c| digit(*c).is_some()).count();
            let three_then_end = next_digits == 3;
            match c {
                // A time: `12:00`.
                ':' if next_digits == 2 && !value.contains(':') => value.push(':'),
                '.' | '٫' if next_digits > 0 => {
                    value.push('.');
                    dots += 1;
                    dot_groups_of_three &= c == '.' && three_then_end;
                }
                '٬' if next_digits > 0 => {}
                ',' if three_then_end => {}
                // `15،00 UTC`: the Arabic comma right before digits is a
                // decimal comma too (a list has a space after it).
                ',' | '،' if arabic && next_digits > 0 && !value.contains('.') => {
                    value.push('.');
                    decimal_comma = true;
                }
                _ => break,
            }
            at += c.len_utf8();
        }
        let end = at;
        let rest = &text[end..];
        let approximate = !arabic
            && (rest.starts_with('s') || rest.starts_with("'s") || rest.starts_with("’s"))
            && !rest.starts_with("st");
        let mut alternatives = Vec::new();
        // `42.000 participants`: writers used to other conventions group
        // thousands with a dot in English too.
        if dots > 0 && dot_groups_of_three {
            alternatives.push(canonical(&value.replace('.', "")));
        }
        let parts = if decimal_comma { value.split('.').map(canonical).collect() } else { Vec::new() };
        let value = match value.split_once(':') {
            Some((hours, minutes)) => {
                alternatives.push(format!("{hours}{minutes}"));
                alternatives.push(canonical(&format!("{hours}.{minutes}")));
                alternatives.push(canonical(hours));
                if let Ok(h) = canonical(hours).parse::<u32>()
                    && (13..24).contains(&h)
                {
                    alternatives.push((h - 12).to_string());
                    alternatives.push(format!("{}:{minutes}", h - 12));
                }
                format!("{}:{minutes}", canonical(hours))
            }
            None => canonical(&value),
        };
        if !arabic && value.len() == 2 && before.ends_with(['\'', '’']) {
            alternatives.push(format!("19{value}"));
            alternatives.push(format!("20{value}"));
        }
        let (scale, clock) = following_word(rest, arabic);
        // With a scale word the value is the scaled one, so `2.5 billion`
        // and `2.5 مليون` differ; the bare number stays an alternative.
        let value = match scale.and_then(|scale| scaled(&value, scale).map(|v| (scale, v))) {
            Some((scale, scaled_value)) => {
                alternatives = alternatives.iter().filter_map(|a| scaled(a, scale)).collect();
                alternatives.push(value);
                scaled_value
            }
            None => value,
        };
        if clock == Some(true)
            && let Ok(h) = value.split(':').next().unwrap_or("").parse::<u32>()
            && (1..12).contains(&h)
        {
            alternatives.push((h + 12).to_string());
            alternatives.push(format!("{}:00", h + 12));
            if let Some((_, minutes)) = value.split_once(':') {
                alternatives.push(format!("{}:{minutes}", h + 12));
            }
        }
        let more =
            (!alternatives.is_empty() || !parts.is_empty()).then(|| Box::new(More { alternatives, parts }));
        let number = Number { value, more, span: (start, end), approximate };
        if in_identifier {
            codes.push(number);
        } else {
            found.push(number);
        }
        rest_at = end.max(start + 1);
        while !text.is_char_boundary(rest_at) {
            rest_at += 1;
        }
    }
    found.shrink_to_fit();
    (found, codes)
}

/// Whether the Arabic word that ends where digits begin is only proclitics
/// (`و`, `ب`, `لـ`, `وال`): then the digits are a number, not a code.
fn glued_proclitics(before: &str) -> bool {
    let word: String = before
        .chars()
        .rev()
        .take_while(|c| c.is_alphabetic() || *c == 'ـ')
        .filter(|c| *c != 'ـ')
        .collect::<Vec<_>>()
        .into_iter()
        .rev()
        .collect();
    let rest = word.strip_prefix(['و', 'ف']).unwrap_or(&word);
    let rest = rest.strip_prefix(['ب', 'ل', 'ك']).unwrap_or(rest);
    let rest = rest.strip_prefix("ال").or_else(|| rest.strip_prefix('ل')).unwrap_or(rest);
    rest.is_empty() && !word.is_empty()
}

/// The scale word after a number (`ألف`, `ملايين`, `million`) as a power of
/// ten, and whether a clock word says afternoon (`p.m.`, `مساء`: `Some(true)`)
/// or morning (`Some(false)`).
fn following_word(rest: &str, arabic: bool) -> (Option<u32>, Option<bool>) {
    let rest = rest.trim_start_matches([' ', '\u{a0}', '-']);
    let word: String = rest.chars().take(12).take_while(|c| c.is_alphabetic() || *c == '.').collect();
    let key = match_key(&word);
    let key = key.trim_end_matches('.');
    let scale = if arabic {
        match key {
            "الف" | "الاف" | "آلاف" => Some(3),
            "مليون" | "ملايين" => Some(6),
            "مليار" | "مليارات" | "بليون" => Some(9),
            _ => None,
        }
    } else {
        match key {
            "thousand" => Some(3),
            "million" | "mln" | "m" => Some(6),
            "billion" | "bn" => Some(9),
            _ => None,
        }
    };
    let clock = match key {
        "pm" | "p.m" | "مساء" | "مساءا" => Some(true),
        "am" | "a.m" | "صباحا" | "صباح" => Some(false),
        _ => None,
    };
    (scale, clock)
}

/// `value` × 10^`power`, written as [`canonical`] writes numbers.
fn scaled(value: &str, power: u32) -> Option<String> {
    let (int, frac) = value.split_once('.').unwrap_or((value, ""));
    if !int.bytes().all(|b| b.is_ascii_digit()) || !frac.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    let power = power as usize;
    let mut digits = format!("{int}{frac}");
    if frac.len() <= power {
        digits.push_str(&"0".repeat(power - frac.len()));
        Some(canonical(&digits))
    } else {
        let point = int.len() + power;
        Some(canonical(&format!("{}.{}", &digits[..point], &digits[point..])))
    }
}

/// Leading zeros dropped (`07` = `7`), a trailing `.0…` dropped.
fn canonical(value: &str) -> String {
    if value.matches('.').count() > 1 {
        return value.to_string();
    }
    let (int, frac) = value.split_once('.').unwrap_or((value, ""));
    let int = int.trim_start_matches('0');
    let int = if int.is_empty() { "0" } else { int };
    let frac = frac.trim_end_matches('0');
    if frac.is_empty() { int.to_string() } else { format!("{int}.{frac}") }
}

/// English number words and the value they stand for.
const ENGLISH_NUMBERS: [(&str, &str); 55] = [
    ("dozen", "12"),
    ("billion", "1000000000"),
    ("eleventh", "11"),
    ("twelfth", "12"),
    ("thirteenth", "13"),
    ("fourteenth", "14"),
    ("fifteenth", "15"),
    ("sixteenth", "16"),
    ("seventeenth", "17"),
    ("eighteenth", "18"),
    ("nineteenth", "19"),
    ("twentieth", "20"),
    ("thirtieth", "30"),
    ("once", "1"),
    ("twice", "2"),
    ("one", "1"),
    ("two", "2"),
    ("three", "3"),
    ("four", "4"),
    ("five", "5"),
    ("six", "6"),
    ("seven", "7"),
    ("eight", "8"),
    ("nine", "9"),
    ("ten", "10"),
    ("eleven", "11"),
    ("twelve", "12"),
    ("thirteen", "13"),
    ("fourteen", "14"),
    ("fifteen", "15"),
    ("sixteen", "16"),
    ("seventeen", "17"),
    ("eighteen", "18"),
    ("nineteen", "19"),
    ("twenty", "20"),
    ("thirty", "30"),
    ("forty", "40"),
    ("fifty", "50"),
    ("sixty", "60"),
    ("seventy", "70"),
    ("eighty", "80"),
    ("ninety", "90"),
    ("hundred", "100"),
    ("thousand", "1000"),
    ("million", "1000000"),
    ("first", "1"),
    ("second", "2"),
    ("third", "3"),
    ("fourth", "4"),
    ("fifth", "5"),
    ("sixth", "6"),
    ("seventh", "7"),
    ("eighth", "8"),
    ("ninth", "9"),
    ("tenth", "10"),
];

/// Arabic number words, cardinal and ordinal (normalized: `ة` is `ه`,
/// alef folded).
const ARABIC_NUMBERS: [(&str, &str); 73] = [
    ("حادي", "1"),
    ("احدي", "1"),
    ("اثني", "2"),
    ("اثنا", "2"),
    ("ستين", "60"),
    ("ستون", "60"),
    ("سبعين", "70"),
    ("ثمانين", "80"),
    ("تسعين", "90"),
    ("الفين", "2000"),
    ("الفان", "2000"),
    ("ملايين", "1000000"),
    ("مليار", "1000000000"),
    ("مليارات", "1000000000"),
    ("مءتين", "200"),
    ("اول", "1"),
    ("اولي", "1"),
    ("ثاني", "2"),
    ("ثانيه", "2"),
    ("ثالث", "3"),
    ("ثالثه", "3"),
    ("رابع", "4"),
    ("رابعه", "4"),
    ("خامس", "5"),
    ("خامسه", "5"),
    ("سادس", "6"),
    ("سادسه", "6"),
    ("سابع", "7"),
    ("سابعه", "7"),
    ("ثامن", "8"),
    ("ثامنه", "8"),
    ("تاسع", "9"),
    ("تاسعه", "9"),
    ("عاشر", "10"),
    ("عاشره", "10"),
    ("واحد", "1"),
    ("واحده", "1"),
    ("اثنان", "2"),
    ("اثنين", "2"),
    ("اثنتان", "2"),
    ("اثنتين", "2"),
    ("ثلاث", "3"),
    ("ثلاثه", "3"),
    ("اربع", "4"),
    ("اربعه", "4"),
    ("خمس", "5"),
    ("خمسه", "5"),
    ("ست", "6"),
    ("سته", "6"),
    ("سبع", "7"),
    ("سبعه", "7"),
    ("ثمان", "8"),
    ("ثماني", "8"),
    ("ثمانيه", "8"),
    ("تسع", "9"),
    ("تسعه", "9"),
    ("عشر", "10"),
    ("عشره", "10"),
    ("عشرين", "20"),
    ("عشرون", "20"),
    ("ثلاثين", "30"),
    ("اربعين", "40"),
    ("خمسين", "50"),
    ("مءه", "100"),
    ("ماءه", "100"),
    ("ماءتين", "200"),
    ("ماءتان", "200"),
    ("مءتان", "200"),
    ("مايه", "100"),
    ("مءات", "100"),
    ("الف", "1000"),
    ("الاف", "1000"),
    ("مليون", "1000000"),
];

/// The values `text` writes as words (`three`, `ثلاثة`, `والثلاثة`), also
/// compounds: teens (`التاسع عشر` = 19), tens and units (`twenty-five`,
/// `خمسة وعشرون`), and a number times a scale word (`ثلاثة ملايين`).
fn word_values(text: &str, arabic: bool) -> HashSet<String> {
    let key = match_key(text);
    let table: &[(&str, &str)] = if arabic { &ARABIC_NUMBERS } else { &ENGLISH_NUMBERS };
    let mut values = HashSet::new();
    let mut previous: Vec<u64> = Vec::new();
    for word in key.split(|c: char| !c.is_alphanumeric()).filter(|w| !w.is_empty()) {
        let mut stems = vec![word];
        if arabic {
            for prefix in ["و", "ب", "ل", "ال", "وال", "بال", "لل"] {
                if let Some(rest) = word.strip_prefix(prefix) {
                    stems.push(rest);
                }
            }
        }
        let here: Vec<u64> = stems
            .iter()
            .flat_map(|stem| table.iter().filter(move |(w, _)| w == stem))
            .filter_map(|(_, v)| v.parse().ok())
            .collect();
        for &v in &here {
            values.insert(v.to_string());
            for &p in &previous {
                let compound = match v {
                    // `التاسع عشر`, `ثلاثة عشر`: a unit then ten.
                    10 if (1..10).contains(&p) => Some(p + 10),
                    // `twenty five`; `خمسة وعشرون` (the unit comes first).
                    1..=9 if (20..100).contains(&p) && p % 10 == 0 => Some(p + v),
                    20..=90 if v % 10 == 0 && (1..10).contains(&p) => Some(p + v),
                    100 | 1000 | 1_000_000 | 1_000_000_000 if p < 1000 => Some(p * v),
                    _ => None,
                };
                values.extend(compound.map(|c| c.to_string()));
            }
        }
        previous = here;
    }
    values
}

/// Numbers seen so far. Two numbers are the same when their values are
/// equal or one's value is among the other's alternatives; a set answers
/// that in constant time (a long paragraph may hold 100,000 numbers).
#[derive(Default)]
struct NumberSet<'a> {
    values: HashSet<&'a str>,
    /// The alternatives (most numbers have none: values are not repeated
    /// here, which halves the sets of a paragraph of a million numbers).
    alternatives: HashSet<&'a str>,
}

impl<'a> NumberSet<'a> {
    fn with_capacity(numbers: usize) -> NumberSet<'a> {
        NumberSet { values: HashSet::with_capacity(numbers), alternatives: HashSet::new() }
    }

    fn insert(&mut self, n: &'a Number) {
        self.values.insert(&n.value);
        self.alternatives.extend(n.alternatives().iter().map(String::as_str));
    }

    /// Whether some number in the set has `value` or an alternative equal to it.
    fn has_value(&self, value: &str) -> bool {
        self.values.contains(value) || self.alternatives.contains(value)
    }

    /// Whether some number in the set is the same as `n`.
    fn has_same_as(&self, n: &Number) -> bool {
        self.values.contains(n.value.as_str())
            || self.alternatives.contains(n.value.as_str())
            || n.alternatives().iter().any(|a| self.values.contains(a.as_str()))
    }
}

/// One side of a pair as the other side's numbers are looked up in it.
struct Side<'a> {
    numbers: &'a [Number],
    codes: &'a [Number],
    text: &'a str,
    arabic: bool,
}

/// The values `side` states loosely: as words ([`word_values`]), as the
/// digits of a code (`ACE2`), as a Roman numeral (`type II`) or as an
/// Arabic dual (`مترين` = 2 metres). Evidence enough that a number is not
/// left out, never a value to compare. A code both sides write (`ACE2`)
/// stands for itself, not for a number apart (`enzyme 2 (ACE2)`).
fn loose_values(side: &Side, own_codes: &[Number]) -> HashSet<String> {
    let mut values = word_values(side.text, side.arabic);
    // Counted: `ACE2 … rhACE2` against one `ACE2` leaves a `2` over.
    let mut own: HashMap<&str, usize> = HashMap::new();
    for code in own_codes {
        *own.entry(&code.value).or_default() += 1;
    }
    for code in side.codes {
        if let Some(left) = own.get_mut(code.value.as_str())
            && *left > 0
        {
            *left -= 1;
            continue;
        }
        values.insert(code.value.clone());
        values.extend(code.alternatives().iter().cloned());
    }
    if side.arabic {
        if has_dual_count(side.text) {
            values.insert("2".to_string());
        }
    } else {
        values
            .extend(side.text.split(|c: char| !c.is_alphanumeric()).filter_map(roman).map(|v| v.to_string()));
    }
    values
}

/// The value of a Roman numeral up to 39 (`I`, `II`, `IV`, `XII`), as
/// English writes types, kings and wars (`type I`, `angiotensin II`).
fn roman(word: &str) -> Option<u32> {
    if word.is_empty() || word.len() > 6 || !word.bytes().all(|b| matches!(b, b'I' | b'V' | b'X')) {
        return None;
    }
    let tens = word.bytes().take_while(|b| *b == b'X').count();
    let units = match &word[tens..] {
        "" => 0,
        "I" => 1,
        "II" => 2,
        "III" => 3,
        "IV" => 4,
        "V" => 5,
        "VI" => 6,
        "VII" => 7,
        "VIII" => 8,
        "IX" => 9,
        _ => return None,
    };
    (tens <= 3).then_some(tens as u32 * 10 + units)
}

/// Nouns Arabic counts in the dual (`يومين` two days, `مترين` two metres,
/// `ساعتين`), normalized as [`match_key`] writes them; the feminine `ة`
/// is `ت` before the dual ending.
const COUNTED_NOUNS: [&str; 23] = [
    "يوم",
    "اسبوع",
    "شهر",
    "عام",
    "سنت",
    "قرن",
    "عقد",
    "ساعت",
    "دقيقت",
    "ثانيت",
    "متر",
    "كيلومتر",
    "مرت",
    "ضعف",
    "شخص",
    "طفل",
    "رجل",
    "دولت",
    "مليون",
    "مليار",
    "جرعت",
    "حالت",
    "فيروس",
];

/// Whether `text` counts two of something in the dual (`لأسبوعين`,
/// `مترين`, `مرتان`): the English states that as `2`.
fn has_dual_count(text: &str) -> bool {
    let key = match_key(text);
    key.split(|c: char| !c.is_alphanumeric()).any(|word| {
        let Some(stem) = word.strip_suffix("ين").or_else(|| word.strip_suffix("ان")) else {
            return false;
        };
        COUNTED_NOUNS.iter().any(|noun| {
            stem.strip_suffix(noun).is_some_and(|clitics| {
                ["", "و", "ب", "ل", "ال", "وال", "بال", "لل", "ف", "فال"].contains(&clitics)
            })
        })
    })
}

/// The numbers of `these` that `other` does not state, in digits or
/// loosely ([`loose_values`]), each value once: the first `keep` of
/// them, and how many there are in all (a paragraph of 10 MB of numbers
/// may have a million, and only the first ones are listed).
fn one_sided<'a>(
    these: &'a [Number],
    own_codes: &[Number],
    other: &Side,
    keep: usize,
) -> (Vec<&'a Number>, usize) {
    let mut other_set = NumberSet::with_capacity(other.numbers.len());
    other.numbers.iter().for_each(|n| other_set.insert(n));
    let mut loose: Option<HashSet<String>> = None;
    let mut reported = NumberSet::with_capacity(these.len());
    let mut listed = Vec::new();
    let mut count = 0;
    for n in these {
        if !other_set.has_same_as(n)
            && !reported.has_same_as(n)
            && !n.approximate
            && !{
                let loose = loose.get_or_insert_with(|| loose_values(other, own_codes));
                std::iter::once(&n.value).chain(n.alternatives()).any(|v| loose.contains(v))
                    || n.parts().iter().any(|p| other_set.has_value(p) || loose.contains(p))
            }
        {
            reported.insert(n);
            count += 1;
            if listed.len() < keep {
                listed.push(n);
            }
        }
    }
    (listed, count)
}

/// The numbers of `these` whose value `these` states more often than
/// `others` does, and `others` at least once (the surplus occurrences,
/// the last ones), at most `keep`.
fn repeated_more<'a>(these: &'a [Number], others: &[Number], keep: usize) -> Vec<&'a Number> {
    let mut in_others: HashMap<&str, usize> = HashMap::with_capacity(others.len());
    for n in others {
        *in_others.entry(&n.value).or_default() += 1;
        for a in n.alternatives().iter().filter(|a| **a != n.value) {
            *in_others.entry(a).or_default() += 1;
        }
    }
    let mut in_these: HashMap<&str, usize> = HashMap::with_capacity(these.len());
    let mut surplus = Vec::new();
    for n in these.iter().filter(|n| !n.approximate) {
        let seen = in_these.entry(&n.value).or_default();
        *seen += 1;
        // A value the other side states in digits at least once: one
        // stated only loosely (`ACE2`, `three`) is no evidence of a change.
        let stated = in_others.get(n.value.as_str()).copied().unwrap_or(0);
        if surplus.len() < keep && stated > 0 && *seen > stated {
            surplus.push(n);
        }
    }
    surplus
}

/// `number-mismatch`: numbers that differ between the sides. Compared as
/// sets (a number repeated on one side and not on the other is no error),
/// after digit folding, allowing a number written as a word or with a
/// scale word on the other side. A number unmatched on each side is
/// evidence a value changed: an error. A number stated on one side only
/// may be rendered some way this check cannot read (`hundreds`, `a
/// decade`): only a warning.
///
/// Only the findings a report lists are built (at most
/// [`MAX_FINDINGS_PER_ITEM`], the last one counting the rest as
/// `cap_findings` words it): building a million findings to drop all but
/// a hundred was most of the time and memory of `check` on 10 MB of numbers.
pub(crate) fn numbers_check(pair: &CheckedPair, _: &mut Shared, findings: &mut Vec<FoundAt>) {
    if pair.source.trim().is_empty() || pair.target.trim().is_empty() {
        return;
    }
    let (source, source_codes) = scan(pair.source, true);
    let (target, target_codes) = scan(pair.target, false);
    let source_side = Side { numbers: &source, codes: &source_codes, text: pair.source, arabic: true };
    let target_side = Side { numbers: &target, codes: &target_codes, text: pair.target, arabic: false };
    let (mut missing, mut missing_count) =
        one_sided(&source, &source_codes, &target_side, MAX_FINDINGS_PER_ITEM);
    let (mut extra, mut extra_count) = one_sided(&target, &target_codes, &source_side, MAX_FINDINGS_PER_ITEM);
    // A value changed into one the sentence already has (`6-6` made `6-9`,
    // `2-5` made `5-5`): the changed number is on one side only, and the
    // other side has one more of some value than this side.
    if missing.is_empty() && !extra.is_empty() {
        missing = repeated_more(&source, &target, extra.len());
        missing_count = missing.len();
    } else if extra.is_empty() && !missing.is_empty() {
        extra = repeated_more(&target, &source, missing.len());
        extra_count = extra.len();
    }
    let text = |text: &str, n: &Number| text[n.span.0..n.span.1].to_string();
    let first = findings.len();
    for i in 0..missing.len().max(extra.len()) {
        let found = match (missing.get(i), extra.get(i)) {
            (Some(s), Some(t)) => FoundAt {
                source_span: Some(s.span),
                target_span: Some(t.span),
                surface: text(pair.target, t),
                message: format!(
                    "the source has `{}` where the translation has `{}`: check the number",
                    text(pair.source, s),
                    text(pair.target, t)
                ),
                suggestion: Some(s.value.clone()),
                ..FoundAt::default()
            },
            (Some(s), None) => FoundAt {
                source_span: Some(s.span),
                surface: text(pair.source, s),
                message: format!("the source has `{}`, missing from the translation", text(pair.source, s)),
                suggestion: Some(s.value.clone()),
                at_most: Some(Severity::Warning),
                ..FoundAt::default()
            },
            (None, Some(t)) => FoundAt {
                target_span: Some(t.span),
                surface: text(pair.target, t),
                message: format!(
                    "the translation has `{}`, which is not in the source",
                    text(pair.target, t)
                ),
                at_most: Some(Severity::Warning),
                ..FoundAt::default()
            },
            (None, None) => continue,
        };
        findings.push(found);
    }
    let unlisted = missing_count.max(extra_count) - (findings.len() - first);
    if unlisted > 0
        && let Some(last) = findings.last_mut()
    {
        let place = match pair.location {
            Location::Bead(_) => "bead",
            Location::Unit(_) => "unit",
        };
        last.message.push_str(&format!(" (and {unlisted} more like it in this {place}, not listed)"));
    }
}

/// `untranslated`: each run of Arabic script in the translation.
pub(crate) fn untranslated(pair: &CheckedPair, _: &mut Shared, findings: &mut Vec<FoundAt>) {
    let text = pair.target;
    let mut run: Option<(usize, usize)> = None;
    let mut runs = Vec::new();
    for (i, c) in text.char_indices() {
        let end = i + c.len_utf8();
        if is_arabic_letter(c) {
            run = Some(run.map_or((i, end), |(s, _)| (s, end)));
        } else if run.is_some() && (c.is_whitespace() || is_arabic_mark(c)) {
            // Spaces and marks inside an Arabic phrase keep the run going;
            // the run ends at its last letter.
        } else if let Some(r) = run.take() {
            runs.push(r);
        }
    }
    runs.extend(run);
    for (s, e) in runs {
        let surface = text[s..e].to_string();
        findings.push(FoundAt {
            target_span: Some((s, e)),
            message: format!(
                "Arabic text left in the translation: `{surface}`: translate or transliterate it"
            ),
            surface,
            ..FoundAt::default()
        });
    }
}

fn is_arabic_mark(c: char) -> bool {
    matches!(c, '\u{0610}'..='\u{061A}' | '\u{064B}'..='\u{065F}' | '\u{0670}' | '\u{0640}' | '،' | '؛')
}

/// Kinds of paired marks. Guillemets and all double quotes are one kind:
/// a translation may turn `«…»` into `“…”`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Pairing {
    Quote,
    Paren,
    Bracket,
}

/// The first unbalanced mark of each kind, as (kind, byte span).
///
/// English (`strict`): `“` opens and `”` closes, in order; `"` and `«»`
/// must pair up. Arabic: `“ ” "` are all just quote marks that must come in
/// pairs, since Arabic text often opens with `”` (`لـ”داعش”`).
fn unbalanced(text: &str, strict: bool) -> Vec<(Pairing, (usize, usize))> {
    let mut problems: Vec<(Pairing, (usize, usize))> = Vec::new();
    let mut open: Vec<(char, usize)> = Vec::new();
    let mut straight: Vec<usize> = Vec::new();
    // How many of each opener are on the stack: a closer with none open is
    // reported without scanning the stack (`((((…` then `]]]]…` would scan
    // it once per closer).
    let mut counts = [0usize; 4];
    fn opened(counts: &mut [usize; 4], c: char) -> &mut usize {
        let slot = match c {
            '(' => 0,
            '[' => 1,
            '«' => 2,
            _ => 3,
        };
        &mut counts[slot]
    }
    let report = |kind: Pairing, at: usize, c: char, problems: &mut Vec<(Pairing, (usize, usize))>| {
        if !problems.iter().any(|(k, _)| *k == kind) {
            problems.push((kind, (at, at + c.len_utf8())));
        }
    };
    for (i, c) in text.char_indices() {
        match c {
            '(' | '[' | '«' => {
                open.push((c, i));
                *opened(&mut counts, c) += 1;
            }
            '“' if strict => {
                open.push((c, i));
                *opened(&mut counts, c) += 1;
            }
            ')' | ']' | '»' | '”' if strict || c != '”' => {
                let opener = match c {
                    ')' => '(',
                    ']' => '[',
                    '»' => '«',
                    _ => '“',
                };
                if open.last().is_some_and(|(o, _)| *o == opener) {
                    open.pop();
                    *opened(&mut counts, opener) -= 1;
                } else if *opened(&mut counts, opener) > 0
                    && let Some(pos) = open.iter().rposition(|(o, _)| *o == opener)
                {
                    // Something opened inside was never closed.
                    let (o, at) = open[pos + 1];
                    report(kind_of(o), at, o, &mut problems);
                    for (dropped, _) in open.drain(pos..) {
                        *opened(&mut counts, dropped) -= 1;
                    }
                } else {
                    report(kind_of(c), i, c, &mut problems);
                }
            }
            '"' | '“' | '”' => straight.push(i),
            _ => {}
        }
    }
    for (o, at) in open {
        report(kind_of(o), at, o, &mut problems);
    }
    if straight.len() % 2 == 1
        && let Some(&at) = straight.last()
    {
        let c = text[at..].chars().next().unwrap_or('"');
        report(Pairing::Quote, at, c, &mut problems);
    }
    problems
}

fn kind_of(c: char) -> Pairing {
    match c {
        '(' | ')' => Pairing::Paren,
        '[' | ']' => Pairing::Bracket,
        _ => Pairing::Quote,
    }
}

/// `quotes`: an unbalanced quote or bracket in the translation, unless the
/// source is unbalanced the same way (a quotation that spans sentences).
pub(crate) fn quotes(pair: &CheckedPair, _: &mut Shared, findings: &mut Vec<FoundAt>) {
    let in_source = unbalanced(pair.source, false);
    for (kind, span) in unbalanced(pair.target, true) {
        if in_source.iter().any(|(k, _)| *k == kind) {
            continue;
        }
        let surface = pair.target[span.0..span.1].to_string();
        let what = match kind {
            Pairing::Quote => "quotation mark",
            Pairing::Paren => "parenthesis",
            Pairing::Bracket => "bracket",
        };
        findings.push(FoundAt {
            target_span: Some(span),
            message: format!("unbalanced {what} `{surface}`: open and close it in the same sentence"),
            surface,
            ..FoundAt::default()
        });
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::check::{CheckId, Location};

    fn run(source: &str, target: &str) -> Vec<(CheckId, String)> {
        let pair = CheckedPair {
            location: Location::Bead(0),
            source,
            target,
            arabic: Vec::new(),
            english: Vec::new(),
        };
        let mut shared = Shared::new(&[]);
        let mut out = Vec::new();
        for (check, run_on) in [
            (CheckId::NumberMismatch, numbers_check as fn(&CheckedPair, &mut Shared, &mut Vec<FoundAt>)),
            (CheckId::Untranslated, untranslated),
            (CheckId::Quotes, quotes),
        ] {
            let mut found = Vec::new();
            run_on(&pair, &mut shared, &mut found);
            out.extend(found.into_iter().map(|f| (check, f.surface)));
        }
        out
    }

    #[test]
    fn numbers_fold_digits_and_words() {
        assert_eq!(numbers("قتل ٧٠ و١٬٥٠٠ في ٣٫٥ كم", true)[0].value, "70");
        let values: Vec<String> =
            numbers("1,500 people, 3.50 km, on 8.6.2017, 07", false).into_iter().map(|n| n.value).collect();
        assert_eq!(values, ["1500", "3.5", "8.6.2017", "7"]);
        assert!(run("أكثر من ٧٠ مدنيا", "more than 70 civilians").is_empty());
        assert!(run("من جهات ثلاثة", "on 3 fronts").is_empty());
        assert!(run("في 25 الشهر", "on the 25th").is_empty());
        assert!(run("قتل 3 أشخاص", "three people were killed").is_empty());
        assert!(run("في الساعة ١٢:٠٠ بتوقيت جرينتش", "at 12.00 GMT").is_empty());
        assert!(run("في الساعة 12:00 تقريباً", "at approximately 1200 GMT").is_empty());
        assert!(run("في ستينيات القرن الماضي", "throughout the 1960s").is_empty());
        assert!(run("في الخامس من أغسطس", "on August 5").is_empty());
        assert!(run("رقم التكاثر الأساسي 3.77", "the R0 was 3.77; B0AT1 and H1N1").is_empty());
        assert_eq!(run("في الساعة 12:30", "at 12.45"), [(CheckId::NumberMismatch, "12.45".into())]);
        assert_eq!(
            run("أكثر من 70 مدني", "more than 75 civilians"),
            [(CheckId::NumberMismatch, "75".into())]
        );
        assert_eq!(
            run("في 2017 قتل 12", "in 2016 12 were killed, 4 wounded"),
            [(CheckId::NumberMismatch, "2016".into()), (CheckId::NumberMismatch, "4".into())]
        );
    }

    /// The severity each number finding of a pair would get.
    fn number_severities(source: &str, target: &str) -> Vec<(String, Option<Severity>)> {
        let pair = CheckedPair {
            location: Location::Bead(0),
            source,
            target,
            arabic: Vec::new(),
            english: Vec::new(),
        };
        let mut found = Vec::new();
        numbers_check(&pair, &mut Shared::new(&[]), &mut found);
        found.into_iter().map(|f| (f.surface, f.at_most)).collect()
    }

    #[test]
    fn numbers_are_read_as_a_bilingual_editor_reads_them() {
        // Digits glued to proclitics (news sentences from the trial).
        assert!(run("وقتل و43 مدنيا في القصف", "43 civilians were killed in the shelling").is_empty());
        assert!(run("منذ اندلاع الاحتجاجات ب2018", "since the protests broke out in 2018").is_empty());
        assert!(run("وصل عدد الضحايا لـ25 قتيلا", "the death toll rose to 25").is_empty());
        assert!(run("في الذكرى وال19 للمجزرة", "on the 19th anniversary of the massacre").is_empty());
        // A code glued to Latin letters stays a code.
        assert!(run("سلالة H5N1", "the H5N1 strain").is_empty());
        // Scale words.
        assert!(run("نزوح نحو 360 ألف شخص من المدينة", "about 360,000 people fled the city").is_empty());
        assert!(run("يحتاج 5 ملايين سوري إلى المساعدة", "5 million Syrians need aid").is_empty());
        assert!(run("يحتاج 5 مليون سوري إلى المساعدة", "5,000,000 Syrians need aid").is_empty());
        assert!(run("بتكلفة 2.5 مليار دولار", "at a cost of $2.5 billion").is_empty());
        assert!(run("بتكلفة 2.5 مليار دولار", "at a cost of $2,500,000,000").is_empty());
        assert!(run("قرابة ألفين من المقاتلين", "nearly 2,000 fighters").is_empty());
        assert!(
            run("عشرات آلاف النازحين و3 آلاف عائلة", "3,000 families and tens of thousands displaced")
                .is_empty()
        );
        // Separators: decimal comma and `٫`; dot or `٬` grouping thousands.
        assert!(run("بلغ الدين 5,5 مليون دولار", "the debt reached $5.5 million").is_empty());
        assert!(run("على بعد ٣٫٥ كم", "3.5 km away").is_empty());
        assert!(run("قتل 1.500 شخص", "1,500 people were killed").is_empty());
        assert!(run("فر 15.000 مدني", "15,000 civilians fled").is_empty());
        assert!(run("فر ١٥٬٠٠٠ مدني", "15,000 civilians fled").is_empty());
        // Number words on one side: ordinals, cardinals, English words.
        assert!(run("في الدورة التاسعة عشرة للمؤتمر", "at the conference's 19th session").is_empty());
        assert!(run("في الطابق الثالث", "on the 3rd floor").is_empty());
        assert!(run("قتل عشرة أشخاص", "10 people were killed").is_empty());
        assert!(run("اعتقل 12 شخصا", "a dozen people were arrested").is_empty());
        assert!(run("قتل خمسة وعشرون مدنيا", "25 civilians were killed").is_empty());
        assert!(run("يعيش ثلاثة ملايين لاجئ", "3,000,000 refugees live").is_empty());
        // Years, times, percentages.
        assert!(run("في حرب عام 1953", "in the war of ’53").is_empty());
        assert!(run("عند الساعة 7 مساءً", "at 7 p.m.").is_empty());
        assert!(run("عند الساعة 19:00", "at 7 p.m.").is_empty());
        assert!(run("ارتفعت الأسعار 25 في المئة", "prices rose 25%").is_empty());
        assert!(run("ارتفعت الأسعار بنسبة 25 بالمئة", "prices rose by 25 percent").is_empty());
        // Still caught: a changed value, a changed scale, a changed year.
        assert_eq!(
            run("نزوح 360 ألف شخص", "36,000 people fled"),
            [(CheckId::NumberMismatch, "36,000".into())]
        );
        assert_eq!(
            run("بتكلفة 2.5 مليار", "at a cost of $2.5 million"),
            [(CheckId::NumberMismatch, "2.5".into()),]
        );
        assert_eq!(
            run("قتل و43 مدنيا", "34 civilians were killed"),
            [(CheckId::NumberMismatch, "34".into())]
        );
        assert_eq!(run("في حرب عام 1953", "in the war of ’63"), [(CheckId::NumberMismatch, "63".into())]);
    }

    #[test]
    fn a_changed_value_is_an_error_a_number_on_one_side_a_warning() {
        assert_eq!(
            number_severities("أكثر من 70 مدني", "more than 75 civilians"),
            [("75".to_string(), None)]
        );
        assert_eq!(
            number_severities("قتل مدنيون في القصف", "12 civilians were killed in the shelling"),
            [("12".to_string(), Some(Severity::Warning))]
        );
        assert_eq!(
            number_severities("قتل 12 مدنيا في القصف", "civilians were killed in the shelling"),
            [("12".to_string(), Some(Severity::Warning))]
        );
    }

    /// TICO-19 and FLORES-200 sentence pairs (professional translations)
    /// where a number one side states the other states another way.
    #[test]
    fn numbers_written_as_codes_numerals_duals_or_other_separators_are_stated() {
        // The digits of a code: `ACE2`, `H1N1`, `OC43`, `U07.1`, `Table33`, `ببتيداز4`.
        assert!(
            run(
                "وظيفة الإنزيم المحول للأنجيوتنسين 2 الأساسية هي العمل كموازن للإنزيم المحول للأنجيوتنسين.",
                "The primary function of ACE2 is to act as a counter balance to ACE."
            )
            .is_empty()
        );
        assert!(run(
            "كما أظهرت التجربة مع وباء اتش 1 إن 1 في 2009، يمكن أن تكون التدخلات غير الدوائية عنصرًا حاسمًا في تخفيف آثار الوباء.",
            "As the experience from the 2009 H1N1 pandemic has shown, NPIs can be a crucial component of pandemic mitigation."
        )
        .is_empty());
        assert!(run(
            "يُشتبه في أن فيروس كورونا البشري أوه سي 43، إلى جانب تسببه في التهابات الجهاز التنفسي، يلعب دورًا في الأمراض العصبية.",
            "Human coronavirus OC43 besides causing respiratory infections is also suspected of playing a role in neurological diseases."
        )
        .is_empty());
        assert!(run(
            "خصصت منظمة الصحة العالمية كود الطوارئ يو 07.1 لوفيات عدوى سارس كوف-2 المؤكدة",
            "WHO assigned the emergency disease code U07.1 for deaths from lab-confirmed SARS-CoV-2 infection"
        )
        .is_empty());
        assert!(
            run(
                "قد تؤثر العوامل التالية في توقعات سير المرض (الجدول (الجدول 33):",
                "the following factors may affect the prognosis (Table \u{200b}(Table33):"
            )
            .is_empty()
        );
        assert!(
            run(
                "مستقبِل المضيف نفسه، ثنائي ببتيديل ببتيداز4 (ثنائي ببتيديل ببتيداز4)، لدخول الفيروس.",
                "the same host receptor, dipeptidyl peptidase 4 (DPP4), for virus entry."
            )
            .is_empty()
        );
        // A code both sides write stands for itself: the `2` of
        // `الأنجيوتنسين 2` is then a number, and `5` changed it.
        assert_eq!(
            run(
                "يرتبط الإنزيم المحول للأنجيوتنسين 2 (ACE2) بالسطح الخارجي للخلايا في الرئة",
                "Angiotensin-converting enzyme 5 (ACE2) is attached to the outer surface of cells in the lungs"
            ),
            [(CheckId::NumberMismatch, "5".into())]
        );
        // Roman numerals.
        assert!(run(
            "يحفز الإنزيم المحول للأنجيوتنسين تحويل هرمون أنجيوتنسين 1 إلى أنجيوتنسين 2 القابض للأوعية الدموية.",
            "ACE cleaves angiotensin I hormone into the vasoconstricting angiotensin II."
        )
        .is_empty());
        assert!(
            run(
                "يقلل الخلل الوظيفي للخلايا الرئوية من النوع 1 والنوع 2 مستوى المنشط السطحي",
                "Dysfunction of type-I and type-II pneumocytes decreases the surfactant level"
            )
            .is_empty()
        );
        // The Arabic dual counts two.
        assert!(
            run(
                "وعندما يكون هذا غير ممكن، يجب إبقاء المولود على بُعد مترين من الأم.",
                "where this is not possible the newborn should be kept 2 metres away from the mother."
            )
            .is_empty()
        );
        assert!(run(
            "وقت حضانة هذين الفيروسين أقل من أسبوع واحد، يتبعها إحساس بالمرض لأسبوعين تقريبًا.",
            "the incubation time of these two viruses is less than one week, followed by an approximately 2-week illness."
        )
        .is_empty());
        assert_eq!(
            run("يجب إبقاء المولود على بُعد مترين من الأم.", "the newborn should be kept 3 metres away."),
            [(CheckId::NumberMismatch, "3".into())]
        );
        // `مائة` = 100; the Arabic comma as a decimal comma; a dot grouping
        // thousands in English; a figure reference `1,1`.
        assert!(
            run(
                "تضع بعض وكالات الضرائب تعريفاً للتحف بأنها بضائع زاد عمرها عن مائة عام",
                "Some tax agencies define goods older than 100 years as antiques."
            )
            .is_empty()
        );
        assert!(
            run(
                "بدأ البرنامج في 08:30 بالتوقيت المحلي (15،00 UTC).",
                "The program started at 8:30 p.m. local time (15.00 UTC)."
            )
            .is_empty()
        );
        assert!(
            run(
                "أجرت الحكومة الألمانية هاكاثون لمدة 48 ساعة شارك فيه أكثر من 42000 شخص.",
                "German government conducted a 48 hours weekend hackathon with more than 42.000 participants."
            )
            .is_empty()
        );
        assert!(run(
            "كما هو موضح في الشكل الشكل 1,1، تم الإبلاغ لأول مرة عن مجموعات مصابة في 31 ديسمبر 2019",
            "As shown in Fig. \u{200b}Fig.1,1, clusters of pneumonia were first reported on December 31, 2019"
        )
        .is_empty());
        assert_eq!(
            run("شارك فيه أكثر من 42000 شخص.", "with more than 43.000 participants."),
            [(CheckId::NumberMismatch, "43.000".into())]
        );
    }

    /// A value changed into one the sentence already has: the other side
    /// states that value once more than this side (FLORES-200).
    #[test]
    fn a_value_changed_into_a_repeated_one_is_an_error() {
        let tie = "لكن هذا تطلب أيضاً كسر التعادل بعد الوصول إلى 6-6.";
        assert!(run(tie, "but this too required a tie break after reaching 6-6.").is_empty());
        assert_eq!(
            number_severities(tie, "but this too required a tie break after reaching 6-9."),
            [("9".to_string(), None)]
        );
        let course = "تستمر الدورة عادةً من 2 إلى 5 أيام وتتضمن لعب الأدوار";
        assert!(run(course, "A course will normally be from 2-5 days and will involve role play").is_empty());
        assert_eq!(
            number_severities(course, "A course will normally be from 5-5 days and will involve role play"),
            [("5".to_string(), None)]
        );
        // Only a value the other side states in digits: one it writes as
        // a code (`ACE2`) is no evidence the added `5` changed it.
        assert_eq!(
            number_severities("يرتبط الإنزيم المحول للأنجيوتنسين 2 في 2019", "ACE2 binds in 2019, 5 cases"),
            [("5".to_string(), Some(Severity::Warning))]
        );
    }

    #[test]
    fn arabic_left_in_english() {
        assert_eq!(
            run("", "the group’s الدولة الإسلامية fighters and داعش."),
            [(CheckId::Untranslated, "الدولة الإسلامية".into()), (CheckId::Untranslated, "داعش".into())]
        );
    }

    #[test]
    fn quotes_and_brackets() {
        assert!(run("قوافل لـ”داعش” و”غض الطرف”", "convoys “turned a blind eye” (YPG) [sic]").is_empty());
        assert_eq!(run("قال", "he said “they left"), [(CheckId::Quotes, "“".into())]);
        assert_eq!(run("قال", "the (YPG militias"), [(CheckId::Quotes, "(".into())]);
        assert_eq!(run("قال", "he said \"no"), [(CheckId::Quotes, "\"".into())]);
        assert_eq!(run("قال", "closing” only"), [(CheckId::Quotes, "”".into())]);
        // The source opens a quotation the next sentence closes: faithful.
        assert!(run("قال “إن الاتفاق", "he said “the agreement").is_empty());
    }
}
