//! The streaming TMX reader: [`TmxReader`] pulls one [`TranslationUnit`] at
//! a time from a TMX 1.1–1.4b document, in constant memory.
//!
//! Errors come in two scopes. A *unit* error (a `<tuv>` without a language,
//! an empty `<seg>`, an undefined entity inside a unit, …) is reported after
//! the reader has skipped to the end of that `<tu>`, so the caller may go on
//! (`--skip-bad`). A *document* error (not well-formed, truncated, wrong
//! encoding, not TMX) ends reading: every later call repeats it.

use std::io::Read;

use quick_xml::events::{BytesStart, Event};

use super::escape;
use super::input::{DecodedInput, InputFault, is_xml_space};
use super::{Header, Note, Prop, SegContent, TmxError, TmxErrorKind, TranslationUnit, Variant};

/// The largest `<tu>` (in decoded bytes) the reader accepts; a larger one is
/// a unit error, so a hostile file cannot make the reader hold gigabytes.
pub const MAX_UNIT_BYTES: u64 = 32 * 1024 * 1024;

/// The TMX elements the reader knows, by name.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Tag {
    Tmx,
    Header,
    Body,
    Tu,
    Tuv,
    Seg,
    Prop,
    Note,
    Inline(Inline),
    Other,
}

/// TMX Level 2 inline elements.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Inline {
    Bpt,
    Ept,
    It,
    Ph,
    Hi,
    Sub,
    Ut,
}

impl Inline {
    /// Elements holding native code (their text is not translatable).
    fn is_code(self) -> bool {
        !matches!(self, Inline::Hi | Inline::Sub)
    }

    /// Whether the DTD allows `self` directly inside `parent` (`None` = `<seg>`).
    fn allowed_in(self, parent: Option<Inline>) -> bool {
        match self {
            Inline::Sub => parent.is_some_and(Inline::is_code),
            _ => parent.is_none_or(|p| !p.is_code()),
        }
    }
}

fn tag(name: &str) -> Tag {
    match name {
        "tmx" => Tag::Tmx,
        "header" => Tag::Header,
        "body" => Tag::Body,
        "tu" => Tag::Tu,
        "tuv" => Tag::Tuv,
        "seg" => Tag::Seg,
        "prop" => Tag::Prop,
        "note" => Tag::Note,
        "bpt" => Tag::Inline(Inline::Bpt),
        "ept" => Tag::Inline(Inline::Ept),
        "it" => Tag::Inline(Inline::It),
        "ph" => Tag::Inline(Inline::Ph),
        "hi" => Tag::Inline(Inline::Hi),
        "sub" => Tag::Inline(Inline::Sub),
        "ut" => Tag::Inline(Inline::Ut),
        _ => Tag::Other,
    }
}

fn is_xml_whitespace(text: &str) -> bool {
    text.bytes().all(is_xml_space)
}

enum State {
    Body,
    Finished,
    Failed(TmxError),
}

type Attributes = Vec<(String, String)>;

/// A streaming TMX reader. See the module docs for the error scopes.
///
/// ```
/// use dragoman::tmx::TmxReader;
/// let tmx = r#"<tmx version="1.4"><header srclang="ar"/><body>
///   <tu><tuv xml:lang="ar"><seg>مرحبا</seg></tuv><tuv xml:lang="en"><seg>Hello</seg></tuv></tu>
/// </body></tmx>"#;
/// let mut reader = TmxReader::new(tmx.as_bytes(), "hello.tmx").unwrap();
/// let unit = reader.next_unit().unwrap().unwrap();
/// assert_eq!(unit.variants[1].seg.plain_text(), "Hello");
/// assert!(reader.next_unit().unwrap().is_none());
/// ```
pub struct TmxReader<R: Read = Box<dyn Read>> {
    xml: quick_xml::Reader<DecodedInput<R>>,
    file: String,
    header: Header,
    /// Open elements.
    depth: usize,
    state: State,
    /// While reading a `<tu>`: problems are unit errors, and where it began.
    in_unit: bool,
    unit_start: u64,
    /// Whitespace consumed under the parser ([`TmxReader::read_element`]).
    skipped: u64,
    buf: Vec<u8>,
}

impl<R: Read> TmxReader<R> {
    /// Opens a TMX document and reads it up to `<body>`. `name` is how the
    /// input is called in errors (a path, `<stdin>`).
    pub fn new(input: R, name: &str) -> Result<TmxReader<R>, TmxError> {
        let decoded = DecodedInput::new(input).map_err(|e| TmxError {
            file: name.to_string(),
            line: 1,
            column: 1,
            kind: TmxErrorKind::Io,
            message: format!("read error: {e}"),
            unit_only: false,
        })?;
        let mut xml = quick_xml::Reader::from_reader(decoded);
        super::escape::configure_strict_reader(&mut xml);
        let mut reader = TmxReader {
            xml,
            file: name.to_string(),
            header: Header::default(),
            depth: 0,
            state: State::Body,
            in_unit: false,
            unit_start: 0,
            skipped: 0,
            buf: Vec::new(),
        };
        let mut buf = Vec::new();
        reader.read_up_to_body(&mut buf)?;
        reader.buf = buf;
        Ok(reader)
    }

    /// The encoding the document was read in (`UTF-8`, `UTF-16LE`, `UTF-16BE`).
    pub fn encoding(&self) -> &'static str {
        self.xml.get_ref().source_encoding().label()
    }

    /// The document's header (empty fields when it had none).
    pub fn header(&self) -> &Header {
        &self.header
    }

    /// The next unit, `Ok(None)` after `</tmx>`. After a unit error
    /// ([`TmxError::is_unit_error`]) the next call continues with the next
    /// `<tu>`; after a document error every call returns that error.
    pub fn next_unit(&mut self) -> Result<Option<TranslationUnit>, TmxError> {
        match &self.state {
            State::Finished => return Ok(None),
            State::Failed(error) => return Err(error.clone()),
            State::Body => {}
        }
        let mut buf = std::mem::take(&mut self.buf);
        let result = self.read_next_unit(&mut buf);
        self.buf = buf;
        match &result {
            Err(error) if !error.is_unit_error() => self.state = State::Failed(error.clone()),
            Ok(None) => self.state = State::Finished,
            _ => {}
        }
        result
    }

    // ---- errors -------------------------------------------------------

    fn error_at(&self, offset: u64, kind: TmxErrorKind, message: String) -> TmxError {
        let (line, column) = self.xml.get_ref().position_of(offset);
        let unit_only = self.in_unit
            && matches!(kind, TmxErrorKind::Entity | TmxErrorKind::InvalidUnit | TmxErrorKind::TooLarge);
        TmxError { file: self.file.clone(), line, column, kind, message: one_line(&message), unit_only }
    }

    /// An error at the start of the last event read.
    fn error_here(&self, kind: TmxErrorKind, message: String) -> TmxError {
        self.error_at(self.xml.get_ref().mark_offset(), kind, message)
    }

    fn invalid(&self, message: String) -> TmxError {
        self.error_here(TmxErrorKind::InvalidUnit, message)
    }

    fn xml_error(&self, error: quick_xml::Error) -> TmxError {
        let input = self.xml.get_ref();
        if let Some(fault) = input.fault() {
            let kind = match fault {
                InputFault::Io(_) => TmxErrorKind::Io,
                InputFault::TokenTooLong => TmxErrorKind::TooLarge,
                InputFault::Malformed { .. } | InputFault::ForbiddenChar(_) => TmxErrorKind::Encoding,
            };
            let mut error = self.error_at(input.consumed(), kind, fault.to_string());
            error.unit_only = false;
            return error;
        }
        use quick_xml::errors::IllFormedError;
        let message = match &error {
            quick_xml::Error::IllFormed(IllFormedError::MismatchedEndTag { expected, found }) => {
                format!("not well-formed XML: closing tag </{found}> does not match the open <{expected}>")
            }
            quick_xml::Error::IllFormed(IllFormedError::UnmatchedEndTag(name)) => {
                format!("not well-formed XML: closing tag </{name}> has no opening tag")
            }
            quick_xml::Error::IllFormed(IllFormedError::UnclosedReference) => {
                "not well-formed XML: a lone & (write it as &amp;)".to_string()
            }
            other => format!("not well-formed XML: {other}"),
        };
        let position = input.position_of(self.xml.error_position() + self.skipped);
        TmxError {
            file: self.file.clone(),
            line: position.0,
            column: position.1,
            kind: TmxErrorKind::NotWellFormed,
            message: one_line(&message),
            unit_only: false,
        }
    }

    // ---- events -------------------------------------------------------

    fn read_event<'b>(&mut self, buf: &'b mut Vec<u8>) -> Result<Event<'b>, TmxError> {
        buf.clear();
        self.xml.get_mut().mark();
        self.next_event(buf)
    }

    /// [`TmxReader::read_event`] between the elements of `<body>`, `<tu>`
    /// and `<tuv>`, where whitespace is only indentation: it is skipped
    /// under the parser instead of becoming a text event of its own (nine
    /// of the twenty events of a typical indented unit).
    fn read_element<'b>(&mut self, buf: &'b mut Vec<u8>) -> Result<Event<'b>, TmxError> {
        buf.clear();
        let input = self.xml.get_mut();
        self.skipped += input.skip_whitespace();
        input.mark();
        self.next_event(buf)
    }

    /// How far the parser has read, in decoded bytes.
    fn position(&self) -> u64 {
        // The parser does not count the whitespace skipped under it, all of
        // which lies before its current event.
        self.xml.buffer_position() + self.skipped
    }

    fn next_event<'b>(&mut self, buf: &'b mut Vec<u8>) -> Result<Event<'b>, TmxError> {
        let event = match self.xml.read_event_into(buf) {
            Ok(event) => event,
            Err(error) => return Err(self.xml_error(error)),
        };
        match &event {
            Event::Start(_) => self.depth += 1,
            Event::End(_) => self.depth = self.depth.saturating_sub(1),
            Event::Eof if self.depth > 0 => {
                let input = self.xml.get_ref();
                let mut error = self.error_at(
                    input.consumed(),
                    TmxErrorKind::NotWellFormed,
                    "not well-formed XML: the file ends inside an element (truncated?)".to_string(),
                );
                error.unit_only = false;
                return Err(error);
            }
            _ => {}
        }
        if self.in_unit && self.position().saturating_sub(self.unit_start) > MAX_UNIT_BYTES {
            return Err(self.error_here(
                TmxErrorKind::TooLarge,
                format!("<tu> is larger than {} MiB; refusing to read it", MAX_UNIT_BYTES >> 20),
            ));
        }
        Ok(event)
    }

    /// Reads events until fewer than `depth` elements are open.
    fn skip_to_depth(&mut self, buf: &mut Vec<u8>, depth: usize) -> Result<(), TmxError> {
        while self.depth > depth {
            self.read_event(buf)?;
        }
        Ok(())
    }

    fn attributes(&self, start: &BytesStart<'_>) -> Result<Attributes, TmxError> {
        self.attributes_taking(start, []).map(|([], attributes)| attributes)
    }

    /// The attributes of `start`, except those named in `taken`, whose values
    /// come back in `taken`'s order. Their names are never copied, and the
    /// list is allocated only when something else is left: this runs for
    /// every `<tu>` and `<tuv>` of an import.
    fn attributes_taking<const N: usize>(
        &self,
        start: &BytesStart<'_>,
        taken: [&str; N],
    ) -> Result<([Option<String>; N], Attributes), TmxError> {
        let mut values = [const { None }; N];
        let mut attributes = Vec::new();
        let bad = |message: String| {
            let element = start.name().into_inner();
            self.error_here(
                TmxErrorKind::InvalidUnit,
                format!("not well-formed XML: bad attribute in <{element}>: {message}"),
            )
        };
        let twice = |name: &str| bad(format!("`{name}` appears twice"));
        // Repeated names are found here, not by quick-xml, whose check
        // allocates for every element: a TMX element has a few attributes,
        // so a scan of them; past a handful (hostile input), a sort.
        const SCANNED: usize = 16;
        for attribute in start.attributes().with_checks(false) {
            let attribute = attribute.map_err(|e| bad(e.to_string()))?;
            let value = escape::unescape_attribute(&attribute.value)
                .map_err(|e| self.error_here(TmxErrorKind::Entity, e.to_string()))?;
            let name = attribute.key.into_inner();
            let repeated = match taken.iter().position(|&t| t == name) {
                Some(i) => values[i].replace(value).is_some(),
                None => {
                    let repeated = attributes.len() < SCANNED && attributes.iter().any(|(k, _)| k == name);
                    attributes.push((name.to_string(), value));
                    repeated
                }
            };
            if repeated {
                return Err(twice(name));
            }
        }
        if attributes.len() > SCANNED {
            let mut names: Vec<&str> = attributes.iter().map(|(k, _)| k.as_str()).collect();
            names.sort_unstable();
            if let Some(pair) = names.windows(2).find(|pair| pair[0] == pair[1]) {
                return Err(twice(pair[0]));
            }
        }
        Ok((values, attributes))
    }

    // ---- document -----------------------------------------------------

    fn read_up_to_body(&mut self, buf: &mut Vec<u8>) -> Result<(), TmxError> {
        // Prolog: up to the root element.
        loop {
            match self.read_event(buf)? {
                Event::Decl(decl) => {
                    let declared = match decl.encoding() {
                        Some(Ok(label)) => Some(label.trim().to_ascii_lowercase()),
                        _ => None,
                    };
                    if let Some(declared) = declared {
                        self.check_declared_encoding(&declared)?;
                    }
                }
                Event::DocType(_) | Event::PI(_) | Event::Comment(_) => {}
                Event::Text(text) if is_xml_whitespace(&text) => {}
                Event::Start(root) | Event::Empty(root) if tag(root.name().into_inner()) != Tag::Tmx => {
                    return Err(self.error_here(
                        TmxErrorKind::NotTmx,
                        format!(
                            "the root element is <{}>, not <tmx>: this is not a TMX file",
                            root.name().into_inner()
                        ),
                    ));
                }
                Event::Start(root) => {
                    self.header.version = self.version_of(&root)?;
                    break;
                }
                Event::Empty(_) => {
                    return Err(self.error_here(TmxErrorKind::NotTmx, "<tmx> has no <body>".to_string()));
                }
                Event::Eof => {
                    let message = if self.xml.get_ref().consumed() == 0 {
                        "the file is empty, expected a TMX document"
                    } else {
                        "no <tmx> element: this is not a TMX file"
                    };
                    return Err(self.error_here(TmxErrorKind::NotTmx, message.to_string()));
                }
                _ => {
                    return Err(self.error_here(
                        TmxErrorKind::NotWellFormed,
                        "not well-formed XML: text before the root element".to_string(),
                    ));
                }
            }
        }
        // Inside <tmx>: the header, then <body>.
        loop {
            match self.read_event(buf)? {
                Event::Start(element) => match tag(element.name().into_inner()) {
                    Tag::Header => {
                        let attributes = self.attributes(&element)?;
                        self.set_header_attributes(attributes);
                        self.read_header_children(buf)?;
                    }
                    Tag::Body => return Ok(()),
                    _ => return Err(self.unexpected_in_tmx(&element)),
                },
                Event::Empty(element) => match tag(element.name().into_inner()) {
                    Tag::Header => {
                        let attributes = self.attributes(&element)?;
                        self.set_header_attributes(attributes);
                    }
                    Tag::Body => {
                        self.finish_document(buf)?;
                        self.state = State::Finished;
                        return Ok(());
                    }
                    _ => return Err(self.unexpected_in_tmx(&element)),
                },
                Event::End(_) => {
                    return Err(self.error_here(TmxErrorKind::NotTmx, "<tmx> has no <body>".to_string()));
                }
                Event::Text(text) if is_xml_whitespace(&text) => {}
                Event::Comment(_) | Event::PI(_) => {}
                _ => {
                    return Err(self.error_here(
                        TmxErrorKind::NotTmx,
                        "unexpected text in <tmx>, expected <header> and <body>".to_string(),
                    ));
                }
            }
        }
    }

    fn unexpected_in_tmx(&self, element: &BytesStart<'_>) -> TmxError {
        self.error_here(
            TmxErrorKind::NotTmx,
            format!("unexpected <{}> in <tmx>, expected <header> and <body>", element.name().into_inner()),
        )
    }

    fn version_of(&self, root: &BytesStart<'_>) -> Result<String, TmxError> {
        Ok(self
            .attributes(root)?
            .into_iter()
            .find(|(k, _)| k == "version")
            .map(|(_, v)| v)
            .unwrap_or_default())
    }

    fn check_declared_encoding(&self, declared: &str) -> Result<(), TmxError> {
        let source = self.xml.get_ref().source_encoding();
        let says_utf8 = matches!(declared, "utf-8" | "utf8" | "us-ascii" | "ascii");
        let says_utf16 = declared.starts_with("utf-16") || matches!(declared, "utf16" | "ucs-2");
        let problem = if says_utf8 && source.is_utf16() {
            format!(
                "the XML declaration says encoding=\"{declared}\" but the file is {} (it starts with a \
                 UTF-16 byte order mark)",
                source.label()
            )
        } else if says_utf16 && !source.is_utf16() {
            format!(
                "the XML declaration says encoding=\"{declared}\" but the file is not UTF-16 (no byte order \
                 mark; it reads as UTF-8)"
            )
        } else if !says_utf8 && !says_utf16 {
            format!(
                "unsupported encoding \"{declared}\" in the XML declaration: dragoman reads TMX in UTF-8 or \
                 UTF-16; convert the file to UTF-8 (e.g. iconv -f {declared} -t UTF-8)"
            )
        } else {
            return Ok(());
        };
        Err(self.error_here(TmxErrorKind::Encoding, problem))
    }

    fn set_header_attributes(&mut self, attributes: Attributes) {
        for (name, value) in attributes {
            if name == "srclang" {
                self.header.srclang = Some(value);
            } else {
                self.header.attributes.push((name, value));
            }
        }
    }

    fn read_header_children(&mut self, buf: &mut Vec<u8>) -> Result<(), TmxError> {
        loop {
            match self.read_event(buf)? {
                Event::Start(element) => {
                    let kind = tag(element.name().into_inner());
                    let attributes = self.attributes(&element)?;
                    match kind {
                        Tag::Prop => {
                            let value = self.read_text_content(buf, "prop")?;
                            let prop = self.prop(attributes, value)?;
                            self.header.props.push(prop);
                        }
                        Tag::Note => {
                            let text = self.read_text_content(buf, "note")?;
                            self.header.notes.push(note(attributes, text));
                        }
                        // `<ude>` (user-defined encodings) and extensions: not needed.
                        _ => {
                            let depth = self.depth - 1;
                            self.skip_to_depth(buf, depth)?;
                        }
                    }
                }
                Event::Empty(element) => {
                    let kind = tag(element.name().into_inner());
                    let attributes = self.attributes(&element)?;
                    match kind {
                        Tag::Prop => {
                            let prop = self.prop(attributes, String::new())?;
                            self.header.props.push(prop);
                        }
                        Tag::Note => self.header.notes.push(note(attributes, String::new())),
                        _ => {}
                    }
                }
                Event::End(_) => return Ok(()),
                Event::Text(text) if is_xml_whitespace(&text) => {}
                Event::Comment(_) | Event::PI(_) => {}
                _ => {
                    return Err(
                        self.error_here(TmxErrorKind::NotTmx, "unexpected text in <header>".to_string())
                    );
                }
            }
        }
    }

    /// After `</body>`: only `</tmx>`, then nothing but comments and blanks.
    fn finish_document(&mut self, buf: &mut Vec<u8>) -> Result<(), TmxError> {
        loop {
            match self.read_event(buf)? {
                Event::End(_) if self.depth == 0 => {}
                Event::Eof => return Ok(()),
                Event::Text(text) if is_xml_whitespace(&text) => {}
                Event::Comment(_) | Event::PI(_) => {}
                Event::Start(element) | Event::Empty(element) => {
                    let message = if self.depth <= 1 {
                        format!("unexpected <{}> after the root element", element.name().into_inner())
                    } else {
                        format!("unexpected <{}> after </body>", element.name().into_inner())
                    };
                    return Err(self.error_here(TmxErrorKind::NotTmx, message));
                }
                _ => {
                    return Err(self.error_here(
                        TmxErrorKind::NotWellFormed,
                        "not well-formed XML: text after </body>".to_string(),
                    ));
                }
            }
        }
    }

    // ---- units --------------------------------------------------------

    fn read_next_unit(&mut self, buf: &mut Vec<u8>) -> Result<Option<TranslationUnit>, TmxError> {
        loop {
            let event = self.read_element(buf)?;
            match event {
                Event::Start(element) => {
                    if tag(element.name().into_inner()) == Tag::Tu {
                        self.in_unit = true;
                        self.unit_start = self.position();
                        let attributes = self.attributes_taking(&element, ["tuid"]);
                        return self.read_unit(buf, attributes).map(Some);
                    }
                    let name = element.name().into_inner().to_string();
                    let error = self.unit_error_here(format!("unexpected <{name}> in <body>, expected <tu>"));
                    let depth = self.depth - 1;
                    self.skip_to_depth(buf, depth)?;
                    return Err(error);
                }
                Event::Empty(element) => {
                    let message = if tag(element.name().into_inner()) == Tag::Tu {
                        "<tu/> has no variants".to_string()
                    } else {
                        format!("unexpected <{}/> in <body>, expected <tu>", element.name().into_inner())
                    };
                    return Err(self.unit_error_here(message));
                }
                Event::End(_) => {
                    self.finish_document(buf)?;
                    return Ok(None);
                }
                Event::Text(text) if is_xml_whitespace(&text) => {}
                Event::Comment(_) | Event::PI(_) | Event::Decl(_) | Event::DocType(_) => {}
                Event::Text(_) | Event::CData(_) | Event::GeneralRef(_) => {
                    return Err(
                        self.unit_error_here("unexpected text in <body>, outside any <tu>".to_string())
                    );
                }
                Event::Eof => {
                    return Err(self.error_here(
                        TmxErrorKind::NotWellFormed,
                        "not well-formed XML: the file ends inside <body> (truncated?)".to_string(),
                    ));
                }
            }
        }
    }

    fn unit_error_here(&self, message: String) -> TmxError {
        let mut error = self.invalid(message);
        error.unit_only = true;
        error
    }

    /// Reads a `<tu>` whose start tag was just read; on a unit error skips
    /// to its end first.
    fn read_unit(
        &mut self,
        buf: &mut Vec<u8>,
        attributes: Result<([Option<String>; 1], Attributes), TmxError>,
    ) -> Result<TranslationUnit, TmxError> {
        let unit_depth = self.depth;
        let start = self.xml.get_ref().mark_offset();
        self.xml.get_mut().pin(Some(start));
        let result =
            attributes.and_then(|([tuid], attributes)| self.read_unit_content(buf, tuid, attributes, start));
        self.in_unit = false;
        self.xml.get_mut().pin(None);
        match result {
            Err(error) if error.is_unit_error() => {
                self.skip_to_depth(buf, unit_depth - 1)?;
                Err(error)
            }
            other => other,
        }
    }

    fn read_unit_content(
        &mut self,
        buf: &mut Vec<u8>,
        tuid: Option<String>,
        attributes: Attributes,
        start: u64,
    ) -> Result<TranslationUnit, TmxError> {
        let mut unit = TranslationUnit {
            tuid: None,
            attributes,
            props: Vec::new(),
            notes: Vec::new(),
            variants: Vec::with_capacity(2),
        };
        // Named in messages; formatted only when there is an error.
        let context = UnitLabel(tuid.as_deref());
        loop {
            match self.read_element(buf)? {
                Event::Start(element) => {
                    let kind = tag(element.name().into_inner());
                    if !matches!(kind, Tag::Prop | Tag::Note | Tag::Tuv) {
                        return Err(self.invalid(format!(
                            "unexpected <{}> in {context}, expected <prop>, <note> or <tuv>",
                            element.name().into_inner()
                        )));
                    }
                    match kind {
                        Tag::Prop => {
                            let attributes = self.attributes(&element)?;
                            let value = self.read_text_content(buf, "prop")?;
                            unit.props.push(self.prop(attributes, value)?);
                        }
                        Tag::Note => {
                            let attributes = self.attributes(&element)?;
                            let text = self.read_text_content(buf, "note")?;
                            unit.notes.push(note(attributes, text));
                        }
                        _ => {
                            let ([xml_lang, old_lang], other) =
                                self.attributes_taking(&element, ["xml:lang", "lang"])?;
                            let variant = self.read_variant(buf, xml_lang.or(old_lang), other, context)?;
                            unit.variants.push(variant);
                        }
                    }
                }
                Event::Empty(element) => {
                    let kind = tag(element.name().into_inner());
                    let attributes = self.attributes(&element)?;
                    match kind {
                        Tag::Prop => unit.props.push(self.prop(attributes, String::new())?),
                        Tag::Note => unit.notes.push(note(attributes, String::new())),
                        Tag::Tuv => return Err(self.invalid(format!("<tuv/> in {context} has no <seg>"))),
                        _ => {
                            return Err(self.invalid(format!(
                                "unexpected <{}/> in {context}, expected <prop>, <note> or <tuv>",
                                element.name().into_inner()
                            )));
                        }
                    }
                }
                Event::End(_) => break,
                Event::Text(text) if is_xml_whitespace(&text) => {}
                Event::Comment(_) | Event::PI(_) => {}
                _ => return Err(self.invalid(format!("unexpected text in {context}, outside any <seg>"))),
            }
        }
        if unit.variants.len() < 2 {
            let count = unit.variants.len();
            let message = format!(
                "{context} has {count} variant{} (<tuv>); a translation unit needs at least two languages",
                if count == 1 { "" } else { "s" }
            );
            return Err(self.error_at(start, TmxErrorKind::InvalidUnit, message));
        }
        unit.tuid = tuid;
        Ok(unit)
    }

    fn read_variant(
        &mut self,
        buf: &mut Vec<u8>,
        lang: Option<String>,
        other: Attributes,
        unit: UnitLabel<'_>,
    ) -> Result<Variant, TmxError> {
        let lang = match lang {
            Some(lang) if !lang.trim().is_empty() => lang,
            Some(_) => return Err(self.invalid(format!("<tuv> in {unit} has an empty xml:lang"))),
            None => {
                return Err(
                    self.invalid(format!("<tuv> in {unit} has no language (xml:lang or lang attribute)"))
                );
            }
        };
        if let Some(two_letter) = super::two_letter_code(&lang) {
            return Err(self.invalid(format!(
                "language tag \"{lang}\" in {unit} is a three-letter code: TMX (BCP 47) uses \"{two_letter}\""
            )));
        }
        let mut variant = Variant {
            lang: String::new(),
            attributes: other,
            props: Vec::new(),
            notes: Vec::new(),
            seg: SegContent { xml: String::new() },
        };
        let context = VariantLabel { lang: &lang, unit };
        let mut seg_start = None;
        loop {
            match self.read_element(buf)? {
                Event::Start(element) => {
                    let kind = tag(element.name().into_inner());
                    if !matches!(kind, Tag::Prop | Tag::Note | Tag::Seg) {
                        return Err(self.invalid(format!(
                            "unexpected <{}> in {context}, expected <prop>, <note> or <seg>",
                            element.name().into_inner()
                        )));
                    }
                    let attributes = self.attributes(&element)?;
                    match kind {
                        Tag::Prop => {
                            let value = self.read_text_content(buf, "prop")?;
                            variant.props.push(self.prop(attributes, value)?);
                        }
                        Tag::Note => {
                            let text = self.read_text_content(buf, "note")?;
                            variant.notes.push(note(attributes, text));
                        }
                        _ => {
                            if seg_start.is_some() {
                                return Err(self.invalid(format!("{context} has a second <seg>")));
                            }
                            seg_start = Some(self.xml.get_ref().mark_offset());
                            variant.seg = self.read_seg(buf)?;
                        }
                    }
                }
                Event::Empty(element) => {
                    let kind = tag(element.name().into_inner());
                    let attributes = self.attributes(&element)?;
                    match kind {
                        Tag::Prop => variant.props.push(self.prop(attributes, String::new())?),
                        Tag::Note => variant.notes.push(note(attributes, String::new())),
                        Tag::Seg => return Err(self.invalid(format!("empty <seg> in {context}"))),
                        _ => {
                            return Err(self.invalid(format!(
                                "unexpected <{}/> in {context}, expected <prop>, <note> or <seg>",
                                element.name().into_inner()
                            )));
                        }
                    }
                }
                Event::End(_) => break,
                Event::Text(text) if is_xml_whitespace(&text) => {}
                Event::Comment(_) | Event::PI(_) => {}
                _ => return Err(self.invalid(format!("unexpected text in {context}, outside <seg>"))),
            }
        }
        let Some(seg_start) = seg_start else {
            return Err(self.invalid(format!("{context} has no <seg>")));
        };
        if variant.seg.is_blank() {
            let message = format!("empty <seg> in {context} (no text outside inline codes)");
            return Err(self.error_at(seg_start, TmxErrorKind::InvalidUnit, message));
        }
        variant.lang = lang;
        Ok(variant)
    }

    /// Reads the content of a `<seg>` (its start tag just read) as
    /// canonical XML, checking inline elements against the TMX DTD.
    fn read_seg(&mut self, buf: &mut Vec<u8>) -> Result<SegContent, TmxError> {
        let mut xml = String::new();
        let mut open: Vec<Inline> = Vec::new();
        loop {
            match self.read_event(buf)? {
                Event::Text(text) => escape::push_text(&mut xml, &escape::normalize_line_ends(&text)),
                Event::CData(text) => escape::push_text(&mut xml, &escape::normalize_line_ends(&text)),
                Event::GeneralRef(reference) => {
                    let c = escape::resolve_reference(&reference)
                        .map_err(|e| self.error_here(TmxErrorKind::Entity, e.to_string()))?;
                    escape::push_text(&mut xml, c.encode_utf8(&mut [0; 4]));
                }
                Event::Start(element) => {
                    let inline = self.open_inline(&element, open.last().copied(), &mut xml)?;
                    xml.push('>');
                    open.push(inline);
                }
                Event::Empty(element) => {
                    self.open_inline(&element, open.last().copied(), &mut xml)?;
                    xml.push_str("/>");
                }
                Event::End(element) => {
                    if open.pop().is_none() {
                        return Ok(SegContent { xml });
                    }
                    xml.push_str("</");
                    xml.push_str(element.name().into_inner());
                    xml.push('>');
                }
                // Comments and processing instructions are not content.
                _ => {}
            }
        }
    }

    /// Checks an inline element and writes its start tag (without the
    /// closing `>` or `/>`).
    fn open_inline(
        &self,
        element: &BytesStart<'_>,
        parent: Option<Inline>,
        xml: &mut String,
    ) -> Result<Inline, TmxError> {
        let name = element.name().into_inner();
        let Tag::Inline(inline) = tag(name) else {
            return Err(self.invalid(format!(
                "unexpected <{name}> in <seg>: TMX inline markup is bpt, ept, it, ph, hi, sub and ut"
            )));
        };
        if !inline.allowed_in(parent) {
            let parent = match parent {
                Some(p) => format!("{p:?}").to_lowercase(),
                None => "seg".to_string(),
            };
            return Err(self.invalid(format!("<{name}> is not allowed inside <{parent}>")));
        }
        let attributes = self.attributes(element)?;
        let has = |key: &str| attributes.iter().any(|(k, _)| k == key);
        match inline {
            Inline::Bpt | Inline::Ept if !has("i") => {
                return Err(
                    self.invalid(format!("<{name}> needs an i attribute (pairs it with its partner)"))
                );
            }
            Inline::It if !attributes.iter().any(|(k, v)| k == "pos" && (v == "begin" || v == "end")) => {
                return Err(self.invalid("<it> needs pos=\"begin\" or pos=\"end\"".to_string()));
            }
            _ => {}
        }
        xml.push('<');
        xml.push_str(name);
        for (key, value) in &attributes {
            xml.push(' ');
            xml.push_str(key);
            xml.push_str("=\"");
            escape::push_attribute(xml, value);
            xml.push('"');
        }
        Ok(inline)
    }

    /// The text of a `<prop>` or `<note>` (start tag just read).
    fn read_text_content(&mut self, buf: &mut Vec<u8>, element: &str) -> Result<String, TmxError> {
        let mut text = String::new();
        loop {
            match self.read_event(buf)? {
                Event::Text(t) => text.push_str(&escape::normalize_line_ends(&t)),
                Event::CData(t) => text.push_str(&escape::normalize_line_ends(&t)),
                Event::GeneralRef(reference) => {
                    let c = escape::resolve_reference(&reference)
                        .map_err(|e| self.error_here(TmxErrorKind::Entity, e.to_string()))?;
                    text.push(c);
                }
                Event::Start(inner) | Event::Empty(inner) => {
                    return Err(self.invalid(format!(
                        "unexpected <{}> inside <{element}>, which holds only text",
                        inner.name().into_inner()
                    )));
                }
                Event::End(_) => return Ok(text),
                _ => {}
            }
        }
    }

    fn prop(&self, attributes: Attributes, value: String) -> Result<Prop, TmxError> {
        let mut kind = None;
        let (mut xml_lang, mut old_lang) = (None, None);
        for (name, v) in attributes {
            match name.as_str() {
                "type" => kind = Some(v),
                "xml:lang" => xml_lang = Some(v),
                "lang" => old_lang = Some(v),
                _ => {}
            }
        }
        let kind = kind.ok_or_else(|| self.invalid("<prop> has no type attribute".to_string()))?;
        Ok(Prop { kind, lang: xml_lang.or(old_lang), value })
    }
}

/// How a unit is named in messages: `<tu tuid="…">` or `<tu>`.
#[derive(Clone, Copy)]
struct UnitLabel<'a>(Option<&'a str>);

impl std::fmt::Display for UnitLabel<'_> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self.0 {
            Some(tuid) => write!(f, "<tu tuid=\"{tuid}\">"),
            None => f.write_str("<tu>"),
        }
    }
}

/// How a variant is named in messages: `<tuv xml:lang="…"> of <tu …>`.
struct VariantLabel<'a> {
    lang: &'a str,
    unit: UnitLabel<'a>,
}

impl std::fmt::Display for VariantLabel<'_> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "<tuv xml:lang=\"{}\"> of {}", self.lang, self.unit)
    }
}

/// Error messages are one line, of reasonable length, whatever the input
/// put into them (a tag name can hold newlines in a broken file).
fn one_line(message: &str) -> String {
    const MAX_CHARS: usize = 300;
    let mut out = String::with_capacity(message.len().min(MAX_CHARS + 3));
    for (count, c) in message.chars().enumerate() {
        if count == MAX_CHARS {
            out.push('…');
            break;
        }
        match c {
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            '\t' => out.push_str("\\t"),
            c if c.is_control() => out.push('\u{FFFD}'),
            c => out.push(c),
        }
    }
    out
}

fn note(attributes: Attributes, text: String) -> Note {
    let (mut xml_lang, mut old_lang) = (None, None);
    for (name, v) in attributes {
        match name.as_str() {
            "xml:lang" => xml_lang = Some(v),
            "lang" => old_lang = Some(v),
            _ => {}
        }
    }
    Note { lang: xml_lang.or(old_lang), text }
}
