//! The built-in rules, one test per rule, on real news sentences (Arabic
//! and English), including the cases other segmenters get wrong (see
//! ../shared/notes/arabic-text.md). Also: the bundled example, paragraph
//! handling, SRX semantics with user rules, and the lossless invariant.

mod support;

use dragoman::lang::Lang;
use dragoman::segment::{self, BUILTIN_SRX, Segment, Segmenter};
use proptest::prelude::*;

fn split(text: &str, lang: Lang) -> Vec<String> {
    Segmenter::builtin().segment(text, Some(lang)).into_iter().map(|s| s.text).collect()
}

fn arabic(text: &str) -> Vec<String> {
    split(text, Lang::Ar)
}

fn english(text: &str) -> Vec<String> {
    split(text, Lang::En)
}

#[test]
fn bundled_example_reproduces_the_gold_sentences() {
    for lang in ["ar", "en"] {
        let text = support::read_repo(&format!("examples/raqqa-2017/{lang}.txt"));
        let gold = support::read_repo(&format!("examples/raqqa-2017/{lang}.sents"));
        let segments = Segmenter::builtin().segment(&text, None);
        assert_eq!(segment::format_text(&segments), gold, "{lang}.txt");
    }
}

#[test]
fn english_caption_in_an_arabic_article_gets_english_rules_in_auto_mode() {
    let text = support::read_repo("examples/raqqa-2017/ar.txt");
    let segments = Segmenter::builtin().segment(&text, None);
    let last = segments.last().unwrap();
    assert!(last.text.starts_with("Founder of Raqqa"));
    assert_eq!(last.lang, Lang::En);
    assert!(segments[..segments.len() - 1].iter().all(|s| s.lang == Lang::Ar));
}

#[test]
fn one_segmenter_serves_many_threads_with_the_same_result() {
    let segmenter = Segmenter::builtin();
    let text =
        support::read_repo("examples/raqqa-2017/ar.txt") + &support::read_repo("examples/raqqa-2017/en.txt");
    let expected = segmenter.segment(&text, None);
    std::thread::scope(|scope| {
        let workers: Vec<_> =
            (0..4).map(|_| scope.spawn(|| segmenter.clone().segment(&text, None))).collect();
        for worker in workers {
            assert_eq!(worker.join().unwrap(), expected);
        }
    });
}

// Terminators.

#[test]
fn arabic_question_mark_exclamation_and_full_stop_end_sentences() {
    assert_eq!(
        arabic("هل انتهت معركة الرقة؟ لا أحد يعرف. يا للهول! لقد دمرت المدينة۔ عاد الأهالي."),
        ["هل انتهت معركة الرقة؟", "لا أحد يعرف.", "يا للهول!", "لقد دمرت المدينة۔", "عاد الأهالي."]
    );
}

#[test]
fn comma_semicolon_and_colon_never_break() {
    let sentence = "قال المتحدث: إن القصف استمر طوال الليل، وإن الأهالي نزحوا؛ لكن المعركة لم تبدأ بعد.";
    assert_eq!(arabic(sentence), [sentence]);
    let sentence = "He said: the shelling went on all night, residents fled; the battle had not begun.";
    assert_eq!(english(sentence), [sentence]);
}

#[test]
fn closing_quotes_stay_with_their_sentence() {
    assert_eq!(
        arabic("قال أحد السكان: «انتهت المعركة.» وبدأ الأهالي بالعودة إلى “الرقة”. ثم عاد القصف."),
        ["قال أحد السكان: «انتهت المعركة.»", "وبدأ الأهالي بالعودة إلى “الرقة”.", "ثم عاد القصف."]
    );
    assert_eq!(
        english(
            "A resident said: “It is over.” Families began to return (slowly.) Then the shelling resumed."
        ),
        [
            "A resident said: “It is over.”",
            "Families began to return (slowly.)",
            "Then the shelling resumed."
        ]
    );
}

// Abbreviations, initials and numbers.

#[test]
fn arabic_titles_and_initials_do_not_break() {
    for sentence in [
        "قال د. محمد الأحمد إن الوضع الإنساني في المدينة خطير.",
        "ألقى أ. د. خالد العلي محاضرة عن تاريخ الرقة.",
        "استقبل الوفد م. أحمد الخالد في مكتبه صباح اليوم.",
        "وأكد أ.د.خالد العلي أن الجامعة ستفتح أبوابها.",
    ] {
        assert_eq!(arabic(sentence), [sentence]);
    }
    assert_eq!(
        arabic("قال د. محمد إن القصف مستمر. وأضاف أن المستشفى امتلأ."),
        ["قال د. محمد إن القصف مستمر.", "وأضاف أن المستشفى امتلأ."]
    );
}

#[test]
fn arabic_dotted_acronyms_do_not_break() {
    for sentence in [
        "بنيت المدينة في القرن الثالث ق. م. على ضفاف الفرات.",
        "وصل الوفد إلى القاهرة عاصمة ج. م. ع صباح اليوم.",
        "أرسلت الرسالة إلى ص.ب. 1234 في دمشق.",
        "وقعت م.ت.ف. الاتفاق في أوسلو.",
    ] {
        assert_eq!(arabic(sentence), [sentence]);
    }
}

#[test]
fn arabic_units_and_etc_do_not_break() {
    for sentence in [
        "تبعد المدينة ٥٠ كم. من مركز المحافظة.",
        "تبعد القرية 12 كلم. عن الحدود التركية.",
        "وزعت المنظمة الطحين والأرز والزيت إلخ. على الأهالي.",
    ] {
        assert_eq!(arabic(sentence), [sentence]);
    }
}

#[test]
fn era_markers_and_units_after_a_number_end_a_sentence_before_waw_or_fa() {
    assert_eq!(
        arabic("بنيت القلعة عام 1100 م. وقال المؤرخون إنها صمدت طويلاً."),
        ["بنيت القلعة عام 1100 م.", "وقال المؤرخون إنها صمدت طويلاً."]
    );
    assert_eq!(
        arabic("توفي الشيخ سنة ١٢٥٠ هـ. فحزن عليه أهل البلدة."),
        ["توفي الشيخ سنة ١٢٥٠ هـ.", "فحزن عليه أهل البلدة."]
    );
    assert_eq!(
        arabic("بلغ سعر ربطة الخبز 200 ل.س. وقال السكان إن الأسعار تضاعفت."),
        ["بلغ سعر ربطة الخبز 200 ل.س.", "وقال السكان إن الأسعار تضاعفت."]
    );
    assert_eq!(
        arabic("قطعت القافلة 50 كم. ووصلت إلى البادية مساءً."),
        ["قطعت القافلة 50 كم.", "ووصلت إلى البادية مساءً."]
    );
    // Without a number before it, `م.` is the engineer's title.
    let title = "وقال م. وليد الحسن إن الجسر سيعاد بناؤه.";
    assert_eq!(arabic(title), [title]);
}

#[test]
fn decimals_in_both_digit_systems_do_not_break() {
    assert_eq!(
        arabic("ارتفعت الأسعار بنسبة ٣٫٥ في المئة. وقال محللون إن الارتفاع سيستمر."),
        ["ارتفعت الأسعار بنسبة ٣٫٥ في المئة.", "وقال محللون إن الارتفاع سيستمر."]
    );
    let sentence = "ارتفع سعر الدولار إلى 12.5 ليرة في 8.6.2017 بحسب التجار.";
    assert_eq!(arabic(sentence), [sentence]);
    assert_eq!(
        english("Prices rose by 12.5 percent on 8.6.2017 in Raqqa. Analysts expect more."),
        ["Prices rose by 12.5 percent on 8.6.2017 in Raqqa.", "Analysts expect more."]
    );
}

#[test]
fn web_addresses_do_not_break() {
    assert_eq!(
        arabic(
            "نشرت الحملة البيان على موقعها www.raqqa-sl.com/news/2017.html. وقال الناشطون إن الصور حقيقية."
        ),
        ["نشرت الحملة البيان على موقعها www.raqqa-sl.com/news/2017.html.", "وقال الناشطون إن الصور حقيقية."]
    );
    let sentence = "See https://example.org/reports/raqqa.pdf?page=2.5 for the full text.";
    assert_eq!(english(sentence), [sentence]);
    let glued = "رابط التقرير http://example.org/الرقة.تقرير متاح للجميع.";
    assert_eq!(arabic(glued), [glued]);
}

#[test]
fn english_titles_months_and_initials_do_not_break() {
    assert_eq!(
        english("Dr. Smith said the clinic would reopen. Patients were relieved."),
        ["Dr. Smith said the clinic would reopen.", "Patients were relieved."]
    );
    assert_eq!(
        english("The talks began on Jan. 3 in Geneva. They ended a week later."),
        ["The talks began on Jan. 3 in Geneva.", "They ended a week later."]
    );
    for sentence in [
        "George W. Bush visited the base with Lt. Col. James Smith and Mr. Hall.",
        "The U.S. Army and the U.N. envoy met at 5 p.m. in Amman, i.e. after the vote.",
        "He lives at No. 10 Downing Street.",
        "Apple Inc. and Acme Corp. signed the deal.",
    ] {
        assert_eq!(english(sentence), [sentence]);
    }
    // A capital at the end of a hyphenated word is not an initial.
    assert_eq!(
        english("He finished ninth in the Super-G. Czech skier Jelinek was sixteenth."),
        ["He finished ninth in the Super-G.", "Czech skier Jelinek was sixteenth."]
    );
}

#[test]
fn latin_titles_inside_arabic_text_do_not_break() {
    let sentence = "التقى الوفد بـ Dr. Smith في عمّان.";
    assert_eq!(arabic(sentence), [sentence]);
}

// Glued sentences and continuations.

#[test]
fn glued_arabic_sentences_split_unless_dotted_acronym() {
    assert_eq!(
        arabic("وقالت إن المعارك مستمرة.وأضافت أن القصف طال الأحياء الشرقية."),
        ["وقالت إن المعارك مستمرة.", "وأضافت أن القصف طال الأحياء الشرقية."]
    );
    assert_eq!(arabic("هل انتهت المعركة؟وماذا بعد؟"), ["هل انتهت المعركة؟", "وماذا بعد؟"]);
    let acronym = "وقعت ج.م.ع الاتفاقية مع الأردن.";
    assert_eq!(arabic(acronym), [acronym]);
}

#[test]
fn quoted_question_followed_by_reporting_verb_goes_on() {
    for sentence in [
        "«هل ستعود الحياة إلى الرقة؟» قال أحمد بحزن.",
        "“متى تنتهي الحرب؟” تساءل أحد السكان.",
        "\"كفى!\" قالت امرأة من حي المشلب.",
        "«لماذا الآن؟» حسب ما نقلت الوكالة.",
    ] {
        assert_eq!(arabic(sentence), [sentence]);
    }
    // Another word after the quote starts a new sentence.
    assert_eq!(
        arabic("«هل ستعود الحياة؟» وأضاف أحمد أن الأمل ضعيف."),
        ["«هل ستعود الحياة؟»", "وأضاف أحمد أن الأمل ضعيف."]
    );
    // `ثم` only as a whole word (not ثمانية).
    assert_eq!(arabic("«لماذا؟» ثمانية أشخاص سألوا."), ["«لماذا؟»", "ثمانية أشخاص سألوا."]);
}

#[test]
fn english_lowercase_after_a_terminator_continues_the_sentence() {
    for sentence in ["\"Why now?\" he asked the commander.", "We waited... and then the convoy left."] {
        assert_eq!(english(sentence), [sentence]);
    }
    assert_eq!(english("\"Why now?\" He did not answer."), ["\"Why now?\"", "He did not answer."]);
}

// Lines and paragraphs.

#[test]
fn a_line_break_ends_a_segment_within_the_paragraph() {
    let segments = Segmenter::builtin().segment("الرقة تذبح بصمت\r\nبيان صحفي\n\nSecond", None);
    let found: Vec<(&str, usize)> = segments.iter().map(|s| (s.text.as_str(), s.paragraph)).collect();
    assert_eq!(found, [("الرقة تذبح بصمت", 0), ("بيان صحفي", 0), ("Second", 1)]);
}

#[test]
fn paragraphs_are_never_merged_even_after_an_abbreviation() {
    let segments = Segmenter::builtin().segment("قال د.\n\n\n  \nمحمد إن", Some(Lang::Ar));
    let found: Vec<(&str, usize)> = segments.iter().map(|s| (s.text.as_str(), s.paragraph)).collect();
    assert_eq!(found, [("قال د.", 0), ("محمد إن", 1)]);
    let separated = Segmenter::builtin().segment("One.\u{2029}Two.", Some(Lang::En));
    assert_eq!(separated.iter().map(|s| s.paragraph).collect::<Vec<_>>(), [0, 1]);
}

#[test]
fn a_numbered_list_item_keeps_its_number() {
    assert_eq!(english("1. Introduction\n2. The battle"), ["1. Introduction", "2. The battle"]);
}

#[test]
fn offsets_point_into_the_input() {
    let text = "\n\n  قال د. محمد: بدأت المعركة.  وسط القصف؟\r\n\r\nEnd.";
    let segments = Segmenter::builtin().segment(text, None);
    assert_eq!(segments.len(), 3);
    for segment in &segments {
        assert_eq!(&text[segment.start..segment.end], segment.text);
    }
    assert_eq!(segments[2].paragraph, 1);
}

// SRX semantics with user rules.

fn srx(rules: &str, maps: &str, cascade: &str) -> String {
    format!(
        r#"<?xml version="1.0"?>
<srx xmlns="http://www.lisa.org/srx20" version="2.0">
  <header segmentsubflows="yes" cascade="{cascade}"/>
  <body><languagerules>{rules}</languagerules><maprules>{maps}</maprules></body>
</srx>"#
    )
}

fn segments_with(xml: &str, text: &str, lang: Lang) -> Vec<String> {
    let segmenter = Segmenter::from_srx(xml, "test.srx").unwrap_or_else(|e| panic!("{e}"));
    segmenter.segment(text, Some(lang)).into_iter().map(|s| s.text).collect()
}

#[test]
fn rules_apply_in_order_and_first_match_wins() {
    let rules = r#"<languagerule languagerulename="ar">
        <rule break="no"><beforebreak>د\.</beforebreak><afterbreak>\s</afterbreak></rule>
        <rule break="yes"><beforebreak>[.؟]</beforebreak><afterbreak>\s</afterbreak></rule>
      </languagerule>"#;
    let maps = r#"<languagemap languagepattern="AR.*" languagerulename="ar"/>"#;
    let xml = srx(rules, maps, "no");
    assert_eq!(segments_with(&xml, "قال د. علي. ثم؟ نعم", Lang::Ar), ["قال د. علي.", "ثم؟", "نعم"]);
    // No rule for English: nothing breaks inside the paragraph.
    assert_eq!(segments_with(&xml, "One. Two.", Lang::En), ["One. Two."]);
}

#[test]
fn cascade_decides_whether_later_maps_contribute() {
    let rules = r#"<languagerule languagerulename="exceptions">
        <rule break="no"><beforebreak>Dr\.</beforebreak><afterbreak> </afterbreak></rule>
      </languagerule>
      <languagerule languagerulename="default">
        <rule break="yes"><beforebreak>\.</beforebreak><afterbreak> </afterbreak></rule>
      </languagerule>"#;
    let maps = r#"<languagemap languagepattern="en.*" languagerulename="exceptions"/>
      <languagemap languagepattern=".*" languagerulename="default"/>"#;
    let text = "Ask Dr. Hall. Now.";
    assert_eq!(segments_with(&srx(rules, maps, "yes"), text, Lang::En), ["Ask Dr. Hall.", "Now."]);
    // Without cascade only the first matching map (exceptions) applies: no break rules.
    assert_eq!(segments_with(&srx(rules, maps, "no"), text, Lang::En), [text]);
    assert_eq!(segments_with(&srx(rules, maps, "no"), "د. نعم. لا", Lang::Ar), ["د.", "نعم.", "لا"]);
}

#[test]
fn break_position_ignores_capture_groups_and_keeps_pattern_spaces() {
    // The `srx` crate shifts breaks when beforebreak has a group and drops
    // trailing spaces in patterns; both matter here.
    let rules = r#"<languagerule languagerulename="en">
        <rule break="no"><beforebreak>(Mr)\. </beforebreak><afterbreak></afterbreak></rule>
        <rule break="yes"><beforebreak>([a-z]+)(\.) </beforebreak><afterbreak></afterbreak></rule>
      </languagerule>"#;
    let maps = r#"<languagemap languagepattern="en" languagerulename="en"/>"#;
    assert_eq!(
        segments_with(&srx(rules, maps, "no"), "Ask Mr. Hall now. Then go. OK", Lang::En),
        ["Ask Mr. Hall now.", "Then go.", "OK"]
    );
}

#[test]
fn unicode_word_boundaries_work_on_arabic_text() {
    // `\b` on non-ASCII text cannot run on the one-pass DFA; the fallback
    // must give the SRX answer.
    let rules = r#"<languagerule languagerulename="ar">
        <rule break="no"><beforebreak>\bد\.</beforebreak><afterbreak>\s</afterbreak></rule>
        <rule break="yes"><beforebreak>\b\p{L}+\.</beforebreak><afterbreak>\s</afterbreak></rule>
      </languagerule>"#;
    let maps = r#"<languagemap languagepattern="ar" languagerulename="ar"/>"#;
    assert_eq!(
        segments_with(&srx(rules, maps, "no"), "قال د. محمد إن القصف مستمر. وأضاف 5. نعم", Lang::Ar),
        ["قال د. محمد إن القصف مستمر.", "وأضاف 5. نعم"]
    );
}

#[test]
fn exported_rules_load_back_and_segment_the_same() {
    let reloaded = Segmenter::from_srx(BUILTIN_SRX, "exported.srx").unwrap();
    let text = support::read_repo("examples/raqqa-2017/en.txt");
    let texts = |segments: Vec<Segment>| segments.into_iter().map(|s| s.text).collect::<Vec<_>>();
    assert_eq!(texts(reloaded.segment(&text, None)), texts(Segmenter::builtin().segment(&text, None)));
}

#[test]
fn exported_rules_are_an_srx_2_document() {
    let doc = dragoman::segment::srx::parse(BUILTIN_SRX, "built-in").unwrap();
    assert!(doc.cascade);
    assert!(BUILTIN_SRX.contains(r#"<srx xmlns="http://www.lisa.org/srx20" version="2.0">"#));
    let names: Vec<&str> = doc.language_rules.iter().map(|r| r.name.as_str()).collect();
    assert_eq!(names, ["Line breaks", "Common exceptions", "Arabic", "English"]);
    assert!(doc.language_maps.iter().any(|m| m.pattern == "(?i)ar.*" && m.rule_name == "Arabic"));
    // XML comments may not contain `--` (Java's parser rejects the file).
    for comment in BUILTIN_SRX.split("<!--").skip(1) {
        let body = comment.split("-->").next().unwrap();
        assert!(!body.contains("--"), "`--` inside an XML comment: {body}");
    }
}

// The lossless invariant.

fn check_lossless(text: &str, lang: Option<Lang>) -> Result<(), TestCaseError> {
    let segments = Segmenter::builtin().segment(text, lang);
    let mut previous_end = 0;
    let mut previous_paragraph = None;
    for segment in &segments {
        prop_assert!(segment.start >= previous_end, "segments out of order");
        prop_assert_eq!(text.get(segment.start..segment.end), Some(segment.text.as_str()));
        prop_assert!(!segment.text.is_empty());
        prop_assert!(
            !segment.text.starts_with(char::is_whitespace) && !segment.text.ends_with(char::is_whitespace)
        );
        prop_assert!(text[previous_end..segment.start].chars().all(char::is_whitespace), "non-space dropped");
        prop_assert!(previous_paragraph.is_none_or(|p| segment.paragraph == p || segment.paragraph == p + 1));
        previous_end = segment.end;
        previous_paragraph = Some(segment.paragraph);
    }
    prop_assert!(text[previous_end..].chars().all(char::is_whitespace), "non-space dropped at the end");
    Ok(())
}

/// Arabic-heavy text: letters, harakat, tatweel, both digit sets,
/// terminators, quotes, abbreviations, line and paragraph breaks, bidi marks.
fn arabic_heavy() -> impl Strategy<Value = String> {
    let pieces = prop::sample::select(vec![
        "الرقة",
        "قال",
        "د.",
        "م.",
        "ج.م.ع",
        "كم.",
        "1100",
        "٣٫٥",
        "12.5",
        "ـ",
        "\u{064E}",
        "\u{0651}",
        ".",
        "؟",
        "!",
        "…",
        "...",
        "،",
        "؛",
        ":",
        "«",
        "»",
        "“",
        "”",
        "\"",
        " ",
        " ",
        " ",
        "\u{00A0}",
        "\n",
        "\r\n",
        "\n\n",
        "\u{2029}",
        "\u{2028}",
        "\r",
        "\u{200F}",
        "Dr.",
        "U.S.",
        "www.x.com/a.b",
        "و",
        "ف",
        "ISIS",
        "a",
        "Z",
    ]);
    prop::collection::vec(
        prop_oneof![pieces.prop_map(str::to_string), any::<char>().prop_map(String::from)],
        0..60,
    )
    .prop_map(|parts| parts.concat())
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(600))]

    #[test]
    fn segments_are_exact_ordered_substrings_on_arbitrary_text(text in any::<String>()) {
        check_lossless(&text, None)?;
    }

    #[test]
    fn segments_are_exact_ordered_substrings_on_arabic_heavy_text(text in arabic_heavy()) {
        check_lossless(&text, None)?;
        check_lossless(&text, Some(Lang::Ar))?;
        check_lossless(&text, Some(Lang::En))?;
    }
}

#[test]
fn arabic_quotation_closing_without_a_stop_ends_the_sentence() {
    // Issue #15.3: a new quotation or a reporting verb follows the quote.
    assert_eq!(
        arabic("قال إن \"الوضع تحت السيطرة\" \"نحن مستعدون لكل الاحتمالات\"."),
        vec!["قال إن \"الوضع تحت السيطرة\"", "\"نحن مستعدون لكل الاحتمالات\"."]
    );
    assert_eq!(
        arabic("وقال إن الأمور تسير \"بصورة جيدة\" وأضاف أن الاجتماع سيعقد غدا."),
        vec!["وقال إن الأمور تسير \"بصورة جيدة\"", "وأضاف أن الاجتماع سيعقد غدا."]
    );
    assert_eq!(
        arabic("وهي «خطوة في الاتجاه الصحيح» على حد «تعبيره» وتابعت الصحيفة أن المحادثات مستمرة."),
        vec!["وهي «خطوة في الاتجاه الصحيح» على حد «تعبيره»", "وتابعت الصحيفة أن المحادثات مستمرة."]
    );
    assert_eq!(
        arabic("ووصف الوضع بأنه ”مستقر“ فقال آخرون إنه هش."),
        vec!["ووصف الوضع بأنه ”مستقر“ فقال آخرون إنه هش."],
        "a quote mark opening after the letter is not a closing one"
    );
    // A quotation inside the sentence, followed by anything else, goes on.
    assert_eq!(
        arabic("ووصف الوزير الاتفاق بأنه \"تاريخي\" في مؤتمر صحفي عقده أمس."),
        vec!["ووصف الوزير الاتفاق بأنه \"تاريخي\" في مؤتمر صحفي عقده أمس."]
    );
    assert_eq!(arabic("وقال «لن نتراجع» وأضافوا جملة."), vec!["وقال «لن نتراجع»", "وأضافوا جملة."]);
}

#[test]
fn a_closing_quote_glued_to_the_next_word_stays_with_its_sentence() {
    // Issue #15.3: the stop and the quote ended two segments, leaving a lone `"`.
    assert_eq!(
        arabic("وقال إن \"المفاوضات مستمرة.\"وأضاف أن الجولة المقبلة ستعقد في جنيف."),
        vec!["وقال إن \"المفاوضات مستمرة.\"", "وأضاف أن الجولة المقبلة ستعقد في جنيف."]
    );
    for text in ["قال: \"انتهى.\"وأضاف شيئا.", "وأكد «انتهى.»وتابع حديثه.", "انتهى.“وقال آخر.”"]
    {
        for segment in arabic(text) {
            assert!(
                segment.chars().any(char::is_alphanumeric),
                "{segment:?} is punctuation alone in {text:?}"
            );
        }
    }
}
