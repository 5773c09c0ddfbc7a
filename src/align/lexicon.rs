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

use std::borrow::Cow;
use std::collections::HashMap;

use super::Bead;
use super::features::{Anchor, AnchorKind, DocumentFeatures, DocumentFrequency, Pruning, attach_anchors};
use crate::lang::is_arabic_letter;
use crate::normalize::match_key;
use crate::segment::Segment;

/// Beads at least this sure are the training corpus.
pub(crate) const LEARN_CONFIDENCE: f64 = 0.9;
/// When fewer than this share of the first pass's non-null beads reach
/// [`LEARN_CONFIDENCE`] (free translations, where length says little:
/// 4–30 of 30–106 beads on the generated freer cases, and 0–45 word pairs
/// learned), the lexicon learns from the beads of at least
/// [`FEW_CONFIDENT_LEARN_CONFIDENCE`] instead. Most of those are right or
/// one sentence off, and a pair must still recur in
/// [`MIN_PAIR_BEADS`] beads with a high Dice, which a one-off misalignment
/// does not give. News documents (most beads confident) are unchanged.
/// Measured on the freer cases: shares 0.3–0.6 and 0.4–0.6 confidence
/// all gain; 0.5 and 0.5 most (link F1 +1.7 / +2.8 alone).
const FEW_CONFIDENT_SHARE: f64 = 0.5;
const FEW_CONFIDENT_LEARN_CONFIDENCE: f64 = 0.5;
/// A word pair must occur together in this many training beads.
const MIN_PAIR_BEADS: u32 = 3;
/// And its Dice coefficient must reach this (1 = always together).
const MIN_DICE: f64 = 0.7;
/// A source word keeps at most this many English words (a word that
/// co-occurs with many is part of a phrase, or a coincidence).
const MAX_RENDERINGS: usize = 2;
/// A word found in more than this share of the sentences of its side is a
/// function word of this document (and says nothing about which sentence
/// is which).
const MAX_WORD_SHARE: f64 = 0.3;
/// In a short document a word may fill this many sentences and still be a
/// content word (the stopword lists catch the function words there).
const MIN_WORD_LIMIT: f64 = 6.0;
/// At most this many beads are read (evenly spread over a long document).
const MAX_TRAINING_BEADS: usize = 1500;
/// Fewer training beads than this teach nothing reliable.
const MIN_TRAINING_BEADS: usize = 4;

/// Function words the frequency filter can miss in short documents, in
/// their normalized form; sorted (binary search).
const ARABIC_STOPWORDS: &[&str] = &[
    "اذا",
    "الا",
    "التي",
    "الذي",
    "الذين",
    "الي",
    "اليه",
    "ام",
    "اما",
    "ان",
    "انه",
    "انها",
    "او",
    "اي",
    "ايضا",
    "بعد",
    "به",
    "بها",
    "بين",
    "تكون",
    "تلك",
    "تم",
    "ثم",
    "حتي",
    "حيث",
    "خلال",
    "دون",
    "ذلك",
    "ضد",
    "عبر",
    "علي",
    "عليه",
    "عليها",
    "عن",
    "عند",
    "غير",
    "فقط",
    "في",
    "فيه",
    "فيها",
    "قبل",
    "قد",
    "كان",
    "كانت",
    "كل",
    "كما",
    "لا",
    "لقد",
    "لكن",
    "لم",
    "لن",
    "له",
    "لها",
    "ما",
    "مع",
    "من",
    "منذ",
    "منه",
    "منها",
    "نحو",
    "هذا",
    "هذه",
    "هم",
    "هو",
    "هي",
    "وفي",
    "وقد",
    "يتم",
    "يكون",
];
const ENGLISH_STOPWORDS: &[&str] = &[
    "about", "after", "all", "also", "and", "any", "are", "because", "been", "before", "being", "between",
    "both", "but", "can", "could", "did", "doe", "does", "during", "each", "for", "from", "had", "has",
    "have", "her", "here", "him", "his", "how", "into", "its", "just", "may", "might", "more", "most", "not",
    "one", "only", "onto", "other", "our", "out", "over", "own", "per", "said", "same", "say", "says", "she",
    "should", "since", "some", "such", "than", "that", "the", "their", "them", "then", "there", "these",
    "they", "this", "those", "through", "under", "upon", "very", "was", "well", "were", "what", "when",
    "where", "which", "while", "who", "whom", "whose", "will", "with", "would", "you", "your",
];

/// The content words of every sentence, as small integers.
struct Words {
    source: Vec<Vec<u32>>,
    target: Vec<Vec<u32>>,
    source_vocabulary: Vec<String>,
    target_vocabulary: Vec<String>,
}

impl Words {
    /// The words of the sentences marked in `needed` (the others are left
    /// empty: tokenizing is the dear part of learning).
    fn of(source: &[Segment], target: &[Segment], needed: &Needed) -> Words {
        let work = needed.source.iter().chain(&needed.target).filter(|&&n| n).count();
        let ((source, source_vocabulary), (target, target_vocabulary)) = super::parallel::join(
            work,
            || index(source, &needed.source, arabic_stem),
            || index(target, &needed.target, english_stem),
        );
        Words { source, target, source_vocabulary, target_vocabulary }
    }
}

/// Which sentences of each side the lexicon needs to know.
struct Needed {
    source: Vec<bool>,
    target: Vec<bool>,
}

/// Per needed sentence, the sorted ids of its content words (frequent words
/// left out), and the words by id.
fn index(
    segments: &[Segment],
    needed: &[bool],
    stem: fn(&str) -> Option<Cow<'_, str>>,
) -> (Vec<Vec<u32>>, Vec<String>) {
    let mut ids: HashMap<String, u32> = HashMap::new();
    let mut vocabulary = Vec::new();
    let mut sentences: Vec<Vec<u32>> = (segments.iter().zip(needed))
        .map(|(segment, &needed)| {
            if !needed {
                return Vec::new();
            }
            let key = match_key(&segment.text);
            let mut words: Vec<u32> = content_words(&key)
                .filter_map(stem)
                .map(|word| match ids.get(word.as_ref()) {
                    Some(&id) => id,
                    None => {
                        let id = vocabulary.len() as u32;
                        ids.insert(word.to_string(), id);
                        vocabulary.push(word.into_owned());
                        id
                    }
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
    // Words in fewer sentences than a pair needs beads can never pair.
    let indexed = needed.iter().filter(|&&n| n).count();
    let limit = (MAX_WORD_SHARE * indexed as f64).max(MIN_WORD_LIMIT) as usize;
    for words in &mut sentences {
        words.retain(|&w| (MIN_PAIR_BEADS as usize..=limit).contains(&frequency[w as usize]));
    }
    (sentences, vocabulary)
}

/// The words of a match key: runs of ASCII letters and digits or Arabic
/// letters.
pub(crate) fn content_words(key: &str) -> impl Iterator<Item = &str> {
    key.split(|c: char| !(c.is_ascii_alphanumeric() || is_arabic_letter(c))).filter(|word| !word.is_empty())
}

/// The light stem of a normalized Arabic word (after Larkey's light10):
/// conjunction و, article forms, then common suffixes; `None` for function
/// words, numbers and words too short to say anything.
pub(crate) fn arabic_stem(word: &str) -> Option<Cow<'_, str>> {
    if !word.chars().next().is_some_and(is_arabic_letter) || ARABIC_STOPWORDS.binary_search(&word).is_ok() {
        return None;
    }
    let letters = |w: &str| w.chars().count();
    let mut stem = word;
    if letters(stem) >= 4
        && let Some(rest) = stem.strip_prefix('و')
    {
        stem = rest;
    }
    const ARTICLES: [&str; 6] = ["وال", "بال", "كال", "فال", "ال", "لل"];
    if let Some(rest) = ARTICLES.iter().find_map(|a| stem.strip_prefix(a).filter(|rest| letters(rest) >= 2)) {
        stem = rest;
    }
    const SUFFIXES: [&str; 9] = ["ها", "ان", "ات", "ون", "ين", "يه", "ه", "ي", "ا"];
    for suffix in SUFFIXES {
        if let Some(rest) = stem.strip_suffix(suffix).filter(|rest| letters(rest) >= 2) {
            stem = rest;
        }
    }
    (letters(stem) >= 3 && ARABIC_STOPWORDS.binary_search(&stem).is_err()).then_some(Cow::Borrowed(stem))
}

/// A lower-cased English word without a plural or possessive `s`; `None`
/// for function words, numbers and short words.
pub(crate) fn english_stem(word: &str) -> Option<Cow<'_, str>> {
    if word.len() < 3
        || !word.bytes().all(|b| b.is_ascii_alphabetic())
        || ENGLISH_STOPWORDS.binary_search(&word).is_ok()
    {
        return None;
    }
    // ASCII only from here: byte slicing is on char boundaries.
    Some(if word.len() > 4 && word.ends_with("ies") {
        Cow::Owned(format!("{}y", &word[..word.len() - 3]))
    } else if word.len() > 3 && word.ends_with('s') && !word.ends_with("ss") {
        Cow::Borrowed(&word[..word.len() - 1])
    } else {
        Cow::Borrowed(word)
    })
}

/// Whether fewer than [`FEW_CONFIDENT_SHARE`] of the non-null beads reach
/// [`LEARN_CONFIDENCE`]: a free translation, where length says little.
pub(crate) fn few_confident(beads: &[Bead]) -> bool {
    let linked = beads.iter().filter(|bead| !bead.is_null());
    let (mut all, mut confident) = (0usize, 0usize);
    for bead in linked {
        all += 1;
        confident += usize::from(bead.confidence >= LEARN_CONFIDENCE);
    }
    (confident as f64) < FEW_CONFIDENT_SHARE * all as f64
}

/// One learned translation pair.
#[derive(Debug, Clone, PartialEq)]
struct Entry {
    source_word: u32,
    target_word: u32,
}

/// Learns word pairs from the confident beads of a first alignment and adds
/// them to `features` as `lexicon` anchors, on the sentences of the beads
/// the second pass will align again (those below [`LEARN_CONFIDENCE`] and
/// `realign_margin` beads around them). Returns how many pairs were
/// learned (0: the features are unchanged and a second pass is pointless).
pub(crate) fn learn_into(
    source: &[Segment],
    target: &[Segment],
    first_pass: &[Bead],
    realign_margin: usize,
    features: &mut DocumentFeatures,
) -> usize {
    let trained_from = |least: f64| -> Vec<&Bead> {
        (first_pass.iter()).filter(|bead| !bead.is_null() && bead.confidence >= least).collect()
    };
    let all_training = if few_confident(first_pass) {
        trained_from(FEW_CONFIDENT_LEARN_CONFIDENCE)
    } else {
        trained_from(LEARN_CONFIDENCE)
    };
    if all_training.len() < MIN_TRAINING_BEADS {
        return 0;
    }
    // A long document's lexicon is learned from an even sample of its
    // beads: enough to learn its vocabulary, and the time stays bounded.
    let stride = all_training.len().div_ceil(MAX_TRAINING_BEADS);
    let training: Vec<&Bead> = all_training.into_iter().step_by(stride).collect();
    let mut needed = Needed { source: vec![false; source.len()], target: vec![false; target.len()] };
    let mut mark = |bead: &Bead| {
        bead.source.iter().for_each(|&i| needed.source[i] = true);
        bead.target.iter().for_each(|&j| needed.target[j] = true);
    };
    training.iter().for_each(|bead| mark(bead));
    // The anchors matter only where the second pass aligns again.
    for (k, bead) in first_pass.iter().enumerate() {
        if bead.confidence < LEARN_CONFIDENCE {
            let window = k.saturating_sub(realign_margin)..(k + realign_margin + 1).min(first_pass.len());
            first_pass[window].iter().for_each(&mut mark);
        }
    }
    let words = Words::of(source, target, &needed);
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
    let groups: Vec<(Vec<u32>, Vec<u32>)> = (training.iter())
        .map(|bead| (group(&words.source, &bead.source), group(&words.target, &bead.target)))
        .collect();
    // Every co-occurrence, bucketed by source word (a counting sort: the
    // ids are dense), then each source word's target words sorted and
    // counted in runs. The same pairs in the same order as sorting them
    // all at once, in a fraction of the time (this runs between the passes,
    // on one thread).
    let mut bucket_start = vec![0usize; words.source_vocabulary.len() + 1];
    for (source_words, target_words) in &groups {
        for &a in source_words {
            source_count[a as usize] += 1;
            bucket_start[a as usize + 1] += target_words.len();
        }
        for &e in target_words {
            target_count[e as usize] += 1;
        }
    }
    for a in 1..bucket_start.len() {
        bucket_start[a] += bucket_start[a - 1];
    }
    let mut filled = bucket_start.clone();
    let mut together = vec![0u32; bucket_start.last().copied().unwrap_or(0)];
    for (source_words, target_words) in &groups {
        for &a in source_words {
            let at = filled[a as usize];
            together[at..at + target_words.len()].copy_from_slice(target_words);
            filled[a as usize] += target_words.len();
        }
    }
    let mut candidates: Vec<(Entry, f64)> = Vec::new();
    for (a, bounds) in bucket_start.windows(2).enumerate() {
        let targets = &mut together[bounds[0]..bounds[1]];
        targets.sort_unstable();
        for run in targets.chunk_by(|x, y| x == y) {
            let e = run[0];
            let both = run.len() as u32;
            let dice = 2.0 * f64::from(both) / f64::from(source_count[a] + target_count[e as usize]);
            if both >= MIN_PAIR_BEADS && dice >= MIN_DICE {
                candidates.push((Entry { source_word: a as u32, target_word: e }, dice));
            }
        }
    }
    // Candidates are grouped by source word (sorted keys); each keeps its
    // best few renderings, the strongest first, ties in id order.
    let mut entries = Vec::new();
    for group in candidates.chunk_by_mut(|x, y| x.0.source_word == y.0.source_word) {
        group.sort_by(|x, y| y.1.total_cmp(&x.1).then(x.0.target_word.cmp(&y.0.target_word)));
        entries.extend(group.iter().take(MAX_RENDERINGS).map(|(entry, _)| entry.clone()));
    }
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
    let frequency = DocumentFrequency::count(
        entries.len(),
        source_ids.iter().flatten().map(|&id| id - first_id),
        target_ids.iter().flatten().map(|&id| id - first_id),
    );
    // Every entry is kept (`Pruning::KeepAll`), unlike the text and
    // dictionary anchors. The entry's words passed this module's own,
    // document-relative frequency window (`MIN_PAIR_BEADS` ..= `MAX_WORD_SHARE`
    // of the sentences, see `index`) and were paired in confident beads,
    // so both occur on both sides by construction: the one-side drop could
    // never fire. The absolute minimum weight could: in a document of 70
    // or more indexed sentences a side the window admits a word in more
    // than 20 sentences (weight 2.0 / 21 < `MIN_ANCHOR_WEIGHT`). Those pairs are
    // what the second pass and its thresholds were tuned with (the
    // evaluation baseline pins the output), and a frequent learned pair
    // still tells an uncertain stretch's sentences apart, so they stay.
    let attach = |units: &mut [super::features::Unit], ids: Vec<Vec<u32>>| {
        for (unit, ids) in units.iter_mut().zip(ids) {
            let anchors = ids.into_iter().filter_map(|id| {
                let weight =
                    frequency.weight((id - first_id) as usize, AnchorKind::Lexicon, Pruning::KeepAll)?;
                Some(Anchor { id, kind: AnchorKind::Lexicon, weight })
            });
            attach_anchors(unit, anchors);
        }
    };
    attach(&mut features.source, source_ids);
    attach(&mut features.target, target_ids);
}

#[cfg(test)]
mod tests {
    use super::*;

    fn segments(lines: &[&str], lang: crate::lang::Lang) -> Vec<Segment> {
        lines
            .iter()
            .map(|text| Segment { text: text.to_string(), lang, paragraph: 0, start: 0, end: text.len() })
            .collect()
    }

    #[test]
    fn learns_word_pairs_from_confident_beads_and_anchors_uncertain_ones() {
        use crate::lang::Lang;
        let source = segments(
            &[
                "نقل المصابون إلى المستشفى بعد الهجوم.",
                "وقال الطبيب إن المستشفيات مكتظة.",
                "أغلقت المدارس في المدينة.",
                "وصل الجرحى إلى مستشفى المدينة مساء.",
                "تحدث الوزير عن الاقتصاد.",
                "وزار الوزير المستشفى اليوم.",
            ],
            Lang::Ar,
        );
        let target = segments(
            &[
                "The wounded were taken to hospital after the attack.",
                "The doctor said the hospitals were crowded.",
                "Schools in the city were closed.",
                "The injured reached the city hospital in the evening.",
                "The minister spoke about the economy.",
                "The minister visited the hospital today.",
            ],
            Lang::En,
        );
        let bead = |k: usize, confidence: f64| Bead {
            source: vec![k],
            target: vec![k],
            confidence,
            evidence: vec![],
        };
        // The last bead is the uncertain one the second pass looks at again.
        let first_pass: Vec<Bead> = (0..6).map(|k| bead(k, if k == 5 { 0.5 } else { 1.0 })).collect();
        let mut features = super::super::features::extract(&source, &target, &[], &[]);
        assert!(learn_into(&source, &target, &first_pass, 1, &mut features) > 0);
        let lexicon_labels = |unit: &super::super::features::Unit| -> Vec<String> {
            (unit.anchors.iter())
                .filter(|a| a.kind == AnchorKind::Lexicon)
                .map(|a| features.labels[a.id as usize].clone())
                .collect()
        };
        let hospital = "مستشف → hospital".to_string();
        assert!(lexicon_labels(&features.source[5]).contains(&hospital), "{:?}", features.labels);
        assert!(lexicon_labels(&features.target[5]).contains(&hospital));
        // A word seen in only two beads teaches nothing.
        let learned: Vec<String> = features.target.iter().flat_map(lexicon_labels).collect();
        assert!(!learned.iter().any(|l| l.contains("minister")), "{learned:?}");
    }

    #[test]
    fn too_few_confident_beads_teach_nothing() {
        use crate::lang::Lang;
        let source = segments(&["زار الوزير المستشفى.", "زار الوزير المستشفى مجددا."], Lang::Ar);
        let target = segments(&["The minister visited the hospital.", "He visited it again."], Lang::En);
        let first_pass: Vec<Bead> = (0..2)
            .map(|k| Bead { source: vec![k], target: vec![k], confidence: 1.0, evidence: vec![] })
            .collect();
        let mut features = super::super::features::extract(&source, &target, &[], &[]);
        let anchors_before = features.labels.len();
        assert_eq!(learn_into(&source, &target, &first_pass, 1, &mut features), 0);
        assert_eq!(features.labels.len(), anchors_before);
    }

    #[test]
    fn stopword_lists_are_sorted_for_binary_search() {
        for list in [ARABIC_STOPWORDS, ENGLISH_STOPWORDS] {
            assert!(list.windows(2).all(|pair| pair[0] < pair[1]));
        }
    }

    #[test]
    fn arabic_stems_drop_clitics_and_suffixes() {
        let stem = |w: &str| arabic_stem(&match_key(w)).map(Cow::into_owned);
        assert_eq!(stem("والمستشفيات"), stem("المستشفى"));
        assert_eq!(stem("الفيروس"), stem("فيروس"));
        assert_eq!(stem("في"), None);
        assert_eq!(stem("2017"), None);
    }

    #[test]
    fn english_stems_drop_plurals_and_function_words() {
        assert_eq!(english_stem("hospitals"), english_stem("hospital"));
        assert_eq!(english_stem("countries").as_deref(), Some("country"));
        assert_eq!(english_stem("the"), None);
        assert_eq!(english_stem("class").as_deref(), Some("class"));
    }
}
