//! Reading user text files and writing output files safely.
//!
//! Owns: decoding input (UTF-8, UTF-8 with BOM, UTF-16 LE/BE with BOM, `-`
//! for stdin) with errors that name the file and byte offset, and atomic
//! output (write a temporary file beside the target, then rename), so that a
//! failed run never leaves a half-written file in place of a good one.

use std::io::{Read, Write};
use std::path::{Path, PathBuf};

/// Why a text input could not be read.
#[derive(Debug, thiserror::Error)]
pub enum InputError {
    // The cause is part of the message (not a `#[source]`), so that reports
    // with `{:#}` print it once.
    #[error("{path}: {error}")]
    Io { path: String, error: std::io::Error },
    #[error("{path}: is a directory, expected a text file")]
    IsDirectory { path: String },
    #[error("{path}: invalid UTF-8 at byte offset {offset} ({hint})")]
    InvalidUtf8 { path: String, offset: usize, hint: &'static str },
    #[error(
        "{path}: this is {kind}, not plain text; open it and save it as plain text (UTF-8), e.g. \"Save as… Plain Text (.txt)\""
    )]
    NotText { path: String, kind: &'static str },
    #[error("{path}: invalid UTF-16 at byte offset {offset}")]
    InvalidUtf16 { path: String, offset: usize },
    #[error("{path}: looks like a binary file (NUL byte at offset {offset}), expected text")]
    Binary { path: String, offset: usize },
}

/// A decoded text input.
#[derive(Debug, Clone)]
pub struct TextInput {
    /// What to call the input in messages: the path, or `<stdin>`.
    pub name: String,
    /// The text as decoded to UTF-8, BOM removed, line endings as they were.
    pub text: String,
}

/// Reads `path` (`-` = stdin) as text.
pub fn read_text(path: &Path) -> Result<TextInput, InputError> {
    let name = display_name(path);
    let bytes = read_bytes(path)?;
    let text = decode_text(&bytes, &name)?;
    Ok(TextInput { name, text })
}

/// The raw bytes of `path` (`-` = stdin), with file-naming errors.
pub fn read_bytes(path: &Path) -> Result<Vec<u8>, InputError> {
    let name = display_name(path);
    let io = |error| InputError::Io { path: name.clone(), error };
    if path == Path::new("-") {
        let mut buf = Vec::new();
        std::io::stdin().read_to_end(&mut buf).map_err(io)?;
        return Ok(buf);
    }
    if path.is_dir() {
        return Err(InputError::IsDirectory { path: name });
    }
    std::fs::read(path).map_err(io)
}

/// How a path is named in messages.
pub fn display_name(path: &Path) -> String {
    if path == Path::new("-") { "<stdin>".to_string() } else { path.display().to_string() }
}

/// Decodes bytes: UTF-16 LE/BE when they start with its BOM (or, without
/// one, when NUL bytes fall on one side of every pair, as in UTF-16 text),
/// otherwise UTF-8 (a UTF-8 BOM is skipped). Word, PDF, ZIP and image files
/// are named as such; text with NUL bytes is rejected as binary; invalid
/// UTF-8 that reads as Windows-1256 Arabic gets the `iconv` command.
///
/// Line ends are kept as written, except a lone CR (old Mac files), which
/// becomes LF: otherwise paragraphs would be glued together and a title lost.
pub fn decode_text(bytes: &[u8], name: &str) -> Result<String, InputError> {
    decode(bytes, name).map(|text| if text.contains('\r') { lone_cr_to_lf(&text) } else { text })
}

fn decode(bytes: &[u8], name: &str) -> Result<String, InputError> {
    if let Some(rest) = bytes.strip_prefix(&[0xFF, 0xFE]) {
        return decode_utf16(rest, 2, name, u16::from_le_bytes);
    }
    if let Some(rest) = bytes.strip_prefix(&[0xFE, 0xFF]) {
        return decode_utf16(rest, 2, name, u16::from_be_bytes);
    }
    if let Some(kind) = binary_format(bytes, name) {
        return Err(InputError::NotText { path: name.to_string(), kind });
    }
    if let Some(little_endian) = looks_like_utf16(bytes) {
        let unit = if little_endian { u16::from_le_bytes } else { u16::from_be_bytes };
        return decode_utf16(bytes, 0, name, unit);
    }
    let (body, bom) = match bytes.strip_prefix(&[0xEF, 0xBB, 0xBF]) {
        Some(rest) => (rest, 3),
        None => (bytes, 0),
    };
    let text = std::str::from_utf8(body).map_err(|e| InputError::InvalidUtf8 {
        path: name.to_string(),
        offset: bom + e.valid_up_to(),
        hint: if looks_like_windows_1256(body) {
            "it looks like Windows-1256 Arabic: convert it with `iconv -f CP1256 -t UTF-8 FILE > FILE.utf8.txt`"
        } else {
            "is the file in another encoding? save it as UTF-8"
        },
    })?;
    if let Some(offset) = text.find('\0') {
        return Err(InputError::Binary { path: name.to_string(), offset: bom + offset });
    }
    Ok(text.to_string())
}

/// Formats people give by mistake for a text file, by their magic bytes.
fn binary_format(bytes: &[u8], name: &str) -> Option<&'static str> {
    let lower = name.to_ascii_lowercase();
    let office =
        |kind| if lower.ends_with(".docx") || lower.ends_with(".doc") { "a Word document" } else { kind };
    if bytes.starts_with(b"%PDF") {
        Some("a PDF file")
    } else if bytes.starts_with(b"PK\x03\x04") {
        Some(if lower.ends_with(".odt") {
            "an OpenDocument text"
        } else {
            office("a ZIP archive (or Word .docx)")
        })
    } else if bytes.starts_with(&[0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1]) {
        Some(office("an Office document (Word .doc)"))
    } else if bytes.starts_with(b"{\\rtf") {
        Some("an RTF document")
    } else if bytes.starts_with(b"\x89PNG")
        || bytes.starts_with(&[0xFF, 0xD8, 0xFF])
        || bytes.starts_with(b"GIF8")
    {
        Some("an image")
    } else {
        None
    }
}

/// UTF-16 without a byte-order mark: an even length, and the NUL bytes
/// (spaces, digits and Latin letters have a zero high byte) on one side of
/// the pairs only. `Some(true)` for little-endian.
fn looks_like_utf16(bytes: &[u8]) -> Option<bool> {
    if bytes.len() < 4 || !bytes.len().is_multiple_of(2) {
        return None;
    }
    let sample = &bytes[..bytes.len().min(1 << 16)];
    let (mut even, mut odd) = (0usize, 0usize);
    for (i, &b) in sample.iter().enumerate() {
        if b == 0 {
            if i % 2 == 0 { even += 1 } else { odd += 1 }
        }
    }
    let pairs = sample.len() / 2;
    // At least four units, and one in eight, with a NUL half, and never a
    // NUL on the other side.
    match (even, odd) {
        (0, n) if n >= 4 && n * 8 >= pairs => Some(true),
        (n, 0) if n >= 4 && n * 8 >= pairs => Some(false),
        _ => None,
    }
}

/// Invalid UTF-8 whose high bytes decode, as Windows-1256, mostly to Arabic
/// letters.
fn looks_like_windows_1256(bytes: &[u8]) -> bool {
    let (text, _, _) = encoding_rs::WINDOWS_1256.decode(&bytes[..bytes.len().min(1 << 16)]);
    let counts = crate::lang::ScriptCounts::of(&text);
    counts.arabic >= 4 && counts.mostly_arabic()
}

/// Lone CRs (not followed by LF) as LF.
fn lone_cr_to_lf(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut chars = text.chars().peekable();
    while let Some(c) = chars.next() {
        if c == '\r' && chars.peek() != Some(&'\n') {
            out.push('\n');
        } else {
            out.push(c);
        }
    }
    out
}

fn decode_utf16(body: &[u8], bom: usize, name: &str, unit: fn([u8; 2]) -> u16) -> Result<String, InputError> {
    if !body.len().is_multiple_of(2) {
        return Err(InputError::InvalidUtf16 { path: name.to_string(), offset: bom + body.len() - 1 });
    }
    let units = body.chunks_exact(2).map(|pair| unit([pair[0], pair[1]]));
    let mut text = String::with_capacity(body.len());
    for (i, decoded) in char::decode_utf16(units).enumerate() {
        match decoded {
            Ok('\0') => return Err(InputError::Binary { path: name.to_string(), offset: bom + 2 * i }),
            Ok(c) => text.push(c),
            // `i` counts decoded items, which equals units before the first error.
            Err(_) => return Err(InputError::InvalidUtf16 { path: name.to_string(), offset: bom + 2 * i }),
        }
    }
    Ok(text)
}

/// Why an output file could not be written.
#[derive(Debug, thiserror::Error)]
#[error("cannot write {path}: {error}")]
pub struct OutputError {
    pub path: String,
    pub error: std::io::Error,
}

/// Writes `contents` to `path` atomically: a temporary file in the same
/// directory, flushed and synced, then renamed over `path`. `-` writes to
/// stdout. On any error `path` is untouched.
pub fn write_atomic(path: &Path, contents: &[u8]) -> Result<(), OutputError> {
    write_atomic_with(path, |out| out.write_all(contents))
}

/// Like [`write_atomic`], with the contents produced by a writer callback
/// (for large outputs streamed from the memory).
pub fn write_atomic_with(
    path: &Path,
    produce: impl FnOnce(&mut dyn Write) -> std::io::Result<()>,
) -> Result<(), OutputError> {
    let err = |error| OutputError { path: display_name(path), error };
    if path == Path::new("-") {
        let stdout = std::io::stdout();
        let mut lock = stdout.lock();
        produce(&mut lock).map_err(err)?;
        return lock.flush().map_err(err);
    }
    let dir: PathBuf = match path.parent() {
        Some(p) if !p.as_os_str().is_empty() => p.to_path_buf(),
        _ => PathBuf::from("."),
    };
    let mut tmp = temp_file_in(&dir).map_err(err)?;
    {
        let mut buffered = std::io::BufWriter::new(tmp.as_file_mut());
        produce(&mut buffered).map_err(err)?;
        buffered.flush().map_err(err)?;
    }
    tmp.as_file().sync_all().map_err(err)?;
    tmp.persist(path).map_err(|e| err(e.error))?;
    Ok(())
}

/// A temporary file in `dir` for output that is renamed into place when
/// complete (deleted if dropped). Its name, `.dragoman-PID-XXXXXX.tmp`, says
/// which process made it, so a later run can remove the ones a killed
/// process left behind ([`remove_stale_temp_files`], called here first).
/// It gets the usual permissions of a new file (0666 less the umask), not
/// tempfile's 0600: it becomes a published edition or an export.
pub fn temp_file_in(dir: &Path) -> std::io::Result<tempfile::NamedTempFile> {
    remove_stale_temp_files(dir);
    let mut builder = tempfile::Builder::new();
    let prefix = format!("{TEMP_PREFIX}{}-", std::process::id());
    builder.prefix(&prefix).suffix(".tmp");
    #[cfg(unix)]
    builder.permissions(std::os::unix::fs::PermissionsExt::from_mode(0o666));
    builder.tempfile_in(dir)
}

const TEMP_PREFIX: &str = ".dragoman-";

/// Removes `.dragoman-PID-*.tmp` files in `dir` whose process is gone (a
/// run killed mid-write): without this, every killed export would leave a
/// copy of the memory behind forever. Only where a process's liveness can
/// be seen (`/proc`); errors are ignored, as the files are only leftovers.
pub fn remove_stale_temp_files(dir: &Path) {
    let proc = Path::new("/proc/self");
    if !proc.exists() {
        return;
    }
    let Ok(entries) = std::fs::read_dir(dir) else { return };
    for entry in entries.flatten() {
        let name = entry.file_name();
        let Some(name) = name.to_str() else { continue };
        let Some(pid) = name
            .strip_prefix(TEMP_PREFIX)
            .filter(|rest| rest.ends_with(".tmp"))
            .and_then(|rest| rest.split('-').next())
            .and_then(|pid| pid.parse::<u32>().ok())
        else {
            continue;
        };
        if pid != std::process::id() && !Path::new(&format!("/proc/{pid}")).exists() {
            let _ = std::fs::remove_file(entry.path());
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn decodes_boms_and_reports_bad_bytes() {
        assert_eq!(decode_text("\u{FEFF}الرقة".as_bytes(), "x").unwrap(), "الرقة");
        let le: Vec<u8> =
            [0xFF, 0xFE].into_iter().chain("رقة\r\n".encode_utf16().flat_map(|u| u.to_le_bytes())).collect();
        assert_eq!(decode_text(&le, "x").unwrap(), "رقة\r\n");
        let be: Vec<u8> =
            [0xFE, 0xFF].into_iter().chain("ok".encode_utf16().flat_map(|u| u.to_be_bytes())).collect();
        assert_eq!(decode_text(&be, "x").unwrap(), "ok");
        let bad = [b'a', b'b', 0xC3, b'('];
        match decode_text(&bad, "f.txt") {
            Err(e @ InputError::InvalidUtf8 { offset: 2, .. }) => {
                assert!(e.to_string().contains("f.txt: invalid UTF-8 at byte offset 2"))
            }
            other => panic!("unexpected {other:?}"),
        }
        assert!(matches!(decode_text(b"ab\0c", "x"), Err(InputError::Binary { offset: 2, .. })));
    }

    #[test]
    fn names_office_pdf_zip_and_image_files_instead_of_a_byte_offset() {
        let cases: [(&[u8], &str, &str); 5] = [
            (b"%PDF-1.7\n%\xe2\xe3", "article.pdf", "a PDF file"),
            (b"PK\x03\x04\x14\x00\x06\x00", "article.docx", "a Word document"),
            (&[0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1, 0], "article.doc", "a Word document"),
            (b"\x89PNG\r\n\x1a\n", "scan.png", "an image"),
            (b"PK\x03\x04rest", "bundle.zip", "a ZIP archive"),
        ];
        for (bytes, name, kind) in cases {
            let message = decode_text(bytes, name).unwrap_err().to_string();
            assert!(message.starts_with(&format!("{name}: this is {kind}")), "{message}");
            assert!(message.contains("save it as plain text (UTF-8)"), "{message}");
        }
    }

    #[test]
    fn reads_utf16_without_a_byte_order_mark() {
        let text = "الرقة تذبح بصمت. Raqqa 2017.\n";
        let le: Vec<u8> = text.encode_utf16().flat_map(|u| u.to_le_bytes()).collect();
        let be: Vec<u8> = text.encode_utf16().flat_map(|u| u.to_be_bytes()).collect();
        assert_eq!(decode_text(&le, "x").unwrap(), text);
        assert_eq!(decode_text(&be, "x").unwrap(), text);
        // A NUL in UTF-8 text is still binary, not UTF-16.
        assert!(matches!(decode_text(b"ab\0cdefgh", "x"), Err(InputError::Binary { offset: 2, .. })));
    }

    #[test]
    fn windows_1256_gets_the_iconv_hint() {
        let (bytes, _, _) = encoding_rs::WINDOWS_1256.encode("قال مسؤول في الرقة إن المعارك مستمرة.");
        let message = decode_text(&bytes, "news.txt").unwrap_err().to_string();
        assert!(
            message.contains("Windows-1256") && message.contains("iconv -f CP1256 -t UTF-8"),
            "{message}"
        );
        let latin1 = decode_text(b"caf\xe9 cr\xe8me", "menu.txt").unwrap_err().to_string();
        assert!(!latin1.contains("Windows-1256"), "{latin1}");
    }

    #[test]
    fn old_mac_line_ends_become_line_feeds_and_crlf_stays() {
        assert_eq!(
            decode_text("عنوان\r\rفقرة أولى.\rسطر".as_bytes(), "x").unwrap(),
            "عنوان\n\nفقرة أولى.\nسطر"
        );
        assert_eq!(decode_text(b"a\r\n\r\nb\r\n", "x").unwrap(), "a\r\n\r\nb\r\n");
    }

    #[test]
    fn temp_files_of_dead_processes_are_removed_and_live_ones_kept() {
        let dir = tempfile::tempdir().unwrap();
        // No process has pid 4,000,000,000 (Linux's maximum is 2^22).
        let stale = dir.path().join(".dragoman-4000000000-abc123.tmp");
        let live = dir.path().join(format!(".dragoman-{}-def456.tmp", std::process::id()));
        let other = dir.path().join(".dragoman-notes.tmp");
        for path in [&stale, &live, &other] {
            std::fs::write(path, "x").unwrap();
        }
        write_atomic(&dir.path().join("out.txt"), b"ok").unwrap();
        assert_eq!(stale.exists(), !Path::new("/proc/self").exists(), "a dead process's file goes");
        assert!(live.exists() && other.exists(), "a live process's file and foreign names stay");
    }

    #[test]
    fn atomic_write_replaces_whole_file() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("out.txt");
        write_atomic(&path, b"first").unwrap();
        write_atomic(&path, "ثاني".as_bytes()).unwrap();
        assert_eq!(std::fs::read_to_string(&path).unwrap(), "ثاني");
        let failed = write_atomic_with(&path, |_| Err(std::io::Error::other("boom")));
        assert!(failed.is_err());
        assert_eq!(std::fs::read_to_string(&path).unwrap(), "ثاني");
        assert_eq!(std::fs::read_dir(dir.path()).unwrap().count(), 1, "no temp file left behind");
    }
}
