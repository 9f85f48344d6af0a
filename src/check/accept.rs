//! Accepted findings: the acceptance file (`[[accept]]` entries, typed when read: a language
//! tag, a flag) and whether an entry covers a finding, or lapsed since. Reads and writes
//! text only; the CLI opens the file.

use serde::{Deserialize, Serialize};

use super::Finding;
use crate::align::Flag;
use crate::error::{Error, ErrorKind, Result};
use crate::language::LangTag;

/// A finding a team reviewed and accepted.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
pub struct Acceptance {
    /// The document's name.
    pub document: String,
    /// The target language (a file whose tag does not parse is refused when read).
    #[serde(with = "lang_text")]
    pub lang: LangTag,
    /// The paragraph's label, where it has one.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub label: Option<String>,
    /// The paragraph's text hash, where it has no label.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub paragraph: Option<String>,
    /// The accepted flag.
    #[serde(with = "flag_text")]
    pub flag: Flag,
    /// Hash of both sides' texts when accepted: a change makes the acceptance lapse.
    pub text: String,
    /// Why it is fine.
    pub reason: String,
}

/// An acceptance's language as the file writes it: a tag, parsed once when the file is read.
mod lang_text {
    use serde::{de::Error as _, Deserialize, Deserializer, Serializer};

    use crate::language::LangTag;

    pub fn serialize<S: Serializer>(l: &LangTag, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(l.as_str())
    }

    pub fn deserialize<'de, D: Deserializer<'de>>(d: D) -> Result<LangTag, D::Error> {
        let text = String::deserialize(d)?;
        LangTag::parse(&text)
            .map_err(|_| D::Error::custom(format!("`{text}` is not a language tag")))
    }
}

/// An acceptance's flag as the file writes it: its name (`missing`, `diverging`, ...).
mod flag_text {
    use serde::{de::Error as _, Deserialize, Deserializer, Serializer};

    use crate::align::Flag;

    pub fn serialize<S: Serializer>(f: &Flag, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(f.as_str())
    }

    pub fn deserialize<'de, D: Deserializer<'de>>(d: D) -> Result<Flag, D::Error> {
        let text = String::deserialize(d)?;
        Flag::parse(&text).ok_or_else(|| {
            let names: Vec<&str> = Flag::ALL.iter().map(|f| f.as_str()).collect();
            D::Error::custom(format!("`{text}` is not a flag ({})", names.join(", ")))
        })
    }
}

/// The acceptance file: `[[accept]]` entries.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Accepted {
    /// The entries.
    #[serde(default)]
    pub accept: Vec<Acceptance>,
}

/// Whether and how an acceptance covers a finding.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Acceptation {
    /// Not accepted.
    No,
    /// Accepted and unchanged since.
    Yes,
    /// Accepted, but the paragraph changed since: the acceptance lapsed.
    Lapsed,
}

impl Accepted {
    /// Parse an acceptance file.
    pub fn parse(text: &str) -> Result<Accepted> {
        // The message and the line only: the error's own rendering quotes the line, which
        // must not leak a file that is not an acceptance file into a log.
        toml::from_str(text).map_err(|e| {
            let line = e.span().map(|s| 1 + text[..s.start].matches('\n').count());
            let err = Error::new(ErrorKind::Config(format!(
                "not an acceptance file: {}",
                e.message().lines().collect::<Vec<_>>().join("; ")
            )));
            match line {
                Some(l) => err.with_line(l),
                None => err,
            }
        })
    }

    /// Write the file back.
    pub fn to_toml(&self) -> String {
        let mut out = String::from(
            "# Findings reviewed and accepted: `paralign check` no longer fails on them.\n\
             # An entry lapses when either paragraph changes (its `text` hash).\n",
        );
        for a in &self.accept {
            out.push_str("\n[[accept]]\n");
            out.push_str(&toml::to_string(a).unwrap_or_default());
        }
        out
    }

    /// The entry for a finding.
    pub fn entry(f: &Finding, reason: &str) -> Acceptance {
        let label = f.label().map(str::to_string);
        Acceptance {
            document: f.doc.id.clone(),
            lang: f.target.version.lang.clone(),
            paragraph: if label.is_none() {
                Some(f.paragraph_hash())
            } else {
                None
            },
            label,
            flag: f.flag,
            text: f.text_hash(),
            reason: reason.to_string(),
        }
    }

    /// Whether a finding is accepted.
    pub fn covers(&self, f: &Finding) -> Acceptation {
        let mut lapsed = false;
        for a in &self.accept {
            if a.document != f.doc.id
                || !a.lang.same_language(&f.target.version.lang)
                || a.flag != f.flag
            {
                continue;
            }
            let place = match (&a.label, &a.paragraph) {
                (Some(l), _) => f.label() == Some(l.as_str()),
                (None, Some(h)) => *h == f.paragraph_hash(),
                (None, None) => false,
            };
            if !place {
                continue;
            }
            if a.text == f.text_hash() {
                return Acceptation::Yes;
            }
            lapsed = true;
        }
        if lapsed {
            Acceptation::Lapsed
        } else {
            Acceptation::No
        }
    }
}
