//! What a TMX unit carries besides plain text: the inline codes of a segment, kept apart from
//! its text (which stays plain: matching, lookup and hashes read it), and the attributes,
//! `<prop>`s and `<note>`s of a `<tu>` or `<tuv>` that paralign has no column of its own for.
//! Plain values: the TMX reader fills them, the TMX writer puts them back in place, the store
//! keeps them as JSON. No I/O.

use serde::{Deserialize, Serialize};

use super::escape_into;

/// An inline code of a segment (TMX `<bpt>`, `<ept>`, `<ph>`, `<it>`, `<ut>`, `<hi>`).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct InlineCode {
    /// Where it stands in the plain text, in characters from the start.
    pub at: usize,
    /// The element: `bpt`, `ept`, `ph`, `it` or `ut`; `hi` for the start of a highlighted
    /// run of text and `/hi` for its end (the text between stays in the plain text).
    pub tag: String,
    /// Its attributes, in file order.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub attrs: Vec<(String, String)>,
    /// Its content as XML, escaped, `<sub>` elements written out (empty for `hi`).
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub content: String,
}

/// A `<prop>` or a `<note>` of a `<tu>` or `<tuv>`.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Annotation {
    /// `prop` or `note`.
    pub element: String,
    /// Its attributes (`type`, `xml:lang`, `o-encoding`), in file order.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub attrs: Vec<(String, String)>,
    /// Its text.
    pub text: String,
}

impl Annotation {
    /// The `type` of a `<prop>`.
    pub fn prop_type(&self) -> Option<&str> {
        if self.element != "prop" {
            return None;
        }
        self.attrs
            .iter()
            .find(|(k, _)| k == "type")
            .map(|(_, v)| v.as_str())
    }
}

/// What a `<tu>` or `<tuv>` carries that paralign keeps as it came: attributes (`creationid`,
/// `changeid`, `creationtool`, `usagecount`, `lastusagedate`, `tuid`, ...) and its `<prop>`
/// and `<note>` children, each in file order.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Meta {
    /// Attributes, in file order.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub attrs: Vec<(String, String)>,
    /// `<prop>` and `<note>` children, in file order.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub children: Vec<Annotation>,
}

impl Meta {
    /// Nothing to keep.
    pub fn is_empty(&self) -> bool {
        self.attrs.is_empty() && self.children.is_empty()
    }
}

/// Write a start tag's name and attributes (`<name a="v"`, not closed) into `out`; returns how
/// many characters XML forbids were replaced.
pub(crate) fn open_tag(name: &str, attrs: &[(String, String)], out: &mut String) -> usize {
    let mut replaced = 0;
    out.push('<');
    out.push_str(name);
    for (k, v) in attrs {
        out.push(' ');
        out.push_str(k);
        out.push_str("=\"");
        replaced += escape_into(v, true, out);
        out.push('"');
    }
    replaced
}

/// The content of a `<seg>`: the plain text escaped, the inline codes written in their
/// places (a code placed past the end stands at the end). Returns how many characters XML
/// forbids were replaced.
pub(crate) fn seg_content(text: &str, codes: &[InlineCode], out: &mut String) -> usize {
    let mut replaced = 0;
    let mut chars = text.char_indices().map(|(i, _)| i);
    let mut done_chars = 0;
    let mut done_bytes = 0;
    for code in codes {
        if code.at > done_chars {
            let skip = code.at - done_chars - 1;
            let end = chars.nth(skip).map_or(text.len(), |i| {
                text[i..].chars().next().map_or(i, |c| i + c.len_utf8())
            });
            replaced += escape_into(&text[done_bytes..end], false, out);
            done_bytes = end;
            done_chars = code.at;
        }
        replaced += write_code(code, out);
    }
    replaced += escape_into(&text[done_bytes..], false, out);
    replaced
}

fn write_code(code: &InlineCode, out: &mut String) -> usize {
    if code.tag == "/hi" {
        out.push_str("</hi>");
        return 0;
    }
    let replaced = open_tag(&code.tag, &code.attrs, out);
    if code.tag == "hi" {
        out.push('>');
    } else if code.content.is_empty() {
        out.push_str("/>");
    } else {
        out.push('>');
        out.push_str(&code.content);
        out.push_str("</");
        out.push_str(&code.tag);
        out.push('>');
    }
    replaced
}

/// An inline code written out in a test.
#[cfg(test)]
pub(crate) fn code(at: usize, tag: &str, attrs: &[(&str, &str)], content: &str) -> InlineCode {
    InlineCode {
        at,
        tag: tag.into(),
        attrs: attrs
            .iter()
            .map(|(k, v)| (k.to_string(), v.to_string()))
            .collect(),
        content: content.into(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn codes_go_back_in_their_places() {
        let codes = [
            code(0, "ph", &[("x", "1")], "&lt;br/&gt;"),
            code(2, "bpt", &[("i", "1"), ("type", "a\"b")], "&lt;b&gt;"),
            code(2, "hi", &[("type", "x")], ""),
            code(5, "/hi", &[], ""),
            code(5, "ept", &[("i", "1")], ""),
            code(99, "ut", &[], "{x}"),
        ];
        let mut out = String::new();
        assert_eq!(seg_content("día <a>", &codes, &mut out), 0);
        assert_eq!(
            out,
            "<ph x=\"1\">&lt;br/&gt;</ph>dí<bpt i=\"1\" type=\"a&quot;b\">&lt;b&gt;</bpt>\
             <hi type=\"x\">a &lt;</hi><ept i=\"1\"/>a&gt;<ut>{x}</ut>"
        );
        let mut plain = String::new();
        seg_content("día", &[], &mut plain);
        assert_eq!(plain, "día");
    }
}
