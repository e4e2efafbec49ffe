//! The revenue bridge on data worked out by hand (docs/metrics.md#revenue-bridge):
//! the steps add up to the change exactly, the causes to the change of the
//! customers who bought in both periods, and the documents show them.

mod common;

use common::{csv_records, kamplan_ok, normalise, pdf_text, write_project};

/// As of 30 June 2025, 12 months: the window is July 2024 – June 2025, the
/// previous one July 2023 – June 2024.
const SALES: &str = "\
date,customer_id,product_id,quantity,revenue
2025-03-01,N,P1,10,100
2023-01-10,R,P1,1,50
2025-02-01,R,P1,2,80
2024-01-15,G,P1,10,100
2024-01-15,G,P2,5,100
2025-01-15,G,P1,12,132
2025-01-15,G,P2,5,100
2025-01-15,G,P3,1,30
2024-03-01,D,P2,10,200
2025-03-01,D,P2,8,168
2025-03-01,D,,,2
2024-02-01,U,P1,1,10
2025-02-01,U,P1,1,10
2024-05-01,L,P2,3,60
";

#[test]
fn the_bridge_adds_up_on_hand_worked_data() {
    let dir = tempfile::tempdir().unwrap();
    write_project(
        dir.path(),
        "sales.csv",
        SALES.as_bytes(),
        None,
        "[project]\nas_of = \"2025-06-30\"\n",
    );
    let project = dir.path().to_str().unwrap();
    kamplan_ok(&["build", project]);
    let (header, rows) = csv_records(&dir.path().join("out/portfolio.csv"));
    let column = |name: &str| header.iter().position(|h| h == name).unwrap();
    let get = |id: &str, name: &str| {
        rows.iter().find(|r| r[0] == id).map(|r| r[column(name)].clone()).unwrap()
    };
    let effects = |id: &str| {
        [
            "price_effect",
            "volume_effect",
            "mix_effect",
            "new_products_effect",
            "dropped_products_effect",
        ]
        .map(|name| get(id, name))
    };
    // G: P1 10 at 10 → 12 at 11: quantity effect 100·2/10 = 20, price 132 − 100 − 20 = 12;
    // P2 unchanged; volume 200·(17 − 15)/15 = 26.6667; mix 20 − 26.6667; P3 new, 30.
    assert_eq!(effects("G"), ["12.00", "26.6667", "-6.6667", "30.00", "0.00"]);
    // D: P2 10 at 20 → 8 at 21: quantity −40, price 8; volume −40, mix 0; 2 without product.
    assert_eq!(effects("D"), ["8.00", "-40.00", "0.00", "0.00", "0.00"]);
    assert_eq!(effects("U"), ["0.00", "0.00", "0.00", "0.00", "0.00"]);
    // N is new: all its revenue is new products; L lost: all dropped.
    assert_eq!(effects("N"), ["0.00", "0.00", "0.00", "100.00", "0.00"]);
    assert_eq!(effects("L"), ["0.00", "0.00", "0.00", "0.00", "-60.00"]);
    // 470 → 622: new 100, returning 80, growth 62, decline −30, lost −60 = +152.
    let report = normalise(&pdf_text(&dir.path().join("out/portfolio.pdf"), true));
    for row in [
        "Previous period 470",
        "New customers first purchase in this period 1 +100",
        "Returning customers none in the previous period, some before it 1 +80",
        "Growth bought in both periods, more now 1 +62",
        "Decline bought in both periods, less now 1 −30",
        "Lost customers bought in the previous period, not in this one 1 −60",
        "This period 622",
        "One more customer bought for the same amount in both periods.",
        // The continuing customers' +32 by cause, in whole units adding up as printed:
        // price 20, volume 26.6667 − 40 = −13.3333, mix −6.6667, new products 30, other 2.
        "changed their revenue by +32 in all (EUR); by cause:",
        "Price what each product's price change did, at this period's quantities +20",
        "Volume the change of the total quantity, at the previous period's average price −13",
        "Mix the shift of quantity between cheaper and dearer products −7",
        "New products products bought now and not in the previous period +30",
        "Dropped products products bought in the previous period and not now 0",
        "Other products without a comparable quantity, and lines without a product +2",
        "Total +32",
    ] {
        assert!(report.contains(row), "{row:?} not in:\n{report}");
    }
}
