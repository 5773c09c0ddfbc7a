//! The HTML renderers: the English edition page and the bilingual
//! side-by-side page (self-contained: inline CSS, no scripts, no fetched
//! fonts or images).

use std::fmt::Write;

use super::escape::{html_attr, html_text, safe_link};
use super::{Cell, Edition, Mark, Row};
use crate::lang::Lang;

/// Arabic-capable fonts people are likely to have, best first.
const ARABIC_FONTS: &str =
    "\"Noto Naskh Arabic\", \"Amiri\", \"Scheherazade New\", \"Geeza Pro\", \"Arial\", serif";
const LATIN_FONTS: &str = "Georgia, \"Times New Roman\", \"Noto Serif\", serif";

/// The English edition as a standalone HTML page.
pub fn render_english_html(edition: &Edition) -> String {
    let mut out =
        String::with_capacity(4096 + edition.body_paragraphs().iter().map(|p| p.text.len()).sum::<usize>());
    page_head(&mut out, &edition.title, &english_css(), "english");
    out.push_str("<article>\n<header>\n");
    let _ = writeln!(out, "<h1>{}</h1>", html_text(&edition.title));
    metadata_lines(&mut out, edition);
    out.push_str("</header>\n");
    for (index, paragraph) in edition.body_paragraphs().iter().enumerate() {
        out.push_str("<p");
        // A second headline under the title (a kicker or the outlet's
        // name) reads as a standfirst, not as body text.
        if index == 0 && edition.title_from_text && super::looks_like_headline(&paragraph.text) {
            out.push_str(" class=\"dek\"");
        }
        lang_attrs(&mut out, paragraph.lang, Lang::En);
        let _ = writeln!(out, ">{}</p>", html_text(&paragraph.text));
    }
    out.push_str("</article>\n</body>\n</html>\n");
    out
}

/// The bilingual edition: English left, Arabic right, one row per bead.
pub fn render_bilingual_html(edition: &Edition) -> String {
    let text_len: usize = edition.rows.iter().map(|r| r.source.text.len() + r.target.text.len()).sum();
    let mut out = String::with_capacity(16384 + text_len * 2);
    let title = format!("{} — bilingual edition", edition.title);
    let body_class =
        if edition.options.print_highlights { "bilingual print-highlights" } else { "bilingual" };
    page_head(&mut out, &title, &bilingual_css(), body_class);
    out.push_str("<header class=\"masthead\">\n");
    let _ = writeln!(out, "<h1>{}</h1>", html_text(&edition.title));
    if edition.title_from_text
        && let Some(first) = edition.source_paragraphs.first()
    {
        let _ = write!(out, "<p class=\"title-source\"");
        lang_attrs(&mut out, first.lang, Lang::En);
        let _ = writeln!(out, ">{}</p>", html_text(&first.text));
    }
    metadata_lines(&mut out, edition);
    out.push_str("</header>\n<main>\n");
    warnings_section(&mut out, edition);
    summary_and_legend(&mut out, edition);

    out.push_str("<div class=\"edition\">\n");
    out.push_str(
        "<div class=\"row head\" aria-hidden=\"true\"><div class=\"num\">#</div>\
         <div class=\"col-head\" lang=\"en\" dir=\"ltr\">English</div>\
         <div class=\"col-head\" lang=\"ar\" dir=\"rtl\">العربية</div></div>\n",
    );
    for row in &edition.rows {
        render_row(&mut out, edition, row);
    }
    out.push_str("</div>\n");
    findings_section(&mut out, edition);
    out.push_str("</main>\n<footer>Bilingual edition written by dragoman. ");
    out.push_str(
        "Rows are aligned sentence groups; hover a highlighted term for its approved rendering.</footer>\n",
    );
    out.push_str("</body>\n</html>\n");
    out
}

pub(crate) fn page_head(out: &mut String, title: &str, css: &str, body_class: &str) {
    out.push_str("<!DOCTYPE html>\n<html lang=\"en\" dir=\"ltr\">\n<head>\n<meta charset=\"utf-8\">\n");
    out.push_str("<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n");
    let _ = writeln!(out, "<meta name=\"generator\" content=\"dragoman {}\">", env!("CARGO_PKG_VERSION"));
    let _ = writeln!(out, "<title>{}</title>", html_text(title));
    let _ = writeln!(out, "<style>\n{css}</style>\n</head>\n<body class=\"{body_class}\">");
}

fn metadata_lines(out: &mut String, edition: &Edition) {
    let meta = &edition.metadata;
    if let Some(byline) = meta.byline.as_deref().filter(|b| !b.trim().is_empty()) {
        let _ = writeln!(out, "<p class=\"byline\">{}</p>", html_text(byline.trim()));
    }
    let mut parts: Vec<String> = Vec::new();
    if let Some(date) = meta.date.as_deref().filter(|d| !d.trim().is_empty()) {
        parts.push(format!("<time>{}</time>", html_text(date.trim())));
    }
    if let Some(url) = meta.source_url.as_deref().filter(|u| !u.trim().is_empty()) {
        parts.push(match safe_link(url) {
            Some(link) => {
                format!("Original: <a href=\"{}\" rel=\"noopener\">{}</a>", html_attr(link), html_text(link))
            }
            None => format!("Original: {}", html_text(url.trim())),
        });
    }
    if !parts.is_empty() {
        let _ = writeln!(out, "<p class=\"meta\">{}</p>", parts.join(" · "));
    }
}

fn lang_attrs(out: &mut String, lang: Lang, page: Lang) {
    if lang != page {
        let _ = write!(out, " lang=\"{}\" dir=\"{}\"", lang.code(), lang.dir());
    }
}

fn warnings_section(out: &mut String, edition: &Edition) {
    if edition.warnings.is_empty() {
        return;
    }
    out.push_str("<section class=\"warnings\" role=\"alert\">\n<h2>Alignment warnings</h2>\n<ul>\n");
    for warning in &edition.warnings {
        let _ = writeln!(out, "<li>{}</li>", html_text(warning));
    }
    out.push_str("</ul>\n</section>\n");
}

fn summary_and_legend(out: &mut String, edition: &Edition) {
    let low = edition.rows.iter().filter(|r| r.low_confidence).count();
    let counts = edition.count_by_severity();
    let _ = write!(out, "<p class=\"summary\">{} rows", edition.rows.len());
    for (severity, count) in counts {
        if count > 0 {
            let _ = write!(
                out,
                " · <a href=\"#findings\" class=\"sev-{0}\">{1} {0}{2}</a>",
                severity.name(),
                count,
                if count == 1 { "" } else { "s" }
            );
        }
    }
    if low > 0 {
        let _ = write!(out, " · {low} low-confidence row{}", if low == 1 { "" } else { "s" });
    }
    out.push_str("</p>\n");
    let _ = writeln!(
        out,
        "<aside class=\"legend\" aria-label=\"Legend\"><span class=\"legend-title\">Legend</span>\n\
         <span><mark class=\"term\">term</mark> glossary term (hover: entry, approved rendering, note)</span>\n\
         <span><mark class=\"flag flag-error\">error</mark> <mark class=\"flag flag-warning\">warning</mark> \
         <mark class=\"flag flag-info\">info</mark> check findings</span>\n\
         <span><span class=\"badge badge-low\">low</span> alignment confidence below {:.2}</span>\n\
         <span><span class=\"pilcrow\">¶</span> paragraph starts</span>\n\
         <span><span class=\"bidi-control\">[U+202E]</span> invisible direction control in the text</span>\n\
         </aside>",
        edition.options.low_confidence_below
    );
}

fn render_row(out: &mut String, edition: &Edition, row: &Row) {
    let number = row.bead + 1;
    let mut classes = String::from("row");
    if row.paragraph_start {
        classes.push_str(" para-start");
    }
    if row.low_confidence {
        classes.push_str(" low-confidence");
    }
    if let Some(worst) =
        row.findings.iter().filter_map(|&i| edition.findings.get(i)).map(|f| f.severity).max()
    {
        let _ = write!(classes, " has-{}", worst.name());
    }
    let _ = writeln!(
        out,
        "<div class=\"{classes}\" id=\"bead-{number}\" data-bead=\"{number}\" data-confidence=\"{:.2}\">",
        row.confidence
    );
    let _ = write!(
        out,
        "<div class=\"num\"><a href=\"#bead-{number}\" title=\"Row {number}, alignment confidence {:.2}\">{}{number}</a>",
        row.confidence,
        if row.paragraph_start {
            "<span class=\"pilcrow\" aria-label=\"new paragraph\">¶</span>"
        } else {
            ""
        },
    );
    if row.low_confidence {
        let _ = write!(
            out,
            "<span class=\"badge badge-low\" title=\"Low alignment confidence: {:.2}\">low</span>",
            row.confidence
        );
    }
    for &index in &row.findings {
        if let Some(finding) = edition.findings.get(index) {
            let _ = write!(
                out,
                "<a class=\"badge badge-{0}\" href=\"#finding-{1}\" title=\"{2}\">{0}</a>",
                finding.severity.name(),
                index + 1,
                html_attr(&finding.message),
            );
        }
    }
    out.push_str("</div>\n");
    render_cell(out, edition, &row.target, "cell-target");
    render_cell(out, edition, &row.source, "cell-source");
    out.push_str("</div>\n");
}

fn render_cell(out: &mut String, edition: &Edition, cell: &Cell, class: &str) {
    let _ =
        write!(out, "<div class=\"cell {class}\" lang=\"{}\" dir=\"{}\">", cell.lang.code(), cell.lang.dir());
    if cell.text.is_empty() {
        out.push_str("<span class=\"empty\" title=\"No sentence on this side\">—</span>");
    }
    let mut position = 0;
    for mark in &cell.marks {
        // Marks are validated and non-overlapping (Edition::build); skip
        // anything else rather than produce broken markup.
        if mark.span.start < position || cell.text.get(mark.span.clone()).is_none() {
            continue;
        }
        push_text(out, cell, position..mark.span.start);
        open_mark(out, edition, mark);
        push_text(out, cell, mark.span.clone());
        out.push_str("</mark>");
        position = mark.span.end;
    }
    push_text(out, cell, position..cell.text.len());
    out.push_str("</div>\n");
}

/// Escapes `range` of the cell's text, with a visible break where a new
/// paragraph begins inside the cell. Each break offset lies in exactly one
/// of the ranges that partition the cell, so it is written once.
fn push_text(out: &mut String, cell: &Cell, range: std::ops::Range<usize>) {
    const PARAGRAPH_BREAK: &str =
        "<br class=\"pbreak\"><span class=\"pilcrow\" aria-label=\"new paragraph\">¶</span>";
    let mut start = range.start;
    for &at in cell.paragraph_breaks.iter().filter(|&&b| b > 0 && b >= range.start && b < range.end) {
        if let Some(piece) = cell.text.get(start..at) {
            out.push_str(&html_text(piece));
        }
        out.push_str(PARAGRAPH_BREAK);
        start = at;
    }
    if let Some(piece) = cell.text.get(start..range.end) {
        out.push_str(&html_text(piece));
    }
}

fn open_mark(out: &mut String, edition: &Edition, mark: &Mark) {
    let mut classes = Vec::new();
    let mut tip = Vec::new();
    if let Some(first) = mark.terms.first() {
        classes.push("term".to_string());
        classes.push(format!("term-{}", first.kind));
    }
    for term in &mark.terms {
        let mut line = format!("{} → {}", term.term, term.rendering);
        if !term.note.trim().is_empty() {
            line.push_str(" — ");
            line.push_str(term.note.trim());
        }
        tip.push(line);
    }
    let findings: Vec<_> = mark.findings.iter().filter_map(|&i| edition.findings.get(i)).collect();
    if let Some(worst) = findings.iter().map(|f| f.severity).max() {
        classes.push("flag".to_string());
        classes.push(format!("flag-{}", worst.name()));
    }
    for finding in findings {
        tip.push(format!("{} [{}]: {}", finding.severity.name(), finding.check, finding.message));
    }
    let _ = write!(out, "<mark class=\"{}\" title=\"{}\">", classes.join(" "), html_attr(&tip.join("\n")));
}

fn findings_section(out: &mut String, edition: &Edition) {
    out.push_str("<section class=\"findings\" id=\"findings\">\n<h2>Findings</h2>\n");
    if edition.findings.is_empty() {
        out.push_str("<p>No findings.</p>\n</section>\n");
        return;
    }
    // Most serious first, then in page order.
    let mut order: Vec<usize> = (0..edition.findings.len()).collect();
    order.sort_by_key(|&i| {
        let finding = &edition.findings[i];
        (std::cmp::Reverse(finding.severity), finding.beads.first().copied().unwrap_or(usize::MAX), i)
    });
    out.push_str("<ol>\n");
    for index in order {
        let finding = &edition.findings[index];
        let severity = finding.severity.name();
        let _ = write!(out, "<li id=\"finding-{}\" class=\"finding sev-{severity}\">", index + 1);
        let rows: Vec<usize> = finding.beads.iter().copied().filter(|&b| b < edition.rows.len()).collect();
        if rows.is_empty() {
            out.push_str("<span class=\"doc\">Document</span> ");
        }
        for (n, bead) in rows.iter().enumerate() {
            let _ =
                write!(out, "{}<a href=\"#bead-{1}\">Row {1}</a>", if n == 0 { "" } else { ", " }, bead + 1);
        }
        if !rows.is_empty() {
            out.push(' ');
        }
        let _ = writeln!(
            out,
            "<span class=\"severity\">{severity}</span> <code>{}</code> {}</li>",
            html_text(&finding.check),
            html_text(&finding.message)
        );
    }
    out.push_str("</ol>\n</section>\n");
}

fn english_css() -> String {
    format!(
        r#"body {{ margin: 0; color: #1d1d1f; background: #fff; font: 18px/1.65 {LATIN_FONTS}; }}
article {{ max-width: 40rem; margin: 0 auto; padding: 2rem 1.25rem 4rem; }}
h1 {{ font-size: 2rem; line-height: 1.2; margin: 0 0 .5rem; }}
.byline, .meta {{ font: 15px/1.5 system-ui, sans-serif; color: #5f6368; margin: .2rem 0; }}
header {{ margin-bottom: 1.5rem; }}
.dek {{ font-size: 1.2rem; font-style: italic; color: #3c4043; }}
[lang="ar"] {{ font-family: {ARABIC_FONTS}; }}
.bidi-control {{ font: 11px monospace; color: #c5221f; border: 1px solid currentColor; padding: 0 2px; }}
@media print {{ @page {{ size: A4; margin: 20mm; }} body {{ font-size: 11pt; }} a {{ color: inherit; }} }}
"#
    )
}

pub(crate) fn bilingual_css() -> String {
    format!(
        r#":root {{ --ink: #1d1d1f; --muted: #5f6368; --rule: #d0d0d6; --faint: #ececf0;
  --term: #fff3c4; --term-line: #c99700; --error: #c5221f; --error-bg: #fde7e6;
  --warning: #b35c00; --warning-bg: #fff0db; --info: #1a5fc8; --info-bg: #e5eefc; --low: #8e3fb4; }}
* {{ box-sizing: border-box; }}
body {{ margin: 0; color: var(--ink); background: #fff; font: 17px/1.6 {LATIN_FONTS}; }}
[lang="ar"] {{ font-family: {ARABIC_FONTS}; font-size: 1.1em; line-height: 1.85; }}
.masthead, main, footer {{ max-width: 1240px; margin: 0 auto; padding: 0 1.5rem; }}
.masthead {{ padding-top: 1.5rem; }}
h1 {{ font-size: 1.9rem; line-height: 1.2; margin: 0 0 .3rem; }}
h2 {{ font: 600 1.05rem/1.4 system-ui, sans-serif; margin: 1.5rem 0 .5rem; }}
.title-source {{ font-size: 1.5rem; margin: 0 0 .4rem; }}
.byline, .meta, .summary, .legend, footer {{ font: 14px/1.5 system-ui, sans-serif; color: var(--muted); }}
.byline, .meta {{ margin: .15rem 0; }}
a {{ color: var(--info); }}
.warnings {{ border: 1px solid var(--error); background: var(--error-bg); border-radius: 6px; padding: 0 1rem .5rem; margin: 1rem 0; }}
.warnings h2 {{ color: var(--error); margin-top: .7rem; }}
.summary {{ margin: 1rem 0 .4rem; }}
.legend {{ display: flex; flex-wrap: wrap; gap: .3rem 1.2rem; align-items: baseline; padding: .5rem .8rem; background: #f7f7f9; border-radius: 6px; }}
.legend-title {{ font-weight: 600; color: var(--ink); }}
.edition {{ margin-top: 1rem; }}
.row {{ display: grid; grid-template-columns: 4rem minmax(0, 1fr) minmax(0, 1fr); column-gap: 1.4rem;
  padding: .55rem .4rem; border-top: 1px solid var(--faint); }}
.row.para-start {{ border-top: 1px solid var(--rule); margin-top: .8rem; }}
.row.head {{ position: sticky; top: 0; z-index: 1; background: #fff; border-top: 0; border-bottom: 2px solid var(--ink);
  font: 600 13px/1.4 system-ui, sans-serif; letter-spacing: .04em; text-transform: uppercase; margin-top: 0; }}
.row.head [lang="ar"] {{ font-size: 15px; letter-spacing: 0; }}
.row.low-confidence {{ background: repeating-linear-gradient(135deg, #fff 0 10px, #f8f0fc 10px 20px); box-shadow: inset 4px 0 0 var(--low); }}
.row.has-error {{ box-shadow: inset 4px 0 0 var(--error); }}
.row.has-warning {{ box-shadow: inset 4px 0 0 var(--warning); }}
.row.has-info {{ box-shadow: inset 4px 0 0 var(--info); }}
.row:target {{ outline: 2px solid var(--info); outline-offset: 2px; }}
.num {{ font: 12px/1.5 system-ui, sans-serif; color: var(--muted); display: flex; flex-direction: column; align-items: flex-end; gap: .2rem; padding-top: .25rem; }}
.num a:not(.badge) {{ color: inherit; text-decoration: none; }}
.cell {{ unicode-bidi: isolate; overflow-wrap: break-word; text-align: start; }}
.empty {{ color: var(--muted); }}
.pilcrow {{ color: var(--muted); font: 12px system-ui, sans-serif; margin-inline-end: .3em; }}
.badge {{ display: inline-block; font: 600 11px/1.5 system-ui, sans-serif; border-radius: 3px; padding: 0 .35em; text-decoration: none; }}
.badge-low {{ background: var(--low); color: #fff; }}
.badge-error {{ background: var(--error); color: #fff; }}
.badge-warning {{ background: var(--warning); color: #fff; }}
.badge-info {{ background: var(--info); color: #fff; }}
mark {{ color: inherit; background: none; border-radius: 2px; }}
mark.term {{ background: var(--term); box-shadow: inset 0 -2px 0 var(--term-line); cursor: help; }}
mark.flag {{ text-decoration: underline wavy; text-decoration-skip-ink: none; text-underline-offset: .25em; cursor: help; }}
mark.flag-error {{ background: var(--error-bg); text-decoration-color: var(--error); }}
mark.flag-warning {{ background: var(--warning-bg); text-decoration-color: var(--warning); }}
mark.flag-info {{ background: var(--info-bg); text-decoration-color: var(--info); }}
mark.term.flag {{ background: var(--term); }}
.bidi-control {{ font: 11px/1 monospace; color: var(--error); border: 1px solid currentColor; border-radius: 2px; padding: 0 2px; unicode-bidi: isolate; direction: ltr; }}
.findings ol {{ padding-inline-start: 1.4rem; font: 14px/1.6 system-ui, sans-serif; }}
.finding .severity {{ font-weight: 600; text-transform: uppercase; font-size: 11px; }}
.sev-error .severity, a.sev-error {{ color: var(--error); }}
.sev-warning .severity, a.sev-warning {{ color: var(--warning); }}
.sev-info .severity, a.sev-info {{ color: var(--info); }}
footer {{ margin-top: 2rem; padding-bottom: 2rem; border-top: 1px solid var(--faint); padding-top: .8rem; }}
@media screen and (max-width: 720px) {{
  body {{ font-size: 16px; }}
  h1 {{ font-size: 1.5rem; }}
  .title-source {{ font-size: 1.25rem; }}
  .masthead, main, footer {{ padding: 0 .9rem; }}
  .row {{ grid-template-columns: minmax(0, 1fr); row-gap: .35rem; }}
  .row.head {{ display: none; }}
  .num {{ flex-direction: row; align-items: center; }}
  .cell-source {{ border-top: 1px dotted var(--rule); padding-top: .35rem; }}
}}
@media print {{
  @page {{ size: A4; margin: 14mm 12mm; }}
  body {{ font-size: 10pt; }}
  .masthead, main, footer {{ max-width: none; padding: 0; }}
  .row {{ grid-template-columns: 1.8rem minmax(0, 1fr) minmax(0, 1fr); column-gap: 5mm; break-inside: avoid; padding: 1.5mm 0; }}
  .row.head {{ position: static; }}
  .row.low-confidence {{ background: none; }}
  .legend {{ background: none; padding: 0; }}
  a {{ color: inherit; text-decoration: none; }}
  body:not(.print-highlights) mark {{ background: none; box-shadow: none; text-decoration: none; }}
  body:not(.print-highlights) .legend {{ display: none; }}
}}
"#
    )
}
