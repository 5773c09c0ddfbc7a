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

/// WCAG 2 contrast of every text on the pages, computed from their own
/// stylesheets: a small cascade (the rules outside `@media`, i.e. the
/// screen; selectors of tags, classes, `:not(.class)`, `[attr="value"]`,
/// descendant and child combinators; specificity, then source order;
/// `inherit`/`currentColor` and unset colours from the parent; the nearest
/// background, every colour of a gradient) applied to each text node's
/// chain of elements in the rendered page.
mod contrast {
    use std::collections::HashMap;

    #[derive(Debug, Clone)]
    struct Element {
        tag: String,
        classes: Vec<String>,
        attributes: Vec<(String, String)>,
    }

    #[derive(Debug, Default)]
    struct Compound {
        tag: Option<String>,
        classes: Vec<String>,
        not_classes: Vec<String>,
        attributes: Vec<(String, String)>,
    }

    impl Compound {
        fn parse(text: &str) -> Option<Compound> {
            let pattern =
                regex::Regex::new(r#"^([a-z0-9]+|\*)?((?:\.[\w-]+|:not\(\.[\w-]+\)|\[[\w-]+="[^"]*"\])*)$"#)
                    .unwrap();
            let parts = pattern.captures(text)?;
            let mut compound = Compound {
                tag: parts.get(1).map(|t| t.as_str().to_string()).filter(|t| t != "*"),
                ..Compound::default()
            };
            let piece = regex::Regex::new(r#"\.([\w-]+)|:not\(\.([\w-]+)\)|\[([\w-]+)="([^"]*)"\]"#).unwrap();
            for found in piece.captures_iter(&parts[2]) {
                if let Some(class) = found.get(1) {
                    compound.classes.push(class.as_str().into());
                } else if let Some(class) = found.get(2) {
                    compound.not_classes.push(class.as_str().into());
                } else {
                    compound.attributes.push((found[3].into(), found[4].into()));
                }
            }
            Some(compound)
        }

        fn specificity(&self) -> (usize, usize) {
            (
                self.classes.len() + self.not_classes.len() + self.attributes.len(),
                usize::from(self.tag.is_some()),
            )
        }

        fn matches(&self, element: &Element) -> bool {
            self.tag.as_ref().is_none_or(|t| *t == element.tag)
                && self.classes.iter().all(|c| element.classes.contains(c))
                && self.not_classes.iter().all(|c| !element.classes.contains(c))
                && self.attributes.iter().all(|a| element.attributes.contains(a))
        }
    }

    /// Compounds right to left, each with whether it must be the parent
    /// (`>`) of the one before, or any ancestor.
    struct Selector(Vec<(Compound, bool)>);

    impl Selector {
        fn parse(text: &str) -> Option<Selector> {
            let spaced = text.replace('>', " > ");
            let mut compounds = Vec::new();
            let mut child = false;
            for token in spaced.split_whitespace() {
                if token == ">" {
                    child = true;
                    continue;
                }
                compounds.push((Compound::parse(token)?, child));
                child = false;
            }
            // Stored right to left: the combinator belongs to the compound on its right.
            let mut reversed = Vec::new();
            for i in (0..compounds.len()).rev() {
                let to_left = compounds[i].1;
                reversed.push((std::mem::take(&mut compounds[i].0), to_left));
            }
            Some(Selector(reversed))
        }

        fn specificity(&self) -> (usize, usize) {
            self.0.iter().fold((0, 0), |(a, b), (c, _)| (a + c.specificity().0, b + c.specificity().1))
        }

        fn matches(&self, chain: &[Element]) -> bool {
            fn from(parts: &[(Compound, bool)], chain: &[Element]) -> bool {
                let Some(((compound, child), rest)) = parts.split_first() else { return true };
                let Some((last, ancestors)) = chain.split_last() else { return false };
                if !compound.matches(last) {
                    return false;
                }
                if rest.is_empty() {
                    return true;
                }
                if *child {
                    return from(rest, ancestors);
                }
                (1..=ancestors.len()).rev().any(|end| from(rest, &ancestors[..end]))
            }
            from(&self.0, chain)
        }
    }

    struct Declaration {
        selector: Selector,
        order: usize,
        property: &'static str,
        value: String,
    }

    pub(super) struct Stylesheet {
        declarations: Vec<Declaration>,
        variables: HashMap<String, String>,
    }

    impl Stylesheet {
        /// The screen rules of `css` (`@media` blocks left out).
        pub(super) fn parse(css: &str) -> Stylesheet {
            let mut screen = String::new();
            let mut rest = css;
            while let Some(at) = rest.find("@media") {
                screen.push_str(&rest[..at]);
                let open = at + rest[at..].find('{').unwrap();
                let mut depth = 0;
                let mut end = open;
                for (i, c) in rest[open..].char_indices() {
                    match c {
                        '{' => depth += 1,
                        '}' => depth -= 1,
                        _ => {}
                    }
                    if depth == 0 {
                        end = open + i + 1;
                        break;
                    }
                }
                rest = &rest[end..];
            }
            screen.push_str(rest);
            let mut sheet = Stylesheet { declarations: Vec::new(), variables: HashMap::new() };
            for (order, rule) in screen.split('}').enumerate() {
                let Some((selectors, body)) = rule.split_once('{') else { continue };
                for declaration in body.split(';') {
                    let Some((property, value)) = declaration.split_once(':') else { continue };
                    let (property, value) = (property.trim(), value.trim().to_string());
                    if selectors.trim() == ":root" {
                        sheet.variables.insert(property.to_string(), value);
                        continue;
                    }
                    let property = match property {
                        "color" => "color",
                        "background" | "background-color" => "background",
                        _ => continue,
                    };
                    for selector in selectors.split(',') {
                        // Pseudo-classes other than :not (e.g. :target) are states, not the page at rest.
                        if let Some(selector) = Selector::parse(selector.trim()) {
                            sheet.declarations.push(Declaration {
                                selector,
                                order,
                                property,
                                value: value.clone(),
                            });
                        }
                    }
                }
            }
            sheet
        }

        fn winning(&self, property: &str, chain: &[Element]) -> Option<&str> {
            self.declarations
                .iter()
                .filter(|d| d.property == property && d.selector.matches(chain))
                .max_by_key(|d| (d.selector.specificity(), d.order))
                .map(|d| d.value.as_str())
        }

        fn colours(&self, value: &str) -> Vec<[u8; 3]> {
            let resolved = regex::Regex::new(r"var\((--[\w-]+)\)")
                .unwrap()
                .replace_all(value, |c: &regex::Captures| self.variables[&c[1]].clone())
                .into_owned();
            regex::Regex::new(r"#([0-9a-fA-F]{6}|[0-9a-fA-F]{3})\b")
                .unwrap()
                .captures_iter(&resolved)
                .map(|c| {
                    let hex = &c[1];
                    let hex = if hex.len() == 3 {
                        hex.chars().flat_map(|x| [x, x]).collect()
                    } else {
                        hex.to_string()
                    };
                    let byte = |i: usize| u8::from_str_radix(&hex[i..i + 2], 16).unwrap();
                    [byte(0), byte(2), byte(4)]
                })
                .collect()
        }

        /// The text colour and the background colours behind a text node.
        fn text_and_background(&self, chain: &[Element]) -> ([u8; 3], Vec<[u8; 3]>) {
            let mut text = [0, 0, 0];
            for end in (1..=chain.len()).rev() {
                match self.winning("color", &chain[..end]) {
                    Some(v) if v != "inherit" && !v.eq_ignore_ascii_case("currentcolor") => {
                        text = self.colours(v)[0];
                        break;
                    }
                    _ => {}
                }
            }
            for end in (1..=chain.len()).rev() {
                if let Some(v) = self.winning("background", &chain[..end]) {
                    let colours = self.colours(v);
                    if !colours.is_empty() {
                        return (text, colours);
                    }
                }
            }
            (text, vec![[255, 255, 255]])
        }
    }

    fn luminance([r, g, b]: [u8; 3]) -> f64 {
        let channel = |c: u8| {
            let c = f64::from(c) / 255.0;
            if c <= 0.03928 { c / 12.92 } else { ((c + 0.055) / 1.055).powf(2.4) }
        };
        0.2126 * channel(r) + 0.7152 * channel(g) + 0.0722 * channel(b)
    }

    pub(super) fn ratio(a: [u8; 3], b: [u8; 3]) -> f64 {
        let (x, y) = (luminance(a), luminance(b));
        (x.max(y) + 0.05) / (x.min(y) + 0.05)
    }

    /// Every text node of `html`'s body with its chain of elements, checked
    /// against the page's own `<style>`; returns the pairs under 4.5:1.
    pub(super) fn failures(html: &str) -> Vec<String> {
        let css = html.split("<style>").nth(1).unwrap().split("</style>").next().unwrap();
        let sheet = Stylesheet::parse(css);
        let body = &html[html.find("<body").unwrap()..];
        let tag = regex::Regex::new(r#"<(/?)([a-z0-9]+)([^>]*)>"#).unwrap();
        let attribute = regex::Regex::new(r#"([\w-]+)="([^"]*)""#).unwrap();
        let mut chain: Vec<Element> = Vec::new();
        let mut failures = Vec::new();
        let mut at = 0;
        let mut texts = 0;
        for found in tag.captures_iter(body) {
            let whole = found.get(0).unwrap();
            let text = body[at..whole.start()].trim();
            if !text.is_empty() && !chain.is_empty() {
                texts += 1;
                let (ink, backgrounds) = sheet.text_and_background(&chain);
                for background in backgrounds {
                    let r = ratio(ink, background);
                    if r < 4.5 {
                        let path: Vec<String> =
                            chain.iter().map(|e| format!("{}.{}", e.tag, e.classes.join("."))).collect();
                        failures.push(format!(
                            "{r:.2}:1 {ink:?} on {background:?}: {text:?} in {}",
                            path.join(" > ")
                        ));
                    }
                }
            }
            at = whole.end();
            let name = found[2].to_string();
            if &found[1] == "/" {
                // `</html>` closes what began before `<body>`.
                if let Some(open) = chain.iter().rposition(|e| e.tag == name) {
                    chain.truncate(open);
                }
            } else if !matches!(name.as_str(), "br" | "meta" | "img" | "hr" | "link") {
                let attributes: Vec<(String, String)> = attribute
                    .captures_iter(&found[3])
                    .map(|a| (a[1].to_string(), a[2].to_string()))
                    .collect();
                let classes = attributes
                    .iter()
                    .find(|(n, _)| n == "class")
                    .map(|(_, v)| v.split_whitespace().map(String::from).collect())
                    .unwrap_or_default();
                chain.push(Element { tag: name, classes, attributes });
            }
        }
        assert!(texts >= 5, "the page has text to check ({texts} text nodes)");
        failures
    }
}

#[test]
fn every_text_on_the_pages_meets_wcag_aa_contrast() {
    assert!((contrast::ratio([0, 0, 0], [255, 255, 255]) - 21.0).abs() < 1e-9);
    assert!((contrast::ratio([0x77, 0x77, 0x77], [255, 255, 255]) - 4.48).abs() < 0.01);
    let p = example();
    let target = p.target_of(&p.alignment.beads[1]);
    let highlight = raqqa(1, Side::Target, &target, 0);
    let finding = |check: &str, severity, bead: usize, span: std::ops::Range<usize>| FindingMark {
        check: check.into(),
        severity,
        message: format!("{check} here"),
        beads: vec![bead],
        spans: vec![FindingSpan { bead, side: Side::Target, span }],
    };
    let number = target.find("70").unwrap();
    let findings = vec![
        finding("term-forbidden", Severity::Error, 1, highlight.span.clone()),
        finding("number-mismatch", Severity::Warning, 1, number..number + 2),
        finding("term-near-miss", Severity::Info, 2, 0..9),
        finding("quotes", Severity::Warning, 3, 0..7),
    ];
    let metadata = Metadata {
        title: None,
        byline: Some("By a correspondent".into()),
        source_url: Some("https://example.org/raqqa".into()),
        date: Some("2017-06-09".into()),
    };
    let mut p = p;
    p.alignment.warnings.push("the translation is much shorter than the source".into());
    let edition = Edition::build(&p, metadata, &[highlight], findings, EditionOptions::default());
    assert_eq!(edition.rows.iter().filter(|r| r.low_confidence).count(), 1);
    let bilingual = render_bilingual_html(&edition);
    let english = render_english_html(&edition);
    let failures: Vec<String> =
        [bilingual, english].iter().flat_map(|html| contrast::failures(html)).collect();
    assert!(failures.is_empty(), "text under WCAG AA (4.5:1):\n{}", failures.join("\n"));
}
