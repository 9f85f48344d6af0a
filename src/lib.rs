//! paralign aligns the language versions of a document paragraph by paragraph, scores each
//! pair by how likely it is a translation, and flags what a reviewer must see: missing, extra,
//! untranslated, diverging, misnumbered and reordered paragraphs.
//!
//! The library does the work; the `paralign` binary is the command line around it. Library
//! code never prints: reports are built by [`report`] from the data returned here.
#![deny(missing_docs)]

pub mod align;
pub mod check;
pub mod cli;
pub mod collect;
pub mod document;
mod error;
pub mod exchange;
pub mod language;
pub mod model;
pub mod report;
pub mod reuse;
pub mod score;
pub mod store;
pub mod text;
pub mod time;

pub use error::{Error, ErrorKind, Result};
