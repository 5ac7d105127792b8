//! The git history of the dossier's files, read with one `git log` per build. Without git, or
//! outside a repository, there is simply no history.

use serde::Serialize;
use std::collections::BTreeMap;
use std::path::Path;
use std::process::Command;

/// One commit that touched a file.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Commit {
    /// The full commit hash, in hex.
    pub hash: String,
    /// The abbreviated hash git chose (`%h`), unique in the repository when read.
    pub short: String,
    /// Author date, `YYYY-MM-DD`.
    pub date: String,
    /// The author's name as recorded in the commit (`%an`, without mailmap).
    pub author: String,
    /// The first line of the commit message.
    pub subject: String,
}

/// Path (relative to the dossier root) → commits that touched it, newest first.
pub type History = BTreeMap<String, Vec<Commit>>;

/// Reads the history of everything under `folder` (relative to `root`).
pub fn history(root: &Path, folder: &str) -> History {
    let output = Command::new("git")
        .arg("-C")
        .arg(root)
        .args([
            "-c",
            "core.quotePath=false",
            "log",
            "--no-color",
            "--relative",
            "--name-only",
            "--format=%x1e%H%x1f%h%x1f%as%x1f%an%x1f%s",
            "--",
            folder,
        ])
        .output();
    match output {
        Ok(out) if out.status.success() => parse_log(&String::from_utf8_lossy(&out.stdout)),
        _ => History::new(),
    }
}

/// When the last commit of the repository holding `root` was made (`%ct`: committer time,
/// seconds since 1970); `None` without git, outside a repository or before a first commit.
pub fn last_commit_time(root: &Path) -> Option<i64> {
    let out = Command::new("git")
        .arg("-C")
        .arg(root)
        .args(["log", "-1", "--format=%ct"])
        .output()
        .ok()?;
    if !out.status.success() {
        return None;
    }
    String::from_utf8_lossy(&out.stdout).trim().parse().ok()
}

fn parse_log(log: &str) -> History {
    let mut history = History::new();
    for record in log.split('\x1e').filter(|r| !r.trim().is_empty()) {
        let mut lines = record.lines();
        let header: Vec<&str> = lines.next().unwrap_or_default().split('\x1f').collect();
        let [hash, short, date, author, subject] = header[..] else {
            continue;
        };
        let commit = Commit {
            hash: hash.into(),
            short: short.into(),
            date: date.into(),
            author: author.into(),
            subject: subject.into(),
        };
        for path in lines.filter(|l| !l.is_empty()) {
            history
                .entry(path.to_string())
                .or_default()
                .push(commit.clone());
        }
    }
    history
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_records_with_files() {
        let log = "\x1eabc\x1fa\x1f2026-11-23\x1fAnn\x1fAdd seeds\n\nseeds/a.txt\nseeds/a.yaml\n\x1edef\x1fd\x1f2026-11-22\x1fBo\x1fFirst\n\nseeds/a.txt\n";
        let h = parse_log(log);
        assert_eq!(h["seeds/a.txt"].len(), 2);
        assert_eq!(h["seeds/a.yaml"][0].author, "Ann");
        assert_eq!(h["seeds/a.txt"][1].subject, "First");
    }
}
