//! The purchase model against published results: on the CDNOW sample
//! (tests/fixtures/cdnow), the BG/NBD fit reproduces the table of Fader,
//! Hardie & Lee (2005) and the per-customer figures of an independent
//! implementation (PyPI's `lifetimes`).

use kamplan::forecast::bgnbd::{History, fit};
use kamplan::model::Date;
use std::collections::BTreeMap;
use std::path::Path;

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
