//! Terminology across the archive: how the memory renders each name.
//!
//! Owns archive-wide name mining: which Arabic names (glossary terms and
//! names no glossary lists) the memory's units render, and how
//! ([`Archive`]); from that, names rendered in more than one way
//! ([`Archive::drift`], `glossary drift`), candidate glossary entries
//! ([`Archive::suggest`], `glossary suggest`) and the names the archive
//! always renders one way ([`Archive::settled_names`], the `term-archive`
//! check).
//!
//! A name is found the way the aligner matches names across scripts
//! (`names`): an Arabic n-gram of one to three words, clitic-aware
//! (`والشعيطات` and `للشعيطات` are `الشعيطات`), and a capitalized English
//! n-gram of the same unit with the same consonant skeleton. Glossary terms
//! are found by the glossary's recognizer, with their declared forms.
//! Statistics are over units: how many units pair a name with a rendering,
//! and, for confidence, how many units hold either (Dice).
//!
//! Pure over units; [`Archive::build`] is the small driver that takes a way
//! to stream them (`Memory::for_each_unit` in `workflow::terminology`).

mod names;

use std::collections::{BTreeSet, HashMap, HashSet};

use crate::glossary::{Entry, Recognizer, TermType, english_key};
use crate::lang::Lang;
use crate::tmx::TranslationUnit;

pub(crate) use names::{MAX_ARABIC_WORDS, NameKey, arabic_words, unit_names};

/// What units without an `x-document` prop (imported from a TMX file) are
/// listed as in a rendering's documents.
pub const NO_DOCUMENT: &str = "(imported TMX, no document)";

/// What a stream of units calls for each unit.
pub type Visit<'a> = &'a mut dyn FnMut(&TranslationUnit);

/// Which units to read.
#[derive(Debug, Clone, Default)]
pub struct UnitFilter {
    /// Only units created or changed on or after this day (`YYYYMMDD`).
    pub since: Option<String>,
    /// Only units of this document (`x-document`).
    pub document: Option<String>,
}

/// Why a date could not be read.
#[derive(Debug, thiserror::Error)]
#[error("`{0}` is not a date (expected YYYY-MM-DD)")]
pub struct BadDate(pub String);

/// The day of `YYYY-MM-DD` (or `YYYYMMDD`) as `YYYYMMDD`.
pub fn parse_day(text: &str) -> Result<String, BadDate> {
    let digits: String = text.trim().chars().filter(|&c| c != '-').collect();
    let valid = digits.len() == 8
        && digits.bytes().all(|b| b.is_ascii_digit())
        && (1..=12).contains(&digits[4..6].parse::<u32>().unwrap_or(0))
        && (1..=31).contains(&digits[6..8].parse::<u32>().unwrap_or(0));
    if valid { Ok(digits) } else { Err(BadDate(text.to_string())) }
}

/// The unit's day (`YYYYMMDD`): its `changedate`, else its `creationdate`.
fn unit_day(unit: &TranslationUnit) -> Option<&str> {
    let date = unit.attribute("changedate").or_else(|| unit.attribute("creationdate"))?;
    date.get(..8).filter(|d| d.bytes().all(|b| b.is_ascii_digit()))
}

fn unit_document(unit: &TranslationUnit) -> Option<&str> {
    unit.props.iter().find(|p| p.kind == "x-document").map(|p| p.value.as_str())
}

impl UnitFilter {
    fn keeps(&self, unit: &TranslationUnit) -> bool {
        if let Some(since) = &self.since
            && unit_day(unit).is_none_or(|day| day < since.as_str())
        {
            return false;
        }
        self.document.as_deref().is_none_or(|name| unit_document(unit) == Some(name))
    }
}

/// A source sentence and its translation.
#[derive(Debug, Clone, Default, PartialEq, Eq, serde::Serialize)]
pub struct Example {
    pub source: String,
    pub target: String,
}

/// One rendering of a name across the archive.
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
pub struct RenderingUse {
    pub text: String,
    /// Units that render the name this way.
    pub units: u64,
    /// Their documents (units imported from a TMX file without one are
    /// [`NO_DOCUMENT`]).
    pub documents: Vec<String>,
    /// The first and last day (`YYYY-MM-DD`) of those units, when dated.
    pub first: Option<String>,
    pub last: Option<String>,
    pub example: Example,
}

/// A name the archive renders in two or more ways.
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
pub struct DriftedName {
    /// The Arabic name (the glossary's term, or as the archive writes it most).
    pub term: String,
    /// The glossary's approved rendering, when the name is in a glossary.
    pub approved: Option<String>,
    /// Every rendering, the most used first.
    pub renderings: Vec<RenderingUse>,
}

/// `glossary drift`'s answer: `{"drift": [...]}` (a contract).
#[derive(Debug, Clone, Default, serde::Serialize)]
pub struct DriftReport {
    pub drift: Vec<DriftedName>,
}

/// A rendering of a suggested name and how many units use it.
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
pub struct RenderingCount {
    pub text: String,
    pub units: u64,
}

/// A candidate glossary entry.
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
pub struct Suggestion {
    pub term: String,
    pub renderings: Vec<RenderingCount>,
    /// Dice of the name and its first rendering over units, 0–1.
    pub confidence: f64,
    #[serde(rename = "type")]
    pub kind: TermType,
    pub example: Example,
}

impl Suggestion {
    /// The suggestion as a glossary entry (the first rendering approved;
    /// the others, their counts and the confidence in the comment).
    pub fn entry(&self) -> Entry {
        let first = &self.renderings[0];
        let mut entry = Entry::new(&self.term, &first.text);
        entry.kind = self.kind;
        let others: Vec<String> =
            self.renderings[1..].iter().map(|r| format!("{} ({})", r.text, r.units)).collect();
        entry.comment = if others.is_empty() {
            format!("{} units, confidence {:.2}", first.units, self.confidence)
        } else {
            format!(
                "{} units, confidence {:.2}; also (units): {}",
                first.units,
                self.confidence,
                others.join(", ")
            )
        };
        entry.note = "suggested by dragoman glossary suggest".to_string();
        entry
    }
}

/// `glossary suggest`'s answer: `{"suggestions": [...]}` (a contract).
#[derive(Debug, Clone, Default, serde::Serialize)]
pub struct SuggestReport {
    pub suggestions: Vec<Suggestion>,
}

/// A name the archive always renders one way, in enough units to be the
/// paper's usage (the `term-archive` check).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SettledName {
    /// The Arabic as the archive writes it most.
    pub term: String,
    pub rendering: String,
    pub units: u64,
}

#[derive(Debug, Clone, Default)]
struct RenderingStats {
    units: u64,
    /// Units where it does not start the sentence (its case is its own).
    mid_sentence: u64,
    documents: BTreeSet<String>,
    first: Option<String>,
    last: Option<String>,
    example: Example,
    example_day: Option<String>,
}

impl RenderingStats {
    fn absorb(&mut self, other: RenderingStats) {
        self.units += other.units;
        self.mid_sentence += other.mid_sentence;
        self.documents.extend(other.documents);
        self.first = min_day(self.first.take(), other.first);
        self.last = self.last.take().max(other.last);
        if other.example_day > self.example_day {
            self.example = other.example;
            self.example_day = other.example_day;
        }
    }
}

fn min_day(a: Option<String>, b: Option<String>) -> Option<String> {
    match (a, b) {
        (Some(a), Some(b)) => Some(a.min(b)),
        (a, b) => a.or(b),
    }
}

#[derive(Debug, Clone, Default)]
struct NameStats {
    /// How the Arabic is written, and how often.
    arabic: HashMap<String, u64>,
    renderings: HashMap<String, RenderingStats>,
    /// Units with a rendering of the name.
    units: u64,
    /// Type cues seen: place, group, person.
    cues: [u64; 3],
}

impl NameStats {
    fn absorb(&mut self, other: NameStats) {
        for (arabic, n) in other.arabic {
            *self.arabic.entry(arabic).or_default() += n;
        }
        for (text, stats) in other.renderings {
            self.renderings.entry(text).or_default().absorb(stats);
        }
        self.units += other.units;
        for (mine, theirs) in self.cues.iter_mut().zip(other.cues) {
            *mine += theirs;
        }
    }

    fn term(&self) -> String {
        (self.arabic.iter())
            .max_by(|a, b| a.1.cmp(b.1).then_with(|| b.0.cmp(a.0)))
            .map(|(a, _)| a.clone())
            .unwrap_or_default()
    }

    /// Renderings, the most used first.
    fn ranked(&self) -> Vec<(&String, &RenderingStats)> {
        let mut ranked: Vec<_> = self.renderings.iter().collect();
        ranked.sort_by(|a, b| b.1.units.cmp(&a.1.units).then_with(|| a.0.cmp(b.0)));
        ranked
    }

    fn kind(&self) -> TermType {
        let [place, group, person] = self.cues;
        let best = place.max(group).max(person);
        if best == 0 {
            TermType::Other
        } else if place == best {
            TermType::Place
        } else if group == best {
            TermType::Group
        } else {
            TermType::Person
        }
    }
}

/// The names of an archive and their renderings, gathered unit by unit.
#[derive(Debug, Clone)]
pub struct Archive {
    entries: Vec<Entry>,
    recognizer: Option<Recognizer>,
    names: HashMap<NameKey, NameStats>,
    units: u64,
    /// Units holding each mined name's Arabic, and each of their
    /// renderings, rendered or not (the second pass).
    arabic_units: HashMap<String, u64>,
    english_units: HashMap<String, u64>,
}

/// The least share of the units holding a mined name's Arabic that must
/// render it with a capitalized English n-gram of its skeleton.
pub const MIN_RENDERED_SHARE: f64 = 0.3;

/// The second pass: how many units hold each mined name and each of their
/// renderings.
struct Apart<'a> {
    arabic: HashMap<&'a str, u64>,
    english: HashMap<&'a str, u64>,
    key: String,
    here: Vec<&'a str>,
}

impl<'a> Apart<'a> {
    fn new(names: &'a HashMap<NameKey, NameStats>) -> Apart<'a> {
        let mut arabic = HashMap::new();
        let mut english = HashMap::new();
        for (key, stats) in names {
            if let NameKey::Mined(key) = key {
                arabic.insert(key.as_str(), 0);
                english.extend(stats.renderings.keys().map(|r| (r.as_str(), 0)));
            }
        }
        Apart { arabic, english, key: String::new(), here: Vec::new() }
    }

    fn see(&mut self, unit: &TranslationUnit) {
        let (Some(ar), Some(en)) = (unit.variant(Lang::Ar), unit.variant(Lang::En)) else { return };
        let words = arabic_words(&ar.seg.plain_text());
        let key = &mut self.key;
        self.here.clear();
        for i in 0..words.len() {
            for reading in words[i].reading_starts() {
                key.clear();
                for n in 0..names::MAX_ARABIC_WORDS.min(words.len() - i) {
                    if n == 0 {
                        words[i].first_key_into(reading, key);
                    } else if words[i + n - 1].joined() {
                        key.push(' ');
                        key.push_str(&words[i + n].key_string());
                    } else {
                        break;
                    }
                    if let Some((&name, _)) = self.arabic.get_key_value(key.as_str()) {
                        self.here.push(name);
                    }
                }
            }
        }
        self.here.sort_unstable();
        self.here.dedup();
        for name in &self.here {
            *self.arabic.entry(name).or_default() += 1;
        }
        self.here.clear();
        for span in names::english_spans(&en.seg.plain_text()) {
            if let Some((&text, _)) = self.english.get_key_value(span.text.as_str()) {
                self.here.push(text);
            }
        }
        self.here.sort_unstable();
        self.here.dedup();
        for text in &self.here {
            *self.english.entry(text).or_default() += 1;
        }
    }
}

/// Proclitics a mined name may have been recorded with when the only
/// reading that matched kept them (`وبغداد`): merged into the bare name
/// when the archive has it.
const PROCLITICS: [&str; 11] = ["و", "ف", "ب", "ك", "ل", "وب", "وك", "ول", "فب", "فك", "فل"];

impl Archive {
    /// An empty archive; `recognizer` is the glossary (its terms are found
    /// as glossary terms, never mined).
    pub fn new(recognizer: Option<Recognizer>) -> Archive {
        let entries = recognizer.as_ref().map(|r| r.entries().to_vec()).unwrap_or_default();
        Archive {
            entries,
            recognizer,
            names: HashMap::new(),
            units: 0,
            arabic_units: HashMap::new(),
            english_units: HashMap::new(),
        }
    }

    /// The driver: reads every unit `each` streams (kept by `filter`)
    /// twice: the names and their renderings, then how many units hold
    /// each mined name and rendering at all. A mined name must be rendered
    /// in at least [`MIN_RENDERED_SHARE`] of the units that hold it (a
    /// common word that once sat beside a capitalized word with its
    /// skeleton is not a name).
    pub fn build<E>(
        recognizer: Option<Recognizer>,
        filter: &UnitFilter,
        each: impl Fn(Visit<'_>) -> Result<(), E>,
    ) -> Result<Archive, E> {
        let mut archive = Archive::new(recognizer);
        each(&mut |unit| {
            if filter.keeps(unit) {
                archive.see(unit);
            }
        })?;
        archive.settle();
        let mut apart = Apart::new(&archive.names);
        each(&mut |unit| {
            if filter.keeps(unit) {
                apart.see(unit);
            }
        })?;
        let owned = |counts: HashMap<&str, u64>| -> HashMap<String, u64> {
            counts.into_iter().map(|(k, n)| (k.to_string(), n)).collect()
        };
        let (arabic, english) = (owned(apart.arabic), owned(apart.english));
        archive.names.retain(|key, stats| match key {
            NameKey::Mined(key) => {
                let holding = arabic.get(key.as_str()).copied().unwrap_or(0).max(stats.units);
                stats.units as f64 >= MIN_RENDERED_SHARE * holding as f64
            }
            NameKey::Glossary(_) => true,
        });
        archive.arabic_units = arabic;
        archive.english_units = english;
        Ok(archive)
    }

    /// Units read.
    pub fn units(&self) -> u64 {
        self.units
    }

    /// Adds the names of one unit (units without Arabic and English are
    /// skipped).
    pub fn see(&mut self, unit: &TranslationUnit) {
        let (Some(ar), Some(en)) = (unit.variant(Lang::Ar), unit.variant(Lang::En)) else { return };
        let (source, target) = (ar.seg.plain_text(), en.seg.plain_text());
        self.units += 1;
        let day = unit_day(unit).map(|d| format!("{}-{}-{}", &d[..4], &d[4..6], &d[6..8]));
        let document = unit_document(unit).unwrap_or(NO_DOCUMENT);
        let mut seen: HashSet<(NameKey, String)> = HashSet::new();
        let mut named: HashSet<NameKey> = HashSet::new();
        for pair in unit_names(&source, &target, self.recognizer.as_ref()) {
            if !seen.insert((pair.key.clone(), pair.rendering.clone())) {
                continue;
            }
            let stats = self.names.entry(pair.key.clone()).or_default();
            if named.insert(pair.key) {
                stats.units += 1;
            }
            *stats.arabic.entry(pair.arabic).or_default() += 1;
            if let Some(kind) = pair.cue {
                let slot = match kind {
                    TermType::Place => 0,
                    TermType::Group | TermType::Organization => 1,
                    _ => 2,
                };
                stats.cues[slot] += 1;
            }
            let rendering = stats.renderings.entry(pair.rendering).or_default();
            rendering.units += 1;
            rendering.mid_sentence += u64::from(!pair.at_start);
            if !rendering.documents.contains(document) {
                rendering.documents.insert(document.to_string());
            }
            if let Some(day) = &day {
                rendering.first = min_day(rendering.first.take(), Some(day.clone()));
                rendering.last = rendering.last.take().max(Some(day.clone()));
            }
            if rendering.example.source.is_empty() || day > rendering.example_day {
                rendering.example = Example { source: source.clone(), target: target.clone() };
                rendering.example_day = day.clone();
            }
        }
    }

    /// Merges what one name was recorded as twice: a mined name with a
    /// clitic into the bare name, and a rendering seen only at the start of
    /// sentences into the same words seen inside them (`Al-Raqqa` at the
    /// start is the `al-Raqqa` of mid-sentence).
    pub fn settle(&mut self) {
        let mut mined: Vec<String> = (self.names.keys())
            .filter_map(|k| match k {
                NameKey::Mined(key) => Some(key.clone()),
                NameKey::Glossary(_) => None,
            })
            .collect();
        mined.sort_by_key(|k| std::cmp::Reverse(k.len()));
        for key in mined {
            let bare = PROCLITICS.iter().filter_map(|p| key.strip_prefix(p)).find(|bare| {
                bare.chars().count() >= 3 && self.names.contains_key(&NameKey::Mined(bare.to_string()))
            });
            if let Some(bare) = bare.map(str::to_string)
                && let Some(stats) = self.names.remove(&NameKey::Mined(key))
            {
                let target = self.names.entry(NameKey::Mined(bare)).or_default();
                target.absorb(stats);
            }
        }
        for stats in self.names.values_mut() {
            let texts: Vec<String> = (stats.renderings.iter())
                .filter(|(_, r)| r.mid_sentence == 0)
                .map(|(t, _)| t.clone())
                .collect();
            for text in texts {
                let lowered = lower_first(&text);
                let inside = stats.renderings.get(&lowered).is_some_and(|r| r.mid_sentence > 0);
                if lowered != text && inside {
                    let at_start = stats.renderings.remove(&text).unwrap_or_default();
                    stats.renderings.entry(lowered).or_default().absorb(at_start);
                }
            }
        }
    }

    fn approved(&self, key: &NameKey) -> Option<&Entry> {
        match key {
            NameKey::Glossary(entry) => self.entries.get(*entry),
            NameKey::Mined(_) => None,
        }
    }

    /// Names rendered in two or more ways across at least `min_count`
    /// units, the most used and most recently diverging first. A glossary
    /// term whose renderings are all its approved and accepted forms is
    /// not drift.
    pub fn drift(&self, min_count: u64) -> DriftReport {
        let mut drift: Vec<(u64, Option<String>, DriftedName)> = Vec::new();
        for (key, stats) in &self.names {
            if stats.units < min_count || distinct_renderings(stats.renderings.keys()) < 2 {
                continue;
            }
            let entry = self.approved(key);
            if let Some(entry) = entry
                && stats.renderings.keys().all(|text| entry.good_renderings().any(|good| good == text))
            {
                continue;
            }
            let ranked = stats.ranked();
            let diverged = ranked[1..].iter().filter_map(|(_, r)| r.last.clone()).max();
            let renderings = ranked
                .into_iter()
                .map(|(text, r)| RenderingUse {
                    text: text.clone(),
                    units: r.units,
                    documents: r.documents.iter().cloned().collect(),
                    first: r.first.clone(),
                    last: r.last.clone(),
                    example: r.example.clone(),
                })
                .collect();
            let term = entry.map_or_else(|| stats.term(), |e| e.source.clone());
            let approved = entry.map(|e| e.target.clone());
            drift.push((stats.units, diverged, DriftedName { term, approved, renderings }));
        }
        drift.sort_by(|a, b| b.0.cmp(&a.0).then_with(|| b.1.cmp(&a.1)).then_with(|| a.2.term.cmp(&b.2.term)));
        DriftReport { drift: drift.into_iter().map(|(_, _, d)| d).collect() }
    }

    /// Names no glossary has, seen with a rendering in at least
    /// `min_count` units: the candidates of `suggest` before their
    /// confidence is known.
    fn candidates(&self, min_count: u64) -> Vec<(&String, &NameStats)> {
        let mut good_or_forbidden: HashSet<String> = HashSet::new();
        for entry in &self.entries {
            for form in entry.good_renderings().chain(entry.forbidden.iter().map(String::as_str)) {
                good_or_forbidden.insert(english_key(form));
            }
        }
        let mut found: Vec<(&String, &NameStats)> = (self.names.iter())
            .filter_map(|(key, stats)| match key {
                NameKey::Mined(key) if stats.units >= min_count => Some((key, stats)),
                _ => None,
            })
            .filter(|(_, stats)| !good_or_forbidden.contains(&english_key(stats.ranked()[0].0)))
            .collect();
        found.sort_by(|a, b| a.0.cmp(b.0));
        found
    }

    /// Candidate glossary entries: names no glossary has, seen with a
    /// rendering in at least `min_count` units, with their Dice confidence
    /// over units (how many pair the name and its first rendering, how many
    /// hold either), best first.
    pub fn suggest(&self, min_count: u64) -> SuggestReport {
        let mut suggestions: Vec<(f64, Suggestion)> = (self.candidates(min_count).into_iter())
            .map(|(key, stats)| {
                let ranked = stats.ranked();
                let (top, top_stats) = ranked[0];
                let arabic = self.arabic_units.get(key).copied().unwrap_or(0).max(stats.units);
                let english = self.english_units.get(top).copied().unwrap_or(0).max(top_stats.units);
                let confidence = (2.0 * top_stats.units as f64 / (arabic + english) as f64).min(1.0);
                let suggestion = Suggestion {
                    term: stats.term(),
                    renderings: (ranked.iter())
                        .map(|(text, r)| RenderingCount { text: (*text).clone(), units: r.units })
                        .collect(),
                    confidence: (confidence * 1000.0).round() / 1000.0,
                    kind: stats.kind(),
                    example: top_stats.example.clone(),
                };
                (confidence * (1.0 + stats.units as f64).ln(), suggestion)
            })
            .collect();
        suggestions.sort_by(|a, b| b.0.total_cmp(&a.0).then_with(|| a.1.term.cmp(&b.1.term)));
        SuggestReport { suggestions: suggestions.into_iter().map(|(_, s)| s).collect() }
    }

    /// Names no glossary has that the archive renders one way in at least
    /// `min_units` units, by their Arabic key.
    pub fn settled_names(&self, min_units: u64) -> HashMap<String, SettledName> {
        (self.names.iter())
            .filter_map(|(key, stats)| match key {
                NameKey::Mined(key) if stats.units >= min_units && stats.renderings.len() == 1 => {
                    let (rendering, r) = stats.renderings.iter().next()?;
                    Some((
                        key.clone(),
                        SettledName { term: stats.term(), rendering: rendering.clone(), units: r.units },
                    ))
                }
                _ => None,
            })
            .collect()
    }
}

/// English endings that make a rendering another form of the same word
/// (`Bangladeshi`, `Tasmanian`, `Viruses`): an adjective or plural the
/// Arabic may also stand for, not another way of writing the name.
const INFLECTIONS: [&str; 11] = ["", "s", "es", "n", "an", "ian", "i", "ese", "ns", "ans", "ians"];

/// Two renderings that differ only by an inflection of the same word.
fn same_word(a: &str, b: &str) -> bool {
    let common = a.bytes().zip(b.bytes()).take_while(|(x, y)| x == y).count();
    let common = (0..=common).rev().find(|&k| a.is_char_boundary(k) && b.is_char_boundary(k)).unwrap_or(0);
    common >= 4 && INFLECTIONS.contains(&&a[common..]) && INFLECTIONS.contains(&&b[common..])
}

/// How many renderings there are once inflections of one word count once.
fn distinct_renderings<'a>(renderings: impl Iterator<Item = &'a String>) -> usize {
    let mut classes: Vec<&str> = Vec::new();
    for rendering in renderings {
        if !classes.iter().any(|c| same_word(c, rendering)) {
            classes.push(rendering);
        }
    }
    classes.len()
}

/// `text` with its first letter in lower case.
fn lower_first(text: &str) -> String {
    let mut chars = text.chars();
    match chars.next() {
        Some(first) => first.to_lowercase().chain(chars).collect(),
        None => String::new(),
    }
}

#[cfg(test)]
mod tests;
