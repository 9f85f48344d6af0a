//! What the benchmarks share: a small deterministic generator, so that runs are comparable,
//! and the process's peak memory. Each benchmark uses part of it.
#![allow(dead_code)]

pub mod words;

/// A small deterministic generator (xorshift).
pub struct Rng(pub u64);

impl Rng {
    /// The next number.
    pub fn next(&mut self) -> u64 {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        self.0
    }

    /// A number below `n`.
    pub fn below(&mut self, n: u64) -> u64 {
        self.next() % n
    }

    /// A number in [0, 1).
    pub fn unit(&mut self) -> f64 {
        (self.next() >> 11) as f64 / (1u64 << 53) as f64
    }
}

/// This process's peak resident memory in MB (Linux; NaN where it cannot be read).
pub fn peak_mb() -> f64 {
    std::fs::read_to_string("/proc/self/status")
        .ok()
        .and_then(|s| {
            s.lines()
                .find(|l| l.starts_with("VmHWM:"))
                .and_then(|l| l.split_whitespace().nth(1))
                .and_then(|kb| kb.parse::<f64>().ok())
        })
        .map(|kb| kb / 1024.0)
        .unwrap_or(f64::NAN)
}

/// This process's CPU time so far, user plus system, in seconds (Linux; NaN where it cannot
/// be read). Wall-clock time on a shared machine says little; CPU time says what a run costs.
pub fn cpu_seconds() -> f64 {
    // Fields 14 and 15 of /proc/self/stat, in clock ticks (100 a second on Linux), after the
    // command name in parentheses (which may hold spaces).
    std::fs::read_to_string("/proc/self/stat")
        .ok()
        .and_then(|s| {
            let rest = &s[s.rfind(')')? + 2..];
            let f: Vec<&str> = rest.split_whitespace().collect();
            let user = f.get(11)?.parse::<f64>().ok()?;
            let system = f.get(12)?.parse::<f64>().ok()?;
            Some((user + system) / 100.0)
        })
        .unwrap_or(f64::NAN)
}

/// A count of cases right out of all cases.
#[derive(Debug, Default, Clone)]
pub struct Tally {
    /// Cases right.
    pub right: usize,
    /// All cases.
    pub total: usize,
}

impl Tally {
    /// Count one case.
    pub fn add(&mut self, ok: bool) {
        self.total += 1;
        self.right += usize::from(ok);
    }

    /// Add another tally's counts.
    pub fn merge(&mut self, o: &Tally) {
        self.right += o.right;
        self.total += o.total;
    }

    /// `98.5% (197/200)` with `decimals` places, `-` when empty.
    pub fn pct(&self, decimals: usize) -> String {
        if self.total == 0 {
            "-".into()
        } else {
            format!(
                "{:.*}% ({}/{})",
                decimals,
                100.0 * self.right as f64 / self.total as f64,
                self.right,
                self.total
            )
        }
    }
}
