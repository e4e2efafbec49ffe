//! The purchase model against published results: on the CDNOW sample
//! (tests/fixtures/cdnow), the BG/NBD fit reproduces the table of Fader,
//! Hardie & Lee (2005) and the per-customer figures of an independent
//! implementation (PyPI's `lifetimes`).

use kamplan::forecast::bgnbd::{History, fit};
use kamplan::forecast::gammagamma::Spend;
use kamplan::model::Date;
use std::collections::BTreeMap;
use std::path::Path;

mod common;

fn fixture(name: &str) -> csv::Reader<std::fs::File> {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/cdnow").join(name);
    csv::Reader::from_path(path).unwrap()
}

/// Each customer's history up to the end of the calibration period, 30
/// September 1997, in days: a purchase is a day with at least one line.
fn calibration() -> BTreeMap<u32, History> {
    let end = Date::parse_iso("1997-09-30").unwrap();
    let mut days: BTreeMap<u32, Vec<Date>> = BTreeMap::new();
    for row in fixture("lines.csv").records() {
        let row = row.unwrap();
        let date = Date::parse_iso(&row[1]).unwrap();
        if date <= end {
            days.entry(row[0].parse().unwrap()).or_default().push(date);
        }
    }
    days.into_iter()
        .map(|(id, mut dates)| {
            dates.sort();
            dates.dedup();
            let first = dates[0];
            let history = History {
                x: dates.len() as u32 - 1,
                tx: f64::from(dates[dates.len() - 1] - first),
                t: f64::from(end - first),
            };
            (id, history)
        })
        .collect()
}

fn within(found: f64, published: f64, relative: f64) -> bool {
    (found - published).abs() <= relative * published.abs()
}

#[test]
fn the_bg_nbd_fit_reproduces_the_published_table_on_cdnow() {
    let histories: Vec<History> = calibration()
        .into_values()
        .map(|h| History { tx: h.tx / 7.0, t: h.t / 7.0, ..h })
        .collect();
    assert_eq!(histories.len(), 2357);
    let found = fit(&histories).unwrap();
    let m = found.model;
    // Fader, Hardie & Lee (2005), the parameters in weeks.
    for (name, value, published) in
        [("r", m.r, 0.243), ("alpha", m.alpha, 4.414), ("a", m.a, 0.793), ("b", m.b, 2.426)]
    {
        assert!(within(value, published, 0.01), "{name} = {value}, published {published}");
    }
    assert!(within(found.log_likelihood, -9582.4, 0.0001), "{}", found.log_likelihood);
    let again = kamplan::forecast::bgnbd::log_likelihood(&m, &histories);
    assert!((again - found.log_likelihood).abs() < 1e-6, "{again}");
}

#[test]
fn p_alive_and_expected_purchases_agree_with_lifetimes_customer_by_customer() {
    let histories = calibration();
    let found = fit(&histories.values().copied().collect::<Vec<_>>()).unwrap();
    // lifetimes' fit in days of the same data.
    let m = found.model;
    assert!(within(m.r, 0.242_594_5, 1e-4) && within(m.alpha, 30.895_22, 1e-4), "{m:?}");
    assert!(within(m.a, 0.792_921_8, 1e-4) && within(m.b, 2.425_906, 1e-4), "{m:?}");
    let mut compared = 0;
    for row in fixture("lifetimes.csv").records() {
        let row = row.unwrap();
        let id: u32 = row[0].parse().unwrap();
        let h = histories[&id];
        assert_eq!(
            (f64::from(h.x), h.tx, h.t),
            (row[1].parse().unwrap(), row[2].parse().unwrap(), row[3].parse().unwrap())
        );
        let (p_alive, expected): (f64, f64) = (row[4].parse().unwrap(), row[5].parse().unwrap());
        assert!((m.p_alive(&h) - p_alive).abs() < 1e-3, "customer {id}: p_alive");
        let ours = m.expected_purchases(&h, 365.0);
        assert!(within(ours, expected, 0.01), "customer {id}: {ours} against {expected}");
        compared += 1;
    }
    assert_eq!(compared, 2357);
}

/// Each repeat customer's repeat purchase days up to the end of the
/// calibration period and their mean revenue (the first day left out).
fn calibration_spends() -> BTreeMap<u32, Spend> {
    let end = Date::parse_iso("1997-09-30").unwrap();
    let mut days: BTreeMap<u32, BTreeMap<Date, f64>> = BTreeMap::new();
    for row in fixture("lines.csv").records() {
        let row = row.unwrap();
        let date = Date::parse_iso(&row[1]).unwrap();
        if date <= end {
            let revenue: f64 = row[3].parse().unwrap();
            *days.entry(row[0].parse().unwrap()).or_default().entry(date).or_default() += revenue;
        }
    }
    days.into_iter()
        .filter(|(_, d)| d.len() > 1)
        .map(|(id, d)| {
            let repeat: Vec<f64> = d.values().skip(1).copied().collect();
            let mean = repeat.iter().sum::<f64>() / repeat.len() as f64;
            (id, Spend { x: repeat.len() as u32, mean })
        })
        .collect()
}

#[test]
fn the_gamma_gamma_fit_reproduces_the_published_table_on_cdnow() {
    let spends: Vec<Spend> = calibration_spends().into_values().collect();
    assert_eq!(spends.len(), 946);
    let found = kamplan::forecast::gammagamma::fit(&spends).unwrap();
    let m = found.model;
    // Fader, Hardie & Lee (2005), "RFM and CLV".
    for (name, value, published) in [("p", m.p, 6.25), ("q", m.q, 3.74), ("gamma", m.gamma, 15.44)]
    {
        assert!(within(value, published, 0.01), "{name} = {value}, published {published}");
    }
    // lifetimes' fit of the same data, to its own precision.
    assert!(within(m.p, 6.249_572, 1e-5) && within(m.q, 3.744_225, 1e-5), "{m:?}");
    assert!(within(m.gamma, 15.443_52, 1e-5), "{m:?}");
    assert!(within(found.log_likelihood, -4_055.917_69, 1e-8), "{}", found.log_likelihood);
    // The paper finds spend and frequency nearly independent here (0.11).
    assert!((found.correlation - 0.11).abs() < 0.01, "{}", found.correlation);
}

#[test]
fn expected_spend_and_value_agree_with_lifetimes_customer_by_customer() {
    let histories = calibration();
    let spends = calibration_spends();
    let purchases = fit(&histories.values().copied().collect::<Vec<_>>()).unwrap().model;
    let spend_values: Vec<Spend> = spends.values().copied().collect();
    let model = kamplan::forecast::gammagamma::fit(&spend_values).unwrap().model;
    let mut compared = 0;
    for row in fixture("lifetimes.csv").records() {
        let row = row.unwrap();
        let id: u32 = row[0].parse().unwrap();
        let mean = spends.get(&id).map(|s| s.mean);
        if let Some(mean) = mean {
            let reference: f64 = row[6].parse().unwrap();
            assert!((mean - reference).abs() < 1e-9, "customer {id}: mean {mean} {reference}");
        }
        let expected = model.expected_spend(histories[&id].x, mean).unwrap();
        let reference: f64 = row[7].parse().unwrap();
        assert!(within(expected, reference, 1e-4), "customer {id}: {expected} {reference}");
        // lifetimes' CLV: 12 months of 30 days, 1% a month.
        let value = kamplan::forecast::discounted_value(
            &purchases,
            &histories[&id],
            expected,
            12,
            30.0,
            0.01,
        );
        let reference: f64 = row[8].parse().unwrap();
        assert!(within(value, reference, 1e-3), "customer {id}: value {value} {reference}");
        compared += 1;
    }
    assert_eq!(compared, 2357);
}

#[test]
fn kamplan_itself_forecasts_cdnow_from_its_lines_as_lifetimes_does() {
    // The sample as a project: its lines, the analysis date the end of the calibration.
    let dir = tempfile::tempdir().unwrap();
    let lines = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/cdnow/lines.csv");
    std::fs::copy(&lines, dir.path().join("lines.csv")).unwrap();
    std::fs::write(
        dir.path().join("kamplan.toml"),
        "[project]\nname = \"CDNOW\"\ncurrency = \"USD\"\nas_of = \"1997-09-30\"\n\n[sales]\npath = \"lines.csv\"\n",
    )
    .unwrap();
    let out = common::kamplan(&["classify", &dir.path().display().to_string()]);
    let summary = common::stderr_of(&out);
    assert!(out.status.success(), "{summary}");
    assert!(
        summary.contains(
            "forecast   purchases (BG/NBD, 2357 customers): r 0.2426, alpha 30.8952 days, a 0.7929, b 2.4259; log-likelihood -14363.53"
        ),
        "{summary}"
    );
    assert!(
        summary.contains(
            "spend (Gamma-Gamma, 946 customers with repeat purchases): p 6.2496, q 3.7442, gamma USD 15.4435; spend and frequency correlate 0.11"
        ),
        "{summary}"
    );
    let (header, rows) = common::csv_records(&dir.path().join("out/portfolio.csv"));
    let column = |name: &str| header.iter().position(|h| h == name).unwrap();
    let (p_alive, expected) = (column("p_alive"), column("expected_purchases_12m"));
    let mut reference: BTreeMap<String, (f64, f64)> = BTreeMap::new();
    for row in fixture("lifetimes.csv").records() {
        let row = row.unwrap();
        reference.insert(row[0].to_string(), (row[4].parse().unwrap(), row[5].parse().unwrap()));
    }
    assert_eq!(rows.len(), 2357);
    for row in &rows {
        let (p, e) = reference[&row[0]];
        let found: f64 = row[p_alive].parse().unwrap();
        // portfolio.csv keeps six decimals.
        assert!((found - p).abs() < 1e-3, "{}: p_alive {found}, lifetimes {p}", row[0]);
        let found: f64 = row[expected].parse().unwrap();
        assert!(
            (found - e).abs() <= 0.01 * e + 1e-6,
            "{}: expected {found}, lifetimes {e}",
            row[0]
        );
    }
}

/// Sales of a made-up portfolio up to 30 June 2025: 30 customers buying
/// every 9 to 20 days (a third of them stopping along the way), A1 buying
/// 5,000 a week until 60 days before, L1 buying weekly until 200 days
/// before, and Q1 with one purchase 120 days before.
fn made_up_sales() -> String {
    let day = |d: i32| Date::from_days(Date::parse_iso("2023-07-01").unwrap().days() + d);
    let end = Date::parse_iso("2025-06-30").unwrap().days() - day(0).days();
    let mut lines = String::from("date,customer_id,revenue\n");
    let mut add = |c: &str, d: i32, revenue: i64| lines += &format!("{},{c},{revenue}\n", day(d));
    for i in 0..30 {
        let stop = if i % 3 == 0 { 200 + 15 * i } else { end };
        for d in (i % 7..=stop.min(end)).step_by(9 + (i as usize % 12)) {
            add(&format!("R{i:02}"), d, 100 + 10 * i64::from(i % 5));
        }
    }
    (0..=end - 60).step_by(7).for_each(|d| add("A1", d, 5000));
    (0..=end - 200).step_by(7).for_each(|d| add("L1", d, 300));
    add("Q1", end - 120, 800);
    lines
}

#[test]
fn the_default_alerts_read_the_chance_that_a_customer_still_buys() {
    let dir = tempfile::tempdir().unwrap();
    common::write_project(
        dir.path(),
        "sales.csv",
        made_up_sales().as_bytes(),
        None,
        "[project]\nas_of = \"2025-06-30\"\n",
    );
    common::kamplan_ok(&["classify", &dir.path().display().to_string(), "--quiet"]);
    let (header, rows) = common::csv_records(&dir.path().join("out/portfolio.csv"));
    let column = |name: &str| header.iter().position(|h| h == name).unwrap();
    let get = |id: &str, name: &str| {
        rows.iter().find(|r| r[0] == id).map(|r| r[column(name)].clone()).unwrap()
    };
    // A weekly buyer of 5,000 silent for 65 days: within the 90 days, but the
    // model all but gives it up; still a key account, and flagged.
    assert!(get("A1", "p_alive").parse::<f64>().unwrap() < 0.1);
    assert!(get("A1", "alerts").contains("key_account_at_risk"), "{}", get("A1", "alerts"));
    assert_eq!(get("A1", "key_account"), "1");
    // A weekly buyer silent for 205 days: lost by the days and by the model.
    assert!(get("L1", "alerts").contains("lost_customer"), "{}", get("L1", "alerts"));
    // One purchase day: the model cannot tell (p_alive 1), the 90 days decide.
    assert_eq!(get("Q1", "p_alive"), "1");
    assert!(get("Q1", "alerts").contains("lost_customer"));
}

#[test]
fn in_the_sample_quiet_and_lost_customers_part_by_the_purchase_model() {
    let (_tmp, dir) = common::sample_copy();
    common::kamplan_ok(&["classify", &dir.display().to_string(), "--quiet"]);
    let (header, rows) = common::csv_records(&dir.join("out/portfolio.csv"));
    let column = |name: &str| header.iter().position(|h| h == name).unwrap();
    let (alerts, p_alive) = (column("alerts"), column("p_alive"));
    let (mut quiet, mut lost_with_rhythm) = (0, 0);
    for row in &rows {
        let p: Option<f64> = row[p_alive].parse().ok();
        if row[alerts].contains("quiet_customer") {
            assert!(p.unwrap() >= 0.5, "{}", row[0]);
            assert!(!row[alerts].contains("lost_customer"), "{}", row[0]);
            quiet += 1;
        }
        // A rhythm (p_alive below 1) and silent for a year at most.
        let within_a_year = row[column("days_since_last")].parse::<i64>().is_ok_and(|d| d <= 365);
        if row[alerts].contains("lost_customer") && p.is_some_and(|p| p < 1.0) && within_a_year {
            assert!(p.unwrap() < 0.5, "{}", row[0]);
            lost_with_rhythm += 1;
        }
    }
    assert!(quiet > 0 && lost_with_rhythm > 0, "{quiet} {lost_with_rhythm}");
}

#[test]
fn the_documents_show_the_forecast_and_the_models_behind_it() {
    let (_tmp, dir) = common::sample_copy();
    let out = common::kamplan(&["build", &dir.display().to_string()]);
    let summary = common::stderr_of(&out);
    assert!(out.status.success(), "{summary}");
    let (header, rows) = common::csv_records(&dir.join("out/portfolio.csv"));
    let column = |name: &str| header.iter().position(|h| h == name).unwrap();
    let c0010 = rows.iter().find(|r| r[0] == "C0010").unwrap();
    let p: f64 = c0010[column("p_alive")].parse().unwrap();
    let plan = std::fs::read_dir(dir.join("out/accounts"))
        .unwrap()
        .map(|e| e.unwrap().path())
        .find(|p| p.file_name().unwrap().to_string_lossy().starts_with("c0010"))
        .unwrap();
    let text = common::normalise(&common::text_of(&plan));
    assert!(text.contains("Outlook for the next 12 months"), "{text}");
    assert!(text.contains(&format!("{:.0}%", p * 100.0)), "{text}");
    assert!(text.contains("Quiet customer"), "{text}");
    let report = common::normalise(&common::text_of(&dir.join("out/portfolio.pdf")));
    assert!(report.contains("Outlook: the next 12 months"));
    assert!(report.contains("Appendix: the forecast models"));
    // The appendix states the parameters the summary prints.
    let r = summary.split("r ").nth(1).unwrap().split(',').next().unwrap();
    assert!(report.contains(r), "r {r} not in the appendix");
    assert!(report.contains("To recover"));
    assert!(!report.contains("NaN") && !text.contains("NaN"));
}

#[test]
fn without_repeat_purchases_there_is_no_forecast_and_the_summary_says_why() {
    // One customer: too few for a portfolio's model.
    let dir = tempfile::tempdir().unwrap();
    let one = "date,customer_id,revenue\n2025-01-05,C1,500\n2025-02-05,C1,700\n";
    common::write_project(dir.path(), "sales.csv", one.as_bytes(), None, "");
    let summary =
        common::stderr_of(&common::kamplan(&["classify", &dir.path().display().to_string()]));
    assert!(
        summary.contains("forecast   none: only 1 customer has purchases, fewer than the 30"),
        "{summary}"
    );
    // 40 customers who each bought once.
    let dir = tempfile::tempdir().unwrap();
    let mut sales = String::from("date,customer_id,revenue\n");
    for i in 0..40 {
        sales += &format!("2025-0{}-{:02},C{i:02},{}\n", 1 + i % 6, 1 + i % 28, 100 + i);
    }
    common::write_project(dir.path(), "sales.csv", sales.as_bytes(), None, "");
    let out = common::kamplan(&["build", &dir.path().display().to_string()]);
    let summary = common::stderr_of(&out);
    assert!(out.status.success(), "{summary}");
    assert!(
        summary.contains(
            "forecast   none: no customer has bought on two different days: the purchase model needs repeat purchases; p_alive, expected_purchases_12m, expected_revenue_12m and clv are empty"
        ),
        "{summary}"
    );
    let (header, rows) = common::csv_records(&dir.path().join("out/portfolio.csv"));
    let p_alive = header.iter().position(|h| h == "p_alive").unwrap();
    assert!(rows.iter().all(|r| r[p_alive].is_empty()));
    let report = common::text_of(&dir.path().join("out/portfolio.pdf"));
    assert!(!report.contains("Outlook: the next 12 months") && !report.contains("NaN"));
}
