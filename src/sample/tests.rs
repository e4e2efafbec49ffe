//! End-to-end tests of the generated project: determinism, volume, CSV validity and
//! presence of every case the classifier has to handle.

use std::collections::{BTreeMap, BTreeSet};
use std::fs;
use std::path::Path;

use super::{SampleSpec, write_sample_project};
use crate::model::{Amount, Date};

/// One parsed sales line.
#[derive(Debug, Clone)]
struct Sale {
    date: Date,
    invoice: String,
    customer: String,
    product: String,
    quantity: Amount,
    revenue: Amount,
    cost: Amount,
}

/// Parses one sales row, panicking with the row on any malformed field.
fn parse_sale(row: &str) -> Sale {
    let fields: Vec<&str> = row.split(',').collect();
    assert_eq!(fields.len(), 8, "{row}");
    let money = |text: &str| {
        let decimals = text.split_once('.').map(|(_, d)| d.len());
        assert_eq!(decimals, Some(2), "money needs two decimals: {row}");
        Amount::parse_plain(text).unwrap_or_else(|| panic!("bad amount in {row}"))
    };
    let quantity_decimals = fields[5].split_once('.').map_or(0, |(_, d)| d.len());
    assert!(quantity_decimals <= 3, "{row}");
    Sale {
        date: Date::parse_iso(fields[0]).unwrap_or_else(|| panic!("bad date in {row}")),
        invoice: fields[1].to_string(),
        customer: fields[2].to_string(),
        product: fields[3].to_string(),
        quantity: Amount::parse_plain(fields[5]).unwrap_or_else(|| panic!("bad quantity in {row}")),
        revenue: money(fields[6]),
        cost: money(fields[7]),
    }
}

/// All sales lines of a project, file by file in name order (= chronological).
fn read_sales(dir: &Path) -> Vec<Sale> {
    let mut paths: Vec<_> =
        fs::read_dir(dir.join("sales")).unwrap().map(|e| e.unwrap().path()).collect();
    paths.sort();
    let mut sales = Vec::new();
    for path in paths {
        let text = fs::read_to_string(&path).unwrap();
        assert!(!text.starts_with('\u{feff}') && !text.contains('\r') && !text.contains('"'));
        let mut rows = text.lines();
        assert_eq!(
            rows.next(),
            Some("date,invoice_id,customer_id,product_id,product_category,quantity,revenue,cost")
        );
        sales.extend(rows.map(parse_sale));
    }
    sales
}

/// The customer master as header-keyed records.
fn read_master(dir: &Path) -> Vec<BTreeMap<String, String>> {
    let mut reader = csv::Reader::from_path(dir.join("customers.csv")).unwrap();
    let header = reader.headers().unwrap().clone();
    reader
        .records()
        .map(|record| {
            header
                .iter()
                .zip(record.unwrap().iter())
                .map(|(h, v)| (h.to_string(), v.to_string()))
                .collect()
        })
        .collect()
}

/// Revenue and cost per customer.
fn per_customer(sales: &[Sale]) -> BTreeMap<&str, (i64, i64)> {
    let mut totals = BTreeMap::new();
    for sale in sales {
        let entry = totals.entry(sale.customer.as_str()).or_insert((0, 0));
        entry.0 += sale.revenue.units();
        entry.1 += sale.cost.units();
    }
    totals
}

/// Lines grouped by invoice id.
fn invoices(sales: &[Sale]) -> BTreeMap<&str, Vec<&Sale>> {
    let mut invoices: BTreeMap<&str, Vec<&Sale>> = BTreeMap::new();
    for sale in sales {
        invoices.entry(&sale.invoice).or_default().push(sale);
    }
    invoices
}

fn all_files(dir: &Path) -> BTreeMap<String, Vec<u8>> {
    let mut files = BTreeMap::new();
    for entry in walkdir::WalkDir::new(dir).sort_by_file_name() {
        let entry = entry.unwrap();
        if entry.file_type().is_file() {
            let name = entry.path().strip_prefix(dir).unwrap().to_string_lossy().into_owned();
            files.insert(name, fs::read(entry.path()).unwrap());
        }
    }
    files
}

#[test]
fn same_spec_and_seed_give_identical_bytes() {
    let spec = SampleSpec::new(150, 30, 7);
    let (a, b, c) =
        (tempfile::tempdir().unwrap(), tempfile::tempdir().unwrap(), tempfile::tempdir().unwrap());
    let summary = write_sample_project(&spec, a.path()).unwrap();
    assert_eq!(summary, write_sample_project(&spec, b.path()).unwrap());
    let files = all_files(a.path());
    assert_eq!(files.len(), 32);
    assert_eq!(files, all_files(b.path()));
    assert_eq!(summary.bytes, files.values().map(|f| f.len() as u64).sum::<u64>());

    write_sample_project(&SampleSpec { seed: 8, ..spec }, c.path()).unwrap();
    assert_ne!(files, all_files(c.path()));
}

#[test]
fn default_volume_and_layout() {
    let dir = tempfile::tempdir().unwrap();
    let summary = write_sample_project(&SampleSpec::new(150, 30, 1), dir.path()).unwrap();
    assert_eq!(summary.customers, 150);
    assert_eq!(summary.files, 32);
    assert!((10_000..=20_000).contains(&summary.lines), "{summary:?}");
    let sales = read_sales(dir.path());
    assert_eq!(sales.len() as u64, summary.lines);
    assert!(
        dir.path().join("sales/2023-01.csv").exists()
            && dir.path().join("sales/2025-06.csv").exists()
    );
    assert_eq!(sales.first().unwrap().date.month_index(), 2023 * 12);
    assert_eq!(read_master(dir.path()).len(), 150);
    assert_eq!(
        fs::read_to_string(dir.path().join("kamplan.toml")).unwrap(),
        super::project_file(false)
    );
}

#[test]
fn target_lines_are_respected() {
    for (customers, months, target) in [(300, 24, 40_000u64), (150, 30, 3_000), (40, 12, 20_000)] {
        let dir = tempfile::tempdir().unwrap();
        let spec = SampleSpec {
            target_lines: Some(target),
            single_file: true,
            ..SampleSpec::new(customers, months, 3)
        };
        let summary = write_sample_project(&spec, dir.path()).unwrap();
        let error = (summary.lines as f64 - target as f64).abs() / target as f64;
        assert!(error < 0.10, "{customers}×{months}, target {target}: {} lines", summary.lines);
        assert_eq!(summary.files, 3);
        assert_eq!(read_sales(dir.path()).len() as u64, summary.lines);
    }
}

#[test]
fn project_file_points_at_the_sales() {
    let monthly = super::project_file(false);
    assert!(monthly.contains("\n[sales]\npath = \"sales\"           # a file, or a folder"));
    assert!(monthly.starts_with("# A kamplan project: where the data is and how to read it.\n"));
    assert!(monthly.ends_with("[customers]\npath = \"customers.csv\"\n"));
    assert!(super::project_file(true).contains("\npath = \"sales/sales.csv\" # a file"));
}

#[test]
fn lines_parse_and_invoices_are_consistent() {
    let dir = tempfile::tempdir().unwrap();
    write_sample_project(&SampleSpec::new(150, 30, 11), dir.path()).unwrap();
    let sales = read_sales(dir.path());
    for pair in sales.windows(2) {
        assert!((pair[0].date, &pair[0].invoice) <= (pair[1].date, &pair[1].invoice), "{pair:?}");
    }
    for (id, lines) in invoices(&sales) {
        assert!((1..=8).contains(&lines.len()), "{id}");
        let (year, number) = id.strip_prefix("INV-").unwrap().split_once('-').unwrap();
        assert_eq!(year.parse::<i32>().unwrap(), lines[0].date.year());
        assert!(number.len() == 6 && number.bytes().all(|b| b.is_ascii_digit()));
        assert!(
            lines.iter().all(|l| l.date == lines[0].date && l.customer == lines[0].customer),
            "{id}"
        );
        // An invoice is either a sale or a credit note, never a mix.
        let credit = lines[0].revenue.units() < 0;
        assert!(
            lines
                .iter()
                .all(|l| (l.revenue.units() < 0) == credit && (l.quantity.units() < 0) == credit)
        );
    }
    for sale in &sales {
        assert!(sale.customer.len() == 5 && sale.customer.starts_with('C'), "{sale:?}");
        assert!(sale.product.starts_with("P-") && sale.product.len() == 9, "{sale:?}");
        assert!(sale.quantity.units() != 0);
    }
}

#[test]
fn every_case_occurs() {
    assert_every_case(&SampleSpec::new(150, 30, 2025));
}

/// Checks that the sample has every case the classifier must handle.
pub(super) fn assert_every_case(spec: &SampleSpec) {
    let dir = tempfile::tempdir().unwrap();
    write_sample_project(spec, dir.path()).unwrap();
    let sales = read_sales(dir.path());
    let master = read_master(dir.path());
    let in_master: BTreeSet<&str> = master.iter().map(|c| c["customer_id"].as_str()).collect();
    let totals = per_customer(&sales);

    assert!(master.iter().any(|c| !totals.contains_key(c["customer_id"].as_str())), "prospects");
    assert!(totals.keys().any(|id| !in_master.contains(id)), "customers missing from the master");
    assert!(
        totals.values().any(|&(revenue, cost)| revenue > 0 && cost > revenue),
        "loss-making customer"
    );

    let names: Vec<&str> = master.iter().map(|c| c["name"].as_str()).collect();
    assert!(names.iter().any(|n| n.contains(',')), "name with a comma");
    assert!(names.iter().any(|n| n.contains('"')), "name with a quote");
    assert!(
        names.iter().any(|n| n.chars().any(|ch| "àèéìòùäöüßçñáíóúâêôîû".contains(ch))),
        "accents"
    );
    assert!(names.iter().collect::<BTreeSet<_>>().len() == names.len(), "names are unique");

    let below_cost = sales.iter().filter(|s| s.revenue.units() > 0 && s.cost > s.revenue).count();
    let share = below_cost as f64 / sales.len() as f64;
    assert!((0.015..0.08).contains(&share), "negative-margin lines: {share}");

    let invoices = invoices(&sales);
    let credit_notes: Vec<_> =
        invoices.values().filter(|lines| lines[0].revenue.units() < 0).collect();
    let credit_share = credit_notes.len() as f64 / invoices.len() as f64;
    assert!((0.01..0.035).contains(&credit_share), "credit notes: {credit_share}");
    let full_reversal = credit_notes.iter().any(|credit| {
        invoices.values().any(|sale| {
            sale.len() == credit.len()
                && sale[0].customer == credit[0].customer
                && sale[0].date <= credit[0].date
                && sale[0].date.month_index() == credit[0].date.month_index()
                && sale
                    .iter()
                    .zip(credit.iter())
                    .all(|(s, c)| s.product == c.product && s.revenue == -c.revenue)
        })
    });
    assert!(full_reversal, "a credit note fully reversing an invoice of the same month");

    // A few big accounts dominate.
    let mut revenues: Vec<i64> = totals.values().map(|&(revenue, _)| revenue).collect();
    revenues.sort_unstable_by(|a, b| b.cmp(a));
    let top = revenues.iter().take(revenues.len() / 5).sum::<i64>() as f64
        / revenues.iter().sum::<i64>() as f64;
    assert!((0.62..0.88).contains(&top), "top 20% share {top}");

    // Life cycles: churn long ago, recent newcomers, regular monthly buyers.
    let last = spec.last_month;
    let mut months: BTreeMap<&str, BTreeSet<i32>> = BTreeMap::new();
    for sale in &sales {
        months.entry(&sale.customer).or_default().insert(sale.date.month_index());
    }
    assert!(
        months.values().any(|m| *m.last().unwrap() < last - 6),
        "churned more than 6 months ago"
    );
    assert!(months.values().any(|m| *m.first().unwrap() > last - 6), "new customers");
    assert!(months.values().any(|m| m.len() == spec.months as usize), "buys every month");
    assert!(
        months.values().any(|m| m.len() <= 8 && *m.first().unwrap() < last - 24),
        "irregular buyers"
    );
}

#[test]
fn master_fields_are_valid() {
    let dir = tempfile::tempdir().unwrap();
    write_sample_project(&SampleSpec::new(400, 24, 5), dir.path()).unwrap();
    let master = read_master(dir.path());
    let header = fs::read_to_string(dir.path().join("customers.csv")).unwrap();
    assert!(header.starts_with(
        "customer_id,name,sector,region,account_manager,potential,satisfaction,loyalty,relationship_stage,customer_since,cost_to_serve,market_growth,attractiveness,adaptability\n"
    ));
    let empty = |field: &str| {
        master.iter().filter(|c| c[field].is_empty()).count() as f64 / master.len() as f64
    };
    assert!((0.04..0.18).contains(&empty("potential")));
    assert!((0.08..0.24).contains(&empty("satisfaction")));
    assert!((0.08..0.24).contains(&empty("loyalty")));
    assert!((0.2..0.4).contains(&empty("market_growth")));
    assert!((0.3..0.8).contains(&empty("attractiveness")));
    assert_eq!(empty("attractiveness"), empty("adaptability"), "scored together");
    let stages = ["", "pre-KAM", "early-KAM", "mid-KAM", "partnership-KAM", "synergistic-KAM"];
    for customer in &master {
        assert!(
            customer["satisfaction"].is_empty()
                || (1..=5).contains(&customer["satisfaction"].parse::<u8>().unwrap())
        );
        assert!(
            customer["loyalty"].is_empty() || customer["loyalty"].parse::<u8>().unwrap() <= 100
        );
        assert!(stages.contains(&customer["relationship_stage"].as_str()));
        let growth = &customer["market_growth"];
        assert!(
            growth.is_empty()
                || growth
                    .parse::<f64>()
                    .is_ok_and(|g| (-0.5..=1.0).contains(&g) && growth != "-0.00")
        );
        for score in ["attractiveness", "adaptability"] {
            let value = &customer[score];
            assert!(value.is_empty() || (1..=5).contains(&value.parse::<u8>().unwrap()));
        }
        assert!(Date::parse_iso(&customer["customer_since"]).is_some());
        for money in ["potential", "cost_to_serve"] {
            let value = &customer[money];
            assert!(
                value.is_empty()
                    || (Amount::parse_plain(value).is_some()
                        && value.split_once('.').unwrap().1.len() == 2)
            );
        }
        assert!(!customer["sector"].is_empty() && !customer["region"].is_empty());
        assert!(!customer["account_manager"].is_empty());
    }
    let managers: BTreeSet<_> = master.iter().map(|c| c["account_manager"].as_str()).collect();
    assert!((4..=8).contains(&managers.len()));
    assert!(
        stages.iter().all(|s| master.iter().any(|c| c["relationship_stage"] == *s)),
        "every stage occurs"
    );
}

#[test]
fn tiny_specs_work() {
    for (customers, months) in [(0, 30), (1, 1), (3, 6), (10, 0), (5, 9), (2, 40)] {
        let dir = tempfile::tempdir().unwrap();
        let summary =
            write_sample_project(&SampleSpec::new(customers, months, 9), dir.path()).unwrap();
        assert_eq!(summary.customers, customers);
        assert_eq!(read_master(dir.path()).len(), customers);
        assert_eq!(read_sales(dir.path()).len() as u64, summary.lines);
    }
}
