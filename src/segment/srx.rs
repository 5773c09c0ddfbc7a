//! Reading SRX 2.0 documents (Segmentation Rules eXchange, LISA/GALA).
//!
//! Owns: the document model (language rules, ordered break / no-break rules,
//! map rules, the cascade flag) and [`SrxError`], which names the file, the
//! line and the rule. Patterns are kept as written (Java syntax); compiling
//! them is the engine's job. Whitespace inside `<beforebreak>` and
//! `<afterbreak>` is significant and kept.

use std::fmt;

use quick_xml::XmlVersion;
use quick_xml::events::{BytesStart, Event};

/// Why an SRX file cannot be used. Displays as one line:
/// `FILE:LINE: [rule …: ]what is wrong`.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub struct SrxError {
    /// The file as named by the caller.
    pub file: String,
    /// 1-based line in the file.
    pub line: usize,
    /// The rule concerned, e.g. `rule 3 of languagerule "Arabic" (beforebreak)`.
    pub rule: Option<String>,
    pub message: String,
}

impl fmt::Display for SrxError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}:{}: ", self.file, self.line)?;
        if let Some(rule) = &self.rule {
            write!(f, "{rule}: ")?;
        }
        f.write_str(&self.message)
    }
}

/// A whole SRX document.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SrxDocument {
    /// Apply the rules of *every* matching language map in order (SRX 2.0
    /// `cascade="yes"`), rather than only those of the first.
    pub cascade: bool,
    pub language_rules: Vec<LanguageRule>,
    pub language_maps: Vec<LanguageMap>,
}

/// `<languagerule languagerulename="…">`: an ordered list of rules.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LanguageRule {
    pub name: String,
    pub rules: Vec<SrxRule>,
}

/// `<rule break="yes|no">`: at a position between two characters, the rule
/// applies when `before` matches text ending there and `after` matches text
/// starting there. An absent pattern matches the empty string.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SrxRule {
    pub breaks: bool,
    pub before: Pattern,
    pub after: Pattern,
    /// Line of the `<rule>` element.
    pub line: usize,
}

/// A Java regular expression and the line it starts on.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Pattern {
    pub java: String,
    pub line: usize,
}

/// `<languagemap languagepattern="…" languagerulename="…"/>`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LanguageMap {
    /// A Java regex matched against the whole language code.
    pub pattern: String,
    pub rule_name: String,
    pub line: usize,
}

/// Which of a rule's patterns is being read.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Side {
    Before,
    After,
}

/// The most rules an SRX document may hold (all languages together). Every
/// rule is tried at every break candidate, and loading compiles each one:
/// 10,000 rules took 10 s to load and made a 1 MB paragraph take minutes
/// (issue #20). The built-in rules are about twenty; OmegaT's default set
/// is a few hundred.
pub const MAX_RULES: usize = 1_000;
/// The longest `<beforebreak>` or `<afterbreak>` accepted, in bytes: real
/// patterns are under a kilobyte (the longest built-in one is about 300
/// bytes); a 50 MB pattern took 22 s and 5 GB before the regex compiler
/// refused it.
pub const MAX_PATTERN_BYTES: usize = 64 * 1024;

/// Parses an SRX document. `file` names it in errors.
pub fn parse(xml: &str, file: &str) -> Result<SrxDocument, SrxError> {
    Parser::new(xml, file).run()
}

struct Parser<'a> {
    xml: &'a str,
    file: &'a str,
    reader: quick_xml::Reader<&'a [u8]>,
    /// Incremental line counting: line number at byte `line_pos`.
    line_pos: usize,
    line: usize,
    /// Open elements (local names).
    open: Vec<String>,
    document: SrxDocument,
    seen_root: bool,
    rule_set: Option<LanguageRule>,
    rule: Option<(SrxRule, bool, bool)>,
    /// The pattern being read, if inside `<beforebreak>` / `<afterbreak>`.
    pattern: Option<(Side, Pattern)>,
    /// Rules seen so far, in every language rule set.
    rules: usize,
}

impl<'a> Parser<'a> {
    fn new(xml: &'a str, file: &'a str) -> Self {
        let mut reader = quick_xml::Reader::from_reader(xml.as_bytes());
        let config = reader.config_mut();
        config.trim_text(false);
        config.check_end_names = true;
        config.expand_empty_elements = false;
        Parser {
            xml,
            file,
            reader,
            line_pos: 0,
            line: 1,
            open: Vec::new(),
            document: SrxDocument { cascade: false, language_rules: Vec::new(), language_maps: Vec::new() },
            seen_root: false,
            rule_set: None,
            rule: None,
            pattern: None,
            rules: 0,
        }
    }

    /// The 1-based line of byte `pos` (positions only move forward, so the
    /// count is incremental).
    fn line_at(&mut self, pos: usize) -> usize {
        let pos = pos.min(self.xml.len());
        if pos < self.line_pos {
            self.line_pos = 0;
            self.line = 1;
        }
        self.line += self.xml.as_bytes()[self.line_pos..pos].iter().filter(|b| **b == b'\n').count();
        self.line_pos = pos;
        self.line
    }

    fn error(&mut self, pos: usize, rule: Option<String>, message: impl Into<String>) -> SrxError {
        SrxError { file: self.file.to_string(), line: self.line_at(pos), rule, message: message.into() }
    }

    fn run(mut self) -> Result<SrxDocument, SrxError> {
        loop {
            let event_start = self.reader.buffer_position() as usize;
            let event = match self.reader.read_event() {
                Ok(event) => event,
                Err(e) => {
                    let pos = self.reader.error_position() as usize;
                    return Err(self.error(pos, None, format!("malformed XML: {e}")));
                }
            };
            // Skip leading whitespace so errors point at the element's own line.
            let element_start = event_start
                + self.xml.get(event_start..).map_or(0, |rest| rest.len() - rest.trim_start().len());
            match event {
                Event::Start(element) => self.open_element(&element, element_start, false)?,
                Event::Empty(element) => self.open_element(&element, element_start, true)?,
                Event::End(_) => self.close_element()?,
                Event::Text(text) => self.text(&text.xml10_content(), event_start)?,
                Event::CData(data) => self.text(&data.xml10_content(), event_start)?,
                Event::GeneralRef(reference) => {
                    let resolved = match reference.resolve_char_ref() {
                        Ok(Some(c)) => c.to_string(),
                        Ok(None) => {
                            match quick_xml::escape::resolve_predefined_entity(&reference) {
                                Some(text) => text.to_string(),
                                None => {
                                    let name = reference.to_string();
                                    return Err(self.error(
                                    event_start,
                                    None,
                                    format!("unknown entity `&{name};` (only the five XML entities are allowed)"),
                                ));
                                }
                            }
                        }
                        Err(e) => {
                            return Err(self.error(
                                event_start,
                                None,
                                format!("bad character reference: {e}"),
                            ));
                        }
                    };
                    self.text(&resolved, event_start)?;
                }
                Event::Eof => break,
                Event::Comment(_) | Event::Decl(_) | Event::PI(_) | Event::DocType(_) => {}
            }
        }
        if !self.seen_root {
            return Err(self.error(0, None, "not an SRX document: no <srx> element"));
        }
        if !self.open.is_empty() {
            let end = self.xml.len();
            let name = self.open.last().cloned().unwrap_or_default();
            return Err(self.error(end, None, format!("malformed XML: <{name}> is never closed")));
        }
        self.check_maps()?;
        Ok(self.document)
    }

    fn open_element(&mut self, element: &BytesStart, pos: usize, empty: bool) -> Result<(), SrxError> {
        let name = element.local_name().as_ref().to_string();
        let parent = self.open.last().map(String::as_str);
        match (parent, name.as_str()) {
            (None, "srx") => {
                self.seen_root = true;
                if let Some(version) = self.attribute(element, "version", pos)?
                    && version != "2.0"
                    && version != "1.0"
                {
                    return Err(self.error(pos, None, format!("unsupported SRX version \"{version}\"")));
                }
            }
            (None, other) => {
                return Err(self.error(pos, None, format!("not an SRX document: root element is <{other}>")));
            }
            (Some("srx"), "header") => {
                let cascade = self.attribute(element, "cascade", pos)?;
                self.document.cascade = self.yes_no(cascade.as_deref(), "cascade", false, pos)?;
            }
            (Some("languagerules"), "languagerule") => {
                let Some(rule_name) = self.attribute(element, "languagerulename", pos)? else {
                    return Err(self.error(pos, None, "<languagerule> has no languagerulename attribute"));
                };
                if self.document.language_rules.iter().any(|r| r.name == rule_name) {
                    return Err(self.error(
                        pos,
                        None,
                        format!("languagerule \"{rule_name}\" is defined twice"),
                    ));
                }
                self.rule_set = Some(LanguageRule { name: rule_name, rules: Vec::new() });
            }
            (Some("languagerule"), "rule") => {
                let breaks = self.attribute(element, "break", pos)?;
                let breaks = self.yes_no(breaks.as_deref(), "break", true, pos)?;
                self.rules += 1;
                if self.rules > MAX_RULES {
                    return Err(self.error(
                        pos,
                        None,
                        format!("more than {MAX_RULES} rules (the limit): merge or remove rules"),
                    ));
                }
                let line = self.line_at(pos);
                let rule = SrxRule { breaks, before: Pattern::default(), after: Pattern::default(), line };
                self.rule = Some((rule, false, false));
            }
            (Some("rule"), "beforebreak" | "afterbreak") => {
                let side = if name == "beforebreak" { Side::Before } else { Side::After };
                let line = self.line_at(pos);
                self.pattern = Some((side, Pattern { java: String::new(), line }));
            }
            (Some("maprules"), "languagemap") => {
                let pattern = self.attribute(element, "languagepattern", pos)?;
                let rule_name = self.attribute(element, "languagerulename", pos)?;
                let (Some(pattern), Some(rule_name)) = (pattern, rule_name) else {
                    return Err(self.error(
                        pos,
                        None,
                        "<languagemap> needs languagepattern and languagerulename attributes",
                    ));
                };
                let line = self.line_at(pos);
                self.document.language_maps.push(LanguageMap { pattern, rule_name, line });
            }
            // Structure we pass through (body, languagerules, maprules) and
            // elements we do not use (formathandle, extensions).
            _ => {}
        }
        self.open.push(name);
        if empty {
            self.close_element()?;
        }
        Ok(())
    }

    fn close_element(&mut self) -> Result<(), SrxError> {
        let Some(name) = self.open.pop() else { return Ok(()) };
        match name.as_str() {
            "beforebreak" | "afterbreak" => {
                if let (Some((side, pattern)), Some((rule, has_before, has_after))) =
                    (self.pattern.take(), self.rule.as_mut())
                {
                    let already = match side {
                        Side::Before => std::mem::replace(has_before, true),
                        Side::After => std::mem::replace(has_after, true),
                    };
                    let line = pattern.line;
                    match side {
                        Side::Before => rule.before = pattern,
                        Side::After => rule.after = pattern,
                    }
                    if already {
                        let pos = self.line_start(line);
                        return Err(self.error(pos, None, format!("<rule> has more than one <{name}>")));
                    }
                }
            }
            "rule" => {
                if let (Some((rule, _, _)), Some(set)) = (self.rule.take(), self.rule_set.as_mut()) {
                    set.rules.push(rule);
                }
            }
            "languagerule" => {
                if let Some(set) = self.rule_set.take() {
                    self.document.language_rules.push(set);
                }
            }
            _ => {}
        }
        Ok(())
    }

    fn text(&mut self, text: &str, pos: usize) -> Result<(), SrxError> {
        if let Some((_, pattern)) = self.pattern.as_ref()
            && pattern.java.len() + text.len() > MAX_PATTERN_BYTES
        {
            let pos = self.line_start(pattern.line);
            return Err(self.error(
                pos,
                None,
                format!("a pattern longer than {MAX_PATTERN_BYTES} bytes (the limit)"),
            ));
        }
        if let Some((_, pattern)) = self.pattern.as_mut() {
            pattern.java.push_str(text);
            return Ok(());
        }
        let stray = text.trim();
        if !stray.is_empty() && self.open.last().is_some_and(|e| e == "rule" || e == "languagerule") {
            let pos = pos + text.len() - text.trim_start().len();
            let shown: String = stray.chars().take(30).collect();
            return Err(self.error(
                pos,
                None,
                format!("unexpected text `{shown}` outside <beforebreak>/<afterbreak>"),
            ));
        }
        Ok(())
    }

    /// Byte offset of the start of a 1-based line (for errors found later).
    fn line_start(&self, line: usize) -> usize {
        if line <= 1 {
            return 0;
        }
        self.xml.match_indices('\n').nth(line - 2).map_or(self.xml.len(), |(i, _)| i + 1)
    }

    fn attribute(
        &mut self,
        element: &BytesStart,
        name: &str,
        pos: usize,
    ) -> Result<Option<String>, SrxError> {
        for attribute in element.attributes() {
            let attribute = match attribute {
                Ok(a) => a,
                Err(e) => return Err(self.error(pos, None, format!("malformed attribute: {e}"))),
            };
            if attribute.key.local_name().as_ref() == name {
                return match attribute.normalized_value(XmlVersion::Implicit1_0) {
                    Ok(value) => Ok(Some(value.into_owned())),
                    Err(e) => Err(self.error(pos, None, format!("attribute {name}: {e}"))),
                };
            }
        }
        Ok(None)
    }

    fn yes_no(
        &mut self,
        value: Option<&str>,
        name: &str,
        default: bool,
        pos: usize,
    ) -> Result<bool, SrxError> {
        match value.map(str::trim) {
            None => Ok(default),
            Some(v) if v.eq_ignore_ascii_case("yes") => Ok(true),
            Some(v) if v.eq_ignore_ascii_case("no") => Ok(false),
            Some(other) => {
                Err(self.error(pos, None, format!("{name}=\"{other}\": expected \"yes\" or \"no\"")))
            }
        }
    }

    fn check_maps(&mut self) -> Result<(), SrxError> {
        let missing = self
            .document
            .language_maps
            .iter()
            .find(|map| !self.document.language_rules.iter().any(|r| r.name == map.rule_name))
            .map(|map| (map.line, map.rule_name.clone()));
        if let Some((line, name)) = missing {
            let pos = self.line_start(line);
            return Err(self.error(
                pos,
                None,
                format!("languagemap names languagerule \"{name}\", which is not defined"),
            ));
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const SMALL: &str = r#"<?xml version="1.0" encoding="UTF-8"?>
<srx version="2.0" xmlns="http://www.lisa.org/srx20">
  <header segmentsubflows="yes" cascade="yes"/>
  <body>
    <languagerules>
      <languagerule languagerulename="Arabic">
        <rule break="no">
          <beforebreak>د\. </beforebreak>
          <afterbreak/>
        </rule>
        <rule>
          <beforebreak>[.&amp;&#x61F;]</beforebreak>
          <afterbreak><![CDATA[\s<]]></afterbreak>
        </rule>
      </languagerule>
    </languagerules>
    <maprules>
      <languagemap languagepattern="ar.*" languagerulename="Arabic"/>
    </maprules>
  </body>
</srx>
"#;

    #[test]
    fn reads_rules_maps_and_keeps_pattern_whitespace() {
        let doc = parse(SMALL, "small.srx").unwrap();
        assert!(doc.cascade);
        let rules = &doc.language_rules[0].rules;
        assert_eq!(doc.language_rules[0].name, "Arabic");
        assert!(!rules[0].breaks);
        assert_eq!(rules[0].before.java, "د\\. ", "trailing space in a pattern is significant");
        assert_eq!(rules[0].before.line, 8);
        assert_eq!(rules[0].after.java, "");
        assert!(rules[1].breaks, "break defaults to yes");
        assert_eq!(rules[1].before.java, "[.&؟]");
        assert_eq!(rules[1].after.java, "\\s<");
        assert_eq!(rules[1].line, 11);
        assert_eq!(doc.language_maps[0].pattern, "ar.*");
        assert_eq!(doc.language_maps[0].line, 18);
    }

    #[test]
    fn too_many_rules_or_too_long_a_pattern_is_refused_with_its_line() {
        let rule = "        <rule><beforebreak>[.]</beforebreak><afterbreak>\\s</afterbreak></rule>\n";
        let many = SMALL.replacen("        <rule", &format!("{}        <rule", rule.repeat(MAX_RULES)), 1);
        let error = parse(&many, "many.srx").unwrap_err();
        assert!(error.message.contains("more than 1000 rules"), "{error}");
        assert_eq!(error.line, 7 + MAX_RULES, "the 1001st rule: {error}");
        let fewer =
            SMALL.replacen("        <rule", &format!("{}        <rule", rule.repeat(MAX_RULES - 2)), 1);
        assert!(parse(&fewer, "fewer.srx").is_ok());

        let long = SMALL.replacen("[.&amp;&#x61F;]", &"[.]".repeat(MAX_PATTERN_BYTES / 3 + 1), 1);
        let error = parse(&long, "long.srx").unwrap_err();
        assert_eq!((error.file.as_str(), error.line), ("long.srx", 12), "{error}");
        assert!(error.message.contains("pattern longer than 65536 bytes"), "{error}");
    }

    #[test]
    fn errors_name_file_and_line() {
        let broken = SMALL.replace("</afterbreak>\n        </rule>", "</afterbreak>\n        </rul>");
        let error = parse(&broken, "x.srx").unwrap_err();
        assert_eq!(error.file, "x.srx");
        assert!(error.message.contains("malformed XML"), "{error}");
        assert_eq!(error.line, 14, "{error}");

        let unknown_map = SMALL.replace("languagerulename=\"Arabic\"/>", "languagerulename=\"Farsi\"/>");
        let error = parse(&unknown_map, "x.srx").unwrap_err();
        assert_eq!((error.line, error.to_string().contains("\"Farsi\"")), (18, true), "{error}");

        let bad_break = SMALL.replace("<rule break=\"no\">", "<rule break=\"maybe\">");
        assert_eq!(parse(&bad_break, "x.srx").unwrap_err().line, 7);

        let error = parse("<html><body/></html>", "page.html").unwrap_err();
        assert_eq!(error.to_string(), "page.html:1: not an SRX document: root element is <html>");
        assert!(parse("", "empty.srx").unwrap_err().to_string().contains("no <srx> element"));
        let entity = SMALL.replace("&amp;", "&nbsp;");
        assert!(
            parse(&entity, "x.srx").unwrap_err().to_string().contains("x.srx:12: unknown entity `&nbsp;`")
        );
        let truncated = &SMALL[..SMALL.find("</languagerules>").unwrap()];
        assert!(parse(truncated, "x.srx").is_err());
    }
}
