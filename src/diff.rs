//! What changes between two classified portfolios of the same data: under
//! two rule sets, or at two analysis dates. For every customer, each
//! classification, matrix, key-account status and alert that differs, with
//! the reason on each side; per classification and matrix, a from × to
//! table; and the key accounts on each side. For `kamplan diff`.
//! Pure: portfolios and rules in, values out.

use crate::classify::Portfolio;
use crate::classify::facts::Fact;
use crate::config::rules::{AbcMethod, ClassRule, Rules, RulesSource, XyzMethod};
use crate::explain::{Explanation, MatrixStep, Step, explain, percent, readable, variable};
use crate::locale::Locale;
use crate::migration::{Migration, migration_of, segment_labels};
use crate::model::amount::SCALE;
use serde::Serialize;

/// One side of the comparison: a portfolio and the rules that classified it.
#[derive(Clone, Copy)]
pub struct Side<'a> {
    pub portfolio: &'a Portfolio,
    pub rules: &'a Rules,
}

/// Everything that differs between the `before` and the `after` side.
#[derive(Debug, Serialize)]
pub struct PortfolioDiff {
    pub before: SideInfo,
    pub after: SideInfo,
    /// Customers in both portfolios.
    pub compared: usize,
    /// Customers with at least one change (entering or leaving the portfolio included).
    pub changed: usize,
    /// Classifications, matrices and alerts defined on one side only: they
    /// cannot be compared.
    pub only_before: Vec<RuleRef>,
    pub only_after: Vec<RuleRef>,
    /// The from × to tables of the classifications, then of the matrices,
    /// defined on both sides.
    pub tables: Vec<DiffTable>,
    pub key_accounts: KeyAccountSummary,
    /// Every change, by customer id, then classifications, matrices, key
    /// account and alerts in rule order.
    pub changes: Vec<Change>,
    /// The language of the reasons and the report (the project's).
    #[serde(skip)]
    pub locale: Locale,
}

/// What one side is.
#[derive(Debug, Serialize)]
pub struct SideInfo {
    pub as_of: String,
    pub window: String,
    /// `default rules`, or the rule folder.
    pub rules: String,
    pub customers: usize,
}

/// What a change or a rule is about.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Kind {
    Classification,
    Matrix,
    KeyAccount,
    Alert,
    /// The customer is in one portfolio only (dates compared).
    Portfolio,
}

impl Kind {
    /// The kind in words, in the language.
    pub fn name(self, l: Locale) -> &'static str {
        match self {
            Kind::Classification => l.text("classification"),
            Kind::Matrix => l.text("matrix"),
            Kind::KeyAccount => l.text("key account"),
            Kind::Alert => l.text("alert"),
            Kind::Portfolio => l.text("portfolio"),
        }
    }
}

/// A classification, matrix or alert by id.
#[derive(Debug, Serialize)]
pub struct RuleRef {
    pub kind: Kind,
    pub id: String,
}

/// Customers and revenue from each before-label (rows) to each after-label
/// (columns), over the customers in both portfolios.
#[derive(Debug, Serialize)]
pub struct DiffTable {
    pub id: String,
    pub kind: Kind,
    /// Classes in rank order (the before side's, then any the after side
    /// adds), or segments sorted.
    pub labels: Vec<String>,
    pub customers: Vec<Vec<usize>>,
    /// Revenue of those customers in each side's window.
    pub revenue_before: Vec<Vec<f64>>,
    pub revenue_after: Vec<Vec<f64>>,
    /// Customers whose label changed.
    pub moved: usize,
}

/// The key accounts on each side and the revenue they hold.
#[derive(Debug, Serialize)]
pub struct KeyAccountSummary {
    pub before: usize,
    pub after: usize,
    pub revenue_before: f64,
    pub revenue_after: f64,
    /// Their share of the side's total revenue; none when that total is not positive.
    pub share_before: Option<f64>,
    pub share_after: Option<f64>,
}

/// One customer's change of one variable, with the reason on each side.
#[derive(Debug, Serialize)]
pub struct Change {
    pub customer_id: String,
    pub name: Option<String>,
    pub kind: Kind,
    /// The classification or matrix id, `key_account`, `alert.<id>` or `portfolio`.
    pub variable: String,
    /// The class or segment; for the key account, an alert and the
    /// portfolio one of [`YES`], [`NO`], [`FIRED`], the same in every
    /// language, so scripts reading the JSON or the CSV can rely on them.
    pub before: Option<String>,
    pub after: Option<String>,
    /// Why, in the language.
    pub reason_before: String,
    pub reason_after: String,
}

/// The values of a key-account status, an alert and a presence in the portfolio.
pub const YES: &str = "yes";
pub const NO: &str = "no";
pub const FIRED: &str = "fired";

impl Change {
    /// Both reasons in one sentence.
    pub fn reason(&self, l: Locale) -> String {
        l.fill(
            "before: {before}; after: {after}",
            &[("before", &self.reason_before), ("after", &self.reason_after)],
        )
    }
}

/// Compares two classified portfolios.
pub fn diff(before: Side, after: Side) -> PortfolioDiff {
    let (b, a) = (before.portfolio, after.portfolio);
    // Both sides are read in the project's language.
    let l = before.rules.locale;
    let shared = Shared::of(before, after);
    let mut tables: Vec<DiffTable> = Vec::new();
    for id in &shared.classifications {
        let labels = class_labels(b, a, id);
        tables.push(table(&migration_of(a, b, id, &labels, true), Kind::Classification));
    }
    for id in &shared.matrices {
        let labels = segment_labels(a, b, id);
        tables.push(table(&migration_of(a, b, id, &labels, false), Kind::Matrix));
    }
    let mut changes = Vec::new();
    let mut changed = 0;
    let mut compared = 0;
    for (id, rb, ra) in merged_rows(b, a) {
        let found = match (rb, ra) {
            (Some(rb), Some(ra)) => {
                compared += 1;
                customer_changes(before, after, &shared, id, rb, ra)
            }
            (Some(rb), None) => vec![presence(b, a, rb, true, &shared, l)],
            (None, Some(ra)) => vec![presence(a, b, ra, false, &shared, l)],
            (None, None) => Vec::new(),
        };
        changed += usize::from(!found.is_empty());
        changes.extend(found);
    }
    PortfolioDiff {
        before: side_info(before, l),
        after: side_info(after, l),
        compared,
        changed,
        only_before: shared.only(before),
        only_after: shared.only(after),
        tables,
        key_accounts: key_accounts(b, a),
        changes,
        locale: l,
    }
}

/// The ids defined on both sides, in the before side's order.
struct Shared {
    classifications: Vec<String>,
    matrices: Vec<String>,
    alerts: Vec<String>,
}

impl Shared {
    fn of(before: Side, after: Side) -> Shared {
        let both = |ids: Vec<&String>, other: Vec<&String>| -> Vec<String> {
            ids.into_iter().filter(|id| other.contains(id)).cloned().collect()
        };
        let (b, a) = (before.portfolio, after.portfolio);
        Shared {
            classifications: both(
                b.classifications.iter().map(|c| &c.id).collect(),
                a.classifications.iter().map(|c| &c.id).collect(),
            ),
            matrices: both(b.matrices.iter().collect(), a.matrices.iter().collect()),
            alerts: both(
                before.rules.alerts.iter().map(|x| &x.id).collect(),
                after.rules.alerts.iter().map(|x| &x.id).collect(),
            ),
        }
    }

    /// What `side` defines that the other side does not.
    fn only(&self, side: Side) -> Vec<RuleRef> {
        let p = side.portfolio;
        let ids = p
            .classifications
            .iter()
            .map(|c| (Kind::Classification, &c.id, &self.classifications))
            .chain(p.matrices.iter().map(|m| (Kind::Matrix, m, &self.matrices)))
            .chain(side.rules.alerts.iter().map(|a| (Kind::Alert, &a.id, &self.alerts)));
        ids.filter(|(_, id, shared)| !shared.contains(id))
            .map(|(kind, id, _)| RuleRef { kind, id: id.clone() })
            .collect()
    }
}

/// A classification's classes on both sides: the before side's in rank
/// order, then those only the after side has.
fn class_labels(b: &Portfolio, a: &Portfolio, id: &str) -> Vec<String> {
    let classes = |p: &Portfolio| {
        p.classifications.iter().find(|c| c.id == id).map(|c| c.classes.clone()).unwrap_or_default()
    };
    let mut labels = classes(b);
    for class in classes(a) {
        if !labels.contains(&class) {
            labels.push(class);
        }
    }
    labels
}

fn money(units: i128) -> f64 {
    units as f64 / SCALE as f64
}

fn table(m: &Migration, kind: Kind) -> DiffTable {
    let money_table = |cells: &[Vec<i128>]| {
        cells.iter().map(|row| row.iter().map(|&u| money(u)).collect()).collect()
    };
    DiffTable {
        id: m.id.clone(),
        kind,
        labels: m.labels.clone(),
        customers: m.customers.clone(),
        revenue_before: money_table(&m.revenue_before),
        revenue_after: money_table(&m.revenue),
        moved: m.customers.iter().flatten().sum::<usize>() - m.stayed(),
    }
}

/// Customer ids of both portfolios in order, with their row on each side.
fn merged_rows<'p>(
    b: &'p Portfolio,
    a: &'p Portfolio,
) -> Vec<(&'p str, Option<usize>, Option<usize>)> {
    let mut out = Vec::with_capacity(b.rows.len().max(a.rows.len()));
    let (mut i, mut j) = (0, 0);
    while i < b.rows.len() || j < a.rows.len() {
        let left = b.rows.get(i).map(|r| r.customer_id.as_str());
        let right = a.rows.get(j).map(|r| r.customer_id.as_str());
        match (left, right) {
            (Some(l), Some(r)) if l == r => {
                out.push((l, Some(i), Some(j)));
                i += 1;
                j += 1;
            }
            (Some(l), Some(r)) if l < r => {
                out.push((l, Some(i), None));
                i += 1;
            }
            (Some(l), None) => {
                out.push((l, Some(i), None));
                i += 1;
            }
            (_, Some(r)) => {
                out.push((r, None, Some(j)));
                j += 1;
            }
            (None, None) => break,
        }
    }
    out
}

/// A variable that differs, before the reasons are worked out.
struct Pending {
    kind: Kind,
    id: String,
    before: Option<String>,
    after: Option<String>,
}

fn yes_no(flag: bool, yes: &str) -> Option<String> {
    Some(if flag { yes } else { NO }.to_string())
}

/// The changes of a customer in both portfolios. Explanations are worked
/// out only for customers that changed.
fn customer_changes(
    before: Side,
    after: Side,
    shared: &Shared,
    id: &str,
    rb: usize,
    ra: usize,
) -> Vec<Change> {
    let (b, a) = (before.portfolio, after.portfolio);
    let mut pending = Vec::new();
    let ids = shared
        .classifications
        .iter()
        .map(|c| (Kind::Classification, c))
        .chain(shared.matrices.iter().map(|m| (Kind::Matrix, m)));
    for (kind, var) in ids {
        let (tb, ta) = (b.text(var, rb), a.text(var, ra));
        if tb != ta {
            pending.push(Pending { kind, id: var.clone(), before: tb, after: ta });
        }
    }
    let (kb, ka) = (b.is_key_account(rb), a.is_key_account(ra));
    if kb != ka {
        let (before, after) = (yes_no(kb, YES), yes_no(ka, YES));
        pending.push(Pending { kind: Kind::KeyAccount, id: "key_account".into(), before, after });
    }
    for alert in &shared.alerts {
        let (fb, fa) = (b.alerts(rb).contains(alert), a.alerts(ra).contains(alert));
        if fb != fa {
            let (before, after) = (yes_no(fb, FIRED), yes_no(fa, FIRED));
            pending.push(Pending { kind: Kind::Alert, id: alert.clone(), before, after });
        }
    }
    if pending.is_empty() {
        return Vec::new();
    }
    let (Some(eb), Some(ea)) = (explain(b, before.rules, id), explain(a, after.rules, id)) else {
        return Vec::new();
    };
    let name = a.rows[ra].name().or_else(|| b.rows[rb].name()).map(str::to_string);
    let l = before.rules.locale;
    pending
        .into_iter()
        .map(|p| {
            let (mut reason_before, mut reason_after) = reasons(&p, &eb, &ea, l);
            if let (Kind::Classification, Some(here), Some(there)) = (p.kind, &p.before, &p.after) {
                let missed =
                    |side: Side, row, here, there| bound_missed(side, &p.id, row, here, there);
                for (reason, missed) in [
                    (&mut reason_before, missed(before, rb, here, there)),
                    (&mut reason_after, missed(after, ra, there, here)),
                ] {
                    if let Some(missed) = missed {
                        reason.push_str(&format!(", {missed}"));
                    }
                }
            }
            let variable = match p.kind {
                Kind::Alert => format!("alert.{}", p.id),
                _ => p.id,
            };
            Change {
                customer_id: id.to_string(),
                name: name.clone(),
                kind: p.kind,
                variable,
                before: p.before,
                after: p.after,
                reason_before,
                reason_after,
            }
        })
        .collect()
}

/// Why the variable has its value on each side, from the explanations.
fn reasons(p: &Pending, eb: &Explanation, ea: &Explanation, l: Locale) -> (String, String) {
    match p.kind {
        Kind::Classification => {
            let reason = |e: &Explanation| {
                e.classifications.iter().find(|s| s.id == p.id).map(|s| s.reason.clone())
            };
            (reason(eb).unwrap_or_default(), reason(ea).unwrap_or_default())
        }
        Kind::Matrix => {
            let (mb, ma) = (&eb.matrices, &ea.matrices);
            let (mb, ma) = (mb.iter().find(|m| m.id == p.id), ma.iter().find(|m| m.id == p.id));
            match (mb, ma) {
                (Some(mb), Some(ma)) => matrix_reasons(mb, ma, l),
                _ => Default::default(),
            }
        }
        Kind::KeyAccount => (eb.key_account.reason.clone(), ea.key_account.reason.clone()),
        Kind::Alert => {
            let reason = |e: &Explanation| {
                e.alerts.iter().find(|s| s.id == p.id).map_or_else(String::new, |s| {
                    match s.message.as_deref().filter(|m| !m.trim().is_empty()) {
                        // Without its full stop: the reason goes on with the other side.
                        Some(message) if s.fired => {
                            message.trim().trim_end_matches('.').to_string()
                        }
                        _ if s.fired => {
                            l.fill("`{condition}` is true", &[("condition", &s.condition)])
                        }
                        _ => l.fill("`{condition}` is false", &[("condition", &s.condition)]),
                    }
                })
            };
            (reason(eb), reason(ea))
        }
        Kind::Portfolio => Default::default(),
    }
}

/// The bound a customer in a worse class on this side did not reach: that
/// of the class it has on the other side, in this side's rules. The
/// explanation names only the bound the customer is within; this names the
/// one it crossed. None when the class is not worse here, or is the last
/// for want of a positive value.
fn bound_missed(side: Side, id: &str, row: usize, here: &str, there: &str) -> Option<String> {
    let rule = &side.rules.classifications.iter().find(|c| c.id == id)?.rule;
    let classes = rule.classes();
    let h = classes.iter().position(|c| c == here)?;
    let t = classes.iter().position(|c| c == there)?;
    if h <= t {
        return None;
    }
    let p = side.portfolio;
    let l = side.rules.locale;
    match rule {
        ClassRule::Abc(abc) => {
            let positive = match p.facts.get(&abc.metric.value, row) {
                Some(Fact::Amount(a)) => a.is_positive(),
                Some(Fact::Count(n)) => *n > 0,
                _ => false,
            };
            if !positive {
                return None;
            }
            Some(match &abc.method {
                AbcMethod::CumulativeShare(bounds) => l.fill(
                    "not below the {class} bound {bound}",
                    &[("class", &there), ("bound", &percent(l, bounds[t].to_f64()))],
                ),
                AbcMethod::Computed => {
                    let Some(cut) = p.computed_cut(id) else {
                        return Some(l.text("the ABC curve gave no limits").into());
                    };
                    let (limit, english) = if t == 0 {
                        (cut.ab, "not above the computed {class} limit {limit}")
                    } else {
                        (cut.bc, "below the computed {class} limit {limit}")
                    };
                    let limit = crate::explain::readable(
                        l,
                        p.units_fact(&abc.metric.value, limit).as_f64().unwrap_or(0.0),
                    );
                    l.fill(english, &[("class", &there), ("limit", &limit)])
                }
                AbcMethod::RankShare(shares) => {
                    let n = p.rows.len() as u64;
                    l.fill(
                        "past the {class} ranks (up to ceil({share}·{n}) = {last})",
                        &[
                            ("class", &there),
                            ("share", &readable(l, shares[t].to_f64())),
                            ("n", &n),
                            ("last", &shares[t].ceil_times(n)),
                        ],
                    )
                }
            })
        }
        ClassRule::Xyz(xyz) => {
            // The last class's reason says "above (below) every bound" already.
            let (XyzMethod::Cv(bounds) | XyzMethod::Frequency(bounds)) = &xyz.method;
            if h >= bounds.len() {
                return None;
            }
            let figures: [(&str, &dyn std::fmt::Display); 2] =
                [("class", &there), ("bound", &readable(l, bounds[t].to_f64()))];
            Some(if matches!(xyz.method, XyzMethod::Cv(_)) {
                l.fill("above the {class} bound {bound}", &figures)
            } else {
                l.fill("below the {class} bound {bound}", &figures)
            })
        }
    }
}

/// The axes whose band changed, with their reasons on each side; when no
/// band changed, the rules put the same cell in another segment.
fn matrix_reasons(mb: &MatrixStep, ma: &MatrixStep, l: Locale) -> (String, String) {
    let axes = [(&mb.x, &ma.x), (&mb.y, &ma.y)];
    let moved: Vec<_> =
        axes.iter().filter(|(sb, sa)| sb.id != sa.id || sb.result != sa.result).collect();
    // A missing value's band is "none", in words in the language.
    let result = |s: &Step| -> String {
        if s.result == "none" { l.text("none").into() } else { s.result.clone() }
    };
    if moved.is_empty() {
        let band = |s: &Step| format!("{} {}", variable(l, &s.id), result(s));
        let bands = |m: &MatrixStep| format!("{}, {}", band(&m.x), band(&m.y));
        return (
            l.fill("{bands}: cell {segment}", &[("bands", &bands(mb)), ("segment", &mb.segment)]),
            l.fill(
                "{bands}: the rules put this cell in {segment}",
                &[("bands", &bands(ma)), ("segment", &ma.segment)],
            ),
        );
    }
    // A category axis's reason ends with its band ("abc is A") already.
    let describe = |steps: Vec<&Step>| {
        let step = |s: &&Step| {
            if s.reason.ends_with(&format!(" {}", s.result)) {
                s.reason.clone()
            } else {
                format!("{}: {}", s.reason, result(s))
            }
        };
        steps.iter().map(step).collect::<Vec<_>>().join("; ")
    };
    (describe(moved.iter().map(|p| p.0).collect()), describe(moved.iter().map(|p| p.1).collect()))
}

/// A customer in one portfolio only (`in_before` tells which): in the
/// portfolio or not, and what it is where it is.
fn presence(
    side: &Portfolio,
    other: &Portfolio,
    row: usize,
    in_before: bool,
    shared: &Shared,
    l: Locale,
) -> Change {
    let r = &side.rows[row];
    // Revenue as the classification reasons write it: money with two decimals.
    let revenue = crate::locale::format::number(l, r.metrics.revenue.to_f64(), 2);
    let mut present = format!("{} {revenue}", variable(l, "revenue"));
    for id in &shared.classifications {
        if let Some(class) = side.text(id, row) {
            present.push_str(&format!(", {id} {class}"));
        }
    }
    let absent = l.fill(
        "not in the portfolio at {date}: no sale on or before it and not in the master",
        &[("date", &other.period.as_of)],
    );
    let (before, after, reason_before, reason_after) =
        if in_before { (YES, NO, present, absent) } else { (NO, YES, absent, present) };
    Change {
        customer_id: r.customer_id.clone(),
        name: r.name().map(str::to_string),
        kind: Kind::Portfolio,
        variable: "portfolio".into(),
        before: Some(before.into()),
        after: Some(after.into()),
        reason_before,
        reason_after,
    }
}

fn side_info(side: Side, l: Locale) -> SideInfo {
    let period = side.portfolio.period;
    SideInfo {
        as_of: period.as_of.to_string(),
        // Dates as the command line takes them: the comparison is of dates given so.
        window: l.fill(
            "{start} to {end} ({n} months)",
            &[("start", &period.start()), ("end", &period.as_of), ("n", &period.months)],
        ),
        rules: match &side.rules.source {
            RulesSource::Defaults => l.text("default rules").into(),
            RulesSource::Folder(dir) => dir.display().to_string(),
        },
        customers: side.portfolio.rows.len(),
    }
}

fn key_accounts(b: &Portfolio, a: &Portfolio) -> KeyAccountSummary {
    let sums = |p: &Portfolio| {
        let revenue = |r: usize| i128::from(p.rows[r].metrics.revenue.units());
        let keys = p.key_account_rows();
        let covered: i128 = keys.iter().map(|&r| revenue(r)).sum();
        let total: i128 = (0..p.rows.len()).map(revenue).sum();
        let share = (total > 0).then(|| covered as f64 / total as f64);
        (keys.len(), money(covered), share)
    };
    let (before, revenue_before, share_before) = sums(b);
    let (after, revenue_after, share_after) = sums(a);
    KeyAccountSummary { before, after, revenue_before, revenue_after, share_before, share_after }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::classify::classify;
    use crate::config::rules::parse_rules;
    use crate::ledger::{ColumnsSeen, Ledger};
    use crate::metrics::Period;
    use crate::model::records::Master;
    use crate::model::records::SalesLine;
    use crate::model::{Amount, Date};
    use std::borrow::Cow;

    /// An ABC with A bound `a`, a matrix on it, an alert and the key accounts.
    fn rules(a: &str, extra: &str) -> Rules {
        let text = format!(
            r#"
[classification.abc]
kind = "abc"
metric = "revenue"
method = "cumulative-share"
classes = ["A", "B", "C"]
bounds = [{a}, 0.95, 1.00]

[matrix.tier]
title = "Tier"
[matrix.tier.x]
metric = "abc"
categories = ["A", "B", "C"]
[matrix.tier.y]
metric = "revenue"
breaks = [1000]
labels = ["low", "high"]
[matrix.tier.cells]
high = ["top", "middle", "tail"]
low = ["top", "middle", "tail"]

[segment.top]
title = "Top"
[segment.middle]
title = "Middle"
[segment.tail]
title = "Tail"

[alert.large_b]
severity = "low"
when = 'abc == "B" and revenue >= 100'
message = "A large class B customer."

[key_accounts]
when = 'abc == "A"'
{extra}
"#
        );
        parse_rules(
            &[("rules.toml".into(), text)],
            RulesSource::Defaults,
            crate::locale::Locale::En,
        )
        .unwrap()
    }

    fn ledger(lines: &[(&'static str, &str, i64)]) -> Ledger {
        let mut ledger = Ledger::default();
        for &(customer, date, revenue) in lines {
            let line = SalesLine {
                date: Date::parse_iso(date).unwrap(),
                customer_id: Cow::Borrowed(customer),
                revenue: Amount::from_int(revenue),
                invoice_id: None,
                product_id: None,
                product_category: None,
                quantity: None,
                cost: None,
            };
            ledger.add(&line, ColumnsSeen::default());
        }
        ledger
    }

    fn period(as_of: &str) -> Period {
        Period::resolve(Date::parse_iso(as_of), 12, None).unwrap()
    }

    /// Worked by hand. Revenue 500, 200, 150, 100, 50 (total 1000): the
    /// customers ahead of C1…C5 hold 0%, 50%, 70%, 85%, 95%. With A below
    /// 80%, C1–C3 are A, C4 B, C5 C; with A below 60%, C3 (70%) drops to B,
    /// and so leaves the top tier and the key accounts, and fires large_b.
    #[test]
    fn lowering_the_a_bound_moves_one_customer_with_its_reasons() {
        let customers = [("C1", 500), ("C2", 200), ("C3", 150), ("C4", 100), ("C5", 50)];
        let lines: Vec<_> = customers.iter().map(|&(c, r)| (c, "2025-06-10", r)).collect();
        let ledger = ledger(&lines);
        let master = Master::default();
        let (r80, r60) = (rules("0.80", ""), rules("0.60", ""));
        let before = classify(&ledger, &master, &r80, period("2025-06-30")).unwrap();
        let after = classify(&ledger, &master, &r60, period("2025-06-30")).unwrap();
        let d =
            diff(Side { portfolio: &before, rules: &r80 }, Side { portfolio: &after, rules: &r60 });

        assert_eq!((d.compared, d.changed), (5, 1));
        assert!(d.only_before.is_empty() && d.only_after.is_empty());
        let abc = &d.tables[0];
        assert_eq!((abc.id.as_str(), abc.kind), ("abc", Kind::Classification));
        assert_eq!(abc.customers, vec![vec![2, 1, 0], vec![0, 1, 0], vec![0, 0, 1]]);
        assert_eq!((abc.revenue_before[0][1], abc.revenue_after[0][1]), (150.0, 150.0));
        assert_eq!(abc.moved, 1);
        let tier = &d.tables[1];
        assert_eq!(
            (tier.kind, tier.labels.clone()),
            (Kind::Matrix, vec!["middle".into(), "tail".into(), "top".into()])
        );
        assert_eq!((tier.moved, tier.customers[2][0]), (1, 1), "top → middle");

        let k = &d.key_accounts;
        assert_eq!((k.before, k.after), (3, 2));
        assert_eq!((k.revenue_before, k.revenue_after), (850.0, 700.0));
        assert_eq!((k.share_before, k.share_after), (Some(0.85), Some(0.70)));

        let summary: Vec<_> = d
            .changes
            .iter()
            .map(|c| {
                (
                    c.customer_id.as_str(),
                    c.variable.as_str(),
                    c.before.as_deref(),
                    c.after.as_deref(),
                )
            })
            .collect();
        assert_eq!(
            summary,
            [
                ("C3", "abc", Some("A"), Some("B")),
                ("C3", "tier", Some("top"), Some("middle")),
                ("C3", "key_account", Some("yes"), Some("no")),
                ("C3", "alert.large_b", Some("no"), Some("fired")),
            ]
        );
        let abc = &d.changes[0];
        assert_eq!(
            abc.reason_before,
            "revenue 150.00, rank 3 of 5; the customers ahead hold 70.00% of the total, below the A bound 80.00%"
        );
        assert_eq!(
            abc.reason_after,
            "revenue 150.00, rank 3 of 5; the customers ahead hold 70.00% of the total, below the B bound 95.00%, not below the A bound 60.00%"
        );
        assert!(
            abc.reason(Locale::En).starts_with("before: revenue 150"),
            "{}",
            abc.reason(Locale::En)
        );
        assert_eq!(
            (d.changes[1].reason_before.as_str(), d.changes[1].reason_after.as_str()),
            ("abc is A", "abc is B")
        );
        assert_eq!(d.changes[2].reason_after, "`abc == \"A\"` is false");
        assert_eq!(d.changes[3].reason_before, "`abc == \"B\" and revenue >= 100` is false");
        assert_eq!(d.changes[3].reason_after, "A large class B customer");
    }

    /// A customer that first bought after the earlier date is in the later
    /// portfolio only; a classification of one side only is not compared.
    #[test]
    fn customers_and_rules_on_one_side_only_are_listed() {
        let early = ledger(&[("C1", "2024-05-10", 100), ("C2", "2024-05-10", 10)]);
        let late = ledger(&[
            ("C1", "2024-05-10", 100),
            ("C2", "2024-05-10", 10),
            ("C2", "2025-05-10", 300),
            ("N", "2025-05-10", 5),
        ]);
        let master = Master::default();
        let xyz = "[classification.xyz]\nkind = \"xyz\"\nmethod = \"cv\"\nclasses = [\"X\", \"Y\", \"Z\"]\nbounds = [0.5, 1.0]\n";
        let (plain, more) = (rules("0.80", ""), rules("0.80", xyz));
        let before = classify(&early, &master, &plain, period("2024-06-30")).unwrap();
        let after = classify(&late, &master, &more, period("2025-06-30")).unwrap();
        let d = diff(
            Side { portfolio: &before, rules: &plain },
            Side { portfolio: &after, rules: &more },
        );
        assert_eq!((d.before.customers, d.after.customers, d.compared), (2, 3, 2));
        assert_eq!(d.after.window, "2024-07-01 to 2025-06-30 (12 months)");
        assert!(d.only_before.is_empty());
        assert_eq!(
            (d.only_after.len(), d.only_after[0].kind, d.only_after[0].id.as_str()),
            (1, Kind::Classification, "xyz")
        );
        assert_eq!(d.tables.len(), 2, "abc and tier, not xyz");
        let n = d.changes.iter().find(|c| c.customer_id == "N").unwrap();
        assert_eq!(
            (n.kind, n.before.as_deref(), n.after.as_deref()),
            (Kind::Portfolio, Some("no"), Some("yes"))
        );
        assert_eq!(
            n.reason_before,
            "not in the portfolio at 2024-06-30: no sale on or before it and not in the master"
        );
        assert_eq!(n.reason_after, "revenue 5.00, abc C");
        // C1 had all the revenue and is gone quiet; C2 took over.
        let abc: Vec<_> = d
            .changes
            .iter()
            .filter(|c| c.variable == "abc")
            .map(|c| (c.customer_id.as_str(), c.before.as_deref(), c.after.as_deref()))
            .collect();
        assert_eq!(abc, [("C1", Some("A"), Some("C")), ("C2", Some("B"), Some("A"))]);
        assert_eq!(d.changes.last().unwrap().customer_id, "N", "changes in customer order");
    }
}
