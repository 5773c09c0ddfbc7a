//! The stored form of a unit body: a compact binary encoding of a
//! [`TranslationUnit`].
//!
//! Every string is a varint byte length followed by its UTF-8 bytes; an
//! optional string stores length + 1, with 0 for `None`; a list stores its
//! count first. The body starts with [`FORMAT`], so a later encoding can be
//! told apart. Compared with the JSON bodies of schema version 1 (still
//! read, see [`super::Memory`]), this is about half the size for short
//! sentences and costs next to nothing to write, which is most of what an
//! import writes to disk (twice, through the write-ahead log).
//!
//! Decoding never trusts the bytes: a truncated or corrupted body is an
//! error, never a panic or an unbounded allocation.

use crate::tmx::{Note, Prop, SegContent, TranslationUnit, Variant};

/// The first byte of a body in this encoding.
const FORMAT: u8 = 1;

/// Appends the encoding of `unit` to `out`.
pub(crate) fn encode(unit: &TranslationUnit, out: &mut Vec<u8>) {
    out.push(FORMAT);
    put_option(out, unit.tuid.as_deref());
    put_attributes(out, &unit.attributes);
    put_props(out, &unit.props);
    put_notes(out, &unit.notes);
    write_varint(out, unit.variants.len() as u64);
    for variant in &unit.variants {
        put_str(out, &variant.lang);
        put_attributes(out, &variant.attributes);
        put_props(out, &variant.props);
        put_notes(out, &variant.notes);
        put_str(out, &variant.seg.xml);
    }
}

/// [`decode`] of the body of stored unit `id` of memory `memory` (its name
/// in messages): a body that does not decode is the memory's damage, the
/// one error every backend reports for it.
pub(crate) fn decode_stored(
    memory: &str,
    id: i64,
    body: &[u8],
) -> Result<TranslationUnit, super::MemoryError> {
    decode(body).map_err(|reason| super::MemoryError::CorruptUnit {
        path: memory.to_string(),
        unit: id,
        reason,
    })
}

/// Decodes a body written by [`encode`].
pub(crate) fn decode(bytes: &[u8]) -> Result<TranslationUnit, String> {
    let mut input = Input { bytes, at: 0 };
    match input.byte()? {
        FORMAT => {}
        other => return Err(format!("unknown body format {other}")),
    }
    let tuid = input.option()?;
    let attributes = input.attributes()?;
    let props = input.props()?;
    let notes = input.notes()?;
    let variants = input.list(|input| {
        Ok(Variant {
            lang: input.string()?,
            attributes: input.attributes()?,
            props: input.props()?,
            notes: input.notes()?,
            seg: SegContent { xml: input.string()? },
        })
    })?;
    if input.at != bytes.len() {
        return Err(format!("{} trailing bytes", bytes.len() - input.at));
    }
    Ok(TranslationUnit { tuid, attributes, props, notes, variants })
}

/// Appends `value` as a varint: 7 bits a byte, low bits first, the high bit
/// set on every byte but the last (LEB128). The one varint of the memory's
/// stored formats: unit bodies here, posting lists in [`super::index`].
pub(crate) fn write_varint(out: &mut Vec<u8>, mut value: u64) {
    while value >= 0x80 {
        out.push((value as u8) | 0x80);
        value >>= 7;
    }
    out.push(value as u8);
}

/// Reads a varint written by [`write_varint`] from the start of `bytes`:
/// its value and the bytes after it. `None` when `bytes` ends inside it or
/// it runs past 10 bytes (more than a `u64` holds).
pub(crate) fn read_varint(bytes: &[u8]) -> Option<(u64, &[u8])> {
    let mut value = 0u64;
    for (i, &byte) in bytes.iter().enumerate().take(10) {
        value |= u64::from(byte & 0x7f) << (7 * i);
        if byte & 0x80 == 0 {
            return Some((value, &bytes[i + 1..]));
        }
    }
    None
}

fn put_str(out: &mut Vec<u8>, text: &str) {
    write_varint(out, text.len() as u64);
    out.extend_from_slice(text.as_bytes());
}

fn put_option(out: &mut Vec<u8>, text: Option<&str>) {
    match text {
        None => out.push(0),
        Some(text) => {
            write_varint(out, text.len() as u64 + 1);
            out.extend_from_slice(text.as_bytes());
        }
    }
}

fn put_attributes(out: &mut Vec<u8>, attributes: &[(String, String)]) {
    write_varint(out, attributes.len() as u64);
    for (name, value) in attributes {
        put_str(out, name);
        put_str(out, value);
    }
}

fn put_props(out: &mut Vec<u8>, props: &[Prop]) {
    write_varint(out, props.len() as u64);
    for prop in props {
        put_str(out, &prop.kind);
        put_option(out, prop.lang.as_deref());
        put_str(out, &prop.value);
    }
}

fn put_notes(out: &mut Vec<u8>, notes: &[Note]) {
    write_varint(out, notes.len() as u64);
    for note in notes {
        put_option(out, note.lang.as_deref());
        put_str(out, &note.text);
    }
}

struct Input<'a> {
    bytes: &'a [u8],
    at: usize,
}

impl Input<'_> {
    fn byte(&mut self) -> Result<u8, String> {
        let byte = *self.bytes.get(self.at).ok_or("truncated body")?;
        self.at += 1;
        Ok(byte)
    }

    fn varint(&mut self) -> Result<u64, String> {
        let left = &self.bytes[self.at..];
        match read_varint(left) {
            Some((value, rest)) => {
                self.at = self.bytes.len() - rest.len();
                Ok(value)
            }
            // Fewer than 10 bytes, all continued: the body ends inside it.
            None if left.len() < 10 => Err("truncated body".to_string()),
            None => Err("bad length in body".to_string()),
        }
    }

    /// A length or count, which cannot exceed the bytes left (every counted
    /// item takes at least one byte), so a corrupt count cannot make
    /// decoding allocate more than the body's size.
    fn length(&mut self) -> Result<usize, String> {
        let value = self.varint()?;
        let left = (self.bytes.len() - self.at) as u64;
        if value > left {
            return Err("truncated body".to_string());
        }
        Ok(value as usize)
    }

    fn text(&mut self, len: usize) -> Result<String, String> {
        let raw = &self.bytes[self.at..self.at + len];
        self.at += len;
        std::str::from_utf8(raw).map(str::to_string).map_err(|e| format!("invalid UTF-8 in body: {e}"))
    }

    fn string(&mut self) -> Result<String, String> {
        let len = self.length()?;
        self.text(len)
    }

    fn option(&mut self) -> Result<Option<String>, String> {
        match self.varint()? {
            0 => Ok(None),
            n => {
                let len = usize::try_from(n - 1).map_err(|e| e.to_string())?;
                if len > self.bytes.len() - self.at {
                    return Err("truncated body".to_string());
                }
                self.text(len).map(Some)
            }
        }
    }

    fn list<T>(&mut self, mut item: impl FnMut(&mut Self) -> Result<T, String>) -> Result<Vec<T>, String> {
        let count = self.length()?;
        let mut items = Vec::with_capacity(count);
        for _ in 0..count {
            items.push(item(self)?);
        }
        Ok(items)
    }

    fn attributes(&mut self) -> Result<Vec<(String, String)>, String> {
        self.list(|input| Ok((input.string()?, input.string()?)))
    }

    fn props(&mut self) -> Result<Vec<Prop>, String> {
        self.list(|input| Ok(Prop { kind: input.string()?, lang: input.option()?, value: input.string()? }))
    }

    fn notes(&mut self) -> Result<Vec<Note>, String> {
        self.list(|input| Ok(Note { lang: input.option()?, text: input.string()? }))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn full_unit() -> TranslationUnit {
        TranslationUnit {
            tuid: Some("raqqa:7".to_string()),
            attributes: vec![
                ("creationdate".to_string(), "20170609T134647Z".to_string()),
                ("usagecount".to_string(), "3".to_string()),
            ],
            props: vec![
                Prop { kind: "x-document".to_string(), lang: None, value: "raqqa-2017".to_string() },
                Prop { kind: "x-note".to_string(), lang: Some("ar".to_string()), value: String::new() },
            ],
            notes: vec![Note { lang: Some("en".to_string()), text: "checked\nby desk".to_string() }],
            variants: vec![
                Variant {
                    lang: "AR-sy".to_string(),
                    attributes: vec![("changeid".to_string(), "سارة".to_string())],
                    props: Vec::new(),
                    notes: vec![Note { lang: None, text: "ملاحظة".to_string() }],
                    seg: SegContent {
                        xml: "قال <bpt i=\"1\">&lt;b&gt;</bpt>الناشط<ept i=\"1\">&lt;/b&gt;</ept>"
                            .to_string(),
                    },
                },
                Variant::from_text("en", "The activist said & left"),
            ],
        }
    }

    #[test]
    fn varints_are_leb128() {
        // Unit bodies and posting lists on disk hold these bytes: never change them.
        let cases: [(u64, &[u8]); 7] = [
            (0, &[0x00]),
            (1, &[0x01]),
            (127, &[0x7f]),
            (128, &[0x80, 0x01]),
            (300, &[0xac, 0x02]),
            (1 << 35, &[0x80, 0x80, 0x80, 0x80, 0x80, 0x01]),
            (u64::MAX, &[0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0x01]),
        ];
        for (value, bytes) in cases {
            let mut out = Vec::new();
            write_varint(&mut out, value);
            assert_eq!(out, bytes, "{value}");
            let mut followed = out.clone();
            followed.push(0x2a);
            assert_eq!(read_varint(&followed), Some((value, &[0x2a][..])), "{value}");
        }
        assert_eq!(read_varint(&[0x80, 0x80]), None, "ends inside a varint");
        assert_eq!(read_varint(&[0x80; 11]), None, "longer than a u64");
        assert_eq!(read_varint(&[]), None);
    }

    #[test]
    fn units_round_trip() {
        for unit in [full_unit(), TranslationUnit { tuid: None, ..full_unit() }] {
            let mut bytes = Vec::new();
            encode(&unit, &mut bytes);
            assert_eq!(decode(&bytes).unwrap(), unit);
        }
        let mut empty_tuid = full_unit();
        empty_tuid.tuid = Some(String::new());
        let mut bytes = Vec::new();
        encode(&empty_tuid, &mut bytes);
        assert_eq!(decode(&bytes).unwrap().tuid.as_deref(), Some(""));
    }

    #[test]
    fn smaller_than_json() {
        let unit = TranslationUnit {
            tuid: Some("gen:1".to_string()),
            attributes: vec![("creationdate".to_string(), "20190115T120000Z".to_string())],
            props: Vec::new(),
            notes: Vec::new(),
            variants: vec![
                Variant::from_text("ar", "قتل ثلاثة مدنيين."),
                Variant::from_text("en", "Three died."),
            ],
        };
        let mut bytes = Vec::new();
        encode(&unit, &mut bytes);
        let json = serde_json::to_string(&unit).unwrap();
        assert!(bytes.len() * 2 < json.len(), "{} vs {}", bytes.len(), json.len());
    }

    #[test]
    fn corrupt_bodies_are_errors_not_panics() {
        let mut bytes = Vec::new();
        encode(&full_unit(), &mut bytes);
        for cut in 0..bytes.len() {
            assert!(decode(&bytes[..cut]).is_err(), "truncated at {cut}");
        }
        let mut trailing = bytes.clone();
        trailing.push(0);
        assert!(decode(&trailing).unwrap_err().contains("trailing"));
        assert!(decode(&[2]).unwrap_err().contains("format"));
        // A huge count or length is refused before anything is allocated.
        assert!(decode(&[FORMAT, 0, 0xff, 0xff, 0xff, 0xff, 0x0f]).is_err());
        assert!(decode(&[FORMAT, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0x01]).is_err());
        // Every single-byte corruption decodes to something or fails cleanly.
        for i in 0..bytes.len() {
            let mut corrupt = bytes.clone();
            corrupt[i] ^= 0xA5;
            let _ = decode(&corrupt);
        }
        let mut bad_utf8 = Vec::new();
        encode(&TranslationUnit { tuid: Some("x".to_string()), ..full_unit() }, &mut bad_utf8);
        bad_utf8[2] = 0xff;
        assert!(decode(&bad_utf8).unwrap_err().contains("UTF-8"));
    }
}
