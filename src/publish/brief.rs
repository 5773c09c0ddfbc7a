//! The translator's brief (`NAME.brief.html`, written by `prepare`): for
//! translators without a CAT tool, every Arabic sentence of a new article
//! with what the memory already holds for it (the words that differ
//! marked), the glossary's names in it with their approved and forbidden
//! renderings, and the numbers to carry over. A self-contained page with
//! the bilingual edition's look (its stylesheet, its escaping: bidi
//! controls shown as markers), printable.
//!
//! Pure: [`render_brief_html`] turns a [`Brief`] (plain data the workflow
//! builds) into a string.

use std::fmt::Write as _;
use std::ops::Range;

use super::escape::{html_attr, html_text};
use super::html::{bilingual_css, page_head};

/// Everything the brief shows.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Brief {
    /// The document name.
    pub name: String,
    pub title: Option<String>,
    pub date: Option<String>,
    /// The Arabic file the brief was prepared from.
    pub source_file: String,
    /// The lowest fuzzy score looked up (`--min`).
    pub min: u8,
    pub sentences: Vec<BriefSentence>,
}

/// One Arabic sentence and what helps translate it.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct BriefSentence {
    /// The XLIFF trans-unit id (`s2-1`), so brief and work file agree.
    pub id: String,
    /// 0-based paragraph.
    pub paragraph: usize,
    pub text: String,
    /// Best first.
    pub matches: Vec<BriefMatch>,
    pub names: Vec<BriefName>,
    /// Numbers as written in the sentence, in order.
    pub numbers: Vec<String>,
}

/// A memory match for a sentence.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct BriefMatch {
    /// OmegaT's word score (100 only for an exact match).
    pub score: u8,
    pub exact: bool,
    /// The stored Arabic sentence.
    pub source: String,
    /// Its stored translation.
    pub target: String,
    /// Byte spans of `source` the new sentence does not have.
    pub differing: Vec<Range<usize>>,
    /// The memory document the match comes from.
    pub document: Option<String>,
}

/// A glossary name found in a sentence.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct BriefName {
    /// As written in the sentence (clitics included).
    pub surface: String,
    /// The glossary's Arabic term.
    pub term: String,
    pub approved: String,
    pub accepted: Vec<String>,
    pub forbidden: Vec<String>,
    pub note: String,
}

/// How the sentences' best matches fall (the summary of `prepare`).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, serde::Serialize)]
pub struct MatchBands {
    /// A 100 % match: same text.
    pub exact: usize,
    /// 95–99: the same after normalization, or one small word changed.
    pub high: usize,
    /// `--min` to 94.
    pub fuzzy: usize,
    /// No match at or above `--min`.
    pub new: usize,
}

impl BriefSentence {
    /// Which band the best match falls in.
    pub fn band(&self) -> Band {
        match self.matches.first() {
            Some(m) if m.exact => Band::Exact,
            Some(m) if m.score >= 95 => Band::High,
            Some(_) => Band::Fuzzy,
            None => Band::New,
        }
    }
}

/// A band of [`MatchBands`].
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Band {
    Exact,
    High,
    Fuzzy,
    New,
}

impl Brief {
    pub fn bands(&self) -> MatchBands {
        let mut bands = MatchBands::default();
        for sentence in &self.sentences {
            *match sentence.band() {
                Band::Exact => &mut bands.exact,
                Band::High => &mut bands.high,
                Band::Fuzzy => &mut bands.fuzzy,
                Band::New => &mut bands.new,
            } += 1;
        }
        bands
    }

    /// Distinct glossary terms found in the article.
    pub fn distinct_names(&self) -> usize {
        let mut terms: Vec<&str> =
            self.sentences.iter().flat_map(|s| s.names.iter().map(|n| n.term.as_str())).collect();
        terms.sort_unstable();
        terms.dedup();
        terms.len()
    }
}

const BRIEF_CSS: &str = r#".brief-row { display: grid; grid-template-columns: 4rem minmax(0, 1fr); column-gap: 1.4rem;
  padding: .7rem .4rem; border-top: 1px solid var(--faint); }
.brief-row.para-start { border-top: 1px solid var(--rule); margin-top: .8rem; }
.sentence { font-size: 1.15em; margin: 0 0 .4rem; }
.help { font: 14px/1.55 system-ui, sans-serif; display: grid; gap: .35rem; }
.help h3 { font: 600 11px/1.4 system-ui, sans-serif; text-transform: uppercase; letter-spacing: .05em; color: var(--muted); margin: .2rem 0 0; }
.match { border-inline-start: 3px solid var(--rule); padding-inline-start: .6rem; }
.match.exact { border-color: #1e8e3e; }
.match .src { margin: 0; }
.match .tgt { margin: 0; font-family: Georgia, serif; }
.score { display: inline-block; font: 600 11px/1.5 system-ui, sans-serif; border-radius: 3px; padding: 0 .35em; background: var(--muted); color: #fff; margin: 0 .4em; }
.score.exact { background: #1e8e3e; }
mark.diff { background: var(--warning-bg); box-shadow: inset 0 -2px 0 var(--warning); }
.names li, .numbers li { margin: .1rem 0; }
.forbidden { color: var(--error); text-decoration: line-through; }
.approved { font-weight: 600; }
.new-sentence { color: var(--muted); font-style: italic; }
@media print { .brief-row { break-inside: avoid; grid-template-columns: 2rem minmax(0, 1fr); padding: 1.5mm 0; } }
"#;

/// The brief as a standalone HTML page.
pub fn render_brief_html(brief: &Brief) -> String {
    let mut out =
        String::with_capacity(8192 + brief.sentences.iter().map(|s| 4 * s.text.len()).sum::<usize>());
    let title = brief.title.clone().unwrap_or_else(|| brief.name.clone());
    let css = bilingual_css() + BRIEF_CSS;
    page_head(&mut out, &format!("Translator's brief: {title}"), &css, "brief");
    out.push_str("<header class=\"masthead\">\n");
    let _ = writeln!(out, "<h1>Translator's brief: {}</h1>", html_text(&title));
    let mut meta = vec![format!("Source: {}", html_text(&brief.source_file))];
    if let Some(date) = brief.date.as_deref().filter(|d| !d.trim().is_empty()) {
        meta.push(format!("<time>{}</time>", html_text(date.trim())));
    }
    let _ = writeln!(out, "<p class=\"meta\">{}</p>", meta.join(" · "));
    let bands = brief.bands();
    let _ = writeln!(
        out,
        "<p class=\"summary\">{} sentences · {} exact (100 %) · {} 95–99 % · {} fuzzy ({}–94 %) · {} new · {} names</p>",
        brief.sentences.len(),
        bands.exact,
        bands.high,
        bands.fuzzy,
        brief.min,
        bands.new,
        brief.distinct_names()
    );
    out.push_str("</header>\n<main class=\"edition\">\n");
    let mut previous_paragraph = None;
    for sentence in &brief.sentences {
        render_sentence(&mut out, sentence, previous_paragraph != Some(sentence.paragraph));
        previous_paragraph = Some(sentence.paragraph);
    }
    out.push_str("</main>\n<footer>Prepared by dragoman: matches from the translation memory, names from the glossary. \
                  Marked words in a match are those the new sentence does not have.</footer>\n</body>\n</html>\n");
    out
}

fn render_sentence(out: &mut String, sentence: &BriefSentence, paragraph_start: bool) {
    let id = html_attr(&sentence.id);
    let class = if paragraph_start { "brief-row para-start" } else { "brief-row" };
    let _ = writeln!(out, "<section class=\"{class}\" id=\"{id}\">");
    let _ = writeln!(out, "<div class=\"num\"><a href=\"#{id}\">{id}</a></div>\n<div>");
    let _ =
        writeln!(out, "<p class=\"sentence cell\" lang=\"ar\" dir=\"rtl\">{}</p>", html_text(&sentence.text));
    out.push_str("<div class=\"help\">\n");
    if sentence.matches.is_empty() {
        out.push_str("<p class=\"new-sentence\">New: no match in the memory.</p>\n");
    } else {
        out.push_str("<h3>From the memory</h3>\n");
        for m in &sentence.matches {
            let exact = if m.exact { " exact" } else { "" };
            let _ = write!(out, "<div class=\"match{exact}\">\n<p class=\"src\" lang=\"ar\" dir=\"rtl\">");
            let _ = write!(out, "<span class=\"score{exact}\" dir=\"ltr\">{} %</span>", m.score);
            push_marked(out, &m.source, &m.differing);
            out.push_str("</p>\n");
            let _ = write!(out, "<p class=\"tgt\" lang=\"en\" dir=\"ltr\">{}", html_text(&m.target));
            if let Some(document) = &m.document {
                let _ = write!(out, " <span class=\"meta\">({})</span>", html_text(document));
            }
            out.push_str("</p>\n</div>\n");
        }
    }
    if !sentence.names.is_empty() {
        out.push_str("<h3>Names</h3>\n<ul class=\"names\">\n");
        for name in &sentence.names {
            let _ = write!(
                out,
                "<li><span lang=\"ar\" dir=\"rtl\">{}</span> → <span class=\"approved\">{}</span>",
                html_text(&name.surface),
                html_text(&name.approved)
            );
            if !name.accepted.is_empty() {
                let _ = write!(out, "; also accepted: {}", html_text(&name.accepted.join(", ")));
            }
            if !name.forbidden.is_empty() {
                let forbidden: Vec<String> = name
                    .forbidden
                    .iter()
                    .map(|f| format!("<span class=\"forbidden\">{}</span>", html_text(f)))
                    .collect();
                let _ = write!(out, "; never: {}", forbidden.join(", "));
            }
            if !name.note.trim().is_empty() {
                let _ = write!(out, " <span class=\"meta\">({})</span>", html_text(name.note.trim()));
            }
            out.push_str("</li>\n");
        }
        out.push_str("</ul>\n");
    }
    if !sentence.numbers.is_empty() {
        let numbers: Vec<String> = sentence.numbers.iter().map(|n| html_text(n)).collect();
        let _ =
            writeln!(out, "<h3>Numbers to carry over</h3>\n<p class=\"numbers\">{}</p>", numbers.join(" · "));
    }
    out.push_str("</div>\n</div>\n</section>\n");
}

/// `text` escaped, with the `spans` (ascending, non-overlapping byte
/// ranges) marked as differing words.
fn push_marked(out: &mut String, text: &str, spans: &[Range<usize>]) {
    let mut at = 0;
    for span in spans {
        let (Some(before), Some(marked)) = (text.get(at..span.start), text.get(span.clone())) else {
            continue;
        };
        out.push_str(&html_text(before));
        let _ = write!(out, "<mark class=\"diff\">{}</mark>", html_text(marked));
        at = span.end;
    }
    out.push_str(&html_text(text.get(at..).unwrap_or("")));
}

#[cfg(test)]
mod tests {
    use super::*;

    fn brief() -> Brief {
        let stored = "قتل ٣ مدنيين في الرقة أمس";
        let span = |word: &str| {
            let start = stored.find(word).unwrap();
            start..start + word.len()
        };
        Brief {
            name: "raqqa".into(),
            title: Some("<Raqqa>".into()),
            date: Some("2017-06-27".into()),
            source_file: "raqqa.ar.txt".into(),
            min: 70,
            sentences: vec![
                BriefSentence {
                    id: "s1-1".into(),
                    paragraph: 0,
                    text: "قتل 5 مدنيين في الرقة\u{202E}".into(),
                    matches: vec![BriefMatch {
                        score: 80,
                        exact: false,
                        source: stored.into(),
                        target: "3 civilians were killed in Raqqa".into(),
                        differing: vec![span("٣"), span("أمس")],
                        document: Some("raqqa-2017".into()),
                    }],
                    names: vec![BriefName {
                        surface: "الرقة".into(),
                        term: "الرقة".into(),
                        approved: "Raqqa".into(),
                        accepted: vec![],
                        forbidden: vec!["Rakka".into()],
                        note: String::new(),
                    }],
                    numbers: vec!["5".into()],
                },
                BriefSentence {
                    id: "s2-1".into(),
                    paragraph: 1,
                    text: "جملة جديدة".into(),
                    ..Default::default()
                },
            ],
        }
    }

    #[test]
    fn shows_matches_names_numbers_and_escapes() {
        let html = render_brief_html(&brief());
        assert!(html.contains("Translator's brief: &lt;Raqqa&gt;"), "title escaped");
        assert!(html.contains("<mark class=\"diff\">٣</mark>"), "differing word marked");
        assert!(html.contains("<mark class=\"diff\">أمس</mark>"));
        assert!(html.contains("<span class=\"forbidden\">Rakka</span>"));
        assert!(html.contains("Numbers to carry over"));
        assert!(html.contains("[U+202E]"), "bidi control shown, not applied");
        assert!(!html.contains('\u{202E}'));
        assert!(
            html.contains("2 sentences · 0 exact (100 %) · 0 95–99 % · 1 fuzzy (70–94 %) · 1 new · 1 names")
        );
        assert!(html.contains("@media print"));
    }
}
