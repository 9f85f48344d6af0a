//! Inline codes that a translation must carry over unchanged, compared between a source and
//! its translation as translate-toolkit's pofilter does (`printf`, `variables`, `xmltags`,
//! `urls`), with fewer false alarms: placeholders and format specifiers (`%s`, `%1$d`,
//! `%(name)s`, `{0}`, `{name}`, `{{var}}`, `${x}`, `:emoji:`) and keyboard shortcuts
//! (`Ctrl+S`: the key, whatever the modifiers are called in the translation), inline code
//! (`` `npm install` ``), tags (`<b>`, `</kbd>`: their names) and link targets (Markdown's
//! `[text](target)`). Each kind is compared as a multiset: order may change, the tokens may
//! not. A percentage (`38 %`, `50% off`) is no specifier. Pure: text in, reasons out.

use std::sync::LazyLock;

use regex::Regex;

use super::Reason;

static PLACEHOLDER: LazyLock<Option<Regex>> = LazyLock::new(|| {
    Regex::new(concat!(
        r"\$\{[A-Za-z_][\w.]*\}",
        r"|\{\{\s*[\w.]+\s*\}\}",
        r"|\{\d+\}|\{[A-Za-z_][\w.]*\}",
        r"|%\(\w+\)[sdifr]",
        r"|%(?:\d+\$)?[-+0#]*(?:\d+|\*)?(?:\.(?:\d+|\*))?(?:hh|h|ll|l|L|z|j|t|q)?[diouxXeEfFgGcsp@]",
    ))
    .ok()
});

static EMOJI: LazyLock<Option<Regex>> =
    LazyLock::new(|| Regex::new(r":[a-z0-9_+-]*[a-z][a-z0-9_+-]*:").ok());

const MODIFIERS: &str = r"Ctrl|Control|Ctl|Alt|AltGr|Option|Opt|Shift|Cmd|Command|Meta|Super|Win|Fn|Strg|Umschalt|Maj|Mayús|Mayus|Ctrl|⌘|⌥|⇧|⌃";

static SHORTCUT: LazyLock<Option<Regex>> = LazyLock::new(|| {
    Regex::new(&format!(
        r"(?:{MODIFIERS})(?:\s*\+\s*(?:{MODIFIERS}))*\s*\+\s*(F\d{{1,2}}|[A-Za-z0-9])\b"
    ))
    .ok()
});

static TAG: LazyLock<Option<Regex>> =
    LazyLock::new(|| Regex::new(r"<(/?)([A-Za-z][A-Za-z0-9-]*)(?:\s[^<>]*)?/?>").ok());

/// The inline codes of a text.
#[derive(Debug, Default, PartialEq, Eq)]
pub(crate) struct Inline {
    pub placeholders: Vec<String>,
    pub code: Vec<String>,
    pub tags: Vec<String>,
}

/// The reasons a translation's inline codes differ from its source's: `placeholders`, `code`,
/// `tags` and `links` (link targets).
pub(crate) fn differences(
    source: &str,
    source_targets: &[String],
    target: &str,
    target_targets: &[String],
) -> Vec<Reason> {
    let (s, t) = (inline(source), inline(target));
    let mut out = Vec::new();
    if s.placeholders != t.placeholders {
        out.push(Reason::Placeholders);
    }
    if s.code != t.code {
        out.push(Reason::Code);
    }
    if s.tags != t.tags {
        out.push(Reason::Tags);
    }
    let (mut a, mut b) = (source_targets.to_vec(), target_targets.to_vec());
    a.sort();
    b.sort();
    if a != b {
        out.push(Reason::Links);
    }
    out
}

/// The inline codes of a text, each kind sorted.
pub(crate) fn inline(text: &str) -> Inline {
    let mut out = Inline::default();
    // Code spans first: what is inside them is code, not placeholders or tags.
    let mut rest = String::with_capacity(text.len());
    let mut parts = text.split('`');
    if let Some(first) = parts.next() {
        rest.push_str(first);
    }
    let parts: Vec<&str> = parts.collect();
    let closed = parts.len() - parts.len() % 2;
    for (k, p) in parts.iter().enumerate() {
        if k % 2 == 0 && k < closed {
            out.code.push(p.trim().to_string());
        } else {
            rest.push(' ');
            rest.push_str(p);
        }
    }
    if let Some(re) = PLACEHOLDER.as_ref() {
        for m in re.find_iter(&rest) {
            let after = rest[m.end()..].chars().next();
            let before = rest[..m.start()].chars().next_back();
            let printf = m.as_str().starts_with('%') && !m.as_str().starts_with("%(");
            // `50%off`, `3%d` in prose: a percentage, not a specifier.
            if printf
                && (after.is_some_and(char::is_alphanumeric)
                    || before.is_some_and(|c| c.is_ascii_digit()))
            {
                continue;
            }
            out.placeholders.push(m.as_str().to_string());
        }
    }
    if let Some(re) = EMOJI.as_ref() {
        for m in re.find_iter(&rest) {
            let after = rest[m.end()..].chars().next();
            let before = rest[..m.start()].chars().next_back();
            let bounded = |c: Option<char>| !c.is_some_and(|c| c.is_alphanumeric() || c == ':');
            if bounded(before) && bounded(after) {
                out.placeholders.push(m.as_str().to_string());
            }
        }
    }
    if let Some(re) = SHORTCUT.as_ref() {
        for c in re.captures_iter(&rest) {
            let plus = c.get(0).map_or(0, |m| m.as_str().matches('+').count());
            let key = c.get(1).map_or("", |m| m.as_str()).to_uppercase();
            out.placeholders.push(format!("{plus}+{key}"));
        }
    }
    if let Some(re) = TAG.as_ref() {
        for c in re.captures_iter(&rest) {
            let close = c.get(1).map_or("", |m| m.as_str());
            let name = c.get(2).map_or("", |m| m.as_str()).to_ascii_lowercase();
            out.tags.push(format!("<{close}{name}>"));
        }
    }
    out.placeholders.sort();
    out.code.sort();
    out.tags.sort();
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn reasons(s: &str, t: &str) -> Vec<Reason> {
        differences(s, &[], t, &[])
    }

    #[test]
    fn placeholders_and_specifiers_must_match() {
        for (s, t) in [
            ("Hello {name}, welcome", "Hola {nombre}, bienvenido"),
            ("Save {product} now", "Guarda {producto} ahora"),
            ("Deleted %d files", "Borrados %s archivos"),
            ("File %1$s in %2$d", "Archivo %1$s en %3$d"),
            ("Hi {{user}}", "Hola {{usuario}}"),
            ("Path ${HOME}", "Ruta ${INICIO}"),
            ("Item {0} of {1}", "Elemento {0} de {2}"),
            ("Done :tada:", "Hecho :fiesta:"),
            ("Press Ctrl+S to save", "Pulsa Ctrl+G para guardar"),
            ("Value %(count)d", "Valor %(cuenta)d"),
        ] {
            assert_eq!(reasons(s, t), vec![Reason::Placeholders], "{s} / {t}");
        }
    }

    #[test]
    fn what_is_carried_over_or_is_prose_passes() {
        for (s, t) in [
            ("File %2$s in %1$d", "En %1$d el archivo %2$s"),
            (
                "Fares rose by 38% from April",
                "Las tarifas subieron un 38 % desde abril",
            ),
            ("Save 50%off today", "Ahorra 50%de descuento hoy"),
            ("Press Ctrl+Shift+S", "Drücken Sie Strg+Umschalt+S"),
            ("Hello {name} :tada:", ":tada: ¡Hola {name}!"),
            ("At 10:30:45 sharp", "A las 10:30:45 en punto"),
            ("Use <b>bold</b> here", "Usa <b>negrita</b> aquí"),
            ("Run `npm install --save`", "Ejecuta `npm install --save`"),
        ] {
            assert_eq!(reasons(s, t), Vec::<Reason>::new(), "{s} / {t}");
        }
    }

    #[test]
    fn code_tags_and_link_targets_must_match() {
        assert_eq!(
            reasons(
                "Run `npm install --save`",
                "Ejecuta `npm instalar --guardar`"
            ),
            vec![Reason::Code]
        );
        assert_eq!(
            reasons("Use <b>bold</b> here", "Usa <i>negrita</i> aquí"),
            vec![Reason::Tags]
        );
        assert_eq!(
            reasons("Press <kbd>Enter</kbd>", "Pulsa Intro"),
            vec![Reason::Tags]
        );
        // Inside code, braces are code.
        assert_eq!(reasons("Type `{x}`", "Escribe `{x}`"), Vec::<Reason>::new());
        assert_eq!(
            differences(
                "See the guide",
                &["https://example.org/guide".into()],
                "Vea la guía",
                &["/guia".into()]
            ),
            vec![Reason::Links]
        );
    }
}
