//! XLIFF files as document pairs for `check` and `align`: each file read whole (under the
//! size cap), strictly by the XLIFF reader of `exchange`, and its units paired as they stand.
//! A file that cannot be read becomes a document with that error, so that the rest of the run
//! goes on and the exit code says 2.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use crate::check::{check_linked, CheckOptions, DocResult, LinkedSet};
use crate::collect::read_capped;
use crate::error::Result;
use crate::exchange::{linked_set, read_xliff_with, Limits};

/// Check every XLIFF file, in the order given.
pub(super) fn check_xliff(paths: &[PathBuf], max_file: u64, opts: &CheckOptions) -> Vec<DocResult> {
    let ids = names(paths);
    paths
        .iter()
        .zip(ids)
        .map(|(path, id)| match read_pair(path, id.clone(), max_file) {
            Ok(set) => check_linked(set, opts),
            Err(e) => DocResult {
                id,
                source: None,
                targets: Vec::new(),
                errors: vec![e],
                notes: Vec::new(),
            },
        })
        .collect()
}

/// Read one XLIFF file as a document pair named `id`.
pub(super) fn read_pair(path: &Path, id: String, max_file: u64) -> Result<LinkedSet> {
    let bytes = read_capped(path, max_file)?;
    let limits = Limits {
        max_file,
        ..Limits::default()
    };
    let file = read_xliff_with(bytes.as_slice(), limits).map_err(|e| e.with_path(path))?;
    linked_set(&file, &path.display().to_string(), id)
}

/// Each file's document name: its name without the extension, or its path without it where
/// two files share a name.
pub(super) fn names(paths: &[PathBuf]) -> Vec<String> {
    let stem = |p: &PathBuf| {
        p.file_stem()
            .and_then(|s| s.to_str())
            .unwrap_or("document")
            .to_string()
    };
    let mut count: BTreeMap<String, usize> = BTreeMap::new();
    for p in paths {
        *count.entry(stem(p)).or_default() += 1;
    }
    paths
        .iter()
        .map(|p| {
            let s = stem(p);
            if count[&s] > 1 {
                p.with_extension("").display().to_string()
            } else {
                s
            }
        })
        .collect()
}
