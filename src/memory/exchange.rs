//! TMX import (atomic) and export.
//!
//! An import of several files is all-or-nothing: one transaction for all of
//! them, committed only when every file has been read. On any error the
//! transaction is rolled back; SQLite's write-ahead log keeps uncommitted
//! pages out of the memory file, so the file is byte-identical afterwards,
//! even when the process is killed mid-import.

use std::io::{Read, Write};

use super::{LanguageIssue, LanguagePair, Memory, MemoryError, UnitWriter, language_issue};
use crate::tmx::{TmxError, TmxReader, TmxWriter, WriterOptions};

/// How to import.
#[derive(Debug, Clone, Default)]
pub struct ImportOptions {
    pub languages: LanguagePair,
    /// Skip units the TMX reader rejects (and list them) instead of failing.
    pub skip_bad: bool,
    /// Leave the word index for a later [`Memory::reindex`] (bulk loads);
    /// lookups refuse to run until then.
    pub no_index: bool,
}

/// One input of an import.
pub struct TmxSource<'a> {
    /// How the input is called in messages (a path, `<stdin>`).
    pub name: String,
    pub input: Box<dyn Read + 'a>,
}

/// What an import did, file by file.
#[derive(Debug, Clone, Default)]
pub struct ImportReport {
    pub files: Vec<FileImport>,
}

#[derive(Debug, Clone)]
pub struct FileImport {
    pub name: String,
    pub imported: usize,
    /// Units skipped with `skip_bad`, each with its error.
    pub skipped: Vec<TmxError>,
    /// Units stored that lack an Arabic or English variant.
    pub language_issues: Vec<LanguageIssue>,
}

impl ImportReport {
    pub fn imported(&self) -> usize {
        self.files.iter().map(|f| f.imported).sum()
    }
}

impl Memory {
    /// Imports TMX documents, all or nothing.
    pub fn import(
        &mut self,
        sources: Vec<TmxSource<'_>>,
        options: &ImportOptions,
    ) -> Result<ImportReport, MemoryError> {
        let path = self.name();
        let err = |source| MemoryError::Sqlite { path: path.clone(), source };
        let tx =
            self.conn.transaction_with_behavior(rusqlite::TransactionBehavior::Immediate).map_err(err)?;
        let mut writer = if options.no_index {
            UnitWriter::without_index(options.languages.clone())
        } else {
            UnitWriter::new(options.languages.clone())
        };
        let mut report = ImportReport::default();
        for source in sources {
            let mut reader = TmxReader::new(source.input, &source.name)?;
            let mut file = FileImport {
                name: source.name,
                imported: 0,
                skipped: Vec::new(),
                language_issues: Vec::new(),
            };
            let mut position = 0;
            loop {
                let unit = match reader.next_unit() {
                    Ok(Some(unit)) => unit,
                    Ok(None) => break,
                    Err(error) if options.skip_bad && error.is_unit_error() => {
                        position += 1;
                        file.skipped.push(error);
                        continue;
                    }
                    // Dropping `tx` rolls everything back.
                    Err(error) => return Err(error.into()),
                };
                position += 1;
                let inserted = writer.insert(&tx, &unit, None).map_err(err)?;
                file.imported += 1;
                file.language_issues.extend(language_issue(&unit, &inserted.missing, position));
            }
            report.files.push(file);
        }
        writer.finish(&tx).map_err(err)?;
        tx.commit().map_err(err)?;
        Ok(report)
    }

    /// Writes every unit as TMX 1.4b, as it was stored, in storage order;
    /// returns how many. The header's `srclang` is `languages.source`.
    pub fn export(&self, output: &mut dyn Write, languages: &LanguagePair) -> Result<usize, MemoryError> {
        let err = self.sql_error();
        let options = WriterOptions { srclang: languages.source.clone(), ..WriterOptions::default() };
        let mut writer = TmxWriter::new(output, &options).map_err(MemoryError::Write)?;
        let mut statement =
            self.conn.prepare("SELECT unit, body FROM unit_body ORDER BY unit").map_err(&err)?;
        let mut rows = statement.query([]).map_err(&err)?;
        let mut count = 0;
        while let Some(row) = rows.next().map_err(&err)? {
            let id: i64 = row.get(0).map_err(&err)?;
            let body = row.get_ref(1).map_err(&err)?.as_str().map_err(|e| err(e.into()))?;
            let unit = self.decode_unit(id, body)?;
            writer.write_unit(&unit).map_err(MemoryError::Write)?;
            count += 1;
        }
        writer.finish().map_err(MemoryError::Write)?;
        Ok(count)
    }
}
