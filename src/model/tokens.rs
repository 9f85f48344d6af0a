//! Tokens of the word model, for every script: in Chinese and Japanese text every character and
//! every two adjacent characters (written without spaces, a character is the unit that carries
//! meaning, and most words are two characters) but katakana, whose runs are words (loanwords:
//! the characters stand for sounds); elsewhere the first five
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
    // The katakana word being read.
    let mut kana = Fnv::new();
    let mut in_kana = false;
    let flush = |h: &mut Fnv, letters: &mut usize, out: &mut Vec<u32>| {
        if *letters >= 2 {
            out.push(h.0);
        }
        *h = Fnv::new();
        *letters = 0;
    };
    for c in text.chars() {
        if katakana(c) {
            // A katakana word (`ディレクトリー`, a loanword: most technical terms) is one token.
            // Its characters stand for sounds, not meanings: as characters and pairs, one
            // English word would spread its probability over a dozen tokens, none of which
            // Model 1 could keep as its translation.
            flush(&mut h, &mut letters, &mut out);
            kana.push(c);
            in_kana = true;
            prev = None;
            continue;
        }
        if in_kana {
            out.push(kana.0);
            kana = Fnv::new();
            in_kana = false;
        }
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
    if in_kana {
        out.push(kana.0);
    }
    out.sort_unstable();
    out.dedup();
    out
}

/// The words of a text as written, each with its token (in Chinese and Japanese text, each
/// character but katakana, whose words are whole), in order: what a report shows for a token.
pub fn words(text: &str) -> Vec<(u32, &str)> {
    let mut out = Vec::new();
    let mut start: Option<usize> = None;
    let mut kana_start: Option<usize> = None;
    // The word begun at `start` ends at `i`: its token, if it makes one.
    fn end<'a>(text: &'a str, start: &mut Option<usize>, i: usize, out: &mut Vec<(u32, &'a str)>) {
        if let Some(s) = start.take() {
            let w = &text[s..i];
            if let Some(&t) = tokens(w).first() {
                out.push((t, w));
            }
        }
    }
    for (i, c) in text
        .char_indices()
        .chain(std::iter::once((text.len(), ' ')))
    {
        let letter = c.is_alphabetic() || unicode_normalization::char::is_combining_mark(c);
        if letter && !is_cjk(c) {
            start.get_or_insert(i);
            continue;
        }
        if katakana(c) {
            if kana_start.is_none() {
                end(text, &mut start, i, &mut out);
                kana_start = Some(i);
            }
            continue;
        }
        end(text, &mut start, i, &mut out);
        end(text, &mut kana_start, i, &mut out);
        if is_cjk(c) {
            out.push((hash32(&c), &text[i..i + c.len_utf8()]));
        }
    }
    out
}

/// A katakana letter or the long-vowel mark (not the middle dot `・`, which separates words).
fn katakana(c: char) -> bool {
    matches!(c as u32, 0x30A1..=0x30FA | 0x30FC..=0x30FF | 0x31F0..=0x31FF)
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

    /// A katakana word's token: FNV-1a of its UTF-8 bytes.
    fn kana(s: &str) -> u32 {
        let mut h = Fnv::new();
        s.chars().for_each(|c| h.push(c));
        h.0
    }

    #[test]
    fn a_katakana_word_is_one_token() {
        assert_eq!(tokens("ディレクトリー"), vec![kana("ディレクトリー")]);
        // Around it, characters and pairs as ever; the middle dot parts two words.
        let t = tokens("このディレクトリー・ファイル");
        assert!(t.contains(&kana("ディレクトリー")) && t.contains(&kana("ファイル")));
        assert!(t.contains(&hash32(&('こ', 'の'))));
        assert!(!t.contains(&hash32(&'デ')));
        let w: Vec<&str> = words("このディレクトリー・ファイル")
            .iter()
            .map(|w| w.1)
            .collect();
        assert_eq!(w, ["こ", "の", "ディレクトリー", "・", "ファイル"]);
    }

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
