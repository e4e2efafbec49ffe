//! The reproducibility stamp printed on each document: which kamplan made
//! it, from which rules and which data, as of which date. The hashes cover
//! the files' contents, so the same inputs always give the same stamp and
//! any edited rule or data file gives another.

use crate::config::project::Project;
use serde::Serialize;
use std::io::Read;
use std::path::Path;

/// The environment variable whose value, when set, the stamp shows in place
/// of the data hash (docs/aggregate.md).
pub const DATA_OVERRIDE: &str = "KAMPLAN_STAMP_DATA";

#[derive(Clone, Debug, Serialize)]
pub struct Stamp {
    pub version: String,
    /// BLAKE3 of the rule files (names and texts, or the built-in set), first 12 hex digits.
    pub rules: String,
    /// BLAKE3 of the sales files, the customers master and the account files.
    pub data: String,
}

/// The stamp of a project's inputs. Unreadable files were reported by the
/// run already; they count here by name only.
pub fn stamp(project: &Project) -> Stamp {
    let mut rules = blake3::Hasher::new();
    match crate::config::rules::read_rules(project.rules_dir.as_deref()) {
        Ok((files, _)) => {
            for (path, text) in files {
                let name = project
                    .rules_dir
                    .as_ref()
                    .and_then(|d| path.strip_prefix(d).ok())
                    .unwrap_or(&path);
                add_named(&mut rules, name, text.as_bytes());
            }
        }
        Err(_) => add_named(&mut rules, Path::new("rules"), b"unreadable"),
    }
    let mut data = blake3::Hasher::new();
    let sales =
        crate::ingest::discover_files(&project.sales.path, &project.sales.root).unwrap_or_default();
    let master = project
        .customers
        .iter()
        .flat_map(|c| crate::ingest::discover_files(&c.path, &c.root).unwrap_or_default());
    let accounts = project.accounts_dir.iter().flat_map(|dir| {
        walkdir::WalkDir::new(dir)
            .sort_by_file_name()
            .into_iter()
            .filter_map(Result::ok)
            .filter(|e| e.file_type().is_file())
            .map(|e| e.into_path())
    });
    for path in sales.into_iter().chain(master).chain(accounts) {
        let name = path.strip_prefix(&project.root).unwrap_or(&path).to_path_buf();
        add_name(&mut data, &name);
        let len = std::fs::metadata(&path).map_or(0, |m| m.len());
        data.update(&len.to_le_bytes());
        add_content(&mut data, &path);
    }
    // To compare the documents of two forms of the same data (lines and
    // their aggregate) byte for byte, the data hash can be set.
    let data = std::env::var(DATA_OVERRIDE).unwrap_or_else(|_| short(&data));
    Stamp { version: env!("CARGO_PKG_VERSION").to_string(), rules: short(&rules), data }
}

/// Feeds a file's bytes to `hasher`; an unreadable file adds what was read
/// of it (the run reports it).
fn add_content(hasher: &mut blake3::Hasher, path: &Path) {
    if let Ok(mut file) = std::fs::File::open(path) {
        let mut buffer = vec![0; 1 << 16];
        while let Ok(n) = file.read(&mut buffer) {
            if n == 0 {
                break;
            }
            hasher.update(&buffer[..n]);
        }
    }
}

fn add_name(hasher: &mut blake3::Hasher, name: &Path) {
    // Separators, so ("ab", "c") and ("a", "bc") hash differently.
    hasher.update(name.to_string_lossy().replace('\\', "/").as_bytes());
    hasher.update(&[0]);
}

fn add_named(hasher: &mut blake3::Hasher, name: &Path, bytes: &[u8]) {
    add_name(hasher, name);
    hasher.update(&(bytes.len() as u64).to_le_bytes());
    hasher.update(bytes);
}

fn short(hasher: &blake3::Hasher) -> String {
    hasher.finalize().to_hex()[..12].to_string()
}
