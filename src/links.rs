//! Symbolic links, one rule everywhere: a link inside the project folder is
//! followed when it leads to something inside the project too, and refused,
//! with where it leads, when it leads out. A consultant hands the project
//! folder over as the record of an analysis: what it reads must be in it.

use std::path::{Path, PathBuf};

/// Checks `path` (which may not be a link at all) against the project folder
/// `root`: `Ok` for a plain file or folder and for a link whose target lies
/// inside `root`; otherwise says where the link leads.
pub fn check_inside(path: &Path, root: &Path) -> Result<(), String> {
    let Ok(meta) = std::fs::symlink_metadata(path) else { return Ok(()) };
    if !meta.file_type().is_symlink() {
        return Ok(());
    }
    let shown = std::fs::read_link(path).unwrap_or_default();
    let target = std::fs::canonicalize(path)
        .map_err(|_| format!("a symbolic link to {}, which does not exist", shown.display()))?;
    let root = canonical_root(root);
    if target.starts_with(&root) {
        Ok(())
    } else {
        Err(format!(
            "a symbolic link to {}, outside the project folder {}: kamplan reads only what the project holds; copy it into the project, or give its path in kamplan.toml",
            target.display(),
            root.display()
        ))
    }
}

/// The project folder as the file system names it (links above it resolved).
fn canonical_root(root: &Path) -> PathBuf {
    std::fs::canonicalize(root).unwrap_or_else(|_| root.to_path_buf())
}

#[cfg(all(test, unix))]
mod tests {
    use super::*;

    #[test]
    fn follows_links_inside_and_refuses_links_out() {
        let outside = tempfile::tempdir().unwrap();
        let project = tempfile::tempdir().unwrap();
        std::fs::write(outside.path().join("x.csv"), "a").unwrap();
        std::fs::write(project.path().join("y.csv"), "a").unwrap();
        let out_link = project.path().join("out.csv");
        let in_link = project.path().join("in.csv");
        let dangling = project.path().join("gone.csv");
        std::os::unix::fs::symlink(outside.path().join("x.csv"), &out_link).unwrap();
        std::os::unix::fs::symlink(project.path().join("y.csv"), &in_link).unwrap();
        std::os::unix::fs::symlink(project.path().join("nothing"), &dangling).unwrap();
        assert_eq!(check_inside(&project.path().join("y.csv"), project.path()), Ok(()));
        assert_eq!(check_inside(&in_link, project.path()), Ok(()));
        let err = check_inside(&out_link, project.path()).unwrap_err();
        assert!(err.contains("outside the project folder"), "{err}");
        assert!(err.contains("x.csv"), "{err}");
        assert!(check_inside(&dangling, project.path()).unwrap_err().contains("does not exist"));
    }
}
