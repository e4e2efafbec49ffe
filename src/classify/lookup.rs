//! Finding the customer a user typed on the command line (`--account`,
//! `explain`): by id in the project's id form, else by name; when neither
//! matches, the message offers the closest ids and names.

use super::Portfolio;
use crate::model::fields::closest;
use crate::model::ids::IdRule;
use std::borrow::Cow;

/// The row of the customer `typed` names: its id (brought to the project's
/// id form by `ids`), or else a name that it equals or, alone among the
/// names, is part of (upper and lower case alike). `project` names the
/// portfolio in messages.
pub fn find_customer(
    portfolio: &Portfolio,
    typed: &str,
    ids: &IdRule,
    project: &str,
) -> Result<usize, String> {
    let wanted = ids.apply(Cow::Borrowed(typed.trim()));
    if let Some(row) = portfolio.rows.iter().position(|r| r.customer_id == *wanted) {
        return Ok(row);
    }
    let lower = typed.trim().to_lowercase();
    let names: Vec<(usize, String)> = portfolio
        .rows
        .iter()
        .enumerate()
        .filter_map(|(i, r)| r.name().map(|n| (i, n.to_lowercase())))
        .collect();
    if let Some((row, _)) = names.iter().find(|(_, n)| *n == lower) {
        return Ok(*row);
    }
    let containing: Vec<usize> = names
        .iter()
        .filter(|(_, n)| !lower.is_empty() && n.contains(&lower))
        .map(|(i, _)| *i)
        .collect();
    let describe = |row: usize| {
        let r = &portfolio.rows[row];
        match r.name() {
            Some(name) => format!("{} ({name})", r.customer_id),
            None => r.customer_id.clone(),
        }
    };
    match containing[..] {
        [row] => return Ok(row),
        [] => {}
        ref several => {
            let listed: Vec<String> = several.iter().take(5).map(|&r| describe(r)).collect();
            return Err(format!(
                "customer \"{typed}\" is not an id, and {} names contain it: {}{}; give the id",
                several.len(),
                listed.join(", "),
                if several.len() > 5 { ", …" } else { "" }
            ));
        }
    }
    let hint = closest(&wanted, portfolio.rows.iter().map(|r| r.customer_id.as_str()))
        .and_then(|id| portfolio.rows.iter().position(|r| r.customer_id == id))
        .or_else(|| {
            // An id written in another form (leading zeros, case): compare in a loose form.
            let loose = IdRule {
                strip_leading_zeros: true,
                upper_case: true,
                remove_spaces: true,
                strip_prefix: None,
            };
            let wanted = loose.apply(Cow::Borrowed(typed));
            portfolio.rows.iter().position(|r| loose.apply(Cow::Borrowed(&r.customer_id)) == wanted)
        });
    Err(match hint {
        Some(row) => format!(
            "customer \"{typed}\" is not in the portfolio of {project}, as an id or a name; did you mean {}?",
            describe(row)
        ),
        None => {
            format!("customer \"{typed}\" is not in the portfolio of {project}, as an id or a name")
        }
    })
}
