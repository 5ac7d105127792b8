//! The output folder under misuse: two builds at once, symbolic links into the sources, what
//! killed builds left beside the output, a user's folder with one of dossier's names, and an
//! output that is a mount point.

mod common;

use common::{names, only_error, snapshot, Fixture};
use dossier::diagnostics::Diagnostics;
use dossier::write::{Staging, MARKER};
use std::path::{Path, PathBuf};

fn warnings(diags: &Diagnostics, code: &str) -> Vec<String> {
    diags
        .sorted()
        .into_iter()
        .filter(|d| d.code == code)
        .map(|d| d.message)
        .collect()
}

/// A marked output with a `.git` holding a file.
fn built_with_git(f: &Fixture) {
    f.build_ok();
    std::fs::create_dir_all(f.out().join(".git")).unwrap();
    std::fs::write(f.out().join(".git/HEAD"), "ref: refs/heads/gh-pages\n").unwrap();
}

#[test]
fn a_second_build_into_the_same_output_is_refused_while_the_first_runs() {
    let f = Fixture::new("basic");
    f.build_ok();
    let before = snapshot(&f.out());
    let first = Staging::open(&f.root(), &f.out()).unwrap();
    let out = f.out();
    let pid = std::process::id();
    let message = format!("another build is writing {} (pid {pid})", out.display());

    let e = only_error(&f.build());
    assert_eq!(e.code, "E501");
    assert_eq!(e.message, message);
    assert_eq!(
        e.hint.unwrap(),
        format!(
            "wait for it to finish; if no build is running, another program holds {}",
            f.path(".public.dossier-lock").display()
        )
    );
    // The same from another process, the command line.
    let run = std::process::Command::new(env!("CARGO_BIN_EXE_dossier"))
        .args(["build", "--root"])
        .arg(f.root())
        .output()
        .unwrap();
    assert_eq!(run.status.code(), Some(1));
    let stderr = String::from_utf8_lossy(&run.stderr);
    assert!(
        stderr.contains(&format!("error[E501]: {message}")),
        "{stderr}"
    );
    assert!(snapshot(&out) == before, "the output was touched");

    drop(first);
    f.build_ok();
    assert!(
        !f.path(".public.dossier-lock").exists(),
        "the lock file is removed"
    );
    assert!(!names(&f.root()).iter().any(|n| n.contains(".dossier-")));
}

#[test]
fn a_lock_left_by_a_killed_build_does_not_block_the_next() {
    let f = Fixture::new("basic");
    // A lock file nobody holds (its process is gone): the system released the lock.
    f.write(".public.dossier-lock", "999999999");
    f.build_ok();
    assert!(!f.path(".public.dossier-lock").exists());
}

#[test]
fn a_symbolic_link_into_the_sources_is_refused() {
    let f = Fixture::new("basic");
    let outside = f.dir.path();
    let link = |name: &str, to: &Path| {
        let path = outside.join(name);
        std::os::unix::fs::symlink(to, &path).unwrap();
        path
    };
    let to_seeds = link("to-seeds", &f.path("seeds"));
    let to_content = link("to-content", &f.path("content"));
    let to_root = link("to-root", &f.root());
    std::os::unix::fs::symlink("seeds", f.path("published")).unwrap();
    let dangling = link("dangling", &outside.join("nowhere"));
    let cases: [(PathBuf, &str); 6] = [
        (
            to_seeds.clone(),
            "refusing to write the site into seeds/, which holds the dossier's sources",
        ),
        (
            f.path("published"),
            "refusing to write the site into seeds/, which holds the dossier's sources",
        ),
        (
            to_content.join("site"),
            "refusing to write the site into content/, which holds the dossier's sources",
        ),
        (
            to_content.join("new/deeper"),
            "refusing to write the site into content/, which holds the dossier's sources",
        ),
        (to_root.clone(), ""),
        (dangling.clone(), "-"),
    ];
    for (out, expected) in cases {
        let before = snapshot(outside);
        let mut options = f.options();
        options.output = Some(out.clone());
        let e = only_error(&dossier::build(&options));
        assert_eq!(e.code, "E500");
        let expected = match expected {
            "" => format!(
                "refusing to write the site to {}: it holds the dossier itself",
                out.display()
            ),
            "-" => format!("{} exists and is not a folder", out.display()),
            text => text.to_string(),
        };
        assert_eq!(e.message, expected, "{}", out.display());
        assert!(snapshot(outside) == before, "{} changed", out.display());
    }
}

#[test]
fn an_output_that_is_a_link_to_a_folder_is_written_where_it_points() {
    let f = Fixture::new("basic");
    let target = f.dir.path().join("www/site");
    std::fs::create_dir_all(&target).unwrap();
    std::os::unix::fs::symlink(&target, f.out()).unwrap();
    f.build_ok();
    f.build_ok();
    assert!(std::fs::symlink_metadata(f.out()).unwrap().is_symlink());
    assert!(target.join("index.html").is_file());
    assert_eq!(names(&f.dir.path().join("www")), ["site"]);
}

#[test]
fn a_users_folder_named_like_the_old_output_is_left_alone_with_a_warning() {
    let f = Fixture::new("basic");
    built_with_git(&f);
    let old = f.path(".public.dossier-old");
    std::fs::create_dir_all(&old).unwrap();
    std::fs::write(old.join("draft.txt"), "mine").unwrap();
    let diags = f.build_ok();
    assert_eq!(
        warnings(&diags, "W503"),
        [format!(
            "{} is not dossier's (it has no .dossier-output marker): left alone",
            old.display()
        )]
    );
    assert_eq!(
        std::fs::read_to_string(old.join("draft.txt")).unwrap(),
        "mine"
    );
    assert!(f.out().join(".git/HEAD").is_file());
}

#[test]
fn a_killed_builds_staging_folder_is_removed_by_the_next_build() {
    let f = Fixture::new("basic");
    built_with_git(&f);
    // Killed while writing: a marked staging folder, and one killed before its marker.
    let stale = f.path(".public.dossier-new-a1b2c3");
    std::fs::create_dir_all(stale.join("sources")).unwrap();
    std::fs::write(stale.join(MARKER), "").unwrap();
    std::fs::write(stale.join("sources/index.html"), "half").unwrap();
    std::fs::create_dir(f.path(".public.dossier-new-d4e5f6")).unwrap();
    let diags = f.build_ok();
    assert_eq!(
        warnings(&diags, "W503"),
        [format!(
            "{}, left by an interrupted build: removed",
            stale.display()
        )]
    );
    assert!(!names(&f.root()).iter().any(|n| n.contains(".dossier-")));
    assert!(f.out().join(".git/HEAD").is_file());
}

#[test]
fn the_old_output_is_put_back_when_a_killed_build_left_no_output() {
    let f = Fixture::new("basic");
    built_with_git(&f);
    let old = f.path(".public.dossier-old");
    std::fs::rename(f.out(), &old).unwrap();
    // A check does not write: it recovers nothing.
    assert!(!dossier::check(&f.options()).has_errors());
    assert!(old.is_dir());
    // The build fails: the old output is put back all the same, `.git` and all.
    f.write("content/essays/broken.md", "---\ntitle: [unclosed\n---\n");
    let diags = f.build();
    assert!(diags.has_errors());
    assert_eq!(
        warnings(&diags, "W503"),
        [format!(
            "{}, left by an interrupted build: the previous output was put back",
            old.display()
        )]
    );
    assert!(f.out().join("index.html").is_file());
    assert!(f.out().join(".git/HEAD").is_file());
    assert!(!old.exists());
}

#[test]
fn a_git_folder_in_a_leftover_is_moved_back_into_the_output() {
    let f = Fixture::new("basic");
    built_with_git(&f);
    // Killed after the exchange: the old site (with .git) in a staging name, the new output
    // without .git.
    let left = f.path(".public.dossier-new-x1y2z3");
    std::fs::create_dir(&left).unwrap();
    std::fs::write(left.join(MARKER), "").unwrap();
    std::fs::rename(f.out().join(".git"), left.join(".git")).unwrap();
    let diags = f.build_ok();
    assert_eq!(
        warnings(&diags, "W503"),
        [
            format!(
                "{}, left by an interrupted build: its .git was moved back into the output",
                left.display()
            ),
            format!("{}, left by an interrupted build: removed", left.display()),
        ]
    );
    assert_eq!(
        std::fs::read_to_string(f.out().join(".git/HEAD")).unwrap(),
        "ref: refs/heads/gh-pages\n"
    );
    assert!(!left.exists());
}

#[test]
fn a_leftover_git_folder_is_never_deleted_when_the_output_has_one_too() {
    let f = Fixture::new("basic");
    built_with_git(&f);
    let left = f.path(".public.dossier-new-x1y2z3");
    std::fs::create_dir_all(left.join(".git")).unwrap();
    std::fs::write(left.join(MARKER), "").unwrap();
    std::fs::write(left.join(".git/HEAD"), "ref: refs/heads/other\n").unwrap();
    let before = snapshot(f.dir.path());
    let e = only_error(&f.build());
    assert_eq!(e.code, "E502");
    assert_eq!(
        e.message,
        format!(
            "{}, left by an interrupted build, holds a .git folder, and {} has one too: both are left alone",
            left.display(),
            f.out().display()
        )
    );
    assert_eq!(
        e.hint.as_deref(),
        Some("keep the .git you want, delete the other, then build again")
    );
    assert!(snapshot(f.dir.path()) == before);
}

/// A real mount point as the output, when this runs as root (`mount -t tmpfs`); elsewhere the
/// update in place is proven by `write_faults.rs`, which forces it.
#[test]
fn a_mount_point_output_is_updated_in_place() {
    let f = Fixture::new("basic");
    std::fs::create_dir_all(f.out()).unwrap();
    let mounted = std::process::Command::new("mount")
        .args(["-t", "tmpfs", "-o", "size=16m", "dossier-test"])
        .arg(f.out())
        .output();
    if !mounted.is_ok_and(|m| m.status.success()) {
        eprintln!("not run: mounting a tmpfs needs root");
        return;
    }
    struct Unmount(PathBuf);
    impl Drop for Unmount {
        fn drop(&mut self) {
            let _ = std::process::Command::new("umount").arg(&self.0).status();
        }
    }
    let _guard = Unmount(f.out());
    f.build_ok();
    std::fs::create_dir_all(f.out().join(".git")).unwrap();
    std::fs::write(f.out().join(".git/HEAD"), "ref: refs/heads/gh-pages\n").unwrap();
    std::fs::write(f.out().join("stale.html"), "old").unwrap();
    f.edit(
        "content/essays/one.md",
        "A duplicate heading.",
        "A heading, twice.",
    );
    f.build_ok();
    assert!(!f.out().join("stale.html").exists());
    assert!(f
        .read("public/essays/one/index.html")
        .contains("A heading, twice."));
    assert!(f.out().join(".git/HEAD").is_file());
    assert!(!names(&f.root()).iter().any(|n| n.contains(".dossier-")));
    // The same site as a fresh build elsewhere.
    let mut fresh = f.options();
    let elsewhere = f.dir.path().join("fresh");
    fresh.output = Some(elsewhere.clone());
    assert!(!dossier::build(&fresh).has_errors());
    let mut built = snapshot(&f.out());
    built.retain(|p, _| !p.starts_with(".git"));
    assert!(built == snapshot(&elsewhere));
}
