//! The names of one unit: Arabic n-grams (1–3 words, clitic-aware) paired
//! with the capitalized English n-grams of the same unit whose consonant
//! skeleton they share (the aligner's cross-script name matching, see
//! `align::features`), and the glossary's own terms with the rendering the
//! unit gives them.
//!
//! Pure: text in, pairs out.

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

/// [`ARABIC_STOPWORDS`] to look a word up in (every word of every unit is).
static ARABIC_STOPWORD_SET: std::sync::LazyLock<std::collections::HashSet<&str>> =
    std::sync::LazyLock::new(|| ARABIC_STOPWORDS.iter().copied().collect());

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

/// The Arabic words of a text, each with its clitic readings: a leading
/// conjunction (و ف), preposition (ب ك ل) and article (ال, or لل after ل)
/// may or may not belong to the name.
///
/// The words' keys and the readings' skeletons sit in shared buffers, so a
/// text costs a few allocations rather than a few per word, and
/// [`ArabicWords::fill`] reuses them for the next text (the archive reads
/// every unit of a memory twice).
#[derive(Debug, Default)]
pub(crate) struct ArabicWords {
    words: Vec<WordSlot>,
    /// Every word's match key, one after the other, as characters.
    keys: Vec<char>,
    /// Every reading: where it starts in its word's key, and the range of
    /// its skeleton in `skeletons`.
    readings: Vec<(usize, (usize, usize))>,
    skeletons: String,
}

#[derive(Debug, Clone)]
struct WordSlot {
    span: (usize, usize),
    /// Its match key: a range of `ArabicWords::keys`.
    key: (usize, usize),
    /// Its readings: a range of `ArabicWords::readings` (0 = the whole word
    /// first).
    readings: (usize, usize),
    /// Only white space between this word and the next.
    joined_to_next: bool,
    /// The article (`ال`, or the `ل` of a contracted `لل`) and where the
    /// word after it starts, in characters of the key.
    article: Option<(usize, usize)>,
    /// An Arabic function word (never the first or last word of a name).
    stop: bool,
}

/// One Arabic word of a text (a view into [`ArabicWords`]).
#[derive(Debug, Clone, Copy)]
pub(crate) struct ArabicWord<'a> {
    words: &'a ArabicWords,
    slot: &'a WordSlot,
}

/// Appends a sound class to the skeleton written since `from` (a class
/// repeated next to itself counts once, as `push_class` does).
fn push_class_after(skeletons: &mut String, from: usize, class: Option<char>) {
    if let Some(class) = class
        && !skeletons[from..].ends_with(class)
    {
        skeletons.push(class);
    }
}

impl ArabicWords {
    /// The words of `text`.
    pub(crate) fn new(text: &str) -> ArabicWords {
        let mut words = ArabicWords::default();
        words.fill(text);
        words
    }

    /// Reads the words of `text`, replacing those of the previous text.
    pub(crate) fn fill(&mut self, text: &str) {
        self.words.clear();
        self.keys.clear();
        self.readings.clear();
        self.skeletons.clear();
        let in_word = |c: char| is_arabic_letter(c) || is_arabic_mark(c);
        let mut start = None;
        for (offset, c) in text.char_indices().chain(std::iter::once((text.len(), ' '))) {
            match (in_word(c), start) {
                (true, None) => start = Some(offset),
                (false, Some(s)) => {
                    if let Some(last) = self.words.last_mut() {
                        last.joined_to_next = text[last.span.1..s].chars().all(char::is_whitespace);
                    }
                    self.push_word(&text[s..offset], (s, offset));
                    start = None;
                }
                _ => {}
            }
        }
    }

    fn push_word(&mut self, word: &str, span: (usize, usize)) {
        let key = match_key(word);
        if key.is_empty() {
            return;
        }
        let stop = ARABIC_STOPWORD_SET.contains(key.as_str());
        let from = self.keys.len();
        self.keys.extend(key.chars());
        let key = &self.keys[from..];
        let len = key.len();
        let starts_with = |at: usize, prefix: &[char]| key[at..].starts_with(prefix);
        let mut starts = [0; 5];
        let mut count = 1;
        let mut push = |start: usize| {
            if starts[count - 1] != start {
                starts[count] = start;
                count += 1;
            }
        };
        let mut at = 0;
        if matches!(key.first(), Some('و' | 'ف')) && len >= 4 {
            at = 1;
            push(at);
        }
        let mut article = None;
        if starts_with(at, &['ل', 'ل']) && len - at - 2 >= 2 {
            // ل + the article contracts to لل before the word (للرقة = ل + الرقة).
            article = Some((at + 1, at + 2));
        } else if starts_with(at, &['ا', 'ل']) && len - at - 2 >= 2 {
            article = Some((at, at + 2));
        } else if matches!(key.get(at), Some('ب' | 'ك' | 'ل')) && len - at >= 4 {
            at += 1;
            push(at);
            if starts_with(at, &['ا', 'ل']) && len - at - 2 >= 2 {
                article = Some((at, at + 2));
            }
        }
        if let Some((article_at, core)) = article {
            push(article_at);
            push(core);
        }
        let first_reading = self.readings.len();
        for &start in &starts[..count] {
            let begin = self.skeletons.len();
            let tail = &key[start..];
            for (k, &c) in tail.iter().enumerate() {
                push_class_after(&mut self.skeletons, begin, arabic_class(c, k + 1 == tail.len()));
            }
            self.readings.push((start, (begin, self.skeletons.len())));
        }
        self.words.push(WordSlot {
            span,
            key: (from, self.keys.len()),
            readings: (first_reading, self.readings.len()),
            joined_to_next: false,
            article,
            stop,
        });
    }

    pub(crate) fn len(&self) -> usize {
        self.words.len()
    }

    /// Word `index` (in text order).
    pub(crate) fn get(&self, index: usize) -> ArabicWord<'_> {
        ArabicWord { words: self, slot: &self.words[index] }
    }
}

impl<'a> ArabicWord<'a> {
    pub(crate) fn span(&self) -> (usize, usize) {
        self.slot.span
    }

    /// Its match key, as characters.
    fn key(&self) -> &'a [char] {
        &self.words.keys[self.slot.key.0..self.slot.key.1]
    }

    /// Where each clitic reading starts (0 = the whole word), with the
    /// skeleton of each.
    fn readings(&self) -> impl Iterator<Item = (usize, &'a str)> + 'a {
        let words = self.words;
        (words.readings[self.slot.readings.0..self.slot.readings.1].iter())
            .map(move |&(start, (a, b))| (start, &words.skeletons[a..b]))
    }

    /// The canonical key of reading `start` as the first word of a name:
    /// with an article, always `ال` + the core; else the word from `start`.
    /// The reading at `start` includes the article, and what comes before
    /// it is only clitics: it is sounded like the article's reading
    /// (`والرقة` is `الرقة`). A consonant before (`كاليفورنيا`: k-l-f-r-n)
    /// makes it a word of its own.
    fn reads_as_article(&self, start: usize) -> bool {
        let Some((article_at, core)) = self.slot.article else { return false };
        let skeleton = |at: usize| self.readings().find(|(s, _)| *s == at).map(|(_, k)| k);
        start <= core && (start >= article_at || skeleton(start) == skeleton(article_at))
    }

    fn first_key(&self, start: usize, out: &mut String) {
        let key = self.key();
        match self.slot.article {
            Some((_, core)) if self.reads_as_article(start) => {
                out.push_str("ال");
                out.extend(&key[core..]);
            }
            _ => out.extend(&key[start..]),
        }
    }

    /// The first word as written from reading `start` (without vowel marks;
    /// the key for rare compatibility forms, whose letters and key differ
    /// in length).
    fn first_display(&self, source: &str, start: usize, out: &mut String) {
        let letters = self.letters(source);
        let letters = if letters.len() == self.key().len() { &letters[..] } else { self.key() };
        match self.slot.article {
            Some((_, core)) if self.reads_as_article(start) => {
                out.push_str("ال");
                out.extend(&letters[core..]);
            }
            _ => out.extend(&letters[start..]),
        }
    }

    /// Its letters as written in `source`, without vowel marks.
    fn letters(&self, source: &str) -> Vec<char> {
        source[self.slot.span.0..self.slot.span.1].chars().filter(|&c| !is_arabic_mark(c)).collect()
    }

    /// The word as written (for display), or its key when their lengths
    /// differ.
    fn push_display(&self, source: &str, out: &mut String) {
        let letters = self.letters(source);
        if letters.len() == self.key().len() {
            out.extend(&letters);
        } else {
            out.extend(self.key());
        }
    }

    fn stop(&self) -> bool {
        self.slot.stop
    }

    /// Readings of a word inside a name: whole, or without its article.
    fn inner_readings(&self) -> impl Iterator<Item = (usize, &'a str)> + 'a {
        let core = self.slot.article.map(|a| a.1);
        self.readings().filter(move |(start, _)| *start == 0 || Some(*start) == core)
    }

    /// Where each clitic reading starts.
    pub(crate) fn reading_starts(&self) -> impl Iterator<Item = usize> + 'a {
        self.readings().map(|(start, _)| start)
    }

    /// Appends the canonical key of reading `start` as a name's first word.
    pub(crate) fn first_key_into(&self, start: usize, out: &mut String) {
        self.first_key(start, out);
    }

    /// Only white space between this word and the next.
    pub(crate) fn joined(&self) -> bool {
        self.slot.joined_to_next
    }

    /// Appends its match key.
    pub(crate) fn push_key(&self, out: &mut String) {
        out.extend(self.key());
    }

    pub(crate) fn key_string(&self) -> String {
        self.key().iter().collect()
    }
}

/// The Arabic words of `text` (see [`ArabicWords`]).
pub(crate) fn arabic_words(text: &str) -> ArabicWords {
    ArabicWords::new(text)
}

/// One English word token.
#[derive(Debug, Clone)]
struct EnglishToken {
    span: (usize, usize),
    capitalized: bool,
    /// Capitalized only because it may start a sentence (a stop word or a
    /// single letter): never the first or last word of a rendering.
    stop: bool,
    /// A particle, and whether it may start a name before a hyphen.
    particle: Option<bool>,
    /// How it joins the next token: `' '`, `'-'`, or `None` (it does not).
    join: Option<char>,
    /// Its skeleton: a range of `EnglishSpans::token_skeletons`.
    skeleton: (usize, usize),
}

/// A capitalized English n-gram: a possible rendering of a name.
#[derive(Debug, Clone)]
pub(crate) struct EnglishSpan {
    pub tokens: (usize, usize),
    pub span: (usize, usize),
    /// Ranges of `EnglishSpans::skeletons` and `EnglishSpans::texts`.
    skeleton: (usize, usize),
    text: (usize, usize),
    pub at_start: bool,
}

/// The capitalized n-grams of an English sentence: runs of capitalized
/// words (with particles inside, and `al-` before), up to
/// [`MAX_ENGLISH_CAPITALS`] capitalized words. Skeletons and texts sit in
/// shared buffers, reused by [`EnglishSpans::fill`].
#[derive(Debug, Default)]
pub(crate) struct EnglishSpans {
    tokens: Vec<EnglishToken>,
    token_skeletons: String,
    spans: Vec<EnglishSpan>,
    skeletons: String,
    texts: String,
    /// Scratch: one token's skeleton, and a span's as it grows.
    scratch: String,
    running: String,
}

impl EnglishSpans {
    /// Reads the spans of `text`, replacing those of the previous text.
    pub(crate) fn fill(&mut self, text: &str) {
        self.fill_with(text, true);
    }

    /// [`EnglishSpans::fill`], with skeletons only when `skeletons` (they
    /// are empty otherwise: for callers who want the texts).
    fn fill_with(&mut self, text: &str, skeletons: bool) {
        self.tokenize(text, skeletons);
        self.spans.clear();
        self.skeletons.clear();
        self.texts.clear();
        let tokens = &self.tokens;
        for i in 0..tokens.len() {
            let first = &tokens[i];
            let opens = (first.capitalized && !first.stop)
                || (first.particle == Some(true)
                    && first.join == Some('-')
                    && tokens.get(i + 1).is_some_and(|t| t.capitalized));
            if !opens {
                continue;
            }
            self.running.clear();
            let mut capitals = 0;
            for j in i..tokens.len() {
                let token = &tokens[j];
                if j > i && (tokens[j - 1].join.is_none() || !(token.capitalized || token.particle.is_some()))
                {
                    break;
                }
                for c in self.token_skeletons[token.skeleton.0..token.skeleton.1].chars() {
                    push_class(&mut self.running, Some(c));
                }
                if token.capitalized {
                    capitals += 1;
                    if capitals > MAX_ENGLISH_CAPITALS {
                        break;
                    }
                    if token.stop {
                        continue;
                    }
                    let span = (first.span.0, token.span.1);
                    let skeleton = (self.skeletons.len(), self.skeletons.len() + self.running.len());
                    self.skeletons.push_str(&self.running);
                    let from = self.texts.len();
                    rendering_text_into(&text[span.0..span.1], &mut self.texts);
                    self.spans.push(EnglishSpan {
                        tokens: (i, j),
                        span,
                        skeleton,
                        text: (from, self.texts.len()),
                        at_start: i == 0,
                    });
                }
            }
        }
    }

    fn tokenize(&mut self, text: &str, skeletons: bool) {
        self.tokens.clear();
        self.token_skeletons.clear();
        let is_letter = |c: char| c.is_alphanumeric() && !is_arabic_letter(c);
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
            if let Some(last) = self.tokens.last_mut() {
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
            let stop = capitalized && (ENGLISH_STOPWORDS.contains(&word) || word.chars().count() == 1);
            // Particles are short and lower case: most words are not looked up.
            let particle = (word.len() <= 4 && !capitalized)
                .then(|| ENGLISH_PARTICLES.iter().find(|(p, _)| *p == word).map(|&(_, starts)| starts))
                .flatten();
            let from = self.token_skeletons.len();
            if skeletons {
                token_skeleton(word, &mut self.scratch);
                self.token_skeletons.push_str(&self.scratch);
            }
            let skeleton = (from, self.token_skeletons.len());
            self.tokens.push(EnglishToken {
                span: (start, end),
                capitalized,
                stop,
                particle,
                join: None,
                skeleton,
            });
        }
    }

    pub(crate) fn len(&self) -> usize {
        self.spans.len()
    }

    pub(crate) fn is_empty(&self) -> bool {
        self.spans.is_empty()
    }

    pub(crate) fn get(&self, index: usize) -> &EnglishSpan {
        &self.spans[index]
    }

    pub(crate) fn skeleton(&self, index: usize) -> &str {
        let (a, b) = self.spans[index].skeleton;
        &self.skeletons[a..b]
    }

    /// The rendering the span is (see [`rendering_text`]).
    pub(crate) fn text(&self, index: usize) -> &str {
        let (a, b) = self.spans[index].text;
        &self.texts[a..b]
    }
}

/// The skeleton of one English word into `out` (cleared first). The
/// possessive and a transliteration's final `h` after a vowel (`Raqqah`,
/// `Idlib's`) do not change a name's skeleton.
fn token_skeleton(word: &str, out: &mut String) {
    let word = word.strip_suffix("'s").or_else(|| word.strip_suffix("’s")).unwrap_or(word);
    english_skeleton_into(word, out);
    let bytes = word.as_bytes();
    let lower = |k: usize| bytes[bytes.len() - k].to_ascii_lowercase();
    let final_h = bytes.len() > 3
        && lower(1) == b'h'
        && matches!(lower(2), b'a' | b'e' | b'i' | b'o' | b'u')
        && !matches!(lower(3), b's' | b'c' | b'k' | b'g' | b't' | b'd' | b'p');
    if final_h && out.ends_with('h') {
        out.pop();
    }
}

/// A rendering as compared: curly apostrophes and hyphens folded, white
/// space collapsed, a possessive dropped.
pub(crate) fn rendering_text(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    rendering_text_into(text, &mut out);
    out
}

/// [`rendering_text`], appended to `out`.
fn rendering_text_into(text: &str, out: &mut String) {
    let text = text.strip_suffix("'s").or_else(|| text.strip_suffix("’s")).unwrap_or(text);
    let from = out.len();
    for word in text.split_whitespace() {
        if out.len() > from {
            out.push(' ');
        }
        out.extend(word.chars().map(|c| match c {
            '’' | '‘' => '\'',
            '‐' => '-',
            c => c,
        }));
    }
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

/// Scratch space to find the names of unit after unit (the words and spans
/// of the last unit, reused).
#[derive(Debug, Default)]
pub(crate) struct Scanner {
    arabic: ArabicWords,
    english: EnglishSpans,
}

impl Scanner {
    /// [`unit_names`], reusing this scanner's buffers.
    pub(crate) fn names(
        &mut self,
        source: &str,
        target: &str,
        recognizer: Option<&Recognizer>,
    ) -> Vec<NamePair> {
        self.arabic.fill(source);
        self.english.fill(target);
        names_of(&self.arabic, &self.english, source, target, recognizer)
    }

    /// The words of `source` and the capitalized n-grams of `target`
    /// (their texts: no skeletons), read for the caller to look up.
    pub(crate) fn read(&mut self, source: &str, target: &str) -> (&ArabicWords, &EnglishSpans) {
        self.arabic.fill(source);
        self.english.fill_with(target, false);
        (&self.arabic, &self.english)
    }
}

/// The names of one unit and their renderings. Glossary terms (not their
/// declared adjective forms) come from `recognizer`; every other pair is
/// an Arabic n-gram and a capitalized English n-gram with one skeleton,
/// chosen longest first, each word used once.
pub(crate) fn unit_names(source: &str, target: &str, recognizer: Option<&Recognizer>) -> Vec<NamePair> {
    Scanner::default().names(source, target, recognizer)
}

fn names_of(
    words: &ArabicWords,
    spans: &EnglishSpans,
    source: &str,
    target: &str,
    recognizer: Option<&Recognizer>,
) -> Vec<NamePair> {
    let tokens_of = |span: (usize, usize)| -> (usize, usize) {
        let inside: Vec<usize> = (spans.spans.iter())
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
        let arabic = recognizer.find_arabic(source);
        // Most units hold no glossary term: then their English is not searched.
        let english = if arabic.is_empty() { Vec::new() } else { recognizer.find_english(target) };
        let mut taken = vec![false; english.len()];
        for found in arabic {
            let inside = |w: (usize, usize)| w.0 < found.span.1 && w.1 > found.span.0;
            for (w, used) in word_used.iter_mut().enumerate() {
                if inside(words.get(w).span()) {
                    *used = true;
                }
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
    // The spans by skeleton (then in text order): the spans of a skeleton,
    // and whether a skeleton begins some span's, by binary search.
    let mut order: Vec<usize> = (0..spans.len()).collect();
    order.sort_by(|&a, &b| spans.skeleton(a).cmp(spans.skeleton(b)).then(a.cmp(&b)));
    let prefix_of_some = |s: &str| {
        let at = order.partition_point(|&k| spans.skeleton(k) < s);
        order.get(at).is_some_and(|&k| spans.skeleton(k).starts_with(s))
    };
    let mut candidates: Vec<Candidate> = Vec::new();
    let mut skeleton = String::new();
    for i in 0..words.len() {
        let first = words.get(i);
        // Overlapping a glossary term only when it is one left unrendered.
        let open = |w: usize| !word_used[w] || unrendered.iter().any(|u| overlaps(words.get(w).span(), u.1));
        if !open(i) || first.stop() {
            continue;
        }
        let mut seen_keys: Vec<(String, usize)> = Vec::new();
        for (start, first_skeleton) in first.readings() {
            if first_skeleton.is_empty() || !prefix_of_some(first_skeleton) {
                continue;
            }
            let mut extend = |n: usize, skeleton: &str, seen: &mut Vec<(String, usize)>| {
                let last = words.get(i + n - 1);
                if last.stop() {
                    return;
                }
                let letters = (i..i + n).map(|w| words.get(w).key().len()).max().unwrap_or(0);
                for english in spans_with_skeleton(&order, spans, skeleton) {
                    let span = spans.get(english);
                    let text = spans.text(english);
                    let english_letters = text.chars().filter(|c| c.is_alphabetic()).count();
                    if skeleton.len() == MIN_SKELETON
                        && (letters < SHORT_SKELETON_LETTERS - 1
                            || english_letters < SHORT_SKELETON_LETTERS
                            || span.tokens.0 != span.tokens.1)
                    {
                        continue;
                    }
                    // One reading per skeleton and English span: the
                    // least stripped (a later merge strips what is a clitic).
                    if seen.iter().any(|(s, k)| s == skeleton && spans.text(*k) == text) {
                        continue;
                    }
                    seen.push((skeleton.to_string(), english));
                    let mut key = String::new();
                    let mut arabic = String::new();
                    first.first_key(start, &mut key);
                    first.first_display(source, start, &mut arabic);
                    for w in i + 1..i + n {
                        let word = words.get(w);
                        key.push(' ');
                        word.push_key(&mut key);
                        arabic.push(' ');
                        word.push_display(source, &mut arabic);
                    }
                    candidates.push(Candidate { words: (i, i + n - 1), english, key, arabic });
                }
            };
            extend(1, first_skeleton, &mut seen_keys);
            // Two and three words: every reading of the inner words.
            if first.joined() && i + 1 < words.len() && open(i + 1) {
                for (_, second) in words.get(i + 1).inner_readings() {
                    skeleton.clear();
                    skeleton.push_str(first_skeleton);
                    second.chars().for_each(|c| push_class(&mut skeleton, Some(c)));
                    if !prefix_of_some(&skeleton) {
                        continue;
                    }
                    let two = skeleton.clone();
                    extend(2, &two, &mut seen_keys);
                    if words.get(i + 1).joined() && i + 2 < words.len() && open(i + 2) {
                        for (_, third) in words.get(i + 2).inner_readings() {
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
        let english = spans.get(c.english);
        (
            std::cmp::Reverse(c.words.1 - c.words.0),
            std::cmp::Reverse(english.tokens.1 - english.tokens.0),
            c.words.0,
            english.tokens.0,
        )
    });
    for candidate in candidates {
        let english = spans.get(candidate.english);
        let (a, b) = candidate.words;
        if word_used[a..=b]
            .iter()
            .zip(a..=b)
            .any(|(&used, w)| used && !unrendered.iter().any(|u| overlaps(words.get(w).span(), u.1)))
            || english_used.iter().any(|&(s, e)| english.tokens.0 <= e && s <= english.tokens.1)
        {
            continue;
        }
        let source_span = (words.get(a).span().0, words.get(b).span().1);
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
            rendering: spans.text(candidate.english).to_string(),
            at_start: english.at_start,
            cue: cue(words, a, target, english),
            source_span,
            target_span: english.span,
        });
    }
    pairs
}

/// The spans (of `order`, sorted by skeleton) whose skeleton is
/// `skeleton`, in text order; none for a skeleton too short to match.
fn spans_with_skeleton<'a>(
    order: &'a [usize],
    spans: &'a EnglishSpans,
    skeleton: &'a str,
) -> impl Iterator<Item = usize> + 'a {
    let at = if skeleton.len() >= MIN_SKELETON {
        order.partition_point(|&k| spans.skeleton(k) < skeleton)
    } else {
        order.len()
    };
    order[at..].iter().copied().take_while(move |&k| spans.skeleton(k) == skeleton)
}

fn overlaps(a: (usize, usize), b: (usize, usize)) -> bool {
    a.0 < b.1 && b.0 < a.1
}

/// A type from the words around a name: the Arabic word before it, or an
/// English title before it or `said` after it.
fn cue(words: &ArabicWords, first: usize, target: &str, english: &EnglishSpan) -> Option<TermType> {
    if let Some(before) = first.checked_sub(1).map(|w| words.get(w))
        && before.joined()
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
