//! Edit distance between two symbol sequences (words or characters as `u32`s), for the match
//! percentage (`matching.rs`). Pure: no SQL, no printing.

/// The positions of each symbol of a pattern, as bit masks of `blocks` words: symbols below 128
/// (ASCII characters) by a table, others by a binary search of the sorted symbols (a hash map
/// was a fifth of a lookup's time in `serve`).
struct Peq {
    ascii: [u32; 128],
    others: Vec<(u32, u32)>,
    masks: Vec<u64>,
    blocks: usize,
}

impl Peq {
    const NONE: u32 = u32::MAX;

    fn new(pattern: &[u32], blocks: usize) -> Peq {
        let mut p = Peq {
            ascii: [Peq::NONE; 128],
            others: Vec::new(),
            masks: Vec::new(),
            blocks,
        };
        let mut others: Vec<u32> = pattern.iter().copied().filter(|&c| c >= 128).collect();
        others.sort_unstable();
        others.dedup();
        p.others = others.into_iter().map(|c| (c, Peq::NONE)).collect();
        for (i, &c) in pattern.iter().enumerate() {
            let slot = if c < 128 {
                &mut p.ascii[c as usize]
            } else {
                let k = p.others.partition_point(|o| o.0 < c);
                &mut p.others[k].1
            };
            if *slot == Peq::NONE {
                *slot = (p.masks.len() / blocks) as u32;
                p.masks.resize(p.masks.len() + blocks, 0);
            }
            p.masks[*slot as usize * blocks + i / 64] |= 1 << (i % 64);
        }
        p
    }

    fn get(&self, c: u32) -> Option<&[u64]> {
        let row = if c < 128 {
            self.ascii[c as usize]
        } else {
            let k = self.others.binary_search_by_key(&c, |o| o.0).ok()?;
            self.others[k].1
        };
        (row != Peq::NONE).then(|| &self.masks[row as usize * self.blocks..][..self.blocks])
    }
}

/// Levenshtein distance between two symbol sequences: Myers' bit-parallel algorithm in Hyyrö's
/// block form, O(⌈m/64⌉·n).
pub fn levenshtein(a: &[u32], b: &[u32]) -> usize {
    // A common prefix and suffix change nothing in the distance: only what lies between is
    // compared (a near match is mostly both).
    let head = a.iter().zip(b).take_while(|(x, y)| x == y).count();
    let (a, b) = (&a[head..], &b[head..]);
    let tail = a
        .iter()
        .rev()
        .zip(b.iter().rev())
        .take_while(|(x, y)| x == y)
        .count();
    let (a, b) = (&a[..a.len() - tail], &b[..b.len() - tail]);
    let (pattern, text) = if a.len() <= b.len() { (a, b) } else { (b, a) };
    let m = pattern.len();
    if m == 0 {
        return text.len();
    }
    let blocks = m.div_ceil(64);
    let peq = Peq::new(pattern, blocks);
    let mut pv = vec![!0u64; blocks];
    let mut mv = vec![0u64; blocks];
    let last = blocks - 1;
    let last_bit = 1u64 << ((m - 1) % 64);
    let mut score = m;
    let none = vec![0u64; blocks];
    for &c in text {
        let eqs = peq.get(c).unwrap_or(&none);
        let mut hin: i8 = 1;
        for k in 0..blocks {
            let mut eq = eqs[k];
            let (p, n) = (pv[k], mv[k]);
            let xv = eq | n;
            if hin < 0 {
                eq |= 1;
            }
            let xh = (((eq & p).wrapping_add(p)) ^ p) | eq;
            let mut ph = n | !(xh | p);
            let mut mh = p & xh;
            let high = if k == last { last_bit } else { 1 << 63 };
            let hout: i8 = if ph & high != 0 {
                1
            } else if mh & high != 0 {
                -1
            } else {
                0
            };
            ph <<= 1;
            mh <<= 1;
            if hin < 0 {
                mh |= 1;
            } else if hin > 0 {
                ph |= 1;
            }
            pv[k] = mh | !(xv | ph);
            mv[k] = ph & xv;
            hin = hout;
        }
        score = (score as isize + hin as isize) as usize;
    }
    score
}

#[cfg(test)]
mod tests {
    use super::*;

    fn naive(a: &[u32], b: &[u32]) -> usize {
        let mut prev: Vec<usize> = (0..=b.len()).collect();
        for (i, x) in a.iter().enumerate() {
            let mut cur = vec![i + 1; b.len() + 1];
            for (j, y) in b.iter().enumerate() {
                cur[j + 1] = (prev[j] + usize::from(x != y))
                    .min(prev[j + 1] + 1)
                    .min(cur[j] + 1);
            }
            prev = cur;
        }
        prev[b.len()]
    }

    #[test]
    fn bit_parallel_levenshtein_equals_the_table() {
        let mut x: u64 = 0x9E37_79B9_7F4A_7C15;
        let mut next = |n: u64| {
            x ^= x << 13;
            x ^= x >> 7;
            x ^= x << 17;
            x % n
        };
        for _ in 0..300 {
            let la = next(200) as usize;
            let lb = next(200) as usize;
            let a: Vec<u32> = (0..la).map(|_| next(4) as u32).collect();
            let mut b: Vec<u32> = a.clone();
            b.truncate(lb.min(b.len()));
            for _ in 0..next(20) {
                let len = b.len() as u64 + 1;
                let k = next(len) as usize;
                b.insert(k, next(5) as u32);
            }
            assert_eq!(levenshtein(&a, &b), naive(&a, &b), "{a:?} {b:?}");
            // The same with symbols beyond ASCII (looked up by search, not by the table).
            let wide = |v: &Vec<u32>| -> Vec<u32> {
                v.iter()
                    .map(|&c| if c % 2 == 0 { c } else { c * 7_919 + 1_000 })
                    .collect()
            };
            let (a, b) = (wide(&a), wide(&b));
            assert_eq!(levenshtein(&a, &b), naive(&a, &b), "{a:?} {b:?}");
        }
        let s = |t: &str| t.chars().map(u32::from).collect::<Vec<_>>();
        assert_eq!(levenshtein(&s("kitten"), &s("sitting")), 3);
        assert_eq!(levenshtein(&s(""), &s("abc")), 3);
    }
}
