//! Each analysis on a small portfolio whose expected results are worked by hand.

use super::*;
use crate::classify::{Portfolio, classify};
use crate::config::accounts::parse_accounts;
use crate::config::rules::{RulesSource, parse_rules};
use crate::ledger::{ColumnsSeen, Ledger};
use crate::metrics::Period;
use crate::model::records::SalesLine;
use crate::model::records::{Customer, Master};
use crate::model::{Amount, Date};
use std::borrow::Cow;
use std::path::PathBuf;

const RULES: &str = r#"
[classification.abc]
kind = "abc"
metric = "revenue"
method = "cumulative-share"
classes = ["A", "B", "C"]
bounds = [0.80, 0.95, 1.00]

[metrics]
net_contribution = "margin - cost_to_serve"

[alert.lost]
severity = "high"
when = 'last_purchase is not none and days_since_last > 90 and (median_gap is none or days_since_last > 3 * median_gap)'
message = "lost"

[alert.over]
severity = "medium"
when = 'abc == "A" and net_contribution is not none and net_contribution < 0.05 * revenue'
message = "over-invested"

[analysis]
lost_alert = "lost"
over_invested_alert = "over"
resource_groups = ["abc"]

[cross_sell]
peers = "sector"
min_peer_share = 0.5
min_peers = 3
"#;

const COLUMNS: ColumnsSeen =
    ColumnsSeen { cost: true, quantity: false, product: false, invoice: false };

fn line(
    date: &str,
    customer: &'static str,
    category: &'static str,
    revenue: i64,
    cost: i64,
) -> SalesLine<'static> {
    SalesLine {
        date: Date::parse_iso(date).unwrap(),
        customer_id: Cow::Borrowed(customer),
        revenue: Amount::from_int(revenue),
        invoice_id: None,
        product_id: None,
        product_category: Some(Cow::Borrowed(category)),
        quantity: None,
        cost: Some(Amount::from_int(cost)),
    }
}

/// Four retailers S1–S4 (peers by sector): S1–S3 buy Tools and Paint (Paint
/// 100, 200, 400), S4 only Tools, S1 alone buys Glue. Big is a large
/// customer whose cost to serve eats its margin. L1 bought every 30 days
/// until 100 days ago; L2 every 60 days until 120 days ago. As of 30 June 2025.
pub(crate) fn fixture() -> (Portfolio, crate::config::rules::Rules) {
    let mut ledger = Ledger::default();
    let mut add = |l: SalesLine<'static>| ledger.add(&l, COLUMNS);
    for (c, paint) in [("S1", 100), ("S2", 200), ("S3", 400)] {
        add(line("2025-03-01", c, "Tools", 1000, 700));
        add(line("2025-03-02", c, "Paint", paint, paint / 2));
    }
    add(line("2025-03-01", "S1", "Glue", 50, 25));
    add(line("2025-03-01", "S4", "Tools", 1000, 700));
    add(line("2025-05-01", "Big", "Tools", 100_000, 70_000));
    // L1: 21 Jan, 20 Feb, 22 Mar 2025 (gaps 30, 30); 22 Mar is 100 days before 30 Jun.
    // L2: 2 Oct, 1 Dec 2024, 30 Jan, 1 Mar 2025 (gaps 60, 60, 30): median 60.
    for d in ["2025-01-21", "2025-02-20", "2025-03-22"] {
        add(line(d, "L1", "Tools", 10, 7));
    }
    for d in ["2024-10-02", "2024-12-01", "2025-01-30", "2025-03-01"] {
        add(line(d, "L2", "Tools", 10, 7));
    }
    let mut master = Master::default();
    for id in ["S1", "S2", "S3", "S4"] {
        let customer =
            Customer { id: id.into(), sector: Some("Retail".into()), ..Customer::default() };
        master.customers.insert(id.into(), customer);
    }
    let big = Customer {
        id: "Big".into(),
        cost_to_serve: Some(Amount::from_int(28_000)),
        ..Customer::default()
    };
    master.customers.insert("Big".into(), big);
    let rules = parse_rules(
        &[(PathBuf::from("rules.toml"), RULES.to_string())],
        RulesSource::Defaults,
        crate::locale::Locale::En,
    )
    .unwrap();
    let period = Period::resolve(Date::parse_iso("2025-06-30"), 12, ledger.latest).unwrap();
    (classify(&ledger, &master, &rules, period).unwrap(), rules)
}

#[test]
fn a_category_most_peers_buy_is_a_gap_worth_their_median_spend() {
    let (portfolio, rules) = fixture();
    let cross_sell = cross_sell::cross_sell(&portfolio, rules.cross_sell.as_ref());
    let s4 = portfolio.row_of("S4").unwrap();
    let gaps = cross_sell.gaps(s4);
    assert_eq!(gaps.len(), 1, "{gaps:?}");
    assert_eq!(gaps[0].category, "Paint");
    assert_eq!((gaps[0].buyers, gaps[0].peers), (3, 3));
    assert_eq!(gaps[0].potential, 200.0, "median of 100, 200, 400");
    // Glue is bought by one peer of three: below half, not a gap for S2.
    assert!(cross_sell.gaps(portfolio.row_of("S2").unwrap()).is_empty());
    assert!(cross_sell.gaps(portfolio.row_of("S1").unwrap()).is_empty());
    // Big, L1 and L2 have no sector: no peers, no gaps.
    assert!(cross_sell.gaps(portfolio.row_of("Big").unwrap()).is_empty());
    assert_eq!(cross_sell.groups.len(), 1);
    assert_eq!((cross_sell.groups[0].with_gaps, cross_sell.groups[0].potential), (1, 200.0));
}

#[test]
fn the_gaps_of_an_account_add_up_to_no_more_than_its_unused_potential() {
    let gap = |category: &str, benchmark: f64| cross_sell::Gap {
        category: category.into(),
        buyers: 3,
        peers: 4,
        share: 0.75,
        benchmark,
        potential: benchmark,
    };
    let potentials = |unused: f64| {
        let mut gaps = vec![gap("Paint", 300.0), gap("Glue", 100.0)];
        cross_sell::bound_by(&mut gaps, unused);
        // The peers' benchmark stays as it was: only the potential is bounded.
        assert_eq!(gaps.iter().map(|g| g.benchmark).collect::<Vec<_>>(), [300.0, 100.0]);
        gaps.iter().map(|g| g.potential).collect::<Vec<_>>()
    };
    assert_eq!(potentials(1_000.0), [300.0, 100.0], "room for both: the benchmarks");
    assert_eq!(potentials(200.0), [150.0, 50.0], "shared in proportion to the benchmarks");
    assert_eq!(potentials(100.0 / 3.0), [25.0, 8.33], "the last takes the rounding");
    assert_eq!(potentials(0.0), [0.0, 0.0], "no potential left, none to win");
}

#[test]
fn a_customer_is_lost_by_its_own_rhythm() {
    let (portfolio, rules) = fixture();
    let lost = lost::lost_report(&portfolio, None, &rules, &Default::default());
    let ids: Vec<&str> = lost.lost.iter().map(|l| l.customer_id.as_str()).collect();
    // L1: 100 days of silence, more than 90 and more than 3 × 30. L2: 121 days,
    // more than 90 but less than 3 × 60: not lost. S1–S4 last bought on 1 or 2
    // March (a median gap of 1 day, or none): lost too. Big bought in May.
    assert!(ids.contains(&"L1"), "{ids:?}");
    assert!(!ids.contains(&"L2"), "{ids:?}");
    let l1 = lost.lost.iter().find(|l| l.customer_id == "L1").unwrap();
    assert_eq!(l1.days_since_last, 100);
    assert_eq!(l1.revenue_lost, 30.0, "three purchases of 10 in the year before the last");
    let march = lost
        .by_month
        .iter()
        .find(|m| m.month == Date::parse_iso("2025-03-01").unwrap().month_index())
        .unwrap();
    assert_eq!(march.customers, ids.len(), "every loss here had its last purchase in March");
}

#[test]
fn an_account_whose_cost_to_serve_eats_its_margin_is_over_invested() {
    let (portfolio, rules) = fixture();
    let balance = resources::resource_balance(&portfolio, &rules);
    // Big: margin 30,000, cost to serve 28,000: net 2,000 < 5% of 100,000.
    let over: Vec<&str> = balance.over_invested.iter().map(|f| f.customer_id.as_str()).collect();
    assert_eq!(over, ["Big"]);
    assert_eq!(balance.over_invested[0].net_contribution, Some(2_000.0));
    assert_eq!(balance.customers_with_costs, 1, "only Big has a cost to serve");
    let a = &balance.breakdowns[0].rows[0];
    assert_eq!((a.group.as_str(), a.margin_share, a.cost_share), ("A", Some(1.0), Some(1.0)));
}

#[test]
fn the_swot_names_the_figures_and_keeps_the_team_entries() {
    let (portfolio, rules) = fixture();
    let cross_sell = cross_sell::cross_sell(&portfolio, rules.cross_sell.as_ref());
    let text = "[swot]\nthreats = [\"A new buyer is reviewing suppliers.\"]\n[[competitor]]\nname = \"Rival\"\nshare = 0.4\n";
    let (book, issues) = parse_accounts(&[(PathBuf::from("accounts/S4.toml"), text.to_string())]);
    assert!(issues.is_empty());
    let row = portfolio.row_of("S4").unwrap();
    let s = swot::swot(&swot::SwotInput {
        portfolio: &portfolio,
        row,
        peers: Some("sector"),
        gaps: cross_sell.gaps(row),
        account: book.get("S4"),
        locale: crate::locale::Locale::En,
        currency: "EUR",
    });
    let opportunity = &s.opportunities[0];
    assert!(
        opportunity.text.starts_with("Does not buy Paint, which 3 of 3 comparable customers buy"),
        "{opportunity:?}"
    );
    assert_eq!(opportunity.basis, "cross-sell gap, 100% of peers");
    let threats: Vec<&str> = s.threats.iter().map(|e| e.text.as_str()).collect();
    assert!(threats.contains(&"Rival holds an estimated 40% of the account."), "{threats:?}");
    assert!(threats.contains(&"A new buyer is reviewing suppliers."));
    assert_eq!(s.threats.last().unwrap().basis, "account team");
    // S4's margin (300 of 1,000) against its peers': S1 375 of 1,150 (32.6%),
    // S2 400 of 1,200 (33.3%), S3 500 of 1,400 (35.7%): median 33.3%.
    let weakness = s
        .weaknesses
        .iter()
        .find(|e| e.text.starts_with("Margin below"))
        .expect("a margin weakness");
    assert_eq!(weakness.basis, "margin 30.0% against a median of 33.3% among its peers");
}

/// A one-entry strategy table whose actions carry these KPIs.
fn strategy_with(kpis: &[&str]) -> String {
    let actions: Vec<String> = kpis
        .iter()
        .map(|k| format!("{{ text = \"act\", owner = \"kam\", due = \"1 month\", kpi = {k} }}"))
        .collect();
    format!(
        "[role]\nkam = \"KAM\"\n[strategy.s]\ntitle = \"S\"\nresources = \"maintain\"\nreview = \"yearly\"\nservice_level = \"standard\"\nactions = [{}]\n",
        actions.join(", ")
    )
}

#[test]
fn strategy_kpis_become_numbers_for_the_account() {
    let text = format!(
        "{RULES}\n{}",
        strategy_with(&[
            "{ metric = \"revenue\", grow = 0.10 }",
            "{ metric = \"margin_pct\", at_least = \"strategy_median\" }",
            "{ metric = \"revenue\", add = 1 }",
        ])
    );
    let rules = parse_rules(
        &[(PathBuf::from("rules.toml"), text)],
        RulesSource::Defaults,
        crate::locale::Locale::En,
    )
    .unwrap();
    let portfolio = retailers(&rules);
    let row = portfolio.row_of("S4").unwrap();
    let list = objectives::objectives(&portfolio, &rules, row);
    assert_eq!(list.len(), 2, "one objective per metric: {list:?}");
    assert_eq!(list[0].target, Some(1100.0), "revenue 1,000 + 10%");
    assert!(!list[1].met);
    assert_eq!(
        list[1].basis,
        "at least the median of the accounts with this strategy (strategy: S)",
    );
}

#[test]
fn an_account_reads_its_own_lines_of_the_portfolio_analyses() {
    let (portfolio, rules) = fixture();
    let accounts = Default::default();
    let intelligence = Intelligence::new(&portfolio, None, &rules, &accounts);
    let of = |id: &str| {
        let row = portfolio.row_of(id).unwrap();
        account::account_analysis(&portfolio, &rules, &accounts, &intelligence, row)
    };
    let s4 = of("S4");
    assert_eq!(
        (s4.cross_sell.peers.as_deref(), s4.cross_sell.group.as_deref()),
        (Some("sector"), Some("Retail"))
    );
    assert_eq!(s4.cross_sell.gaps, intelligence.cross_sell.gaps(portfolio.row_of("S4").unwrap()));
    assert!(s4.swot.opportunities.iter().any(|e| e.text.starts_with("Does not buy Paint")));
    let l1 = of("L1");
    let lost = l1.lost.as_ref().expect("L1 is lost");
    assert_eq!((lost.last_purchase.as_str(), lost.revenue_lost), ("2025-03-22", 30.0));
    let text = l1.to_string();
    assert!(
        text.contains("lost: last purchase 2025-03-22 (100 days ago), revenue lost 30"),
        "{text}"
    );
    assert!(text.contains("(no value of sector: no peers)"), "{text}");
    assert!(s4.to_string().contains("(peers: customers with the same sector, Retail)"));
    assert!(of("Big").lost.is_none());
}

/// The four retailers of the fixture alone (no master), classified with `rules`.
fn retailers(rules: &crate::config::rules::Rules) -> Portfolio {
    let mut ledger = Ledger::default();
    for (c, paint) in [("S1", 100), ("S2", 200), ("S3", 400)] {
        ledger.add(&line("2025-03-01", c, "Tools", 1000, 700), COLUMNS);
        ledger.add(&line("2025-03-02", c, "Paint", paint, paint / 2), COLUMNS);
    }
    ledger.add(&line("2025-03-01", "S4", "Tools", 1000, 700), COLUMNS);
    let period = Period::resolve(Date::parse_iso("2025-06-30"), 12, ledger.latest).unwrap();
    classify(&ledger, &Master::default(), rules, period).unwrap()
}

#[test]
fn a_share_of_wallet_above_100_percent_sets_no_target() {
    let rules_with = |objective: &str| {
        let text = format!("{RULES}\n{}", strategy_with(&[objective]));
        parse_rules(
            &[(PathBuf::from("rules.toml"), text)],
            RulesSource::Defaults,
            crate::locale::Locale::En,
        )
        .unwrap()
    };
    // Revenue 1,150 (S1), 1,200 (S2), 1,400 (S3) against potentials of 500,
    // 10,000 and 14,000: shares of 230%, 12% and 10%.
    let classify_with = |rules: &crate::config::rules::Rules| {
        let mut ledger = Ledger::default();
        for (c, paint) in [("S1", 100), ("S2", 200), ("S3", 400)] {
            ledger.add(&line("2025-03-01", c, "Tools", 1000, 700), COLUMNS);
            ledger.add(&line("2025-03-02", c, "Paint", paint, paint / 2), COLUMNS);
        }
        ledger.add(&line("2025-03-01", "S1", "Glue", 50, 25), COLUMNS);
        let mut master = Master::default();
        for (id, potential) in [("S1", 500), ("S2", 10_000), ("S3", 14_000)] {
            let potential = Some(Amount::from_int(potential));
            master
                .customers
                .insert(id.into(), Customer { id: id.into(), potential, ..Default::default() });
        }
        let period = Period::resolve(Date::parse_iso("2025-06-30"), 12, ledger.latest).unwrap();
        classify(&ledger, &master, rules, period).unwrap()
    };
    let rules = rules_with("{ metric = \"share_of_wallet\", add = 0.10 }");
    let portfolio = classify_with(&rules);
    let of = |id: &str| objectives::objectives(&portfolio, &rules, portfolio.row_of(id).unwrap());
    let s1 = &of("S1")[0];
    assert_eq!((s1.target, s1.met, s1.doubt.as_deref()), (None, false, Some("doubtful")));
    assert!(s1.basis.contains("update the estimate"), "{}", s1.basis);
    let s2 = &of("S2")[0];
    assert_eq!((s2.target, s2.doubt.as_deref()), (Some(0.22), None));

    // The segment's median leaves the doubtful 230% out: 11%, not 12%.
    let rules = rules_with("{ metric = \"share_of_wallet\", at_least = \"strategy_median\" }");
    let portfolio = classify_with(&rules);
    let s3 = &objectives::objectives(&portfolio, &rules, portfolio.row_of("S3").unwrap())[0];
    assert_eq!(s3.target, Some(0.11));
    assert!(!s3.met);
}
