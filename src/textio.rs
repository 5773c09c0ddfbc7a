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
    #[error("{path}: invalid UTF-8 at byte offset {offset} (is the file in another encoding?)")]
    InvalidUtf8 { path: String, offset: usize },
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

/// Decodes bytes: UTF-16 LE/BE when they start with its BOM, otherwise
/// UTF-8 (a UTF-8 BOM is skipped). Text with NUL bytes is rejected as binary.
pub fn decode_text(bytes: &[u8], name: &str) -> Result<String, InputError> {
    if let Some(rest) = bytes.strip_prefix(&[0xFF, 0xFE]) {
        return decode_utf16(rest, name, u16::from_le_bytes);
    }
    if let Some(rest) = bytes.strip_prefix(&[0xFE, 0xFF]) {
        return decode_utf16(rest, name, u16::from_be_bytes);
    }
    let (body, bom) = match bytes.strip_prefix(&[0xEF, 0xBB, 0xBF]) {
        Some(rest) => (rest, 3),
        None => (bytes, 0),
    };
    let text = std::str::from_utf8(body)
        .map_err(|e| InputError::InvalidUtf8 { path: name.to_string(), offset: bom + e.valid_up_to() })?;
    if let Some(offset) = text.find('\0') {
        return Err(InputError::Binary { path: name.to_string(), offset: bom + offset });
    }
    Ok(text.to_string())
}

fn decode_utf16(body: &[u8], name: &str, unit: fn([u8; 2]) -> u16) -> Result<String, InputError> {
    if !body.len().is_multiple_of(2) {
        return Err(InputError::InvalidUtf16 { path: name.to_string(), offset: 2 + body.len() - 1 });
    }
    let units = body.chunks_exact(2).map(|pair| unit([pair[0], pair[1]]));
    let mut text = String::with_capacity(body.len());
    for (i, decoded) in char::decode_utf16(units).enumerate() {
        match decoded {
            Ok('\0') => return Err(InputError::Binary { path: name.to_string(), offset: 2 + 2 * i }),
            Ok(c) => text.push(c),
            // `i` counts decoded items, which equals units before the first error.
            Err(_) => return Err(InputError::InvalidUtf16 { path: name.to_string(), offset: 2 + 2 * i }),
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
    let mut builder = tempfile::Builder::new();
    builder.prefix(".dragoman-").suffix(".tmp");
    // tempfile creates 0600 files; outputs (published editions, exports)
    // get the usual permissions of a new file, 0666 less the umask.
    #[cfg(unix)]
    builder.permissions(std::os::unix::fs::PermissionsExt::from_mode(0o666));
    let mut tmp = builder.tempfile_in(&dir).map_err(err)?;
    {
        let mut buffered = std::io::BufWriter::new(tmp.as_file_mut());
        produce(&mut buffered).map_err(err)?;
        buffered.flush().map_err(err)?;
    }
    tmp.as_file().sync_all().map_err(err)?;
    tmp.persist(path).map_err(|e| err(e.error))?;
    Ok(())
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
