//! The byte layer under the TMX reader: detects the encoding (UTF-8, UTF-8
//! with BOM, UTF-16 LE/BE with BOM or by XML's `<?` signature), decodes it
//! to UTF-8 in fixed-size chunks (UTF-8 is only checked, not copied),
//! refuses characters XML 1.0 forbids, and keeps just enough history to
//! turn a byte offset into `line:column`.
//!
//! Memory stays constant: one raw chunk, one decoded chunk, and the bytes of
//! earlier chunks since the current token or unit began (bounded by the
//! reader's unit limit).

use std::io::{self, BufRead, Read};

use encoding_rs::{Decoder, DecoderResult, Encoding, UTF_8, UTF_16BE, UTF_16LE};

/// The longest single XML token (a run of text, a tag, a comment) the
/// reader accepts. A 1 MB segment is fine; a 20 MB one is almost certainly
/// not a sentence, and refusing it keeps memory bounded.
pub const MAX_TOKEN_BYTES: usize = 16 * 1024 * 1024;

const RAW_CHUNK: usize = 64 * 1024;

/// The encoding the input was detected to be in.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SourceEncoding {
    Utf8 { bom: bool },
    Utf16Le { bom: bool },
    Utf16Be { bom: bool },
}

impl SourceEncoding {
    pub fn is_utf16(self) -> bool {
        !matches!(self, SourceEncoding::Utf8 { .. })
    }

    fn encoding(self) -> &'static Encoding {
        match self {
            SourceEncoding::Utf8 { .. } => UTF_8,
            SourceEncoding::Utf16Le { .. } => UTF_16LE,
            SourceEncoding::Utf16Be { .. } => UTF_16BE,
        }
    }

    pub fn label(self) -> &'static str {
        match self {
            SourceEncoding::Utf8 { .. } => "UTF-8",
            SourceEncoding::Utf16Le { .. } => "UTF-16LE",
            SourceEncoding::Utf16Be { .. } => "UTF-16BE",
        }
    }
}

/// Why the byte stream stopped before its end.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum InputFault {
    Io(String),
    /// Bytes that are not valid in the detected encoding, at this offset of
    /// the original file.
    Malformed {
        offset: u64,
        encoding: &'static str,
    },
    /// A control character XML 1.0 does not allow anywhere in a document.
    ForbiddenChar(char),
    TokenTooLong,
}

impl std::fmt::Display for InputFault {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            InputFault::Io(message) => write!(f, "read error: {message}"),
            InputFault::Malformed { offset, encoding } => write!(
                f,
                "invalid {encoding} at byte offset {offset} (is the file in another encoding, \
                 e.g. Latin-1 or Windows-1256?)"
            ),
            InputFault::ForbiddenChar(c) => write!(
                f,
                "control character U+{:04X} is not allowed in XML (binary data or a corrupted file?)",
                u32::from(*c)
            ),
            InputFault::TokenTooLong => write!(
                f,
                "a single piece of text or markup is longer than {} MiB; refusing to read it",
                MAX_TOKEN_BYTES >> 20
            ),
        }
    }
}

/// A `BufRead` of the document decoded to UTF-8, with position bookkeeping.
pub struct DecodedInput<R> {
    inner: R,
    source: SourceEncoding,
    decoder: Decoder,
    raw: Vec<u8>,
    raw_len: usize,
    /// Raw bytes handed to the decoder so far (including the BOM).
    raw_offset: u64,
    inner_eof: bool,
    /// The decoder has seen the last input and must not be called again.
    finished: bool,
    decoded: Vec<u8>,
    decoded_start: usize,
    fault: Option<InputFault>,
    /// Decoded bytes consumed by the parser.
    consumed: u64,
    /// Where the token being parsed starts.
    mark: u64,
    /// An earlier offset the reader may still ask about (a unit's start).
    pin: Option<u64>,
    /// Where `decoded[0]` lies in the decoded document: the chunk itself
    /// is the history of its consumed bytes.
    chunk_start: u64,
    /// Consumed bytes of earlier chunks from `history_start` on (what the
    /// mark or the pin still needs), kept so that an offset can be turned
    /// into a line and column; the rest is folded into `history_line` and
    /// `history_column` when a chunk is retired.
    history: Vec<u8>,
    history_start: u64,
    history_line: u64,
    history_column: u64,
}

impl<R: Read> DecodedInput<R> {
    /// Sniffs the encoding from the first bytes (BOM, else the `<?` signature
    /// in UTF-16, else UTF-8).
    pub fn new(mut inner: R) -> io::Result<DecodedInput<R>> {
        let mut raw = vec![0u8; RAW_CHUNK];
        let mut raw_len = 0;
        let mut inner_eof = false;
        while raw_len < 4 {
            match inner.read(&mut raw[raw_len..]) {
                Ok(0) => {
                    inner_eof = true;
                    break;
                }
                Ok(n) => raw_len += n,
                Err(e) if e.kind() == io::ErrorKind::Interrupted => {}
                Err(e) => return Err(e),
            }
        }
        let head = &raw[..raw_len];
        let (source, bom_len) = if head.starts_with(&[0xEF, 0xBB, 0xBF]) {
            (SourceEncoding::Utf8 { bom: true }, 3)
        } else if head.starts_with(&[0xFF, 0xFE]) {
            (SourceEncoding::Utf16Le { bom: true }, 2)
        } else if head.starts_with(&[0xFE, 0xFF]) {
            (SourceEncoding::Utf16Be { bom: true }, 2)
        } else if head.starts_with(&[b'<', 0, b'?', 0]) {
            (SourceEncoding::Utf16Le { bom: false }, 0)
        } else if head.starts_with(&[0, b'<', 0, b'?']) {
            (SourceEncoding::Utf16Be { bom: false }, 0)
        } else {
            (SourceEncoding::Utf8 { bom: false }, 0)
        };
        raw.copy_within(bom_len..raw_len, 0);
        Ok(DecodedInput {
            inner,
            source,
            decoder: source.encoding().new_decoder_without_bom_handling(),
            raw,
            raw_len: raw_len - bom_len,
            raw_offset: bom_len as u64,
            inner_eof,
            finished: false,
            decoded: Vec::with_capacity(RAW_CHUNK * 2),
            decoded_start: 0,
            fault: None,
            consumed: 0,
            mark: 0,
            pin: None,
            chunk_start: 0,
            history: Vec::new(),
            history_start: 0,
            history_line: 1,
            history_column: 1,
        })
    }

    pub fn source_encoding(&self) -> SourceEncoding {
        self.source
    }

    /// The fault that ended the stream, once the parser has reached it.
    pub fn fault(&self) -> Option<&InputFault> {
        if self.decoded_start == self.decoded.len() { self.fault.as_ref() } else { None }
    }

    /// Decoded bytes consumed so far.
    pub fn consumed(&self) -> u64 {
        self.consumed
    }

    /// Starts a new token at the current offset. Positions before it (and
    /// before the pin) will not be asked for again.
    pub fn mark(&mut self) {
        self.mark = self.consumed;
    }

    /// Consumes XML whitespace up to the next other byte (or a fault, which
    /// the parser then meets); returns how many bytes it consumed.
    pub fn skip_whitespace(&mut self) -> u64 {
        let mut skipped = 0;
        loop {
            let Ok(available) = self.fill_buf() else { return skipped };
            let total = available.len();
            let count = available.iter().position(|&b| !is_xml_space(b)).unwrap_or(total);
            self.consume(count);
            skipped += count as u64;
            // Stop at the first other byte without asking for more.
            if count < total || total == 0 {
                return skipped;
            }
        }
    }

    /// Where the current token starts.
    pub fn mark_offset(&self) -> u64 {
        self.mark
    }

    /// Keeps positions from `offset` on resolvable (`None` releases).
    pub fn pin(&mut self, offset: Option<u64>) {
        self.pin = offset;
    }

    /// 1-based line and column (in characters) of a decoded byte offset.
    /// Offsets already folded away resolve to the oldest one kept.
    pub fn position_of(&self, offset: u64) -> (u64, u64) {
        let offset = offset.max(self.history_start);
        if offset <= self.chunk_start {
            let upto = ((offset - self.history_start) as usize).min(self.history.len());
            return advance(self.history_line, self.history_column, &self.history[..upto]);
        }
        let (line, column) = advance(self.history_line, self.history_column, &self.history);
        let upto = ((offset - self.chunk_start) as usize).min(self.decoded.len());
        advance(line, column, &self.decoded[..upto])
    }

    /// Before the decoded chunk is replaced (all of it consumed): keeps
    /// what the mark and the pin may still ask about, and folds the rest
    /// into the line and column where the history starts. Every byte is
    /// counted once here, in long slices, rather than copied per token.
    fn retire_chunk(&mut self) {
        let keep_from = self.pin.map_or(self.mark, |pin| pin.min(self.mark)).max(self.history_start);
        let chunk = &self.decoded[..self.decoded_start];
        let (fold_history, fold_chunk) = if keep_from >= self.chunk_start {
            (self.history.len(), (keep_from - self.chunk_start) as usize)
        } else {
            ((keep_from - self.history_start) as usize, 0)
        };
        let (line, column) = advance(self.history_line, self.history_column, &self.history[..fold_history]);
        let (line, column) = advance(line, column, &chunk[..fold_chunk]);
        self.history.drain(..fold_history);
        self.history.extend_from_slice(&chunk[fold_chunk..]);
        self.history_start = keep_from;
        self.history_line = line;
        self.history_column = column;
        self.chunk_start += chunk.len() as u64;
    }

    /// [`BufRead::fill_buf`] at the end of the decoded chunk.
    #[cold]
    #[inline(never)]
    fn next_chunk(&mut self) -> io::Result<()> {
        if let Some(fault) = &self.fault {
            return Err(io::Error::new(io::ErrorKind::InvalidData, fault.to_string()));
        }
        self.refill()?;
        match &self.fault {
            Some(fault) if self.decoded_start == self.decoded.len() => {
                Err(io::Error::new(io::ErrorKind::InvalidData, fault.to_string()))
            }
            _ => Ok(()),
        }
    }

    fn refill(&mut self) -> io::Result<()> {
        self.retire_chunk();
        loop {
            if self.finished {
                self.decoded.clear();
                self.decoded_start = 0;
                return Ok(());
            }
            if self.raw_len < self.raw.len() && !self.inner_eof {
                match self.inner.read(&mut self.raw[self.raw_len..]) {
                    Ok(0) => self.inner_eof = true,
                    Ok(n) => self.raw_len += n,
                    Err(e) if e.kind() == io::ErrorKind::Interrupted => continue,
                    Err(e) => {
                        self.fault = Some(InputFault::Io(e.to_string()));
                        return Err(e);
                    }
                }
            }
            let last = self.inner_eof;
            if let SourceEncoding::Utf8 { .. } = self.source {
                self.pass_utf8(last);
            } else {
                self.decode(last);
            }
            if let Some(at) = first_forbidden_control(&self.decoded) {
                // The control character comes before any malformed bytes
                // (those were not decoded), so it is the first fault.
                self.fault = Some(InputFault::ForbiddenChar(char::from(self.decoded[at])));
                self.decoded.truncate(at);
            }
            if !self.decoded.is_empty() || self.fault.is_some() || self.finished {
                return Ok(());
            }
        }
    }

    /// UTF-8 needs checking, not decoding: the checked bytes become the
    /// decoded chunk by swapping the two buffers, not by copying them.
    fn pass_utf8(&mut self, last: bool) {
        let (valid, malformed) = match simdutf8::compat::from_utf8(&self.raw[..self.raw_len]) {
            Ok(_) => (self.raw_len, false),
            // A character cut by the chunk's end: the rest comes next time.
            Err(e) if e.error_len().is_none() && !last => (e.valid_up_to(), false),
            Err(e) => (e.valid_up_to(), true),
        };
        std::mem::swap(&mut self.raw, &mut self.decoded);
        let cut = self.raw_len - valid;
        if self.raw.len() < RAW_CHUNK {
            self.raw.resize(RAW_CHUNK, 0);
        }
        self.raw[..cut].copy_from_slice(&self.decoded[valid..self.raw_len]);
        self.decoded.truncate(valid);
        self.decoded_start = 0;
        self.raw_len = cut;
        if malformed {
            self.fault =
                Some(InputFault::Malformed { offset: self.raw_offset + valid as u64, encoding: "UTF-8" });
        } else if last && cut == 0 {
            self.finished = true;
        }
        self.raw_offset += valid as u64;
    }

    /// UTF-16: decoded by encoding_rs into the decoded chunk.
    fn decode(&mut self, last: bool) {
        let capacity =
            self.decoder.max_utf8_buffer_length_without_replacement(self.raw_len).unwrap_or(RAW_CHUNK * 3);
        self.decoded.clear();
        self.decoded.resize(capacity, 0);
        self.decoded_start = 0;
        let (result, read, written) = self.decoder.decode_to_utf8_without_replacement(
            &self.raw[..self.raw_len],
            &mut self.decoded,
            last,
        );
        self.decoded.truncate(written);
        if last && read == self.raw_len && result == DecoderResult::InputEmpty {
            self.finished = true;
        }
        if let DecoderResult::Malformed(bad, after) = result {
            let offset = self.raw_offset + read as u64 - u64::from(bad) - u64::from(after);
            self.fault = Some(InputFault::Malformed { offset, encoding: self.source.label() });
        }
        self.raw.copy_within(read..self.raw_len, 0);
        self.raw_len -= read;
        self.raw_offset += read as u64;
    }
}

impl<R: Read> Read for DecodedInput<R> {
    fn read(&mut self, out: &mut [u8]) -> io::Result<usize> {
        let available = self.fill_buf()?;
        let n = available.len().min(out.len());
        out[..n].copy_from_slice(&available[..n]);
        self.consume(n);
        Ok(n)
    }
}

impl<R: Read> BufRead for DecodedInput<R> {
    // The parser calls these several times per event: the common case is
    // kept small enough to inline, the chunk's end apart.
    #[inline]
    fn fill_buf(&mut self) -> io::Result<&[u8]> {
        if self.decoded_start == self.decoded.len() {
            self.next_chunk()?;
        }
        Ok(&self.decoded[self.decoded_start..])
    }

    #[inline]
    fn consume(&mut self, amt: usize) {
        let amt = amt.min(self.decoded.len() - self.decoded_start);
        self.decoded_start += amt;
        self.consumed += amt as u64;
        if self.consumed - self.mark > MAX_TOKEN_BYTES as u64 && self.fault.is_none() {
            // `consume` cannot fail: drop what is buffered so the next
            // `fill_buf` reports the fault.
            self.fault = Some(InputFault::TokenTooLong);
            self.decoded.truncate(self.decoded_start);
            self.inner_eof = true;
            self.raw_len = 0;
        }
    }
}

/// XML's whitespace (the `S` production): space, tab, line feed, carriage
/// return.
pub(crate) fn is_xml_space(b: u8) -> bool {
    matches!(b, b' ' | b'\t' | b'\n' | b'\r')
}

/// The first control character XML 1.0 forbids (C0 other than tab, line
/// feed and carriage return); every decoded byte passes through here.
fn first_forbidden_control(bytes: &[u8]) -> Option<usize> {
    first_in_blocks::<64>(bytes, |b| b < 0x20 && !matches!(b, b'\t' | b'\n' | b'\r'))
}

/// The position of the first byte `matches`, for scans that run over every
/// byte of an import: blocks of `BLOCK` bytes are tested without a branch per
/// byte, so the compiler vectorizes them, and only the block with a match is
/// searched. `matches` should combine its tests with `|`, not `||`, for the
/// same reason. Long inputs want long blocks; segments (tens of bytes), 32.
pub(crate) fn first_in_blocks<const BLOCK: usize>(
    bytes: &[u8],
    matches: impl Fn(u8) -> bool,
) -> Option<usize> {
    let mut blocks = bytes.chunks_exact(BLOCK);
    let mut offset = 0;
    for block in &mut blocks {
        if block.iter().fold(false, |any, &b| any | matches(b)) {
            break;
        }
        offset += BLOCK;
    }
    bytes[offset..].iter().position(|&b| matches(b)).map(|at| offset + at)
}

/// Moves a line/column past `bytes` (UTF-8): lines count `\n`, columns count
/// characters.
fn advance(line: u64, column: u64, bytes: &[u8]) -> (u64, u64) {
    // Counted in byte-wide lanes, blocks short enough not to overflow one,
    // so that the count vectorizes.
    let newlines = bytes
        .chunks(255)
        .map(|block| u64::from(block.iter().fold(0u8, |n, &b| n + u8::from(b == b'\n'))))
        .sum::<u64>();
    let (tail, base_line, base_column) = match bytes.iter().rposition(|&b| b == b'\n') {
        Some(i) => (&bytes[i + 1..], line + newlines, 1),
        None => (bytes, line, column),
    };
    let chars = tail.iter().filter(|&&b| (b & 0xC0) != 0x80).count() as u64;
    (base_line, base_column + chars)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn decode_all(bytes: &[u8]) -> (Vec<u8>, Option<InputFault>) {
        let mut input = DecodedInput::new(bytes).unwrap();
        let mut out = Vec::new();
        let result = input.read_to_end(&mut out);
        (out, result.err().map(|_| input.fault.clone().unwrap()))
    }

    #[test]
    fn decodes_utf16_with_and_without_bom() {
        let text = "<?xml version=\"1.0\"?><seg>الرقة</seg>";
        let mut le = vec![0xFF, 0xFE];
        le.extend(text.encode_utf16().flat_map(u16::to_le_bytes));
        assert_eq!(decode_all(&le).0, text.as_bytes());
        let be: Vec<u8> = text.encode_utf16().flat_map(u16::to_be_bytes).collect();
        assert_eq!(decode_all(&be).0, text.as_bytes());
    }

    #[test]
    fn reports_malformed_utf8_offset_and_control_characters() {
        let (out, fault) = decode_all(b"<a>caf\xE9</a>");
        assert_eq!(out, b"<a>caf");
        assert_eq!(fault, Some(InputFault::Malformed { offset: 6, encoding: "UTF-8" }));
        let (out, fault) = decode_all(b"<a>x\0y</a>");
        assert_eq!(out, b"<a>x");
        assert_eq!(fault, Some(InputFault::ForbiddenChar('\0')));
    }

    /// Hands out its bytes a few at a time, so characters are cut between
    /// reads.
    struct Trickle<'a>(&'a [u8], usize);

    impl Read for Trickle<'_> {
        fn read(&mut self, out: &mut [u8]) -> io::Result<usize> {
            let n = self.0.len().min(self.1).min(out.len());
            out[..n].copy_from_slice(&self.0[..n]);
            self.0 = &self.0[n..];
            Ok(n)
        }
    }

    #[test]
    fn utf8_characters_cut_between_reads_and_chunks_pass_whole() {
        // 3 bytes ("ﻻ"), 2 ("ر") and 4 ("𝑥"): cut at every offset by
        // 5-byte reads, and across the 64 KiB chunks.
        let text = "<seg>ﻻ الرقة 𝑥</seg>\n".repeat(4000);
        for step in [5, 7, RAW_CHUNK] {
            let mut input = DecodedInput::new(Trickle(text.as_bytes(), step)).unwrap();
            let mut out = Vec::new();
            input.read_to_end(&mut out).unwrap();
            assert!(out == text.as_bytes(), "read {step} bytes at a time");
        }
    }

    #[test]
    fn malformed_utf8_far_into_the_file_has_its_offset() {
        let mut bytes = "الرقة\n".repeat(20_000).into_bytes();
        let at = bytes.len() - 5; // past the first chunks, on a character start
        bytes[at] = 0xFF;
        let mut input = DecodedInput::new(Trickle(&bytes, 4096)).unwrap();
        let mut out = Vec::new();
        assert!(input.read_to_end(&mut out).is_err());
        assert_eq!(out, &bytes[..at]);
        assert_eq!(input.fault, Some(InputFault::Malformed { offset: at as u64, encoding: "UTF-8" }));
        // A file that ends inside a character is malformed there too.
        let cut = "الرقة".as_bytes();
        let (out, fault) = decode_all(&cut[..cut.len() - 1]);
        assert_eq!(out, &cut[..cut.len() - 2]);
        assert_eq!(fault, Some(InputFault::Malformed { offset: cut.len() as u64 - 2, encoding: "UTF-8" }));
    }

    #[test]
    fn positions_stay_right_across_chunks_with_and_without_a_pin() {
        let text: String = (0..12_000).map(|i| format!("سطر {i}: الرقة{}\n", "ـ".repeat(i % 7))).collect();
        let bytes = text.as_bytes();
        let expected = |offset: usize| advance(1, 1, &bytes[..offset]);
        let mut input = DecodedInput::new(Trickle(bytes, 5000)).unwrap();
        let mut pinned = None;
        let mut step = 0;
        loop {
            // A token (marked at its start) of up to 40 reads, so that
            // many span a chunk's end; as the reader does with a unit's
            // start, some token starts are pinned for the next tokens.
            input.mark();
            let mark = input.mark_offset();
            if step % 7 == 0 {
                pinned = Some(mark);
                input.pin(pinned);
            } else if step % 7 == 4 {
                pinned = None;
                input.pin(None);
            }
            for _ in 0..=step % 40 {
                let available = input.fill_buf().unwrap().len();
                input.consume(available.min(37 + step % 50));
                let now = input.consumed();
                for offset in [Some(mark), Some(now), pinned].into_iter().flatten() {
                    assert_eq!(input.position_of(offset), expected(offset as usize), "offset {offset}");
                }
            }
            step += 1;
            if input.fill_buf().unwrap().is_empty() {
                break;
            }
        }
        assert!(step > 200 && text.len() > 4 * RAW_CHUNK);
    }

    #[test]
    fn finds_the_first_forbidden_control_anywhere() {
        let mut bytes = "الرقة\t\r\n".repeat(40).into_bytes();
        assert_eq!(first_forbidden_control(&bytes), None);
        for at in [0, 1, 63, 64, 65, 200, bytes.len() - 1] {
            let saved = bytes[at];
            bytes[at] = 0x1F;
            assert_eq!(first_forbidden_control(&bytes), Some(at));
            bytes[at] = saved;
        }
    }

    #[test]
    fn positions_count_lines_and_characters() {
        let long = "سطر\n".repeat(100) + "ab";
        assert_eq!(advance(1, 1, long.as_bytes()), (101, 3));
        assert_eq!(advance(1, 1, "ab\nالر".as_bytes()), (2, 4));
        assert_eq!(advance(3, 5, b"xy"), (3, 7));
    }
}
