//! Glossary exchange formats: CSV, TSV, TBX 2008 and TBX v3.
//!
//! Owns the conversion between [`Entry`] lists and the formats other tools
//! speak. The native tab-separated format (`tsv`) is delegated to the
//! glossary's own reader and writer ([`crate::glossary::native`]).
//!
//! - **CSV** (RFC 4180, read and written with the `csv` crate; unclosed
//!   quotes and text after a closing quote are errors). Two layouts are
//!   read, told apart by the header: our own columns (`source,target,
//!   comment,variants,accepted,forbidden,type,flags,note,short`, any order, only
//!   `source` and `target` required) and
//!   bilingual term lists such as the TICO-19 terminology files
//!   (`sourceLang,targetLang,sourceString,targetString[,description]`),
//!   which may run English→Arabic: the language columns decide which side is
//!   the Arabic term. Rows of a term list that share an Arabic term (after
//!   normalization) become one entry whose first English form is approved
//!   and whose later ones are accepted. Export writes our own columns after
//!   a UTF-8 byte-order mark, without which spreadsheets (Excel) open the
//!   Arabic as mojibake; import skips the mark.
//! - **OmegaT CSV** (`omegat-csv`): `source,target,comment` rows with no
//!   header, because OmegaT 3.6 reads every row of a `.csv` glossary as a
//!   term (a header would become the term "source"). OmegaT 3.6 picks its
//!   glossary reader by extension only: `.csv` (CSV), `.txt`, `.utf8`, `.tab`
//!   (tab-separated; `.utf8` is always read as UTF-8, the other two in the
//!   system's encoding unless detected) and `.tbx` (TBX 2008);
//!   [`omegat_extension_warning`] says when an export will not be read.
//! - **TBX 2008** (`martif/text/body/termEntry/langSet/tig/term`, root without
//!   namespace: what OmegaT reads) and **TBX v3** (`tbx/text/body/
//!   conceptEntry/langSec/termSec/term`). The administrative status of a term
//!   (`preferredTerm-admn-sts`, `admittedTerm-admn-sts`,
//!   `deprecatedTerm-admn-sts`, as a `termNote` or a DCT element) maps to
//!   approved / accepted / forbidden; an English term whose `termType` is
//!   `acronym`, `abbreviation`, `shortForm` or `initialism` is a short form
//!   (the native `short` column), and export writes short forms as admitted
//!   terms with `termType` `acronym` (all capitals) or `shortForm`. OmegaT's
//!   CSV has no place for them and drops them. The entry type travels as the subject
//!   field, the comment as the English definition, the note as a `<note>`,
//!   and the flags as a `<note>` that starts with `dragoman-flags:`. TBX 2008
//!   export writes forbidden forms in a `dragoman-forbidden:` note instead of
//!   as deprecated terms, because OmegaT ignores the status and would offer
//!   them as glossary matches; TBX v3 export writes deprecated terms.
//!   Importing reads either TBX version whichever is named: the root element
//!   decides. Entity references other than XML's five and character
//!   references are errors; DTD entities are never expanded.
//!
//! TBX text is escaped like TMX's ([`crate::tmx::push_xml_text`]): a
//! control character XML 1.0 cannot carry is written as U+FFFD.
//!
//! Every error names the file and line (line:column for XML).

use std::fmt;
use std::path::Path;

use quick_xml::events::{BytesRef, BytesStart, Event};
use quick_xml::reader::Reader;

use crate::glossary::{Entry, Glossary, GlossaryError, TermType, write_native};
use crate::lang::Lang;
use crate::normalize::match_key;

/// A glossary format: the exchange formats, and the native one (`tsv`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum ExternalFormat {
    Csv,
    /// `source,target,comment` without a header: the CSV OmegaT 3.6 reads.
    OmegatCsv,
    /// The native tab-separated columns (`glossaries/*.txt`).
    Tsv,
    /// TBX 2008 `martif`, the TBX that OmegaT reads.
    Tbx2008,
    /// TBX v3 (ISO 30042:2019), `tbx` root, TBX-Basic dialect, DCA style.
    Tbx3,
}

impl ExternalFormat {
    /// The name used on the command line (`csv`, `tsv`, `tbx2008`, `tbx3`).
    pub fn name(self) -> &'static str {
        match self {
            ExternalFormat::Csv => "csv",
            ExternalFormat::OmegatCsv => "omegat-csv",
            ExternalFormat::Tsv => "tsv",
            ExternalFormat::Tbx2008 => "tbx2008",
            ExternalFormat::Tbx3 => "tbx3",
        }
    }

    /// Parses a format name, case-insensitively. `tbx` (and `martif`) mean
    /// TBX 2008; for import it makes no difference since the root decides.
    pub fn from_name(name: &str) -> Option<ExternalFormat> {
        match name.trim().to_ascii_lowercase().as_str() {
            "csv" => Some(ExternalFormat::Csv),
            "omegat-csv" => Some(ExternalFormat::OmegatCsv),
            "tsv" | "tab" | "txt" | "utf8" => Some(ExternalFormat::Tsv),
            "tbx" | "tbx2008" | "martif" => Some(ExternalFormat::Tbx2008),
            "tbx3" | "tbxv3" => Some(ExternalFormat::Tbx3),
            _ => None,
        }
    }

    /// Guesses the format of a file from its extension, and for `.tbx` and
    /// `.xml` from its root element.
    pub fn guess(path: &Path, text: &str) -> Option<ExternalFormat> {
        let extension = path.extension()?.to_str()?.to_ascii_lowercase();
        match extension.as_str() {
            "tbx" | "xml" => Some(tbx_dialect(text).unwrap_or(ExternalFormat::Tbx2008)),
            other => ExternalFormat::from_name(other),
        }
    }
}

impl fmt::Display for ExternalFormat {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

impl std::str::FromStr for ExternalFormat {
    type Err = String;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        ExternalFormat::from_name(s).ok_or_else(|| {
            format!("unknown glossary format `{s}` (expected csv, omegat-csv, tsv, tbx, tbx2008 or tbx3)")
        })
    }
}

/// Why a glossary file could not be imported.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum FormatError {
    /// A problem on one line of a line-based file (CSV).
    #[error("{file}:{line}: {message}")]
    Line { file: String, line: usize, message: String },
    /// A problem at a position in an XML file.
    #[error("{file}:{line}:{column}: {message}")]
    Xml { file: String, line: usize, column: usize, message: String },
    /// A problem with the file as a whole (empty, no usable entries).
    #[error("{file}: {message}")]
    File { file: String, message: String },
}

/// An entry of the input that could not become a glossary entry, and why.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Skipped {
    /// 1-based line where the entry starts.
    pub line: usize,
    pub reason: String,
}

/// The result of an import: the entries, and what was left out.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Imported {
    pub entries: Vec<Entry>,
    /// Entries without an Arabic or an English term (TBX with other languages).
    pub skipped: Vec<Skipped>,
}

/// Reads the glossary entries of `text` (the file called `name`, for
/// messages and for each entry's origin) in `format`.
pub fn import(text: &str, name: &str, format: ExternalFormat) -> Result<Vec<Entry>, FormatError> {
    import_with_skipped(text, name, format).map(|imported| imported.entries)
}

/// Like [`import`], also reporting the entries that were left out.
pub fn import_with_skipped(text: &str, name: &str, format: ExternalFormat) -> Result<Imported, FormatError> {
    match format {
        ExternalFormat::Csv => {
            csv_import(text, name).map(|entries| Imported { entries, skipped: Vec::new() })
        }
        ExternalFormat::OmegatCsv => {
            omegat_csv_import(text, name).map(|entries| Imported { entries, skipped: Vec::new() })
        }
        ExternalFormat::Tsv => {
            tsv_import(text, name).map(|entries| Imported { entries, skipped: Vec::new() })
        }
        ExternalFormat::Tbx2008 | ExternalFormat::Tbx3 => tbx_import(text, name),
    }
}

/// Writes `entries` in `format`.
pub fn export(entries: &[Entry], format: ExternalFormat) -> String {
    match format {
        ExternalFormat::Csv => csv_export(entries),
        ExternalFormat::OmegatCsv => omegat_csv_export(entries),
        ExternalFormat::Tsv => write_native(entries),
        ExternalFormat::Tbx2008 => tbx_export(entries, TbxVersion::V2008),
        ExternalFormat::Tbx3 => tbx_export(entries, TbxVersion::V3),
    }
}

/// Why OmegaT 3.6 will not read a glossary exported in `format` to
/// `path`, if it will not: it chooses a reader by the file's extension
/// alone and ignores other files; it reads no TBX v3. `None` for a
/// spreadsheet CSV (not meant for OmegaT) and for stdout (`-`).
pub fn omegat_extension_warning(format: ExternalFormat, path: &Path) -> Option<String> {
    if path == Path::new("-") {
        return None;
    }
    let extension = path.extension().and_then(|e| e.to_str()).unwrap_or("").to_ascii_lowercase();
    let (reads, name): (&[&str], &str) = match format {
        ExternalFormat::Csv => return None,
        ExternalFormat::Tbx3 => {
            return Some(format!(
                "{}: TBX v3 is read by neither OmegaT 3.6 nor Translate Toolkit; for them export --format tbx2008",
                path.display()
            ));
        }
        ExternalFormat::OmegatCsv => (&["csv"], "CSV"),
        ExternalFormat::Tsv => (&["utf8", "txt", "tab"], "tab-separated"),
        ExternalFormat::Tbx2008 => (&["tbx"], "TBX"),
    };
    if reads.contains(&extension.as_str()) {
        return None;
    }
    let extensions = reads.iter().map(|e| format!(".{e}")).collect::<Vec<_>>().join(", ");
    Some(format!(
        "{}: OmegaT 3.6 reads {name} glossaries only from {extensions} files and will ignore this one; \
         name it {}.{} to use it in OmegaT",
        path.display(),
        path.file_stem().and_then(|s| s.to_str()).unwrap_or("glossary"),
        reads[0]
    ))
}

/// The column names of the native format, in order (also our CSV header).
pub const NATIVE_COLUMNS: [&str; 10] =
    ["source", "target", "comment", "variants", "accepted", "forbidden", "type", "flags", "note", "short"];

// ---------------------------------------------------------------------------
// Shared helpers

fn flags_text(entry: &Entry) -> String {
    let mut flags = Vec::new();
    if entry.ambiguous {
        flags.push("ambiguous");
    }
    if entry.derived {
        flags.push("derived");
    }
    if entry.one_form {
        flags.push("one-form");
    }
    flags.join("|")
}

/// Sets the flags named in `text` (`|`-separated); returns the first unknown one.
fn apply_flags<'t>(entry: &mut Entry, text: &'t str) -> Result<(), &'t str> {
    for flag in split_list(text) {
        match flag.to_ascii_lowercase().as_str() {
            "ambiguous" => entry.ambiguous = true,
            "derived" => entry.derived = true,
            "one-form" => entry.one_form = true,
            _ => return Err(flag),
        }
    }
    Ok(())
}

fn split_list(text: &str) -> impl Iterator<Item = &str> {
    text.split('|').map(str::trim).filter(|item| !item.is_empty())
}

/// Makes a field fit on one line of the native format: trims it and turns
/// whitespace runs that contain tabs or line breaks into one space. Other
/// text is left exactly as written.
fn one_line(text: &str) -> String {
    let trimmed = text.trim();
    if !trimmed.contains(['\t', '\n', '\r']) {
        return trimmed.to_string();
    }
    let mut out = String::with_capacity(trimmed.len());
    let mut run = String::new();
    for c in trimmed.chars() {
        if c.is_whitespace() {
            run.push(c);
            continue;
        }
        if run.contains(['\t', '\n', '\r']) {
            out.push(' ');
        } else {
            out.push_str(&run);
        }
        run.clear();
        out.push(c);
    }
    out
}

fn file_name(name: &str) -> String {
    Path::new(name).file_name().and_then(|n| n.to_str()).unwrap_or(name).to_string()
}

// ---------------------------------------------------------------------------
// CSV (RFC 4180)

/// One CSV record and the 1-based line it starts on.
#[derive(Debug)]
struct CsvRecord {
    line: usize,
    fields: Vec<String>,
}

/// Splits `text` into records with the `csv` crate: `,` between fields,
/// CRLF, LF or CR between records, `"`-quoted fields with `""` for a quote
/// and line breaks allowed inside. Blank lines are skipped. A `"` inside an
/// unquoted field is kept as a character, as most spreadsheet exports
/// expect.
///
/// The crate is lenient where a glossary must not be: it reads an
/// unclosed quote to the end of the file as one field and runs text after
/// a closing quote into the field. Either would silently swallow entries,
/// so each record's raw text is checked ([`check_quoting`]) and those are
/// errors naming the line.
fn csv_records(text: &str, name: &str) -> Result<Vec<CsvRecord>, FormatError> {
    let error = |line: usize, message: String| FormatError::Line { file: name.to_string(), line, message };
    let mut reader = csv::ReaderBuilder::new().has_headers(false).flexible(true).from_reader(text.as_bytes());
    let mut lines = LineCounter::default();
    let mut records = Vec::new();
    let mut record = csv::StringRecord::new();
    loop {
        let before = reader.position().byte() as usize;
        // `text` is a `str` and fields split at ASCII bytes, so the only
        // possible error is one the crate finds past what it has read.
        match reader.read_record(&mut record) {
            Ok(true) => {}
            Ok(false) => break,
            Err(e) => return Err(error(lines.line_at(text, before), e.to_string())),
        }
        // The crate's record position is where the previous one ended: its
        // line end and any blank lines come first.
        let start = record.position().map_or(before, |position| position.byte() as usize);
        let start = end_of_line_breaks(text, start);
        let end = reader.position().byte() as usize;
        let line = lines.line_at(text, start);
        check_quoting(&text[start..end])
            .map_err(|(offset, message)| error(lines.line_at(text, start + offset), message))?;
        let blank = record.len() == 1 && record[0].trim().is_empty();
        if !blank {
            records.push(CsvRecord { line, fields: record.iter().map(String::from).collect() });
        }
    }
    Ok(records)
}

/// The offset of the first byte at or after `offset` that is not part of a
/// line end.
fn end_of_line_breaks(text: &str, offset: usize) -> usize {
    offset + text.as_bytes()[offset..].iter().take_while(|&&b| b == b'\n' || b == b'\r').count()
}

/// 1-based line numbers of byte offsets, asked in increasing order: CRLF,
/// LF and a lone CR each end a line.
#[derive(Default)]
struct LineCounter {
    offset: usize,
    line: usize,
}

impl LineCounter {
    fn line_at(&mut self, text: &str, offset: usize) -> usize {
        let bytes = text.as_bytes();
        let breaks = bytes[self.offset..offset]
            .iter()
            .enumerate()
            .filter(|&(i, &b)| b == b'\n' || (b == b'\r' && bytes.get(self.offset + i + 1) != Some(&b'\n')))
            .count();
        self.line += breaks;
        self.offset = offset;
        self.line + 1
    }
}

/// Checks the quoting of one record's raw text (what the `csv` crate lets
/// pass): every field that opens with `"` closes, and a closing `"` is
/// followed by `,` or the end of the record. Returns the byte offset in
/// `raw` and the message of the first problem.
fn check_quoting(raw: &str) -> Result<(), (usize, String)> {
    let mut chars = raw.char_indices().peekable();
    let mut at_field_start = true;
    while let Some((at, c)) = chars.next() {
        match c {
            '"' if at_field_start => {
                loop {
                    match chars.next() {
                        None => {
                            return Err((at, "quoted field is never closed (a `\"` is missing)".to_string()));
                        }
                        Some((_, '"')) if chars.peek().is_some_and(|&(_, c)| c == '"') => {
                            chars.next();
                        }
                        Some((_, '"')) => break,
                        Some(_) => {}
                    }
                }
                if let Some(&(at, other)) = chars.peek().filter(|&&(_, c)| !matches!(c, ',' | '\n' | '\r')) {
                    return Err((
                        at,
                        format!("unexpected `{other}` after a closing quote (expected `,` or a line end)"),
                    ));
                }
                at_field_start = false;
            }
            ',' | '\n' | '\r' => at_field_start = true,
            _ => at_field_start = false,
        }
    }
    Ok(())
}

/// Which columns of a CSV file hold what.
enum CsvLayout {
    /// Our own column names: the index of each native column, if present.
    Native([Option<usize>; 10]),
    /// A bilingual term list.
    TermList {
        source_lang: usize,
        target_lang: usize,
        source: usize,
        target: usize,
        description: Option<usize>,
    },
}

fn csv_layout(header: &[String]) -> Option<CsvLayout> {
    let find = |wanted: &str| header.iter().position(|h| h.trim().eq_ignore_ascii_case(wanted));
    if let (Some(source_lang), Some(target_lang), Some(source), Some(target)) =
        (find("sourceLang"), find("targetLang"), find("sourceString"), find("targetString"))
    {
        let description = find("description");
        return Some(CsvLayout::TermList { source_lang, target_lang, source, target, description });
    }
    let columns = NATIVE_COLUMNS.map(find);
    (columns[0].is_some() && columns[1].is_some()).then_some(CsvLayout::Native(columns))
}

fn csv_import(text: &str, name: &str) -> Result<Vec<Entry>, FormatError> {
    // Our own export starts with a byte-order mark (for spreadsheets).
    let text = text.strip_prefix('\u{FEFF}').unwrap_or(text);
    let records = csv_records(text, name)?;
    let Some((header, rows)) = records.split_first() else {
        return Err(FormatError::File {
            file: name.to_string(),
            message: "empty file, expected a CSV header line".into(),
        });
    };
    let layout = csv_layout(&header.fields).ok_or_else(|| FormatError::Line {
        file: name.to_string(),
        line: header.line,
        message: "unrecognized CSV header: expected the columns source,target[,comment,variants,accepted,\
                  forbidden,type,flags,note] or sourceLang,targetLang,sourceString,targetString"
            .into(),
    })?;
    if rows.is_empty() {
        return Err(FormatError::File {
            file: name.to_string(),
            message: "no entries, only a header line".into(),
        });
    }
    for row in rows {
        if row.fields.len() != header.fields.len() {
            return Err(FormatError::Line {
                file: name.to_string(),
                line: row.line,
                message: format!(
                    "expected {} fields as in the header, found {}",
                    header.fields.len(),
                    row.fields.len()
                ),
            });
        }
    }
    match layout {
        CsvLayout::Native(columns) => rows.iter().map(|row| native_csv_entry(row, &columns, name)).collect(),
        CsvLayout::TermList { source_lang, target_lang, source, target, description } => {
            term_list_entries(rows, [source_lang, target_lang, source, target], description, name)
        }
    }
}

fn native_csv_entry(
    row: &CsvRecord,
    columns: &[Option<usize>; 10],
    name: &str,
) -> Result<Entry, FormatError> {
    let error = |message: String| FormatError::Line { file: name.to_string(), line: row.line, message };
    let cell = |column: usize| columns[column].and_then(|i| row.fields.get(i)).map_or("", |s| s.as_str());
    let list = |column: usize| split_list(cell(column)).map(one_line).collect::<Vec<_>>();
    let source = one_line(cell(0));
    let target = one_line(cell(1));
    if source.is_empty() {
        return Err(error("empty source term".into()));
    }
    if target.is_empty() {
        return Err(error(format!("empty target for `{source}`")));
    }
    let mut entry = Entry::new(&source, &target);
    entry.comment = one_line(cell(2));
    entry.variants = list(3);
    entry.accepted = list(4);
    entry.forbidden = list(5);
    entry.kind = TermType::from_name(cell(6)).ok_or_else(|| {
        error(format!(
            "unknown type `{}` (expected group, place, person, organization or other)",
            cell(6).trim()
        ))
    })?;
    apply_flags(&mut entry, cell(7))
        .map_err(|flag| error(format!("unknown flag `{flag}` (expected ambiguous, derived or one-form)")))?;
    entry.note = one_line(cell(8));
    entry.short = list(9);
    entry.origin = Some((name.to_string(), row.line));
    Ok(entry)
}

/// Entries from a bilingual term list; `columns` is sourceLang, targetLang,
/// sourceString, targetString.
fn term_list_entries(
    rows: &[CsvRecord],
    columns: [usize; 4],
    description: Option<usize>,
    name: &str,
) -> Result<Vec<Entry>, FormatError> {
    let [source_lang, target_lang, source, target] = columns;
    let mut entries: Vec<Entry> = Vec::new();
    let mut by_key: std::collections::HashMap<String, usize> = std::collections::HashMap::new();
    let note = file_name(name);
    for row in rows {
        let error = |message: String| FormatError::Line { file: name.to_string(), line: row.line, message };
        let field = |i: usize| row.fields.get(i).map_or("", |s| s.as_str());
        let langs = (Lang::from_tag(field(source_lang)), Lang::from_tag(field(target_lang)));
        let (arabic, english) = match langs {
            (Some(Lang::Ar), Some(Lang::En)) => (field(source), field(target)),
            (Some(Lang::En), Some(Lang::Ar)) => (field(target), field(source)),
            _ => {
                return Err(error(format!(
                    "the row is {} → {}; expected an Arabic–English pair",
                    field(source_lang).trim(),
                    field(target_lang).trim()
                )));
            }
        };
        let (arabic, english) = (one_line(arabic), one_line(english));
        if arabic.is_empty() || english.is_empty() {
            return Err(error("empty term: both the Arabic and the English string are needed".into()));
        }
        let comment = description.map(|i| one_line(field(i))).unwrap_or_default();
        let key = match_key(&arabic);
        if let Some(&index) = by_key.get(&key) {
            let entry = &mut entries[index];
            let known = std::iter::once(&entry.target).chain(&entry.accepted).any(|form| *form == english);
            if !known {
                entry.accepted.push(english);
            }
            if entry.comment.is_empty() {
                entry.comment = comment;
            }
            continue;
        }
        let mut entry = Entry::new(&arabic, &english);
        entry.comment = comment;
        entry.note = note.clone();
        entry.origin = Some((name.to_string(), row.line));
        by_key.insert(key, entries.len());
        entries.push(entry);
    }
    Ok(entries)
}

/// Our own columns, CRLF line ends (RFC 4180, what spreadsheets expect),
/// after a UTF-8 byte-order mark (Excel reads a CSV without one in the
/// system's code page); a field is quoted only when it holds a `,`, a `"`
/// or a line break.
fn csv_export(entries: &[Entry]) -> String {
    let mut writer = csv::WriterBuilder::new().terminator(csv::Terminator::CRLF).from_writer(Vec::new());
    // Writing to memory cannot fail.
    let write = |writer: &mut csv::Writer<Vec<u8>>, record: &[&str]| {
        writer.write_record(record).expect("writing CSV to memory");
    };
    write(&mut writer, &NATIVE_COLUMNS);
    for entry in entries {
        let fields = native_fields(entry);
        write(&mut writer, &fields.each_ref().map(String::as_str));
    }
    let bytes = writer.into_inner().expect("writing CSV to memory");
    let csv = String::from_utf8(bytes).expect("CSV of UTF-8 fields is UTF-8");
    format!("\u{FEFF}{csv}")
}

/// `source,target,comment` rows, no header and no byte-order mark (OmegaT
/// 3.6 would read a header as a term). Other columns have no place in
/// OmegaT's CSV: forbidden forms go into the comment so the translator sees
/// them, since OmegaT would otherwise offer nothing against them.
fn omegat_csv_export(entries: &[Entry]) -> String {
    let mut writer = csv::WriterBuilder::new().terminator(csv::Terminator::CRLF).from_writer(Vec::new());
    for entry in entries {
        let mut comment = entry.comment.clone();
        if !entry.forbidden.is_empty() {
            let not = format!("not: {}", entry.forbidden.join(", "));
            comment = if comment.is_empty() { not } else { format!("{comment}; {not}") };
        }
        // Writing to memory cannot fail.
        writer.write_record([&entry.source, &entry.target, &comment]).expect("writing CSV to memory");
    }
    let bytes = writer.into_inner().expect("writing CSV to memory");
    String::from_utf8(bytes).expect("CSV of UTF-8 fields is UTF-8")
}

/// OmegaT's headerless `source,target[,comment]` rows; `#` lines are
/// comments, as OmegaT reads them.
fn omegat_csv_import(text: &str, name: &str) -> Result<Vec<Entry>, FormatError> {
    let text = text.strip_prefix('\u{FEFF}').unwrap_or(text);
    let mut entries = Vec::new();
    for row in csv_records(text, name)? {
        let field = |i: usize| row.fields.get(i).map_or(String::new(), |f| one_line(f));
        let (source, target) = (field(0), field(1));
        if source.starts_with('#') {
            continue;
        }
        if source.is_empty() || target.is_empty() {
            return Err(FormatError::Line {
                file: name.to_string(),
                line: row.line,
                message: "expected source,target[,comment] with both terms".into(),
            });
        }
        let mut entry = Entry::new(&source, &target);
        entry.comment = field(2);
        entry.origin = Some((name.to_string(), row.line));
        entries.push(entry);
    }
    if entries.is_empty() {
        return Err(FormatError::File { file: name.to_string(), message: "no entries".into() });
    }
    Ok(entries)
}

/// The fields of an entry in the native column order (lists `|`-joined).
fn native_fields(entry: &Entry) -> [String; 10] {
    [
        entry.source.clone(),
        entry.target.clone(),
        entry.comment.clone(),
        entry.variants.join("|"),
        entry.accepted.join("|"),
        entry.forbidden.join("|"),
        entry.kind.name().to_string(),
        flags_text(entry),
        entry.note.clone(),
        entry.short.join("|"),
    ]
}

// ---------------------------------------------------------------------------
// TSV: the native format, read by the glossary's own parser

fn tsv_import(text: &str, name: &str) -> Result<Vec<Entry>, FormatError> {
    let glossary = Glossary::parse(text, name).map_err(|error| match error {
        GlossaryError::Malformed { file, line, message } => FormatError::Line { file, line, message },
        other => FormatError::File { file: name.to_string(), message: other.to_string() },
    })?;
    if glossary.is_empty() {
        return Err(FormatError::File { file: name.to_string(), message: "no entries".into() });
    }
    Ok(glossary.entries().to_vec())
}

// ---------------------------------------------------------------------------
// TBX export

#[derive(Clone, Copy, PartialEq, Eq)]
enum TbxVersion {
    V2008,
    V3,
}

/// The `dragoman-flags:` note that carries the flags through TBX.
const FLAGS_NOTE: &str = "dragoman-flags:";

/// The note that carries forbidden forms through TBX 2008. OmegaT (3.6)
/// ignores the administrative status and would offer a deprecated term as a
/// glossary match, so TBX 2008 lists them in a note that OmegaT shows as part
/// of the comment; TBX v3 uses `deprecatedTerm-admn-sts` terms.
const FORBIDDEN_NOTE: &str = "dragoman-forbidden:";

/// Escapes text for XML content (every TBX field is element content) with
/// the one policy of every dragoman XML writer ([`crate::tmx::push_xml_text`]):
/// a character XML 1.0 forbids becomes U+FFFD, visible, never dropped.
fn xml_escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    crate::tmx::push_xml_text(&mut out, text);
    out
}

fn tbx_export(entries: &[Entry], version: TbxVersion) -> String {
    let (entry_tag, lang_tag, term_tag) = match version {
        TbxVersion::V2008 => ("termEntry", "langSet", "tig"),
        TbxVersion::V3 => ("conceptEntry", "langSec", "termSec"),
    };
    let mut out = String::from("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n");
    match version {
        TbxVersion::V2008 => {
            out.push_str("<martif type=\"TBX-Basic\" xml:lang=\"ar\">\n  <martifHeader>\n");
            out.push_str("    <fileDesc><sourceDesc><p>Exported by dragoman</p></sourceDesc></fileDesc>\n");
            out.push_str("    <encodingDesc><p type=\"XCSURI\">TBXBasicXCSV02.xcs</p></encodingDesc>\n");
            out.push_str("  </martifHeader>\n");
        }
        TbxVersion::V3 => {
            out.push_str(
                "<tbx type=\"TBX-Basic\" style=\"dca\" xml:lang=\"ar\" xmlns=\"urn:iso:std:iso:30042:ed-2\">\n",
            );
            out.push_str("  <tbxHeader>\n");
            out.push_str("    <fileDesc><sourceDesc><p>Exported by dragoman</p></sourceDesc></fileDesc>\n");
            out.push_str("  </tbxHeader>\n");
        }
    }
    out.push_str("  <text>\n    <body>\n");
    // Both versions carry the status as a termNote (TBX v3's DCA style does).
    let term = |out: &mut String, text: &str, status: &str| {
        out.push_str(&format!(
            "          <{term_tag}><term>{}</term><termNote type=\"administrativeStatus\">{status}</termNote>\
             </{term_tag}>\n",
            xml_escape(text),
        ));
    };
    // A short form is an admitted term with TBX's term type.
    let short = |out: &mut String, text: &str| {
        let kind = if crate::glossary::is_acronym(text) { "acronym" } else { "shortForm" };
        out.push_str(&format!(
            "          <{term_tag}><term>{}</term><termNote type=\"administrativeStatus\">admittedTerm-admn-sts\
             </termNote><termNote type=\"termType\">{kind}</termNote></{term_tag}>\n",
            xml_escape(text),
        ));
    };
    for (i, entry) in entries.iter().enumerate() {
        out.push_str(&format!("      <{entry_tag} id=\"e{}\">\n", i + 1));
        out.push_str(&format!("        <descrip type=\"subjectField\">{}</descrip>\n", entry.kind.name()));
        if !entry.note.is_empty() {
            out.push_str(&format!("        <note>{}</note>\n", xml_escape(&entry.note)));
        }
        let flags = flags_text(entry);
        if !flags.is_empty() {
            out.push_str(&format!("        <note>{FLAGS_NOTE} {flags}</note>\n"));
        }
        if version == TbxVersion::V2008 && !entry.forbidden.is_empty() {
            let forbidden = xml_escape(&entry.forbidden.join("|"));
            out.push_str(&format!("        <note>{FORBIDDEN_NOTE} {forbidden}</note>\n"));
        }
        out.push_str(&format!("        <{lang_tag} xml:lang=\"ar\">\n"));
        term(&mut out, &entry.source, "preferredTerm-admn-sts");
        for variant in &entry.variants {
            term(&mut out, variant, "admittedTerm-admn-sts");
        }
        out.push_str(&format!("        </{lang_tag}>\n        <{lang_tag} xml:lang=\"en\">\n"));
        if !entry.comment.is_empty() {
            out.push_str(&format!(
                "          <descrip type=\"definition\">{}</descrip>\n",
                xml_escape(&entry.comment)
            ));
        }
        term(&mut out, &entry.target, "preferredTerm-admn-sts");
        for accepted in &entry.accepted {
            term(&mut out, accepted, "admittedTerm-admn-sts");
        }
        for form in &entry.short {
            short(&mut out, form);
        }
        if version == TbxVersion::V3 {
            for forbidden in &entry.forbidden {
                term(&mut out, forbidden, "deprecatedTerm-admn-sts");
            }
        }
        out.push_str(&format!("        </{lang_tag}>\n      </{entry_tag}>\n"));
    }
    out.push_str("    </body>\n  </text>\n");
    out.push_str(match version {
        TbxVersion::V2008 => "</martif>\n",
        TbxVersion::V3 => "</tbx>\n",
    });
    out
}

// ---------------------------------------------------------------------------
// TBX import

/// The TBX version of `text` by its root element, if it is TBX at all.
pub fn tbx_dialect(text: &str) -> Option<ExternalFormat> {
    let mut reader = Reader::from_str(text);
    loop {
        match reader.read_event() {
            Ok(Event::Start(start)) | Ok(Event::Empty(start)) => {
                return match start.local_name().as_ref() {
                    "martif" => Some(ExternalFormat::Tbx2008),
                    "tbx" => Some(ExternalFormat::Tbx3),
                    _ => None,
                };
            }
            Ok(Event::Eof) | Err(_) => return None,
            Ok(_) => {}
        }
    }
}

/// How a term may be used, from its administrative status.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum TermStatus {
    Preferred,
    Admitted,
    Deprecated,
}

fn parse_status(text: &str) -> Option<TermStatus> {
    let value = text.trim();
    let value = value.strip_suffix("-admn-sts").unwrap_or(value);
    let value = value.strip_suffix("Term").unwrap_or(value);
    Some(match value.to_ascii_lowercase().as_str() {
        "preferred" | "standardized" => TermStatus::Preferred,
        "admitted" | "legal" | "regulated" => TermStatus::Admitted,
        "deprecated" | "superseded" | "notrecommended" | "forbidden" => TermStatus::Deprecated,
        _ => return None,
    })
}

/// A term being read: its text, status and language.
struct TermInProgress {
    text: String,
    /// Its `termType` says it is an acronym or a short form.
    short: bool,
    status: Option<TermStatus>,
    status_line: (usize, usize),
    status_text: String,
}

/// What a TBX entry has said so far.
#[derive(Default)]
struct EntryInProgress {
    line: usize,
    /// (language, term text, status, short form) in document order.
    terms: Vec<(Option<Lang>, String, Option<TermStatus>, bool)>,
    definitions: Vec<String>,
    subject: Option<String>,
    notes: Vec<String>,
    flags: Option<String>,
    /// Forbidden forms from a `dragoman-forbidden:` note.
    forbidden: Vec<String>,
}

/// Which element's text is being collected.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Capture {
    Term,
    Status,
    TermType,
    Definition,
    Subject,
    Note,
    Source,
}

/// Line and column (1-based, in characters) of byte offsets of a text,
/// counted from the previous offset asked for when it is not past this one
/// (entries come in file order): a whole file's positions cost one pass over
/// it, not one pass per `termEntry`.
#[derive(Debug, Clone, Copy, Default)]
struct Positions {
    /// The last position counted: byte offset, 0-based line, 0-based column.
    cursor: (usize, usize, usize),
}

impl Positions {
    fn line_column(&mut self, text: &str, offset: usize) -> (usize, usize) {
        let mut offset = offset.min(text.len());
        while !text.is_char_boundary(offset) {
            offset -= 1;
        }
        if offset < self.cursor.0 {
            self.cursor = (0, 0, 0);
        }
        let (from, mut line, mut column) = self.cursor;
        let between = &text[from..offset];
        match between.rfind('\n') {
            Some(last) => {
                line += memchr::memchr_iter(b'\n', between.as_bytes()).count();
                column = between[last + 1..].chars().count();
            }
            None => column += between.chars().count(),
        }
        self.cursor = (offset, line, column);
        (line + 1, column + 1)
    }
}

fn attribute(start: &BytesStart<'_>, wanted: &str) -> Option<String> {
    start
        .attributes()
        .flatten()
        .find(|a| a.key.as_ref() == wanted || a.key.local_name().as_ref() == wanted)
        .map(|a| {
            a.normalized_value(quick_xml::XmlVersion::Implicit1_0)
                .map(|v| v.into_owned())
                .unwrap_or_else(|_| a.value.to_string())
        })
}

/// What an element starts collecting, by its name and `type`.
fn capture_for(start: &BytesStart<'_>) -> Option<Capture> {
    let local = start.local_name();
    let kind = || attribute(start, "type").unwrap_or_default();
    match local.as_ref() {
        "term" => Some(Capture::Term),
        "termNote" => match kind().as_str() {
            "administrativeStatus" | "normativeAuthorization" => Some(Capture::Status),
            "termType" => Some(Capture::TermType),
            _ => None,
        },
        "descrip" => match kind().as_str() {
            "definition" => Some(Capture::Definition),
            "subjectField" => Some(Capture::Subject),
            _ => None,
        },
        "admin" => (kind() == "source").then_some(Capture::Source),
        "note" => Some(Capture::Note),
        // TBX v3 DCT style: data categories are elements of their own.
        "administrativeStatus" => Some(Capture::Status),
        "termType" => Some(Capture::TermType),
        "definition" => Some(Capture::Definition),
        "subjectField" => Some(Capture::Subject),
        "source" => Some(Capture::Source),
        _ => None,
    }
}

struct TbxReader<'a> {
    text: &'a str,
    name: &'a str,
    imported: Imported,
    entry: Option<EntryInProgress>,
    /// Language of the enclosing langSet/langSec, per nesting.
    lang: Option<Option<Lang>>,
    term: Option<TermInProgress>,
    /// The element being collected, its depth, and the text so far.
    capture: Option<(Capture, usize, String)>,
    /// Names of the open elements, outermost first.
    open_elements: Vec<String>,
    entries_seen: usize,
    positions: std::cell::Cell<Positions>,
}

fn tbx_import(text: &str, name: &str) -> Result<Imported, FormatError> {
    let mut tbx = TbxReader {
        text,
        name,
        imported: Imported::default(),
        entry: None,
        lang: None,
        term: None,
        capture: None,
        open_elements: Vec::new(),
        entries_seen: 0,
        positions: std::cell::Cell::new(Positions::default()),
    };
    tbx.read()?;
    if tbx.imported.entries.is_empty() {
        let message = if tbx.entries_seen == 0 {
            "no termEntry or conceptEntry elements: the file holds no terms".to_string()
        } else {
            format!("none of its {} entries has both an Arabic and an English term", tbx.entries_seen)
        };
        return Err(FormatError::File { file: name.to_string(), message });
    }
    Ok(tbx.imported)
}

impl TbxReader<'_> {
    fn line_column(&self, offset: usize) -> (usize, usize) {
        let mut positions = self.positions.get();
        let found = positions.line_column(self.text, offset);
        self.positions.set(positions);
        found
    }

    fn error_at(&self, offset: usize, message: String) -> FormatError {
        let (line, column) = self.line_column(offset);
        FormatError::Xml { file: self.name.to_string(), line, column, message }
    }

    fn read(&mut self) -> Result<(), FormatError> {
        let mut reader = Reader::from_str(self.text);
        let mut root_seen = false;
        loop {
            let before = usize::try_from(reader.buffer_position()).unwrap_or(usize::MAX);
            let event = match reader.read_event() {
                Ok(event) => event,
                Err(error) => {
                    let at = usize::try_from(reader.error_position()).unwrap_or(usize::MAX);
                    return Err(self.error_at(at, format!("malformed XML: {error}")));
                }
            };
            // Byte offset of the event's first character (skip leading whitespace of text).
            let at = before + self.text.get(before..).map_or(0, |rest| rest.len() - rest.trim_start().len());
            match event {
                Event::Start(start) => {
                    if !root_seen {
                        self.check_root(&start, at)?;
                        root_seen = true;
                    }
                    self.open_elements.push(start.name().as_ref().to_string());
                    self.open(&start, at)?;
                }
                Event::Empty(start) => {
                    if !root_seen {
                        self.check_root(&start, at)?;
                        root_seen = true;
                    }
                    self.open_elements.push(start.name().as_ref().to_string());
                    self.open(&start, at)?;
                    self.close(start.local_name().as_ref(), at)?;
                    self.open_elements.pop();
                }
                Event::End(end) => {
                    self.close(end.local_name().as_ref(), at)?;
                    self.open_elements.pop();
                }
                Event::Text(text) => self.append(&text.xml10_content()),
                Event::CData(data) => self.append(&data.xml10_content()),
                Event::GeneralRef(reference) => {
                    let resolved = self.resolve(&reference, at)?;
                    self.append(&resolved);
                }
                Event::Eof => {
                    if let Some(open) = self.open_elements.last() {
                        let message = format!("the file ends before </{open}> (is it truncated?)");
                        return Err(self.error_at(self.text.len(), message));
                    }
                    break;
                }
                // Declarations, comments, processing instructions, DOCTYPE: nothing to read
                // (entities a DOCTYPE declares are never expanded; using one is an error).
                Event::Decl(_) | Event::Comment(_) | Event::PI(_) | Event::DocType(_) => {}
            }
        }
        if !root_seen {
            return Err(FormatError::File {
                file: self.name.to_string(),
                message: "no XML element found: expected a TBX file (<martif> or <tbx>)".into(),
            });
        }
        Ok(())
    }

    fn check_root(&self, start: &BytesStart<'_>, at: usize) -> Result<(), FormatError> {
        match start.local_name().as_ref() {
            "martif" | "tbx" => Ok(()),
            other => Err(self.error_at(
                at,
                format!(
                    "not a TBX file: the root element is <{}>, expected <martif> (TBX 2008) or <tbx> (TBX v3)",
                    other
                ),
            )),
        }
    }

    fn resolve(&self, reference: &BytesRef<'_>, at: usize) -> Result<String, FormatError> {
        if reference.is_char_ref() {
            return match reference.resolve_char_ref() {
                Ok(Some(c)) => Ok(c.to_string()),
                _ => Err(self.error_at(at, "invalid character reference".into())),
            };
        }
        let name = reference.xml10_content();
        match quick_xml::escape::resolve_predefined_entity(&name) {
            Some(text) => Ok(text.to_string()),
            None => Err(self.error_at(
                at,
                format!("undefined entity `&{name};` (only &amp; &lt; &gt; &quot; &apos; exist in XML)"),
            )),
        }
    }

    fn append(&mut self, text: &str) {
        if let Some((_, _, buffer)) = &mut self.capture {
            buffer.push_str(text);
        }
    }

    fn open(&mut self, start: &BytesStart<'_>, at: usize) -> Result<(), FormatError> {
        let local = start.local_name();
        match local.as_ref() {
            "termEntry" | "conceptEntry" => {
                if self.entry.is_some() {
                    return Err(self.error_at(at, "an entry inside another entry".into()));
                }
                self.entries_seen += 1;
                let line = self.line_column(at).0;
                self.entry = Some(EntryInProgress { line, ..EntryInProgress::default() });
            }
            "langSet" | "langSec" if self.entry.is_some() => {
                self.lang = Some(attribute(start, "lang").and_then(|tag| Lang::from_tag(&tag)));
            }
            "tig" | "ntig" | "termSec" if self.entry.is_some() => {
                self.term = Some(TermInProgress {
                    text: String::new(),
                    short: false,
                    status: None,
                    status_line: (0, 0),
                    status_text: String::new(),
                });
            }
            _ => {}
        }
        if self.capture.is_none()
            && self.entry.is_some()
            && let Some(capture) = capture_for(start)
        {
            if capture == Capture::Status && self.term.is_some() {
                let position = self.line_column(at);
                if let Some(term) = &mut self.term {
                    term.status_line = position;
                }
            }
            self.capture = Some((capture, self.open_elements.len(), String::new()));
        }
        Ok(())
    }

    fn close(&mut self, local: &str, at: usize) -> Result<(), FormatError> {
        if let Some((capture, depth, _)) = &self.capture
            && *depth == self.open_elements.len()
        {
            let capture = *capture;
            let text = self.capture.take().map(|(_, _, text)| text).unwrap_or_default();
            self.finish_capture(capture, text)?;
        }
        match local {
            "tig" | "ntig" | "termSec" => {
                if let (Some(term), Some(entry)) = (self.term.take(), &mut self.entry) {
                    if term.status.is_none() && !term.status_text.trim().is_empty() {
                        let (line, column) = term.status_line;
                        return Err(FormatError::Xml {
                            file: self.name.to_string(),
                            line,
                            column,
                            message: format!(
                                "unknown administrative status `{}` (expected preferredTerm-admn-sts, \
                                 admittedTerm-admn-sts or deprecatedTerm-admn-sts)",
                                term.status_text.trim()
                            ),
                        });
                    }
                    let text = one_line(&term.text);
                    if !text.is_empty() {
                        entry.terms.push((self.lang.flatten(), text, term.status, term.short));
                    }
                }
            }
            "langSet" | "langSec" => self.lang = None,
            "termEntry" | "conceptEntry" => {
                if let Some(entry) = self.entry.take() {
                    self.finish_entry(entry, at)?;
                }
            }
            _ => {}
        }
        Ok(())
    }

    fn finish_capture(&mut self, capture: Capture, text: String) -> Result<(), FormatError> {
        let Some(entry) = &mut self.entry else { return Ok(()) };
        let text = one_line(&text);
        match capture {
            Capture::Term => {
                if let Some(term) = &mut self.term {
                    term.text = text;
                }
            }
            Capture::Status => {
                if let Some(term) = &mut self.term {
                    term.status = parse_status(&text);
                    term.status_text = text;
                }
            }
            Capture::TermType => {
                if let Some(term) = &mut self.term {
                    term.short = matches!(
                        text.to_ascii_lowercase().as_str(),
                        "acronym" | "abbreviation" | "shortform" | "initialism"
                    );
                }
            }
            Capture::Definition if !text.is_empty() => entry.definitions.push(text),
            Capture::Subject if !text.is_empty() => entry.subject = Some(text),
            Capture::Note | Capture::Source if !text.is_empty() => {
                if let Some(flags) = text.strip_prefix(FLAGS_NOTE) {
                    entry.flags = Some(flags.trim().to_string());
                } else if let Some(forbidden) = text.strip_prefix(FORBIDDEN_NOTE) {
                    entry.forbidden.extend(split_list(forbidden).map(String::from));
                } else {
                    entry.notes.push(text);
                }
            }
            _ => {}
        }
        Ok(())
    }

    fn finish_entry(&mut self, entry: EntryInProgress, at: usize) -> Result<(), FormatError> {
        let pick = |lang: Lang| {
            // Admitted short forms go to their own column; a preferred
            // acronym (`YPG`) stays the approved rendering.
            let is_short = |status: &Option<TermStatus>, short: bool| {
                short && !matches!(status, Some(TermStatus::Preferred | TermStatus::Deprecated))
            };
            let mut shorts: Vec<String> = entry
                .terms
                .iter()
                .filter(|(l, _, status, short)| *l == Some(lang) && is_short(status, *short))
                .map(|(_, text, _, _)| text.clone())
                .collect();
            let mut terms: Vec<(&str, Option<TermStatus>)> = entry
                .terms
                .iter()
                .filter(|(l, _, status, short)| *l == Some(lang) && !is_short(status, *short))
                .map(|(_, text, status, _)| (text.as_str(), *status))
                .collect();
            // The approved term: the first preferred one, else the first that is not deprecated.
            let main = terms
                .iter()
                .position(|(_, s)| *s == Some(TermStatus::Preferred))
                .or_else(|| terms.iter().position(|(_, s)| *s != Some(TermStatus::Deprecated)));
            // An entry named only by an acronym (`WHO` typed `acronym`) is named by it.
            let main = main
                .map(|i| terms.remove(i).0.to_string())
                .or_else(|| (!shorts.is_empty()).then(|| shorts.remove(0)));
            let others = |wanted: bool| {
                terms
                    .iter()
                    .filter(|(_, s)| (*s == Some(TermStatus::Deprecated)) != wanted)
                    .map(|(t, _)| t.to_string())
                    .collect::<Vec<_>>()
            };
            (main, others(true), others(false), shorts)
        };
        let (arabic, mut arabic_variants, _deprecated_arabic, arabic_short) = pick(Lang::Ar);
        arabic_variants.extend(arabic_short);
        let (english, accepted, forbidden, short) = pick(Lang::En);
        let (Some(source), Some(target)) = (&arabic, &english) else {
            let why = |lang: Lang, main: &Option<String>, language: &str| match main {
                Some(_) => None,
                None if entry.terms.iter().any(|(l, _, _, _)| *l == Some(lang)) => {
                    Some(format!("only deprecated {language} terms"))
                }
                None => Some(format!("no {language} term")),
            };
            let reasons: Vec<String> = [why(Lang::Ar, &arabic, "Arabic"), why(Lang::En, &english, "English")]
                .into_iter()
                .flatten()
                .collect();
            self.imported.skipped.push(Skipped { line: entry.line, reason: reasons.join(" and ") });
            return Ok(());
        };
        let (source, target) = (source.clone(), target.clone());
        let mut result = Entry::new(&source, &target);
        result.variants = arabic_variants;
        result.accepted = accepted;
        result.forbidden = forbidden;
        result.short = short;
        let mut known: std::collections::HashSet<String> = result.forbidden.iter().cloned().collect();
        for form in &entry.forbidden {
            if known.insert(form.clone()) {
                result.forbidden.push(form.clone());
            }
        }
        result.comment = entry.definitions.join("; ");
        result.note = entry.notes.join("; ");
        result.kind = entry.subject.as_deref().and_then(TermType::from_name).unwrap_or(TermType::Other);
        if let Some(flags) = &entry.flags {
            apply_flags(&mut result, flags).map_err(|flag| {
                self.error_at(at, format!("unknown flag `{flag}` in the {FLAGS_NOTE} note"))
            })?;
        }
        result.origin = Some((self.name.to_string(), entry.line));
        self.imported.entries.push(result);
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn csv_records_follow_rfc_4180() {
        let text = "a,b,c\r\n\"x, y\",\"say \"\"hi\"\"\",\"two\nlines\"\n\nlast,,\n";
        let records = csv_records(text, "t.csv").unwrap();
        assert_eq!(records.len(), 3);
        assert_eq!(records[1].fields, ["x, y", "say \"hi\"", "two\nlines"]);
        assert_eq!(records[2].line, 5);
        assert_eq!(records[2].fields, ["last", "", ""]);
    }

    #[test]
    fn csv_lines_count_every_kind_of_line_end() {
        // Old Mac exports end lines with a lone CR; blank lines are skipped
        // but still counted.
        let text = "source,target\rالرقة,Raqqa\r\r\nحلب,\"Aleppo\r(city)\"\n\nحمص,\"Homs\"x\n";
        let error = csv_records(text, "mac.csv").unwrap_err();
        assert_eq!(
            error.to_string(),
            "mac.csv:7: unexpected `x` after a closing quote (expected `,` or a line end)"
        );
        let records = csv_records(&text[..text.find("حمص").unwrap()], "mac.csv").unwrap();
        let lines: Vec<usize> = records.iter().map(|r| r.line).collect();
        assert_eq!(lines, [1, 2, 4]);
        assert_eq!(records[2].fields, ["حلب", "Aleppo\r(city)"]);
    }

    #[test]
    fn csv_errors_name_the_line() {
        let error = csv_records("a,b\n1,2\n\"open,3\n", "t.csv").unwrap_err();
        assert_eq!(error.to_string(), "t.csv:3: quoted field is never closed (a `\"` is missing)");
        let error = csv_records("a,b\n\"x\"y,2\n", "t.csv").unwrap_err();
        assert!(error.to_string().starts_with("t.csv:2: unexpected `y` after a closing quote"), "{error}");
    }

    #[test]
    fn statuses_in_short_and_long_form() {
        assert_eq!(parse_status("preferredTerm-admn-sts"), Some(TermStatus::Preferred));
        assert_eq!(parse_status(" admitted "), Some(TermStatus::Admitted));
        assert_eq!(parse_status("supersededTerm-admn-sts"), Some(TermStatus::Deprecated));
        assert_eq!(parse_status("deprecatedTerm-admn-sts"), Some(TermStatus::Deprecated));
        assert_eq!(parse_status("maybe"), None);
    }

    #[test]
    fn line_column_counts_characters() {
        let line_column = |text: &str, offset: usize| Positions::default().line_column(text, offset);
        let text = "ab\nدا<x";
        assert_eq!(line_column(text, text.find('<').unwrap()), (2, 3));
        assert_eq!(line_column(text, 0), (1, 1));
        // An offset inside a character is moved back to its start.
        assert_eq!(line_column(text, 4), (2, 1));
    }

    #[test]
    fn positions_counted_incrementally_agree_with_a_fresh_count() {
        let text = "<a>\n  <b>الرقة</b>\n\n<c/>داعش\nx";
        let mut positions = Positions::default();
        // Forward, backward (an error before the last entry), forward again.
        for offset in [0, 3, 4, 9, 13, 29, 5, 33, 22, text.len(), 1] {
            let fresh = {
                let before = &text[..offset];
                let line_start = before.rfind('\n').map_or(0, |i| i + 1);
                (before.matches('\n').count() + 1, before[line_start..].chars().count() + 1)
            };
            assert_eq!(positions.line_column(text, offset), fresh, "offset {offset}");
        }
    }

    #[test]
    fn one_line_only_touches_tabs_and_line_breaks() {
        assert_eq!(one_line("  al-Dar’iya  "), "al-Dar’iya");
        assert_eq!(one_line("a\n   b\tc  d"), "a b c  d");
    }
}
