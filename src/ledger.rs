//! Per customer × month totals: everything the metrics need, and nothing more,
//! so millions of lines stream through in bounded memory.
//!
//! A ledger is filled line by line (one per reading thread) and ledgers merge
//! exactly: sums add and sets unite, so the result does not depend on how the
//! lines were split between threads or in which order they came.

use crate::ingest::line::SalesLine;
use crate::model::date::days_in_month;
use crate::model::{Amount, Date, MonthIndex};
use rustc_hash::{FxHashMap, FxHashSet};
use std::hash::{Hash, Hasher};

/// Totals of one customer in one month.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct MonthTotals {
    pub revenue: Amount,
    pub cost: Amount,
    pub quantity: Amount,
    pub lines: u32,
    /// Lines with an empty cost in a file that has a cost column (counted as 0).
    pub lines_without_cost: u32,
    /// Bit `d - 1` set when the customer has a line on day `d`.
    pub days: u32,
    /// Like `days`, for lines without an invoice id: they count as one order per date.
    pub days_without_invoice: u32,
}

impl MonthTotals {
    fn merge(&mut self, other: &MonthTotals) {
        self.revenue += other.revenue;
        self.cost += other.cost;
        self.quantity += other.quantity;
        self.lines += other.lines;
        self.lines_without_cost += other.lines_without_cost;
        self.days |= other.days;
        self.days_without_invoice |= other.days_without_invoice;
    }
}

/// A set of (key, month) pairs: which invoices or products a customer had in
/// which months. Keys are 64-bit SipHash digests of the ids (two ids of one
/// customer colliding has a probability near 10⁻¹⁴); months are stored as
/// 64-month bit blocks, so a product bought every month of three years costs
/// one or two entries.
#[derive(Clone, Debug, Default)]
pub struct KeyMonths {
    blocks: FxHashMap<(u64, i32), u64>,
}

impl KeyMonths {
    fn insert(&mut self, key: u64, month: MonthIndex) {
        *self.blocks.entry((key, month.div_euclid(64))).or_default() |=
            1u64 << month.rem_euclid(64);
    }

    fn merge(&mut self, other: &KeyMonths) {
        for (k, bits) in &other.blocks {
            *self.blocks.entry(*k).or_default() |= bits;
        }
    }

    /// Number of distinct keys seen in any month of `first..=last`.
    pub fn distinct_in(&self, first: MonthIndex, last: MonthIndex) -> u64 {
        let mut keys = FxHashSet::default();
        for (&(key, block), &bits) in &self.blocks {
            let base = block * 64;
            let lo = (first - base).clamp(0, 64);
            let hi = (last - base + 1).clamp(0, 64);
            if lo < hi && bits & range_mask(lo as u32, hi as u32) != 0 {
                keys.insert(key);
            }
        }
        keys.len() as u64
    }

    pub fn is_empty(&self) -> bool {
        self.blocks.is_empty()
    }
}

/// Bits `lo..hi` set.
fn range_mask(lo: u32, hi: u32) -> u64 {
    let upper = if hi >= 64 { u64::MAX } else { (1u64 << hi) - 1 };
    upper & !((1u64 << lo) - 1)
}

/// Everything kept about one customer.
#[derive(Clone, Debug, Default)]
pub struct CustomerLedger {
    /// Totals per month, in no particular order (a customer has a few dozen).
    pub months: Vec<(MonthIndex, MonthTotals)>,
    pub invoices: KeyMonths,
    pub products: KeyMonths,
}

impl CustomerLedger {
    fn month_mut(&mut self, month: MonthIndex) -> &mut MonthTotals {
        // Lines mostly arrive in date order, so the month is usually the last one.
        let i = match self.months.iter().rposition(|(m, _)| *m == month) {
            Some(i) => i,
            None => {
                self.months.push((month, MonthTotals::default()));
                self.months.len() - 1
            }
        };
        &mut self.months[i].1
    }

    /// Totals of `month`, if the customer has lines in it.
    pub fn month(&self, month: MonthIndex) -> Option<&MonthTotals> {
        self.months.iter().find(|(m, _)| *m == month).map(|(_, t)| t)
    }

    /// The latest date with a line on or before `as_of`.
    pub fn last_purchase(&self, as_of: Date) -> Option<Date> {
        let cutoff = as_of.month_index();
        self.months
            .iter()
            .filter(|(m, t)| *m <= cutoff && t.days != 0)
            .filter_map(|(m, t)| {
                let mut days = t.days;
                if *m == cutoff {
                    days &= range_mask(0, as_of.day()) as u32;
                }
                (days != 0)
                    .then(|| Date::first_of_month(*m).days() + 31 - days.leading_zeros() as i32)
            })
            .max()
            .map(Date::from_days)
    }

    fn merge(&mut self, other: &CustomerLedger) {
        for (month, totals) in &other.months {
            self.month_mut(*month).merge(totals);
        }
        self.invoices.merge(&other.invoices);
        self.products.merge(&other.products);
    }
}

/// Which optional columns the data had, over all files.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct ColumnsSeen {
    pub cost: bool,
    pub quantity: bool,
    pub product: bool,
    pub invoice: bool,
}

impl ColumnsSeen {
    fn merge(&mut self, other: ColumnsSeen) {
        self.cost |= other.cost;
        self.quantity |= other.quantity;
        self.product |= other.product;
        self.invoice |= other.invoice;
    }
}

/// Per customer × month totals of the accepted sales lines.
#[derive(Clone, Debug, Default)]
pub struct Ledger {
    pub customers: FxHashMap<Box<str>, CustomerLedger>,
    pub columns: ColumnsSeen,
    /// Latest date of any accepted line.
    pub latest: Option<Date>,
}

impl Ledger {
    /// Adds one accepted line of a file that has the given optional columns.
    pub fn add(&mut self, line: &SalesLine<'_>, file_columns: ColumnsSeen) {
        self.columns.merge(file_columns);
        let customer = match self.customers.get_mut(line.customer_id.as_ref()) {
            Some(c) => c,
            None => self.customers.entry(line.customer_id.as_ref().into()).or_default(),
        };
        let month = line.date.month_index();
        let day_bit = 1u32 << (line.date.day() - 1);
        let totals = customer.month_mut(month);
        totals.revenue += line.revenue;
        totals.cost += line.cost.unwrap_or_default();
        totals.quantity += line.quantity.unwrap_or_default();
        totals.lines += 1;
        totals.days |= day_bit;
        if file_columns.cost && line.cost.is_none() {
            totals.lines_without_cost += 1;
        }
        match &line.invoice_id {
            Some(invoice) => customer.invoices.insert(digest(invoice), month),
            None => totals.days_without_invoice |= day_bit,
        }
        if let Some(product) = &line.product_id {
            customer.products.insert(digest(product), month);
        }
        self.latest = self.latest.max(Some(line.date));
    }

    /// Folds another ledger into this one.
    pub fn merge(&mut self, other: Ledger) {
        if self.customers.len() < other.customers.len() {
            let mine = std::mem::replace(self, other);
            return self.merge(mine);
        }
        for (id, customer) in other.customers {
            match self.customers.get_mut(&id) {
                Some(existing) => existing.merge(&customer),
                None => {
                    self.customers.insert(id, customer);
                }
            }
        }
        self.columns.merge(other.columns);
        self.latest = self.latest.max(other.latest);
    }
}

fn digest(id: &str) -> u64 {
    // DefaultHasher::new() is SipHash-1-3 with fixed keys: well distributed, and
    // the digests never leave the process, so their values need not be stable.
    let mut h = std::hash::DefaultHasher::new();
    id.hash(&mut h);
    h.finish()
}

/// Number of days of `month` up to and including `last_day` that have a bit set in `mask`.
pub fn days_up_to(mask: u32, month: MonthIndex, last_day: Option<u32>) -> u32 {
    let (y, m) = crate::model::date::split_month(month);
    let limit = last_day.unwrap_or_else(|| days_in_month(y, m));
    (mask & range_mask(0, limit) as u32).count_ones()
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::borrow::Cow;

    fn line(
        date: &str,
        customer: &'static str,
        revenue: i64,
        invoice: Option<&'static str>,
    ) -> SalesLine<'static> {
        SalesLine {
            date: Date::parse_iso(date).unwrap(),
            customer_id: Cow::Borrowed(customer),
            revenue: Amount::from_int(revenue),
            invoice_id: invoice.map(Cow::Borrowed),
            product_id: Some(Cow::Borrowed("P1")),
            product_category: None,
            quantity: None,
            cost: None,
        }
    }

    #[test]
    fn merging_equals_adding_everything_to_one() {
        let lines = [
            line("2025-01-03", "A", 10, Some("I1")),
            line("2025-01-03", "A", 5, Some("I1")),
            line("2025-02-28", "A", -5, Some("I2")),
            line("2025-02-10", "B", 7, None),
        ];
        let mut one = Ledger::default();
        lines.iter().for_each(|l| one.add(l, ColumnsSeen::default()));
        let (mut left, mut right) = (Ledger::default(), Ledger::default());
        lines[..2].iter().for_each(|l| left.add(l, ColumnsSeen::default()));
        lines[2..].iter().for_each(|l| right.add(l, ColumnsSeen::default()));
        left.merge(right);
        for ledger in [&one, &left] {
            let a = &ledger.customers["A"];
            let jan = Date::parse_iso("2025-01-01").unwrap().month_index();
            assert_eq!(a.month(jan).unwrap().revenue, Amount::from_int(15));
            assert_eq!(a.invoices.distinct_in(jan, jan + 1), 2);
            assert_eq!(a.invoices.distinct_in(jan + 1, jan + 1), 1);
            assert_eq!(a.products.distinct_in(jan, jan + 1), 1);
            assert_eq!(
                a.last_purchase(Date::parse_iso("2025-02-27").unwrap()).unwrap().to_string(),
                "2025-01-03"
            );
            assert_eq!(
                a.last_purchase(Date::parse_iso("2025-03-31").unwrap()).unwrap().to_string(),
                "2025-02-28"
            );
            assert_eq!(ledger.latest.unwrap().to_string(), "2025-02-28");
        }
    }

    #[test]
    fn key_months_span_blocks() {
        let mut k = KeyMonths::default();
        k.insert(1, 63);
        k.insert(1, 64);
        k.insert(2, 200);
        assert_eq!(k.distinct_in(60, 70), 1);
        assert_eq!(k.distinct_in(64, 200), 2);
        assert_eq!(k.distinct_in(65, 199), 0);
    }
}
