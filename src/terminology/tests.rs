use super::*;
use crate::glossary::Glossary;
use crate::tmx::{Prop, Variant};

fn unit(document: &str, day: &str, ar: &str, en: &str) -> TranslationUnit {
    TranslationUnit {
        tuid: None,
        attributes: vec![("creationdate".into(), format!("{day}T120000Z"))],
        props: vec![Prop { kind: "x-document".into(), lang: None, value: document.into() }],
        notes: Vec::new(),
        variants: vec![Variant::from_text("ar", ar), Variant::from_text("en", en)],
    }
}

/// The example of issue #18: one tribe, three transliterations.
fn shaitat_archive() -> Vec<TranslationUnit> {
    vec![
        unit(
            "a-2014",
            "20140810",
            "قتل التنظيم مئات من أبناء عشيرة الشعيطات.",
            "The group killed hundreds of the Shaitat tribe.",
        ),
        unit(
            "a-2014",
            "20140810",
            "وفر أبناء الشعيطات من قراهم في دير الزور.",
            "Members of the Shaitat fled their villages in Deir ez-Zor.",
        ),
        unit(
            "b-2015",
            "20150302",
            "عاد بعض الشعيطات إلى بلدة الكشكية.",
            "Some Sheitaat returned to the town of Kishkiyeh.",
        ),
        unit(
            "c-2017",
            "20170611",
            "وقال شيخ من الشعيطات إن القرى مدمرة.",
            "A sheikh of al-Shuaytat said the villages were destroyed.",
        ),
        unit("c-2017", "20170611", "وصلت المساعدات إلى دير الزور.", "Aid reached Deir ez-Zor."),
        unit("d-2018", "20180101", "نازحون في دير الزور.", "Displaced people in Deir ez-Zor."),
    ]
}

fn build(units: &[TranslationUnit], glossary: Option<&str>) -> Archive {
    let recognizer = glossary.map(|g| Recognizer::new(&Glossary::parse(g, "g.txt").unwrap()));
    Archive::build(recognizer, &UnitFilter::default(), |visit: Visit<'_>| {
        units.iter().for_each(visit);
        Ok::<(), ()>(())
    })
    .unwrap()
}

#[test]
fn drift_lists_every_rendering_of_a_name_with_its_documents_and_dates() {
    let report = build(&shaitat_archive(), None).drift(2);
    assert_eq!(report.drift.len(), 1, "{report:#?}");
    let name = &report.drift[0];
    assert_eq!(name.term, "الشعيطات");
    assert_eq!(name.approved, None);
    let texts: Vec<(&str, u64)> = name.renderings.iter().map(|r| (r.text.as_str(), r.units)).collect();
    assert_eq!(texts, vec![("Shaitat", 2), ("Sheitaat", 1), ("al-Shuaytat", 1)]);
    let shaitat = &name.renderings[0];
    assert_eq!(shaitat.documents, vec!["a-2014"]);
    assert_eq!((shaitat.first.as_deref(), shaitat.last.as_deref()), (Some("2014-08-10"), Some("2014-08-10")));
    assert!(shaitat.example.target.contains("Shaitat"));
    assert!(name.renderings[2].example.source.contains("الشعيطات"));
}

#[test]
fn one_rendering_everywhere_is_not_drift_and_min_count_filters_names() {
    let mut units = shaitat_archive();
    units.retain(|u| {
        !u.variants[1].seg.xml.contains("Sheitaat") && !u.variants[1].seg.xml.contains("al-Shuaytat")
    });
    assert!(build(&units, None).drift(2).drift.is_empty());
    assert!(build(&shaitat_archive(), None).drift(5).drift.is_empty(), "4 units < 5");
}

#[test]
fn sentence_start_capitals_are_the_same_rendering_but_al_forms_differ() {
    let units = vec![
        unit("x", "20200101", "قصفت الطائرات المشلب.", "Planes bombed al-Mashlab."),
        unit("x", "20200101", "المشلب حي شرقي.", "Al-Mashlab is an eastern district."),
        unit("y", "20200102", "وفي المشلب دمار.", "In Mashlab there is destruction."),
    ];
    let report = build(&units, None).drift(2);
    let texts: Vec<(&str, u64)> =
        report.drift[0].renderings.iter().map(|r| (r.text.as_str(), r.units)).collect();
    assert_eq!(texts, vec![("al-Mashlab", 2), ("Mashlab", 1)]);
}

#[test]
fn glossary_terms_drift_unless_every_rendering_is_declared() {
    let glossary = "الرقة\tRaqqa\t\t\tar-Raqqa\tRaqqah\tplace\n";
    let units = vec![
        unit("x", "20200101", "قصف في الرقة.", "Shelling in Raqqa."),
        unit("x", "20200101", "وصل إلى الرقة.", "He reached ar-Raqqa."),
    ];
    assert!(build(&units, Some(glossary)).drift(2).drift.is_empty(), "approved and accepted forms");
    let mut drifting = units.clone();
    drifting.push(unit("y", "20200105", "غادروا الرقة.", "They left Raqqah."));
    drifting.push(unit("y", "20200106", "ولدت في الرقة.", "She was born in Rakka."));
    let report = build(&drifting, Some(glossary)).drift(2);
    assert_eq!(report.drift.len(), 1);
    assert_eq!(report.drift[0].term, "الرقة");
    assert_eq!(report.drift[0].approved.as_deref(), Some("Raqqa"));
    let texts: Vec<&str> = report.drift[0].renderings.iter().map(|r| r.text.as_str()).collect();
    assert_eq!(texts, vec!["Rakka", "Raqqa", "Raqqah", "ar-Raqqa"]);
}

#[test]
fn units_without_a_document_or_date_are_listed_as_such_and_since_filters_by_day() {
    let mut units = shaitat_archive();
    units[2].props.clear();
    units[2].attributes.clear();
    let report = build(&units, None).drift(2);
    let sheitaat = report.drift[0].renderings.iter().find(|r| r.text == "Sheitaat").unwrap();
    assert_eq!(sheitaat.documents, vec![NO_DOCUMENT]);
    assert_eq!(sheitaat.first, None);
    let filter = UnitFilter { since: Some(parse_day("2015-01-01").unwrap()), document: None };
    let recent = Archive::build(None, &filter, |visit: Visit<'_>| {
        shaitat_archive().iter().for_each(visit);
        Ok::<(), ()>(())
    })
    .unwrap();
    assert_eq!(recent.units(), 4);
    assert!(parse_day("2015-13-01").is_err());
}

#[test]
fn suggest_pairs_recurring_names_with_a_confidence_and_a_type() {
    let mut units = shaitat_archive();
    units.extend([
        unit("e", "20190101", "دخلت القوات مدينة منبج.", "Forces entered the city of Manbij."),
        unit("e", "20190102", "وفي منبج هدوء حذر.", "Manbij is calm."),
        unit("e", "20190103", "خرج المقاتلون من منبج.", "Fighters left Manbij."),
        unit("e", "20190104", "منبج مدينة مهمة.", "It is an important city."),
    ]);
    let glossary = "الرقة\tRaqqa\t\t\t\t\tplace\n";
    let archive = build(&units, Some(glossary));
    let report = archive.suggest(3);
    let manbij = report.suggestions.iter().find(|s| s.term == "منبج").expect("Manbij suggested");
    assert_eq!(manbij.renderings, vec![RenderingCount { text: "Manbij".into(), units: 3 }]);
    assert_eq!(manbij.kind, TermType::Place);
    // 3 units together, 4 hold the Arabic and 3 the English: 6/7.
    assert!((manbij.confidence - 0.857).abs() < 0.001, "{}", manbij.confidence);
    let deir = report.suggestions.iter().find(|s| s.term == "دير الزور").expect("Deir ez-Zor suggested");
    assert_eq!(deir.renderings[0].text, "Deir ez-Zor");
    assert!(report.suggestions.iter().all(|s| s.term != "الرقة"));
    let entry = manbij.entry();
    assert_eq!(
        (entry.source.as_str(), entry.target.as_str(), entry.kind),
        ("منبج", "Manbij", TermType::Place)
    );
}

#[test]
fn settled_names_are_those_rendered_one_way_often_enough() {
    let archive = build(&shaitat_archive(), None);
    let settled = archive.settled_names(3);
    let deir = settled.get("دير الزور").expect("Deir ez-Zor is settled");
    assert_eq!((deir.rendering.as_str(), deir.units), ("Deir ez-Zor", 3));
    assert!(!settled.contains_key("الشعيطات"), "three renderings");
}

/// The TICO-19 fixture documents as units, one a line, a day per document
/// (days repeat across documents, so examples are picked among ties).
fn tico19_units() -> Vec<TranslationUnit> {
    let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/tico19/docs");
    let mut names: Vec<String> = std::fs::read_dir(&dir)
        .unwrap()
        .filter_map(|e| e.ok()?.file_name().to_str()?.strip_suffix(".ar").map(String::from))
        .collect();
    names.sort();
    let mut units = Vec::new();
    for (d, name) in names.iter().enumerate() {
        let read = |ext: &str| std::fs::read_to_string(dir.join(format!("{name}.{ext}"))).unwrap();
        let day = format!("2020{:02}{:02}", 1 + d % 3, 1 + d % 5);
        for (ar, en) in read("ar").lines().zip(read("en").lines()) {
            units.push(unit(name, &day, ar, en));
        }
    }
    units.extend(shaitat_archive());
    units
}

#[test]
fn batches_merged_in_reading_order_give_the_archive_of_one_sequential_pass() {
    let units = tico19_units();
    let glossary =
        Glossary::load(&[std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("glossaries/syria.txt")]);
    let recognizer = Recognizer::new(&glossary.unwrap());
    let build = |batches: Batches| {
        Archive::build_in(
            Some(recognizer.clone()),
            &UnitFilter::default(),
            |visit: Visit<'_>| {
                units.iter().for_each(visit);
                Ok::<(), ()>(())
            },
            batches,
        )
        .unwrap()
    };
    let json = |archive: &Archive| {
        let drift = serde_json::to_string(&archive.drift(1)).unwrap();
        let suggest = serde_json::to_string(&archive.suggest(2)).unwrap();
        let mut settled: Vec<_> = archive.settled_names(2).into_iter().collect();
        settled.sort_by(|a, b| a.0.cmp(&b.0));
        (archive.units(), drift, suggest, format!("{settled:?}"))
    };
    // One chunk of everything: one pass on one thread, nothing merged.
    let whole = json(&build(Batches { units: units.len(), chunk: units.len() }));
    assert!(whole.1.contains("COVID"), "real drift in TICO-19: {}", whole.1);
    for batches in [Batches { units: 7, chunk: 1 }, Batches { units: 512, chunk: 37 }, BATCHES] {
        assert_eq!(json(&build(batches)), whole, "{batches:?}");
    }
}
