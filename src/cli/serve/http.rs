//! The small pieces of HTTP `serve` reads itself: percent-decoding a path segment, the query
//! string's parameters, a language code as Weblate sends it, and the route as logged (the text
//! looked up left out). No socket, no store.

use super::super::lang_flag;
use crate::error::Result;

/// Decode a percent-encoded path segment (`+` is a plus sign in a path).
pub(super) fn percent_decode(s: &str) -> Option<String> {
    let b = s.as_bytes();
    let mut out = Vec::with_capacity(b.len());
    let mut i = 0;
    while i < b.len() {
        if b[i] == b'%' {
            let hex = std::str::from_utf8(b.get(i + 1..i + 3)?).ok()?;
            out.push(u8::from_str_radix(hex, 16).ok()?);
            i += 3;
        } else {
            out.push(b[i]);
            i += 1;
        }
    }
    String::from_utf8(out).ok()
}

/// The parameters of a query string (`a=1&b=x+y`), decoded (`+` is a space there), names with
/// `-` made `_` (`lang-pair` as the flag is written, or `lang_pair`). None when one is not
/// percent-encoded UTF-8.
pub(super) fn query_params(query: &str) -> Option<Vec<(String, String)>> {
    query
        .split('&')
        .filter(|p| !p.is_empty())
        .map(|p| {
            let (k, v) = p.split_once('=').unwrap_or((p, ""));
            let k = percent_decode(&k.replace('+', " "))?.replace('-', "_");
            let v = percent_decode(&v.replace('+', " "))?;
            Some((k, v))
        })
        .collect()
}

/// A language code as Weblate sends it (`pt_br`) as a tag (`pt-BR`).
pub(super) fn tag(code: &str) -> Result<String> {
    let code = code.replace('_', "-");
    Ok(lang_flag(Some(&code), "language")?
        .map(|t| t.to_string())
        .unwrap_or_default())
}

/// A tag as Weblate compares it in the tmserver language list (`pt-BR` as `pt_br`).
pub(super) fn weblate_code(tag: &str) -> String {
    tag.replace('-', "_").to_lowercase()
}

/// The route as logged: the tmserver text and the query string left out.
pub(super) fn logged_route(path: &str) -> String {
    match path.find("/unit/") {
        Some(k) if path.starts_with("/tmserver/") => format!("{}/unit/…", &path[..k]),
        _ => path.split('?').next().unwrap_or("").to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn paths_and_queries_decode_and_logs_hide_the_text() {
        assert_eq!(
            percent_decode("Hello%20W%C3%B6rld+1").as_deref(),
            Some("Hello Wörld+1")
        );
        assert_eq!(percent_decode("%zz"), None);
        assert_eq!(percent_decode("%C3"), None);
        assert_eq!(
            query_params("lang-pair=en%3Aes&text=own+story&&limit=0").unwrap(),
            [
                ("lang_pair".to_string(), "en:es".to_string()),
                ("text".to_string(), "own story".to_string()),
                ("limit".to_string(), "0".to_string()),
            ]
        );
        assert_eq!(query_params("a=%C3"), None);
        assert_eq!(
            logged_route("/tmserver/en/es/unit/Secret%20text"),
            "/tmserver/en/es/unit/…"
        );
        assert_eq!(logged_route("/api/v1/lookup?x=1"), "/api/v1/lookup");
        assert_eq!(tag("pt_br").unwrap(), "pt-BR");
        assert_eq!(weblate_code("pt-BR"), "pt_br");
        assert_eq!(weblate_code("zh-Hans"), "zh_hans");
    }
}
