//! The XLIFF 1.2 writer: an [`XliffDocument`] as a document valid against
//! the OASIS strict schema (element order as the schema requires it).

use std::fmt::Write as _;

use super::{NAMESPACE, XliffDocument};
use crate::tmx::push_xml_text;

/// Appends `text` as XML character data (the one escaping every dragoman
/// XML writer uses).
fn text(out: &mut String, text: &str) {
    push_xml_text(out, text);
}

/// Appends `value` as an attribute value (without quotes): character data
/// escaping plus the quote and the whitespace attribute normalization
/// would turn into spaces.
fn attribute(out: &mut String, value: &str) {
    let mut escaped = String::with_capacity(value.len());
    push_xml_text(&mut escaped, value);
    for c in escaped.chars() {
        match c {
            '"' => out.push_str("&quot;"),
            '\n' => out.push_str("&#10;"),
            '\t' => out.push_str("&#9;"),
            c => out.push(c),
        }
    }
}

fn element(out: &mut String, indent: &str, name: &str, attributes: &[(&str, &str)], content: &str) {
    out.push_str(indent);
    out.push('<');
    out.push_str(name);
    for (key, value) in attributes {
        let _ = write!(out, " {key}=\"");
        attribute(out, value);
        out.push('"');
    }
    out.push('>');
    text(out, content);
    let _ = writeln!(out, "</{name}>");
}

/// The document as XLIFF 1.2 text (UTF-8, no DOCTYPE).
pub fn write_xliff(document: &XliffDocument) -> String {
    let mut out = String::with_capacity(
        4096 + document.units().map(|u| 2 * u.source.len() + u.notes.len() * 200).sum::<usize>(),
    );
    out.push_str("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n");
    let _ = writeln!(out, "<xliff version=\"1.2\" xmlns=\"{NAMESPACE}\">");
    out.push_str("  <file original=\"");
    attribute(&mut out, &document.original);
    out.push_str("\" source-language=\"");
    attribute(&mut out, &document.source_language);
    out.push('"');
    if !document.target_language.is_empty() {
        out.push_str(" target-language=\"");
        attribute(&mut out, &document.target_language);
        out.push('"');
    }
    out.push_str(" datatype=\"plaintext\" tool-id=\"dragoman\">\n    <header>\n");
    let _ = writeln!(
        out,
        "      <tool tool-id=\"dragoman\" tool-name=\"dragoman\" tool-version=\"{}\"/>",
        env!("CARGO_PKG_VERSION")
    );
    for (from, value) in
        [("title", &document.title), ("date", &document.date), ("document", &document.document)]
    {
        if let Some(value) = value {
            element(&mut out, "      ", "note", &[("from", from)], value);
        }
    }
    out.push_str("    </header>\n    <body>\n");
    for (index, units) in document.paragraphs.iter().enumerate() {
        let _ = writeln!(out, "      <group id=\"p{}\">", index + 1);
        for unit in units {
            out.push_str("        <trans-unit id=\"");
            attribute(&mut out, &unit.id);
            out.push_str("\">\n");
            let source_lang = document.source_language.as_str();
            element(&mut out, "          ", "source", &[("xml:lang", source_lang)], &unit.source);
            if let Some(target) = &unit.target {
                let mut attributes = vec![("xml:lang", document.target_language.as_str())];
                if let Some(state) = &target.state {
                    attributes.push(("state", state.as_str()));
                }
                element(&mut out, "          ", "target", &attributes, &target.text);
            }
            for note in &unit.notes {
                let from: Vec<(&str, &str)> = note.from.iter().map(|f| ("from", f.as_str())).collect();
                element(&mut out, "          ", "note", &from, &note.text);
            }
            for alternative in &unit.alternatives {
                out.push_str("          <alt-trans match-quality=\"");
                attribute(&mut out, &alternative.match_quality);
                out.push_str("\" origin=\"");
                attribute(&mut out, &alternative.origin);
                out.push_str("\">\n");
                element(
                    &mut out,
                    "            ",
                    "source",
                    &[("xml:lang", source_lang)],
                    &alternative.source,
                );
                let target_lang = document.target_language.as_str();
                element(
                    &mut out,
                    "            ",
                    "target",
                    &[("xml:lang", target_lang)],
                    &alternative.target,
                );
                out.push_str("          </alt-trans>\n");
            }
            out.push_str("        </trans-unit>\n");
        }
        out.push_str("      </group>\n");
    }
    out.push_str("    </body>\n  </file>\n</xliff>\n");
    out
}
