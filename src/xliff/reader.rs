//! The XLIFF reader: a whole work file (an article: kilobytes, bounded by
//! [`MAX_XLIFF_BYTES`]) decoded, then parsed with quick-xml into an
//! [`XliffDocument`]. See the module docs of [`crate::xliff`] for what is
//! accepted and refused.

use std::path::Path;

use quick_xml::events::{BytesStart, Event};

use super::{Alternative, Note, Target, Unit, XliffDocument, XliffError, XliffErrorKind};
use crate::textio::{self, InputError};
use crate::tmx::escape::{self, ReferenceError, is_xml_char};

/// The largest XLIFF file read (a work file holds one article; a larger
/// file is refused before it is parsed).
pub const MAX_XLIFF_BYTES: u64 = 64 * 1024 * 1024;

/// The deepest element nesting read (groups in groups, inline codes in
/// inline codes); deeper is refused rather than followed.
pub const MAX_DEPTH: usize = 100;

/// Reads the XLIFF file at `path` (`-` = stdin).
pub fn read_xliff_file(path: &Path) -> Result<XliffDocument, XliffError> {
    let name = textio::display_name(path);
    let io_error = |message: String| XliffError {
        file: name.clone(),
        line: 1,
        column: 1,
        kind: XliffErrorKind::Io,
        message,
    };
    if path != Path::new("-") {
        let size = std::fs::metadata(path).map_err(|e| io_error(format!("cannot read: {e}")))?.len();
        if size > MAX_XLIFF_BYTES {
            return Err(XliffError {
                kind: XliffErrorKind::TooLarge,
                ..io_error(format!(
                    "{size} bytes is larger than an article's work file can be ({} MiB); refusing to read it",
                    MAX_XLIFF_BYTES >> 20
                ))
            });
        }
    }
    let bytes = textio::read_bytes(path).map_err(|e| match e {
        InputError::Io { error, .. } => io_error(format!("cannot read: {error}")),
        other => io_error(strip_path(&other.to_string(), &name)),
    })?;
    read_xliff(&bytes, &name)
}

/// Reads an XLIFF document from `bytes` (UTF-8, or UTF-16 with a BOM);
/// `name` is how errors call the input.
pub fn read_xliff(bytes: &[u8], name: &str) -> Result<XliffDocument, XliffError> {
    if bytes.len() as u64 > MAX_XLIFF_BYTES {
        return Err(XliffError {
            file: name.to_string(),
            line: 1,
            column: 1,
            kind: XliffErrorKind::TooLarge,
            message: format!("larger than {} MiB; refusing to read it", MAX_XLIFF_BYTES >> 20),
        });
    }
    let text = textio::decode_text(bytes, name).map_err(|e| {
        let offset = match &e {
            InputError::InvalidUtf8 { offset, .. }
            | InputError::InvalidUtf16 { offset, .. }
            | InputError::Binary { offset, .. } => *offset,
            _ => 0,
        };
        let prefix = String::from_utf8_lossy(&bytes[..offset.min(bytes.len())]);
        let (line, column) = line_column(&prefix, prefix.len());
        XliffError {
            file: name.to_string(),
            line,
            column,
            kind: XliffErrorKind::Encoding,
            message: strip_path(&e.to_string(), name),
        }
    })?;
    Parser::new(&text, name).document()
}

/// An input error's message without the `PATH: ` it starts with (the
/// XLIFF error names the file itself).
fn strip_path(message: &str, name: &str) -> String {
    message.strip_prefix(name).and_then(|m| m.strip_prefix(": ")).unwrap_or(message).to_string()
}

/// 1-based line and column (in characters) of byte `offset` in `text`.
fn line_column(text: &str, offset: usize) -> (u64, u64) {
    let mut offset = offset.min(text.len());
    while !text.is_char_boundary(offset) {
        offset -= 1;
    }
    let before = &text[..offset];
    let line = before.bytes().filter(|&b| b == b'\n').count() as u64 + 1;
    let line_start = before.rfind('\n').map_or(0, |i| i + 1);
    (line, before[line_start..].chars().count() as u64 + 1)
}

/// The character a reference stands for: the five XML entities and
/// character references only (no entity from a DTD is ever expanded).
/// The one implementation is the TMX reader's; only the words differ.
fn resolve_reference(body: &str) -> Result<char, String> {
    escape::resolve_reference(body).map_err(reference_message)
}

/// Resolves references in an attribute value and normalizes its
/// whitespace as XML requires.
fn unescape_attribute(raw: &str) -> Result<String, String> {
    escape::unescape_attribute(raw).map_err(reference_message)
}

fn reference_message(error: ReferenceError) -> String {
    match error {
        ReferenceError::Undefined(name) if !escape::is_xml_name(&name) => {
            "a lone & (write it as &amp;)".to_string()
        }
        ReferenceError::Undefined(name) => {
            let hint = if name == "nbsp" { "; write a no-break space as &#160;" } else { "" };
            format!(
                "undefined entity &{name}; (XLIFF allows only &amp; &lt; &gt; &quot; &apos; and character \
                 references; dragoman never expands entities){hint}"
            )
        }
        ReferenceError::BadCharacter(body) => {
            format!("invalid character reference &{body}; (not a character XML allows)")
        }
    }
}

/// Inline elements whose content is native code of the original format,
/// not text to translate.
fn is_code(name: &str) -> bool {
    matches!(name, "bpt" | "ept" | "ph" | "it" | "sub")
}

struct Parser<'a> {
    xml: quick_xml::Reader<&'a [u8]>,
    text: &'a str,
    file: String,
    /// Open elements.
    depth: usize,
    /// Where the last event began.
    mark: u64,
}

type Attributes = Vec<(String, String)>;

fn attribute<'v>(attributes: &'v Attributes, name: &str) -> Option<&'v str> {
    attributes.iter().find(|(k, _)| k == name).map(|(_, v)| v.as_str())
}

impl<'a> Parser<'a> {
    fn new(text: &'a str, file: &str) -> Parser<'a> {
        let mut xml = quick_xml::Reader::from_str(text);
        escape::configure_strict_reader(&mut xml);
        Parser { xml, text, file: file.to_string(), depth: 0, mark: 0 }
    }

    fn error_at(&self, offset: u64, kind: XliffErrorKind, message: impl Into<String>) -> XliffError {
        let (line, column) = line_column(self.text, offset as usize);
        let message: String = message.into();
        XliffError {
            file: self.file.clone(),
            line,
            column,
            kind,
            message: message.split_whitespace().collect::<Vec<_>>().join(" "),
        }
    }

    /// An error at the start of the last event read.
    fn error(&self, kind: XliffErrorKind, message: impl Into<String>) -> XliffError {
        self.error_at(self.mark, kind, message)
    }

    fn next(&mut self) -> Result<Event<'a>, XliffError> {
        self.mark = self.xml.buffer_position();
        let event = self.xml.read_event().map_err(|e| {
            use quick_xml::errors::IllFormedError;
            let message = match &e {
                quick_xml::Error::IllFormed(IllFormedError::MismatchedEndTag { expected, found }) => {
                    format!(
                        "not well-formed XML: closing tag </{found}> does not match the open <{expected}>"
                    )
                }
                quick_xml::Error::IllFormed(IllFormedError::UnmatchedEndTag(name)) => {
                    format!("not well-formed XML: closing tag </{name}> has no opening tag")
                }
                // quick-xml names a construct the input ends inside.
                other if other.to_string().contains("end of input") => {
                    format!("not well-formed XML: {other} (the file ends there: truncated?)")
                }
                other => format!("not well-formed XML: {other}"),
            };
            self.error_at(self.xml.error_position(), XliffErrorKind::NotWellFormed, message)
        })?;
        match &event {
            Event::Start(_) => {
                self.depth += 1;
                if self.depth > MAX_DEPTH {
                    return Err(self.error(
                        XliffErrorKind::TooLarge,
                        format!("elements nested more than {MAX_DEPTH} deep; refusing to read further"),
                    ));
                }
            }
            Event::End(_) => self.depth = self.depth.saturating_sub(1),
            Event::Eof if self.depth > 0 => {
                return Err(self.error_at(
                    self.text.len() as u64,
                    XliffErrorKind::NotWellFormed,
                    "not well-formed XML: the file ends inside an element (truncated?)",
                ));
            }
            Event::DocType(_) => {
                return Err(self.error(
                    XliffErrorKind::Entity,
                    "a DOCTYPE is refused: XLIFF needs none, and dragoman never expands entities a DTD declares",
                ));
            }
            _ => {}
        }
        Ok(event)
    }

    fn attributes(&self, start: &BytesStart<'_>) -> Result<Attributes, XliffError> {
        let mut attributes = Vec::new();
        for attribute in start.attributes() {
            let attribute = attribute.map_err(|e| {
                self.error(
                    XliffErrorKind::NotWellFormed,
                    format!("not well-formed XML: bad attribute in <{}>: {e}", start.name().into_inner()),
                )
            })?;
            let value =
                unescape_attribute(&attribute.value).map_err(|m| self.error(XliffErrorKind::Entity, m))?;
            let key = attribute.key.into_inner();
            // Namespaced attributes (`xml:lang`, `sdl:conf`) are named by
            // their local part; `xmlns` declarations are kept as written.
            let key = if key.starts_with("xmlns") { key } else { key.rsplit(':').next().unwrap_or(key) };
            attributes.push((key.to_string(), value));
        }
        Ok(attributes)
    }

    /// Reads to the end of the element whose start was just read.
    fn skip(&mut self) -> Result<(), XliffError> {
        let depth = self.depth;
        while self.depth >= depth {
            self.next()?;
        }
        Ok(())
    }

    fn document(&mut self) -> Result<XliffDocument, XliffError> {
        // Prolog, up to the root element.
        let root = loop {
            match self.next()? {
                Event::Decl(_) | Event::PI(_) | Event::Comment(_) => {}
                Event::Text(text) if text.trim().is_empty() => {}
                Event::Start(root) => break root,
                Event::Empty(root) => {
                    let name = local_name(&root);
                    let message = if name == "xliff" {
                        "<xliff> is empty: no <file>".to_string()
                    } else {
                        format!("the root element is <{name}>, not <xliff>: this is not an XLIFF file")
                    };
                    return Err(self.error(XliffErrorKind::NotXliff, message));
                }
                Event::Eof => {
                    let message = if self.text.trim().is_empty() {
                        "the file is empty, expected an XLIFF document"
                    } else {
                        "no <xliff> element: this is not an XLIFF file"
                    };
                    return Err(self.error(XliffErrorKind::NotXliff, message));
                }
                _ => {
                    return Err(self.error(
                        XliffErrorKind::NotWellFormed,
                        "not well-formed XML: text before the root element",
                    ));
                }
            }
        };
        let name = local_name(&root);
        if name != "xliff" {
            return Err(self.error(
                XliffErrorKind::NotXliff,
                format!("the root element is <{name}>, not <xliff>: this is not an XLIFF file"),
            ));
        }
        let attributes = self.attributes(&root)?;
        self.check_version(&attributes)?;
        let mut document = None;
        loop {
            match self.next()? {
                Event::Start(element) if local_name(&element) == "file" => {
                    let start = self.mark;
                    if document.is_some() {
                        return Err(self.error_at(
                            start,
                            XliffErrorKind::Invalid,
                            "a second <file>: dragoman reads one article per XLIFF file",
                        ));
                    }
                    let attributes = self.attributes(&element)?;
                    document = Some(self.file_element(&attributes, start)?);
                }
                Event::Empty(element) if local_name(&element) == "file" => {
                    return Err(self.error(XliffErrorKind::Invalid, "<file> has no <body>"));
                }
                Event::Start(_) => self.skip()?,
                Event::End(_) => break,
                Event::Text(text) if !text.trim().is_empty() => {
                    return Err(self.error(XliffErrorKind::Invalid, "text directly inside <xliff>"));
                }
                _ => {}
            }
        }
        // After the root: only comments and whitespace (quick-xml reports
        // anything else as not well-formed).
        loop {
            match self.next()? {
                Event::Eof => break,
                Event::Start(_) | Event::Empty(_) => {
                    return Err(self
                        .error(XliffErrorKind::NotWellFormed, "not well-formed XML: a second root element"));
                }
                _ => {}
            }
        }
        document.ok_or_else(|| self.error(XliffErrorKind::NotXliff, "<xliff> has no <file>"))
    }

    fn check_version(&self, attributes: &Attributes) -> Result<(), XliffError> {
        let version = attribute(attributes, "version").unwrap_or("").trim();
        let namespace = attributes
            .iter()
            .find(|(k, _)| k == "xmlns" || k.starts_with("xmlns:"))
            .map_or("", |(_, v)| v.as_str());
        let two = version.starts_with('2') || namespace.contains("xliff:document:2");
        if two {
            let version = if version.is_empty() { "2.0" } else { version };
            return Err(self.error(
                XliffErrorKind::WrongVersion,
                format!(
                    "this is XLIFF {version}; dragoman reads XLIFF 1.2 (export the file from your CAT tool as XLIFF 1.2)"
                ),
            ));
        }
        match version {
            "1.0" | "1.1" | "1.2" => Ok(()),
            "" if namespace.contains("xliff:document:1.") => Ok(()),
            "" => Err(self.error(
                XliffErrorKind::WrongVersion,
                "<xliff> has no version: dragoman reads XLIFF 1.2 (version=\"1.2\")",
            )),
            other => Err(self.error(
                XliffErrorKind::WrongVersion,
                format!("XLIFF version {other} is not supported; dragoman reads XLIFF 1.2"),
            )),
        }
    }

    fn file_element(&mut self, attributes: &Attributes, start: u64) -> Result<XliffDocument, XliffError> {
        let mut document = XliffDocument {
            original: attribute(attributes, "original").unwrap_or("").to_string(),
            source_language: attribute(attributes, "source-language").unwrap_or("").to_string(),
            target_language: attribute(attributes, "target-language").unwrap_or("").to_string(),
            ..XliffDocument::default()
        };
        let mut has_body = false;
        loop {
            match self.next()? {
                Event::Start(element) => match local_name(&element).as_str() {
                    "header" => self.header(&mut document)?,
                    "body" => {
                        has_body = true;
                        self.body(&mut document)?;
                    }
                    _ => self.skip()?,
                },
                Event::Empty(element) if local_name(&element) == "body" => has_body = true,
                Event::End(_) => break,
                _ => {}
            }
        }
        if !has_body {
            return Err(self.error_at(start, XliffErrorKind::Invalid, "<file> has no <body>"));
        }
        Ok(document)
    }

    fn header(&mut self, document: &mut XliffDocument) -> Result<(), XliffError> {
        loop {
            match self.next()? {
                Event::Start(element) if local_name(&element) == "note" => {
                    let attributes = self.attributes(&element)?;
                    let (text, _) = self.content()?;
                    match attribute(&attributes, "from") {
                        Some("title") => document.title = Some(text),
                        Some("date") => document.date = Some(text),
                        Some("document") => document.document = Some(text),
                        _ => {}
                    }
                }
                Event::Start(_) => self.skip()?,
                Event::End(_) => return Ok(()),
                _ => {}
            }
        }
    }

    fn body(&mut self, document: &mut XliffDocument) -> Result<(), XliffError> {
        loop {
            match self.next()? {
                Event::Start(element) => match local_name(&element).as_str() {
                    "group" => {
                        let mut units = Vec::new();
                        self.group(&mut units)?;
                        if !units.is_empty() {
                            document.paragraphs.push(units);
                        }
                    }
                    "trans-unit" => {
                        let unit = self.unit(&element)?;
                        document.paragraphs.push(vec![unit]);
                    }
                    _ => self.skip()?,
                },
                Event::Empty(element) if local_name(&element) == "trans-unit" => {
                    return Err(self.error(XliffErrorKind::Invalid, "<trans-unit> has no <source>"));
                }
                Event::End(_) => return Ok(()),
                _ => {}
            }
        }
    }

    /// A top-level group is a paragraph; the units of groups inside it
    /// belong to the same paragraph.
    fn group(&mut self, units: &mut Vec<Unit>) -> Result<(), XliffError> {
        loop {
            match self.next()? {
                Event::Start(element) => match local_name(&element).as_str() {
                    "group" => self.group(units)?,
                    "trans-unit" => units.push(self.unit(&element)?),
                    _ => self.skip()?,
                },
                Event::Empty(element) if local_name(&element) == "trans-unit" => {
                    return Err(self.error(XliffErrorKind::Invalid, "<trans-unit> has no <source>"));
                }
                Event::End(_) => return Ok(()),
                _ => {}
            }
        }
    }

    fn unit(&mut self, start: &BytesStart<'_>) -> Result<Unit, XliffError> {
        let at = self.mark;
        let attributes = self.attributes(start)?;
        let Some(id) = attribute(&attributes, "id") else {
            return Err(self.error_at(at, XliffErrorKind::Invalid, "<trans-unit> has no id"));
        };
        let mut unit = Unit { id: id.to_string(), ..Unit::default() };
        let mut has_source = false;
        loop {
            match self.next()? {
                Event::Start(element) => match local_name(&element).as_str() {
                    "source" => {
                        unit.source = self.content()?.0;
                        has_source = true;
                    }
                    "target" => {
                        let state = attribute(&self.attributes(&element)?, "state").map(str::to_string);
                        let (text, segments) = self.content()?;
                        let text = if segments.is_empty() { text } else { segments.join(" ") };
                        unit.target = Some(Target { text, state });
                    }
                    "note" => {
                        let from = attribute(&self.attributes(&element)?, "from").map(str::to_string);
                        unit.notes.push(Note { from, text: self.content()?.0 });
                    }
                    "alt-trans" => {
                        let attributes = self.attributes(&element)?;
                        let mut alternative = Alternative {
                            match_quality: attribute(&attributes, "match-quality").unwrap_or("").to_string(),
                            origin: attribute(&attributes, "origin").unwrap_or("").to_string(),
                            ..Alternative::default()
                        };
                        self.alternative(&mut alternative)?;
                        unit.alternatives.push(alternative);
                    }
                    _ => self.skip()?,
                },
                Event::Empty(element) => match local_name(&element).as_str() {
                    "source" => has_source = true,
                    "target" => {
                        let state = attribute(&self.attributes(&element)?, "state").map(str::to_string);
                        unit.target = Some(Target { text: String::new(), state });
                    }
                    _ => {}
                },
                Event::End(_) => break,
                _ => {}
            }
        }
        if !has_source {
            return Err(self.error_at(
                at,
                XliffErrorKind::Invalid,
                format!("<trans-unit id=\"{}\"> has no <source>", unit.id),
            ));
        }
        Ok(unit)
    }

    fn alternative(&mut self, alternative: &mut Alternative) -> Result<(), XliffError> {
        loop {
            match self.next()? {
                Event::Start(element) => match local_name(&element).as_str() {
                    "source" => alternative.source = self.content()?.0,
                    "target" => {
                        let (text, segments) = self.content()?;
                        alternative.target = if segments.is_empty() { text } else { segments.join(" ") };
                    }
                    _ => self.skip()?,
                },
                Event::End(_) => return Ok(()),
                _ => {}
            }
        }
    }

    /// The text of the element whose start was just read, up to its end:
    /// references resolved, the content of code elements dropped. Also
    /// returns the trimmed texts of its `<mrk mtype="seg">` segments, in
    /// order (empty when it has none).
    fn content(&mut self) -> Result<(String, Vec<String>), XliffError> {
        let depth = self.depth;
        let mut text = String::new();
        let mut segments = Vec::new();
        // Depth of the open segment marker, and where its text began.
        let mut segment: Option<(usize, usize)> = None;
        let mut code_depth = 0usize;
        loop {
            let event = self.next()?;
            match event {
                Event::Text(piece) if code_depth == 0 => {
                    let piece = piece.xml10_content();
                    if let Some(bad) = piece.chars().find(|&c| !is_xml_char(c)) {
                        return Err(self.error(
                            XliffErrorKind::Encoding,
                            format!("a control character XML forbids (U+{:04X})", bad as u32),
                        ));
                    }
                    text.push_str(&piece);
                }
                Event::CData(piece) if code_depth == 0 => text.push_str(&piece.xml10_content()),
                Event::GeneralRef(reference) => {
                    let c =
                        resolve_reference(&reference).map_err(|m| self.error(XliffErrorKind::Entity, m))?;
                    if code_depth == 0 {
                        text.push(c);
                    }
                }
                Event::Start(element) => {
                    let name = local_name(&element);
                    if code_depth > 0 || is_code(&name) {
                        code_depth += 1;
                    } else if name == "mrk" && segment.is_none() {
                        let attributes = self.attributes(&element)?;
                        if attribute(&attributes, "mtype") == Some("seg") {
                            segment = Some((self.depth, text.len()));
                        }
                    }
                }
                Event::End(_) => {
                    if self.depth < depth {
                        return Ok((text, segments));
                    }
                    if code_depth > 0 {
                        code_depth -= 1;
                    } else if let Some((open, from)) = segment
                        && self.depth + 1 == open
                    {
                        segments.push(text[from..].trim().to_string());
                        segment = None;
                    }
                }
                _ => {}
            }
        }
    }
}

fn local_name(element: &BytesStart<'_>) -> String {
    element.local_name().into_inner().to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn line_and_column_count_characters() {
        assert_eq!(line_column("ab\nالرقة x", 3), (2, 1));
        let text = "ab\nالرقة x";
        assert_eq!(line_column(text, text.find('x').unwrap()), (2, 7));
    }

    #[test]
    fn only_xml_references_resolve() {
        assert_eq!(resolve_reference("amp"), Ok('&'));
        assert_eq!(resolve_reference("#x627"), Ok('ا'));
        assert!(resolve_reference("nbsp").unwrap_err().contains("&#160;"));
        assert!(resolve_reference("#0").is_err());
        assert_eq!(unescape_attribute("a&quot;\nb").unwrap(), "a\" b");
    }
}
