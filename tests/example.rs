//! The bundled example dossier (the repository root) builds without a warning, its seeds are
//! the shared originals byte for byte, and every internal link and anchor resolves under a
//! sub-path base URL.
//!
//! CI also runs this against the release binary's output: set `DOSSIER_SITE` to a built site
//! and `DOSSIER_BASE_PATH` to its base path to check that site instead of building one.

mod common;
use common::*;
use std::path::PathBuf;

fn repo() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

#[test]
fn example_dossier_builds_without_warnings_and_every_link_resolves() {
    let (site, base, _keep) = match std::env::var("DOSSIER_SITE") {
        Ok(site) => (
            PathBuf::from(site),
            std::env::var("DOSSIER_BASE_PATH").unwrap_or("/".into()),
            None,
        ),
        Err(_) => {
            let tmp = tempfile::tempdir().unwrap();
            let mut options = dossier::BuildOptions::new(repo());
            options.load.base_url = Some("https://example.org/some/sub-path/".into());
            options.output = Some(tmp.path().join("site"));
            let diags = dossier::build(&options);
            assert_eq!(diags.iter().count(), 0, "{}", diags.render_human());
            (
                tmp.path().join("site"),
                "/some/sub-path/".to_string(),
                Some(tmp),
            )
        }
    };
    assert!(
        site.join("index.html").is_file(),
        "no site at {}",
        site.display()
    );
    let broken = broken_links(&site, &base);
    assert!(broken.is_empty(), "broken links:\n{}", broken.join("\n"));
}

#[test]
fn example_seeds_are_the_originals_with_matching_sidecars() {
    let expected = [
        (
            "000_af23199f87a247d1.txt",
            "358476bda17798e38c8b84a722396e90069ac9998712da1471c48d45bb7d59c9",
        ),
        (
            "003_4de4b0ce87d31f67.txt",
            "6ce47b758dba237ec0fcaeb226c724b34c42e4bcc6eb2124823214356591a640",
        ),
    ];
    for (file, sha) in expected {
        use sha2::Digest;
        let bytes = std::fs::read(repo().join("seeds").join(file)).unwrap();
        assert_eq!(format!("{:x}", sha2::Sha256::digest(&bytes)), sha, "{file}");
        let sidecar =
            std::fs::read_to_string(repo().join("seeds").join(file).with_extension("yaml"))
                .unwrap();
        assert!(
            sidecar.contains(sha),
            "{file}'s sidecar records its checksum"
        );
    }
}

#[test]
fn example_seed_pages_have_the_expected_shape() {
    let tmp = tempfile::tempdir().unwrap();
    let mut options = dossier::BuildOptions::new(repo());
    options.output = Some(tmp.path().join("site"));
    assert!(!dossier::build(&options).has_errors());
    let page = |rel: &str| {
        scraper::Html::parse_document(
            &std::fs::read_to_string(tmp.path().join("site").join(rel)).unwrap(),
        )
    };
    let iom = page("sources/iom-voa/index.html");
    assert_eq!(
        select(&iom, ".para").len(),
        8,
        "a file without blank lines has a paragraph per line"
    );
    assert!(text(&select(&iom, ".field-publisher")[0]).contains("inferred"));
    let ima = page("sources/ima-statement/index.html");
    assert_eq!(select(&ima, ".para").len(), 4);
    assert!(!select(&ima, ".field-publisher")[0]
        .value()
        .classes()
        .any(|c| c == "is-inferred"));
    // Every analysis cites both sources.
    for analysis in ["analysis/framing/index.html", "analysis/voices/index.html"] {
        let cites: Vec<String> = select(&page(analysis), ".cites > ul > li > a:first-child")
            .iter()
            .map(|a| a.value().attr("href").unwrap().to_string())
            .collect();
        assert_eq!(
            cites,
            [
                "/caravan-dossier/sources/ima-statement/",
                "/caravan-dossier/sources/iom-voa/"
            ],
            "{analysis}"
        );
    }
}
