//! Whether the figures can be trusted: values that cannot be true (a share
//! of wallet above 100%, a potential of zero or below, a survey score off its
//! scale), sales files copied twice, customers in one source only, how much
//! of the portfolio has the inputs the analyses need, the rejected lines by
//! reason and where every accepted line's revenue went. Pure: the pipeline
//! hands in what it read; the summary, the report and the workbook present it.

use crate::classify::{Portfolio, PortfolioRow};
use crate::ingest::{LineCounts, Reject, SalesData};
use crate::locale::{Locale, format};
use crate::metrics::CustomerMetrics;
use crate::model::Amount;
use std::path::PathBuf;

/// The plausibility checks of one run.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct DataQuality {
    /// Doubtful values, by customer id then kind.
    pub flags: Vec<Flag>,
    pub coverage: Coverage,
    /// Rejected lines by field and reason, most lines first.
    pub rejects: Vec<RejectGroup>,
    pub reconciliation: Reconciliation,
    /// Sales files with the same bytes as another: their lines count twice.
    pub copies: Vec<CopiedFiles>,
    /// Pairs of sales files holding the same invoices (see `ingest::overlap`),
    /// with the estimated number shared.
    pub shared_invoices: Vec<([PathBuf; 2], u64)>,
    /// Customers in the sales but not in the master, and the reverse.
    pub sources: SourceMatch,
}

impl DataQuality {
    /// Names the files relative to `root` (the project folder), as the
    /// other outputs do.
    pub fn relative_to(mut self, root: &std::path::Path) -> DataQuality {
        let strip = |p: &mut PathBuf| {
            if let Ok(relative) = p.strip_prefix(root) {
                *p = relative.to_path_buf();
            }
        };
        self.copies.iter_mut().flat_map(|c| c.files.iter_mut()).for_each(strip);
        self.shared_invoices.iter_mut().flat_map(|(files, _)| files.iter_mut()).for_each(strip);
        self.rejects.iter_mut().for_each(|g| strip(&mut g.first.file));
        self
    }

    /// Whether there is anything to warn about (coverage aside).
    pub fn has_findings(&self) -> bool {
        !self.flags.is_empty()
            || !self.copies.is_empty()
            || !self.shared_invoices.is_empty()
            || !self.rejects.is_empty()
            || !self.sources.not_in_master.is_empty()
    }
}

/// What makes a value doubtful.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub enum FlagKind {
    /// Revenue above the potential estimate: the share of wallet is above 100%.
    ShareOfWalletAbove100,
    /// A potential estimate of zero or below: no share of wallet.
    PotentialNotPositive,
    /// A satisfaction score outside 1–5.
    SatisfactionOutOfRange,
    /// A loyalty score outside 0–100.
    LoyaltyOutOfRange,
    /// Lines of the window without a cost, counted as 0: the margin is overstated.
    LinesWithoutCost,
}

impl FlagKind {
    /// The flag's id in the workbook.
    pub fn id(self) -> &'static str {
        match self {
            FlagKind::ShareOfWalletAbove100 => "share_of_wallet_above_100",
            FlagKind::PotentialNotPositive => "potential_not_positive",
            FlagKind::SatisfactionOutOfRange => "satisfaction_out_of_range",
            FlagKind::LoyaltyOutOfRange => "loyalty_out_of_range",
            FlagKind::LinesWithoutCost => "lines_without_cost",
        }
    }
}

/// One doubtful value of one customer.
#[derive(Clone, Debug, PartialEq)]
pub struct Flag {
    pub customer_id: String,
    pub name: Option<String>,
    pub kind: FlagKind,
    /// The doubtful figure: the share of wallet (a ratio), the potential
    /// (money) or the score.
    pub value: f64,
    /// The customer's revenue in the window.
    pub revenue: f64,
    pub potential: Option<f64>,
}

impl Flag {
    /// The figure as the documents print it: `133.9%`, `€0`, `7.0`.
    pub fn value_text(&self, l: Locale, currency: &str) -> String {
        match self.kind {
            FlagKind::ShareOfWalletAbove100 => format::percent(l, self.value, 1),
            FlagKind::PotentialNotPositive => {
                format::money_with_currency(l, self.value, 0, currency)
            }
            FlagKind::SatisfactionOutOfRange | FlagKind::LoyaltyOutOfRange => {
                format::number(l, self.value, 1)
            }
            FlagKind::LinesWithoutCost => format::number(l, self.value, 0),
        }
    }

    /// What makes the value doubtful and what to do, in a sentence.
    pub fn reason(&self, l: Locale, currency: &str) -> String {
        self.reason_with(l, &|x| format::money_with_currency(l, x, 0, currency))
    }

    /// The reason with money written by `money` (the terminal's own style).
    pub fn reason_with(&self, l: Locale, money: &dyn Fn(f64) -> String) -> String {
        match self.kind {
            FlagKind::ShareOfWalletAbove100 => l.fill(
                "revenue {revenue} is above the potential estimate {potential}: update the estimate",
                &[
                    ("revenue", &money(self.revenue)),
                    ("potential", &money(self.potential.unwrap_or_default())),
                ],
            ),
            FlagKind::PotentialNotPositive => l
                .text("a potential estimate of zero or below gives no share of wallet: update the estimate")
                .to_string(),
            FlagKind::SatisfactionOutOfRange => {
                l.text("satisfaction is scored from 1 to 5: check the survey").to_string()
            }
            FlagKind::LoyaltyOutOfRange => {
                l.text("loyalty is scored from 0 to 100: check the survey").to_string()
            }
            FlagKind::LinesWithoutCost => l
                .text("lines of the window without a cost count as 0: the margin is overstated and set aside; complete the costs")
                .to_string(),
        }
    }

    /// The flag's name in words: `Share of wallet above 100%`.
    pub fn title(&self, l: Locale) -> &'static str {
        l.text(match self.kind {
            FlagKind::ShareOfWalletAbove100 => "Share of wallet above 100%",
            FlagKind::PotentialNotPositive => "Potential of zero or below",
            FlagKind::SatisfactionOutOfRange => "Satisfaction off the 1–5 scale",
            FlagKind::LoyaltyOutOfRange => "Loyalty off the 0–100 scale",
            FlagKind::LinesWithoutCost => "Lines without a cost",
        })
    }
}

/// Whether a customer's share of wallet cannot be true: revenue above the
/// potential estimate. Such a value drives no objective and no SWOT entry.
pub fn doubtful_share_of_wallet(m: &CustomerMetrics) -> bool {
    m.share_doubtful()
}

/// The doubtful values of one customer.
pub fn row_flags(r: &PortfolioRow) -> Vec<Flag> {
    let customer = r.customer.as_ref();
    let revenue = r.metrics.revenue.to_f64();
    let potential = customer.and_then(|c| c.potential).map(|p| p.to_f64());
    let flag = |kind, value| Flag {
        customer_id: r.customer_id.clone(),
        name: r.name().map(str::to_string),
        kind,
        value,
        revenue,
        potential,
    };
    let mut flags = Vec::new();
    if doubtful_share_of_wallet(&r.metrics) {
        let share = r.metrics.share_of_wallet.unwrap_or_default();
        flags.push(flag(FlagKind::ShareOfWalletAbove100, share));
    }
    if let Some(p) = potential.filter(|p| *p <= 0.0) {
        flags.push(flag(FlagKind::PotentialNotPositive, p));
    }
    let score =
        |a: Option<Amount>, lo: f64, hi: f64| a.map(|a| a.to_f64()).filter(|s| *s < lo || *s > hi);
    if let Some(s) = score(customer.and_then(|c| c.satisfaction), 1.0, 5.0) {
        flags.push(flag(FlagKind::SatisfactionOutOfRange, s));
    }
    if let Some(s) = score(customer.and_then(|c| c.loyalty), 0.0, 100.0) {
        flags.push(flag(FlagKind::LoyaltyOutOfRange, s));
    }
    if r.metrics.margin_doubtful() {
        flags.push(flag(FlagKind::LinesWithoutCost, r.metrics.lines_without_cost as f64));
    }
    flags
}

/// How many of the customers buying in the window (revenue above zero), and
/// how much of their revenue, have each input the analyses read.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Coverage {
    pub customers: usize,
    pub revenue: f64,
    /// A potential estimate above zero (share of wallet).
    pub potential: Covered,
    /// Both survey scores, satisfaction and loyalty: what the loyalty ×
    /// satisfaction matrix needs to place the customer (with one of them it
    /// is "not surveyed" there, so it does not count here either).
    pub survey: Covered,
    /// A cost on every line of the window (margins).
    pub cost: Covered,
    /// A contract expiry date.
    pub contract: Covered,
}

#[derive(Clone, Copy, Debug, Default, PartialEq)]
pub struct Covered {
    pub customers: usize,
    pub revenue: f64,
}

impl Coverage {
    /// Each input with its name in the workbook and its coverage.
    pub fn items(&self) -> [(&'static str, Covered); 4] {
        [
            ("potential", self.potential),
            ("survey", self.survey),
            ("cost", self.cost),
            ("contract", self.contract),
        ]
    }

    /// The share of the buying customers' revenue a figure covers.
    pub fn revenue_share(&self, covered: Covered) -> Option<f64> {
        (self.revenue > 0.0).then(|| covered.revenue / self.revenue)
    }
}

fn coverage(portfolio: &Portfolio) -> Coverage {
    let mut c = Coverage::default();
    for r in portfolio.rows.iter().filter(|r| r.metrics.revenue.is_positive()) {
        let revenue = r.metrics.revenue.to_f64();
        c.customers += 1;
        c.revenue += revenue;
        let customer = r.customer.as_ref();
        let has = [
            customer.and_then(|c| c.potential).is_some_and(|p| p.is_positive()),
            customer.is_some_and(|c| c.satisfaction.is_some() && c.loyalty.is_some()),
            r.metrics.cost.is_some() && r.metrics.lines_without_cost == 0,
            customer.and_then(crate::classify::variables::contract_expiry).is_some(),
        ];
        for (covered, has) in
            [&mut c.potential, &mut c.survey, &mut c.cost, &mut c.contract].into_iter().zip(has)
        {
            if has {
                covered.customers += 1;
                covered.revenue += revenue;
            }
        }
    }
    c
}

/// Why lines were rejected, in a few kinds.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub enum RejectKind {
    Missing,
    NotANumber,
    BadDate,
    FieldCount,
    RepeatedHeader,
    Encoding,
    Other,
}

impl RejectKind {
    /// The kind of a reject's reason, as `ingest` words it.
    pub fn of(reason: &str) -> RejectKind {
        if reason.starts_with("missing") || reason == "empty" {
            RejectKind::Missing
        } else if reason.contains("date") {
            RejectKind::BadDate
        } else if reason.contains("not a number") || reason.contains("number was expected") {
            RejectKind::NotANumber
        } else if reason.contains("fields where the header has") {
            RejectKind::FieldCount
        } else if reason.contains("repeated header") {
            RejectKind::RepeatedHeader
        } else if reason.contains("UTF-8") {
            RejectKind::Encoding
        } else {
            RejectKind::Other
        }
    }

    /// The kind in words.
    pub fn title(self, l: Locale) -> &'static str {
        l.text(match self {
            RejectKind::Missing => "missing value",
            RejectKind::NotANumber => "not a number",
            RejectKind::BadDate => "not a valid date",
            RejectKind::FieldCount => "wrong number of fields",
            RejectKind::RepeatedHeader => "repeated header line",
            RejectKind::Encoding => "unreadable characters",
            RejectKind::Other => "other reason",
        })
    }
}

/// Rejected lines of one field and kind.
#[derive(Clone, Debug, PartialEq)]
pub struct RejectGroup {
    /// The field at fault; `None` when the whole line is.
    pub field: Option<&'static str>,
    pub kind: RejectKind,
    pub lines: u64,
    /// The first such line, for finding the others in rejects.csv.
    pub first: Reject,
}

fn reject_groups(rejects: &[Reject]) -> Vec<RejectGroup> {
    let mut groups: Vec<RejectGroup> = Vec::new();
    for r in rejects {
        let kind = RejectKind::of(&r.reason);
        match groups.iter_mut().find(|g| g.field == r.field && g.kind == kind) {
            Some(g) => g.lines += r.lines,
            None => {
                groups.push(RejectGroup { field: r.field, kind, lines: r.lines, first: r.clone() })
            }
        }
    }
    // Most lines first; ties in the order of the fields (whole-line faults
    // last), then of the kinds, whatever order the lines came in.
    let field_order = |f: Option<&str>| {
        use crate::model::fields::{CanonicalField, SalesField};
        f.map_or(usize::MAX, |f| {
            SalesField::ALL.iter().position(|s| s.name() == f).unwrap_or(usize::MAX - 1)
        })
    };
    groups.sort_by_key(|g| (std::cmp::Reverse(g.lines), field_order(g.field), g.kind));
    groups
}

/// Where the lines read and the revenue accepted went; amounts in units of
/// 1/10 000 like the ledger's, so the parts add up exactly.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Reconciliation {
    pub lines: LineCounts,
    /// Files of 0 bytes, skipped.
    pub empty_files: usize,
    /// Revenue of every accepted line.
    pub revenue: i128,
    pub window: i128,
    pub previous: i128,
    /// Before the previous window: in no metric but the purchase dates.
    pub earlier: i128,
    pub after_as_of: i128,
}

impl Reconciliation {
    /// Whether every line read was accepted or rejected.
    pub fn lines_balance(&self) -> bool {
        self.lines.read == self.lines.accepted + self.lines.rejected
    }
}

fn reconciliation(portfolio: &Portfolio, sales: &SalesData) -> Reconciliation {
    let lines = sales.totals();
    let sum = |f: fn(&PortfolioRow) -> Amount| -> i128 {
        portfolio.rows.iter().map(|r| i128::from(f(r).units())).sum()
    };
    let window = sum(|r| r.metrics.revenue);
    let previous = sum(|r| r.metrics.revenue_prev);
    let after_as_of = lines.revenue_after_as_of;
    Reconciliation {
        lines,
        empty_files: sales.empty_files.len(),
        revenue: lines.revenue,
        window,
        previous,
        earlier: lines.revenue - after_as_of - window - previous,
        after_as_of,
    }
}

/// Sales files with the same content.
#[derive(Clone, Debug, PartialEq)]
pub struct CopiedFiles {
    /// Two or more, in reading order.
    pub files: Vec<PathBuf>,
    /// Lines and revenue of one copy: what each extra copy adds again.
    pub lines: u64,
    pub revenue: i128,
}

fn copied_files(groups: &[Vec<PathBuf>], sales: &SalesData) -> Vec<CopiedFiles> {
    groups
        .iter()
        .filter(|g| g.len() > 1)
        .map(|files| {
            let counts = sales.files.iter().find(|f| f.path == files[0]).map(|f| f.counts);
            let counts = counts.unwrap_or_default();
            CopiedFiles { files: files.clone(), lines: counts.accepted, revenue: counts.revenue }
        })
        .collect()
}

/// Customers in one source only.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct SourceMatch {
    /// Whether the project has a customers master (without one nothing is compared).
    pub master_given: bool,
    /// In the sales but not in the master, with their revenue in the
    /// window, largest first.
    pub not_in_master: Vec<(String, f64)>,
    pub not_in_master_revenue: f64,
    /// In the master without a sales line up to `as_of`, by id, with their names.
    pub not_in_sales: Vec<(String, Option<String>)>,
}

/// What the checks read.
pub struct QualityInput<'a> {
    pub portfolio: &'a Portfolio,
    pub sales: &'a SalesData,
    /// Whether a customers master was read.
    pub master_given: bool,
    /// Whether a customer has any sales line up to `as_of`.
    pub in_sales: &'a dyn Fn(&str) -> bool,
    /// Groups of sales files with the same bytes (see `ingest::overlap::identical_files`).
    pub identical_files: &'a [Vec<PathBuf>],
}

/// Every check of a run.
pub fn assess(input: &QualityInput) -> DataQuality {
    let portfolio = input.portfolio;
    let flags = portfolio.rows.iter().flat_map(row_flags).collect();
    let mut sources = SourceMatch { master_given: input.master_given, ..Default::default() };
    if input.master_given {
        for r in &portfolio.rows {
            match &r.customer {
                None => {
                    sources.not_in_master.push((r.customer_id.clone(), r.metrics.revenue.to_f64()))
                }
                Some(c) if !(input.in_sales)(&r.customer_id) => {
                    sources.not_in_sales.push((r.customer_id.clone(), c.name.clone()))
                }
                Some(_) => {}
            }
        }
        sources.not_in_master.sort_by(|a, b| b.1.total_cmp(&a.1).then_with(|| a.0.cmp(&b.0)));
        sources.not_in_master_revenue =
            super::cents(sources.not_in_master.iter().map(|(_, revenue)| revenue).sum());
    }
    DataQuality {
        flags,
        coverage: coverage(portfolio),
        rejects: reject_groups(&input.sales.rejects),
        reconciliation: reconciliation(portfolio, input.sales),
        copies: copied_files(input.identical_files, input.sales),
        shared_invoices: input
            .sales
            .notes
            .iter()
            .filter_map(|note| match note {
                crate::ingest::Note::SharedInvoices { first, second, sampled } => Some((
                    [first.clone(), second.clone()],
                    sampled * crate::ingest::overlap::SAMPLE_RATE,
                )),
                _ => None,
            })
            .collect(),
        sources,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::analysis::tests::fixture;
    use crate::ingest::FileReport;
    use crate::model::records::Customer;

    fn amount(x: i64) -> Option<Amount> {
        Some(Amount::from_int(x))
    }

    /// A row with `revenue` in the window and the master's record `customer`.
    fn row(id: &str, revenue: i64, customer: Option<Customer>) -> PortfolioRow {
        let (portfolio, _) = fixture();
        let mut r = portfolio.rows[0].clone();
        r.customer_id = id.to_string();
        r.metrics.revenue = Amount::from_int(revenue);
        let potential = customer.as_ref().and_then(|c| c.potential).filter(|p| p.is_positive());
        r.metrics.share_of_wallet = potential.map(|p| r.metrics.revenue.to_f64() / p.to_f64());
        r.customer = customer.map(|c| Customer { id: id.to_string(), ..c });
        r
    }

    fn kinds(r: &PortfolioRow) -> Vec<FlagKind> {
        row_flags(r).iter().map(|f| f.kind).collect()
    }

    #[test]
    fn a_clean_customer_has_no_flag() {
        let clean = Customer {
            potential: amount(1_000),
            satisfaction: amount(4),
            loyalty: amount(80),
            ..Default::default()
        };
        assert_eq!(kinds(&row("C1", 600, Some(clean))), []);
        // Revenue equal to the potential is a full share, not an impossible one.
        let full = Customer { potential: amount(600), ..Default::default() };
        assert_eq!(kinds(&row("C1", 600, Some(full))), []);
        assert_eq!(kinds(&row("C1", 600, None)), []);
    }

    #[test]
    fn revenue_above_the_potential_is_flagged_with_both_figures() {
        let c = Customer { potential: amount(1_000), ..Default::default() };
        let flags = row_flags(&row("C1", 1_339, Some(c)));
        assert_eq!(flags.len(), 1);
        let f = &flags[0];
        assert_eq!(f.kind, FlagKind::ShareOfWalletAbove100);
        assert_eq!(f.value_text(Locale::En, "EUR"), "133.9%");
        assert_eq!(
            f.reason(Locale::En, "EUR"),
            "revenue €1,339 is above the potential estimate €1,000: update the estimate"
        );
        let italian = f.reason(Locale::It, "EUR");
        assert!(italian.contains("1.339\u{a0}€") && italian.contains("stima"), "{italian}");
    }

    #[test]
    fn a_potential_of_zero_or_below_is_flagged() {
        for p in [0, -50] {
            let c = Customer { potential: amount(p), ..Default::default() };
            assert_eq!(kinds(&row("C1", 100, Some(c))), [FlagKind::PotentialNotPositive]);
        }
    }

    #[test]
    fn survey_scores_off_their_scale_are_flagged() {
        let c = Customer { satisfaction: amount(7), loyalty: amount(101), ..Default::default() };
        assert_eq!(
            kinds(&row("C1", 100, Some(c))),
            [FlagKind::SatisfactionOutOfRange, FlagKind::LoyaltyOutOfRange]
        );
        let c = Customer { satisfaction: amount(0), loyalty: amount(-1), ..Default::default() };
        assert_eq!(kinds(&row("C1", 100, Some(c))).len(), 2);
        let edges =
            Customer { satisfaction: amount(1), loyalty: amount(100), ..Default::default() };
        assert_eq!(kinds(&row("C1", 100, Some(edges))), []);
    }

    fn reject(file: &str, line: u64, field: Option<&'static str>, reason: &str) -> Reject {
        Reject {
            file: PathBuf::from(file),
            line,
            column: None,
            field,
            reason: reason.into(),
            content: String::new(),
            lines: 1,
        }
    }

    #[test]
    fn rejects_are_grouped_by_field_and_kind() {
        let rejects = [
            reject("a.csv", 3, Some("revenue"), "\"12a\" is not a number"),
            reject("a.csv", 9, Some("date"), "impossible date \"31/02/2025\" (no such day)"),
            reject("b.csv", 2, Some("revenue"), "\"x\" is not a number"),
            reject("b.csv", 4, None, "5 fields where the header has 7"),
            reject("b.csv", 5, Some("customer_id"), "missing customer id"),
            reject("b.csv", 6, Some("quantity"), "\"x\" is not a number"),
        ];
        let groups = reject_groups(&rejects);
        let summary: Vec<_> = groups.iter().map(|g| (g.field, g.kind, g.lines)).collect();
        assert_eq!(
            summary,
            [
                (Some("revenue"), RejectKind::NotANumber, 2),
                (Some("date"), RejectKind::BadDate, 1),
                (Some("customer_id"), RejectKind::Missing, 1),
                (Some("quantity"), RejectKind::NotANumber, 1),
                (None, RejectKind::FieldCount, 1),
            ]
        );
        // Groups of one size come in the order of the fields, whatever the
        // order of the lines (an aggregate lists its rejects by reason).
        let mut reversed = rejects.to_vec();
        reversed.reverse();
        let again: Vec<_> =
            reject_groups(&reversed).iter().map(|g| (g.field, g.kind, g.lines)).collect();
        assert_eq!(again, summary);
        assert_eq!(groups[0].first.line, 3);
        assert_eq!(groups.iter().map(|g| g.lines).sum::<u64>(), rejects.len() as u64);
        assert_eq!(RejectKind::of("something new"), RejectKind::Other);
    }

    fn file(path: &str, accepted: u64, revenue: i64) -> FileReport {
        use crate::config::dialect::{DateFormat, Decimal};
        use crate::ingest::sniff::Decided;
        FileReport {
            path: PathBuf::from(path),
            encoding: None,
            delimiter: None,
            sheet: None,
            decimal: (Decimal::Dot, Decided::Detected),
            date_format: (DateFormat::from_name("yyyy-mm-dd").unwrap(), Decided::Detected),
            title_lines: 0,
            columns: Vec::new(),
            look_alikes: Vec::new(),
            counts: LineCounts {
                read: accepted,
                accepted,
                revenue: i128::from(Amount::from_int(revenue).units()),
                ..Default::default()
            },
            invoices: Default::default(),
            aggregate_rows: None,
            parquet_row_groups: None,
            instant_dates: 0,
        }
    }

    #[test]
    fn the_whole_portfolio_is_assessed() {
        let (mut portfolio, _) = fixture();
        let known = Customer { potential: amount(10), ..Default::default() };
        portfolio.rows = vec![
            row("A", 100, Some(known.clone())),
            row("B", 50, None),
            row("C", 0, Some(Customer { name: Some("Idle".into()), ..Default::default() })),
            row("D", 20, Some(Customer { potential: amount(100), ..known })),
        ];
        let sales = SalesData {
            files: vec![file("jan.csv", 4, 170), file("copy.csv", 4, 170), file("feb.csv", 2, 30)],
            ..Default::default()
        };
        let copies = vec![vec![PathBuf::from("jan.csv"), PathBuf::from("copy.csv")]];
        let in_sales = |id: &str| id != "C";
        let q = assess(&QualityInput {
            portfolio: &portfolio,
            sales: &sales,
            master_given: true,
            in_sales: &in_sales,
            identical_files: &copies,
        });
        assert_eq!(
            q.flags.iter().map(|f| (f.customer_id.as_str(), f.kind)).collect::<Vec<_>>(),
            [("A", FlagKind::ShareOfWalletAbove100)]
        );
        assert_eq!(q.sources.not_in_master, [("B".to_string(), 50.0)]);
        assert_eq!(q.sources.not_in_sales, [("C".to_string(), Some("Idle".to_string()))]);
        assert_eq!(q.copies.len(), 1);
        assert_eq!((q.copies[0].lines, q.copies[0].revenue), (4, 170 * 10_000));
        // Coverage counts the buying customers (A, B, D): two have a potential.
        let c = &q.coverage;
        assert_eq!((c.customers, c.revenue), (3, 170.0));
        assert_eq!((c.potential.customers, c.potential.revenue), (2, 120.0));
        assert_eq!(c.revenue_share(c.potential), Some(120.0 / 170.0));
        // 370 accepted: 170 in the window, the rest earlier than both windows.
        let r = &q.reconciliation;
        assert!(r.lines_balance());
        assert_eq!(r.revenue, 370 * 10_000);
        assert_eq!(r.window + r.previous + r.earlier + r.after_as_of, r.revenue);
        assert!(q.has_findings());

        // Without a master nobody is "not in the master".
        let q = assess(&QualityInput {
            portfolio: &portfolio,
            sales: &sales,
            master_given: false,
            in_sales: &in_sales,
            identical_files: &[],
        });
        assert!(q.sources.not_in_master.is_empty() && q.sources.not_in_sales.is_empty());
        assert!(q.copies.is_empty());
    }
}
