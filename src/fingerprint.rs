//! Hashes, in one place: cache keys (fast, for one process) and stable ids (sha256, for what
//! archivists cite and must not change between runs or machines).

use sha2::{Digest, Sha256};
use std::hash::{Hash, Hasher};

/// A cache key for `value`, valid within one process.
pub fn key(value: &impl Hash) -> u64 {
    let mut h = std::collections::hash_map::DefaultHasher::new();
    value.hash(&mut h);
    h.finish()
}

/// Lowercase hexadecimal of `bytes`.
pub fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

/// `prefix-` and 12 hex digits of the sha256 of `parts`: an id that stays the same for as long
/// as what it is derived from does.
pub fn stable_id(prefix: &str, parts: &[&str]) -> String {
    let mut h = Sha256::new();
    for p in parts {
        h.update(p.as_bytes());
        h.update([0]);
    }
    format!("{prefix}-{}", &hex(&h.finalize())[..12])
}

/// Makes ids unique in order: the second and later uses of an id get `-2`, `-3`, ….
pub fn number_repeats<'a>(ids: impl IntoIterator<Item = &'a mut String>) {
    let mut seen = std::collections::BTreeMap::<String, usize>::new();
    for id in ids {
        let n = seen.entry(id.clone()).or_default();
        *n += 1;
        if *n > 1 {
            *id = format!("{id}-{n}");
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ids_are_stable_and_repeats_numbered() {
        assert_eq!(stable_id("q", &["a", "b"]), stable_id("q", &["a", "b"]));
        assert_ne!(stable_id("q", &["ab"]), stable_id("q", &["a", "b"]));
        let mut ids = vec!["x".to_string(), "y".into(), "x".into(), "x".into()];
        number_repeats(ids.iter_mut());
        assert_eq!(ids, ["x", "y", "x-2", "x-3"]);
    }
}
