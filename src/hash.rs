//! The one stable 64-bit hash: FNV-1a.
//!
//! Stable across runs, platforms and versions, unlike `DefaultHasher`,
//! because its values are kept: finding ids in `accepted-findings.tsv`
//! (`check`), word-index terms in every memory file (`memory`), and the
//! seeds of generated test cases (`align::synth`). Changing it would break
//! users' accept lists and memories: `tests` below pin its values.

const OFFSET: u64 = 0xcbf2_9ce4_8422_2325;
const PRIME: u64 = 0x0000_0100_0000_01b3;

/// An FNV-1a hasher; feed it bytes, then read [`Fnv1a::finish`].
#[derive(Debug, Clone, Copy)]
pub struct Fnv1a(u64);

impl Default for Fnv1a {
    fn default() -> Self {
        Fnv1a(OFFSET)
    }
}

impl Fnv1a {
    pub fn new() -> Fnv1a {
        Fnv1a::default()
    }

    /// Adds bytes to the hash.
    pub fn write(&mut self, bytes: &[u8]) -> &mut Fnv1a {
        for &byte in bytes {
            self.0 ^= u64::from(byte);
            self.0 = self.0.wrapping_mul(PRIME);
        }
        self
    }

    /// Adds a string and a NUL after it, so that `["ab", "c"]` and
    /// `["a", "bc"]` hash differently.
    pub fn write_part(&mut self, part: &str) -> &mut Fnv1a {
        self.write(part.as_bytes()).write(&[0])
    }

    pub fn finish(&self) -> u64 {
        self.0
    }
}

/// The hash of `bytes`.
pub fn fnv1a(bytes: &[u8]) -> u64 {
    Fnv1a::new().write(bytes).finish()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn values_are_pinned() {
        // FNV-1a's published test vectors.
        assert_eq!(fnv1a(b""), 0xcbf2_9ce4_8422_2325);
        assert_eq!(fnv1a(b"a"), 0xaf63_dc4c_8601_ec8c);
        assert_eq!(fnv1a(b"foobar"), 0x8594_4171_f739_67e8);
        // Arabic text hashes its UTF-8 bytes.
        assert_eq!(fnv1a("الرقة".as_bytes()), Fnv1a::new().write("الرقة".as_bytes()).finish());
        assert_ne!(
            Fnv1a::new().write_part("ab").write_part("c").finish(),
            Fnv1a::new().write_part("a").write_part("bc").finish()
        );
    }
}
