//! Tokens of the word model, for every script: in Chinese and Japanese text every character and
//! every two adjacent characters (written without spaces, a character is the unit that carries
//! meaning, and most words are two characters); elsewhere the first five
//! letters of a word of two letters or more, lower-cased (so that `rights` and `right`,
//! `правах` and `права` meet). A token is a 32-bit FNV-1a hash: stable across runs and
//! machines, so that a model kept in a memory reads the same tokens. Pure.

use std::hash::{Hash, Hasher};

use crate::language::is_cjk;

/// Letters of a word that make its token.
pub const PREFIX: usize = 5;

/// The learning tokens of a text, sorted and unique.
pub fn tokens(text: &str) -> Vec<u32> {
    let mut out = Vec::new();
    // The word being read: its hash so far (first PREFIX letters, lower-cased) and letters.
    let (mut h, mut letters) = (Fnv::new(), 0usize);
    // The Chinese or Japanese character before this one, for bigrams.
    let mut prev: Option<char> = None;
    let flush = |h: &mut Fnv, letters: &mut usize, out: &mut Vec<u32>| {
        if *letters >= 2 {
            out.push(h.0);
        }
        *h = Fnv::new();
        *letters = 0;
    };
    for c in text.chars() {
        if !is_cjk(c) {
            prev = None;
        }
        if c.is_ascii() {
            // The common case, without Unicode tables.
            if c.is_ascii_alphabetic() {
                if letters < PREFIX {
                    h.write(&[c.to_ascii_lowercase() as u8]);
                }
                letters += 1;
            } else {
                flush(&mut h, &mut letters, &mut out);
            }
        } else if is_cjk(c) {
            flush(&mut h, &mut letters, &mut out);
            out.push(hash32(&c));
            // Two characters together: most words are two characters, and a pair is far more
            // specific than either character alone.
            if let Some(p) = prev {
                out.push(hash32(&(p, c)));
            }
            prev = Some(c);
        } else if c.is_alphabetic() || unicode_normalization::char::is_combining_mark(c) {
            if letters < PREFIX {
                for l in c.to_lowercase() {
                    h.push(l);
                }
            }
            letters += usize::from(c.is_alphabetic());
        } else {
            flush(&mut h, &mut letters, &mut out);
        }
    }
    flush(&mut h, &mut letters, &mut out);
    out.sort_unstable();
    out.dedup();
    out
}

/// The words of a text as written, each with its token (in Chinese and Japanese text, each
/// character), in order: what a report shows for a token.
pub fn words(text: &str) -> Vec<(u32, &str)> {
    let mut out = Vec::new();
    let mut start: Option<usize> = None;
    for (i, c) in text
        .char_indices()
        .chain(std::iter::once((text.len(), ' ')))
    {
        let letter = c.is_alphabetic() || unicode_normalization::char::is_combining_mark(c);
        if letter && !is_cjk(c) {
            start.get_or_insert(i);
            continue;
        }
        if let Some(s) = start.take() {
            let w = &text[s..i];
            if let Some(&t) = tokens(w).first() {
                out.push((t, w));
            }
        }
        if is_cjk(c) {
            out.push((hash32(&c), &text[i..i + c.len_utf8()]));
        }
    }
    out
}

/// FNV-1a: tokens are short, and SipHash's strength is not needed for them.
struct Fnv(u32);

impl Fnv {
    fn new() -> Fnv {
        Fnv(0x811C_9DC5)
    }

    /// Add a character (as its UTF-8 bytes, as `hash32` of a string does).
    fn push(&mut self, c: char) {
        let mut buf = [0u8; 4];
        self.write(c.encode_utf8(&mut buf).as_bytes());
    }
}

impl Hasher for Fnv {
    fn finish(&self) -> u64 {
        u64::from(self.0)
    }
    fn write(&mut self, bytes: &[u8]) {
        for &b in bytes {
            self.0 = (self.0 ^ u32::from(b)).wrapping_mul(0x0100_0193);
        }
    }
}

pub(crate) fn hash32<T: Hash + ?Sized>(t: &T) -> u32 {
    let mut h = Fnv::new();
    t.hash(&mut h);
    h.0
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tokens_are_characters_in_chinese_and_word_starts_elsewhere() {
        let mut two = vec![hash32(&'人'), hash32(&('人', '人'))];
        two.sort_unstable();
        assert_eq!(tokens("人人"), two);
        // Five letters, lower-cased; one letter is no word.
        assert_eq!(tokens("Everyone's rights, a right!"), tokens("every right"));
        assert_eq!(tokens("every right").len(), 2);
        assert_eq!(tokens("правах права"), tokens("права"));
        assert_eq!(tokens("правах права").len(), 1);
        // Vowel signs and viramas belong to the word (forms of one word meet); one letter is
        // no word.
        assert_eq!(tokens("अनुच्छेद a"), tokens("अनुच्छेदों"));
        assert_eq!(tokens("अनुच्छेद a").len(), 1);
    }

    #[test]
    fn words_keep_their_spelling_and_token() {
        let w = words("No one shall be subjected to torture, 人权.");
        let text: Vec<&str> = w.iter().map(|(_, s)| *s).collect();
        assert_eq!(
            text,
            [
                "No",
                "one",
                "shall",
                "be",
                "subjected",
                "to",
                "torture",
                "人",
                "权"
            ]
        );
        assert_eq!(w[6].0, tokens("torture")[0]);
    }
}
