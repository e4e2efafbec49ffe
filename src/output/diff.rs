//! `kamplan diff` as a reader sees it: the text report and the CSV of
//! changes, one row per customer and variable.

use crate::diff::{Change, DiffTable, Kind, PortfolioDiff};
use crate::locale::{Locale, format};
use crate::output::csv_text;

/// The comparison is a console and CSV report: its figures read in English.
fn money(x: f64) -> String {
    format::money(Locale::En, x)
}

fn percent(x: f64, decimals: usize) -> String {
    format::percent(Locale::En, x, decimals)
}
use std::fmt::Write;

/// The text report: both sides, the from × to tables, the key accounts,
/// then one line per changed customer and variable, with the reasons.
pub fn diff_text(diff: &PortfolioDiff, title: &str, currency: &str) -> String {
    let mut out = String::new();
    let cash = |x: f64| format!("{currency} {}", money(x));
    let _ = writeln!(out, "{title}");
    for (label, side) in [("before", &diff.before), ("after", &diff.after)] {
        let _ = writeln!(
            out,
            "  {label:<10} {}; window {}; {} customers",
            side.rules, side.window, side.customers
        );
    }
    let _ = writeln!(
        out,
        "  customers  {} in both portfolios, {} with changes",
        diff.compared, diff.changed
    );
    for (label, refs) in [("only before", &diff.only_before), ("only after", &diff.only_after)] {
        if !refs.is_empty() {
            let list: Vec<String> =
                refs.iter().map(|r| format!("{} {}", r.kind.name(), r.id)).collect();
            let _ = writeln!(out, "  {label:<10} {} (not compared)", list.join(", "));
        }
    }
    for table in diff.tables.iter().filter(|t| t.moved > 0) {
        out.push('\n');
        table_text(&mut out, table, diff.compared, &cash);
    }
    let unchanged: Vec<&str> =
        diff.tables.iter().filter(|t| t.moved == 0).map(|t| t.id.as_str()).collect();
    if !unchanged.is_empty() {
        let _ = writeln!(out, "\nno customer moves in {}", unchanged.join(", "));
    }
    let k = &diff.key_accounts;
    let share = |s: Option<f64>| s.map(|s| format!(" ({})", percent(s, 1))).unwrap_or_default();
    let _ = writeln!(
        out,
        "\nkey accounts  {} → {}; revenue covered {}{} → {}{}",
        k.before,
        k.after,
        cash(k.revenue_before),
        share(k.share_before),
        cash(k.revenue_after),
        share(k.share_after)
    );
    changes_text(&mut out, &diff.changes, &diff.tables);
    out
}

/// A classification as a grid of counts (before in rows, after in
/// columns); a matrix, whose segments are many and long, as its moves.
fn table_text(out: &mut String, t: &DiffTable, compared: usize, cash: &dyn Fn(f64) -> String) {
    let verb = if t.kind == Kind::Classification { "class" } else { "segment" };
    let _ = writeln!(
        out,
        "{} ({}): {} of {compared} customers change {verb}",
        t.id,
        t.kind.name(),
        t.moved
    );
    if t.kind == Kind::Classification {
        let corner = "before \\ after";
        let width = t
            .labels
            .iter()
            .map(|l| l.chars().count())
            .chain(t.customers.iter().flatten().map(|n| n.to_string().len()))
            .max()
            .unwrap_or(1)
            .max(3);
        let first = t.labels.iter().map(|l| l.chars().count()).max().unwrap_or(0).max(corner.len());
        let mut line = format!("  {corner:<first$}");
        for label in &t.labels {
            let _ = write!(line, "  {label:>width$}");
        }
        let _ = writeln!(out, "{line}");
        for (from, label) in t.labels.iter().enumerate() {
            let mut line = format!("  {label:<first$}");
            for n in &t.customers[from] {
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
    for (arrow, n, revenue) in moves {
        let noun = if n == 1 { "customer" } else { "customers" };
        let _ =
            writeln!(out, "  {arrow:<width$}  {n:>4} {noun:<9}  revenue after {}", cash(revenue));
    }
}

/// One line per change, grouped by variable: classifications and matrices
/// in rule order, then the key accounts, the alerts and the portfolio.
fn changes_text(out: &mut String, changes: &[Change], tables: &[DiffTable]) {
    if changes.is_empty() {
        let _ = writeln!(out, "\nno customer changes class, segment, key-account status or alerts");
        return;
    }
    let _ = writeln!(out, "\nchanges (before → after, with the reason on each side)");
    let mut variables: Vec<(usize, usize, &str)> = Vec::new();
    for (i, c) in changes.iter().enumerate() {
        if !variables.iter().any(|v| v.2 == c.variable) {
            // Tables are in rule order; alerts come by first appearance.
            let order = tables.iter().position(|t| t.id == c.variable).unwrap_or(i);
            variables.push((c.kind as usize, order, &c.variable));
        }
    }
    variables.sort();
    let shown = |v: &Option<String>| v.clone().unwrap_or_else(|| "none".into());
    let id_width = changes.iter().map(|c| c.customer_id.chars().count()).max().unwrap_or(0);
    let name_of =
        |c: &Change| -> String { c.name.as_deref().unwrap_or("").chars().take(30).collect() };
    let name_width = changes.iter().map(|c| name_of(c).chars().count()).max().unwrap_or(0);
    for (_, _, variable) in variables {
        let _ = writeln!(out, "{variable}");
        let group: Vec<&Change> = changes.iter().filter(|c| c.variable == variable).collect();
        let arrows: Vec<String> =
            group.iter().map(|c| format!("{} → {}", shown(&c.before), shown(&c.after))).collect();
        let arrow_width = arrows.iter().map(|a| a.chars().count()).max().unwrap_or(0);
        for (c, arrow) in group.iter().zip(&arrows) {
            let _ = writeln!(
                out,
                "  {:<id_width$}  {:<name_width$}  {arrow:<arrow_width$}  {}",
                c.customer_id,
                name_of(c),
                c.reason()
            );
        }
    }
}

/// The changes as CSV: customer_id, name, variable, before, after, reason;
/// every cell is text, made safe for spreadsheets ([`csv_text`]).
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
            c.reason(),
        ];
        writer
            .write_record(record.iter().map(|cell| csv_text(cell).into_owned()))
            .expect("writing to memory");
    }
    writer.into_inner().expect("writing to memory")
}
