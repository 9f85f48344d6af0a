//! The PostgreSQL memory's lookup index (migration 0002): for each trigram (lowercased, as
//! SQLite's FTS5 trigram index holds them), the source texts holding it, kept in `lookup_posting` as sorted keys (character
//! length << 32 | text id, as the SQLite index's rowids) cut into blocks of at most [`BLOCK`],
//! each delta- and varint-encoded. Writers queue the texts they make sources in
//! `lookup_pending`; [`index_pending`] indexes them (a bulk load indexes its own texts with
//! [`Postings`] as it goes), and [`refresh_stats`] sums the counts into `lookup_stats`.
//! [`best_texts`] answers a lookup: the texts in a length window holding the most of some
//! trigrams, counted here from the blocks, as SQLite counts FTS5's posting lists; no text is
//! read back. Text ids above 2^32 - 1 do not fit a key (as on SQLite). Nothing here prints.

use std::collections::HashMap;
use std::hash::{BuildHasherDefault, Hasher};
use std::io::Write;

use postgres::{GenericClient, Transaction};

use super::write::copy_field;
use super::{binary, Pg};
use crate::document::normalize;
use crate::store::hash64;
use crate::store::postings::MAX_WORD_CHARS;

/// Keys per block of a posting list.
const BLOCK: usize = 1024;

/// Postings held in memory before they are written (8 bytes each).
pub(super) const HELD: usize = 16 << 20;

/// Pending texts read at a time.
const PENDING_CHUNK: i64 = 100_000;

/// The advisory lock key that serialises index updates and count refreshes ('PALI').
pub(super) const INDEX_LOCK: i64 = 0x5041_4C49;

/// A trigram as stored: its three characters, 21 bits each (None unless exactly three).
pub(super) fn gram_code(g: &str) -> Option<i64> {
    let mut code = 0i64;
    let mut n = 0;
    for c in g.chars() {
        code = (code << 21) | i64::from(u32::from(c));
        n += 1;
    }
    (n == 3).then_some(code)
}

/// A word (see [`crate::store::postings::words`]) as stored beside the trigrams: a 63-bit hash
/// of it, negative, where no trigram's code falls. Two words of one hash share a list: a few
/// more candidates, which the ranking reads exactly.
pub(super) fn word_code(w: &str) -> i64 {
    -1 - ((hash64(w) as u64) >> 1) as i64
}

/// The trigram a code stands for.
pub(super) fn gram_text(code: i64) -> String {
    [42, 21, 0]
        .iter()
        .filter_map(|s| char::from_u32(((code >> s) & 0x1F_FFFF) as u32))
        .collect()
}

/// The distinct trigrams of a text, lowercased (as [`crate::store::trigrams`] gives them and
/// SQLite's FTS5 trigram index holds them), but those of white space only, as codes, onto
/// `out` (cleared); `chars` is scratch.
fn text_grams(body: &str, chars: &mut Vec<char>, out: &mut Vec<i64>) {
    chars.clear();
    if body.is_ascii() {
        chars.extend(body.bytes().map(|b| char::from(b.to_ascii_lowercase())));
    } else {
        chars.extend(body.chars().flat_map(char::to_lowercase));
    }
    out.clear();
    out.extend(
        chars
            .windows(3)
            .filter(|w| !w.iter().all(|c| c.is_whitespace()))
            .map(|w| {
                (i64::from(u32::from(w[0])) << 42)
                    | (i64::from(u32::from(w[1])) << 21)
                    | i64::from(u32::from(w[2]))
            }),
    );
    out.sort_unstable();
    out.dedup();
}

/// A text's key: its length in characters (as `char_length` counts them) and its id.
fn key(id: i64, body: &str) -> u64 {
    let len = body.chars().count().min(i32::MAX as usize) as u64;
    (len << 32) | (id as u64 & 0xFFFF_FFFF)
}

/// A hasher for trigram codes, which are already well spread: one multiplication (SipHash
/// took a fifth of a bulk load's client time).
#[derive(Default)]
struct GramHasher(u64);

impl Hasher for GramHasher {
    fn finish(&self) -> u64 {
        // The product's high bits are its best mixed: bring them down to where the table
        // looks first.
        self.0.rotate_left(26)
    }

    fn write(&mut self, bytes: &[u8]) {
        for &b in bytes {
            self.0 = (self.0.rotate_left(8) ^ u64::from(b)).wrapping_mul(0x9E37_79B9_7F4A_7C15);
        }
    }

    fn write_i64(&mut self, v: i64) {
        self.0 = (v as u64 ^ (v as u64 >> 29)).wrapping_mul(0x9E37_79B9_7F4A_7C15);
    }
}

/// Words' codes by word, kept across texts: a SHA-256 per word was a tenth of a bulk load's
/// client time, and most of a text's words were met before.
#[derive(Default)]
struct WordCodes {
    codes: HashMap<Box<str>, i64>,
    word: String,
}

/// Words whose codes are kept; past it the cache starts again.
const WORD_CACHE: usize = 1 << 20;

impl WordCodes {
    /// The codes of a text's words (those of [`crate::store::postings::words`], with repeats),
    /// onto `out`, without a string per word.
    fn of(&mut self, body: &str, out: &mut Vec<i64>) {
        // Normalising changes no word of ASCII text (it folds white space only).
        let norm;
        let text = if body.is_ascii() {
            body
        } else {
            norm = normalize(body);
            norm.as_str()
        };
        for w in text.split(|c: char| !c.is_alphanumeric()) {
            let long = if w.is_ascii() {
                w.len() > MAX_WORD_CHARS
            } else {
                w.chars().count() > MAX_WORD_CHARS
            };
            if !w.is_empty() && !long {
                out.push(self.code(w));
            }
        }
    }

    /// A word's code: of the word lowercased, as [`word_code`] gives it.
    fn code(&mut self, w: &str) -> i64 {
        self.word.clear();
        if w.is_ascii() {
            self.word.push_str(w);
            self.word.make_ascii_lowercase();
        } else {
            self.word.extend(w.chars().flat_map(char::to_lowercase));
        }
        if let Some(&c) = self.codes.get(self.word.as_str()) {
            return c;
        }
        if self.codes.len() >= WORD_CACHE {
            self.codes.clear();
        }
        let c = word_code(&self.word);
        self.codes.insert(self.word.as_str().into(), c);
        c
    }
}

/// Posting lists being gathered, written by [`Postings::write`] (or encoded by
/// [`Postings::encode`] for another to write). A list keeps its room once written: the same
/// trigrams come back in the next texts.
#[derive(Default)]
pub(super) struct Postings {
    lists: HashMap<i64, Vec<u64>, BuildHasherDefault<GramHasher>>,
    held: usize,
    chars: Vec<char>,
    grams: Vec<i64>,
    words: Vec<i64>,
    codes: WordCodes,
}

/// Bytes of one `COPY` of posting blocks, about.
const PIECE: usize = 8 << 20;

impl Postings {
    /// Add a source text.
    pub(super) fn add(&mut self, id: i64, body: &str) {
        let k = key(id, body);
        text_grams(body, &mut self.chars, &mut self.grams);
        // Its words too, as SQLite's word index holds them (`lookup_words`).
        self.words.clear();
        self.codes.of(body, &mut self.words);
        self.words.sort_unstable();
        self.words.dedup();
        self.grams.extend_from_slice(&self.words);
        for g in &self.grams {
            self.lists.entry(*g).or_default().push(k);
        }
        self.held += self.grams.len();
    }

    /// How many postings wait.
    pub(super) fn held(&self) -> usize {
        self.held
    }

    /// The waiting postings as the data of binary `COPY`s into [`COPY_POSTINGS`], a block a
    /// row, about [`PIECE`] bytes each, handed to `out`; none wait after.
    pub(super) fn encode(&mut self, out: &mut impl FnMut(Vec<u8>)) {
        if self.held == 0 {
            return;
        }
        let mut buf = binary::start(PIECE + PIECE / 8);
        for (&gram, keys) in self.lists.iter_mut() {
            if keys.is_empty() {
                continue;
            }
            keys.sort_unstable();
            keys.dedup();
            for block in keys.chunks(BLOCK) {
                block_row(&mut buf, gram, block);
            }
            keys.clear();
            if buf.len() >= PIECE {
                binary::end(&mut buf);
                out(std::mem::replace(
                    &mut buf,
                    binary::start(PIECE + PIECE / 8),
                ));
            }
        }
        if buf.len() > binary::HEADER {
            binary::end(&mut buf);
            out(buf);
        }
        self.held = 0;
    }

    /// Write the waiting postings into `lookup_posting`.
    pub(super) fn write(&mut self, tx: &mut Transaction) -> Pg<()> {
        let mut pieces = Vec::new();
        self.encode(&mut |p| pieces.push(p));
        for p in pieces {
            copy_postings(tx, &p)?;
        }
        Ok(())
    }
}

/// The statement that takes what [`Postings::encode`] gives.
const COPY_POSTINGS: &str =
    "COPY lookup_posting (gram, first_key, last_key, n, keys) FROM STDIN (FORMAT binary)";

/// Copy one piece that [`Postings::encode`] gave into `lookup_posting`.
pub(super) fn copy_postings(tx: &mut Transaction, piece: &[u8]) -> Pg<()> {
    let mut w = tx.copy_in(COPY_POSTINGS)?;
    // Fails only with the connection; finish() reports it.
    let _ = w.write_all(piece);
    w.finish()?;
    Ok(())
}

/// One row of `lookup_posting` in binary `COPY` format.
fn block_row(buf: &mut Vec<u8>, gram: i64, block: &[u64]) {
    let (first, last) = (block[0], block[block.len() - 1]);
    binary::row(buf, 5);
    for v in [gram, first as i64, last as i64, block.len() as i64] {
        binary::int8(buf, v);
    }
    let at = buf.len();
    buf.extend_from_slice(&0i32.to_be_bytes());
    let mut prev = first;
    for &k in &block[1..] {
        let mut d = k - prev;
        prev = k;
        while d >= 0x80 {
            buf.push((d as u8) | 0x80);
            d >>= 7;
        }
        buf.push(d as u8);
    }
    let len = (buf.len() - at - 4) as i32;
    buf[at..at + 4].copy_from_slice(&len.to_be_bytes());
}

/// The keys of a block: its first key, then the varint deltas.
fn decode(first: i64, bytes: &[u8], out: &mut impl FnMut(u64)) {
    let mut k = first as u64;
    out(k);
    let (mut d, mut shift) = (0u64, 0);
    for &b in bytes {
        d |= u64::from(b & 0x7F) << shift;
        if b & 0x80 == 0 {
            k = k.wrapping_add(d);
            out(k);
            (d, shift) = (0, 0);
        } else {
            shift += 7;
        }
    }
}

/// The query of [`best_texts`]: the blocks of trigrams $1 that overlap keys $2 to $3.
pub(super) const POSTINGS: &str = "SELECT gram, first_key, keys FROM lookup_posting
    WHERE gram = ANY($1) AND last_key >= $2 AND first_key <= $3";

/// The `keep` texts with a length (characters) in `window` holding the most of `grams`, with
/// how many, most first, then by id: the lists of the trigrams merged as SQLite merges them.
pub(super) fn best_texts(
    c: &mut impl GenericClient,
    st: &postgres::Statement,
    grams: &[i64],
    window: (usize, usize),
    keep: usize,
) -> Pg<Vec<(i64, u32)>> {
    if grams.is_empty() || keep == 0 {
        return Ok(Vec::new());
    }
    let clamp = |n: usize| n.min(i32::MAX as usize) as u64;
    let (lo, hi) = (clamp(window.0) << 32, (clamp(window.1) << 32) | 0xFFFF_FFFF);
    let rows = c.query(st, &[&grams, &(lo as i64), &(hi as i64)])?;
    let blocks = rows.iter().map(|r| (r.get(0), r.get(1), r.get(2)));
    Ok(rank_blocks(blocks, (lo, hi), keep))
}

/// [`best_texts`] of the blocks read, (gram, first key, varints), between keys `lo` and `hi`.
/// Each gram's text ids are gathered, sorted and made unique (a text once per gram, whichever
/// blocks held it), then all of them sorted, so that a text's count is the length of its run.
/// Sorted by radix: a query with common trigrams in a large memory gathers millions of hits,
/// and sorting them by comparison was most of its time.
fn rank_blocks<'a>(
    blocks: impl Iterator<Item = (i64, i64, &'a [u8])>,
    (lo, hi): (u64, u64),
    keep: usize,
) -> Vec<(i64, u32)> {
    let mut lists: HashMap<i64, Vec<u32>> = HashMap::new();
    for (gram, first, bytes) in blocks {
        let list = lists.entry(gram).or_default();
        decode(first, bytes, &mut |k| {
            if (lo..=hi).contains(&k) {
                // The text id: the key's low 32 bits.
                list.push(k as u32);
            }
        });
    }
    let (mut ids, mut scratch) = (Vec::new(), Vec::new());
    for list in lists.values_mut() {
        radix_sort(list, &mut scratch);
        list.dedup();
        ids.extend_from_slice(list);
    }
    radix_sort(&mut ids, &mut scratch);
    let mut ranked: Vec<(i64, u32)> = ids
        .chunk_by(|a, b| a == b)
        .map(|run| (i64::from(run[0]), run.len() as u32))
        .collect();
    let order = |a: &(i64, u32), b: &(i64, u32)| b.1.cmp(&a.1).then(a.0.cmp(&b.0));
    if ranked.len() > keep {
        ranked.select_nth_unstable_by(keep - 1, order);
        ranked.truncate(keep);
    }
    ranked.sort_by(order);
    ranked
}

/// Sort by radix, 16 bits a pass (by comparison when short); `scratch` is room.
fn radix_sort(v: &mut Vec<u32>, scratch: &mut Vec<u32>) {
    if v.len() < 1 << 12 {
        v.sort_unstable();
        return;
    }
    scratch.clear();
    scratch.resize(v.len(), 0);
    let mut count = vec![0usize; 1 << 16];
    for shift in [0, 16] {
        count.fill(0);
        for &x in v.iter() {
            count[((x >> shift) & 0xFFFF) as usize] += 1;
        }
        let mut sum = 0;
        for c in count.iter_mut() {
            (*c, sum) = (sum, sum + *c);
        }
        for &x in v.iter() {
            let b = ((x >> shift) & 0xFFFF) as usize;
            scratch[count[b]] = x;
            count[b] += 1;
        }
        std::mem::swap(v, scratch);
    }
}

/// Index the texts waiting in `lookup_pending`, in one transaction, then count the trigrams
/// again if the counts lag; how many texts were indexed.
pub(super) fn index_pending(c: &mut postgres::Client) -> Pg<usize> {
    let mut tx = c.transaction()?;
    tx.execute("SELECT pg_advisory_xact_lock($1)", &[&INDEX_LOCK])?;
    let mut postings = Postings::default();
    let mut done = 0;
    loop {
        let rows = tx.query(
            "WITH p AS (DELETE FROM lookup_pending WHERE text_id IN
                 (SELECT text_id FROM lookup_pending ORDER BY text_id LIMIT $1)
                 RETURNING text_id)
             SELECT p.text_id, t.body FROM p LEFT JOIN text t ON t.id = p.text_id",
            &[&PENDING_CHUNK],
        )?;
        if rows.is_empty() {
            break;
        }
        for r in &rows {
            if let Some(body) = r.get::<_, Option<&str>>(1) {
                postings.add(r.get(0), body);
                done += 1;
            }
        }
        if postings.held() >= HELD {
            postings.write(&mut tx)?;
        }
    }
    postings.write(&mut tx)?;
    if stats_lag(&mut tx)? {
        refresh_stats(&mut tx)?;
    }
    tx.commit()?;
    Ok(done)
}

/// Whether the trigram counts were taken when the memory held fewer than nine tenths of the
/// texts it holds now (by text id), as on SQLite.
pub(super) fn stats_lag(c: &mut impl GenericClient) -> Pg<bool> {
    let r = c.query_one(
        "SELECT coalesce((SELECT docs FROM lookup_stats WHERE term = ''), 0),
            (SELECT coalesce(max(id), 0) FROM text)",
        &[],
    )?;
    let (at, now): (i64, i64) = (r.get(0), r.get(1));
    Ok(at * 10 < now * 9 || (now > 0 && at == 0))
}

/// Count how many source texts hold each trigram, from the posting lists (exact), with the
/// highest text id under the empty term. The caller holds [`INDEX_LOCK`].
pub(super) fn refresh_stats(tx: &mut Transaction) -> Pg<()> {
    let texts: i64 = tx
        .query_one("SELECT coalesce(max(id), 0) FROM text", &[])?
        .get(0);
    let rows = tx.query(
        "SELECT gram, sum(n)::bigint FROM lookup_posting WHERE gram >= 0 GROUP BY gram",
        &[],
    )?;
    tx.batch_execute("DELETE FROM lookup_stats")?;
    let mut buf = Vec::new();
    for r in rows
        .iter()
        .map(|r| (r.get::<_, i64>(0), r.get::<_, i64>(1)))
    {
        copy_field(&mut buf, Some(&gram_text(r.0)));
        buf.extend_from_slice(format!("\t{}\n", r.1).as_bytes());
    }
    buf.extend_from_slice(format!("\t{texts}\n").as_bytes());
    let mut w = tx.copy_in("COPY lookup_stats (term, docs) FROM STDIN")?;
    let _ = w.write_all(&buf);
    w.finish()?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn words_are_stored_where_no_trigram_is() {
        let w = word_code("workers");
        assert!(w < 0);
        assert_eq!(w, word_code("workers"));
        assert_ne!(w, word_code("worker"));
        assert!(gram_code("wor").is_some_and(|g| g >= 0));
        assert!(gram_code("\u{10FFFF}\u{10FFFF}\u{10FFFF}").is_some_and(|g| g >= 0));
    }

    #[test]
    fn grams_are_the_lowercased_trigrams() {
        let (mut chars, mut out) = (Vec::new(), Vec::new());
        text_grams("Ab-cde ÉTÉ  abc", &mut chars, &mut out);
        let mut got: Vec<String> = out.iter().map(|&g| gram_text(g)).collect();
        got.sort();
        let mut want: Vec<String> = crate::store::trigrams("Ab-cde ÉTÉ  abc")
            .into_iter()
            .filter(|g| g != "   ")
            .collect();
        want.sort();
        want.dedup();
        assert_eq!(got, want);
        assert_eq!(got.len(), 13);
        assert_eq!(gram_code("été").map(gram_text).as_deref(), Some("été"));
        assert_eq!(gram_code("ab"), None);
    }

    #[test]
    fn word_codes_are_those_of_the_words() {
        let long = "x".repeat(MAX_WORD_CHARS + 1);
        let mut codes = WordCodes::default();
        for text in [
            "Ｓave the FILE, file-2 «Größe» 東京都",
            "  Plain\tASCII  text, 38 % of it; don't\n",
            long.as_str(),
            "ÉTÉ été Straße ΣΟΦΊΑ İstanbul",
            "",
        ] {
            let want: Vec<i64> = crate::store::postings::words(text)
                .iter()
                .map(|w| word_code(w))
                .collect();
            for _ in 0..2 {
                let mut got = Vec::new();
                codes.of(text, &mut got);
                assert_eq!(got, want, "{text:?}");
            }
        }
    }

    #[test]
    fn texts_rank_by_grams_held_then_id() {
        // Made-up blocks: 5 grams, keys of 300 lengths and 70,000 ids, some repeated across
        // blocks of a gram; ranked as the sorting of (gram, id) pairs ranked them.
        let mut x: u64 = 0x9E37_79B9_7F4A_7C15;
        let mut next = move || {
            x ^= x << 13;
            x ^= x >> 7;
            x ^= x << 17;
            x
        };
        let mut blocks: Vec<(i64, i64, Vec<u8>)> = Vec::new();
        let mut want: Vec<(i64, i64)> = Vec::new();
        let (lo, hi) = (40u64 << 32, (200u64 << 32) | 0xFFFF_FFFF);
        for gram in 0..5i64 {
            for _ in 0..(1 + gram * 7) {
                let mut keys: Vec<u64> = (0..1000)
                    .map(|_| ((next() % 300) << 32) | (next() % (70_000 >> gram)))
                    .collect();
                keys.sort_unstable();
                keys.dedup();
                want.extend(
                    keys.iter()
                        .filter(|k| (lo..=hi).contains(*k))
                        .map(|&k| (gram, (k & 0xFFFF_FFFF) as i64)),
                );
                let mut buf = Vec::new();
                block_row(&mut buf, gram, &keys);
                blocks.push((gram, keys[0] as i64, buf[2 + 48 + 4..].to_vec()));
            }
        }
        want.sort_unstable();
        want.dedup();
        let mut ids: Vec<i64> = want.into_iter().map(|(_, id)| id).collect();
        ids.sort_unstable();
        let mut ranked: Vec<(i64, u32)> = ids
            .chunk_by(|a, b| a == b)
            .map(|run| (run[0], run.len() as u32))
            .collect();
        ranked.sort_by(|a, b| b.1.cmp(&a.1).then(a.0.cmp(&b.0)));
        for keep in [1, 16, 5000, 1 << 20] {
            let got = rank_blocks(
                blocks.iter().map(|(g, f, b)| (*g, *f, b.as_slice())),
                (lo, hi),
                keep,
            );
            assert_eq!(got, ranked[..keep.min(ranked.len())], "keep {keep}");
        }
        let mut v: Vec<u32> = (0..100_000).map(|_| next() as u32).collect();
        let mut sorted = v.clone();
        sorted.sort_unstable();
        radix_sort(&mut v, &mut Vec::new());
        assert_eq!(v, sorted);
    }

    #[test]
    fn blocks_decode_to_their_keys() {
        let keys: Vec<u64> = vec![(5 << 32) | 7, (5 << 32) | 300, (9 << 32) | 1, u64::MAX >> 1];
        let mut buf = Vec::new();
        block_row(&mut buf, 42, &keys);
        // 2 bytes of field count, 4 fields of 12 bytes, then the length and the deltas.
        let body = &buf[2 + 48 + 4..];
        let mut got = Vec::new();
        decode(keys[0] as i64, body, &mut |k| got.push(k));
        assert_eq!(got, keys);
    }
}
