//! The table's contract, the one way findings are made and their accept ids.

use super::accept::{AcceptError, AcceptList, Acceptance, finding_id};
use super::*;
use crate::glossary::Glossary;

#[test]
fn finding_id_hashes_are_pinned() {
    // Kept in users' accepted-findings.tsv: these values must never change.
    assert_eq!(stable_hash(&["الرقة"]), 0x5bf4_363e_fcca_7fe2);
    assert_eq!(stable_hash(&["a", "b"]), 0xab40_d782_0d40_8076);
}

#[test]
fn rows_are_in_check_id_order_with_unique_kebab_case_ids() {
    for (position, row) in CHECKS.iter().enumerate() {
        assert_eq!(row.check as usize, position, "row `{}` is out of CheckId order", row.id);
        assert_eq!(row.check.id(), row.id);
        assert_eq!(CheckId::from_id(row.id), Some(row.check));
        assert!(row.id.bytes().all(|b| b.is_ascii_lowercase() || b == b'-'), "{}", row.id);
        assert!(!row.description.is_empty());
    }
    let mut ids: Vec<&str> = CHECKS.iter().map(|c| c.id).collect();
    ids.sort_unstable();
    ids.dedup();
    assert_eq!(ids.len(), CHECKS.len(), "duplicate check ids");
    assert_eq!(CheckId::from_id("no-such-check"), None);
    assert_eq!(CheckId::Quotes.severity(), Severity::Warning);
    assert_eq!(CheckId::TermForbidden.to_string(), "term-forbidden");
}

#[test]
fn the_table_serializes_as_the_list_contract() {
    // `check --list --format json` prints {"checks": <the table>}.
    let json = serde_json::to_value(serde_json::json!({ "checks": table() })).unwrap();
    let rows = json["checks"].as_array().unwrap();
    assert_eq!(rows.len(), CHECKS.len());
    for (row, check) in rows.iter().zip(CHECKS) {
        let object = row.as_object().unwrap();
        let keys: Vec<&str> = object.keys().map(String::as_str).collect();
        assert_eq!(keys.len(), 3, "{row}");
        for key in ["id", "severity", "description"] {
            assert!(object[key].is_string(), "{key} in {row}");
        }
        assert_eq!(object["id"], check.id);
        assert_eq!(object["description"], check.description);
        assert!(["error", "warning", "info"].contains(&object["severity"].as_str().unwrap()));
    }
    assert_eq!(
        serde_json::to_string(&CHECKS[0]).unwrap(),
        format!(r#"{{"id":"term-missing","severity":"error","description":"{}"}}"#, CHECKS[0].description)
    );
}

#[test]
fn severities_order_info_warning_error() {
    assert!(Severity::Info < Severity::Warning && Severity::Warning < Severity::Error);
    let mut seen = vec![Severity::Warning, Severity::Info, Severity::Error, Severity::Warning];
    seen.sort_by_key(|s| std::cmp::Reverse(*s));
    assert_eq!(seen, [Severity::Error, Severity::Warning, Severity::Warning, Severity::Info]);
    assert_eq!(seen.iter().max(), Some(&Severity::Error));
    let names: Vec<String> = Severity::MOST_SEVERE_FIRST.iter().map(|s| s.to_string()).collect();
    assert_eq!(names, ["error", "warning", "info"]);
    for severity in Severity::MOST_SEVERE_FIRST {
        assert_eq!(serde_json::to_value(severity).unwrap(), severity.name());
    }
}

/// A glossary where `YPG` is approved and `People's Protection Units` is
/// accepted, and a memory rendering the term both ways.
fn ypg() -> Recognizer {
    let glossary = Glossary::parse("وحدات حماية الشعب\tYPG\t\t\tPeople’s Protection Units\n", "g").unwrap();
    Recognizer::new(&glossary)
}

fn units(second_target: &str) -> Vec<(String, String, String)> {
    vec![
        ("u1".into(), "وقالت وحدات حماية الشعب إنها تقدمت".into(), "The YPG said it had advanced".into()),
        ("u2".into(), "وتقدمت وحدات حماية الشعب نحو الرقة".into(), second_target.into()),
    ]
}

fn inconsistency(second_target: &str) -> Finding {
    let report = run_checks_tm(units(second_target).into_iter(), &ypg(), &CheckOptions::default());
    let found: Vec<&Finding> =
        report.findings.iter().filter(|f| f.check == CheckId::TermInconsistent).collect();
    assert_eq!(found.len(), 1, "{:#?}", report.findings);
    found[0].clone()
}

const SECOND: &str = "The People’s Protection Units advanced on Raqqa";

#[test]
fn term_inconsistent_is_made_like_every_other_finding() {
    let finding = inconsistency(SECOND);
    assert_eq!(finding.unit.as_deref(), Some("u2"));
    assert_eq!(finding.units, ["u1", "u2"]);
    assert_eq!(finding.surface, "People’s Protection Units");
    assert_eq!(finding.severity, Severity::Warning);
    // The context hashes the match key of the target, as for every check.
    assert_eq!(
        finding.id,
        finding_id(CheckId::TermInconsistent, Some("وحدات حماية الشعب"), "People’s Protection Units", SECOND)
    );
    // Edits that only change normalization (spacing, quote style) keep it.
    for edited in [
        "The  People’s Protection   Units advanced on Raqqa",
        "The People's Protection Units advanced on Raqqa ",
    ] {
        let again = inconsistency(edited);
        assert_eq!(again.id.rsplit('|').next(), finding.id.rsplit('|').next(), "{edited}");
    }
    // A real edit of the sentence does not.
    let edited = inconsistency("The People’s Protection Units advanced on Tabqa");
    assert_ne!(edited.id, finding.id);
}

/// The id `term-inconsistent` gave a finding before it hashed the match
/// key: the context was the hash of the hex hash of the raw target.
fn old_style_id(term: &str, surface: &str, target: &str) -> String {
    finding_id(CheckId::TermInconsistent, Some(term), surface, &format!("{:016x}", stable_hash(&[target])))
}

#[test]
fn old_and_new_term_inconsistent_ids_are_both_honoured() {
    let term = "وحدات حماية الشعب";
    let surface = "People’s Protection Units";
    let old = old_style_id(term, surface, SECOND);
    let new = inconsistency(SECOND).id;
    assert_ne!(old, new);
    for id in [&old, &new] {
        let mut list = AcceptList::default();
        list.add(Acceptance::from_id(id).unwrap());
        // Through the file, as users keep it.
        let list = AcceptList::parse(&list.to_text(), "accepted-findings.tsv").unwrap();
        let report =
            run_checks_tm(units(SECOND).into_iter(), &ypg(), &CheckOptions::default()).apply_accepted(&list);
        assert!(report.findings.iter().all(|f| f.check != CheckId::TermInconsistent), "{id}");
        assert_eq!(report.accepted, 1, "{id}");
    }
    // An old id names its sentence as written: once edited, it is another one.
    let mut list = AcceptList::default();
    list.add(
        Acceptance::from_id(&old_style_id(term, surface, "The People’s Protection Units left")).unwrap(),
    );
    let report =
        run_checks_tm(units(SECOND).into_iter(), &ypg(), &CheckOptions::default()).apply_accepted(&list);
    assert_eq!(report.accepted, 0);
    // The legacy id is not part of the JSON contract.
    let json = serde_json::to_value(inconsistency(SECOND)).unwrap();
    assert!(!json.to_string().contains(old.rsplit('|').next().unwrap()), "{json}");
}

#[test]
fn ids_naming_no_check_are_refused_with_the_valid_ones() {
    let error = Acceptance::from_id("no-such-check|الرقة|Raqa|*").unwrap_err();
    assert!(matches!(error, AcceptError::UnknownCheck { .. }), "{error:?}");
    let message = error.to_string();
    assert!(message.contains("no-such-check"), "{message}");
    for row in CHECKS {
        assert!(message.contains(row.id), "{message}");
    }
    let error = AcceptList::parse("# header\nterm-missng\tالرقة\tRaqa\t*\n", "a.tsv").unwrap_err();
    assert!(error.to_string().starts_with("a.tsv:2:") && error.to_string().contains("term-missing"));
}

#[test]
fn near_miss_runs_only_when_asked() {
    let glossary = Glossary::parse("انترفاكس\tInterfax\n", "g").unwrap();
    let recognizer = Recognizer::new(&glossary);
    let units =
        || vec![("u1".to_string(), "نقلت إنترفاكاس عن مسؤول".to_string(), "Interfax quoted".to_string())];
    let with = run_checks_tm(units().into_iter(), &recognizer, &CheckOptions::default());
    assert_eq!(with.findings.iter().filter(|f| f.check == CheckId::TermNearMiss).count(), 1);
    let without = run_checks_tm(units().into_iter(), &recognizer, &CheckOptions { near_miss: false });
    assert!(without.findings.iter().all(|f| f.check != CheckId::TermNearMiss));
}

fn findings_of(glossary: &str, units: &[(&str, &str)]) -> Vec<(CheckId, String)> {
    let recognizer = Recognizer::new(&Glossary::parse(glossary, "g").unwrap());
    let units = units.iter().enumerate().map(|(i, (s, t))| (format!("u{i}"), s.to_string(), t.to_string()));
    let report = run_checks_tm(units, &recognizer, &CheckOptions { near_miss: false });
    report.findings.into_iter().map(|f| (f.check, f.surface)).collect()
}

#[test]
fn long_form_first_and_shorter_forms_after_are_consistent() {
    let glossary = "الأمم المتحدة\tUnited Nations\t\t\tUN|U.N.\n";
    let first = ("قالت الأمم المتحدة إن القصف مستمر", "The United Nations said the shelling continued");
    let after = ("وأضافت الأمم المتحدة أن المدنيين فروا", "The UN added that civilians fled");
    assert_eq!(findings_of(glossary, &[first, after, after]), []);
    // The long form again after the short one breaks the order.
    assert_eq!(
        findings_of(glossary, &[after, first]),
        [(CheckId::TermInconsistent, "United Nations".into())]
    );
}

#[test]
fn a_place_rendered_as_its_adjective_is_rendered() {
    let glossary = "روسيا\tRussia\t\t\t\t\tplace\n";
    // `روسيا` in `Russian-backed`: the noun's English adjective.
    let backed = ("هاجمت قوات تدعمها روسيا البلدة", "Russian-backed forces attacked the town");
    assert_eq!(findings_of(glossary, &[backed]), []);
    // The Arabic has the adjective too (`الروسي`): the adjective renders
    // that, and the noun is missing.
    let both =
        ("قالت روسيا إن الطيران الروسي قصف البلدة", "Rusia said the Russian air force bombed the town");
    assert_eq!(findings_of(glossary, &[both]), [(CheckId::TermMissing, "روسيا".into())]);
}

/// The house glossary, as shipped.
fn house() -> Glossary {
    Glossary::parse(include_str!("../../glossaries/syria.txt"), "syria.txt").unwrap()
}

/// The findings of `check` on `pairs` (Arabic, English), one unit each.
fn findings_on(glossary: &Glossary, pairs: &[(&str, &str)]) -> Vec<Finding> {
    let units =
        pairs.iter().enumerate().map(|(i, (ar, en))| (format!("u{}", i + 1), ar.to_string(), en.to_string()));
    run_checks_tm(units, &Recognizer::new(glossary), &CheckOptions::default()).findings
}

fn of_check(findings: &[Finding], check: CheckId) -> Vec<&Finding> {
    findings.iter().filter(|f| f.check == check).collect()
}

const ASSAD_FULL: (&str, &str) = (
    "قال الرئيس السوري بشار الأسد إن الحرب لم تنته بعد",
    "Syrian President Bashar al-Assad said the war was not over",
);
const ASSAD_SHORT: (&str, &str) =
    ("وأضاف الأسد أن الجيش سيستعيد مدينة الرقة", "Assad added that the army would retake the city of Raqqa");
const UN_FULL: (&str, &str) = (
    "ودعت الأمم المتحدة إلى فتح ممرات آمنة للمدنيين",
    "The United Nations called for safe corridors for civilians",
);
const UN_SHORT: (&str, &str) =
    ("وقال متحدث باسم الأمم المتحدة إن المساعدات لم تصل", "A UN spokesman said the aid had not arrived");

#[test]
fn a_short_form_after_the_long_form_is_news_style() {
    let glossary = house();
    for pairs in [[ASSAD_FULL, ASSAD_SHORT], [UN_FULL, UN_SHORT]] {
        let findings = findings_on(&glossary, &pairs);
        assert!(of_check(&findings, CheckId::TermInconsistent).is_empty(), "{findings:#?}");
        assert!(of_check(&findings, CheckId::TermMissing).is_empty(), "{findings:#?}");
    }
    // FLORES-200 004: a short form in the sentence of the first long form is not before it.
    let usa = (
        "تدعم الولايات المتحدة للجمباز رسالة اللجنة الأولمبية الأمريكية",
        "USA Gymnastics supports the United States Olympic Committee's letter",
    );
    let findings = findings_on(&glossary, &[usa, ("وقالت الولايات المتحدة", "The USA said")]);
    assert!(of_check(&findings, CheckId::TermInconsistent).is_empty(), "{findings:#?}");
}

#[test]
fn a_short_form_before_any_long_form_is_a_warning_saying_so() {
    let glossary = house();
    for (pairs, short, long) in [
        ([ASSAD_SHORT, ASSAD_FULL], "Assad", "Bashar al-Assad"),
        ([UN_SHORT, UN_FULL], "UN", "United Nations"),
    ] {
        let findings = findings_on(&glossary, &pairs);
        let found = of_check(&findings, CheckId::TermInconsistent);
        assert_eq!(found.len(), 1, "{findings:#?}");
        assert_eq!((found[0].severity, found[0].surface.as_str()), (Severity::Warning, long));
        assert_eq!(found[0].unit.as_deref(), Some("u2"));
        assert!(
            found[0]
                .message
                .contains(&format!("the short form `{short}` (unit u1) comes before the first long form")),
            "{}",
            found[0].message
        );
    }
}

#[test]
fn a_persons_surname_renders_the_name_without_a_listing() {
    let glossary = house();
    let silo = [
        (
            "وقال طلال سلو المتحدث باسم قوات سوريا الديمقراطية إن الهجوم بدأ",
            "Talal Silo, the SDF spokesman, said the offensive had begun",
        ),
        ("وأكد طلال سلو أن المعركة ستكون صعبة", "Silo stressed that the battle would be difficult"),
    ];
    let findings = findings_on(&glossary, &silo);
    assert!(of_check(&findings, CheckId::TermMissing).is_empty(), "{findings:#?}");
    // A lower-case word is no surname, and another name is not this one.
    for wrong in
        ["The spokesman stressed that the silo would be difficult", "Salih stressed it would be difficult"]
    {
        let findings = findings_on(&glossary, &[(silo[1].0, wrong)]);
        assert_eq!(of_check(&findings, CheckId::TermMissing).len(), 1, "{wrong}: {findings:#?}");
    }
}

/// TICO-19 (Wikipedia_handpicked_5): the professional translation uses
/// `United States`, `US` and `U.S.` for الولايات المتحدة.
const US_FORMS: [(&str, &str); 3] = [
    (
        "وفي الولايات المتحدة، أغلقت المدارس لمدة بلغ متوسطها 4 أسابيع.",
        "In the United States, schools closed for a median duration of 4 weeks.",
    ),
    ("وتراجعت الإصابات في الولايات المتحدة بعد الإغلاق.", "Infections in the US fell after the closures."),
    ("وقالت الولايات المتحدة إنها سترسل مساعدات.", "The U.S. said it would send aid."),
];

#[test]
fn accepted_forms_mix_freely_unless_the_house_picks_one() {
    let findings = findings_on(&house(), &US_FORMS);
    assert!(of_check(&findings, CheckId::TermInconsistent).is_empty(), "{findings:#?}");

    let mut entries = house().entries().to_vec();
    let us = entries.iter_mut().find(|e| e.source == "الولايات المتحدة").unwrap();
    us.one_form = true;
    let findings = findings_on(&Glossary::from_entries(entries), &US_FORMS);
    let found = of_check(&findings, CheckId::TermInconsistent);
    assert_eq!(found.len(), 1, "{findings:#?}");
    assert_eq!((found[0].surface.as_str(), found[0].unit.as_deref()), ("U.S.", Some("u3")));
    assert!(
        found[0].message.contains("the house style picks one: use `US` throughout"),
        "{}",
        found[0].message
    );
}
