//! TMX import (atomic) and export.
//!
//! An import of several files is all-or-nothing: one write transaction of
//! the backend for all of them, committed only when every file has been
//! read. On any error the transaction is rolled back; SQLite's write-ahead
//! log keeps uncommitted pages out of the memory file, so the file is
//! byte-identical afterwards, even when the process is killed mid-import.
//! [`import_into`] completes that for a memory the import creates: when its
//! first import fails, no file is left behind.

use std::io::{Read, Write};
use std::path::{Path, PathBuf};

use std::sync::mpsc;

use super::prepared::{PreparedUnit, language_issue, missing_languages};
use super::store::Store;
use super::{LanguageIssue, LanguagePair, Memory, MemoryError};
use crate::tmx::{TmxError, TmxReader, TmxWriter, TranslationUnit, WriterOptions};

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
    ///
    /// Three threads share the work, passing bounded queues of units along
    /// (so memory stays constant): this one parses, a second prepares units
    /// (match keys, encoded bodies), a third stores and indexes them in the
    /// one transaction. On a multi-core machine the three overlap.
    pub fn import(
        &mut self,
        sources: Vec<TmxSource<'_>>,
        options: &ImportOptions,
    ) -> Result<ImportReport, MemoryError> {
        let path = self.name();
        let index = !options.no_index;
        let store = &mut *self.store;
        std::thread::scope(|scope| {
            let (to_store, store_inbox) = mpsc::sync_channel(QUEUED_BATCHES);
            let (to_prepare, prepare_inbox) = mpsc::sync_channel(QUEUED_BATCHES);
            let (to_reader, returned) = mpsc::channel();
            let store = scope.spawn(move || store_units(store, store_inbox, index));
            let languages = &options.languages;
            scope.spawn(move || prepare_units(prepare_inbox, to_store, to_reader, languages));
            let read = read_units(sources, options, &to_prepare, &returned);
            let store_result =
                |store: std::thread::ScopedJoinHandle<'_, Result<(), MemoryError>>| match store.join() {
                    Ok(result) => result,
                    Err(panic) => std::panic::resume_unwind(panic),
                };
            match read {
                Ok(report) => {
                    // A failed send means the store thread has stopped on an
                    // error, which joining returns.
                    let _ = to_prepare.send(Stage::Commit);
                    drop(to_prepare);
                    store_result(store).map(|()| report)
                }
                Err(ReadStop::StoreFailed) => {
                    drop(to_prepare);
                    // The storing thread hangs up only on an error, so this
                    // returns it; nothing was committed either way.
                    store_result(store).and(Err(MemoryError::StoreStopped { path: path.clone() }))
                }
                Err(ReadStop::Failed(error)) => {
                    // Hanging up without `Commit` rolls the transaction back.
                    drop(to_prepare);
                    let _ = store_result(store);
                    Err(error)
                }
            }
        })
    }

    /// Writes every unit as TMX 1.4b, as it was stored, in storage order;
    /// returns how many. The header's `srclang` is `languages.source`.
    pub fn export(&self, output: &mut dyn Write, languages: &LanguagePair) -> Result<usize, MemoryError> {
        let options = WriterOptions { srclang: languages.source.clone(), ..WriterOptions::default() };
        let mut writer = TmxWriter::new(output, &options).map_err(MemoryError::Write)?;
        let count =
            self.store.for_each_unit(&mut |unit| writer.write_unit(&unit).map_err(MemoryError::Write))?;
        writer.finish().map_err(MemoryError::Write)?;
        Ok(count as usize)
    }
}

/// What [`import_into`] did.
#[derive(Debug, Clone)]
pub struct ImportOutcome {
    pub report: ImportReport,
    /// The units in the memory after the import.
    pub units: u64,
}

/// Imports TMX documents into the memory at `path`, creating it (and its
/// directories) when missing, all or nothing: the library's half of
/// "nothing the user owns is lost".
///
/// When the import fails, a memory that existed is left byte-identical (the
/// transaction is rolled back; an older schema is still migrated on
/// opening), and one this call created is deleted with its journal files
/// and the directories it made, so a failed first import leaves nothing
/// behind. The error returned is the import's (should deleting fail too,
/// what is left is an empty memory).
pub fn import_into(
    path: &Path,
    sources: Vec<TmxSource<'_>>,
    options: &ImportOptions,
) -> Result<ImportOutcome, MemoryError> {
    let import = |memory: &mut Memory| -> Result<ImportOutcome, MemoryError> {
        let report = memory.import(sources, options)?;
        Ok(ImportOutcome { report, units: memory.unit_count()? })
    };
    if path.exists() {
        return import(&mut Memory::open(path)?);
    }
    let made_dirs = make_parent_dirs(path)?;
    let mut memory = match Memory::create_new(path) {
        Ok(Some(memory)) => memory,
        // Another process made it a moment ago: theirs, and not new.
        Ok(None) => return import(&mut Memory::open(path)?),
        Err(error) => {
            remove_dirs(&made_dirs);
            return Err(error);
        }
    };
    let result = import(&mut memory);
    if result.is_err() {
        // The import's error is the one to report; see the function docs.
        let _ = memory.store.discard();
        remove_dirs(&made_dirs);
    }
    result
}

/// Creates the missing directories above `path`; returns them, outermost
/// first.
fn make_parent_dirs(path: &Path) -> Result<Vec<PathBuf>, MemoryError> {
    fn missing(dir: Option<&Path>) -> Option<&Path> {
        dir.filter(|d| !d.as_os_str().is_empty() && !d.exists())
    }
    let mut made_dirs = Vec::new();
    let mut dir = missing(path.parent());
    while let Some(d) = dir {
        made_dirs.push(d.to_path_buf());
        dir = missing(d.parent());
    }
    made_dirs.reverse();
    for (i, dir) in made_dirs.iter().enumerate() {
        match std::fs::create_dir(dir) {
            Ok(()) => {}
            Err(e) if e.kind() == std::io::ErrorKind::AlreadyExists => {}
            Err(source) => {
                remove_dirs(&made_dirs[..i]);
                return Err(MemoryError::CreateDir { path: path.display().to_string(), source });
            }
        }
    }
    Ok(made_dirs)
}

/// Removes the directories [`make_parent_dirs`] made, innermost first, each
/// only while empty (another process may have put files there meanwhile).
fn remove_dirs(dirs: &[PathBuf]) {
    for dir in dirs.iter().rev() {
        let _ = std::fs::remove_dir(dir);
    }
}

/// Units per message between the import's stages, and how many messages
/// may wait in each queue: bounds what an import holds in memory.
const BATCH_UNITS: usize = 256;
const QUEUED_BATCHES: usize = 8;

/// A message along the import's pipeline: parsed units to the preparing
/// thread, prepared ones to the storing thread.
enum Stage<U> {
    Units(Vec<U>),
    /// Everything was read: commit. Hanging up without it rolls back.
    Commit,
}

/// Why reading stopped before the end.
enum ReadStop {
    Failed(MemoryError),
    /// The storing thread hung up: it failed, and says why when joined.
    StoreFailed,
}

/// Parses every source and sends the units to the preparing thread.
fn read_units(
    sources: Vec<TmxSource<'_>>,
    options: &ImportOptions,
    sender: &mpsc::SyncSender<Stage<TranslationUnit>>,
    returned: &mpsc::Receiver<Vec<TranslationUnit>>,
) -> Result<ImportReport, ReadStop> {
    let mut report = ImportReport::default();
    let mut batch = Vec::with_capacity(BATCH_UNITS);
    for source in sources {
        let mut reader =
            TmxReader::new(source.input, &source.name).map_err(|e| ReadStop::Failed(e.into()))?;
        let mut file =
            FileImport { name: source.name, imported: 0, skipped: Vec::new(), language_issues: Vec::new() };
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
                Err(error) => return Err(ReadStop::Failed(error.into())),
            };
            position += 1;
            file.language_issues.extend(language_issue(&unit, &missing_languages(&unit), position));
            file.imported += 1;
            batch.push(unit);
            if batch.len() == BATCH_UNITS {
                // Units come back to be freed here, where they were
                // allocated: freeing memory of another thread is several
                // times slower, and this recycles the batch vectors.
                let mut spare = returned.try_recv().unwrap_or_else(|_| Vec::with_capacity(BATCH_UNITS));
                spare.clear();
                let full = std::mem::replace(&mut batch, spare);
                sender.send(Stage::Units(full)).map_err(|_| ReadStop::StoreFailed)?;
                returned.try_iter().for_each(drop);
            }
        }
        report.files.push(file);
    }
    if !batch.is_empty() {
        sender.send(Stage::Units(batch)).map_err(|_| ReadStop::StoreFailed)?;
    }
    Ok(report)
}

/// The preparing thread: match keys and encoded bodies for every unit,
/// passed on in the order they came. Stops early when the storing thread
/// hangs up (it failed), which the parsing thread then notices.
fn prepare_units(
    inbox: mpsc::Receiver<Stage<TranslationUnit>>,
    to_store: mpsc::SyncSender<Stage<PreparedUnit>>,
    to_reader: mpsc::Sender<Vec<TranslationUnit>>,
    languages: &LanguagePair,
) {
    for message in inbox {
        let prepared = match message {
            Stage::Units(units) => {
                let prepared = units.iter().map(|unit| PreparedUnit::new(unit, None, languages)).collect();
                // The parsing thread frees them (it may have finished).
                let _ = to_reader.send(units);
                Stage::Units(prepared)
            }
            Stage::Commit => Stage::Commit,
        };
        if to_store.send(prepared).is_err() {
            return;
        }
    }
}

/// The storing thread: one write transaction for the whole import,
/// committed only on [`Stage::Commit`]; one call into the backend per batch.
fn store_units(
    store: &mut dyn Store,
    receiver: mpsc::Receiver<Stage<PreparedUnit>>,
    index: bool,
) -> Result<(), MemoryError> {
    let mut transaction = store.begin_write(index)?;
    for message in receiver {
        match message {
            Stage::Units(units) => transaction.store(&units)?,
            Stage::Commit => return transaction.commit(),
        }
    }
    // Hung up without `Commit`: dropping the transaction rolls it back.
    Ok(())
}
