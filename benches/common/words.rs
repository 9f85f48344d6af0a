//! Made-up text for the benchmarks of the memory (`lookup`, `postgres`): words drawn from a
//! Zipf distribution over 30,000 made-up words spelt with English letter frequencies, so that
//! some words (and trigrams) are everywhere and most are rare, as in real text; sentences of 6
//! to 40 words (one in five a paragraph of 60 to 120), some with numbers, and their
//! translations, which spell every word differently.

use super::Rng;

pub const VOCABULARY: usize = 30_000;

/// Made-up words and the cumulative Zipf weights to draw them.
pub struct Words {
    pub words: Vec<String>,
    pub targets: Vec<String>,
    cumulative: Vec<f64>,
}

impl Words {
    pub fn new() -> Words {
        // Letters by their frequency in English text (per mille), so that trigrams are as
        // varied as a real language's: common ones everywhere, rare ones in rare words.
        const LETTERS: [(char, u32); 26] = [
            ('e', 127),
            ('t', 91),
            ('a', 82),
            ('o', 75),
            ('i', 70),
            ('n', 67),
            ('s', 63),
            ('h', 61),
            ('r', 60),
            ('d', 43),
            ('l', 40),
            ('c', 28),
            ('u', 28),
            ('m', 24),
            ('w', 24),
            ('f', 22),
            ('g', 20),
            ('y', 20),
            ('p', 19),
            ('b', 15),
            ('v', 10),
            ('k', 8),
            ('j', 2),
            ('x', 2),
            ('q', 1),
            ('z', 1),
        ];
        let total: u32 = LETTERS.iter().map(|l| l.1).sum();
        let mut rng = Rng(0x5EED_1234_ABCD_9876);
        let mut words = Vec::with_capacity(VOCABULARY);
        let mut seen = std::collections::HashSet::new();
        while words.len() < VOCABULARY {
            // frequent words are short
            let rank = words.len();
            let len = 2
                + (rank > 30) as u64
                + (rank > 300) as u64 * 2
                + rng.below(4 + (rank > 3000) as u64 * 4);
            let mut w = String::new();
            for _ in 0..len {
                let mut x = rng.below(u64::from(total)) as u32;
                for (c, f) in LETTERS {
                    if x < f {
                        w.push(c);
                        break;
                    }
                    x -= f;
                }
            }
            if seen.insert(w.clone()) {
                words.push(w);
            }
        }
        let targets = words
            .iter()
            .map(|w| {
                let r: String = w.chars().rev().collect();
                format!("{r}o")
            })
            .collect();
        let mut cumulative = Vec::with_capacity(VOCABULARY);
        let mut total = 0.0;
        for k in 0..VOCABULARY {
            total += 1.0 / (k as f64 + 2.7);
            cumulative.push(total);
        }
        for c in &mut cumulative {
            *c /= total;
        }
        Words {
            words,
            targets,
            cumulative,
        }
    }

    pub fn draw(&self, rng: &mut Rng) -> usize {
        let u = rng.unit();
        self.cumulative
            .partition_point(|&c| c < u)
            .min(VOCABULARY - 1)
    }

    /// A source sentence and its translation.
    pub fn pair(&self, rng: &mut Rng) -> (String, String) {
        let n = if rng.below(5) == 0 {
            60 + rng.below(61)
        } else {
            6 + rng.below(35)
        };
        let mut src = Vec::with_capacity(n as usize);
        let mut tgt = Vec::with_capacity(n as usize);
        for k in 0..n {
            if rng.below(25) == 0 {
                let num = format!("{}", rng.below(100_000));
                src.push(num.clone());
                tgt.push(num);
                continue;
            }
            let w = self.draw(rng);
            src.push(self.words[w].clone());
            tgt.push(self.targets[w].clone());
            if k + 1 < n && rng.below(12) == 0 {
                src.last_mut().unwrap().push(',');
                tgt.last_mut().unwrap().push(',');
            }
        }
        (sentence(&src), sentence(&tgt))
    }
}

pub fn sentence(words: &[String]) -> String {
    let mut s = words.join(" ");
    if let Some(c) = s.get(..1) {
        let up = c.to_uppercase();
        s.replace_range(..1, &up);
    }
    s.push('.');
    s
}
