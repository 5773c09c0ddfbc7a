//! The names of one unit: Arabic n-grams (1–3 words, clitic-aware) paired
//! with the capitalized English n-grams of the same unit whose consonant
//! skeleton they share (the aligner's cross-script name matching, see
//! `align::features`), and the glossary's own terms with the rendering the
//! unit gives them.
//!
//! Pure: text in, pairs out.

use std::collections::HashMap;

use crate::align::features::{arabic_class, english_skeleton_into, is_arabic_mark, push_class};
use crate::glossary::{MatchHow, Recognizer, TermType};
use crate::lang::is_arabic_letter;
use crate::normalize::match_key;

/// Longest Arabic n-gram (in words) mined as a name.
pub(crate) const MAX_ARABIC_WORDS: usize = 3;
/// Longest English rendering, in capitalized words.
const MAX_ENGLISH_CAPITALS: usize = 4;

/// Which name an occurrence is of.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub(crate) enum NameKey {
    /// A glossary entry (its index in the recognizer's entries).
    Glossary(usize),
    /// A mined name: the match key of its canonical Arabic form (clitics
    /// stripped, the article kept: `والشعيطات`, `للشعيطات` → `الشعيطات`).
    Mined(String),
}

/// A name found in a unit with the English rendering the unit gives it.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct NamePair {
    pub key: NameKey,
    /// The Arabic as written (without clitics and vowel marks).
    pub arabic: String,
    /// The English as written (apostrophes folded, possessive dropped).
    pub rendering: String,
    /// The rendering starts the sentence (its capital may be the sentence's).
    pub at_start: bool,
    /// What the context says the name is (a cue word before it).
    pub cue: Option<TermType>,
    /// Byte span of the Arabic in the unit's source.
    pub source_span: (usize, usize),
    /// Byte span of the rendering in the unit's target.
    pub target_span: (usize, usize),
}

/// Arabic function words: never the first or last word of a mined name.
const ARABIC_STOPWORDS: &[&str] = &[
    "في",
    "من",
    "على",
    "الي",
    "الى",
    "عن",
    "ان",
    "او",
    "ثم",
    "مع",
    "هذا",
    "هذه",
    "ذلك",
    "تلك",
    "التي",
    "الذي",
    "الذين",
    "قد",
    "لقد",
    "كان",
    "كانت",
    "بين",
    "بعد",
    "قبل",
    "حتي",
    "عند",
    "منذ",
    "خلال",
    "حيث",
    "كما",
    "لكن",
    "ما",
    "لا",
    "لم",
    "لن",
    "هو",
    "هي",
    "هم",
    "كل",
    "بعض",
    "غير",
    "ايضا",
    "وقد",
    "فقد",
    "اذا",
    "اي",
    "وفي",
    "ومن",
    "الا",
    "انه",
    "انها",
    "عليه",
    "فيه",
    "فيها",
    "منه",
    "منها",
    "له",
    "لها",
    "يكون",
    "تكون",
    "وهو",
    "وهي",
    "وان",
    "قال",
    "قالت",
    "وقال",
    "وقالت",
    "يوم",
    "عام",
    "اليوم",
    "امس",
];

/// Words before a name that say what it is.
const PLACE_CUES: &[&str] =
    &["مدينه", "قريه", "بلده", "محافظه", "حي", "منطقه", "ريف", "مخيم", "بلدة", "ناحيه", "مدينة", "قرية"];
const GROUP_CUES: &[&str] =
    &["تنظيم", "جبهه", "قوات", "لواء", "حركه", "جماعه", "كتيبه", "ميليشيا", "فصيل", "حزب", "عشيره", "قبيله"];
const PERSON_CUES: &[&str] = &[
    "قال",
    "قالت",
    "الرئيس",
    "الوزير",
    "الشيخ",
    "العميد",
    "السيد",
    "الدكتور",
    "الناطق",
    "المتحدث",
    "القائد",
    "الامير",
    "الملك",
    "النائب",
];
const ENGLISH_PERSON_CUES: &[&str] = &[
    "Mr",
    "Mrs",
    "Ms",
    "Dr",
    "President",
    "Minister",
    "General",
    "Sheikh",
    "Commander",
    "Colonel",
    "Prince",
];

/// Capitalized only because they start a sentence: never the first or last
/// word of a rendering.
const ENGLISH_STOPWORDS: &[&str] = &[
    "The",
    "A",
    "An",
    "This",
    "That",
    "These",
    "Those",
    "There",
    "Their",
    "They",
    "It",
    "Its",
    "He",
    "She",
    "His",
    "Her",
    "We",
    "Our",
    "In",
    "On",
    "At",
    "Of",
    "For",
    "From",
    "By",
    "With",
    "As",
    "But",
    "And",
    "Or",
    "If",
    "When",
    "While",
    "After",
    "Before",
    "During",
    "However",
    "Although",
    "Other",
    "Others",
    "Some",
    "Many",
    "Most",
    "All",
    "According",
    "One",
    "What",
    "Who",
    "Why",
    "How",
    "Where",
    "Since",
    "Under",
    "Over",
    "Not",
    "No",
    "Also",
    "Then",
    "Such",
    "Both",
    "Each",
    "Every",
    "Any",
    "Between",
    "Among",
    "To",
    "I",
    "You",
    "Mr",
    "Mrs",
    "Ms",
    "Dr",
];

/// Lower-case words that may sit inside an English name (`Deir ez-Zor`,
/// `Islamic State of Iraq`); those marked may start one before a hyphen
/// (`al-Raqqa`).
const ENGLISH_PARTICLES: &[(&str, bool)] = &[
    ("al", true),
    ("el", true),
    ("ad", true),
    ("ar", true),
    ("as", true),
    ("ash", true),
    ("at", true),
    ("az", true),
    ("ez", true),
    ("ed", true),
    ("es", true),
    ("an", true),
    ("ul", true),
    ("bin", false),
    ("ibn", false),
    ("bint", false),
    ("of", false),
    ("for", false),
    ("de", false),
];

/// One Arabic word of a text.
#[derive(Debug, Clone)]
pub(crate) struct ArabicWord {
    pub span: (usize, usize),
    /// Its match key, as characters.
    key: Vec<char>,
    /// Its letters as written, without vowel marks (for display); the same
    /// length as `key` except for rare compatibility forms.
    letters: Vec<char>,
    /// Only white space between this word and the next.
    joined_to_next: bool,
    /// Where the clitic readings start (0 = the whole word), with the
    /// skeleton of each.
    readings: Vec<(usize, String)>,
    /// The article (`ال`, or the `ل` of a contracted `لل`) and where the
    /// word after it starts.
    article: Option<(usize, usize)>,
}

impl ArabicWord {
    /// The canonical key of reading `start` as the first word of a name:
    /// with an article, always `ال` + the core; else the word from `start`.
    /// The reading at `start` includes the article, and what comes before
    /// it is only clitics: it is sounded like the article's reading
    /// (`والرقة` is `الرقة`). A consonant before (`كاليفورنيا`: k-l-f-r-n)
    /// makes it a word of its own.
    fn reads_as_article(&self, start: usize) -> bool {
        let Some((article_at, core)) = self.article else { return false };
        let skeleton = |at: usize| self.readings.iter().find(|(s, _)| *s == at).map(|(_, k)| k.as_str());
        start <= core && (start >= article_at || skeleton(start) == skeleton(article_at))
    }

    fn first_key(&self, start: usize, out: &mut String) {
        match self.article {
            Some((_, core)) if self.reads_as_article(start) => {
                out.push_str("ال");
                out.extend(&self.key[core..]);
            }
            _ => out.extend(&self.key[start..]),
        }
    }

    fn first_display(&self, start: usize, out: &mut String) {
        let letters = if self.letters.len() == self.key.len() { &self.letters } else { &self.key };
        match self.article {
            Some((_, core)) if self.reads_as_article(start) => {
                out.push_str("ال");
                out.extend(&letters[core..]);
            }
            _ => out.extend(&letters[start..]),
        }
    }

    fn stop(&self) -> bool {
        let key: String = self.key.iter().collect();
        ARABIC_STOPWORDS.contains(&key.as_str())
    }

    /// Readings of a word inside a name: whole, or without its article.
    fn inner_readings(&self) -> impl Iterator<Item = &(usize, String)> {
        self.readings.iter().filter(|(start, _)| *start == 0 || Some(*start) == self.article.map(|a| a.1))
    }

    /// Where each clitic reading starts.
    pub(crate) fn reading_starts(&self) -> impl Iterator<Item = usize> + '_ {
        self.readings.iter().map(|(start, _)| *start)
    }

    /// Appends the canonical key of reading `start` as a name's first word.
    pub(crate) fn first_key_into(&self, start: usize, out: &mut String) {
        self.first_key(start, out);
    }

    /// Only white space between this word and the next.
    pub(crate) fn joined(&self) -> bool {
        self.joined_to_next
    }

    pub(crate) fn key_string(&self) -> String {
        self.key.iter().collect()
    }
}

/// The Arabic words of `text`, each with its clitic readings: a leading
/// conjunction (و ف), preposition (ب ك ل) and article (ال, or لل after ل)
/// may or may not belong to the name.
pub(crate) fn arabic_words(text: &str) -> Vec<ArabicWord> {
    let in_word = |c: char| is_arabic_letter(c) || is_arabic_mark(c);
    let mut words: Vec<ArabicWord> = Vec::new();
    let mut start = None;
    for (offset, c) in text.char_indices().chain(std::iter::once((text.len(), ' '))) {
        match (in_word(c), start) {
            (true, None) => start = Some(offset),
            (false, Some(s)) => {
                if let Some(last) = words.last_mut() {
                    last.joined_to_next = text[last.span.1..s].chars().all(char::is_whitespace);
                }
                let word = &text[s..offset];
                let letters: Vec<char> = word.chars().filter(|&c| !is_arabic_mark(c)).collect();
                let key: Vec<char> = match_key(word).chars().collect();
                if !key.is_empty() {
                    words.push(with_readings(key, letters, (s, offset)));
                }
                start = None;
            }
            _ => {}
        }
    }
    words
}

fn with_readings(key: Vec<char>, letters: Vec<char>, span: (usize, usize)) -> ArabicWord {
    let len = key.len();
    let starts_with = |at: usize, prefix: &[char]| key[at..].starts_with(prefix);
    let mut starts = vec![0];
    let mut at = 0;
    if matches!(key.first(), Some('و' | 'ف')) && len >= 4 {
        at = 1;
        starts.push(at);
    }
    let mut article = None;
    if starts_with(at, &['ل', 'ل']) && len - at - 2 >= 2 {
        // ل + the article contracts to لل before the word (للرقة = ل + الرقة).
        article = Some((at + 1, at + 2));
    } else if starts_with(at, &['ا', 'ل']) && len - at - 2 >= 2 {
        article = Some((at, at + 2));
    } else if matches!(key.get(at), Some('ب' | 'ك' | 'ل')) && len - at >= 4 {
        at += 1;
        starts.push(at);
        if starts_with(at, &['ا', 'ل']) && len - at - 2 >= 2 {
            article = Some((at, at + 2));
        }
    }
    if let Some((article_at, core)) = article {
        starts.push(article_at);
        starts.push(core);
    }
    starts.dedup();
    let readings = starts
        .into_iter()
        .map(|start| {
            let mut skeleton = String::new();
            let tail = &key[start..];
            for (k, &c) in tail.iter().enumerate() {
                push_class(&mut skeleton, arabic_class(c, k + 1 == tail.len()));
            }
            (start, skeleton)
        })
        .collect();
    ArabicWord { span, key, letters, joined_to_next: false, readings, article }
}

/// One English word token.
#[derive(Debug, Clone)]
struct EnglishToken {
    span: (usize, usize),
    capitalized: bool,
    /// A particle, and whether it may start a name before a hyphen.
    particle: Option<bool>,
    /// How it joins the next token: `' '`, `'-'`, or `None` (it does not).
    join: Option<char>,
}

/// A capitalized English n-gram: a possible rendering of a name.
#[derive(Debug, Clone)]
pub(crate) struct EnglishSpan {
    pub tokens: (usize, usize),
    pub span: (usize, usize),
    pub skeleton: String,
    pub text: String,
    pub at_start: bool,
}

fn english_tokens(text: &str) -> Vec<EnglishToken> {
    let is_letter = |c: char| c.is_alphanumeric() && !is_arabic_letter(c);
    let mut tokens: Vec<EnglishToken> = Vec::new();
    let mut chars = text.char_indices().peekable();
    while let Some((start, c)) = chars.next() {
        if !is_letter(c) {
            continue;
        }
        let mut end = start + c.len_utf8();
        while let Some(&(at, c)) = chars.peek() {
            let apostrophe = matches!(c, '\'' | '’')
                && text[at + c.len_utf8()..].chars().next().is_some_and(|n| n.is_alphabetic());
            if is_letter(c) || apostrophe {
                end = at + c.len_utf8();
                chars.next();
            } else {
                break;
            }
        }
        if let Some(last) = tokens.last_mut() {
            let between = &text[last.span.1..start];
            last.join = if between == "-" || between == "‐" {
                Some('-')
            } else if !between.is_empty() && between.chars().all(char::is_whitespace) {
                Some(' ')
            } else {
                None
            };
        }
        let word = &text[start..end];
        let capitalized = c.is_uppercase() && word.chars().any(char::is_alphabetic);
        let particle = ENGLISH_PARTICLES.iter().find(|(p, _)| *p == word).map(|&(_, starts)| starts);
        tokens.push(EnglishToken { span: (start, end), capitalized, particle, join: None });
    }
    tokens
}

/// The possessive and a transliteration's final `h` after a vowel
/// (`Raqqah`, `Idlib's`) do not change a name's skeleton.
fn token_skeleton(word: &str, out: &mut String, scratch: &mut String) {
    let word = word.strip_suffix("'s").or_else(|| word.strip_suffix("’s")).unwrap_or(word);
    english_skeleton_into(word, scratch);
    let lower = word.to_ascii_lowercase();
    let bytes = lower.as_bytes();
    let final_h = bytes.len() > 3
        && bytes.ends_with(b"h")
        && matches!(bytes[bytes.len() - 2], b'a' | b'e' | b'i' | b'o' | b'u')
        && !matches!(bytes[bytes.len() - 3], b's' | b'c' | b'k' | b'g' | b't' | b'd' | b'p');
    if final_h && scratch.ends_with('h') {
        scratch.pop();
    }
    for c in scratch.chars() {
        push_class(out, Some(c));
    }
}

/// The capitalized n-grams of an English sentence: runs of capitalized
/// words (with particles inside, and `al-` before), up to
/// [`MAX_ENGLISH_CAPITALS`] capitalized words.
pub(crate) fn english_spans(text: &str) -> Vec<EnglishSpan> {
    let tokens = english_tokens(text);
    let mut spans = Vec::new();
    let (mut skeleton, mut scratch) = (String::new(), String::new());
    let stop = |t: &EnglishToken| {
        let word = &text[t.span.0..t.span.1];
        ENGLISH_STOPWORDS.contains(&word) || (word.chars().count() == 1 && t.capitalized)
    };
    for i in 0..tokens.len() {
        let first = &tokens[i];
        let opens = (first.capitalized && !stop(first))
            || (first.particle == Some(true)
                && first.join == Some('-')
                && tokens.get(i + 1).is_some_and(|t| t.capitalized));
        if !opens {
            continue;
        }
        skeleton.clear();
        let mut capitals = 0;
        for j in i..tokens.len() {
            let token = &tokens[j];
            if j > i && (tokens[j - 1].join.is_none() || !(token.capitalized || token.particle.is_some())) {
                break;
            }
            token_skeleton(&text[token.span.0..token.span.1], &mut skeleton, &mut scratch);
            if token.capitalized {
                capitals += 1;
                if capitals > MAX_ENGLISH_CAPITALS {
                    break;
                }
                if stop(token) {
                    continue;
                }
                let span = (first.span.0, token.span.1);
                spans.push(EnglishSpan {
                    tokens: (i, j),
                    span,
                    skeleton: skeleton.clone(),
                    text: rendering_text(&text[span.0..span.1]),
                    at_start: i == 0,
                });
            }
        }
    }
    spans
}

/// A rendering as compared: curly apostrophes and hyphens folded, white
/// space collapsed, a possessive dropped.
pub(crate) fn rendering_text(text: &str) -> String {
    let text = text.strip_suffix("'s").or_else(|| text.strip_suffix("’s")).unwrap_or(text);
    let mut out = String::with_capacity(text.len());
    for word in text.split_whitespace() {
        if !out.is_empty() {
            out.push(' ');
        }
        out.extend(word.chars().map(|c| match c {
            '’' | '‘' => '\'',
            '‐' => '-',
            c => c,
        }));
    }
    out
}

/// Skeletons shorter than this never match; this long, only a word of at
/// least [`SHORT_SKELETON_LETTERS`] letters on both sides (`شعيطات` and
/// `Shaitat` are both `st`).
const MIN_SKELETON: usize = 2;
const SHORT_SKELETON_LETTERS: usize = 5;

/// A name candidate of a unit before the pairs are chosen.
struct Candidate {
    words: (usize, usize),
    english: usize,
    key: String,
    arabic: String,
}

/// The names of one unit and their renderings. Glossary terms (not their
/// declared adjective forms) come from `recognizer`; every other pair is
/// an Arabic n-gram and a capitalized English n-gram with one skeleton,
/// chosen longest first, each word used once.
pub(crate) fn unit_names(source: &str, target: &str, recognizer: Option<&Recognizer>) -> Vec<NamePair> {
    let words = arabic_words(source);
    let spans = english_spans(target);
    let tokens_of = |span: (usize, usize)| -> (usize, usize) {
        let inside: Vec<usize> = (spans.iter())
            .filter(|s| s.span.0 >= span.0 && s.span.1 <= span.1)
            .flat_map(|s| [s.tokens.0, s.tokens.1])
            .collect();
        (inside.iter().copied().min().unwrap_or(usize::MAX), inside.iter().copied().max().unwrap_or(0))
    };
    let mut word_used = vec![false; words.len()];
    let mut english_used: Vec<(usize, usize)> = Vec::new();
    let mut pairs = Vec::new();
    // Glossary terms with no rendering of theirs in the unit: a mined pair
    // over their words is theirs.
    let mut unrendered: Vec<(usize, (usize, usize), String)> = Vec::new();
    if let Some(recognizer) = recognizer {
        let english = recognizer.find_english(target);
        let mut taken = vec![false; english.len()];
        for found in recognizer.find_arabic(source) {
            let inside = |w: &ArabicWord| w.span.0 < found.span.1 && w.span.1 > found.span.0;
            for (used, _) in word_used.iter_mut().zip(&words).filter(|(_, w)| inside(w)) {
                *used = true;
            }
            if found.how == MatchHow::Derived {
                continue;
            }
            let rendering = (english.iter().enumerate())
                .find(|(k, e)| !taken[*k] && e.entry == found.entry)
                .map(|(k, e)| (k, e.span));
            let arabic = source[found.term_span.0..found.term_span.1].to_string();
            match rendering {
                Some((k, span)) => {
                    taken[k] = true;
                    english_used.push(tokens_of(span));
                    pairs.push(NamePair {
                        key: NameKey::Glossary(found.entry),
                        arabic,
                        rendering: rendering_text(&target[span.0..span.1]),
                        at_start: target[..span.0].chars().all(|c| !c.is_alphanumeric()),
                        cue: None,
                        source_span: found.term_span,
                        target_span: span,
                    });
                }
                None => unrendered.push((found.entry, found.span, arabic)),
            }
        }
    }
    if spans.is_empty() {
        return pairs;
    }
    let mut by_skeleton: HashMap<&str, Vec<usize>> = HashMap::new();
    for (k, span) in spans.iter().enumerate() {
        if span.skeleton.len() >= MIN_SKELETON {
            by_skeleton.entry(span.skeleton.as_str()).or_default().push(k);
        }
    }
    let prefix_of_some = |s: &str| spans.iter().any(|span| span.skeleton.starts_with(s));
    let mut candidates: Vec<Candidate> = Vec::new();
    let mut skeleton = String::new();
    for i in 0..words.len() {
        let first = &words[i];
        // Overlapping a glossary term only when it is one left unrendered.
        let open = |w: usize| !word_used[w] || unrendered.iter().any(|u| overlaps(words[w].span, u.1));
        if !open(i) || first.stop() {
            continue;
        }
        let mut seen_keys: Vec<(String, String)> = Vec::new();
        for (start, first_skeleton) in &first.readings {
            if first_skeleton.is_empty() || !prefix_of_some(first_skeleton) {
                continue;
            }
            let mut extend = |n: usize, skeleton: &str, seen: &mut Vec<(String, String)>| {
                let last = &words[i + n - 1];
                if last.stop() {
                    return;
                }
                let Some(found) = by_skeleton.get(skeleton) else { return };
                let letters = (i..i + n).map(|w| words[w].key.len()).max().unwrap_or(0);
                for &english in found {
                    let span = &spans[english];
                    let english_letters = span.text.chars().filter(|c| c.is_alphabetic()).count();
                    if skeleton.len() == MIN_SKELETON
                        && (letters < SHORT_SKELETON_LETTERS - 1
                            || english_letters < SHORT_SKELETON_LETTERS
                            || span.tokens.0 != span.tokens.1)
                    {
                        continue;
                    }
                    let mut key = String::new();
                    let mut arabic = String::new();
                    first.first_key(*start, &mut key);
                    first.first_display(*start, &mut arabic);
                    for word in &words[i + 1..i + n] {
                        key.push(' ');
                        key.extend(&word.key);
                        arabic.push(' ');
                        arabic.extend(if word.letters.len() == word.key.len() {
                            &word.letters
                        } else {
                            &word.key
                        });
                    }
                    // One reading per skeleton and English span: the
                    // least stripped (a later merge strips what is a clitic).
                    if seen.iter().any(|(s, k)| s == skeleton && k == &span.text) {
                        continue;
                    }
                    seen.push((skeleton.to_string(), span.text.clone()));
                    candidates.push(Candidate { words: (i, i + n - 1), english, key, arabic });
                }
            };
            extend(1, first_skeleton, &mut seen_keys);
            // Two and three words: every reading of the inner words.
            if first.joined_to_next && i + 1 < words.len() && open(i + 1) {
                for (_, second) in words[i + 1].inner_readings() {
                    skeleton.clear();
                    skeleton.push_str(first_skeleton);
                    second.chars().for_each(|c| push_class(&mut skeleton, Some(c)));
                    if !prefix_of_some(&skeleton) {
                        continue;
                    }
                    let two = skeleton.clone();
                    extend(2, &two, &mut seen_keys);
                    if words[i + 1].joined_to_next && i + 2 < words.len() && open(i + 2) {
                        for (_, third) in words[i + 2].inner_readings() {
                            let mut three = two.clone();
                            third.chars().for_each(|c| push_class(&mut three, Some(c)));
                            extend(3, &three, &mut seen_keys);
                        }
                    }
                }
            }
        }
    }
    // Longest Arabic first, then longest English; each word used once.
    candidates.sort_by_key(|c| {
        let english = &spans[c.english];
        (
            std::cmp::Reverse(c.words.1 - c.words.0),
            std::cmp::Reverse(english.tokens.1 - english.tokens.0),
            c.words.0,
            english.tokens.0,
        )
    });
    for candidate in candidates {
        let english = &spans[candidate.english];
        let (a, b) = candidate.words;
        if word_used[a..=b]
            .iter()
            .zip(a..=b)
            .any(|(&used, w)| used && !unrendered.iter().any(|u| overlaps(words[w].span, u.1)))
            || english_used.iter().any(|&(s, e)| english.tokens.0 <= e && s <= english.tokens.1)
        {
            continue;
        }
        let source_span = (words[a].span.0, words[b].span.1);
        let glossary = unrendered.iter().position(|u| overlaps(source_span, u.1));
        let (key, arabic) = match glossary {
            Some(k) => {
                let (entry, _, arabic) = unrendered.remove(k);
                (NameKey::Glossary(entry), arabic)
            }
            None => (NameKey::Mined(candidate.key), candidate.arabic),
        };
        for used in &mut word_used[a..=b] {
            *used = true;
        }
        english_used.push(english.tokens);
        pairs.push(NamePair {
            key,
            arabic,
            rendering: english.text.clone(),
            at_start: english.at_start,
            cue: cue(&words, a, target, english),
            source_span,
            target_span: english.span,
        });
    }
    pairs
}

fn overlaps(a: (usize, usize), b: (usize, usize)) -> bool {
    a.0 < b.1 && b.0 < a.1
}

/// A type from the words around a name: the Arabic word before it, or an
/// English title before it or `said` after it.
fn cue(words: &[ArabicWord], first: usize, target: &str, english: &EnglishSpan) -> Option<TermType> {
    if let Some(before) = first.checked_sub(1).map(|w| &words[w])
        && before.joined_to_next
    {
        let key = before.key_string();
        let bare = key.strip_prefix('و').filter(|k| k.chars().count() > 1).unwrap_or(&key);
        if PLACE_CUES.contains(&bare) {
            return Some(TermType::Place);
        }
        if GROUP_CUES.contains(&bare) {
            return Some(TermType::Group);
        }
        if PERSON_CUES.contains(&bare) {
            return Some(TermType::Person);
        }
    }
    let before = target[..english.span.0].split_whitespace().next_back().unwrap_or("");
    let after = target[english.span.1..].split_whitespace().next().unwrap_or("");
    if ENGLISH_PERSON_CUES.contains(&before.trim_end_matches('.'))
        || after.trim_end_matches([',', '.']).eq_ignore_ascii_case("said")
    {
        return Some(TermType::Person);
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    fn mined(source: &str, target: &str) -> Vec<(String, String)> {
        unit_names(source, target, None)
            .into_iter()
            .map(|p| match p.key {
                NameKey::Mined(key) => (key, p.rendering),
                NameKey::Glossary(e) => (format!("#{e}"), p.rendering),
            })
            .collect()
    }

    #[test]
    fn clitics_and_article_forms_are_one_name() {
        let found =
            mined("وقاتل مسلحو والشعيطات في دير الزور", "Fighters of the Shaitat fought in Deir ez-Zor");
        assert!(found.contains(&("الشعيطات".into(), "Shaitat".into())), "{found:?}");
        assert!(found.contains(&("دير الزور".into(), "Deir ez-Zor".into())), "{found:?}");
        let found = mined("قصف للشعيطات", "al-Shuaytat were shelled");
        assert_eq!(found, vec![("الشعيطات".into(), "al-Shuaytat".into())]);
        // A consonant before the "article" makes the word its own name.
        let found = mined("في كاليفورنيا", "in California");
        assert_eq!(found, vec![("كاليفورنيا".into(), "California".into())]);
        let found = mined("وصل إلى بالرقة", "He arrived in Raqqah.");
        assert_eq!(found, vec![("الرقه".into(), "Raqqah".into())]);
    }

    #[test]
    fn renderings_are_the_longest_english_span() {
        let found = mined("في الرقة", "in al-Raqqa's east");
        assert_eq!(found, vec![("الرقه".into(), "al-Raqqa".into())]);
        let found = mined("نقلت انترفاكس", "Interfax reported");
        assert_eq!(found, vec![("انترفاكس".into(), "Interfax".into())]);
    }

    #[test]
    fn common_words_and_lowercase_english_are_not_names() {
        assert!(mined("قال الوزير في بيان", "the minister said in a statement").is_empty());
        assert!(mined("من في على", "From In On").is_empty());
    }

    #[test]
    fn cues_guess_the_type() {
        let pairs = unit_names("سيطر تنظيم داعش على مدينة منبج", "ISIS took the city of Manbij", None);
        let manbij = pairs.iter().find(|p| p.rendering == "Manbij").unwrap();
        assert_eq!(manbij.cue, Some(TermType::Place));
    }
}
