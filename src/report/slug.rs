//! File names for account plans: readable, safe on every file system, stable
//! across runs and distinct for distinct accounts.

use std::collections::BTreeMap;

/// Longest slug, in characters, before the collision suffix.
const MAX_LEN: usize = 60;

/// `C0042` + `Rossi & Figli S.p.A.` → `c0042-rossi-figli-s-p-a`: ASCII
/// lower-case letters and digits separated by single dashes, accents folded,
/// no path separators, no dots, never empty.
pub fn slug(id: &str, name: Option<&str>) -> String {
    let source = match name {
        Some(name) if !name.trim().is_empty() => format!("{id} {name}"),
        _ => id.to_string(),
    };
    let mut out = String::new();
    let mut dash = false;
    for c in source.chars().flat_map(fold) {
        if c.is_ascii_alphanumeric() {
            if dash && !out.is_empty() {
                out.push('-');
            }
            out.push(c.to_ascii_lowercase());
            dash = false;
        } else {
            dash = true;
        }
        if out.len() >= MAX_LEN {
            break;
        }
    }
    if out.is_empty() { "account".to_string() } else { out }
}

/// Slugs for many accounts, made distinct: when two accounts give the same
/// slug, the second by id gets `-2`, the third `-3`. `accounts` must be in id
/// order so the suffixes are stable.
pub fn distinct_slugs<'a>(
    accounts: impl IntoIterator<Item = (&'a str, Option<&'a str>)>,
) -> Vec<String> {
    let mut seen: BTreeMap<String, usize> = BTreeMap::new();
    let mut taken: std::collections::BTreeSet<String> = std::collections::BTreeSet::new();
    let mut out = Vec::new();
    for (id, name) in accounts {
        let base = slug(id, name);
        let count = seen.entry(base.clone()).or_insert(0);
        let mut candidate = base.clone();
        while taken.contains(&candidate) {
            *count += 1;
            candidate = format!("{base}-{}", *count + 1);
        }
        taken.insert(candidate.clone());
        out.push(candidate);
    }
    out
}

/// Letters with accents as their plain ASCII letters (`è` → `e`, `ß` → `ss`).
fn fold(c: char) -> impl Iterator<Item = char> {
    let plain: &str = match c {
        'à' | 'á' | 'â' | 'ã' | 'ä' | 'å' | 'À' | 'Á' | 'Â' | 'Ã' | 'Ä' | 'Å' => "a",
        'è' | 'é' | 'ê' | 'ë' | 'È' | 'É' | 'Ê' | 'Ë' => "e",
        'ì' | 'í' | 'î' | 'ï' | 'Ì' | 'Í' | 'Î' | 'Ï' => "i",
        'ò' | 'ó' | 'ô' | 'õ' | 'ö' | 'ø' | 'Ò' | 'Ó' | 'Ô' | 'Õ' | 'Ö' | 'Ø' => "o",
        'ù' | 'ú' | 'û' | 'ü' | 'Ù' | 'Ú' | 'Û' | 'Ü' => "u",
        'ç' | 'Ç' => "c",
        'ñ' | 'Ñ' => "n",
        'ß' => "ss",
        'æ' | 'Æ' => "ae",
        'œ' | 'Œ' => "oe",
        _ => "",
    };
    let keep = plain.is_empty().then_some(c);
    plain.chars().chain(keep)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn slugs_are_safe_and_readable() {
        assert_eq!(slug("C0042", Some("Rossi & Figli S.p.A.")), "c0042-rossi-figli-s-p-a");
        assert_eq!(slug("C1", Some("Caffè Müller")), "c1-caffe-muller");
        assert_eq!(slug("../../etc", Some("/passwd")), "etc-passwd");
        assert_eq!(slug("..", None), "account");
        assert_eq!(slug("C9", Some("   ")), "c9");
        assert!(slug("X", Some(&"long name ".repeat(20))).len() <= MAX_LEN + 1);
    }

    #[test]
    fn colliding_slugs_get_stable_suffixes() {
        let accounts = [("C/1", None), ("C-1", None), ("C 1", None), ("D", None)];
        assert_eq!(distinct_slugs(accounts), ["c-1", "c-1-2", "c-1-3", "d"]);
    }
}
