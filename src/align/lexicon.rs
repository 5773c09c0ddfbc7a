//! A bilingual lexicon learned from the document itself, for the second
//! alignment pass (in the spirit of hunalign's realign).
//!
//! The first pass aligns on length and anchors. Its confident beads are
//! then read as a small parallel corpus: content words of the Arabic side
//! (normalized, clitics and common suffixes stripped) are paired with
//! English words (lower-cased, plural `s` dropped) that occur in the same
//! beads, by Dice coefficient. A pair seen in at least two beads and almost
//! always together becomes an anchor of kind `lexicon`: shared by a bead it
//! is evidence for it, on one side only it is (weaker) evidence against it,
//! which is what tells a dropped sentence from one merged into its
//! neighbour. Nothing outside the two documents is used.

use std::collections::HashMap;

use super::Bead;
use super::features::{Anchor, AnchorKind, DocumentFeatures, MAX_ANCHORS_PER_UNIT, kind_weight};
use crate::lang::is_arabic_letter;
use crate::normalize::match_key;
use crate::segment::Segment;

/// Beads at least this sure are the training corpus.
const LEARN_CONFIDENCE: f64 = 0.9;
/// A word pair must occur together in this many training beads.
const MIN_PAIR_BEADS: u32 = 3;
/// And its Dice coefficient must reach this (1 = always together).
const MIN_DICE: f64 = 0.7;
/// A word found in more than this share of the sentences of its side is a
/// function word of this document (and says nothing about which sentence
/// is which).
const MAX_WORD_SHARE: f64 = 0.3;
/// Fewer training beads than this teach nothing reliable.
const MIN_TRAINING_BEADS: usize = 4;

/// Function words the frequency filter can miss in short documents, in
/// their normalized, stemmed form.
const ARABIC_STOPWORDS: &[&str] = &[
    "في",
    "من",
    "علي",
    "الي",
    "ان",
    "عن",
    "مع",
    "هذا",
    "هذه",
    "ذلك",
    "تلك",
    "التي",
    "الذي",
    "الذين",
    "كان",
    "كانت",
    "قد",
    "لقد",
    "لم",
    "لن",
    "لا",
    "ما",
    "او",
    "ام",
    "ثم",
    "بين",
    "حتي",
    "عند",
    "كل",
    "بعد",
    "قبل",
    "منذ",
    "خلال",
    "حيث",
    "كما",
    "لكن",
    "اذا",
    "اي",
    "غير",
    "هو",
    "هي",
    "هم",
    "نحو",
    "عبر",
    "ضد",
    "دون",
    "تم",
    "يتم",
    "وقد",
    "ايضا",
    "فقط",
    "اما",
    "وفي",
    "فيه",
    "فيها",
    "منه",
    "منها",
    "عليه",
    "عليها",
    "اليه",
    "بها",
    "به",
    "له",
    "لها",
    "الا",
    "انه",
    "انها",
    "يكون",
    "تكون",
];
const ENGLISH_STOPWORDS: &[&str] = &[
    "the", "and", "for", "with", "that", "this", "these", "those", "from", "have", "has", "had", "was",
    "were", "are", "been", "being", "will", "would", "can", "could", "should", "may", "might", "not", "but",
    "its", "their", "they", "them", "his", "her", "she", "him", "who", "whom", "which", "what", "when",
    "where", "there", "here", "than", "then", "also", "into", "onto", "about", "after", "before", "over",
    "under", "such", "some", "any", "all", "more", "most", "other", "our", "your", "you", "one", "out",
    "said", "say", "says", "how", "while", "because", "between", "through", "during", "only", "very", "did",
    "does", "doe", "just", "each", "both", "own", "same", "well", "upon", "whose", "since", "per",
];

/// The content words of every sentence, as small integers.
struct Words {
    source: Vec<Vec<u32>>,
    target: Vec<Vec<u32>>,
    source_vocabulary: Vec<String>,
    target_vocabulary: Vec<String>,
}

impl Words {
    fn of(source: &[Segment], target: &[Segment]) -> Words {
        let (source, source_vocabulary) = index(source, arabic_stem);
        let (target, target_vocabulary) = index(target, english_stem);
        Words { source, target, source_vocabulary, target_vocabulary }
    }
}

/// Per sentence, the sorted ids of its content words (frequent words left
/// out), and the words by id.
fn index(segments: &[Segment], stem: fn(&str) -> Option<String>) -> (Vec<Vec<u32>>, Vec<String>) {
    let mut ids: HashMap<String, u32> = HashMap::new();
    let mut vocabulary = Vec::new();
    let mut sentences: Vec<Vec<u32>> = segments
        .iter()
        .map(|segment| {
            let key = match_key(&segment.text);
            let mut words: Vec<u32> = key
                .split(|c: char| !(c.is_alphanumeric() || is_arabic_letter(c)))
                .filter_map(stem)
                .map(|word| {
                    let next = vocabulary.len() as u32;
                    *ids.entry(word).or_insert_with_key(|word| {
                        vocabulary.push(word.clone());
                        next
                    })
                })
                .collect();
            words.sort_unstable();
            words.dedup();
            words
        })
        .collect();
    let mut frequency = vec![0usize; vocabulary.len()];
    for words in &sentences {
        for &w in words {
            frequency[w as usize] += 1;
        }
    }
    let limit = (super::tune("MWS", MAX_WORD_SHARE) * segments.len() as f64).max(2.0) as usize;
    for words in &mut sentences {
        words.retain(|&w| frequency[w as usize] <= limit);
    }
    (sentences, vocabulary)
}

/// The light stem of a normalized Arabic word (after Larkey's light10):
/// conjunction و, article forms, then common suffixes; `None` for function
/// words, numbers and words too short to say anything.
fn arabic_stem(word: &str) -> Option<String> {
    if !word.chars().next().is_some_and(is_arabic_letter) {
        return None;
    }
    let mut letters: Vec<char> = word.chars().collect();
    let as_string = |letters: &[char]| letters.iter().collect::<String>();
    if ARABIC_STOPWORDS.contains(&as_string(&letters).as_str()) {
        return None;
    }
    if letters.len() >= 4 && letters[0] == 'و' {
        letters.remove(0);
    }
    const ARTICLES: [&[char]; 6] =
        [&['و', 'ا', 'ل'], &['ب', 'ا', 'ل'], &['ك', 'ا', 'ل'], &['ف', 'ا', 'ل'], &['ا', 'ل'], &['ل', 'ل']];
    if let Some(article) = ARTICLES.iter().find(|a| letters.starts_with(a) && letters.len() - a.len() >= 2) {
        letters.drain(..article.len());
    }
    const SUFFIXES: [&[char]; 9] = [
        &['ه', 'ا'],
        &['ا', 'ن'],
        &['ا', 'ت'],
        &['و', 'ن'],
        &['ي', 'ن'],
        &['ي', 'ه'],
        &['ه'],
        &['ي'],
        &['ا'],
    ];
    for suffix in SUFFIXES {
        if letters.ends_with(suffix) && letters.len() - suffix.len() >= 2 {
            letters.truncate(letters.len() - suffix.len());
        }
    }
    let stem = as_string(&letters);
    (letters.len() >= 3 && !ARABIC_STOPWORDS.contains(&stem.as_str())).then_some(stem)
}

/// A lower-cased English word without a plural or possessive `s`; `None`
/// for function words, numbers and short words.
fn english_stem(word: &str) -> Option<String> {
    if !word.chars().all(|c| c.is_ascii_alphabetic()) || word.len() < 3 {
        return None;
    }
    if ENGLISH_STOPWORDS.contains(&word) {
        return None;
    }
    let stem = if word.len() > 4 && word.ends_with("ies") {
        format!("{}y", &word[..word.len() - 3])
    } else if word.len() > 3 && word.ends_with('s') && !word.ends_with("ss") {
        word[..word.len() - 1].to_string()
    } else {
        word.to_string()
    };
    Some(stem)
}

/// One learned translation pair.
#[derive(Debug, Clone, PartialEq)]
struct Entry {
    source_word: u32,
    target_word: u32,
}

/// Learns word pairs from the confident beads of a first alignment and adds
/// them to `features` as `lexicon` anchors. Returns how many pairs were
/// learned (0: the features are unchanged and a second pass is pointless).
pub(crate) fn learn_into(
    source: &[Segment],
    target: &[Segment],
    first_pass: &[Bead],
    features: &mut DocumentFeatures,
) -> usize {
    let training: Vec<&Bead> = first_pass
        .iter()
        .filter(|b| !b.is_null() && b.confidence >= super::tune("LC", LEARN_CONFIDENCE))
        .collect();
    if training.len() < MIN_TRAINING_BEADS {
        return 0;
    }
    let words = Words::of(source, target);
    let entries = learn(&words, &training);
    if entries.is_empty() {
        return 0;
    }

    add_anchors(&words, &entries, features);
    entries.len()
}

fn learn(words: &Words, training: &[&Bead]) -> Vec<Entry> {
    let group = |sentences: &[Vec<u32>], indices: &[usize]| -> Vec<u32> {
        let mut all: Vec<u32> = indices.iter().flat_map(|&k| sentences[k].iter().copied()).collect();
        all.sort_unstable();
        all.dedup();
        all
    };
    let mut source_count = vec![0u32; words.source_vocabulary.len()];
    let mut target_count = vec![0u32; words.target_vocabulary.len()];
    let mut together: HashMap<(u32, u32), u32> = HashMap::new();
    for bead in training {
        let source_words = group(&words.source, &bead.source);
        let target_words = group(&words.target, &bead.target);
        for &a in &source_words {
            source_count[a as usize] += 1;
        }
        for &e in &target_words {
            target_count[e as usize] += 1;
        }
        for &a in &source_words {
            for &e in &target_words {
                *together.entry((a, e)).or_insert(0) += 1;
            }
        }
    }
    let mut entries: Vec<Entry> = together
        .into_iter()
        .filter(|&((a, e), both)| {
            let dice = 2.0 * f64::from(both) / f64::from(source_count[a as usize] + target_count[e as usize]);
            both >= super::tune("MPB", f64::from(MIN_PAIR_BEADS)) as u32
                && dice >= super::tune("MD", MIN_DICE)
        })
        .map(|((source_word, target_word), _)| Entry { source_word, target_word })
        .collect();
    // HashMap order is not deterministic; ids must be.
    entries.sort_unstable_by_key(|entry| (entry.source_word, entry.target_word));
    entries
}

/// Gives every entry an anchor id after the existing ones and attaches it
/// to the sentences that contain its word, weighted like other anchors (by
/// how many sentences carry it).
fn add_anchors(words: &Words, entries: &[Entry], features: &mut DocumentFeatures) {
    let first_id = features.labels.len() as u32;
    let mut by_source_word: HashMap<u32, Vec<u32>> = HashMap::new();
    let mut by_target_word: HashMap<u32, Vec<u32>> = HashMap::new();
    for (k, entry) in entries.iter().enumerate() {
        let id = first_id + k as u32;
        by_source_word.entry(entry.source_word).or_default().push(id);
        by_target_word.entry(entry.target_word).or_default().push(id);
        let (a, e) = (
            &words.source_vocabulary[entry.source_word as usize],
            &words.target_vocabulary[entry.target_word as usize],
        );
        features.labels.push(format!("{a} → {e}"));
        features.keys.push(format!("{a} {e}"));
    }
    let anchor_ids = |sentences: &[Vec<u32>], by_word: &HashMap<u32, Vec<u32>>| -> Vec<Vec<u32>> {
        sentences
            .iter()
            .map(|sentence| sentence.iter().filter_map(|w| by_word.get(w)).flatten().copied().collect())
            .collect()
    };
    let source_ids = anchor_ids(&words.source, &by_source_word);
    let target_ids = anchor_ids(&words.target, &by_target_word);
    let mut df = vec![(0u32, 0u32); entries.len()];
    for ids in &source_ids {
        for &id in ids {
            df[(id - first_id) as usize].0 += 1;
        }
    }
    for ids in &target_ids {
        for &id in ids {
            df[(id - first_id) as usize].1 += 1;
        }
    }
    let weight = super::tune("LW", f64::from(kind_weight(AnchorKind::Lexicon))) as f32;
    let attach = |units: &mut [super::features::Unit], ids: Vec<Vec<u32>>| {
        for (unit, ids) in units.iter_mut().zip(ids) {
            for id in ids {
                let (s, t) = df[(id - first_id) as usize];
                let anchor =
                    Anchor { id, kind: AnchorKind::Lexicon, weight: weight / s.max(t).max(1) as f32 };
                unit.anchors.push(anchor);
            }
            // Lexicon ids come after every other id: still sorted.
            if unit.anchors.len() > MAX_ANCHORS_PER_UNIT {
                unit.anchors.sort_unstable_by(|a, b| b.weight.total_cmp(&a.weight).then(a.id.cmp(&b.id)));
                unit.anchors.truncate(MAX_ANCHORS_PER_UNIT);
                unit.anchors.sort_unstable_by_key(|anchor| anchor.id);
            }
        }
    };
    attach(&mut features.source, source_ids);
    attach(&mut features.target, target_ids);
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn arabic_stems_drop_clitics_and_suffixes() {
        let stem = |w: &str| arabic_stem(&match_key(w));
        assert_eq!(stem("والمستشفيات"), stem("المستشفى"));
        assert_eq!(stem("الفيروس"), stem("فيروس"));
        assert_eq!(stem("في"), None);
        assert_eq!(stem("2017"), None);
    }

    #[test]
    fn english_stems_drop_plurals_and_function_words() {
        assert_eq!(english_stem("hospitals"), english_stem("hospital"));
        assert_eq!(english_stem("countries"), Some("country".into()));
        assert_eq!(english_stem("the"), None);
        assert_eq!(english_stem("class"), Some("class".into()));
    }
}
