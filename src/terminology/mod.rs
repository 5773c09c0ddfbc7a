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
//! to stream them (`Memory::for_each_unit` in `workflow::terminology`) and
//! reads them twice. The stream stays on the caller's thread; the units
//! are scanned in batches on rayon's pool and the partial counts merged in
//! reading order, so the archive is the same on one thread or many.

mod names;

use std::collections::{HashMap, HashSet};

use rayon::prelude::*;

use crate::glossary::{Entry, Recognizer, TermType, english_key};
use crate::lang::Lang;
use crate::tmx::TranslationUnit;

pub(crate) use names::{MAX_ARABIC_WORDS, NameKey, arabic_words, unit_names};
use names::{NamePair, Scanner};

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

/// A day (`YYYYMMDD`) as a number, so that days compare as numbers.
type Day = u32;

/// A document's index in [`Archive`]'s list of document names.
type DocumentId = u32;

fn day_text(day: Day) -> String {
    format!("{:04}-{:02}-{:02}", day / 10_000, day / 100 % 100, day % 100)
}

#[derive(Debug, Clone, Default)]
struct RenderingStats {
    units: u64,
    /// Units where it does not start the sentence (its case is its own).
    mid_sentence: u64,
    /// Its documents; a document may repeat until [`RenderingStats::compact`].
    documents: Vec<DocumentId>,
    /// How many of `documents` were sorted and unique at the last compaction.
    compacted: usize,
    first: Option<Day>,
    last: Option<Day>,
    /// The unit of the latest day (the first one read of that day).
    example: Example,
    example_day: Option<Day>,
}

impl RenderingStats {
    fn add_document(&mut self, document: DocumentId) {
        // Units come document by document: most repeats are the last one.
        if self.documents.last() != Some(&document) {
            self.documents.push(document);
            if self.documents.len() > 2 * self.compacted + 64 {
                self.compact();
            }
        }
    }

    fn compact(&mut self) {
        self.documents.sort_unstable();
        self.documents.dedup();
        self.compacted = self.documents.len();
    }

    /// Adds what `other`, read after `self`, counted.
    fn absorb(&mut self, other: RenderingStats) {
        self.units += other.units;
        self.mid_sentence += other.mid_sentence;
        for document in other.documents {
            self.add_document(document);
        }
        self.first = min_day(self.first, other.first);
        self.last = self.last.max(other.last);
        if self.example.source.is_empty() || other.example_day > self.example_day {
            self.example = other.example;
            self.example_day = other.example_day;
        }
    }
}

fn min_day(a: Option<Day>, b: Option<Day>) -> Option<Day> {
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
    /// The documents of the units read.
    documents: Documents,
    /// Units holding each mined name's Arabic, and each of their
    /// renderings, rendered or not (the second pass).
    arabic_units: HashMap<String, u64>,
    english_units: HashMap<String, u64>,
}

/// The least share of the units holding a mined name's Arabic that must
/// render it with a capitalized English n-gram of its skeleton.
pub const MIN_RENDERED_SHARE: f64 = 0.3;

/// What the scanning needs of a unit, taken from it on the reading thread.
struct UnitText {
    source: String,
    target: String,
    day: Option<Day>,
    document: DocumentId,
}

/// Units handed at a time to the thread that scans them, and how many of
/// those one task of rayon's pool scans (and counts in its own maps, merged
/// in reading order afterwards).
#[derive(Debug, Clone, Copy)]
struct Batches {
    units: usize,
    chunk: usize,
}

const BATCHES: Batches = Batches { units: 4096, chunk: 256 };

/// The document names of the units read, each given a [`DocumentId`] once.
#[derive(Debug, Clone, Default)]
struct Documents {
    names: Vec<String>,
    ids: HashMap<String, DocumentId>,
    last: Option<DocumentId>,
}

impl Documents {
    fn id(&mut self, name: &str) -> DocumentId {
        // Units come document by document: most are the last one's.
        if let Some(last) = self.last
            && self.names[last as usize] == name
        {
            return last;
        }
        let id = match self.ids.get(name) {
            Some(&id) => id,
            None => {
                let id = self.names.len() as DocumentId;
                self.names.push(name.to_string());
                self.ids.insert(name.to_string(), id);
                id
            }
        };
        self.last = Some(id);
        id
    }
}

/// The unit's texts, day and document, when it has Arabic and English
/// (`documents` is `None` in the second pass, which needs no document).
fn unit_text(unit: &TranslationUnit, documents: Option<&mut Documents>) -> Option<UnitText> {
    let (ar, en) = (unit.variant(Lang::Ar)?, unit.variant(Lang::En)?);
    let document = documents.map_or(0, |d| d.id(unit_document(unit).unwrap_or(NO_DOCUMENT)));
    let day = unit_day(unit).and_then(|d| d.parse().ok());
    Some(UnitText { source: ar.seg.plain_text(), target: en.seg.plain_text(), day, document })
}

/// Streams the units `each` gives (kept by `filter`, taken by `take`) to a
/// scanning thread in batches: `scan` turns a chunk of a batch into a
/// partial result on rayon's pool, `merge` adds the partial results to
/// `state` in reading order, so the result is the same whatever the number
/// of threads. The reading thread (the storage's) keeps reading meanwhile.
fn scan_units<E, S: Send, P: Send>(
    each: &impl Fn(Visit<'_>) -> Result<(), E>,
    filter: &UnitFilter,
    batches: Batches,
    mut take: impl FnMut(&TranslationUnit) -> Option<UnitText>,
    scan: impl Fn(&[UnitText]) -> P + Sync + Send,
    mut merge: impl FnMut(&mut S, P) + Send,
    state: S,
) -> Result<S, E> {
    std::thread::scope(|scope| {
        // Two batches waiting: reading never waits for a short scan.
        let (sender, receiver) = std::sync::mpsc::sync_channel::<Vec<UnitText>>(2);
        let scan = &scan;
        let scanner = scope.spawn(move || {
            let mut state = state;
            for batch in receiver {
                let partials: Vec<P> = batch.par_chunks(batches.chunk).map(scan).collect();
                for partial in partials {
                    merge(&mut state, partial);
                }
            }
            state
        });
        let mut batch = Vec::with_capacity(batches.units);
        let read = each(&mut |unit| {
            if filter.keeps(unit)
                && let Some(text) = take(unit)
            {
                batch.push(text);
                if batch.len() == batches.units {
                    // Fails only when the scanner panicked: `join` says so.
                    let _ = sender.send(std::mem::replace(&mut batch, Vec::with_capacity(batches.units)));
                }
            }
        });
        if !batch.is_empty() {
            let _ = sender.send(batch);
        }
        drop(sender);
        let state = scanner.join().unwrap_or_else(|panic| std::panic::resume_unwind(panic));
        read.map(|()| state)
    })
}

/// The first pass over a chunk of units: each name with its renderings.
#[derive(Default)]
struct Partial {
    units: u64,
    names: HashMap<NameKey, NameStats>,
}

impl Partial {
    fn scan(units: &[UnitText], recognizer: Option<&Recognizer>) -> Partial {
        let mut partial = Partial::default();
        let mut scanner = Scanner::default();
        for unit in units {
            partial.see(unit, scanner.names(&unit.source, &unit.target, recognizer));
        }
        partial
    }

    fn see(&mut self, unit: &UnitText, mut pairs: Vec<NamePair>) {
        self.units += 1;
        // Each name and rendering once per unit, as first found (the sort
        // is stable).
        pairs.sort_by(|a, b| a.key.cmp(&b.key).then_with(|| a.rendering.cmp(&b.rendering)));
        pairs.dedup_by(|later, first| later.key == first.key && later.rendering == first.rendering);
        let mut last_key: Option<NameKey> = None;
        for pair in pairs {
            let new_name = last_key.as_ref() != Some(&pair.key);
            if new_name {
                last_key = Some(pair.key.clone());
            }
            let stats = self.names.entry(pair.key).or_default();
            stats.units += u64::from(new_name);
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
            rendering.add_document(unit.document);
            if let Some(day) = unit.day {
                rendering.first = min_day(rendering.first, Some(day));
                rendering.last = rendering.last.max(Some(day));
            }
            if rendering.example.source.is_empty() || unit.day > rendering.example_day {
                rendering.example = Example { source: unit.source.clone(), target: unit.target.clone() };
                rendering.example_day = unit.day;
            }
        }
    }
}

/// The second pass's look-ups: the mined names by every prefix of their
/// key at a word boundary (the name's index when the prefix is the whole
/// key: a longer n-gram is looked up only while its start is some name's),
/// and their renderings.
struct Lookup<'a> {
    arabic: HashMap<&'a str, Option<u32>>,
    arabic_names: Vec<&'a str>,
    english: HashMap<&'a str, u32>,
    english_names: Vec<&'a str>,
}

impl<'a> Lookup<'a> {
    fn new(names: &'a HashMap<NameKey, NameStats>) -> Lookup<'a> {
        let mut lookup = Lookup {
            arabic: HashMap::new(),
            arabic_names: Vec::new(),
            english: HashMap::new(),
            english_names: Vec::new(),
        };
        for (key, stats) in names {
            let NameKey::Mined(key) = key else { continue };
            for (at, _) in key.match_indices(' ') {
                lookup.arabic.entry(&key[..at]).or_insert(None);
            }
            lookup.arabic.insert(key, Some(lookup.arabic_names.len() as u32));
            lookup.arabic_names.push(key);
            for text in stats.renderings.keys() {
                if !lookup.english.contains_key(text.as_str()) {
                    lookup.english.insert(text, lookup.english_names.len() as u32);
                    lookup.english_names.push(text);
                }
            }
        }
        lookup
    }

    /// The names (by index) each unit of `units` holds, and the renderings,
    /// each once per unit.
    fn count(&self, units: &[UnitText]) -> (Vec<u32>, Vec<u32>) {
        let (mut arabic, mut english) = (Vec::new(), Vec::new());
        let mut scanner = Scanner::default();
        let (mut key, mut here) = (String::new(), Vec::new());
        for unit in units {
            let (words, spans) = scanner.read(&unit.source, &unit.target);
            here.clear();
            for i in 0..words.len() {
                let first = words.get(i);
                for reading in first.reading_starts() {
                    key.clear();
                    for n in 0..names::MAX_ARABIC_WORDS.min(words.len() - i) {
                        if n == 0 {
                            first.first_key_into(reading, &mut key);
                        } else if words.get(i + n - 1).joined() {
                            key.push(' ');
                            words.get(i + n).push_key(&mut key);
                        } else {
                            break;
                        }
                        match self.arabic.get(key.as_str()) {
                            None => break,
                            Some(Some(name)) => here.push(*name),
                            Some(None) => {}
                        }
                    }
                }
            }
            here.sort_unstable();
            here.dedup();
            arabic.extend_from_slice(&here);
            here.clear();
            here.extend((0..spans.len()).filter_map(|k| self.english.get(spans.text(k)).copied()));
            here.sort_unstable();
            here.dedup();
            english.extend_from_slice(&here);
        }
        (arabic, english)
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
            documents: Documents::default(),
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
    ///
    /// The units are scanned in batches on rayon's pool while `each` reads
    /// the next ones; the partial counts are merged in reading order, so
    /// the archive is the same on one thread or many.
    pub fn build<E>(
        recognizer: Option<Recognizer>,
        filter: &UnitFilter,
        each: impl Fn(Visit<'_>) -> Result<(), E>,
    ) -> Result<Archive, E> {
        Archive::build_in(recognizer, filter, each, BATCHES)
    }

    fn build_in<E>(
        recognizer: Option<Recognizer>,
        filter: &UnitFilter,
        each: impl Fn(Visit<'_>) -> Result<(), E>,
        batches: Batches,
    ) -> Result<Archive, E> {
        let mut archive = Archive::new(recognizer);
        let mut documents = std::mem::take(&mut archive.documents);
        let glossary = archive.recognizer.as_ref();
        let first = scan_units(
            &each,
            filter,
            batches,
            |unit| unit_text(unit, Some(&mut documents)),
            |chunk| Partial::scan(chunk, glossary),
            |all: &mut Partial, partial: Partial| {
                all.units += partial.units;
                for (key, stats) in partial.names {
                    all.names.entry(key).or_default().absorb(stats);
                }
            },
            Partial::default(),
        )?;
        archive.units = first.units;
        archive.names = first.names;
        archive.documents = documents;
        archive.settle();
        let lookup = Lookup::new(&archive.names);
        let (arabic_counts, english_counts) = scan_units(
            &each,
            filter,
            batches,
            |unit| unit_text(unit, None),
            |chunk| lookup.count(chunk),
            |(arabic, english): &mut (Vec<u64>, Vec<u64>), (found_ar, found_en): (Vec<u32>, Vec<u32>)| {
                found_ar.into_iter().for_each(|name| arabic[name as usize] += 1);
                found_en.into_iter().for_each(|text| english[text as usize] += 1);
            },
            (vec![0; lookup.arabic_names.len()], vec![0; lookup.english_names.len()]),
        )?;
        let arabic: HashMap<String, u64> =
            (lookup.arabic_names.iter()).zip(arabic_counts).map(|(k, n)| (k.to_string(), n)).collect();
        let english: HashMap<String, u64> =
            (lookup.english_names.iter()).zip(english_counts).map(|(k, n)| (k.to_string(), n)).collect();
        drop(lookup);
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
    /// skipped): the first pass of [`Archive::build`] over one unit.
    pub fn see(&mut self, unit: &TranslationUnit) {
        let Some(text) = unit_text(unit, Some(&mut self.documents)) else { return };
        let partial = Partial::scan(std::slice::from_ref(&text), self.recognizer.as_ref());
        self.units += partial.units;
        for (key, stats) in partial.names {
            self.names.entry(key).or_default().absorb(stats);
        }
    }

    /// The names of `documents`, sorted.
    fn document_names(&self, documents: &[DocumentId]) -> Vec<String> {
        let mut names: Vec<String> =
            documents.iter().map(|&d| self.documents.names[d as usize].clone()).collect();
        names.sort();
        names.dedup();
        names
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
        let mut drift: Vec<(u64, Option<Day>, DriftedName)> = Vec::new();
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
            let diverged = ranked[1..].iter().filter_map(|(_, r)| r.last).max();
            let renderings = ranked
                .into_iter()
                .map(|(text, r)| RenderingUse {
                    text: text.clone(),
                    units: r.units,
                    documents: self.document_names(&r.documents),
                    first: r.first.map(day_text),
                    last: r.last.map(day_text),
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
