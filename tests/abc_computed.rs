//! Computed ABC limits against the reference implementation: R's
//! `ABCanalysis` 1.2.1 (Ultsch & Lötsch) run on the data sets of
//! tests/fixtures/abc gave the points and every item's class.

use kamplan::classify::computed::limits;
use std::path::Path;

fn fixture(name: &str) -> csv::Reader<std::fs::File> {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/abc").join(name);
    csv::Reader::from_path(path).unwrap()
}

#[test]
fn the_limits_and_every_class_are_those_of_the_reference() {
    let mut checked = 0;
    for row in fixture("results_R.csv").records() {
        let row = row.unwrap();
        let set = &row[0];
        let values: Vec<f64> = fixture(&format!("input_{set}.csv"))
            .records()
            .map(|r| r.unwrap()[0].parse().unwrap())
            .collect();
        assert_eq!(values.len(), row[1].parse::<usize>().unwrap(), "{set}");
        let found = limits(&values).unwrap();
        let number = |i: usize| row[i].parse::<f64>().unwrap();
        for (name, ours, theirs) in [
            ("A", found.a_effort, number(3)),
            ("B", found.b_effort, number(5)),
            ("C", found.c_effort, number(7)),
        ] {
            assert!((ours - theirs).abs() < 1e-9, "{set}: point {name} at {ours}, R {theirs}");
        }
        assert_eq!(found.exchanged, &row[9] == "TRUE", "{set}");
        let mut sorted = values.clone();
        sorted.sort_by(|a, b| b.total_cmp(a));
        let (ab, bc) = (sorted[found.ab_rank], sorted[found.bc_rank]);
        assert!((ab - number(12)).abs() < 1e-9 && (bc - number(13)).abs() < 1e-9, "{set}");
        // Every item's class: A above the A|B limit, C below the B|C limit.
        for item in fixture(&format!("R_classes_{set}.csv")).records() {
            let item = item.unwrap();
            let value: f64 = item[1].parse().unwrap();
            let class = if value > ab {
                "A"
            } else if value < bc {
                "C"
            } else {
                "B"
            };
            assert_eq!(class, &item[2], "{set}: item {} of value {value}", &item[0]);
            checked += 1;
        }
    }
    assert_eq!(checked, 2357 + 500 + 60 + 1000 + 11);
}

/// Values, the points A, B and C, whether exchanged, the A|B and B|C limit values.
type Case = (Vec<f64>, [f64; 3], bool, [f64; 2]);

#[test]
fn small_and_tied_cases_are_those_of_the_reference() {
    // (values, points A B C, exchanged, A|B and B|C limit values) as R gave them.
    let mut big_zeros = vec![100.0];
    big_zeros.extend([0.0; 99]);
    let mut big_ones = vec![100.0];
    big_ones.extend([1.0; 99]);
    let mut two = vec![10.0; 10];
    two.extend([1.0; 90]);
    let cases: [Case; 5] = [
        (vec![1.0, 2.0, 3.0], [0.43, 0.49, 0.64], false, [3.0, 2.0]),
        (big_zeros, [0.01, 0.04, 0.04], false, [100.0, 0.0]),
        (big_ones, [0.04, 0.20, 0.36], true, [1.0, 1.0]),
        (two, [0.11, 0.22, 0.39], true, [1.0, 1.0]),
        // Negative and missing values count as 0.
        (vec![10.0, 5.0, -3.0, f64::NAN, 2.0, 1.0, 8.0], [0.34, 0.40, 0.46], false, [8.0, 5.0]),
    ];
    for (values, points, exchanged, [ab, bc]) in cases {
        let found = limits(&values).unwrap();
        let ours = [found.a_effort, found.b_effort, found.c_effort];
        assert!(ours.iter().zip(points).all(|(a, b)| (a - b).abs() < 1e-9), "{values:?}: {ours:?}");
        assert_eq!(found.exchanged, exchanged, "{values:?}");
        let mut sorted: Vec<f64> = values.iter().map(|v| v.max(0.0)).collect();
        sorted.sort_by(|a, b| b.total_cmp(a));
        assert_eq!([sorted[found.ab_rank], sorted[found.bc_rank]], [ab, bc], "{values:?}");
    }
    // All equal: the curve is a straight line and gives no limits (R: no class at all).
    assert_eq!(limits(&[5.0; 50]), None);
}
