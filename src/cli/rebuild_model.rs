//! `paralign rebuild-model`: train the memory's word models again from every stored segment
//! (imports train them on their new segments only; this starts afresh, e.g. after a large
//! deletion or to undo the drift of many small imports).

use clap::Args;

use super::import::{clock, db_location, print_committed};
use super::{DbArgs, EXIT_OK};
use crate::error::Result;
use crate::store::{ModelUpdate, Store, IN_MEMORY};
use crate::text::counted;

#[derive(Debug, Args)]
pub(super) struct RebuildModelArgs {
    #[command(flatten)]
    db: DbArgs,
}

pub(super) fn run(args: RebuildModelArgs) -> Result<i32> {
    let loc = db_location(&args.db);
    if loc.path.as_os_str() != IN_MEMORY && !loc.path.is_file() {
        // Says that there is no memory here yet, and how to make one.
        Store::open_read_only(&loc.path)?;
    }
    let mut store = Store::open(&loc.path, clock()?)?;
    let updates = store.rebuild_word_models()?;
    print_committed(&summary(&updates, &store), store.path())?;
    Ok(EXIT_OK)
}

/// One line per language pair, or one saying there was nothing to learn from.
fn summary(updates: &[ModelUpdate], store: &Store) -> String {
    if updates.is_empty() {
        return format!(
            "no segments to learn from in {}; the word models are empty\n",
            store.path().display()
        );
    }
    let mut out = String::new();
    for u in updates {
        out.push_str(&format!(
            "{} → {}: trained on {} of {}, {} with a translation\n",
            u.langs.0,
            u.langs.1,
            counted(u.pairs as usize, "pair", "pairs"),
            counted(u.segments, "segment", "segments"),
            counted(u.entries, "word", "words"),
        ));
    }
    out
}
