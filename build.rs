//! Puts the commit the binary is built from into `--version`
//! (`LINKSCOPE_COMMIT`): the short hash from git, "unknown" where the
//! source is not a git checkout (a crate tarball). Run again only when the
//! checked-out commit changes, so an edit does not rebuild the crate.

use std::path::{Path, PathBuf};
use std::process::Command;

fn main() {
    let commit = Command::new("git")
        .args(["rev-parse", "--short=12", "HEAD"])
        .output()
        .ok()
        .filter(|output| output.status.success())
        .and_then(|output| String::from_utf8(output.stdout).ok())
        .map(|hash| hash.trim().to_owned())
        .filter(|hash| !hash.is_empty())
        .unwrap_or_else(|| "unknown".to_owned());
    println!("cargo:rustc-env=LINKSCOPE_COMMIT={commit}");
    if let Some(git_dir) = git_dir() {
        // HEAD names the branch; the branch's ref (loose or packed) the commit.
        println!("cargo:rerun-if-changed={}", git_dir.join("HEAD").display());
        println!(
            "cargo:rerun-if-changed={}",
            git_dir.join("packed-refs").display()
        );
        if let Ok(head) = std::fs::read_to_string(git_dir.join("HEAD"))
            && let Some(reference) = head.trim().strip_prefix("ref: ")
        {
            let common = common_dir(&git_dir);
            println!(
                "cargo:rerun-if-changed={}",
                common.join(reference).display()
            );
        }
    } else {
        println!("cargo:rerun-if-changed=build.rs");
    }
}

/// The checkout's git folder (a worktree's `.git` is a file naming it).
fn git_dir() -> Option<PathBuf> {
    let dot_git = Path::new(".git");
    if dot_git.is_dir() {
        return Some(dot_git.to_path_buf());
    }
    let text = std::fs::read_to_string(dot_git).ok()?;
    Some(PathBuf::from(text.trim().strip_prefix("gitdir: ")?))
}

/// Where a worktree's branches live: the main repository's git folder.
fn common_dir(git_dir: &Path) -> PathBuf {
    std::fs::read_to_string(git_dir.join("commondir")).map_or_else(
        |_| git_dir.to_path_buf(),
        |common| git_dir.join(common.trim()),
    )
}
