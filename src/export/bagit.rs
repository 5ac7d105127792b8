//! `dossier export bagit DIR`: the dossier and its built site as a BagIt bag (RFC 8493), for
//! archives and repositories that check fixity. The payload is `data/dossier/` (the dossier's
//! own files, see [`super`]) and `data/site/` (the site as `build` makes it, under the
//! configured base URL or `--base-url`); the tag files are `bagit.txt`, `bag-info.txt`,
//! `manifest-sha256.txt` and `tagmanifest-sha256.txt`.
//!
//! The bag is deterministic: files and manifest lines are sorted, lines end in LF, and
//! `Bagging-Date` is `SOURCE_DATE_EPOCH`'s day (UTC) if set, else the day of the last git
//! commit (UTC), else left out with warning W703 — never the clock. A seed's bytes in the bag
//! are the ones load checked against its sidecar's `sha256`, so its manifest line repeats that
//! value; a dossier with errors (E202 fixity among them) writes no bag.

use super::{dossier_files, Target};
use crate::diagnostics::{code, Diagnostic, Diagnostics, Location};
use crate::BuildOptions;
use rayon::prelude::*;
use sha2::{Digest, Sha256};
use std::borrow::Cow;
use std::collections::BTreeMap;
use std::path::PathBuf;

/// The tag file that says which BagIt version and encoding the bag uses.
pub const BAGIT_TXT: &str = "BagIt-Version: 1.0\nTag-File-Character-Encoding: UTF-8\n";

/// What `export bagit` was asked to do.
#[derive(Clone, Debug)]
pub struct BagOptions {
    /// The dossier's root and base URL (`--root`, `--base-url`); drafts are never exported.
    pub build: BuildOptions,
    /// The folder the bag is written to: new or empty.
    pub target: PathBuf,
}

/// Builds the dossier and writes it as a bag into `options.target`. Nothing is written when
/// there is an error; every problem found is reported at once.
pub fn export(options: &BagOptions) -> Diagnostics {
    let mut diags = Diagnostics::default();
    let root = options.build.load.root.as_path();
    let target = Target::check(root, &options.target)
        .map_err(|d| diags.push(d))
        .ok();
    let (compiled, built) = crate::compile(&options.build);
    diags.extend(built.iter().cloned());
    let sources = dossier_files(root, &mut diags);
    let (Some((dossier, site)), Some(target)) = (compiled, target) else {
        return diags;
    };
    let date = bagging_date(root, dossier.build_time.as_ref(), &mut diags);
    // A seed's bytes are the ones load read and checked against its sidecar.
    let seeds: BTreeMap<&str, &[u8]> = dossier
        .seeds
        .iter()
        .map(|(_, node)| (node.seed.path.as_str(), node.seed.bytes.as_slice()))
        .collect();
    let mut payload: Vec<(String, Cow<[u8]>)> = Vec::new();
    for file in &sources {
        let bytes = match seeds.get(file.rel.as_str()) {
            Some(bytes) => Cow::Borrowed(*bytes),
            None => match std::fs::read(&file.path) {
                Ok(bytes) => Cow::Owned(bytes),
                Err(e) => {
                    diags.push(
                        Diagnostic::error(
                            code::IO,
                            Location::file(&file.rel),
                            format!("cannot read {}: {e}", file.rel),
                        )
                        .with_hint("check the file's permissions; nothing was exported"),
                    );
                    continue;
                }
            },
        };
        payload.push((format!("data/dossier/{}", file.rel), bytes));
    }
    if diags.has_errors() {
        return diags;
    }
    for (rel, bytes) in &site.files {
        payload.push((format!("data/site/{rel}"), Cow::Borrowed(bytes.as_ref())));
    }
    payload.sort_by(|a, b| a.0.cmp(&b.0));

    let title = dossier.config.title.split_whitespace().collect::<Vec<_>>();
    let info = bag_info(date.as_deref(), &title.join(" "), &payload);
    let manifest = manifest(payload.iter().map(|(p, b)| (p.as_str(), b.as_ref())));
    let tags = [
        ("bag-info.txt", info.as_bytes()),
        ("bagit.txt", BAGIT_TXT.as_bytes()),
        ("manifest-sha256.txt", manifest.as_bytes()),
    ];
    let tag_manifest = self::manifest(tags);
    let files = payload
        .iter()
        .map(|(p, b)| (p.as_str(), b.as_ref()))
        .chain(tags)
        .chain([("tagmanifest-sha256.txt", tag_manifest.as_bytes())]);
    if let Err(d) = target.write_all(files) {
        diags.push(d);
    }
    diags
}

/// `Bagging-Date`: the build time (`SOURCE_DATE_EPOCH`, which load checked) as a UTC day,
/// else the UTC day of the last commit of the repository holding the root, else none (warning
/// W703).
fn bagging_date(
    root: &std::path::Path,
    build_time: Option<&crate::date::Date>,
    diags: &mut Diagnostics,
) -> Option<String> {
    let place = || Location::file("SOURCE_DATE_EPOCH");
    match build_time {
        // RFC 3339 in UTC starts with the day.
        Some(time) => Some(time.rfc3339()[..10].to_string()),
        None => {
            let day = crate::load::git::last_commit_time(root).and_then(crate::date::utc_day);
            if day.is_none() {
                diags.push(
                    Diagnostic::warning(
                        code::NO_EXPORT_DATE,
                        place(),
                        "the bag has no Bagging-Date: SOURCE_DATE_EPOCH is not set and the dossier has no git commit",
                    )
                    .with_hint("set SOURCE_DATE_EPOCH (seconds since 1970) to date the bag"),
                );
            }
            day
        }
    }
}

/// `bag-info.txt`: its labels in alphabetical order, one line each.
fn bag_info(date: Option<&str>, title: &str, payload: &[(String, Cow<[u8]>)]) -> String {
    let bytes: usize = payload.iter().map(|(_, b)| b.len()).sum();
    let mut info = format!(
        "Bag-Software-Agent: dossier {}\n",
        env!("CARGO_PKG_VERSION")
    );
    if let Some(date) = date {
        info.push_str(&format!("Bagging-Date: {date}\n"));
    }
    if !title.is_empty() {
        info.push_str(&format!("External-Description: {title}\n"));
    }
    info.push_str(&format!("Payload-Oxum: {bytes}.{}\n", payload.len()));
    info
}

/// A sha256 manifest: `<hex>  <path>` lines, sorted by path.
fn manifest<'a>(files: impl IntoIterator<Item = (&'a str, &'a [u8])>) -> String {
    let files: Vec<_> = files.into_iter().collect();
    let mut lines: Vec<(String, String)> = files
        .par_iter()
        .map(|(path, bytes)| {
            let hash = crate::fingerprint::hex(&Sha256::digest(bytes));
            (encode_path(path), hash)
        })
        .collect();
    lines.sort();
    lines
        .into_iter()
        .map(|(path, hash)| format!("{hash}  {path}\n"))
        .collect()
}

/// A file path as a manifest writes it: `%`, CR and LF percent-encoded (RFC 8493, 2.1.3).
pub fn encode_path(path: &str) -> String {
    path.replace('%', "%25")
        .replace('\r', "%0D")
        .replace('\n', "%0A")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn manifest_paths_encode_percent_and_line_breaks() {
        assert_eq!(encode_path("data/a%b\r\nc.txt"), "data/a%25b%0D%0Ac.txt");
        assert_eq!(encode_path("data/plain.txt"), "data/plain.txt");
    }

    #[test]
    fn manifests_are_sorted_with_two_spaces() {
        let m = manifest([("data/b", b"" as &[u8]), ("data/a", b"abc")]);
        assert_eq!(
            m,
            "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad  data/a\n\
             e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855  data/b\n"
        );
    }

    #[test]
    fn bag_info_counts_the_payload_and_leaves_out_what_is_unknown() {
        let payload = vec![
            ("data/a".to_string(), Cow::Borrowed(b"abc" as &[u8])),
            ("data/b".to_string(), Cow::Borrowed(b"de" as &[u8])),
        ];
        let version = env!("CARGO_PKG_VERSION");
        assert_eq!(
            bag_info(Some("2024-05-06"), "A title", &payload),
            format!("Bag-Software-Agent: dossier {version}\nBagging-Date: 2024-05-06\nExternal-Description: A title\nPayload-Oxum: 5.2\n")
        );
        assert_eq!(
            bag_info(None, "", &payload),
            format!("Bag-Software-Agent: dossier {version}\nPayload-Oxum: 5.2\n")
        );
    }
}
