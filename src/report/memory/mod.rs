//! The memory commands' output: `status`, `segments`, `lookup`, `analyze`, `pretranslate` and
//! `lexicon`, each a pure writer from the store's (or the library's) answer to bytes over
//! `Write`, with the types it is given and the serde structs of its JSON contract (`version`
//! 1). Choosing the format and where the bytes go is `cli`'s; nothing here opens a file, reads
//! the memory or prints.

pub(crate) mod analyze;
pub(crate) mod lexicon;
pub(crate) mod lookup;
pub(crate) mod pretranslate;
pub(crate) mod segments;
pub(crate) mod status;
pub(crate) mod status_doc;

/// The formats `status` writes itself (its HTML is the review page of [`crate::report`]).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Form {
    /// A table for people.
    Text,
    /// The versioned JSON contract.
    Json,
    /// Markdown, for a pull request comment.
    Markdown,
}
