//! The queries of a batch lookup, read before any lookup is done: plain lines (`lookup --file
//! FILE`, one text per line) or JSON lines (`lookup --jsonl FILE`, one object per line,
//! `{"text": "…", "id": …}`), from a file or from standard input (`-`). Blank lines are no
//! queries; a bad line stops the batch before any output, with its file and line named.

use std::io::BufRead;

use serde::Deserialize;

use crate::error::{Error, Result};

/// One query of a batch.
#[derive(Debug, Clone, PartialEq)]
pub(super) struct Query {
    /// The 1-based line it was read from.
    pub line: usize,
    /// The caller's id for it (JSON lines only), echoed in the answer.
    pub id: Option<serde_json::Value>,
    /// The text to look up.
    pub text: String,
}

/// One JSON line of `--jsonl`.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct JsonQuery {
    text: String,
    #[serde(default)]
    id: Option<serde_json::Value>,
}

/// How the queries are written.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum QueryFormat {
    /// One text per line.
    Lines,
    /// One JSON object per line.
    JsonLines,
}

/// Read the queries from `input`, named `name` in messages.
pub(super) fn read_queries(
    input: impl BufRead,
    name: &str,
    format: QueryFormat,
) -> Result<Vec<Query>> {
    let mut out = Vec::new();
    for (k, line) in input.lines().enumerate() {
        let at = |e: Error| e.with_path(name).with_line(k + 1);
        let line = line.map_err(|e| at(Error::from(e)))?;
        let line = line.strip_prefix('\u{FEFF}').unwrap_or(&line);
        if line.trim().is_empty() {
            continue;
        }
        let (text, id) = match format {
            QueryFormat::Lines => (line.to_string(), None),
            QueryFormat::JsonLines => {
                let q: JsonQuery = serde_json::from_str(line).map_err(|e| {
                    at(Error::input(format!(
                        "not a query object ({e}); write one {{\"text\": \"…\", \"id\": …}} per line"
                    )))
                })?;
                (q.text, q.id)
            }
        };
        if text.trim().is_empty() {
            return Err(at(Error::input("the query's text is empty")));
        }
        out.push(Query {
            line: k + 1,
            id,
            text,
        });
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lines_and_json_lines() {
        let q = read_queries(
            "One.\n\n  \nTwo %s.\n".as_bytes(),
            "q.txt",
            QueryFormat::Lines,
        )
        .unwrap();
        assert_eq!(
            q.iter()
                .map(|q| (q.line, q.text.as_str()))
                .collect::<Vec<_>>(),
            [(1, "One."), (4, "Two %s.")]
        );
        let q = read_queries(
            "{\"text\":\"One.\",\"id\":7}\n{\"text\":\"Two.\"}\n".as_bytes(),
            "-",
            QueryFormat::JsonLines,
        )
        .unwrap();
        assert_eq!(q[0].id, Some(serde_json::json!(7)));
        assert_eq!((q[1].line, q[1].id.clone()), (2, None));
    }

    #[test]
    fn a_bad_line_is_named() {
        let e = read_queries(
            "{\"text\":\"One.\"}\n{\"txt\":\"x\"}\n".as_bytes(),
            "q.jsonl",
            QueryFormat::JsonLines,
        )
        .unwrap_err();
        assert!(e.to_string().starts_with("q.jsonl:2: "), "{e}");
        let e = read_queries(
            "{\"text\":\" \"}\n".as_bytes(),
            "q.jsonl",
            QueryFormat::JsonLines,
        )
        .unwrap_err();
        assert!(e.to_string().contains("q.jsonl:1"), "{e}");
    }
}
