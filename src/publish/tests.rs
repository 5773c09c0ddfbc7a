//! Renderer tests on small hand-built pairs with Arabic text.

use super::*;
use crate::align::Bead;
use crate::pair::{ArticlePair, PairOptions};

/// A pair from presegmented texts (one sentence a line, blank line between
/// paragraphs) and explicit beads `(source, target, confidence)`.
fn pair(source: &str, target: &str, beads: &[(&[usize], &[usize], f64)]) -> ArticlePair {
    let beads = beads
        .iter()
        .map(|(s, t, c)| Bead { source: s.to_vec(), target: t.to_vec(), confidence: *c, evidence: vec![] })
        .collect();
    let options = PairOptions { presegmented: true, beads: Some(beads), ..PairOptions::default() };
    ArticlePair::build("raqqa-test", source, target, &options).expect("beads cover the texts")
}

const SOURCE: &str = "خلاف دولي في معركة الرقة\n\n\
    استشهد أكثر من 70 مدني في الرقة.\n\
    وقالت وكالة انترفاكس إن داعش سيخرج.\n\n\
    Founder of Raqqa is being slaughtered silently.\n";
const TARGET: &str = "International Dispute over the Battle of Raqqa\n\n\
    More than 70 civilians were killed in Raqqa.\n\n\
    Interfax said ISIS would leave.\n\n\
    Founder of Raqqa is being slaughtered silently.\n";

fn example() -> ArticlePair {
    pair(SOURCE, TARGET, &[(&[0], &[0], 0.9), (&[1], &[1], 0.8), (&[2], &[2], 0.2), (&[3], &[3], 0.95)])
}

fn raqqa(bead: usize, side: Side, text: &str, nth: usize) -> Highlight {
    let start = text.match_indices(match side {
        Side::Source => "الرقة",
        Side::Target => "Raqqa",
    });
    let (start, found) = start.into_iter().nth(nth).expect("term in text");
    Highlight {
        bead,
        side,
        span: start..start + found.len(),
        term: "الرقة".into(),
        rendering: "Raqqa".into(),
        note: "City on the Euphrates".into(),
        kind: "Place".into(),
    }
}

#[test]
fn rows_carry_cells_with_detected_language_and_paragraph_starts() {
    let edition = Edition::build(&example(), Metadata::default(), &[], vec![], EditionOptions::default());
    assert_eq!(edition.rows.len(), 4);
    let langs: Vec<(Lang, Lang)> = edition.rows.iter().map(|r| (r.source.lang, r.target.lang)).collect();
    // The Arabic side's last paragraph is an English caption.
    assert_eq!(
        langs,
        [(Lang::Ar, Lang::En), (Lang::Ar, Lang::En), (Lang::Ar, Lang::En), (Lang::En, Lang::En)]
    );
    assert_eq!(edition.rows[1].source.text, "استشهد أكثر من 70 مدني في الرقة.");
    let starts: Vec<bool> = edition.rows.iter().map(|r| r.paragraph_start).collect();
    // Row 3: the Arabic sentence continues a paragraph, the English one starts one.
    assert_eq!(starts, [true, true, true, true]);
    let lows: Vec<bool> = edition.rows.iter().map(|r| r.low_confidence).collect();
    assert_eq!(lows, [false, false, true, false]);
}

#[test]
fn a_bead_across_paragraphs_breaks_inside_its_cell() {
    let p = pair(SOURCE, TARGET, &[(&[0], &[0], 0.9), (&[1, 2], &[1, 2], 0.7), (&[3], &[3], 0.9)]);
    let edition = Edition::build(&p, Metadata::default(), &[], vec![], EditionOptions::default());
    let target = &edition.rows[1].target;
    assert_eq!(target.text, "More than 70 civilians were killed in Raqqa. Interfax said ISIS would leave.");
    assert_eq!(target.paragraph_breaks, vec![target.text.find("Interfax").unwrap()]);
    assert!(edition.rows[1].source.paragraph_breaks.is_empty(), "both Arabic sentences share a paragraph");
    let html = render_bilingual_html(&edition);
    let cell = html.split("id=\"bead-2\"").nth(1).unwrap().split("id=\"bead-3\"").next().unwrap();
    assert_eq!(cell.matches("class=\"pbreak\"").count(), 1);
}

#[test]
fn the_headline_becomes_the_title_unless_one_is_given() {
    let edition = Edition::build(&example(), Metadata::default(), &[], vec![], EditionOptions::default());
    assert_eq!(edition.title, "International Dispute over the Battle of Raqqa");
    assert!(edition.title_from_text);
    assert_eq!(edition.body_paragraphs().len(), 3);
    assert!(edition.body_paragraphs()[0].text.starts_with("More than 70"));

    let metadata = Metadata { title: Some("Raqqa: who decides".into()), ..Metadata::default() };
    let edition = Edition::build(&example(), metadata, &[], vec![], EditionOptions::default());
    assert_eq!(edition.title, "Raqqa: who decides");
    assert_eq!(edition.body_paragraphs().len(), 4);

    let single = pair("جملة واحدة.", "One sentence.", &[(&[0], &[0], 0.9)]);
    let edition = Edition::build(&single, Metadata::default(), &[], vec![], EditionOptions::default());
    assert_eq!(edition.title, "raqqa-test", "a lone sentence is body text, not a headline");
}

#[test]
fn overlapping_and_invalid_highlights_are_resolved_deterministically() {
    let p = example();
    let source_cell = p.source_of(&p.alignment.beads[0]);
    let whole = Highlight {
        span: 0..source_cell.len(),
        term: "خلاف دولي في معركة الرقة".into(),
        ..raqqa(0, Side::Source, &source_cell, 0)
    };
    let nested = raqqa(0, Side::Source, &source_cell, 0);
    // Starts inside the two-byte letter خ: not a character boundary.
    let off_boundary = Highlight { span: 1..4, ..nested.clone() };
    let out_of_range = Highlight { span: 0..10_000, ..nested.clone() };
    let no_such_bead = Highlight { bead: 99, ..nested.clone() };
    for order in [
        vec![nested.clone(), whole.clone(), off_boundary.clone(), out_of_range.clone(), no_such_bead.clone()],
        vec![no_such_bead, out_of_range, off_boundary, whole.clone(), nested],
    ] {
        let edition = Edition::build(&p, Metadata::default(), &order, vec![], EditionOptions::default());
        let marks = &edition.rows[0].source.marks;
        assert_eq!(marks.len(), 1, "the longer of two nested highlights wins");
        assert_eq!(marks[0].span, whole.span);
        assert_eq!(marks[0].terms.len(), 1);
        assert_eq!(marks[0].terms[0].kind, "place");
    }
}

#[test]
fn entries_spelled_alike_share_one_mark() {
    let p = example();
    let cell = p.target_of(&p.alignment.beads[1]);
    let city = raqqa(1, Side::Target, &cell, 0);
    let governorate = Highlight {
        term: "محافظة الرقة".into(),
        note: "the governorate".into(),
        kind: "place".into(),
        ..city.clone()
    };
    let highlights = [city.clone(), governorate, city];
    let edition = Edition::build(&p, Metadata::default(), &highlights, vec![], EditionOptions::default());
    let marks = &edition.rows[1].target.marks;
    assert_eq!(marks.len(), 1);
    assert_eq!(marks[0].terms.len(), 2, "a repeated highlight adds nothing");
    let html = render_bilingual_html(&edition);
    assert!(html.contains(
        "title=\"الرقة → Raqqa — City on the Euphrates&#10;محافظة الرقة → Raqqa — the governorate\">Raqqa</mark>"
    ));
}

#[test]
fn a_finding_on_a_highlighted_term_joins_its_mark() {
    let p = example();
    let target = p.target_of(&p.alignment.beads[1]);
    let highlight = raqqa(1, Side::Target, &target, 0);
    let number = target.find("70").unwrap();
    let findings = vec![
        FindingMark {
            check: "term-forbidden".into(),
            severity: Severity::Error,
            message: "use Raqqa".into(),
            beads: vec![1],
            spans: vec![FindingSpan {
                bead: 1,
                side: Side::Target,
                span: highlight.span.start + 1..highlight.span.end,
            }],
        },
        FindingMark {
            check: "number-mismatch".into(),
            severity: Severity::Warning,
            message: "70 vs 71".into(),
            beads: vec![1, 3, 99],
            spans: vec![
                FindingSpan { bead: 1, side: Side::Target, span: number..number + 2 },
                FindingSpan { bead: 1, side: Side::Source, span: 9999..10_000 },
                FindingSpan { bead: 99, side: Side::Source, span: 0..1 },
            ],
        },
        FindingMark {
            check: "quotes".into(),
            severity: Severity::Info,
            message: "document-level".into(),
            beads: vec![],
            spans: vec![],
        },
    ];
    let edition = Edition::build(
        &p,
        Metadata::default(),
        std::slice::from_ref(&highlight),
        findings,
        EditionOptions::default(),
    );
    let marks = &edition.rows[1].target.marks;
    assert_eq!(marks.len(), 2);
    assert_eq!(marks[0].span, number..number + 2);
    assert_eq!(marks[0].findings, vec![1]);
    assert_eq!(marks[1].span, highlight.span);
    assert_eq!(marks[1].findings, vec![0]);
    assert_eq!(edition.rows[1].findings, vec![0, 1]);
    assert_eq!(
        edition.count_by_severity(),
        [(Severity::Error, 1), (Severity::Warning, 1), (Severity::Info, 1)]
    );

    let html = render_bilingual_html(&edition);
    assert!(html.contains("<div class=\"row para-start has-error\" id=\"bead-2\""));
    assert!(html.contains("<mark class=\"term term-place flag flag-error\" title=\"الرقة → Raqqa — City on the Euphrates&#10;error [term-forbidden]: use Raqqa\">Raqqa</mark>"));
    assert!(html.contains(
        "<mark class=\"flag flag-warning\" title=\"warning [number-mismatch]: 70 vs 71\">70</mark>"
    ));
    // Findings list: the error first, linked to its row; the document finding unlinked.
    let list = html.split("<section class=\"findings\"").nth(1).unwrap();
    let error =
        list.find("<li id=\"finding-1\" class=\"finding sev-error\"><a href=\"#bead-2\">Row 2</a>").unwrap();
    let warning =
        list.find("<li id=\"finding-2\" class=\"finding sev-warning\"><a href=\"#bead-2\">").unwrap();
    let info = list
        .find("<li id=\"finding-3\" class=\"finding sev-info\"><span class=\"doc\">Document</span>")
        .unwrap();
    assert!(error < warning && warning < info);
}

#[test]
fn locator_maps_text_spans_to_cells() {
    let p = pair(SOURCE, TARGET, &[(&[0], &[0], 0.9), (&[1, 2], &[1, 2], 0.7), (&[3], &[3], 0.9)]);
    let locator = CellLocator::new(&p);
    for (side, text, term) in [
        (Side::Source, &p.source_text, "انترفاكس"),
        (Side::Target, &p.target_text, "Interfax"),
        (Side::Target, &p.target_text, "Founder"),
    ] {
        let start = text.find(term).unwrap();
        let (bead, span) = locator.locate(side, &(start..start + term.len())).expect("inside a sentence");
        let cell = match side {
            Side::Source => p.source_of(&p.alignment.beads[bead]),
            Side::Target => p.target_of(&p.alignment.beads[bead]),
        };
        assert_eq!(&cell[span], term);
    }
    // A span across two sentences has no single cell.
    let across = p.target_text.find("Raqqa.").unwrap()..p.target_text.find("Interfax").unwrap() + 3;
    assert_eq!(locator.locate(Side::Target, &across), None);
}

#[test]
fn bilingual_page_puts_english_left_arabic_right_with_lang_and_dir() {
    let p = example();
    let highlights: Vec<Highlight> = (0..4)
        .flat_map(|b| {
            let bead = &p.alignment.beads[b];
            let (s, t) = (p.source_of(bead), p.target_of(bead));
            let mut found = vec![];
            if s.contains("الرقة") {
                found.push(raqqa(b, Side::Source, &s, 0));
            }
            if t.contains("Raqqa") {
                found.push(raqqa(b, Side::Target, &t, 0));
            }
            found
        })
        .collect();
    let metadata = Metadata {
        byline: Some("Raqqa is Being Slaughtered Silently".into()),
        date: Some("2017-05-28".into()),
        source_url: Some("https://www.raqqa-sl.co/?p=4785".into()),
        ..Metadata::default()
    };
    let edition = Edition::build(&p, metadata, &highlights, vec![], EditionOptions::default());
    let html = render_bilingual_html(&edition);
    assert!(html.starts_with("<!DOCTYPE html>\n<html lang=\"en\" dir=\"ltr\">"));
    assert_eq!(html.matches("data-bead=").count(), 4);
    for row in html.split("<div class=\"row").skip(2) {
        let english = row.find("cell-target").unwrap();
        let arabic = row.find("cell-source").unwrap();
        assert!(english < arabic, "English column first (left in an ltr page)");
    }
    assert_eq!(html.matches("<div class=\"cell cell-source\" lang=\"ar\" dir=\"rtl\">").count(), 3);
    assert!(html.contains(
        "<div class=\"cell cell-source\" lang=\"en\" dir=\"ltr\">Founder of Raqqa is being slaughtered"
    ));
    let rows = html.split("<div class=\"edition\">").nth(1).unwrap();
    assert_eq!(rows.matches("<mark class=\"term").count(), highlights.len());
    assert!(html.contains("class=\"row para-start low-confidence\" id=\"bead-3\""));
    assert!(html.contains("<a href=\"https://www.raqqa-sl.co/?p=4785\" rel=\"noopener\">"));
    assert!(html.contains("<p class=\"title-source\" lang=\"ar\" dir=\"rtl\">خلاف دولي في معركة الرقة</p>"));
    assert!(
        html.contains(
            "\"Noto Naskh Arabic\", \"Amiri\", \"Scheherazade New\", \"Geeza Pro\", \"Arial\", serif"
        )
    );
    assert!(html.contains("@media screen and (max-width: 720px)"));
    assert!(html.contains("@page { size: A4;"));
    assert!(html.contains("body:not(.print-highlights) mark"));
    assert!(html.contains("<aside class=\"legend\""));
    // Self-contained: nothing fetched.
    for external in ["<script", "<link", " src=", "@import", "url(", "@font-face"] {
        assert!(!html.contains(external), "{external} in the page");
    }
    let printable = EditionOptions { print_highlights: true, ..EditionOptions::default() };
    let edition = Edition::build(&p, Metadata::default(), &highlights, vec![], printable);
    assert!(render_bilingual_html(&edition).contains("<body class=\"bilingual print-highlights\">"));
}

#[test]
fn empty_sides_and_warnings_show_on_the_page() {
    let mut p = pair("جملة أولى.\nجملة ثانية.", "First sentence.", &[(&[0], &[0], 0.9), (&[1], &[], 0.0)]);
    p.alignment.warnings.push("the translation is much shorter than the source".into());
    let edition = Edition::build(&p, Metadata::default(), &[], vec![], EditionOptions::default());
    let html = render_bilingual_html(&edition);
    assert!(html.contains("<section class=\"warnings\" role=\"alert\">"));
    assert!(html.contains("<li>the translation is much shorter than the source</li>"));
    let row = html.split("id=\"bead-2\"").nth(1).unwrap();
    assert!(row.contains("<div class=\"cell cell-target\" lang=\"en\" dir=\"ltr\"><span class=\"empty\""));
}

#[test]
fn english_editions_follow_the_translation_paragraphs() {
    let metadata = Metadata {
        byline: Some("Raqqa is Being Slaughtered Silently".into()),
        date: Some("28 May 2017".into()),
        source_url: Some("https://www.raqqa-sl.co/?p=4785".into()),
        ..Metadata::default()
    };
    let edition = Edition::build(&example(), metadata, &[], vec![], EditionOptions::default());
    let html = render_english_html(&edition);
    assert!(html.contains("<html lang=\"en\" dir=\"ltr\">"));
    assert!(html.contains("<h1>International Dispute over the Battle of Raqqa</h1>"));
    assert!(html.contains("<p class=\"byline\">Raqqa is Being Slaughtered Silently</p>"));
    assert_eq!(html.matches("<p>").count(), 3);
    assert!(!html.contains("class=\"dek\""), "a sentence is body text");
    assert!(html.contains("<p>Interfax said ISIS would leave.</p>"));

    let markdown = render_english_markdown(&edition);
    assert_eq!(
        markdown,
        "# International Dispute over the Battle of Raqqa\n\n\
         *Raqqa is Being Slaughtered Silently*\n\n28 May 2017\n\nOriginal: <https://www.raqqa-sl.co/?p=4785>\n\n\
         More than 70 civilians were killed in Raqqa.\n\nInterfax said ISIS would leave.\n\n\
         Founder of Raqqa is being slaughtered silently.\n"
    );
    let text = render_english_text(&edition);
    assert!(text.starts_with("International Dispute over the Battle of Raqqa\n====="));
    assert!(
        text.ends_with(
            "Interfax said ISIS would leave.\n\nFounder of Raqqa is being slaughtered silently.\n"
        )
    );
    assert!(text.contains("\nOriginal: https://www.raqqa-sl.co/?p=4785\n"));
}

const HOSTILE: &str = "<script>alert(1)</script> \"><img src=x onerror=alert(1)> \u{202E}gpj.exe\u{2066}\u{200F}\u{061C} &amp; [x](javascript:alert(1))";

/// Tags and attribute names found by a small HTML tokenizer (enough for our
/// output: every attribute value is double-quoted).
fn tags_and_attributes(html: &str) -> (Vec<String>, Vec<String>) {
    let (mut tags, mut attributes) = (Vec::new(), Vec::new());
    let mut rest = html;
    while let Some(open) = rest.find('<') {
        rest = &rest[open + 1..];
        if rest.starts_with("!DOCTYPE") {
            continue;
        }
        let name_end = rest.find(|c: char| c.is_whitespace() || c == '>').unwrap();
        tags.push(rest[..name_end].trim_start_matches('/').to_ascii_lowercase());
        rest = &rest[name_end..];
        loop {
            rest = rest.trim_start();
            if let Some(after) = rest.strip_prefix('>') {
                rest = after;
                break;
            }
            let end = rest.find(|c: char| c == '=' || c == '>' || c.is_whitespace()).unwrap();
            attributes.push(rest[..end].to_ascii_lowercase());
            rest = &rest[end..];
            if let Some(value) = rest.strip_prefix("=\"") {
                let close = value.find('"').expect("closing quote");
                assert!(!value[..close].contains('<'), "raw < in attribute");
                rest = &value[close + 1..];
            }
        }
    }
    (tags, attributes)
}

#[test]
fn hostile_text_is_inert_in_every_edition() {
    let source = format!("خلاف {HOSTILE}\n\nالرقة {HOSTILE}.\n");
    let target = format!("Title {HOSTILE}\n\nRaqqa {HOSTILE}.\n\n# {HOSTILE}\n");
    let p = pair(&source, &target, &[(&[0], &[0], 0.9), (&[1], &[1, 2], 0.1)]);
    let source_cell = p.source_of(&p.alignment.beads[1]);
    let target_cell = p.target_of(&p.alignment.beads[1]);
    let mut highlight = raqqa(1, Side::Source, &source_cell, 0);
    highlight.note = HOSTILE.into();
    highlight.kind = "\"><script>".into();
    let script = target_cell.find("<script>").unwrap();
    let findings = vec![FindingMark {
        check: HOSTILE.into(),
        severity: Severity::Error,
        message: HOSTILE.into(),
        beads: vec![1],
        spans: vec![FindingSpan { bead: 1, side: Side::Target, span: script..script + 8 }],
    }];
    let metadata = Metadata {
        title: None,
        byline: Some(HOSTILE.into()),
        source_url: Some("javascript:alert(1)".into()),
        date: Some(HOSTILE.into()),
    };
    let mut p = p;
    p.alignment.warnings.push(HOSTILE.into());
    let edition = Edition::build(&p, metadata, &[highlight], findings, EditionOptions::default());

    let allowed_tags = [
        "html", "head", "meta", "title", "style", "body", "header", "h1", "h2", "p", "main", "section", "ul",
        "ol", "li", "aside", "span", "mark", "div", "a", "br", "code", "time", "article", "footer",
    ];
    let allowed_attributes =
        ["lang", "dir", "charset", "name", "content", "class", "id", "href", "title", "rel"]
            .into_iter()
            .chain(["data-bead", "data-confidence", "role", "aria-label", "aria-hidden"])
            .collect::<Vec<_>>();
    for (which, html) in
        [("bilingual", render_bilingual_html(&edition)), ("english", render_english_html(&edition))]
    {
        let (tags, attributes) = tags_and_attributes(&html);
        for tag in &tags {
            assert!(allowed_tags.contains(&tag.as_str()), "{which}: unexpected tag <{tag}>");
        }
        for attribute in &attributes {
            assert!(
                allowed_attributes.contains(&attribute.as_str()),
                "{which}: unexpected attribute {attribute}"
            );
        }
        assert!(!html.contains("javascript:alert(1)\""), "{which}: no javascript: link");
        assert!(!html.chars().any(escape::is_bidi_control), "{which}: a raw bidi control");
        assert!(html.contains("[U+202E]") && html.contains("[U+2066]"), "{which}: visible markers");
        assert!(html.contains("&lt;script&gt;alert(1)&lt;/script&gt;"), "{which}: the text is still there");
    }

    let markdown = render_english_markdown(&edition);
    assert!(!markdown.chars().any(escape::is_bidi_control));
    for (i, c) in markdown.char_indices() {
        if matches!(c, '<' | '>' | '[' | ']' | '*' | '`' | '&' | '_') {
            let escaped = markdown[..i].ends_with('\\');
            // The byline's own emphasis markers are the only unescaped ones.
            let emphasis = c == '*' && markdown[..i].lines().last().is_none_or(|l| l.is_empty());
            let closing_emphasis = c == '*' && markdown[i + 1..].starts_with('\n');
            assert!(escaped || emphasis || closing_emphasis, "unescaped {c:?} at {i} in {markdown}");
        }
    }
    assert!(markdown.contains("Original: javascript:alert(1)"), "not a link");
    assert!(markdown.contains("\n\\# Title") || markdown.contains("\n\\# "), "line-start # escaped");

    let text = render_english_text(&edition);
    assert!(!text.chars().any(escape::is_bidi_control));
    assert!(text.contains("<script>alert(1)</script>"), "plain text keeps the text as written");
}
