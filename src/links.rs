//! Symbolic links, one rule everywhere: a link met on the way to a file
//! kamplan reads or writes is followed when it leads inside the project (or,
//! for outputs, the output folder), and refused, with where it leads, when it
//! leads out. A consultant hands the project folder over as the record of an
//! analysis: what it reads must be in it, and a link left in it must not make
//! kamplan overwrite a file elsewhere.

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

/// Where a write to `path` lands: `path` itself, or, when `path` or a folder
/// on the way to it below `base` is a symbolic link leading inside one of
/// `allowed`, the place the links lead to. Fails naming the first link that
/// leads elsewhere and where it leads. Components of `base` itself are not
/// looked at: the user named that folder.
pub fn resolve(path: &Path, base: &Path, allowed: &[&Path]) -> Result<PathBuf, String> {
    let (mut current, rest) = match path.strip_prefix(base) {
        Ok(rest) => (base.to_path_buf(), rest.to_path_buf()),
        // Not below `base`: only the file itself is checked.
        Err(_) => match (path.parent(), path.file_name()) {
            (Some(parent), Some(name)) => (parent.to_path_buf(), PathBuf::from(name)),
            _ => return Ok(path.to_path_buf()),
        },
    };
    let roots: Vec<PathBuf> = allowed.iter().map(|a| real_path(a)).collect();
    let components: Vec<_> = rest.components().collect();
    for (i, component) in components.iter().enumerate() {
        current.push(component);
        let Ok(metadata) = std::fs::symlink_metadata(&current) else {
            // Nothing exists from here on, so there is no link further down.
            current.extend(&components[i + 1..]);
            return Ok(current);
        };
        if metadata.file_type().is_symlink() {
            let target = link_target(&current);
            if !roots.iter().any(|root| target.starts_with(root)) {
                return Err(escape_message(&current, &target, &roots));
            }
            current = target;
        }
    }
    Ok(current)
}

fn escape_message(link: &Path, target: &Path, roots: &[PathBuf]) -> String {
    let folders: Vec<String> = roots.iter().map(|r| r.display().to_string()).collect();
    let which = if folders.len() == 1 { "the project folder" } else { "the folders" };
    format!(
        "{} is a symbolic link to {}, outside {which} {}; kamplan does not write through it \
         (remove the link, or make it lead inside)",
        link.display(),
        target.display(),
        folders.join(" and ")
    )
}

/// Where the link at `link` leads, as an absolute path with no links left
/// in the part that exists (a dangling link's target need not exist).
fn link_target(link: &Path) -> PathBuf {
    if let Ok(real) = link.canonicalize() {
        return real;
    }
    match std::fs::read_link(link) {
        Ok(target) => {
            let parent = link.parent().unwrap_or(Path::new("."));
            real_path(&parent.join(target))
        }
        Err(_) => real_path(link),
    }
}

/// `path` absolute with its existing part resolved: the canonical form of
/// the longest existing ancestor, then the rest as written (`..` taken off).
fn real_path(path: &Path) -> PathBuf {
    if let Ok(real) = path.canonicalize() {
        return real;
    }
    let absolute = std::path::absolute(path).unwrap_or_else(|_| path.to_path_buf());
    match (absolute.parent(), absolute.file_name()) {
        (Some(parent), Some(name)) => real_path(parent).join(name),
        // `..` as the last component: the parent of what comes before it.
        (Some(parent), None) => {
            real_path(parent).parent().map(Path::to_path_buf).unwrap_or_default()
        }
        _ => absolute,
    }
}

#[cfg(all(test, unix))]
mod write_tests {
    use super::*;
    use std::os::unix::fs::symlink;

    #[test]
    fn plain_paths_are_written_where_they_are() {
        let tmp = tempfile::tempdir().unwrap();
        let project = tmp.path().join("p");
        std::fs::create_dir_all(&project).unwrap();
        let path = project.join("templates/plan.typ");
        assert_eq!(resolve(&path, &project, &[&project]).unwrap(), path);
    }

    #[test]
    fn a_link_leading_outside_is_refused_naming_it_and_its_target() {
        let tmp = tempfile::tempdir().unwrap();
        let project = tmp.path().join("p");
        std::fs::create_dir_all(project.join("templates")).unwrap();
        let outside = tmp.path().join("outside.txt");
        std::fs::write(&outside, "keep").unwrap();
        let link = project.join("templates/plan.typ");
        symlink(&outside, &link).unwrap();
        let error = resolve(&link, &project, &[&project]).unwrap_err();
        assert!(error.contains(&link.display().to_string()), "{error}");
        assert!(error.contains(&outside.canonicalize().unwrap().display().to_string()), "{error}");
        assert!(error.contains("symbolic link"), "{error}");
        assert_eq!(std::fs::read_to_string(&outside).unwrap(), "keep");
    }

    #[test]
    fn a_linked_folder_leading_outside_is_refused_even_when_the_file_is_new() {
        let tmp = tempfile::tempdir().unwrap();
        let project = tmp.path().join("p");
        std::fs::create_dir_all(&project).unwrap();
        std::fs::create_dir_all(tmp.path().join("elsewhere")).unwrap();
        symlink(tmp.path().join("elsewhere"), project.join("templates")).unwrap();
        assert!(resolve(&project.join("templates/new.typ"), &project, &[&project]).is_err());
        // A dangling link to outside is refused too.
        symlink(tmp.path().join("missing/x"), project.join("dangling")).unwrap();
        assert!(resolve(&project.join("dangling"), &project, &[&project]).is_err());
    }

    #[test]
    fn links_inside_the_project_are_followed() {
        let tmp = tempfile::tempdir().unwrap();
        let project = tmp.path().join("p");
        std::fs::create_dir_all(project.join("shared")).unwrap();
        std::fs::write(project.join("shared/plan.typ"), "old").unwrap();
        std::fs::create_dir_all(project.join("templates")).unwrap();
        symlink("../shared/plan.typ", project.join("templates/plan.typ")).unwrap();
        let path = project.join("templates/plan.typ");
        std::fs::write(resolve(&path, &project, &[&project]).unwrap(), "new").unwrap();
        assert_eq!(std::fs::read_to_string(project.join("shared/plan.typ")).unwrap(), "new");
        assert!(std::fs::symlink_metadata(&path).unwrap().file_type().is_symlink());
    }
}
