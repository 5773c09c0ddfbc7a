//! The TMX 1.4b writer: [`TmxWriter`] streams units out as UTF-8 TMX that
//! validates against the TMX 1.4 DTD (no DOCTYPE is written).
//!
//! Element order follows the DTD: in `<header>`, `<tu>` and `<tuv>` the
//! `<note>`s come first, then the `<prop>`s, then the `<tuv>`s / `<seg>`.
//! Attribute values and text are escaped ([`super::escape`]); segment
//! content is written as its canonical XML ([`SegContent::xml`]).

use std::io::{self, BufWriter, Write};

use super::escape;
use super::{Note, Prop, SegContent, TranslationUnit};

/// The header of a written TMX file. `Default` gives dragoman's values:
/// `creationtool="dragoman"`, its version, `segtype="sentence"`,
/// `o-tmf="dragoman"`, `adminlang="en"`, `srclang="ar"`,
/// `datatype="plaintext"`, and no `creationdate` (so that output is
/// reproducible; pass `Some(tmx::now())` for one).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct WriterOptions {
    pub srclang: String,
    pub adminlang: String,
    pub datatype: String,
    /// `block`, `paragraph`, `sentence` or `phrase`.
    pub segtype: String,
    pub o_tmf: String,
    pub creation_tool: String,
    pub creation_tool_version: String,
    /// `YYYYMMDDThhmmssZ` (see [`super::format_date`]).
    pub creation_date: Option<String>,
    pub props: Vec<Prop>,
    pub notes: Vec<Note>,
}

impl Default for WriterOptions {
    fn default() -> WriterOptions {
        WriterOptions {
            srclang: "ar".to_string(),
            adminlang: "en".to_string(),
            datatype: "plaintext".to_string(),
            segtype: "sentence".to_string(),
            o_tmf: "dragoman".to_string(),
            creation_tool: "dragoman".to_string(),
            creation_tool_version: env!("CARGO_PKG_VERSION").to_string(),
            creation_date: None,
            props: Vec::new(),
            notes: Vec::new(),
        }
    }
}

/// Writes a TMX document unit by unit. Call [`TmxWriter::finish`] at the
/// end: dropping the writer leaves the document unclosed.
pub struct TmxWriter<W: Write> {
    out: BufWriter<W>,
    /// Reused for each unit so that a unit costs one write call.
    scratch: String,
}

impl<W: Write> TmxWriter<W> {
    /// Writes the XML declaration, the header and `<body>`.
    pub fn new(output: W, options: &WriterOptions) -> io::Result<TmxWriter<W>> {
        let mut xml = String::with_capacity(1024);
        xml.push_str("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<tmx version=\"1.4\">\n  <header");
        let mut attributes = vec![
            ("creationtool", options.creation_tool.as_str()),
            ("creationtoolversion", options.creation_tool_version.as_str()),
            ("segtype", options.segtype.as_str()),
            ("o-tmf", options.o_tmf.as_str()),
            ("adminlang", options.adminlang.as_str()),
            ("srclang", options.srclang.as_str()),
            ("datatype", options.datatype.as_str()),
        ];
        if let Some(date) = &options.creation_date {
            attributes.push(("creationdate", date.as_str()));
        }
        for (name, value) in attributes {
            push_attribute(&mut xml, name, value);
        }
        if options.props.is_empty() && options.notes.is_empty() {
            xml.push_str("/>\n");
        } else {
            xml.push_str(">\n");
            push_notes_and_props(&mut xml, "    ", &options.notes, &options.props);
            xml.push_str("  </header>\n");
        }
        xml.push_str("  <body>\n");
        let mut out = BufWriter::with_capacity(256 * 1024, output);
        out.write_all(xml.as_bytes())?;
        Ok(TmxWriter { out, scratch: String::new() })
    }

    /// Writes one `<tu>`. A unit without variants, a variant without a
    /// language, or an attribute name that is not an XML name is refused
    /// (`InvalidInput`): the file would not be valid TMX.
    pub fn write_unit(&mut self, unit: &TranslationUnit) -> io::Result<()> {
        let mut xml = std::mem::take(&mut self.scratch);
        xml.clear();
        let result = unit_xml(&mut xml, unit);
        if result.is_ok() {
            self.out.write_all(xml.as_bytes())?;
        }
        self.scratch = xml;
        result
    }

    /// Closes `<body>` and `<tmx>`, flushes, and returns the output.
    pub fn finish(mut self) -> io::Result<W> {
        self.out.write_all(b"  </body>\n</tmx>\n")?;
        self.out.flush()?;
        self.out.into_inner().map_err(|e| e.into_error())
    }
}

fn invalid(message: String) -> io::Error {
    io::Error::new(io::ErrorKind::InvalidInput, message)
}

fn unit_xml(xml: &mut String, unit: &TranslationUnit) -> io::Result<()> {
    let name = unit.tuid.as_deref().unwrap_or("(no tuid)");
    if unit.variants.is_empty() {
        return Err(invalid(format!("cannot write unit {name}: it has no variants")));
    }
    xml.push_str("    <tu");
    let mut written: Vec<&str> = Vec::new();
    if let Some(tuid) = &unit.tuid {
        push_attribute(xml, "tuid", tuid);
        written.push("tuid");
    }
    push_attributes(xml, &unit.attributes, &mut written)?;
    xml.push_str(">\n");
    push_notes_and_props(xml, "      ", &unit.notes, &unit.props);
    for variant in &unit.variants {
        if variant.lang.trim().is_empty() {
            return Err(invalid(format!("cannot write unit {name}: a variant has no language")));
        }
        xml.push_str("      <tuv");
        push_attribute(xml, "xml:lang", &variant.lang);
        let mut written = vec!["xml:lang", "lang"];
        push_attributes(xml, &variant.attributes, &mut written)?;
        xml.push_str(">\n");
        push_notes_and_props(xml, "        ", &variant.notes, &variant.props);
        xml.push_str("        <seg>");
        push_seg(xml, &variant.seg);
        xml.push_str("</seg>\n      </tuv>\n");
    }
    xml.push_str("    </tu>\n");
    Ok(())
}

/// Attributes in order, skipping names already written (a duplicate
/// attribute would make the document not well-formed).
fn push_attributes<'a>(
    xml: &mut String,
    attributes: &'a [(String, String)],
    written: &mut Vec<&'a str>,
) -> io::Result<()> {
    for (name, value) in attributes {
        if !escape::is_xml_name(name) {
            return Err(invalid(format!("cannot write attribute `{name}`: not an XML name")));
        }
        if written.contains(&name.as_str()) {
            continue;
        }
        written.push(name);
        push_attribute(xml, name, value);
    }
    Ok(())
}

fn push_attribute(xml: &mut String, name: &str, value: &str) {
    xml.push(' ');
    xml.push_str(name);
    xml.push_str("=\"");
    escape::push_attribute(xml, value);
    xml.push('"');
}

fn push_notes_and_props(xml: &mut String, indent: &str, notes: &[Note], props: &[Prop]) {
    for note in notes {
        xml.push_str(indent);
        xml.push_str("<note");
        if let Some(lang) = &note.lang {
            push_attribute(xml, "xml:lang", lang);
        }
        xml.push('>');
        escape::push_text(xml, &note.text);
        xml.push_str("</note>\n");
    }
    for prop in props {
        xml.push_str(indent);
        xml.push_str("<prop");
        push_attribute(xml, "type", &prop.kind);
        if let Some(lang) = &prop.lang {
            push_attribute(xml, "xml:lang", lang);
        }
        xml.push('>');
        escape::push_text(xml, &prop.value);
        xml.push_str("</prop>\n");
    }
}

/// Segment XML is already escaped; only characters XML cannot carry are
/// replaced, as a last defence for content built by hand.
fn push_seg(xml: &mut String, seg: &SegContent) {
    if seg.xml.bytes().any(|b| b < 0x20 && !matches!(b, b'\t' | b'\n' | b'\r') || b >= 0xEF) {
        xml.extend(seg.xml.chars().map(|c| if escape::is_xml_char(c) { c } else { '\u{FFFD}' }));
    } else {
        xml.push_str(&seg.xml);
    }
}
