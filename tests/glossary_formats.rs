//! The house glossary `glossaries/syria.txt` (checked by a minimal reader of
//! its own, independent of the glossary parser) and the exchange formats of
//! `dragoman::glossary::formats`: CSV, TSV export, TBX 2008 and TBX v3.

mod support;

use std::collections::{HashMap, HashSet};

use dragoman::glossary::formats::{self, ExternalFormat, FormatError};
use dragoman::glossary::{Entry, Glossary, Recognizer, Rendering, TermType};
use dragoman::normalize::match_key;
use support::read_repo;

const HEADER: &str = "# source\ttarget\tcomment\tvariants\taccepted\tforbidden\ttype\tflags\tnote\tshort";

// ---------------------------------------------------------------------------
// A minimal reader of the native format, for checking the data file alone.

fn list(text: &str) -> Vec<String> {
    text.split('|').map(str::trim).filter(|s| !s.is_empty()).map(String::from).collect()
}

/// Parses native tab-separated text; panics with file:line on anything wrong.
fn parse_native(text: &str, name: &str) -> Vec<Entry> {
    let mut entries = Vec::new();
    for (index, line) in text.lines().enumerate() {
        let line_no = index + 1;
        if line.starts_with('#') || line.trim().is_empty() {
            continue;
        }
        let fields: Vec<&str> = line.split('\t').collect();
        assert!(fields.len() >= 2 && fields.len() <= 10, "{name}:{line_no}: {} columns", fields.len());
        let field = |i: usize| fields.get(i).copied().unwrap_or("");
        let kind = match field(6) {
            "group" => TermType::Group,
            "place" => TermType::Place,
            "person" => TermType::Person,
            "organization" => TermType::Organization,
            "other" => TermType::Other,
            other => panic!("{name}:{line_no}: bad type `{other}`"),
        };
        let flags = list(field(7));
        for flag in &flags {
            assert!(
                flag == "ambiguous" || flag == "derived" || flag == "one-form",
                "{name}:{line_no}: bad flag `{flag}`"
            );
        }
        entries.push(Entry {
            source: field(0).to_string(),
            target: field(1).to_string(),
            comment: field(2).to_string(),
            variants: list(field(3)),
            accepted: list(field(4)),
            forbidden: list(field(5)),
            kind,
            ambiguous: flags.iter().any(|f| f == "ambiguous"),
            derived: flags.iter().any(|f| f == "derived"),
            one_form: flags.iter().any(|f| f == "one-form"),
            note: field(8).to_string(),
            short: list(field(9)),
            origin: Some((name.to_string(), line_no)),
        });
    }
    entries
}

fn syria() -> Vec<Entry> {
    parse_native(&read_repo("glossaries/syria.txt"), "glossaries/syria.txt")
}

fn without_origin(entries: Vec<Entry>) -> Vec<Entry> {
    entries.into_iter().map(|entry| Entry { origin: None, ..entry }).collect()
}

fn arabic_forms(entry: &Entry) -> impl Iterator<Item = &String> {
    std::iter::once(&entry.source).chain(&entry.variants)
}

fn english_forms(entry: &Entry) -> impl Iterator<Item = &String> {
    std::iter::once(&entry.target).chain(&entry.accepted)
}

// ---------------------------------------------------------------------------
// glossaries/syria.txt

/// A row of `../shared/notes/house-style.md`: Arabic forms, approved, also
/// accepted, flagged (forbidden), homograph.
type HouseStyleRow =
    (&'static [&'static str], &'static str, &'static [&'static str], &'static [&'static str], bool);

const HOUSE_STYLE: &[HouseStyleRow] = &[
    (
        &["داعش", "تنظيم الدولة", "الدولة الإسلامية", "تنظيم الدولة الإسلامية"],
        "ISIS",
        &[],
        &["ISIL", "Daesh", "Da'esh", "IS", "Islamic State"],
        false,
    ),
    (
        &["وحدات حماية الشعب"],
        "YPG",
        &["People's Protection Units (YPG)", "People's Protection Units"],
        &["People's Defense Units"],
        false,
    ),
    (
        &[
            "قوات سوريا الديمقراطية",
            "قوات سورية الديمقراطية",
            "سوريا الديمقراطية",
            "سورية الديمقراطية",
            "قسد",
        ],
        "SDF",
        &["Syrian Democratic Forces (SDF)", "Syrian Democratic Forces"],
        &["QSD", "Democratic Forces of Syria"],
        false,
    ),
    (&["الرقة"], "Raqqa", &[], &["Raqa", "Rakka", "Raqqah", "al-Raqqa", "Ar-Raqqah"], false),
    (&["الرقة السمرا"], "Raqqa al-Samra", &[], &["Raqqa Samra", "Raqqa al-Samraa"], false),
    (&["المشلب"], "al-Mashlab", &[], &["al-Mishlab", "Meshleb"], false),
    (&["الرميلة"], "al-Rumaila", &[], &["Rumeilah", "Romaila"], false),
    (&["الدرعية"], "al-Dar'iya", &[], &["Daraya", "Darayya", "Diriyah"], false),
    (&["محالج الأقطان"], "cotton gins", &[], &["cotton factory"], false),
    (&["سد الفرات"], "Euphrates Dam", &["Tabqa Dam"], &["Thawra Dam"], false),
    (&["الفرات"], "Euphrates", &[], &["Furat"], false),
    (&["البادية"], "Badia", &["Badia desert"], &[], true),
    (&["تدمر"], "Palmyra", &[], &["Tadmur", "Tadmor"], true),
    (&["حمص"], "Homs", &[], &["Hims"], true),
    (&["الموصل"], "Mosul", &[], &["Mawsil"], false),
    (&["انترفاكس", "إنترفاكس"], "Interfax", &[], &[], false),
    (&["طلال سلو"], "Talal Silo", &[], &["Talal Sillo", "Talal Selo"], false),
    (&["دير الزور"], "Deir ez-Zor", &[], &["Deir al-Zor", "Deir el-Zour", "Deir Ezzor"], false),
    (&["منبج"], "Manbij", &[], &["Manbej"], false),
    (&["الطبقة"], "Tabqa", &[], &["Tabqah"], true),
    (&["عين عيسى"], "Ain Issa", &[], &["Ein Issa"], false),
    (&["تل أبيض"], "Tal Abyad", &[], &["Tel Abyad"], false),
    (&["الحسكة"], "Hasakah", &[], &["Hasaka", "Hassakeh"], true), // homograph: "the thorn, spike" (TICO-19: a virus's spike protein)
    (&["القامشلي"], "Qamishli", &[], &["Qamishly", "Kamishli"], false),
    (&["حلب"], "Aleppo", &[], &["Halab"], true),
];

#[test]
fn syria_glossary_is_well_formed() {
    let text = read_repo("glossaries/syria.txt");
    assert_eq!(text.lines().next(), Some(HEADER), "the first line names the columns exactly");
    let entries = syria();
    assert!(entries.len() >= 150, "only {} entries", entries.len());
    for entry in &entries {
        let (_, line) = entry.origin.clone().unwrap();
        let at = format!("syria.txt:{line} ({})", entry.source);
        assert!(!entry.source.trim().is_empty() && !entry.target.trim().is_empty(), "{at}: empty term");
        assert!(!entry.note.trim().is_empty(), "{at}: every entry says where its rendering comes from");
        assert!(
            entry.source.chars().any(|c| ('\u{0600}'..='\u{06FF}').contains(&c)),
            "{at}: the source is Arabic"
        );
        assert!(
            !entry.target.chars().any(|c| ('\u{0600}'..='\u{06FF}').contains(&c)),
            "{at}: the target is English"
        );
        for form in arabic_forms(entry).chain(english_forms(entry)).chain(&entry.forbidden) {
            assert_eq!(form.trim(), form, "{at}: `{form}` has stray spaces");
        }
    }
    let kinds: HashSet<TermType> = entries.iter().map(|e| e.kind).collect();
    assert_eq!(kinds.len(), 5, "every type is used: {kinds:?}");
}

#[test]
fn syria_glossary_has_no_duplicate_or_colliding_arabic() {
    let mut owner: HashMap<String, &str> = HashMap::new();
    for entry in &syria() {
        for form in arabic_forms(entry) {
            let key = match_key(form);
            if let Some(first) = owner.insert(key, &entry.source) {
                assert_eq!(first, entry.source, "`{form}` of {} is already {first}", entry.source);
            }
        }
    }
}

#[test]
fn syria_glossary_follows_house_style_exactly() {
    let entries = syria();
    let set = |items: &[&str]| items.iter().map(|s| s.to_string()).collect::<HashSet<_>>();
    for (arabic, approved, accepted, forbidden, homograph) in HOUSE_STYLE {
        let entry = entries
            .iter()
            .find(|e| arabic_forms(e).any(|f| f == arabic[0]))
            .unwrap_or_else(|| panic!("house style row {} missing", arabic[0]));
        for form in *arabic {
            assert!(arabic_forms(entry).any(|f| f == form), "{}: Arabic form {form} missing", entry.source);
        }
        assert_eq!(entry.target, *approved, "{}", entry.source);
        assert_eq!(entry.accepted.iter().cloned().collect::<HashSet<_>>(), set(accepted), "{}", entry.source);
        assert_eq!(
            entry.forbidden.iter().cloned().collect::<HashSet<_>>(),
            set(forbidden),
            "{}",
            entry.source
        );
        assert_eq!(entry.ambiguous, *homograph, "{}: homograph flag", entry.source);
    }
}

/// English words the way term checks compare them: case-folded, curly
/// apostrophes straightened, hyphens as spaces.
fn english_words(text: &str) -> Vec<String> {
    text.replace(['’', '‘'], "'")
        .split(|c: char| !(c.is_alphanumeric() || c == '\''))
        .filter(|w| !w.is_empty())
        .map(str::to_lowercase)
        .collect()
}

/// A short all-caps form (`IS`, `QSD`) matches case-sensitively.
fn is_acronym(form: &str) -> bool {
    form.chars().count() <= 4 && form.chars().all(|c| c.is_ascii_uppercase())
}

fn contains_words(haystack: &str, needle: &str) -> bool {
    let (hay, need) = if is_acronym(needle) {
        let words = |t: &str| t.split(|c: char| !c.is_alphanumeric()).map(String::from).collect::<Vec<_>>();
        (words(haystack), vec![needle.to_string()])
    } else {
        (english_words(haystack), english_words(needle))
    };
    !need.is_empty() && hay.windows(need.len()).any(|w| w == need.as_slice())
}

#[test]
fn forbidden_forms_never_fire_inside_an_approved_form() {
    // House style forbids Daraya/Darayya as renderings of الدرعية (al-Dar'iya), and they are the
    // approved and accepted renderings of the town داريا itself: forbidden for one term, right for the other.
    let allowed = [("Daraya", "داريا"), ("Darayya", "داريا")];
    let entries = syria();
    for entry in &entries {
        for forbidden in &entry.forbidden {
            assert!(!forbidden.is_empty());
            for other in &entries {
                for form in english_forms(other) {
                    if contains_words(form, forbidden)
                        && !allowed.contains(&(forbidden.as_str(), &other.source))
                    {
                        panic!(
                            "forbidden `{forbidden}` ({}) is inside `{form}` ({})",
                            entry.source, other.source
                        );
                    }
                }
            }
        }
    }
    // The checker above is not vacuous.
    assert!(contains_words("al-Raqqa province", "al-Raqqa"));
    assert!(!contains_words("Raqqa al-Samra", "al-Raqqa"));
    assert!(!contains_words("this is ISIS", "IS"));
}

/// Arabic words of `text` under the match key, punctuation and quotes as spaces.
fn arabic_words(text: &str) -> Vec<String> {
    match_key(text)
        .split(|c: char| !c.is_alphanumeric())
        .filter(|w| !w.is_empty())
        .map(String::from)
        .collect()
}

/// Whether the Arabic `term` occurs in `words`, allowing the proclitics of
/// `../shared/notes/arabic-text.md` on its first word.
fn has_arabic_term(words: &[String], term: &str) -> bool {
    let term = arabic_words(term);
    let Some((first, rest)) = term.split_first() else { return false };
    let mut surfaces = Vec::new();
    for prefix in ["", "و", "ف", "ب", "ك", "ل", "وب", "فب", "ول", "فل", "وك"] {
        surfaces.push(format!("{prefix}{first}"));
    }
    if let Some(core) = first.strip_prefix("ال") {
        for prefix in ["لل", "ولل", "فلل"] {
            surfaces.push(format!("{prefix}{core}"));
        }
    }
    words.windows(term.len()).any(|w| surfaces.contains(&w[0]) && w[1..] == *rest)
}

#[test]
fn syria_glossary_agrees_with_the_bundled_example() {
    let arabic = arabic_words(&read_repo("examples/raqqa-2017/ar.txt"));
    let english = read_repo("examples/raqqa-2017/en.txt");
    let mut found = 0;
    for entry in syria().iter().filter(|e| !e.ambiguous) {
        if !arabic_forms(entry).any(|form| has_arabic_term(&arabic, form)) {
            continue;
        }
        found += 1;
        assert!(
            english_forms(entry).any(|form| contains_words(&english, form)),
            "{} is in ar.txt but none of {:?} is in en.txt",
            entry.source,
            english_forms(entry).collect::<Vec<_>>()
        );
        for forbidden in &entry.forbidden {
            assert!(!contains_words(&english, forbidden), "en.txt uses `{forbidden}` ({})", entry.source);
        }
    }
    // الرقة، وحدات حماية الشعب، قسد، داعش، انترفاكس، طلال سلو، المشلب، الرميلة، الدرعية، سد الفرات …
    assert!(found >= 15, "only {found} glossary terms recognized in the example");
}

/// What `term-missing` and `term-forbidden` will see on the example: with the
/// glossary's own recognizer, paragraph by paragraph (the example's
/// paragraphs correspond one to one).
#[test]
fn recognizer_finds_every_example_term_rendered_the_house_way() {
    let glossary = Glossary::parse(&read_repo("glossaries/syria.txt"), "syria.txt").unwrap();
    let recognizer = Recognizer::new(&glossary);
    let paragraphs = |name: &str| -> Vec<String> {
        read_repo(name).split("\n\n").filter(|p| !p.trim().is_empty()).map(String::from).collect()
    };
    let (arabic, english) =
        (paragraphs("examples/raqqa-2017/ar.txt"), paragraphs("examples/raqqa-2017/en.txt"));
    assert_eq!(arabic.len(), english.len());
    let mut terms = 0;
    for (n, (ar, en)) in arabic.iter().zip(&english).enumerate() {
        let found: Vec<_> = recognizer.find_english(en);
        for term in recognizer.find_arabic(ar) {
            let entry = &glossary.entries()[term.entry];
            terms += 1;
            if entry.ambiguous {
                continue;
            }
            let rendered = found.iter().any(|m| m.entry == term.entry && m.rendering != Rendering::Forbidden);
            assert!(
                rendered,
                "paragraph {n}: `{}` ({}) has no approved rendering in: {en}",
                term.surface, entry.source
            );
        }
        let forbidden: Vec<_> = found.iter().filter(|m| m.rendering == Rendering::Forbidden).collect();
        assert!(forbidden.is_empty(), "paragraph {n}: forbidden {forbidden:?}");
    }
    assert!(terms >= 30, "only {terms} term occurrences recognized");
}

#[test]
fn clitic_matching_in_the_example_checker_is_real() {
    let words = arabic_words("قوافل لـ”داعش” وبالرقة وللرقة في الرقة السمرا");
    assert!(has_arabic_term(&words, "داعش"));
    assert!(has_arabic_term(&words, "الرقة"));
    assert!(has_arabic_term(&words, "الرقة السمرا"));
    assert!(!has_arabic_term(&words, "حمص"));
    assert!(!has_arabic_term(&arabic_words("رقة أخرى"), "الرقة"));
}

// ---------------------------------------------------------------------------
// Round trips

fn tricky_entry() -> Entry {
    Entry {
        source: "الرقّة \"القديمة\"".into(),
        target: "Raqqa's <old> city & walls".into(),
        comment: "a \"quoted\", <tagged> & 'apostrophed' comment; a|pipe is not a list here".into(),
        variants: vec!["الرقه القديمه".into()],
        accepted: vec!["old Raqqa, the walled city".into()],
        forbidden: vec!["Rakka".into()],
        kind: TermType::Place,
        ambiguous: true,
        derived: true,
        one_form: true,
        short: vec!["old city".into(), "ORC".into()],
        note: "house style; ‘curly’ quotes and, commas".into(),
        origin: None,
    }
}

fn round_trip(format: ExternalFormat, entries: &[Entry]) -> Vec<Entry> {
    let text = formats::export(entries, format);
    let imported = formats::import(&text, "exported", format)
        .unwrap_or_else(|e| panic!("{format}: re-import failed: {e}\n{}", &text[..text.len().min(2000)]));
    without_origin(imported)
}

#[test]
fn csv_and_tbx_round_trip_the_house_glossary() {
    let entries = without_origin(syria());
    for format in [ExternalFormat::Csv, ExternalFormat::Tbx2008, ExternalFormat::Tbx3] {
        let back = round_trip(format, &entries);
        assert_eq!(back.len(), entries.len(), "{format}");
        for (before, after) in entries.iter().zip(&back) {
            assert_eq!(before, after, "{format}");
        }
    }
}

#[test]
fn round_trips_keep_quotes_markup_and_commas() {
    let mut entry = tricky_entry();
    // The pipe separates list items in CSV and TSV, so only the comment may hold one.
    for format in [ExternalFormat::Csv, ExternalFormat::Tbx2008, ExternalFormat::Tbx3] {
        assert_eq!(round_trip(format, std::slice::from_ref(&entry)), [entry.clone()], "{format}");
    }
    entry.comment = entry.comment.replace('|', "/");
    let tsv = formats::export(std::slice::from_ref(&entry), ExternalFormat::Tsv);
    assert_eq!(without_origin(parse_native(&tsv, "t.tsv")), [entry]);
}

#[test]
fn short_forms_travel_as_tbx_term_types_and_omegat_csv_drops_them() {
    let entry = tricky_entry();
    for format in [ExternalFormat::Tbx2008, ExternalFormat::Tbx3] {
        let tbx = formats::export(std::slice::from_ref(&entry), format);
        for (form, kind) in [("ORC", "acronym"), ("old city", "shortForm")] {
            let term = format!(
                "<term>{form}</term><termNote type=\"administrativeStatus\">admittedTerm-admn-sts</termNote><termNote type=\"termType\">{kind}</termNote>"
            );
            assert!(tbx.contains(&term), "{format}: {form} as {kind}:\n{tbx}");
        }
    }
    let omegat = formats::export(std::slice::from_ref(&entry), ExternalFormat::OmegatCsv);
    assert!(!omegat.contains("ORC") && !omegat.contains("old city,"), "{omegat}");
    // A TBX from elsewhere: an admitted `abbreviation` is a short form, a
    // preferred `acronym` the approved rendering.
    let tbx = "<martif type=\"TBX\"><text><body><termEntry>\
               <langSet xml:lang=\"ar\"><tig><term>الأمم المتحدة</term></tig></langSet>\
               <langSet xml:lang=\"en\"><tig><term>United Nations</term>\
               <termNote type=\"administrativeStatus\">preferredTerm-admn-sts</termNote></tig>\
               <tig><term>UN</term><termNote type=\"termType\">abbreviation</termNote></tig></langSet>\
               </termEntry></body></text></martif>";
    let imported = formats::import(tbx, "un.tbx", ExternalFormat::Tbx2008).unwrap();
    assert_eq!(
        (imported[0].target.as_str(), imported[0].short.clone()),
        ("United Nations", vec!["UN".to_string()])
    );
    assert!(imported[0].accepted.is_empty());
}

#[test]
fn tsv_export_is_the_native_format() {
    let entries = without_origin(syria());
    let tsv = formats::export(&entries, ExternalFormat::Tsv);
    assert_eq!(tsv.lines().next(), Some(HEADER));
    assert_eq!(without_origin(parse_native(&tsv, "exported.txt")), entries);
    // … and the glossary's own parser reads it back the same.
    assert_eq!(without_origin(formats::import(&tsv, "exported.txt", ExternalFormat::Tsv).unwrap()), entries);
    // Tabs and line breaks inside a field cannot survive in one TSV line: they become spaces.
    let mut entry = tricky_entry();
    entry.comment = "two\nlines\tand a tab".into();
    let tsv = formats::export(&[entry], ExternalFormat::Tsv);
    assert_eq!(tsv.lines().count(), 2);
    assert!(tsv.contains("\ttwo lines and a tab\t"));
}

#[test]
fn spreadsheet_csv_has_a_byte_order_mark_and_omegat_csv_has_no_header() {
    let entries = without_origin(syria());
    let csv = formats::export(&entries, ExternalFormat::Csv);
    assert!(csv.starts_with("\u{FEFF}source,target,comment,"), "{}", &csv[..60]);
    // OmegaT 3.6 reads every row of a CSV glossary as a term: no header, the
    // first entry first, and the forbidden forms where OmegaT shows them.
    let omegat = formats::export(&entries, ExternalFormat::OmegatCsv);
    let first = omegat.lines().next().unwrap();
    assert!(first.starts_with(&format!("{},{},", entries[0].source, entries[0].target)), "{first}");
    assert!(first.contains("not: ISIL, Daesh"), "{first}");
    assert_eq!(omegat.lines().count(), entries.len());
    assert!(!omegat.starts_with('\u{FEFF}'));
    let back = formats::import(&omegat, "house.csv", ExternalFormat::OmegatCsv).unwrap();
    let pairs =
        |list: &[Entry]| list.iter().map(|e| (e.source.clone(), e.target.clone())).collect::<Vec<_>>();
    assert_eq!(pairs(&back), pairs(&entries));
    let entry = tricky_entry();
    let back = round_trip(ExternalFormat::OmegatCsv, std::slice::from_ref(&entry));
    assert_eq!((&*back[0].source, &*back[0].target), (&*entry.source, &*entry.target));
    assert_eq!(back[0].comment, format!("{}; not: Rakka", entry.comment));
}

#[test]
fn exports_omegat_would_not_read_are_named() {
    use std::path::Path;
    let warn = |format, path: &str| formats::omegat_extension_warning(format, Path::new(path));
    for fine in ["g.utf8", "g.TXT", "g.tab"] {
        assert_eq!(warn(ExternalFormat::Tsv, fine), None, "{fine}");
    }
    let tsv = warn(ExternalFormat::Tsv, "out/house.tsv").unwrap();
    assert!(tsv.contains("only from .utf8, .txt, .tab files") && tsv.contains("name it house.utf8"), "{tsv}");
    assert_eq!(warn(ExternalFormat::OmegatCsv, "house.csv"), None);
    assert!(warn(ExternalFormat::OmegatCsv, "house.txt").unwrap().contains("name it house.csv"));
    assert_eq!(warn(ExternalFormat::Tbx2008, "house.tbx"), None);
    assert!(warn(ExternalFormat::Tbx2008, "house.xml").is_some());
    assert!(
        warn(ExternalFormat::Tbx3, "house.tbx").unwrap().contains("neither OmegaT 3.6 nor Translate Toolkit")
    );
    assert_eq!(warn(ExternalFormat::Csv, "house.xlsx.csv"), None, "a spreadsheet CSV is not for OmegaT");
    assert_eq!(warn(ExternalFormat::Tsv, "-"), None);
}

#[test]
fn tbx_exports_have_the_structure_omegat_and_tbx_v3_expect() {
    let entries = without_origin(syria());
    let tbx2008 = formats::export(&entries[..3], ExternalFormat::Tbx2008);
    assert!(tbx2008.contains("<martif type=\"TBX-Basic\" xml:lang=\"ar\">"), "root without namespace");
    assert!(tbx2008.contains("<termEntry id=\"e1\">"));
    assert!(tbx2008.contains(
        "<langSet xml:lang=\"ar\">\n          <tig><term>داعش</term>\
         <termNote type=\"administrativeStatus\">preferredTerm-admn-sts</termNote></tig>"
    ));
    // OmegaT ignores the status: forbidden forms must not be terms it could offer.
    assert!(!tbx2008.contains("<term>Da'esh</term>") && !tbx2008.contains("deprecatedTerm-admn-sts"));
    assert!(tbx2008.contains("<note>dragoman-forbidden: ISIL|Daesh|Da'esh|IS|Islamic State</note>"));
    let tbx3 = formats::export(&entries[..3], ExternalFormat::Tbx3);
    assert!(tbx3.contains(
        "<tbx type=\"TBX-Basic\" style=\"dca\" xml:lang=\"ar\" xmlns=\"urn:iso:std:iso:30042:ed-2\">"
    ));
    assert!(tbx3.contains("<conceptEntry id=\"e2\">"));
    assert!(tbx3.contains(
        "<termSec><term>People's Protection Units</term>\
         <termNote type=\"administrativeStatus\">admittedTerm-admn-sts</termNote></termSec>"
    ));
    assert!(tbx3.contains(
        "<termSec><term>Da'esh</term><termNote type=\"administrativeStatus\">deprecatedTerm-admn-sts</termNote>"
    ));
    // Text is escaped by the one XML escaping of dragoman (TMX's): `'` needs none.
    assert!(!tbx2008.contains("&apos;") && !tbx3.contains("&apos;"));
    assert_eq!(formats::tbx_dialect(&tbx2008), Some(ExternalFormat::Tbx2008));
    assert_eq!(formats::tbx_dialect(&tbx3), Some(ExternalFormat::Tbx3));
}

#[test]
fn tbx_export_replaces_forbidden_controls_with_u_fffd_and_stays_well_formed() {
    // A term pasted with a stray control character (a bell from a terminal,
    // a form feed from a PDF): XML 1.0 cannot carry either, not even as a
    // reference.
    let mut entry = Entry::new("الرقة\u{7}", "Raqqa\u{C}");
    entry.comment = "city on the Euphrates\u{1B}".into();
    entry.forbidden = vec!["Rakka\u{0}".into()];
    for format in [ExternalFormat::Tbx2008, ExternalFormat::Tbx3] {
        let tbx = formats::export(std::slice::from_ref(&entry), format);
        assert!(!tbx.chars().any(|c| c.is_control() && c != '\n'), "{format}: {tbx}");
        assert!(tbx.contains("<term>الرقة\u{FFFD}</term>"), "{format}: {tbx}");
        assert!(tbx.contains("<term>Raqqa\u{FFFD}</term>"), "{format}: {tbx}");
        assert!(tbx.contains("city on the Euphrates\u{FFFD}</descrip>"), "{format}: {tbx}");
        assert!(tbx.contains("Rakka\u{FFFD}"), "{format}: {tbx}");
        // Well-formed: our own reader (quick-xml underneath) takes it back.
        let back = formats::import(&tbx, "exported.tbx", format).unwrap_or_else(|e| panic!("{format}: {e}"));
        assert_eq!(back.len(), 1);
        assert_eq!((back[0].source.as_str(), back[0].target.as_str()), ("الرقة\u{FFFD}", "Raqqa\u{FFFD}"));
        assert_eq!(back[0].forbidden, ["Rakka\u{FFFD}"]);
    }
}

// ---------------------------------------------------------------------------
// CSV import

#[test]
fn imports_the_tico19_google_terminology() {
    let name = "tests/fixtures/tico19/original/terminology_google_en-ar.csv";
    let entries = formats::import(&read_repo(name), name, ExternalFormat::Csv).unwrap();
    assert!(entries.len() > 250, "{}", entries.len());
    let cdc = entries.iter().find(|e| e.target == "CDC").unwrap();
    assert_eq!(cdc.source, "مركز مكافحة الأمراض والوقاية منها (CDC)");
    assert!(
        cdc.comment
            .starts_with("Short for \"Centers for Disease Control and Prevention\": a US federal agency")
    );
    assert_eq!(cdc.note, "terminology_google_en-ar.csv");
    assert_eq!(cdc.origin, Some((name.to_string(), 5)));
    // Rows that share the Arabic term (lines 24, 332, 336) merge into one entry.
    let who = entries.iter().find(|e| e.source == "منظمة الصحة العالمية").unwrap();
    assert_eq!(who.target, "World Health Organization");
    assert_eq!(who.accepted, ["WHO"]);
    assert_eq!(who.origin, Some((name.to_string(), 24)));
    let mut keys = HashSet::new();
    for entry in &entries {
        assert_eq!(entry.kind, TermType::Other);
        assert!(keys.insert(match_key(&entry.source)), "{} twice", entry.source);
        assert!(!entry.target.chars().any(|c| ('\u{0600}'..='\u{06FF}').contains(&c)), "{}", entry.target);
    }
}

#[test]
fn imports_the_tico19_facebook_terminology() {
    let name = "tests/fixtures/tico19/original/terminology_facebook_en-ar_AR.csv";
    let entries = formats::import(&read_repo(name), name, ExternalFormat::Csv).unwrap();
    assert!(entries.len() > 250, "{}", entries.len());
    let aids = entries.iter().find(|e| e.source == "الإيدز").unwrap();
    assert_eq!((aids.target.as_str(), aids.comment.as_str()), ("AIDS", ""));
    assert_eq!(aids.origin, Some((name.to_string(), 5)));
    let covid = entries.iter().find(|e| e.source == "كوفيد 19").unwrap();
    assert_eq!(covid.target, "cv19");
    assert_eq!(covid.accepted, ["cov 19", "COVID 19", "CV-19"]);
}

#[test]
fn imports_csv_with_our_column_names_in_any_order() {
    let name = "tests/fixtures/glossary/native-columns.csv";
    let entries = formats::import(&read_repo(name), name, ExternalFormat::Csv).unwrap();
    assert_eq!(entries.len(), 3);
    let isis = &entries[0];
    assert_eq!((isis.source.as_str(), isis.target.as_str()), ("داعش", "ISIS"));
    assert_eq!(isis.variants, ["تنظيم الدولة", "الدولة الإسلامية"]);
    assert_eq!(isis.forbidden, ["ISIL", "Daesh", "Da'esh", "IS", "Islamic State"]);
    assert_eq!(isis.comment, "jihadist group, also \"Islamic State\"");
    assert_eq!((isis.kind, isis.derived, isis.ambiguous), (TermType::Group, true, false));
    assert_eq!(isis.origin, Some((name.to_string(), 2)));
    let badia = &entries[1];
    assert_eq!(badia.comment, "Syrian desert steppe; homograph: \"the desert\"");
    assert_eq!(
        (badia.kind, badia.ambiguous, badia.accepted.as_slice()),
        (TermType::Place, true, &["Badia desert".to_string()][..])
    );
    // The quoted line break makes the next record start on line 5.
    assert_eq!(entries[2].origin, Some((name.to_string(), 5)));
    assert_eq!(entries[2].variants, ["انترفاكس"]);
}

fn csv_error(text: &str) -> String {
    formats::import(text, "bad.csv", ExternalFormat::Csv).unwrap_err().to_string()
}

#[test]
fn malformed_csv_is_reported_with_file_and_line() {
    assert_eq!(
        csv_error("source,target\nالرقة,Raqqa\n\"حمص,Homs\n"),
        "bad.csv:3: quoted field is never closed (a `\"` is missing)"
    );
    assert_eq!(
        csv_error("source,target\nالرقة,Raqqa,extra\n"),
        "bad.csv:2: expected 2 fields as in the header, found 3"
    );
    assert_eq!(
        csv_error("source,target,type\nالرقة,Raqqa,city\n"),
        "bad.csv:2: unknown type `city` (expected group, place, person, organization or other)"
    );
    assert_eq!(
        csv_error("source,target,flags\nحلب,Aleppo,homograph\n"),
        "bad.csv:2: unknown flag `homograph` (expected ambiguous, derived or one-form)"
    );
    assert_eq!(csv_error("source,target\n,Raqqa\n"), "bad.csv:2: empty source term");
    assert_eq!(
        csv_error("sourceLang,targetLang,sourceString,targetString\nen,fr,cat,chat\n"),
        "bad.csv:2: the row is en → fr; expected an Arabic–English pair"
    );
    assert!(csv_error("arabic,english\nالرقة,Raqqa\n").starts_with("bad.csv:1: unrecognized CSV header"));
    assert_eq!(csv_error(""), "bad.csv: empty file, expected a CSV header line");
    assert_eq!(csv_error("source,target\r\n\r\n"), "bad.csv: no entries, only a header line");
}

// ---------------------------------------------------------------------------
// TBX import

fn import_fixture(name: &str) -> formats::Imported {
    let path = format!("tests/fixtures/glossary/{name}");
    formats::import_with_skipped(&read_repo(&path), &path, ExternalFormat::Tbx2008).unwrap()
}

#[test]
fn imports_tbx_v3_in_the_ltac_test_file_style() {
    let imported = import_fixture("ltac-basic-dca.tbx");
    assert_eq!(imported.entries.len(), 3);
    let ypg = &imported.entries[0];
    assert_eq!((ypg.source.as_str(), ypg.target.as_str()), ("وحدات حماية الشعب", "YPG"));
    assert_eq!(ypg.accepted, ["People’s Protection Units"]);
    assert_eq!(ypg.forbidden, ["People's Defense Units"]);
    assert_eq!(ypg.comment, "Kurdish-led militia, core of the SDF");
    assert_eq!((ypg.note.as_str(), ypg.kind), ("house style", TermType::Group));
    assert_eq!(ypg.origin.as_ref().map(|o| o.1), Some(18));
    let raqqa = &imported.entries[1];
    assert_eq!(raqqa.target, "Raqqa", "the preferred term wins over one listed before it");
    assert_eq!(raqqa.forbidden, ["Ar-Raqqah", "Raqqah"], "superseded and deprecated are both forbidden");
    assert_eq!((raqqa.note.as_str(), raqqa.kind), ("city, capital of Raqqa governorate", TermType::Place));
    // Regional tags count, terms without a status: the first is approved, the rest accepted;
    // a subject field that is no type of ours gives `other`.
    let sdf = &imported.entries[2];
    assert_eq!(
        (sdf.source.as_str(), sdf.variants.as_slice()),
        ("قوات سوريا الديمقراطية", &["قسد".to_string()][..])
    );
    assert_eq!(
        (sdf.target.as_str(), sdf.accepted.as_slice()),
        ("SDF", &["Syrian Democratic Forces".to_string()][..])
    );
    assert_eq!((sdf.forbidden.as_slice(), sdf.kind), (&["QSD".to_string()][..], TermType::Other));
    // The English/French concept is reported, not silently dropped.
    assert_eq!(imported.skipped.len(), 1);
    assert_eq!(imported.skipped[0].reason, "no Arabic term");
    assert_eq!(imported.skipped[0].line, 79);
}

#[test]
fn imports_tbx_v3_dct_style() {
    let imported = import_fixture("basic-dct.tbx");
    assert_eq!(imported.entries.len(), 1);
    let palmyra = &imported.entries[0];
    assert_eq!((palmyra.source.as_str(), palmyra.target.as_str()), ("تدمر", "Palmyra"));
    assert_eq!(palmyra.forbidden, ["Tadmur", "Tadmor"]);
    assert_eq!((palmyra.kind, palmyra.ambiguous, palmyra.derived), (TermType::Place, true, false));
    assert_eq!(palmyra.comment, "city, Homs governorate");
    assert_eq!(palmyra.note, "house style; \"Tadmur\" only inside quotations & names");
}

#[test]
fn imports_tbx_2008_martif_with_tig_and_ntig() {
    let imported = import_fixture("martif-2008.tbx");
    let entries = &imported.entries;
    assert_eq!(entries.len(), 2);
    assert_eq!((entries[0].source.as_str(), entries[0].target.as_str()), ("إنترفاكس", "Interfax"));
    assert_eq!(entries[0].variants, ["انترفاكس"]);
    assert_eq!(entries[0].comment, "Russian news agency");
    assert_eq!((entries[1].target.as_str(), entries[1].note.as_str()), ("Euphrates Dam", "house style"));
    assert_eq!(
        (entries[1].accepted.as_slice(), entries[1].forbidden.as_slice()),
        (&["Tabqa Dam".to_string()][..], &["Thawra Dam".to_string()][..])
    );
    assert_eq!(imported.skipped.len(), 1, "حلب has only a deprecated English form");
    assert_eq!(imported.skipped[0].reason, "only deprecated English terms");
}

fn tbx_error(text: &str) -> FormatError {
    formats::import(text, "bad.tbx", ExternalFormat::Tbx3).unwrap_err()
}

#[test]
fn bad_xml_is_reported_with_line_and_column() {
    let mismatched = "<?xml version=\"1.0\"?>\n<martif>\n  <text><body><termEntry>\n    </langSet>\n";
    let error = tbx_error(mismatched);
    let FormatError::Xml { line, column, ref message, .. } = error else { panic!("{error:?}") };
    assert_eq!((line, column), (4, 5), "{error}");
    assert!(message.starts_with("malformed XML"), "{error}");
    assert!(error.to_string().starts_with("bad.tbx:4:5: malformed XML"), "{error}");

    let nbsp =
        "<tbx>\n<text><body><conceptEntry><langSec xml:lang=\"en\"><termSec><term>Raqqa&nbsp;city</term>";
    assert_eq!(
        tbx_error(nbsp).to_string(),
        "bad.tbx:2:70: undefined entity `&nbsp;` (only &amp; &lt; &gt; &quot; &apos; exist in XML)"
    );

    let truncated = "<martif><text><body><termEntry><langSet xml:lang=\"ar\"><tig><term>حلب";
    let error = tbx_error(truncated).to_string();
    assert!(error.starts_with("bad.tbx:1:") && error.contains("</term>"), "{error}");

    let tmx = "<?xml version=\"1.0\"?>\n<tmx version=\"1.4\"><body/></tmx>";
    assert_eq!(
        tbx_error(tmx).to_string(),
        "bad.tbx:2:1: not a TBX file: the root element is <tmx>, expected <martif> (TBX 2008) or <tbx> (TBX v3)"
    );
    assert_eq!(
        tbx_error("").to_string(),
        "bad.tbx: no XML element found: expected a TBX file (<martif> or <tbx>)"
    );
    assert_eq!(
        tbx_error("<tbx><text><body/></text></tbx>").to_string(),
        "bad.tbx: no termEntry or conceptEntry elements: the file holds no terms"
    );
    let status = "<tbx><text><body><conceptEntry>\n<langSec xml:lang=\"en\"><termSec><term>Raqqa</term>\
                  <termNote type=\"administrativeStatus\">approved</termNote></termSec></langSec>";
    let error = tbx_error(status).to_string();
    assert!(error.starts_with("bad.tbx:2:51: unknown administrative status `approved`"), "{error}");
}

#[test]
fn dtd_entities_are_never_expanded() {
    let mut bomb = String::from("<?xml version=\"1.0\"?>\n<!DOCTYPE martif [\n<!ENTITY lol \"lol\">\n");
    for i in 1..10 {
        let previous = if i == 1 { "lol".to_string() } else { format!("lol{}", i - 1) };
        bomb.push_str(&format!("<!ENTITY lol{i} \"{}\">\n", format!("&{previous};").repeat(10)));
    }
    bomb.push_str("]>\n<martif><text><body><termEntry><langSet xml:lang=\"ar\"><tig><term>&lol9;</term>");
    bomb.push_str("</tig></langSet></termEntry></body></text></martif>\n");
    let error = tbx_error(&bomb).to_string();
    assert!(error.starts_with("bad.tbx:14:") && error.contains("undefined entity `&lol9;`"), "{error}");
    let xxe = "<!DOCTYPE martif [<!ENTITY x SYSTEM \"file:///etc/passwd\">]>\n<martif><text><body><termEntry>\
               <langSet xml:lang=\"ar\"><tig><term>&x;</term></tig></langSet></termEntry></body></text></martif>";
    assert!(tbx_error(xxe).to_string().contains("undefined entity `&x;`"));
}

#[test]
fn tbx_without_arabic_english_pairs_is_an_error() {
    let text = "<martif><text><body><termEntry><langSet xml:lang=\"en\"><tig><term>gin</term></tig></langSet>\
                <langSet xml:lang=\"fr\"><tig><term>égreneuse</term></tig></langSet></termEntry></body></text></martif>";
    assert_eq!(
        tbx_error(text).to_string(),
        "bad.tbx: none of its 1 entries has both an Arabic and an English term"
    );
}

// ---------------------------------------------------------------------------
// Format names

#[test]
fn format_names_and_guessing() {
    assert_eq!("TBX".parse::<ExternalFormat>(), Ok(ExternalFormat::Tbx2008));
    assert_eq!("tbx3".parse::<ExternalFormat>(), Ok(ExternalFormat::Tbx3));
    assert_eq!("csv".parse::<ExternalFormat>(), Ok(ExternalFormat::Csv));
    assert!("xlsx".parse::<ExternalFormat>().unwrap_err().contains("unknown glossary format `xlsx`"));
    let v3 = read_repo("tests/fixtures/glossary/basic-dct.tbx");
    assert_eq!(ExternalFormat::guess(std::path::Path::new("terms.tbx"), &v3), Some(ExternalFormat::Tbx3));
    assert_eq!(ExternalFormat::guess(std::path::Path::new("terms.CSV"), ""), Some(ExternalFormat::Csv));
    assert_eq!(ExternalFormat::guess(std::path::Path::new("syria.txt"), ""), Some(ExternalFormat::Tsv));
    assert_eq!(ExternalFormat::guess(std::path::Path::new("terms"), ""), None);
    // tsv is the native format, read by the glossary's own parser.
    let entries = formats::import("# source\ttarget\nالرقة\tRaqqa\n", "g.txt", ExternalFormat::Tsv).unwrap();
    assert_eq!((entries[0].source.as_str(), entries[0].target.as_str()), ("الرقة", "Raqqa"));
    let error = formats::import("# only a comment\n", "g.txt", ExternalFormat::Tsv).unwrap_err();
    assert_eq!(error.to_string(), "g.txt: no entries");
}
