//! Per-customer metrics over the analysis window, exactly as
//! docs/metrics.md#per-customer-metrics defines them (the window itself:
//! docs/metrics.md#the-analysis-period). Pure: ledger totals and master
//! attributes in, figures out.

use crate::drivers::{Drivers, ProductWindow, drivers};
use crate::ledger::{ColumnsSeen, CustomerLedger, ProductSum, days_up_to};
use crate::model::records::Customer;
use crate::model::{Amount, Date, MonthIndex};
use std::sync::Arc;

/// The analysis window and the one before it.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Period {
    pub as_of: Date,
    pub months: u32,
    /// First and last month of the window.
    pub first_month: MonthIndex,
    pub last_month: MonthIndex,
}

impl Period {
    /// The period ending at `as_of`, or, when not given, at the last day of the
    /// month of the latest sale. `None` when there is neither.
    pub fn resolve(as_of: Option<Date>, months: u32, latest_sale: Option<Date>) -> Option<Period> {
        let as_of = as_of.or_else(|| latest_sale.map(|d| Date::last_of_month(d.month_index())))?;
        let last_month = as_of.month_index();
        Some(Period { as_of, months, first_month: last_month - months as i32 + 1, last_month })
    }

    /// The window before this one, as a period of its own: it ends on the
    /// last day of the month before this window starts.
    pub fn preceding(&self) -> Period {
        let last_month = self.first_month - 1;
        Period {
            as_of: Date::last_of_month(last_month),
            months: self.months,
            first_month: last_month - self.months as i32 + 1,
            last_month,
        }
    }

    /// First day of the window.
    pub fn start(&self) -> Date {
        Date::first_of_month(self.first_month)
    }

    /// First and last month of the previous window.
    pub fn previous(&self) -> (MonthIndex, MonthIndex) {
        (self.first_month - self.months as i32, self.first_month - 1)
    }

    /// The months of the window, oldest first.
    pub fn window_months(&self) -> impl Iterator<Item = MonthIndex> {
        self.first_month..=self.last_month
    }
}

/// The figures of one customer. Names match the variables and the
/// `portfolio.csv` columns of docs/metrics.md#per-customer-metrics.
#[derive(Clone, Debug, PartialEq)]
pub struct CustomerMetrics {
    pub revenue: Amount,
    pub cost: Option<Amount>,
    pub margin: Option<Amount>,
    pub margin_pct: Option<f64>,
    pub quantity: Option<Amount>,
    pub orders: u64,
    pub products: Option<u64>,
    pub revenue_prev: Amount,
    pub growth: Option<f64>,
    pub last_purchase: Option<Date>,
    pub days_since_last: Option<i64>,
    pub share_of_wallet: Option<f64>,
    pub active_months: u32,
    pub cv: Option<f64>,
    /// Median number of days between consecutive purchase dates up to `as_of`
    /// (whole history); `None` with fewer than two dates.
    pub median_gap: Option<f64>,
    /// Net revenue of each month of the window, oldest first.
    pub monthly_revenue: Vec<Amount>,
    /// Net revenue of each month of the previous window, oldest first.
    pub monthly_revenue_prev: Vec<Amount>,
    /// Revenue per product category in the window and the previous one,
    /// by category name; empty when the sales have no category column.
    pub categories: Vec<CategoryRevenue>,
    /// Window lines with an empty cost, counted as 0.
    pub lines_without_cost: u64,
    /// The whole purchase history up to `as_of`, for the forecast; `None`
    /// without a purchase day.
    pub history: Option<PurchaseHistory>,
    /// In which windows the customer has lines (the revenue bridge).
    pub bought: Bought,
    /// Why the revenue changed from the previous window, by product; `None`
    /// unless the sales have products and quantities.
    pub drivers: Option<Drivers>,
}

/// Whether a customer has lines in the window, the previous window and
/// any month before that (docs/metrics.md#revenue-bridge).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Bought {
    pub current: bool,
    pub previous: bool,
    pub earlier: bool,
}

/// A customer's purchase days up to `as_of` (docs/metrics.md#forecast).
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct PurchaseHistory {
    pub first: Date,
    pub last: Date,
    /// Days with at least one line.
    pub days: u32,
    /// Of those, the days in the 365 days up to `as_of`.
    pub days_last_year: u32,
    /// Net revenue of every day after the first; `None` when the first
    /// day's revenue is not known (an aggregate whose first day was rejected).
    pub repeat_revenue: Option<Amount>,
}

impl CustomerMetrics {
    /// The share of wallet cannot be true: revenue above the potential
    /// estimate (docs/metrics.md#share_of_wallet-potential-and-potential_stale).
    pub fn share_doubtful(&self) -> bool {
        self.share_of_wallet.is_some_and(|s| s > 1.0)
    }

    /// The margin is overstated: some lines of the window have no cost and
    /// count as 0 (docs/metrics.md#cost-margin-and-margin_pct).
    pub fn margin_doubtful(&self) -> bool {
        self.cost.is_some() && self.lines_without_cost > 0
    }
}

/// A customer's revenue in one product category.
#[derive(Clone, Debug, PartialEq)]
pub struct CategoryRevenue {
    pub category: Arc<str>,
    pub current: Amount,
    pub previous: Amount,
    /// Revenue in each month of the window, oldest first.
    pub monthly: Vec<Amount>,
}

/// Computes the metrics of one customer; `ledger` is `None` for a customer
/// of the master who never bought.
pub fn customer_metrics(
    ledger: Option<&CustomerLedger>,
    master: Option<&Customer>,
    period: &Period,
    columns: ColumnsSeen,
    category_names: &[Arc<str>],
) -> CustomerMetrics {
    let empty = CustomerLedger::default();
    let ledger = ledger.unwrap_or(&empty);
    let month = |m: MonthIndex| ledger.month(m).copied().unwrap_or_default();
    let monthly: Vec<_> = period.window_months().map(month).collect();
    let monthly_revenue: Vec<Amount> = monthly.iter().map(|t| t.revenue).collect();
    let revenue: Amount = monthly_revenue.iter().copied().sum();
    let cost_sum: Amount = monthly.iter().map(|t| t.cost).sum();
    let (prev_first, prev_last) = period.previous();
    let monthly_revenue_prev: Vec<Amount> =
        (prev_first..=prev_last).map(|m| month(m).revenue).collect();
    let revenue_prev: Amount = monthly_revenue_prev.iter().copied().sum();
    let cost = columns.cost.then_some(cost_sum);
    let margin = cost.map(|c| revenue - c);
    let dates = ledger.purchase_dates(period.as_of);
    let last_purchase = dates.last().copied();
    let potential = master.and_then(|c| c.potential).filter(|p| p.is_positive());
    CustomerMetrics {
        revenue,
        cost,
        margin,
        margin_pct: margin.filter(|_| revenue.is_positive()).map(|m| ratio(m, revenue)),
        quantity: columns.quantity.then(|| monthly.iter().map(|t| t.quantity).sum()),
        orders: orders(ledger, period),
        products: columns
            .product
            .then(|| ledger.distinct_products_in(period.first_month, period.last_month)),
        revenue_prev,
        growth: revenue_prev.is_positive().then(|| ratio(revenue, revenue_prev) - 1.0),
        last_purchase,
        days_since_last: last_purchase.map(|d| i64::from(period.as_of - d)),
        share_of_wallet: potential.map(|p| ratio(revenue, p)),
        active_months: monthly_revenue.iter().filter(|r| **r != Amount::ZERO).count() as u32,
        cv: coefficient_of_variation(&monthly_revenue),
        median_gap: median_gap(&dates),
        history: history(ledger, &dates, period.as_of),
        monthly_revenue,
        monthly_revenue_prev,
        categories: category_revenue(ledger, period, category_names),
        lines_without_cost: monthly.iter().map(|t| u64::from(t.lines_without_cost)).sum(),
        bought: Bought {
            current: ledger
                .months
                .iter()
                .any(|t| (period.first_month..=period.last_month).contains(&t.month)),
            previous: ledger.months.iter().any(|t| (prev_first..=prev_last).contains(&t.month)),
            earlier: ledger.months.iter().any(|t| t.month < prev_first),
        },
        drivers: (columns.product && columns.quantity)
            .then(|| product_drivers(ledger, period, revenue_prev, revenue)),
    }
}

/// The drivers of the revenue change, from each product's sums in the two windows.
fn product_drivers(
    ledger: &CustomerLedger,
    period: &Period,
    revenue_prev: Amount,
    revenue: Amount,
) -> Drivers {
    let (prev_first, prev_last) = period.previous();
    let window = |s: &ProductSum| ProductWindow { revenue: s.revenue, quantity: s.quantity };
    let before = ledger.product_sums_in(prev_first, prev_last);
    let now = ledger.product_sums_in(period.first_month, period.last_month);
    // Both sorted by product index: pair them up.
    let (mut i, mut j) = (0, 0);
    let mut pairs = Vec::with_capacity(before.len().max(now.len()));
    while i < before.len() || j < now.len() {
        let (b, n) = (before.get(i), now.get(j));
        match (b, n) {
            (Some(b), Some(n)) if b.product == n.product => {
                pairs.push((Some(window(b)), Some(window(n))));
                (i, j) = (i + 1, j + 1);
            }
            (Some(b), Some(n)) if b.product < n.product => {
                pairs.push((Some(window(b)), None));
                i += 1;
            }
            (Some(b), None) => {
                pairs.push((Some(window(b)), None));
                i += 1;
            }
            (_, Some(n)) => {
                pairs.push((None, Some(window(n))));
                j += 1;
            }
            (None, None) => break,
        }
    }
    drivers(&pairs, revenue_prev, revenue)
}

/// The purchase days up to `as_of` and the revenue after the first.
fn history(ledger: &CustomerLedger, dates: &[Date], as_of: Date) -> Option<PurchaseHistory> {
    let (&first, &last) = (dates.first()?, dates.last()?);
    let cutoff = as_of.month_index();
    // The ledger holds no line after the run's `as_of`; an earlier `as_of`
    // (the previous window's) ends with a month.
    let total: Amount = ledger.months.iter().filter(|t| t.month <= cutoff).map(|t| t.revenue).sum();
    let repeat_revenue = match ledger.first_day {
        Some((day, revenue)) if day == first => Some(total - revenue),
        _ => None,
    };
    let days_last_year = dates.iter().filter(|d| as_of - **d < 365).count() as u32;
    Some(PurchaseHistory { first, last, days: dates.len() as u32, days_last_year, repeat_revenue })
}

/// Revenue per category in the window (per month and in all) and in the
/// previous window, sorted by name.
fn category_revenue(
    ledger: &CustomerLedger,
    period: &Period,
    names: &[Arc<str>],
) -> Vec<CategoryRevenue> {
    let (prev_first, prev_last) = period.previous();
    let months = period.months as usize;
    let mut merged: Vec<CategoryRevenue> = Vec::new();
    fn entry<'a>(
        merged: &'a mut Vec<CategoryRevenue>,
        category: &Arc<str>,
        months: usize,
    ) -> &'a mut CategoryRevenue {
        match merged.iter().position(|e| e.category == *category) {
            Some(i) => &mut merged[i],
            None => {
                merged.push(CategoryRevenue {
                    category: category.clone(),
                    current: Amount::ZERO,
                    previous: Amount::ZERO,
                    monthly: vec![Amount::ZERO; months],
                });
                merged.last_mut().expect("just pushed")
            }
        }
    }
    for (i, month) in period.window_months().enumerate() {
        for (index, revenue) in ledger.category_revenue_in(month, month) {
            let e = entry(&mut merged, &names[index as usize], months);
            e.current += revenue;
            e.monthly[i] += revenue;
        }
    }
    for (index, revenue) in ledger.category_revenue_in(prev_first, prev_last) {
        entry(&mut merged, &names[index as usize], months).previous += revenue;
    }
    merged.sort_by(|a, b| a.category.cmp(&b.category));
    merged
}

/// Distinct invoices in the window, plus one order per distinct date for lines without an invoice id.
fn orders(ledger: &CustomerLedger, period: &Period) -> u64 {
    let invoices = ledger.distinct_invoices_in(period.first_month, period.last_month);
    let dates: u64 = period
        .window_months()
        .filter_map(|m| ledger.month(m).map(|t| (m, t.days_without_invoice)))
        .map(|(m, mask)| {
            let last_day = (m == period.last_month).then(|| period.as_of.day());
            u64::from(days_up_to(mask, m, last_day))
        })
        .sum();
    invoices + dates
}

/// Median of the gaps in days between consecutive dates.
fn median_gap(dates: &[Date]) -> Option<f64> {
    let mut gaps: Vec<i32> = dates.windows(2).map(|w| w[1] - w[0]).collect();
    if gaps.is_empty() {
        return None;
    }
    gaps.sort_unstable();
    let mid = gaps.len() / 2;
    Some(if gaps.len() % 2 == 1 {
        f64::from(gaps[mid])
    } else {
        f64::from(gaps[mid - 1] + gaps[mid]) / 2.0
    })
}

fn ratio(a: Amount, b: Amount) -> f64 {
    a.units() as f64 / b.units() as f64
}

/// Population coefficient of variation of monthly revenue; `None` when the mean is not positive.
pub fn coefficient_of_variation(monthly: &[Amount]) -> Option<f64> {
    let moments = Moments::of(monthly);
    moments.sum.is_positive().then(|| {
        let n = monthly.len() as f64;
        let mean = moments.sum.to_f64() / n;
        let variance = moments.spread() / (n * n) / (crate::model::amount::SCALE as f64).powi(2);
        variance.max(0.0).sqrt() / mean
    })
}

/// Exact sums of monthly revenue, for deciding coefficient-of-variation bounds without rounding.
#[derive(Clone, Copy, Debug)]
pub struct Moments {
    pub n: i128,
    pub sum: Amount,
    /// Σx² in squared units.
    pub sum_sq: i128,
}

impl Moments {
    pub fn of(monthly: &[Amount]) -> Moments {
        let sum = monthly.iter().copied().sum();
        let sum_sq = monthly.iter().map(|a| i128::from(a.units()) * i128::from(a.units())).sum();
        Moments { n: monthly.len() as i128, sum, sum_sq }
    }

    /// `n·Σx² − (Σx)²`, which is `n²` times the population variance.
    pub fn spread(&self) -> f64 {
        let s = i128::from(self.sum.units());
        (self.n * self.sum_sq - s * s) as f64
    }

    /// Whether cv ≤ `bound`, decided exactly: `n·Σx² − S² ≤ b²·S²` (mean > 0).
    pub fn cv_at_most(&self, bound: crate::model::Bound) -> bool {
        let s = i128::from(self.sum.units());
        let spread = self.n * self.sum_sq - s * s;
        let (num, den) = (bound.numerator(), bound.denominator());
        match (spread.checked_mul(den * den), (num * num).checked_mul(s * s)) {
            (Some(lhs), Some(rhs)) => lhs <= rhs,
            // Beyond i128 only for sums of more than 10^15 per month: compare in floating point.
            _ => {
                (spread as f64) * (den as f64).powi(2) <= (num as f64).powi(2) * (s as f64).powi(2)
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::Bound;

    fn amounts(values: &[i64]) -> Vec<Amount> {
        values.iter().map(|v| Amount::from_int(*v)).collect()
    }

    #[test]
    fn period_defaults_to_the_end_of_the_latest_month() {
        let p = Period::resolve(None, 12, Date::parse_iso("2025-06-11")).unwrap();
        assert_eq!(p.as_of.to_string(), "2025-06-30");
        assert_eq!(p.start().to_string(), "2024-07-01");
        let (a, b) = p.previous();
        assert_eq!(
            (Date::first_of_month(a).to_string(), Date::last_of_month(b).to_string()),
            ("2023-07-01".into(), "2024-06-30".into())
        );
        let mid = Period::resolve(Date::parse_iso("2025-06-15"), 3, None).unwrap();
        assert_eq!(mid.start().to_string(), "2025-04-01");
    }

    #[test]
    fn median_gap_of_purchase_dates() {
        let d = |s: &str| Date::parse_iso(s).unwrap();
        assert_eq!(median_gap(&[d("2025-01-01")]), None);
        assert_eq!(median_gap(&[d("2025-01-01"), d("2025-01-11"), d("2025-01-14")]), Some(6.5));
        assert_eq!(
            median_gap(&[d("2025-01-01"), d("2025-01-11"), d("2025-01-14"), d("2025-02-14")]),
            Some(10.0)
        );
    }

    #[test]
    fn cv_bound_is_exact() {
        // Monthly 0 and 2: mean 1, sd 1, cv exactly 1.0.
        let m = Moments::of(&amounts(&[0, 2]));
        assert!(m.cv_at_most(Bound::parse("1.0").unwrap()));
        assert!(!m.cv_at_most(Bound::parse("0.999999").unwrap()));
        assert_eq!(coefficient_of_variation(&amounts(&[0, 2])), Some(1.0));
        assert_eq!(coefficient_of_variation(&amounts(&[0, 0])), None);
        assert_eq!(coefficient_of_variation(&amounts(&[5, -5])), None);
        assert_eq!(coefficient_of_variation(&amounts(&[3, 3, 3])), Some(0.0));
    }
}

/// An additive metric customers can be ranked by (ABC). Values are compared
/// exactly, in amount units or counts.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum RankMetric {
    Revenue,
    Cost,
    Margin,
    Quantity,
    Orders,
    Products,
    RevenuePrev,
    ActiveMonths,
}

impl RankMetric {
    pub const ALL: &'static [RankMetric] = &[
        RankMetric::Revenue,
        RankMetric::Cost,
        RankMetric::Margin,
        RankMetric::Quantity,
        RankMetric::Orders,
        RankMetric::Products,
        RankMetric::RevenuePrev,
        RankMetric::ActiveMonths,
    ];

    pub fn name(self) -> &'static str {
        match self {
            RankMetric::Revenue => "revenue",
            RankMetric::Cost => "cost",
            RankMetric::Margin => "margin",
            RankMetric::Quantity => "quantity",
            RankMetric::Orders => "orders",
            RankMetric::Products => "products",
            RankMetric::RevenuePrev => "revenue_prev",
            RankMetric::ActiveMonths => "active_months",
        }
    }

    pub fn from_name(name: &str) -> Option<RankMetric> {
        Self::ALL.iter().copied().find(|m| m.name() == name)
    }

    /// The customer's value; `None` where the metric is null.
    pub fn value(self, m: &CustomerMetrics) -> Option<i128> {
        let units = |a: Amount| i128::from(a.units());
        match self {
            RankMetric::Revenue => Some(units(m.revenue)),
            RankMetric::Cost => m.cost.map(units),
            RankMetric::Margin => m.margin.map(units),
            RankMetric::Quantity => m.quantity.map(units),
            RankMetric::Orders => Some(i128::from(m.orders)),
            RankMetric::Products => m.products.map(i128::from),
            RankMetric::RevenuePrev => Some(units(m.revenue_prev)),
            RankMetric::ActiveMonths => Some(i128::from(m.active_months)),
        }
    }
}
