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

use std::collections::HashMap;

use super::prepared::{
    PreparedUnit, language_issue, missing_languages, oversized_issue, same_but_dates, undated_digest,
};
use super::store::{LockWait, Store, WriteTransaction};
use super::{LanguageIssue, LanguagePair, Memory, MemoryError, codec};
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

/// The rest of how to import: apart from [`ImportOptions`] only so that
/// callers building it field by field need not change; see
/// [`import_into_with`].
#[derive(Debug, Clone, Default)]
pub struct ImportExtras {
    /// Add units identical to ones the memory already holds (same tuid or
    /// both none, same variants, properties and notes; dates aside). By
    /// default they are counted ([`FileImport::already_present`]) and not
    /// added again.
    pub keep_duplicates: bool,
    /// How the import waits while another process writes the memory.
    pub lock_wait: LockWait,
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
    /// Units stored.
    pub imported: usize,
    /// Units not stored because the memory already held an identical one
    /// (see [`ImportExtras::keep_duplicates`]).
    pub already_present: usize,
    /// The first [`KEPT_ERRORS`] units skipped with `skip_bad`, each with
    /// its error: a file of millions of bad units must not fill memory.
    pub skipped: Vec<TmxError>,
    /// How many units were skipped with `skip_bad` in all.
    pub skipped_total: usize,
    /// Units stored that lack an Arabic or English variant.
    pub language_issues: Vec<LanguageIssue>,
}

/// How many skipped units' errors a [`FileImport`] keeps.
pub const KEPT_ERRORS: usize = 100;

impl ImportReport {
    pub fn imported(&self) -> usize {
        self.files.iter().map(|f| f.imported).sum()
    }

    /// Units not stored because the memory already held them.
    pub fn already_present(&self) -> usize {
        self.files.iter().map(|f| f.already_present).sum()
    }
}

impl Memory {
    /// Imports TMX documents, all or nothing; see [`Memory::import_with`].
    pub fn import(
        &mut self,
        sources: Vec<TmxSource<'_>>,
        options: &ImportOptions,
    ) -> Result<ImportReport, MemoryError> {
        self.import_with(sources, options, &ImportExtras::default())
    }

    /// Imports TMX documents, all or nothing.
    ///
    /// Three threads share the work, passing bounded queues of units along
    /// (so memory stays bounded, in units and in bytes): this one parses, a
    /// second prepares units (match keys, encoded bodies), a third stores
    /// and indexes them in the one transaction. On a multi-core machine the
    /// three overlap.
    pub fn import_with(
        &mut self,
        sources: Vec<TmxSource<'_>>,
        options: &ImportOptions,
        extras: &ImportExtras,
    ) -> Result<ImportReport, MemoryError> {
        let path = self.name();
        let index = !options.no_index;
        self.set_lock_wait(extras.lock_wait.clone());
        let store = &mut *self.store;
        let in_flight = InFlight::default();
        let in_flight = &in_flight;
        let keep_duplicates = extras.keep_duplicates;
        std::thread::scope(|scope| {
            let (to_store, store_inbox) = mpsc::sync_channel(QUEUED_BATCHES);
            let (to_prepare, prepare_inbox) = mpsc::sync_channel(QUEUED_BATCHES);
            let (to_reader, returned) = mpsc::channel();
            let store =
                scope.spawn(move || store_units(store, store_inbox, index, keep_duplicates, in_flight));
            let languages = &options.languages;
            scope.spawn(move || prepare_units(prepare_inbox, to_store, to_reader, languages, index));
            let read = read_units(sources, options, &to_prepare, &returned, in_flight);
            let store_result = |store: std::thread::ScopedJoinHandle<'_, Result<Vec<usize>, MemoryError>>| {
                match store.join() {
                    Ok(result) => result,
                    Err(panic) => std::panic::resume_unwind(panic),
                }
            };
            match read {
                Ok(mut report) => {
                    // A failed send means the store thread has stopped on an
                    // error, which joining returns.
                    let _ = to_prepare.send(Stage::Commit);
                    drop(to_prepare);
                    let already_present = store_result(store)?;
                    for (file, already) in report.files.iter_mut().zip(already_present) {
                        file.already_present = already;
                        file.imported -= already;
                    }
                    Ok(report)
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

    /// [`Memory::export`] of the units of `documents` only: document by
    /// document in the order given (a name given twice is written once),
    /// each in storage order. A name the memory does not hold is
    /// [`MemoryError::NoSuchDocument`], before anything is written.
    pub fn export_documents(
        &self,
        output: &mut dyn Write,
        languages: &LanguagePair,
        documents: &[String],
    ) -> Result<usize, MemoryError> {
        let known: Vec<String> = self.documents()?.into_iter().map(|d| d.name).collect();
        if let Some(missing) = documents.iter().find(|name| !known.contains(name)) {
            return Err(MemoryError::NoSuchDocument { path: self.name(), name: missing.clone(), known });
        }
        let options = WriterOptions { srclang: languages.source.clone(), ..WriterOptions::default() };
        let mut writer = TmxWriter::new(output, &options).map_err(MemoryError::Write)?;
        let mut count = 0;
        for (i, name) in documents.iter().enumerate() {
            if documents[..i].contains(name) {
                continue;
            }
            count += self.store.for_each_document_unit(name, &mut |unit| {
                writer.write_unit(&unit).map_err(MemoryError::Write)
            })?;
        }
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
    import_into_with(path, sources, options, &ImportExtras::default())
}

/// [`import_into`] with [`ImportExtras`].
pub fn import_into_with(
    path: &Path,
    sources: Vec<TmxSource<'_>>,
    options: &ImportOptions,
    extras: &ImportExtras,
) -> Result<ImportOutcome, MemoryError> {
    let import = |memory: &mut Memory| -> Result<ImportOutcome, MemoryError> {
        let report = memory.import_with(sources, options, extras)?;
        Ok(ImportOutcome { report, units: memory.unit_count()? })
    };
    if path.exists() {
        return import(&mut Memory::open_existing(path)?);
    }
    let made_dirs = make_parent_dirs(path)?;
    let mut memory = match Memory::create_new(path) {
        Ok(Some(memory)) => memory,
        // Another process made it a moment ago: theirs, and not new.
        Ok(None) => return import(&mut Memory::open_existing(path)?),
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
/// may wait in each queue: bounds what an import holds in memory in units
/// (in bytes, [`MAX_BYTES_IN_FLIGHT`]). Deep enough that parsing and
/// preparing go on while the storing thread waits for a server to take in
/// a few megabytes of rows.
const BATCH_UNITS: usize = 256;
const QUEUED_BATCHES: usize = 32;
/// A batch is sent early once its units hold this many bytes of text.
const BATCH_BYTES: usize = 4 << 20;
/// The most bytes of unit text between parsing and storing at once (more
/// only for a single unit larger than this): bounds an import's memory in
/// bytes, whatever the units' sizes (20 units of 27 MB each would
/// otherwise all be in one batch, several copies each).
const MAX_BYTES_IN_FLIGHT: usize = 64 << 20;

/// A message along the import's pipeline: parsed units to the preparing
/// thread, prepared ones to the storing thread.
enum Stage<U> {
    Units(Batch<U>),
    /// Everything was read: commit. Hanging up without it rolls back.
    Commit,
}

/// Units of one file, in file order.
struct Batch<U> {
    /// The file's position among the import's sources.
    file: usize,
    units: Vec<U>,
    /// Their size as [`unit_bytes`] counts it, returned to [`InFlight`]
    /// once stored.
    bytes: usize,
}

/// Bytes of unit text between parsing and storing, shared by the parsing
/// and the storing thread: the parser waits while too many are in flight.
#[derive(Default)]
struct InFlight {
    /// Bytes in flight, and whether the storing thread has stopped.
    state: std::sync::Mutex<(usize, bool)>,
    changed: std::sync::Condvar,
}

impl InFlight {
    /// Waits until `bytes` more may go (always when nothing is in
    /// flight); false when the storing thread has stopped.
    fn acquire(&self, bytes: usize) -> bool {
        let mut state = self.state.lock().unwrap_or_else(|e| e.into_inner());
        while !state.1 && state.0 > 0 && state.0 + bytes > MAX_BYTES_IN_FLIGHT {
            state = self.changed.wait(state).unwrap_or_else(|e| e.into_inner());
        }
        state.0 += bytes;
        !state.1
    }

    fn release(&self, bytes: usize) {
        let mut state = self.state.lock().unwrap_or_else(|e| e.into_inner());
        state.0 = state.0.saturating_sub(bytes);
        self.changed.notify_all();
    }

    fn stop(&self) {
        self.state.lock().unwrap_or_else(|e| e.into_inner()).1 = true;
        self.changed.notify_all();
    }
}

/// Roughly what a unit holds in memory: its strings' bytes.
fn unit_bytes(unit: &TranslationUnit) -> usize {
    let props =
        |props: &[crate::tmx::Prop]| props.iter().map(|p| p.kind.len() + p.value.len()).sum::<usize>();
    let notes = |notes: &[crate::tmx::Note]| notes.iter().map(|n| n.text.len()).sum::<usize>();
    64 + unit.attributes.iter().map(|(k, v)| k.len() + v.len()).sum::<usize>()
        + props(&unit.props)
        + notes(&unit.notes)
        + unit
            .variants
            .iter()
            .map(|v| 32 + v.seg.xml.len() + props(&v.props) + notes(&v.notes))
            .sum::<usize>()
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
    in_flight: &InFlight,
) -> Result<ImportReport, ReadStop> {
    let mut report = ImportReport::default();
    let send = |file: usize, units: Vec<TranslationUnit>, bytes: usize| -> Result<(), ReadStop> {
        if !in_flight.acquire(bytes) {
            return Err(ReadStop::StoreFailed);
        }
        sender.send(Stage::Units(Batch { file, units, bytes })).map_err(|_| ReadStop::StoreFailed)
    };
    for (file_number, source) in sources.into_iter().enumerate() {
        let mut reader =
            TmxReader::new(source.input, &source.name).map_err(|e| ReadStop::Failed(e.into()))?;
        let mut file = FileImport {
            name: source.name,
            imported: 0,
            already_present: 0,
            skipped: Vec::new(),
            skipped_total: 0,
            language_issues: Vec::new(),
        };
        let mut batch = Vec::with_capacity(BATCH_UNITS);
        let mut batch_bytes = 0;
        let mut position = 0;
        loop {
            let unit = match reader.next_unit() {
                Ok(Some(unit)) => unit,
                Ok(None) => break,
                Err(error) if options.skip_bad && error.is_unit_error() => {
                    position += 1;
                    file.skipped_total += 1;
                    if file.skipped.len() < KEPT_ERRORS {
                        file.skipped.push(error);
                    }
                    continue;
                }
                Err(error) => return Err(ReadStop::Failed(error.into())),
            };
            position += 1;
            file.language_issues.extend(language_issue(&unit, &missing_languages(&unit), position));
            file.language_issues.extend(oversized_issue(&unit, position));
            file.imported += 1;
            batch_bytes += unit_bytes(&unit);
            batch.push(unit);
            if batch.len() == BATCH_UNITS || batch_bytes >= BATCH_BYTES {
                // Units come back to be freed here, where they were
                // allocated: freeing memory of another thread is several
                // times slower, and this recycles the batch vectors.
                let mut spare = returned.try_recv().unwrap_or_else(|_| Vec::with_capacity(BATCH_UNITS));
                spare.clear();
                let full = std::mem::replace(&mut batch, spare);
                send(file_number, full, std::mem::take(&mut batch_bytes))?;
                returned.try_iter().for_each(drop);
            }
        }
        // Batches never span files, so the storing thread can count per
        // file.
        if !batch.is_empty() {
            send(file_number, batch, batch_bytes)?;
        }
        report.files.push(file);
    }
    Ok(report)
}

/// The preparing thread: match keys, encoded bodies and (with `index`) the
/// word index's terms for every unit,
/// passed on in the order they came. Stops early when the storing thread
/// hangs up (it failed), which the parsing thread then notices.
fn prepare_units(
    inbox: mpsc::Receiver<Stage<TranslationUnit>>,
    to_store: mpsc::SyncSender<Stage<PreparedUnit>>,
    to_reader: mpsc::Sender<Vec<TranslationUnit>>,
    languages: &LanguagePair,
    index: bool,
) {
    let prepare = |unit: &TranslationUnit| {
        let prepared = PreparedUnit::new(unit, None, languages);
        if index { prepared.with_index_terms() } else { prepared }
    };
    for message in inbox {
        let prepared = match message {
            Stage::Units(Batch { file, units, bytes }) => {
                let prepared = units.iter().map(prepare).collect();
                // The parsing thread frees them (it may have finished).
                let _ = to_reader.send(units);
                Stage::Units(Batch { file, units: prepared, bytes })
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
/// Returns how many units of each file the memory already held (not stored
/// unless `keep_duplicates`).
fn store_units(
    store: &mut dyn Store,
    receiver: mpsc::Receiver<Stage<PreparedUnit>>,
    index: bool,
    keep_duplicates: bool,
    in_flight: &InFlight,
) -> Result<Vec<usize>, MemoryError> {
    // However this thread ends, the parser must not wait for it.
    struct Stop<'a>(&'a InFlight);
    impl Drop for Stop<'_> {
        fn drop(&mut self) {
            self.0.stop();
        }
    }
    let _stop = Stop(in_flight);
    let mut already_present = Vec::new();
    let mut transaction = store.begin_write(index)?;
    for message in receiver {
        match message {
            Stage::Units(Batch { file, units, bytes }) => {
                let (stored, already) =
                    if keep_duplicates { (units, 0) } else { new_units(&mut *transaction, units)? };
                transaction.store(&stored)?;
                if already_present.len() <= file {
                    already_present.resize(file + 1, 0);
                }
                already_present[file] += already;
                drop(stored);
                in_flight.release(bytes);
            }
            Stage::Commit => {
                transaction.commit()?;
                return Ok(already_present);
            }
        }
    }
    // Hung up without `Commit`: dropping the transaction rolls it back.
    Ok(already_present)
}

/// The units of `units` the memory did not hold before this import, and
/// how many it did: one query per batch finds the stored units with the
/// same digests, and those are compared whole.
fn new_units(
    transaction: &mut dyn WriteTransaction,
    units: Vec<PreparedUnit>,
) -> Result<(Vec<PreparedUnit>, usize), MemoryError> {
    let mut digests: Vec<i64> = units.iter().map(|u| u.digest).collect();
    digests.sort_unstable();
    digests.dedup();
    let stored = transaction.units_with_digests(&digests)?;
    if stored.is_empty() {
        return Ok((units, 0));
    }
    let mut by_digest: HashMap<i64, Vec<TranslationUnit>> = HashMap::new();
    for unit in stored {
        by_digest.entry(undated_digest(&unit)).or_default().push(unit);
    }
    let total = units.len();
    let mut fresh = Vec::with_capacity(total);
    for unit in units {
        let held = by_digest.get(&unit.digest).is_some_and(|candidates| {
            // A body this build encoded always decodes; were it not to, the
            // unit is stored rather than lost.
            codec::decode(&unit.body).is_ok_and(|new| candidates.iter().any(|old| same_but_dates(old, &new)))
        });
        if !held {
            fresh.push(unit);
        }
    }
    let already = total - fresh.len();
    Ok((fresh, already))
}
