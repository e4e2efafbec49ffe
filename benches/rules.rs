//! Benchmark of the rules engine: the default rule set (3 classifications, a
//! derived metric, 8 matrices, 8 alerts, the key-account selection) applied
//! to 100,000 customers.
//!
//! `cargo bench --bench rules` builds the customers' ledger from synthetic
//! lines (12 a customer, over 24 months), then times `classify`: metrics for
//! every customer, then every rule. `KAMPLAN_BENCH_CUSTOMERS` changes the size.

use kamplan::classify::classify;
use kamplan::config::rules::{RulesSource, load_rules, parse_rules};
use kamplan::ledger::{ColumnsSeen, Ledger};
use kamplan::metrics::Period;
use kamplan::model::records::SalesLine;
use kamplan::model::records::{Customer, Master};
use kamplan::model::{Amount, Date};
use std::borrow::Cow;
use std::time::Instant;

fn main() {
    let customers: usize = std::env::var("KAMPLAN_BENCH_CUSTOMERS")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(100_000);
    let (ledger, master) = synthetic(customers);
    let rules = load_rules(None, kamplan::locale::Locale::En).expect("default rules");
    let period = Period::resolve(None, 12, ledger.latest).expect("sales");
    println!(
        "rules: {customers} customers, {} classifications, {} matrices, {} alerts",
        rules.classifications.len(),
        rules.matrices.len(),
        rules.alerts.len()
    );
    // The same run without rules measures the metrics alone; the difference is the rules.
    let no_rules = parse_rules(&[], RulesSource::Defaults, kamplan::locale::Locale::En)
        .expect("empty rules are valid");
    for run in 1..=3 {
        let start = Instant::now();
        classify(&ledger, &master, &no_rules, period).expect("valid rules");
        let metrics = start.elapsed().as_secs_f64();
        let start = Instant::now();
        let portfolio = classify(&ledger, &master, &rules, period).expect("valid rules");
        let both = start.elapsed().as_secs_f64();
        let fired: usize = (0..portfolio.rows.len()).map(|r| portfolio.alerts(r).len()).sum();
        println!(
            "run {run}: metrics {metrics:.3} s, metrics and rules {both:.3} s, rules {:.3} s ({fired} alerts fired)",
            both - metrics
        );
    }
}

/// A ledger and master of `n` customers with lognormal-ish sizes, some without potential or survey data.
fn synthetic(n: usize) -> (Ledger, Master) {
    let mut state = 0x2545_f491_4f6c_dd1d_u64;
    let mut next = move || {
        state ^= state << 13;
        state ^= state >> 7;
        state ^= state << 17;
        state
    };
    let start = Date::from_ymd(2023, 7, 1).expect("date").days();
    let all = ColumnsSeen { cost: true, quantity: true, product: true, invoice: true };
    let mut ledger = Ledger::default();
    let mut master = Master::default();
    for c in 0..n {
        let id = format!("C{c:06}");
        let size = 1 + (next() % 1000) * (next() % 1000) / 100;
        for l in 0..12u64 {
            let revenue = (size * (50 + next() % 100)) as i64;
            let line = SalesLine {
                date: Date::from_days(start + (next() % 730) as i32),
                customer_id: Cow::Borrowed(&id),
                revenue: Amount::from_units(revenue * 100),
                invoice_id: Some(Cow::Owned(format!("I{c}-{l}"))),
                product_id: Some(Cow::Owned(format!("P{}", next() % 200))),
                product_category: None,
                quantity: Some(Amount::from_int(1)),
                cost: Some(Amount::from_units(revenue * 70)),
            };
            ledger.add(&line, all);
        }
        let customer = Customer {
            id: id.clone(),
            potential: (next() % 10 != 0).then(|| Amount::from_int((size * 2000) as i64)),
            satisfaction: (next() % 5 != 0).then(|| Amount::from_int(1 + (next() % 5) as i64)),
            loyalty: (next() % 5 != 0).then(|| Amount::from_int((next() % 101) as i64)),
            cost_to_serve: Some(Amount::from_int((size * 20) as i64)),
            ..Customer::default()
        };
        master.customers.insert(id, customer);
    }
    (ledger, master)
}
