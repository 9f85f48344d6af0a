//! What `paralign accept` says it did: a line for each finding it recorded, then where they
//! went. Pure: the acceptances in, bytes out.

use std::io::{self, Write};
use std::path::Path;

use crate::check::Acceptance;
use crate::text::counted;

/// Write a line per new acceptance (`accepted DOC [LANG] FLAG paragraph LABEL`) and the file
/// they were written to.
pub(crate) fn write(out: &mut dyn Write, added: &[Acceptance], file: &Path) -> io::Result<()> {
    for a in added {
        let place = match &a.label {
            Some(l) => format!("paragraph {l}"),
            None => "(unlabelled paragraph)".to_string(),
        };
        writeln!(
            out,
            "accepted {} [{}] {} {place}",
            a.document,
            a.lang,
            a.flag.as_str()
        )?;
    }
    writeln!(
        out,
        "{} written to {}",
        counted(added.len(), "finding", "findings"),
        file.display()
    )
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::align::Flag;
    use crate::language::LangTag;

    fn acceptance(label: Option<&str>, flag: Flag) -> Acceptance {
        Acceptance {
            document: "statement".into(),
            lang: LangTag::parse("es").unwrap(),
            label: label.map(str::to_string),
            paragraph: label.is_none().then(|| "0f3a".to_string()),
            flag,
            reason: "proper names".into(),
            text: "9c1e".into(),
        }
    }

    #[test]
    fn each_acceptance_is_a_line_then_the_file() {
        let mut out = Vec::new();
        let added = [
            acceptance(Some("3"), Flag::Diverging),
            acceptance(None, Flag::Untranslated),
        ];
        write(&mut out, &added, Path::new(".paralign/accepted.toml")).unwrap();
        assert_eq!(
            String::from_utf8(out).unwrap(),
            "accepted statement [es] diverging paragraph 3\n\
             accepted statement [es] untranslated (unlabelled paragraph)\n\
             2 findings written to .paralign/accepted.toml\n"
        );
    }
}
