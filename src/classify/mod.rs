//! The classified portfolio: every customer with its metrics, and what the
//! rules make of it (derived metrics, classes, segments, alerts, key accounts).

pub mod abc;
pub mod bands;
pub mod computed;
pub mod engine;
pub mod facts;
pub mod lookup;
pub mod variables;
pub mod xyz;

use crate::config::Diagnostics;
use crate::config::rules::{ClassRule, Rules};
use crate::forecast::outlook::{self, CustomerOutlook, Outlook};
use crate::ledger::Ledger;
use crate::metrics::{CustomerMetrics, Period, customer_metrics};
use crate::model::Date;
use crate::model::records::{Customer, Master};
use engine::{RuleResults, apply_rules};
use facts::{Fact, FactTable};
use std::collections::BTreeSet;
use variables::Subject;

/// One customer of the portfolio.
#[derive(Clone, Debug, PartialEq)]
pub struct PortfolioRow {
    pub customer_id: String,
    /// The master's record, when the customer is in the master.
    pub customer: Option<Customer>,
    pub metrics: CustomerMetrics,
    /// What the purchase and spend models expect of the customer.
    pub outlook: Option<CustomerOutlook>,
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
    /// The purchase and spend models fitted on the portfolio.
    pub outlook: Outlook,
    /// Rankings by metric, computed when an explanation first needs them.
    pub(crate) rankings:
        std::sync::Mutex<std::collections::HashMap<String, std::sync::Arc<abc::Ranking>>>,
}

impl Portfolio {
    /// The value a variable would have for the customer in row `row` if it
    /// were not set aside as doubtful (see the `share_of_wallet` column):
    /// what makes it missing for the rules, for explanations to name.
    pub fn doubtful_value(&self, name: &str, row: usize) -> Option<f64> {
        let variable = variables::find(name)?;
        let doubtful = variable.doubtful.as_ref()?.test;
        let s = Subject::new(&self.rows[row], self.period.as_of);
        if doubtful(&s) { (variable.value)(&s).as_f64() } else { None }
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

/// `classify_with` the default forecast settings.
pub fn classify(
    ledger: &Ledger,
    master: &Master,
    rules: &Rules,
    period: Period,
) -> Result<Portfolio, Diagnostics> {
    classify_with(ledger, master, rules, period, outlook::Settings::default())
}

/// Computes metrics for every customer of the master and of the sales (the
/// ledger holds only lines dated on or before `as_of`), fits the forecast
/// on them, then applies the rules. Fails when the rules name variables the
/// data does not have.
pub fn classify_with(
    ledger: &Ledger,
    master: &Master,
    rules: &Rules,
    period: Period,
    forecast: outlook::Settings,
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
        PortfolioRow { customer_id: id.to_string(), customer, metrics, outlook: None }
    };
    let mut rows: Vec<PortfolioRow> =
        engine::in_parallel(&ids, |chunk| chunk.iter().map(row).collect());
    let histories: Vec<_> = rows.iter().map(|r| r.metrics.history).collect();
    let mut outlook = outlook::fit(&histories, period.as_of, forecast);
    let customers: Vec<Option<CustomerOutlook>> = engine::in_parallel(&histories, |chunk| {
        chunk.iter().map(|h| h.as_ref().and_then(|h| outlook.customer(h))).collect()
    });
    outlook.count_not_finite(
        histories.iter().map(Option::as_ref).zip(customers.iter().map(Option::as_ref)),
    );
    for (row, customer) in rows.iter_mut().zip(customers) {
        row.outlook = customer;
    }
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
        outlook,
        rankings: Default::default(),
    })
}

/// The variables every customer has before any rule runs, for checking rules without data.
pub fn base_variables(master: &Master) -> FactTable {
    base_facts(&[], master, Date::from_days(0))
}

/// The variables every customer has before any rule runs: the base
/// variables of the catalogue (doubtful values set aside as missing), then
/// the master's other columns as text under their normalised headers.
fn base_facts(rows: &[PortfolioRow], master: &Master, as_of: Date) -> FactTable {
    let mut facts = FactTable::new(rows.len());
    for variable in variables::CATALOGUE {
        let column = rows
            .iter()
            .map(|row| {
                let s = Subject::new(row, as_of);
                if variable.doubtful.as_ref().is_some_and(|doubt| (doubt.test)(&s)) {
                    Fact::Null
                } else {
                    (variable.value)(&s)
                }
            })
            .collect();
        facts.set(variable.name, column);
    }
    let attributes: BTreeSet<&String> =
        master.customers.values().flat_map(|c| c.attributes.keys()).collect();
    for name in attributes {
        let key = crate::model::fields::normalize_header(name);
        // A master column named like a metric (say "Orders") must not hide the metric.
        if !facts.has(&key) {
            facts.set(
                &key,
                rows.iter()
                    .map(|r| {
                        r.customer
                            .as_ref()
                            .and_then(|c| c.attributes.get(name))
                            .map_or(Fact::Null, |t| Fact::Text(t.clone()))
                    })
                    .collect(),
            );
        }
    }
    facts
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
        fn abc_is_monotone_in_the_metric(values in prop::collection::vec(-50i128..1000, 1..60), method in 0..3u8) {
            let ids: Vec<String> = (0..values.len()).map(|i| format!("c{i:03}")).collect();
            let input: Vec<(&str, Option<i128>)> = ids.iter().map(String::as_str).zip(values.iter().map(|v| Some(*v))).collect();
            let bounds: Vec<Bound> = ["0.8", "0.95", "1"].iter().map(|b| Bound::parse(b).unwrap()).collect();
            let shares: Vec<Bound> = ["0.1", "0.3", "1"].iter().map(|b| Bound::parse(b).unwrap()).collect();
            let classes = match method {
                0 => abc::cumulative_share(&input, &bounds),
                1 => abc::rank_share(&input, &shares),
                _ => abc::computed(&input).0,
            };
            for i in 0..values.len() {
                for j in 0..values.len() {
                    if values[i] > values[j] {
                        prop_assert!(classes[i] <= classes[j], "{} > {} but class {} > {}", values[i], values[j], classes[i], classes[j]);
                    }
                }
            }
            let top = (0..values.len()).filter(|&i| values[i] > 0).max_by(|&a, &b| values[a].cmp(&values[b]).then(b.cmp(&a)));
            if let (Some(top), 0) = (top, method) {
                prop_assert_eq!(classes[top], 0, "the top customer is always A");
            }
        }
    }
}
