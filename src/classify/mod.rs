//! The classified portfolio: every customer with its metrics, and what the
//! rules make of it (derived metrics, classes, segments, alerts, key accounts).

pub mod abc;
pub mod bands;
pub mod engine;
pub mod facts;
pub mod lookup;
pub mod xyz;

use crate::config::Diagnostics;
use crate::config::rules::{ClassRule, Rules};
use crate::ledger::Ledger;
use crate::metrics::{CustomerMetrics, Period, customer_metrics};
use crate::model::Date;
use crate::model::records::{Customer, Master};
use engine::{RuleResults, apply_rules};
use facts::{Fact, FactTable};
use std::collections::BTreeSet;

/// One customer of the portfolio.
#[derive(Clone, Debug, PartialEq)]
pub struct PortfolioRow {
    pub customer_id: String,
    /// The master's record, when the customer is in the master.
    pub customer: Option<Customer>,
    pub metrics: CustomerMetrics,
}

impl PortfolioRow {
    pub fn name(&self) -> Option<&str> {
        self.customer.as_ref().and_then(|c| c.name.as_deref())
    }

    /// The customer's name, or its id when the master has none.
    pub fn display_name(&self) -> &str {
        self.name().unwrap_or(&self.customer_id)
    }
}

/// Whether a classification ranks (ABC) or measures regularity (XYZ).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ClassKind {
    Abc,
    Xyz,
}

/// A classification as the outputs need it.
#[derive(Clone, Debug, PartialEq)]
pub struct ClassificationInfo {
    pub id: String,
    pub kind: ClassKind,
    pub classes: Vec<String>,
}

/// The classified portfolio, sorted by customer id.
#[derive(Debug)]
pub struct Portfolio {
    pub period: Period,
    pub rows: Vec<PortfolioRow>,
    /// Every variable of every customer, rows in the order of `rows`
    /// (shared, because rule texts render against rows of it).
    pub facts: std::sync::Arc<FactTable>,
    pub classifications: Vec<ClassificationInfo>,
    /// Names of the derived metrics, in rule order.
    pub derived: Vec<String>,
    /// Ids of the matrices, in rule order.
    pub matrices: Vec<String>,
    pub results: RuleResults,
    /// Rankings by metric, computed when an explanation first needs them.
    pub(crate) rankings:
        std::sync::Mutex<std::collections::HashMap<String, std::sync::Arc<abc::Ranking>>>,
}

impl Portfolio {
    /// The value a variable would have for the customer in row `row` if it
    /// were not set aside as doubtful (see the `share_of_wallet` column):
    /// what makes it missing for the rules, for explanations to name.
    pub fn doubtful_value(&self, name: &str, row: usize) -> Option<f64> {
        let r = &self.rows[row];
        let doubtful_share = r.metrics.share_of_wallet.filter(|s| *s > 1.0);
        match name {
            "share_of_wallet" => doubtful_share,
            "potential" => doubtful_share
                .and(r.customer.as_ref().and_then(|c| c.potential))
                .map(|p| p.to_f64()),
            _ => None,
        }
    }

    /// The text value of a variable for the customer in row `row`.
    pub fn text(&self, name: &str, row: usize) -> Option<String> {
        self.facts.get(name, row).and_then(Fact::as_text)
    }

    /// The first classification of the given kind (the summary's ABC or XYZ).
    pub fn first_of_kind(&self, kind: ClassKind) -> Option<&ClassificationInfo> {
        self.classifications.iter().find(|c| c.kind == kind)
    }

    /// The row of the customer with id `customer_id`.
    pub fn row_of(&self, customer_id: &str) -> Option<usize> {
        self.rows.binary_search_by(|r| r.customer_id.as_str().cmp(customer_id)).ok()
    }

    /// Whether the customer in row `row` is a key account.
    pub fn is_key_account(&self, row: usize) -> bool {
        self.facts.get("key_account", row) == Some(&Fact::Count(1))
    }

    /// The rows of the key accounts, in id order.
    pub fn key_account_rows(&self) -> Vec<usize> {
        (0..self.rows.len()).filter(|&r| self.is_key_account(r)).collect()
    }

    /// The ids of the alerts fired for the customer in row `row`.
    pub fn alerts(&self, row: usize) -> &[String] {
        match self.facts.get("alerts", row) {
            Some(Fact::List(ids)) => ids,
            _ => &[],
        }
    }
}

/// Computes metrics for every customer of the master and of the sales (the
/// ledger holds only lines dated on or before `as_of`), then applies the
/// rules. Fails when the rules name variables the data does not have.
pub fn classify(
    ledger: &Ledger,
    master: &Master,
    rules: &Rules,
    period: Period,
) -> Result<Portfolio, Diagnostics> {
    let ids: BTreeSet<&str> =
        master.customers.keys().map(String::as_str).chain(ledger.customer_ids()).collect();
    let ids: Vec<&str> = ids.into_iter().collect();
    let row = |id: &&str| {
        let customer = master.customers.get(*id).cloned();
        let metrics = customer_metrics(
            ledger.customer(id),
            customer.as_ref(),
            &period,
            ledger.columns,
            ledger.category_names(),
        );
        PortfolioRow { customer_id: id.to_string(), customer, metrics }
    };
    let rows: Vec<PortfolioRow> =
        engine::in_parallel(&ids, |chunk| chunk.iter().map(row).collect());
    let facts = base_facts(&rows, master, period.as_of);
    let metrics: Vec<&CustomerMetrics> = rows.iter().map(|r| &r.metrics).collect();
    let (facts, results) = apply_rules(rules, facts, &metrics, period.months)?;
    let classifications = rules
        .classifications
        .iter()
        .map(|c| ClassificationInfo {
            id: c.id.clone(),
            kind: match c.rule {
                ClassRule::Abc(_) => ClassKind::Abc,
                ClassRule::Xyz(_) => ClassKind::Xyz,
            },
            classes: c.rule.classes().to_vec(),
        })
        .collect();
    Ok(Portfolio {
        period,
        rows,
        facts: std::sync::Arc::new(facts),
        classifications,
        derived: rules.derived.iter().map(|d| d.name.clone()).collect(),
        matrices: rules.matrices.iter().map(|m| m.id.clone()).collect(),
        results,
        rankings: Default::default(),
    })
}

/// The variables every customer has before any rule runs, for checking rules without data.
pub fn variables(master: &Master) -> FactTable {
    base_facts(&[], master, Date::from_days(0))
}

/// The variables every customer has before any rule runs: its id and name,
/// the metrics of docs/metrics.md#per-customer-metrics (`median_gap` and the
/// category counts among them), the master's attributes (canonical ones
/// typed, other columns as text), `key_client_type` and
/// `days_to_contract_expiry` (from account files or a master column).
fn base_facts(rows: &[PortfolioRow], master: &Master, as_of: Date) -> FactTable {
    let mut facts = FactTable::new(rows.len());
    let mut column = |name: &str, f: &dyn Fn(&PortfolioRow) -> Fact| {
        facts.set(name, rows.iter().map(f).collect())
    };
    let amount = |a: Option<crate::model::Amount>| a.map_or(Fact::Null, Fact::Amount);
    let number = |x: Option<f64>| x.map_or(Fact::Null, Fact::Number);
    let text = |t: Option<&String>| t.map_or(Fact::Null, |t| Fact::Text(t.clone()));
    column("customer_id", &|r| Fact::Text(r.customer_id.clone()));
    column("name", &|r| text(r.customer.as_ref().and_then(|c| c.name.as_ref())));
    column("revenue", &|r| Fact::Amount(r.metrics.revenue));
    column("cost", &|r| amount(r.metrics.cost));
    column("margin", &|r| amount(r.metrics.margin));
    column("margin_pct", &|r| number(r.metrics.margin_pct));
    column("quantity", &|r| amount(r.metrics.quantity));
    column("orders", &|r| Fact::Count(r.metrics.orders as i64));
    column("products", &|r| r.metrics.products.map_or(Fact::Null, |p| Fact::Count(p as i64)));
    column("revenue_prev", &|r| Fact::Amount(r.metrics.revenue_prev));
    column("growth", &|r| number(r.metrics.growth));
    column("last_purchase", &|r| r.metrics.last_purchase.map_or(Fact::Null, Fact::Date));
    column("days_since_last", &|r| r.metrics.days_since_last.map_or(Fact::Null, Fact::Count));
    // A share above 100% means the potential estimate is below the revenue:
    // flagged as doubtful (analysis::quality), and no ground for a segment,
    // an alert or a text, so rules see it as missing.
    column("share_of_wallet", &|r| number(r.metrics.share_of_wallet.filter(|s| *s <= 1.0)));
    column("active_months", &|r| Fact::Count(i64::from(r.metrics.active_months)));
    column("cv", &|r| number(r.metrics.cv));
    column("median_gap", &|r| number(r.metrics.median_gap));
    // Product categories bought (net revenue above zero), when the data has categories.
    let bought = |r: &PortfolioRow, current: bool| {
        let categories = &r.metrics.categories;
        let count = categories
            .iter()
            .filter(|c| if current { c.current.is_positive() } else { c.previous.is_positive() })
            .count();
        if categories.is_empty() { Fact::Null } else { Fact::Count(count as i64) }
    };
    column("categories", &|r| bought(r, true));
    column("categories_prev", &|r| bought(r, false));
    static NONE: std::sync::LazyLock<Customer> = std::sync::LazyLock::new(Customer::default);
    fn customer(r: &PortfolioRow) -> &Customer {
        r.customer.as_ref().unwrap_or(&NONE)
    }
    column("sector", &|r| text(customer(r).sector.as_ref()));
    column("region", &|r| text(customer(r).region.as_ref()));
    column("account_manager", &|r| text(customer(r).account_manager.as_ref()));
    // A potential below the revenue is stale: set aside like the share of
    // wallet it makes impossible.
    column("potential", &|r| {
        let doubtful = r.metrics.share_of_wallet.is_some_and(|s| s > 1.0);
        amount(customer(r).potential.filter(|_| !doubtful))
    });
    // 1 when the master's potential was set aside as below the revenue, so
    // texts can tell "no estimate" from "an estimate that cannot be true".
    column("potential_stale", &|r| {
        let stale =
            r.metrics.share_of_wallet.is_some_and(|s| s > 1.0) && customer(r).potential.is_some();
        Fact::Count(i64::from(stale))
    });
    column("satisfaction", &|r| amount(customer(r).satisfaction));
    column("loyalty", &|r| amount(customer(r).loyalty));
    column("relationship_stage", &|r| {
        customer(r).relationship_stage.map_or(Fact::Null, |s| Fact::Text(s.to_string()))
    });
    column("customer_since", &|r| customer(r).customer_since.map_or(Fact::Null, Fact::Date));
    column("cost_to_serve", &|r| amount(customer(r).cost_to_serve));
    column("market_growth", &|r| amount(customer(r).market_growth));
    column("attractiveness", &|r| amount(customer(r).attractiveness));
    column("adaptability", &|r| amount(customer(r).adaptability));
    // Completed years from `customer_since` to `as_of`; missing without a
    // date or with one after `as_of`.
    column("relationship_length", &|r| {
        customer(r)
            .customer_since
            .and_then(|since| completed_years(since, as_of))
            .map_or(Fact::Null, Fact::Count)
    });
    column("key_client_type", &|r| text(customer(r).key_client_type.as_ref()));
    column("days_to_contract_expiry", &|r| {
        contract_expiry(customer(r)).map_or(Fact::Null, |d| Fact::Count(i64::from(d - as_of)))
    });
    let attributes: BTreeSet<&String> =
        master.customers.values().flat_map(|c| c.attributes.keys()).collect();
    for name in attributes {
        let key = crate::model::fields::normalize_header(name);
        // A master column named like a metric (say "Orders") must not hide the metric.
        if !facts.has(&key) {
            facts.set(
                &key,
                rows.iter()
                    .map(|r| text(r.customer.as_ref().and_then(|c| c.attributes.get(name))))
                    .collect(),
            );
        }
    }
    facts
}

/// Whole years from `since` to `to`: an anniversary counts on its day (one on
/// 29 February on 1 March of other years); `None` if `since` is after `to`.
fn completed_years(since: Date, to: Date) -> Option<i64> {
    if since > to {
        return None;
    }
    let (sy, sm, sd) = since.ymd();
    let (ty, tm, td) = to.ymd();
    Some(i64::from(ty - sy) - i64::from((tm, td) < (sm, sd)))
}

/// The contract's expiry: from an account file, else from a master column
/// named like "Contract expiry".
pub fn contract_expiry(customer: &Customer) -> Option<Date> {
    customer.contract_expiry.or_else(|| {
        customer
            .attributes
            .iter()
            .find(|(k, _)| crate::model::fields::normalize_header(k) == "contractexpiry")
            .and_then(|(_, v)| parse_any_date(v))
    })
}

/// A date written ISO, dd/mm/yyyy or dd.mm.yyyy.
fn parse_any_date(text: &str) -> Option<Date> {
    use crate::config::dialect::DateFormat;
    ["yyyy-mm-dd", "dd/mm/yyyy", "dd.mm.yyyy"]
        .iter()
        .find_map(|f| DateFormat::from_name(f)?.parse(text))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::config::rules::load_rules;
    use crate::ledger::ColumnsSeen;
    use crate::model::records::SalesLine;
    use crate::model::{Amount, Bound, Date};
    use proptest::prelude::*;
    use std::borrow::Cow;

    /// (customer, day offset, revenue in cents, invoice, product)
    type RawLine = (u8, u16, i64, u8, u8);

    fn lines() -> impl Strategy<Value = Vec<RawLine>> {
        prop::collection::vec((0u8..12, 0u16..900, -20_000i64..500_000, 0u8..40, 0u8..6), 1..120)
    }

    fn to_line(raw: &RawLine) -> SalesLine<'static> {
        let (customer, day, cents, invoice, product) = *raw;
        SalesLine {
            date: Date::from_days(Date::from_ymd(2023, 1, 1).unwrap().days() + i32::from(day)),
            customer_id: Cow::Owned(format!("C{customer:02}")),
            revenue: Amount::from_units(cents * 100),
            invoice_id: (invoice > 0).then(|| Cow::Owned(format!("I{invoice}"))),
            product_id: Some(Cow::Owned(format!("P{product}"))),
            product_category: None,
            quantity: Some(Amount::from_int(1)),
            cost: Some(Amount::from_units(cents * 60)),
        }
    }

    #[test]
    fn relationship_length_count_completed_anniversaries() {
        let d = |y, m, day| Date::from_ymd(y, m, day).unwrap();
        assert_eq!(completed_years(d(2020, 6, 30), d(2025, 6, 30)), Some(5));
        assert_eq!(completed_years(d(2020, 7, 1), d(2025, 6, 30)), Some(4));
        assert_eq!(completed_years(d(2025, 6, 30), d(2025, 6, 30)), Some(0));
        assert_eq!(completed_years(d(2020, 2, 29), d(2025, 2, 28)), Some(4));
        assert_eq!(completed_years(d(2020, 2, 29), d(2025, 3, 1)), Some(5));
        assert_eq!(completed_years(d(2025, 7, 1), d(2025, 6, 30)), None);
    }

    const COLUMNS: ColumnsSeen =
        ColumnsSeen { cost: true, quantity: true, product: true, invoice: true };

    fn portfolio(raw: &[RawLine], split: usize) -> Portfolio {
        let (mut left, mut right) = (Ledger::default(), Ledger::default());
        for (i, line) in raw.iter().enumerate() {
            let target = if i < split { &mut left } else { &mut right };
            target.add(&to_line(line), COLUMNS);
        }
        left.merge(right);
        let period = Period::resolve(None, 12, left.latest).unwrap();
        classify(
            &left,
            &Master::default(),
            &load_rules(None, crate::locale::Locale::En).unwrap(),
            period,
        )
        .unwrap()
    }

    proptest! {
        #[test]
        fn permuting_and_splitting_lines_changes_nothing(raw in lines(), seed in any::<u64>(), split in 0usize..120) {
            let expected = portfolio(&raw, raw.len());
            let mut shuffled = raw.clone();
            // A deterministic Fisher–Yates shuffle driven by the seed.
            let mut state = seed | 1;
            for i in (1..shuffled.len()).rev() {
                state ^= state << 13;
                state ^= state >> 7;
                state ^= state << 17;
                shuffled.swap(i, (state % (i as u64 + 1)) as usize);
            }
            let actual = portfolio(&shuffled, split.min(shuffled.len()));
            let table = crate::output::table::portfolio_table;
            prop_assert_eq!(table(&actual), table(&expected));
        }

        #[test]
        fn classes_partition_the_portfolio(raw in lines()) {
            let p = portfolio(&raw, raw.len());
            let customers: std::collections::BTreeSet<u8> = raw.iter().map(|l| l.0).collect();
            prop_assert_eq!(p.rows.len(), customers.len());
            for c in &p.classifications {
                for r in 0..p.rows.len() {
                    let class = p.text(&c.id, r).unwrap();
                    prop_assert_eq!(c.classes.iter().filter(|k| **k == class).count(), 1);
                }
            }
        }

        #[test]
        fn abc_is_monotone_in_the_metric(values in prop::collection::vec(-50i128..1000, 1..60), rank_method in any::<bool>()) {
            let ids: Vec<String> = (0..values.len()).map(|i| format!("c{i:03}")).collect();
            let input: Vec<(&str, Option<i128>)> = ids.iter().map(String::as_str).zip(values.iter().map(|v| Some(*v))).collect();
            let bounds: Vec<Bound> = ["0.8", "0.95", "1"].iter().map(|b| Bound::parse(b).unwrap()).collect();
            let shares: Vec<Bound> = ["0.1", "0.3", "1"].iter().map(|b| Bound::parse(b).unwrap()).collect();
            let classes = if rank_method { abc::rank_share(&input, &shares) } else { abc::cumulative_share(&input, &bounds) };
            for i in 0..values.len() {
                for j in 0..values.len() {
                    if values[i] > values[j] {
                        prop_assert!(classes[i] <= classes[j], "{} > {} but class {} > {}", values[i], values[j], classes[i], classes[j]);
                    }
                }
            }
            let top = (0..values.len()).filter(|&i| values[i] > 0).max_by(|&a, &b| values[a].cmp(&values[b]).then(b.cmp(&a)));
            if let (Some(top), false) = (top, rank_method) {
                prop_assert_eq!(classes[top], 0, "the top customer is always A");
            }
        }
    }
}
