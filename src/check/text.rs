//! The checks that need no glossary: `number-mismatch`, `untranslated`,
//! `quotes`.

use std::collections::HashSet;

use super::{CheckedPair, FoundAt, Shared};
use crate::lang::is_arabic_letter;
use crate::normalize::match_key;

/// A number as written, with its value normalized for comparison.
#[derive(Debug, Clone, PartialEq, Eq)]
struct Number {
    value: String,
    /// Other ways to write the same value (`12:00` = `1200` = `12.00`).
    alternatives: Vec<String>,
    span: (usize, usize),
    /// A decade or century (`1960s`, `20s`), which the other language often
    /// writes in words (`الستينيات`): not required on the other side.
    approximate: bool,
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
fn numbers(text: &str) -> Vec<Number> {
    let chars: Vec<(usize, char)> = text.char_indices().collect();
    let mut found = Vec::new();
    let mut i = 0;
    while i < chars.len() {
        if digit(chars[i].1).is_none() {
            i += 1;
            continue;
        }
        let start = chars[i].0;
        // Digits glued to a letter are part of a name or code (`R0`,
        // `B0AT1`, `H1N1`), not a quantity to compare.
        let in_identifier = i > 0 && chars[i - 1].1.is_alphabetic();
        let mut value = String::new();
        let mut end = i;
        while end < chars.len() {
            let c = chars[end].1;
            if let Some(d) = digit(c) {
                value.push(d);
                end += 1;
                continue;
            }
            let next_digits = chars[end + 1..].iter().take_while(|(_, c)| digit(*c).is_some()).count();
            match c {
                // A time: `12:00`.
                ':' if next_digits == 2 && !value.contains(':') => value.push(':'),
                '.' | '٫' if next_digits > 0 => value.push('.'),
                '٬' if next_digits > 0 => {}
                ',' if next_digits == 3 => {}
                _ => break,
            }
            end += 1;
        }
        let end_byte = chars.get(end).map_or(text.len(), |(b, _)| *b);
        let rest = &text[end_byte..];
        let approximate = (rest.starts_with('s') || rest.starts_with("'s") || rest.starts_with("’s"))
            && !rest.starts_with("st");
        let (value, alternatives) = match value.split_once(':') {
            Some((hours, minutes)) => {
                let mut alternatives =
                    vec![format!("{hours}{minutes}"), canonical(&format!("{hours}.{minutes}"))];
                alternatives.push(canonical(hours));
                (format!("{}:{minutes}", canonical(hours)), alternatives)
            }
            None => (canonical(&value), Vec::new()),
        };
        if !in_identifier {
            found.push(Number { value, alternatives, span: (start, end_byte), approximate });
        }
        i = end;
    }
    found
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
const ENGLISH_NUMBERS: [(&str, &str); 40] = [
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
const ARABIC_NUMBERS: [(&str, &str); 54] = [
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
    ("مايه", "100"),
    ("مءات", "100"),
    ("الف", "1000"),
    ("الاف", "1000"),
    ("مليون", "1000000"),
];

/// The values `text` writes as words (`three`, `ثلاثة`, `والثلاثة`).
fn word_values(text: &str, arabic: bool) -> HashSet<&'static str> {
    let key = match_key(text);
    let table: &[(&str, &'static str)] = if arabic { &ARABIC_NUMBERS } else { &ENGLISH_NUMBERS };
    let mut values = HashSet::new();
    for word in key.split(|c: char| !c.is_alphanumeric()) {
        let mut stems = vec![word];
        if arabic {
            for prefix in ["و", "ب", "ل", "ال", "وال", "بال", "لل"] {
                if let Some(rest) = word.strip_prefix(prefix) {
                    stems.push(rest);
                }
            }
        }
        for stem in stems {
            values.extend(table.iter().filter(|(w, _)| *w == stem).map(|(_, v)| *v));
        }
    }
    values
}

/// Numbers seen so far. Two numbers are the same when their values are
/// equal or one's value is among the other's alternatives; a set answers
/// that in constant time (a long paragraph may hold 100,000 numbers).
#[derive(Default)]
struct NumberSet<'a> {
    values: HashSet<&'a str>,
    /// Values and their alternatives.
    all: HashSet<&'a str>,
}

impl<'a> NumberSet<'a> {
    fn insert(&mut self, n: &'a Number) {
        self.values.insert(&n.value);
        self.all.insert(&n.value);
        self.all.extend(n.alternatives.iter().map(String::as_str));
    }

    /// Whether some number in the set is the same as `n`.
    fn has_same_as(&self, n: &Number) -> bool {
        self.all.contains(n.value.as_str()) || n.alternatives.iter().any(|a| self.values.contains(a.as_str()))
    }
}

/// `number-mismatch`: a number on one side only. Compared as sets (a number
/// repeated on one side and not on the other is no error), after digit
/// folding, allowing a number written as a word on the other side.
pub(crate) fn numbers_check(pair: &CheckedPair, _: &mut Shared, findings: &mut Vec<FoundAt>) {
    if pair.source.trim().is_empty() || pair.target.trim().is_empty() {
        return;
    }
    let source = numbers(pair.source);
    let target = numbers(pair.target);
    let one_sided = |these: &'_ [Number], others: &'_ [Number], other_text: &str, other_arabic: bool| {
        let mut other_set = NumberSet::default();
        others.iter().for_each(|n| other_set.insert(n));
        let mut words: Option<HashSet<&str>> = None;
        let mut reported = NumberSet::default();
        let mut one_sided = Vec::new();
        for n in these {
            if !other_set.has_same_as(n)
                && !reported.has_same_as(n)
                && !n.approximate
                && !words
                    .get_or_insert_with(|| word_values(other_text, other_arabic))
                    .contains(n.value.as_str())
            {
                reported.insert(n);
                one_sided.push(n.clone());
            }
        }
        one_sided
    };
    let missing = one_sided(&source, &target, pair.target, false);
    let extra = one_sided(&target, &source, pair.source, true);
    let text = |text: &str, n: &Number| text[n.span.0..n.span.1].to_string();
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
                ..FoundAt::default()
            },
            (None, Some(t)) => FoundAt {
                target_span: Some(t.span),
                surface: text(pair.target, t),
                message: format!(
                    "the translation has `{}`, which is not in the source",
                    text(pair.target, t)
                ),
                ..FoundAt::default()
            },
            (None, None) => continue,
        };
        findings.push(found);
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
        assert_eq!(numbers("قتل ٧٠ و١٬٥٠٠ في ٣٫٥ كم")[0].value, "70");
        let values: Vec<String> =
            numbers("1,500 people, 3.50 km, on 8.6.2017, 07").into_iter().map(|n| n.value).collect();
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
