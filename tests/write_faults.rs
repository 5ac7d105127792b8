//! Fault injection: a build over a previous output (with a `.git` holding files, and a user's
//! file beside it) is killed just before each rename or delete that replaces the output, in
//! each way the output can be replaced (an atomic exchange, two renames, in place as for a
//! mount point). After every kill the output is the complete previous site or the complete new
//! one, or, in place, a marked folder whose every file is one of the two sites'; `.git` is
//! intact in the output or in a leftover of dossier's; the next build recovers it, ends with
//! exactly the new site and leaves nothing else beside it.
//!
//! The build runs in a child process (this test binary again, running only [`child`]) with the
//! library's hidden fault switches set, and `abort`s, as a kill would end it.

mod common;

use common::{copy_tree, names, snapshot, Fixture};
use dossier::write::faults::{self, Mode};
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::process::Command;

const CHILD: &str = "DOSSIER_WRITE_FAULT";

type Files = BTreeMap<PathBuf, Vec<u8>>;

/// In a child process only: builds `root` into `output`, killed before step `k`.
#[test]
fn child() {
    let Ok(spec) = std::env::var(CHILD) else {
        return;
    };
    let parts: Vec<&str> = spec.splitn(4, '\t').collect();
    let [k, mode, root, output] = parts[..] else {
        panic!("bad {CHILD}: {spec}");
    };
    faults::force(match mode {
        "renames" => Mode::Renames,
        "in-place" => Mode::InPlace,
        _ => Mode::Auto,
    });
    faults::abort_at(k.parse().unwrap());
    let mut options = dossier::BuildOptions::new(root);
    options.output = Some(output.into());
    let diags = dossier::build(&options);
    if diags.has_errors() {
        eprintln!("{}", diags.render_human());
        std::process::exit(3);
    }
    println!("steps={}", faults::steps());
    std::process::exit(0);
}

enum Outcome {
    Killed,
    Finished { steps: usize },
}

fn run_child(k: usize, mode: &str, root: &Path, output: &Path) -> Outcome {
    let run = Command::new(std::env::current_exe().unwrap())
        .args(["--exact", "child", "--nocapture", "--test-threads=1"])
        .env(
            CHILD,
            format!("{k}\t{mode}\t{}\t{}", root.display(), output.display()),
        )
        .output()
        .unwrap();
    let stdout = String::from_utf8_lossy(&run.stdout);
    let stderr = String::from_utf8_lossy(&run.stderr);
    use std::os::unix::process::ExitStatusExt;
    if run.status.signal() == Some(6) {
        assert!(stderr.contains(&format!("killed at step {k},")), "{stderr}");
        return Outcome::Killed;
    }
    assert!(run.status.success(), "step {k}: {stdout}\n{stderr}");
    let steps = stdout
        .lines()
        .find_map(|l| l.split("steps=").nth(1))
        .unwrap_or_else(|| panic!("{stdout}"));
    Outcome::Finished {
        steps: steps.parse().unwrap(),
    }
}

/// The files of `dir` split into the site's and its `.git`'s.
fn split(dir: &Path) -> (Files, Files) {
    snapshot(dir)
        .into_iter()
        .partition(|(p, _)| !p.starts_with(".git"))
}

fn kill_at_every_step(mode: &str) {
    let f = Fixture::new("basic");
    let site = f.dir.path().join("site");
    let out = site.join("public");
    std::fs::create_dir_all(&site).unwrap();
    std::fs::write(
        site.join("notes.txt"),
        "the user's own file beside the output",
    )
    .unwrap();
    let mut options = f.options();
    options.output = Some(out.clone());
    assert!(!dossier::build(&options).has_errors());
    std::fs::create_dir_all(out.join(".git/refs/heads")).unwrap();
    std::fs::write(out.join(".git/HEAD"), "ref: refs/heads/gh-pages\n").unwrap();
    std::fs::write(out.join(".git/refs/heads/gh-pages"), "0123abcd\n").unwrap();
    let (previous, git) = split(&out);
    assert_eq!(git.len(), 2);

    // The new site: a page changed, one added, so files are replaced, added and kept.
    f.edit(
        "content/essays/one.md",
        "A duplicate heading.",
        "A heading, twice.",
    );
    f.write("content/essays/added.md", "---\ntitle: Added\n---\nNew.\n");
    let expected_dir = f.dir.path().join("expected/public");
    let mut fresh = f.options();
    fresh.output = Some(expected_dir.clone());
    assert!(!dossier::build(&fresh).has_errors());
    let next = snapshot(&expected_dir);
    assert_ne!(previous, next);

    let saved = f.dir.path().join("saved");
    copy_tree(&site, &saved);
    let mut kills = 0;
    for k in 1.. {
        std::fs::remove_dir_all(&site).unwrap();
        copy_tree(&saved, &site);
        let outcome = run_child(k, mode, &f.root(), &out);
        let at = format!("{mode}, killed at step {k}");
        if let Outcome::Finished { steps } = outcome {
            assert!(steps < k, "{at}: finished after {steps} steps");
            assert_eq!(split(&out), (next.clone(), git.clone()), "{at}");
            assert_eq!(
                names(&site),
                ["notes.txt", "public"],
                "{mode}: no leftovers"
            );
            break;
        }
        kills += 1;
        // Just after the kill.
        assert_eq!(
            std::fs::read_to_string(site.join("notes.txt")).unwrap(),
            "the user's own file beside the output",
            "{at}"
        );
        let old = site.join(".public.dossier-old");
        let (now, git_now) = if out.exists() {
            split(&out)
        } else {
            // Only between the two renames: the old output is aside, complete.
            assert_eq!(mode, "renames", "{at}: no output");
            split(&old)
        };
        if mode == "in-place" {
            assert!(out.join(dossier::write::MARKER).is_file(), "{at}");
            for (path, bytes) in &now {
                assert!(
                    previous.get(path) == Some(bytes) || next.get(path) == Some(bytes),
                    "{at}: {} is of neither site",
                    path.display()
                );
            }
        } else {
            assert!(now == previous || now == next, "{at}: a partial site");
        }
        if git_now.is_empty() {
            // Moved with the old site: in a leftover of dossier's, whole.
            let holders: Vec<_> = names(&site)
                .into_iter()
                .filter(|n| n.contains(".dossier-"))
                .map(|n| site.join(n))
                .filter(|p| p.join(".git").is_dir())
                .collect();
            assert_eq!(holders.len(), 1, "{at}: .git is nowhere");
            assert!(holders[0].join(dossier::write::MARKER).is_file(), "{at}");
            assert_eq!(split(&holders[0]).1, git, "{at}: .git damaged");
        } else {
            assert_eq!(git_now, git, "{at}: .git damaged");
        }
        // The next build, an ordinary one, recovers and ends with the new site alone.
        let diags = dossier::build(&options);
        assert!(!diags.has_errors(), "{at}: {}", diags.render_human());
        assert_eq!(
            split(&out),
            (next.clone(), git.clone()),
            "{at}: after the next build"
        );
        assert_eq!(names(&site), ["notes.txt", "public"], "{at}: leftovers");
    }
    assert!(kills >= 4, "{mode}: only {kills} steps");
    eprintln!("{mode}: killed at each of {kills} steps");
}

#[test]
fn a_build_killed_at_any_step_of_the_exchange_loses_nothing() {
    kill_at_every_step("auto");
}

#[test]
fn a_build_killed_at_any_step_of_the_two_renames_loses_nothing() {
    kill_at_every_step("renames");
}

#[test]
fn a_build_killed_at_any_step_of_an_update_in_place_loses_nothing() {
    kill_at_every_step("in-place");
}

/// Where the system has no exchange, the old output goes aside under `.<name>.dossier-old`:
/// a user's folder of that name stops the build, untouched, and the output too.
#[test]
fn a_users_folder_in_the_way_of_the_two_renames_stops_the_build() {
    let f = Fixture::new("basic");
    f.build_ok();
    let old = f.path(".public.dossier-old");
    std::fs::create_dir_all(&old).unwrap();
    std::fs::write(old.join("draft.txt"), "mine").unwrap();
    let before = snapshot(f.dir.path());
    let run = Command::new(std::env::current_exe().unwrap())
        .args(["--exact", "child", "--nocapture", "--test-threads=1"])
        .env(
            CHILD,
            format!("0\trenames\t{}\t{}", f.root().display(), f.out().display()),
        )
        .output()
        .unwrap();
    assert_eq!(run.status.code(), Some(3));
    let stderr = String::from_utf8_lossy(&run.stderr);
    let expected = format!(
        "error[E502]: cannot move the old output aside: {} is in the way and is not dossier's",
        old.display()
    );
    assert!(stderr.contains(&expected), "{stderr}");
    assert!(
        stderr.contains("move or rename that folder, then build again"),
        "{stderr}"
    );
    assert!(snapshot(f.dir.path()) == before);
}
