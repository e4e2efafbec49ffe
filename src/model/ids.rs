//! Customer ids written differently by different sources: an ERP that pads
//! `000135`, a master typed as `135`, a CRM that writes `cl-135`. One rule,
//! set in `[customer_ids]`, turns every source's ids (and ids typed on the
//! command line) into one form; `suggest` finds the rule that would make
//! two sources agree.

use std::borrow::Cow;
use std::collections::BTreeSet;

/// How ids are brought to one form. The default leaves them as written.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct IdRule {
    pub strip_leading_zeros: bool,
    pub upper_case: bool,
    pub remove_spaces: bool,
    /// Text removed from the start of the ids that begin with it.
    pub strip_prefix: Option<String>,
}

impl IdRule {
    pub fn is_identity(&self) -> bool {
        let IdRule { strip_leading_zeros, upper_case, remove_spaces, strip_prefix } = self;
        !strip_leading_zeros && !upper_case && !remove_spaces && strip_prefix.is_none()
    }

    /// The id in the rule's form; borrowed when nothing changes.
    #[inline]
    pub fn apply<'a>(&self, id: Cow<'a, str>) -> Cow<'a, str> {
        if self.is_identity() {
            return id;
        }
        let mut text: &str = &id;
        if let Some(prefix) = &self.strip_prefix
            && text.len() > prefix.len()
            && text[..prefix.len()].eq_ignore_ascii_case(prefix)
        {
            text = &text[prefix.len()..];
        }
        let mut owned: String = if self.remove_spaces {
            text.chars().filter(|c| !c.is_whitespace()).collect()
        } else {
            text.to_string()
        };
        if self.upper_case {
            owned = owned.to_uppercase();
        }
        if self.strip_leading_zeros {
            let kept = owned.trim_start_matches('0');
            owned = if kept.is_empty() { "0".into() } else { kept.to_string() };
        }
        if owned == *id { id } else { Cow::Owned(owned) }
    }

    /// The `[customer_ids]` lines that set this rule.
    pub fn setting(&self) -> String {
        let mut lines = Vec::new();
        if self.strip_leading_zeros {
            lines.push("strip_leading_zeros = true".to_string());
        }
        if self.upper_case {
            lines.push("upper_case = true".to_string());
        }
        if self.remove_spaces {
            lines.push("remove_spaces = true".to_string());
        }
        if let Some(p) = &self.strip_prefix {
            lines.push(format!("strip_prefix = \"{p}\""));
        }
        format!("[customer_ids] {}", lines.join(", "))
    }
}

/// Ids of one source that another source writes differently.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct IdMismatch {
    /// The rule that makes them agree.
    pub rule: IdRule,
    /// How many ids of the first source then find their match.
    pub matched: usize,
    /// Up to three pairs (first source's id, second source's id).
    pub examples: Vec<(String, String)>,
}

/// The rule under which the most of `only_here` (ids of one source missing
/// from the other) match `only_there` (the other's ids missing from the
/// first), when at least one in five does; `None` otherwise.
pub fn suggest(only_here: &[&str], only_there: &[&str]) -> Option<IdMismatch> {
    if only_here.is_empty() || only_there.is_empty() {
        return None;
    }
    let mut candidates = vec![
        IdRule { strip_leading_zeros: true, ..IdRule::default() },
        IdRule { upper_case: true, ..IdRule::default() },
        IdRule { remove_spaces: true, ..IdRule::default() },
        IdRule {
            strip_leading_zeros: true,
            upper_case: true,
            remove_spaces: true,
            strip_prefix: None,
        },
    ];
    if let Some(prefix) = common_prefix(only_here, only_there) {
        candidates.push(IdRule { strip_prefix: Some(prefix), ..IdRule::default() });
    }
    if let Some(prefix) = common_prefix(only_there, only_here) {
        candidates.push(IdRule { strip_prefix: Some(prefix), ..IdRule::default() });
    }
    // On a tie the simpler rule, earlier in the list, wins.
    let best = candidates
        .into_iter()
        .rev()
        .map(|rule| {
            let there: std::collections::BTreeMap<String, &str> = only_there
                .iter()
                .map(|t| (rule.apply(Cow::Borrowed(*t)).into_owned(), *t))
                .collect();
            let pairs: Vec<(String, String)> = only_here
                .iter()
                .filter_map(|h| {
                    there
                        .get(rule.apply(Cow::Borrowed(*h)).as_ref())
                        .map(|t| (h.to_string(), t.to_string()))
                })
                .collect();
            (rule, pairs)
        })
        .max_by_key(|(_, pairs)| pairs.len())?;
    let (rule, pairs) = best;
    (!pairs.is_empty() && pairs.len() * 5 >= only_here.len().min(only_there.len())).then(|| {
        IdMismatch { rule, matched: pairs.len(), examples: pairs.into_iter().take(3).collect() }
    })
}

/// The text most often found before an id of `there` at the start of an id
/// of `here` (`CL-` in `CL-135` against `135`).
fn common_prefix(here: &[&str], there: &[&str]) -> Option<String> {
    let there: BTreeSet<&str> = there.iter().copied().collect();
    let mut counts: std::collections::BTreeMap<&str, usize> = Default::default();
    for id in here.iter().take(2000) {
        for (at, _) in id.char_indices().skip(1).take(6) {
            if there.contains(&id[at..]) {
                *counts.entry(&id[..at]).or_default() += 1;
            }
        }
    }
    counts.into_iter().max_by_key(|(_, n)| *n).map(|(p, _)| p.to_string())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn brings_ids_to_one_form() {
        let rule = IdRule { strip_leading_zeros: true, ..IdRule::default() };
        assert_eq!(rule.apply("000135".into()), "135");
        assert_eq!(rule.apply("000".into()), "0");
        assert!(matches!(rule.apply("135".into()), Cow::Borrowed(_)));
        let rule =
            IdRule { strip_prefix: Some("CL-".into()), upper_case: true, ..IdRule::default() };
        assert_eq!(rule.apply("cl-a7".into()), "A7");
        assert_eq!(IdRule::default().apply(" x ".into()), " x ");
    }

    #[test]
    fn suggests_the_rule_that_makes_two_sources_agree() {
        let sales = ["000135", "000136", "000200"];
        let master = ["135", "136", "999"];
        let found = suggest(&sales, &master).unwrap();
        assert!(found.rule.strip_leading_zeros);
        assert_eq!(found.matched, 2);
        assert_eq!(found.examples[0], ("000135".to_string(), "135".to_string()));
        assert_eq!(found.rule.setting(), "[customer_ids] strip_leading_zeros = true");
        let found = suggest(&["CL-1", "CL-2"], &["1", "2"]).unwrap();
        assert_eq!(found.rule.strip_prefix.as_deref(), Some("CL-"));
        assert_eq!(suggest(&["A1", "B2"], &["X9", "Y8"]), None);
    }
}
