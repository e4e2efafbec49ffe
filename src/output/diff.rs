//! `kamplan diff` as a reader sees it: the text report and the CSV of
//! changes, one row per customer and variable.

use crate::diff::{Change, DiffTable, FIRED, Kind, NO, PortfolioDiff, YES};
use crate::locale::{Locale, format};
use crate::output::csv_text;
use std::fmt::Write;

/// A count in a sentence or a grid, grouped as the language groups thousands.
fn count(l: Locale, n: usize) -> String {
    format::number(l, n as f64, 0)
}

/// The text report, in the project's language: both sides, the from × to
/// tables, the key accounts, then one line per changed customer and
/// variable, with the reasons. Money reads as the documents write it.
pub fn diff_text(diff: &PortfolioDiff, title: &str, currency: &str) -> String {
    let l = diff.locale;
    let mut out = String::new();
    let cash = |x: f64| format::money_with_currency(l, x, 0, currency);
    let _ = writeln!(out, "{title}");
    let (only_before, only_after) = (l.text("only before"), l.text("only after"));
    let labels = [l.text("before"), l.text("after"), l.text("customers")];
    // The labels printed, in one column.
    let width = labels
        .iter()
        .chain(diff.only_before.first().map(|_| &only_before))
        .chain(diff.only_after.first().map(|_| &only_after))
        .map(|s| s.chars().count())
        .max()
        .unwrap_or(0);
    for (label, side) in [(labels[0], &diff.before), (labels[1], &diff.after)] {
        let line = l.fill(
            "{rules}; window {window}; {n} customers",
            &[("rules", &side.rules), ("window", &side.window), ("n", &count(l, side.customers))],
        );
        let _ = writeln!(out, "  {label:<width$}  {line}");
    }
    let line = l.fill(
        "{compared} in both portfolios, {changed} with changes",
        &[("compared", &count(l, diff.compared)), ("changed", &count(l, diff.changed))],
    );
    let _ = writeln!(out, "  {:<width$}  {line}", labels[2]);
    for (label, refs) in [(only_before, &diff.only_before), (only_after, &diff.only_after)] {
        if !refs.is_empty() {
            let list: Vec<String> =
                refs.iter().map(|r| format!("{} {}", r.kind.name(l), r.id)).collect();
            let line = l.fill("{list} (not compared)", &[("list", &list.join(", "))]);
            let _ = writeln!(out, "  {label:<width$}  {line}");
        }
    }
    for table in diff.tables.iter().filter(|t| t.moved > 0) {
        out.push('\n');
        table_text(&mut out, table, diff.compared, l, &cash);
    }
    let unchanged: Vec<&str> =
        diff.tables.iter().filter(|t| t.moved == 0).map(|t| t.id.as_str()).collect();
    if !unchanged.is_empty() {
        let line = l.fill("no customer moves in {ids}", &[("ids", &unchanged.join(", "))]);
        let _ = writeln!(out, "\n{line}");
    }
    let k = &diff.key_accounts;
    let covered = |revenue: f64, share: Option<f64>| {
        let share = share.map(|s| format!(" ({})", format::percent(l, s, 1))).unwrap_or_default();
        format!("{}{share}", cash(revenue))
    };
    let line = l.fill(
        "{before} → {after}; revenue covered {revenue_before} → {revenue_after}",
        &[
            ("before", &count(l, k.before)),
            ("after", &count(l, k.after)),
            ("revenue_before", &covered(k.revenue_before, k.share_before)),
            ("revenue_after", &covered(k.revenue_after, k.share_after)),
        ],
    );
    let _ = writeln!(out, "\n{}  {line}", l.text("key accounts"));
    changes_text(&mut out, &diff.changes, &diff.tables, l);
    out
}

/// A classification as a grid of counts (before in rows, after in
/// columns); a matrix, whose segments are many and long, as its moves.
fn table_text(
    out: &mut String,
    t: &DiffTable,
    compared: usize,
    l: Locale,
    cash: &dyn Fn(f64) -> String,
) {
    let figures: [(&str, &dyn std::fmt::Display); 4] = [
        ("id", &t.id),
        ("kind", &t.kind.name(l)),
        ("moved", &count(l, t.moved)),
        ("compared", &count(l, compared)),
    ];
    let heading = match (t.kind == Kind::Classification, t.moved == 1) {
        (true, true) => {
            l.fill("{id} ({kind}): {moved} of {compared} customers changes class", &figures)
        }
        (true, false) => {
            l.fill("{id} ({kind}): {moved} of {compared} customers change class", &figures)
        }
        (false, true) => {
            l.fill("{id} ({kind}): {moved} of {compared} customers changes segment", &figures)
        }
        (false, false) => {
            l.fill("{id} ({kind}): {moved} of {compared} customers change segment", &figures)
        }
    };
    let _ = writeln!(out, "{heading}");
    if t.kind == Kind::Classification {
        let corner = format!("{} \\ {}", l.text("before"), l.text("after"));
        let cells: Vec<Vec<String>> =
            t.customers.iter().map(|row| row.iter().map(|&n| count(l, n)).collect()).collect();
        let width = t
            .labels
            .iter()
            .chain(cells.iter().flatten())
            .map(|s| s.chars().count())
            .max()
            .unwrap_or(1)
            .max(3);
        let first = t
            .labels
            .iter()
            .map(|s| s.chars().count())
            .chain([corner.chars().count()])
            .max()
            .unwrap_or(0);
        let mut line = format!("  {corner:<first$}");
        for label in &t.labels {
            let _ = write!(line, "  {label:>width$}");
        }
        let _ = writeln!(out, "{line}");
        for (label, row) in t.labels.iter().zip(&cells) {
            let mut line = format!("  {label:<first$}");
            for n in row {
                let _ = write!(line, "  {n:>width$}");
            }
            let _ = writeln!(out, "{line}");
        }
        return;
    }
    let moves: Vec<(String, usize, f64)> = (0..t.labels.len())
        .flat_map(|from| (0..t.labels.len()).map(move |to| (from, to)))
        .filter(|&(from, to)| from != to && t.customers[from][to] > 0)
        .map(|(from, to)| {
            let arrow = format!("{} → {}", t.labels[from], t.labels[to]);
            (arrow, t.customers[from][to], t.revenue_after[from][to])
        })
        .collect();
    let width = moves.iter().map(|m| m.0.chars().count()).max().unwrap_or(0);
    let (one, many) = (l.text("customer"), l.text("customers"));
    let noun_width = one.chars().count().max(many.chars().count());
    for (arrow, n, revenue) in moves {
        let noun = if n == 1 { one } else { many };
        let revenue = l.fill("revenue after {amount}", &[("amount", &cash(revenue))]);
        let n = count(l, n);
        let _ = writeln!(out, "  {arrow:<width$}  {n:>4} {noun:<noun_width$}  {revenue}");
    }
}

/// A value as the text shows it: classes and segments as the rules name
/// them; yes, no and fired in the language.
fn value_text(l: Locale, value: Option<&str>) -> &str {
    match value {
        None => l.text("none"),
        Some(YES) => l.text("yes"),
        Some(NO) => l.text("no"),
        Some(FIRED) => l.text("fired"),
        Some(label) => label,
    }
}

/// The heading of a group of changes: a classification or matrix by its id,
/// the others in words.
fn variable_heading(l: Locale, c: &Change) -> String {
    match c.kind {
        Kind::Classification | Kind::Matrix => c.variable.clone(),
        Kind::KeyAccount => l.text("key account").to_string(),
        Kind::Alert => {
            let id = c.variable.strip_prefix("alert.").unwrap_or(&c.variable);
            format!("{} {id}", l.text("alert"))
        }
        Kind::Portfolio => l.text("in the portfolio").to_string(),
    }
}

/// One line per change, grouped by variable: classifications and matrices
/// in rule order, then the key accounts, the alerts and the portfolio.
fn changes_text(out: &mut String, changes: &[Change], tables: &[DiffTable], l: Locale) {
    if changes.is_empty() {
        let line = l.text("no customer changes class, segment, key-account status or alerts");
        let _ = writeln!(out, "\n{line}");
        return;
    }
    let _ = writeln!(out, "\n{}", l.text("changes (before → after, with the reason on each side)"));
    let mut variables: Vec<(usize, usize, &Change)> = Vec::new();
    for (i, c) in changes.iter().enumerate() {
        if !variables.iter().any(|v| v.2.variable == c.variable) {
            // Tables are in rule order; alerts come by first appearance.
            let order = tables.iter().position(|t| t.id == c.variable).unwrap_or(i);
            variables.push((c.kind as usize, order, c));
        }
    }
    variables.sort_by_key(|v| (v.0, v.1));
    let id_width = changes.iter().map(|c| c.customer_id.chars().count()).max().unwrap_or(0);
    // Names in full: a cut name can be mistaken for another customer's.
    fn name_of(c: &Change) -> &str {
        c.name.as_deref().unwrap_or("")
    }
    let name_width = changes.iter().map(|c| name_of(c).chars().count()).max().unwrap_or(0);
    for (_, _, first) in variables {
        let _ = writeln!(out, "{}", variable_heading(l, first));
        let group: Vec<&Change> = changes.iter().filter(|c| c.variable == first.variable).collect();
        let arrows: Vec<String> = group
            .iter()
            .map(|c| {
                let (b, a) =
                    (value_text(l, c.before.as_deref()), value_text(l, c.after.as_deref()));
                format!("{b} → {a}")
            })
            .collect();
        let arrow_width = arrows.iter().map(|a| a.chars().count()).max().unwrap_or(0);
        for (c, arrow) in group.iter().zip(&arrows) {
            let _ = writeln!(
                out,
                "  {:<id_width$}  {:<name_width$}  {arrow:<arrow_width$}  {}",
                c.customer_id,
                name_of(c),
                c.reason(l)
            );
        }
    }
}

/// The changes as CSV: customer_id, name, variable, before, after, reason;
/// every cell is text, made safe for spreadsheets ([`csv_text`]). The
/// header and the values are the same in every language, for scripts; the
/// reason is in the project's.
pub fn diff_csv(diff: &PortfolioDiff) -> Vec<u8> {
    let mut writer =
        csv::WriterBuilder::new().terminator(csv::Terminator::Any(b'\n')).from_writer(Vec::new());
    let header = ["customer_id", "name", "variable", "before", "after", "reason"];
    writer.write_record(header).expect("writing to memory");
    for c in &diff.changes {
        let field = |v: &Option<String>| v.as_deref().unwrap_or_default().to_string();
        let record = [
            c.customer_id.clone(),
            field(&c.name),
            c.variable.clone(),
            field(&c.before),
            field(&c.after),
            c.reason(diff.locale),
        ];
        writer
            .write_record(record.iter().map(|cell| csv_text(cell).into_owned()))
            .expect("writing to memory");
    }
    writer.into_inner().expect("writing to memory")
}
