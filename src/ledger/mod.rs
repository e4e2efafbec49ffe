//! Per customer × month totals: everything the metrics need, and nothing more,
//! so millions of lines stream through in bounded memory.
//!
//! A ledger is filled line by line (one per reading thread) and ledgers merge
//! exactly: sums add and sets unite, so the result does not depend on how the
//! lines were split between threads or in which order they came.

mod runs;
mod starts;

use crate::model::date::days_in_month;
use crate::model::records::SalesLine;
use crate::model::{Amount, Date, MonthIndex};
use compact_str::CompactString;
pub use runs::ProductSum;
use runs::Runs;
use rustc_hash::FxHashMap;
pub use starts::Starts;
use std::hash::{Hash, Hasher};
use std::sync::Arc;

/// Totals of one customer in one month (40 bytes: there are customers × months of them).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct MonthTotals {
    pub month: MonthIndex,
    pub revenue: Amount,
    pub cost: Amount,
    pub quantity: Amount,
    /// Lines without a cost, empty or from a file without a cost column (counted as 0).
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
        self.lines_without_cost += other.lines_without_cost;
        self.days |= other.days;
        self.days_without_invoice |= other.days_without_invoice;
    }
}

/// The invoices of a customer as (digest of the id, month) pairs. Digests
/// are 64-bit hashes (two invoice ids of one customer colliding has a
/// probability near 10⁻¹⁴). Lines of one invoice usually come together, so a
/// pair is stored only when it differs from the last one, and the pairs are
/// sorted and deduplicated whenever they have doubled. Digests and months
/// sit in two arrays (10 bytes a pair instead of 16 with padding): there is
/// one pair per invoice of the whole history.
#[derive(Clone, Debug, Default)]
pub struct InvoiceMonths {
    digests: Vec<u64>,
    months: Vec<u16>,
    compacted: usize,
}

impl InvoiceMonths {
    fn insert(&mut self, digest: u64, month: MonthIndex) {
        let month = month_u16(month);
        if self.digests.last() == Some(&digest) && self.months.last() == Some(&month) {
            return;
        }
        grow_gently(&mut self.digests);
        grow_gently(&mut self.months);
        self.digests.push(digest);
        self.months.push(month);
        if self.digests.len() >= 64 && self.digests.len() >= 2 * self.compacted {
            self.compact();
        }
    }

    fn compact(&mut self) {
        let mut pairs: Vec<(u64, u16)> =
            self.digests.iter().copied().zip(self.months.iter().copied()).collect();
        pairs.sort_unstable();
        pairs.dedup();
        self.digests.clear();
        self.months.clear();
        self.digests.extend(pairs.iter().map(|p| p.0));
        self.months.extend(pairs.iter().map(|p| p.1));
        self.compacted = self.digests.len();
    }

    fn merge(&mut self, other: &InvoiceMonths) {
        self.digests.extend_from_slice(&other.digests);
        self.months.extend_from_slice(&other.months);
        self.compact();
    }

    /// Number of distinct invoices with a line in any month of `first..=last`.
    pub fn distinct_in(&self, first: MonthIndex, last: MonthIndex) -> u64 {
        let range = month_u16(first)..=month_u16(last);
        let mut digests: Vec<u64> = self
            .digests
            .iter()
            .zip(&self.months)
            .filter(|(_, m)| range.contains(m))
            .map(|(d, _)| *d)
            .collect();
        digests.sort_unstable();
        digests.dedup();
        digests.len() as u64
    }
}

/// A month index as 16 bits: months since year 0 fit until the year 5461.
fn month_u16(month: MonthIndex) -> u16 {
    month.clamp(0, i32::from(u16::MAX)) as u16
}

/// Grows a vector by half instead of doubling when full: these lists live
/// for the whole run, one per customer, so slack adds up.
pub(crate) fn grow_gently<T>(v: &mut Vec<T>) {
    if v.len() == v.capacity() {
        v.reserve_exact(v.len() / 2 + 4);
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
    /// Totals per month, in the order the months first had a line (a
    /// customer has a few dozen); a month's index here is its slot.
    pub months: Vec<MonthTotals>,
    /// The products bought in each month slot, with their revenue and
    /// quantity (the revenue bridge's price, volume and mix).
    products: Runs<ProductSum>,
    /// Revenue per product category in each month slot (indices into the
    /// ledger's category names).
    categories: Runs<(u32, Amount)>,
    pub invoices: InvoiceMonths,
    /// Invoices as an aggregate carries them (see `Starts`); a customer
    /// read from lines has none.
    invoice_starts: Starts,
    /// The customer's first day with a line and its revenue that day: the
    /// spend model leaves the first purchase out (docs/metrics.md#forecast).
    pub first_day: Option<(Date, Amount)>,
    /// Sums of the absolute revenue, cost and quantity of every line. While
    /// each stays within i64, no sum of any of the customer's lines can
    /// overflow; beyond it the customer's figures cannot be kept exact.
    magnitude: [u128; 3],
}

impl CustomerLedger {
    /// Whether the customer's amounts add up beyond the exact range: its
    /// revenue and cost together (so a margin, their difference, fits too),
    /// or its quantities.
    pub fn overflowed(&self) -> bool {
        self.money_magnitude() > i64::MAX as u128 || self.magnitude[2] > i64::MAX as u128
    }

    /// Sum of the absolute revenue and cost of every line: a bound on any
    /// sum or difference of the customer's money figures.
    pub fn money_magnitude(&self) -> u128 {
        self.magnitude[0] + self.magnitude[1]
    }
}

impl CustomerLedger {
    /// Index of the month in `months`, added if new.
    fn month_slot(&mut self, month: MonthIndex) -> usize {
        // Lines mostly arrive in date order, so the month is usually the last one.
        match self.months.iter().rposition(|t| t.month == month) {
            Some(i) => i,
            None => {
                grow_gently(&mut self.months);
                self.months.push(MonthTotals { month, ..MonthTotals::default() });
                self.products.open();
                self.categories.open();
                self.months.len() - 1
            }
        }
    }

    /// Whether month slot `slot` lies in `first..=last`.
    fn slot_in(&self, first: MonthIndex, last: MonthIndex) -> impl Fn(usize) -> bool + '_ {
        move |slot| (first..=last).contains(&self.months[slot].month)
    }

    /// Revenue per category index over the months `first..=last`, by index.
    pub fn category_revenue_in(&self, first: MonthIndex, last: MonthIndex) -> Vec<(u32, Amount)> {
        self.categories.folded(self.slot_in(first, last))
    }

    /// Number of distinct products bought in any month of `first..=last`.
    pub fn distinct_products_in(&self, first: MonthIndex, last: MonthIndex) -> u64 {
        self.products.folded(self.slot_in(first, last)).len() as u64
    }

    /// Revenue and quantity per product over the months `first..=last`,
    /// sorted by product index.
    pub fn product_sums_in(&self, first: MonthIndex, last: MonthIndex) -> Vec<ProductSum> {
        self.products.folded(self.slot_in(first, last))
    }

    /// Number of distinct invoices with a line in any month of `first..=last`.
    pub fn distinct_invoices_in(&self, first: MonthIndex, last: MonthIndex) -> u64 {
        let (a, b) = (month_u16(first), month_u16(last));
        self.invoices.distinct_in(first, last) + self.invoice_starts.distinct_in(a, b)
    }

    /// Counts a day's revenue towards the first day if it is not later.
    fn note_day(&mut self, date: Date, revenue: Amount) {
        match &mut self.first_day {
            Some((first, _)) if *first < date => {}
            Some((first, sum)) if *first == date => *sum += revenue,
            first => *first = Some((date, revenue)),
        }
    }

    /// Gives back the room the lists kept to grow.
    fn shrink_to_fit(&mut self) {
        self.months.shrink_to_fit();
        self.products.shrink_to_fit();
        self.categories.shrink_to_fit();
        self.invoices.digests.shrink_to_fit();
        self.invoices.months.shrink_to_fit();
        self.invoice_starts.compact();
    }

    /// Renumbers products and categories from another ledger's indices to ours.
    fn translate(&mut self, products: &[u32], categories: &[u32]) {
        self.products.translate(products);
        self.categories.translate(categories);
    }

    /// Totals of `month`, if the customer has lines in it.
    pub fn month(&self, month: MonthIndex) -> Option<&MonthTotals> {
        self.months.iter().find(|t| t.month == month)
    }

    /// Every date with a line, on or before `as_of`, oldest first.
    pub fn purchase_dates(&self, as_of: Date) -> Vec<Date> {
        let cutoff = as_of.month_index();
        let mut months: Vec<&MonthTotals> =
            self.months.iter().filter(|t| t.month <= cutoff).collect();
        months.sort_unstable_by_key(|t| t.month);
        let mut dates = Vec::new();
        for t in months {
            let first = Date::first_of_month(t.month).days();
            let mut days = t.days;
            while days != 0 {
                let bit = days.trailing_zeros();
                days &= days - 1;
                let date = Date::from_days(first + bit as i32);
                if date <= as_of {
                    dates.push(date);
                }
            }
        }
        dates
    }
}

/// One customer's lines of one month, summed (`Ledger::add_month`).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct MonthAdd {
    /// The month's totals, as a reading of its lines makes them.
    pub totals: MonthTotals,
    /// Sums of the lines' absolute revenue, cost and quantity (see `CustomerLedger::overflowed`).
    pub magnitude: [u128; 3],
    /// The month's last day with a line.
    pub last: Date,
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
    /// Ids up to 24 bytes are stored inline, so a lookup compares keys without another memory access.
    ids: FxHashMap<CompactString, u32>,
    customers: Vec<(CompactString, CustomerLedger)>,
    products: FxHashMap<Box<str>, u32>,
    /// The category index last seen with each product: a product keeps its
    /// category, so the category's name is compared, not looked up, per line.
    product_categories: Vec<Option<u32>>,
    categories: FxHashMap<Box<str>, u32>,
    /// Category names by index.
    category_names: Vec<Arc<str>>,
    /// Index of the customer of the previous line: consecutive lines mostly share it.
    last_customer: Option<u32>,
    /// The invoice id of the previous line and its digest: the lines of an
    /// invoice come together, so it is hashed once per invoice.
    last_invoice: (String, u64),
    pub columns: ColumnsSeen,
    /// Latest date of any accepted line.
    pub latest: Option<Date>,
}

impl Ledger {
    /// Adds one accepted line of a file that has the given optional columns.
    pub fn add(&mut self, line: &SalesLine<'_>, file_columns: ColumnsSeen) {
        self.columns.merge(file_columns);
        let product = line.product_id.as_deref().map(|p| self.product_index(p));
        let category = line.product_category.as_deref().map(|c| self.category_of(product, c));
        let invoice = line.invoice_id.as_deref().map(|i| self.invoice_digest(i));
        let index = self.customer_index(&line.customer_id);
        let customer = &mut self.customers[index as usize].1;
        let (y, m, d) = line.date.ymd();
        let month = y * 12 + m as i32 - 1;
        let day_bit = 1u32 << (d - 1);
        let slot = customer.month_slot(month);
        if let Some(product) = product {
            let quantity = line.quantity.unwrap_or_default();
            customer.products.add(slot, ProductSum { product, revenue: line.revenue, quantity });
        }
        if let Some(category) = category {
            customer.categories.add(slot, (category, line.revenue));
        }
        let amounts =
            [line.revenue, line.cost.unwrap_or_default(), line.quantity.unwrap_or_default()];
        for (m, a) in customer.magnitude.iter_mut().zip(amounts) {
            *m += u128::from(a.units().unsigned_abs());
        }
        let totals = &mut customer.months[slot];
        totals.revenue += line.revenue;
        totals.cost += line.cost.unwrap_or_default();
        totals.quantity += line.quantity.unwrap_or_default();
        // (No overflow here while the customer's magnitude is within range; past it the run stops.)
        totals.days |= day_bit;
        if line.cost.is_none() {
            totals.lines_without_cost += 1;
        }
        match invoice {
            Some(digest) => customer.invoices.insert(digest, month),
            None => totals.days_without_invoice |= day_bit,
        }
        customer.note_day(line.date, line.revenue);
        self.latest = self.latest.max(Some(line.date));
    }

    /// Adds one customer's totals of one month, as an aggregate carries
    /// them: the same as adding each of the month's lines.
    pub fn add_month(&mut self, customer: &str, add: &MonthAdd) {
        let index = self.customer_index(customer);
        let customer = &mut self.customers[index as usize].1;
        let slot = customer.month_slot(add.totals.month);
        for (m, a) in customer.magnitude.iter_mut().zip(add.magnitude) {
            *m = m.saturating_add(a);
        }
        customer.months[slot].merge(&add.totals);
        self.latest = self.latest.max(Some(add.last));
    }

    /// Adds one customer's revenue and quantity of one product in one month.
    pub fn add_product(
        &mut self,
        customer: &str,
        month: MonthIndex,
        name: &str,
        revenue: Amount,
        quantity: Amount,
    ) {
        let product = self.product_index(name);
        let index = self.customer_index(customer);
        let customer = &mut self.customers[index as usize].1;
        let slot = customer.month_slot(month);
        customer.products.add(slot, ProductSum { product, revenue, quantity });
    }

    /// Product names, by the index `product_sums_in` gives.
    pub fn product_names(&self) -> Vec<&str> {
        let mut names: Vec<(&str, u32)> = self.products.iter().map(|(n, i)| (&**n, *i)).collect();
        names.sort_unstable_by_key(|(_, i)| *i);
        names.into_iter().map(|(n, _)| n).collect()
    }

    /// Adds one customer's revenue in one product category in one month.
    pub fn add_category(&mut self, customer: &str, month: MonthIndex, name: &str, revenue: Amount) {
        let category = self.category_index(name);
        let index = self.customer_index(customer);
        let customer = &mut self.customers[index as usize].1;
        let slot = customer.month_slot(month);
        customer.categories.add(slot, (category, revenue));
    }

    /// Counts revenue on a customer's day towards its first day, as an
    /// aggregate carries it (a `first` row); a customer with no month yet is
    /// not created.
    pub fn add_first_day(&mut self, customer: &str, date: Date, revenue: Amount) {
        if let Some(&index) = self.ids.get(customer) {
            self.customers[index as usize].1.note_day(date, revenue);
        }
    }

    /// Adds `n` starts of invoices (see `Starts`).
    pub fn add_invoice_starts(
        &mut self,
        customer: &str,
        month: MonthIndex,
        prev: Option<MonthIndex>,
        n: u32,
    ) {
        let index = self.customer_index(customer);
        let customer = &mut self.customers[index as usize].1;
        customer.invoice_starts.add(month_u16(month), prev.map(month_u16), n);
    }

    /// The first customer and month (by id, then month) that has category
    /// or product revenue, or invoices, but no date with a line: an aggregate
    /// whose parts do not belong together.
    pub fn month_without_days(&self) -> Option<(&str, MonthIndex)> {
        let mut found: Vec<(&str, MonthIndex)> = Vec::new();
        for (id, customer) in &self.customers {
            if let Some(t) = customer.months.iter().filter(|t| t.days == 0).min_by_key(|t| t.month)
            {
                found.push((id, t.month));
            }
            let months_with_days =
                |m: u16| customer.months.iter().any(|t| month_u16(t.month) == m && t.days != 0);
            if let Some(m) = customer.invoice_starts.months().find(|&m| !months_with_days(m)) {
                found.push((id, i32::from(m)));
            }
        }
        found.into_iter().min()
    }

    fn customer_index(&mut self, id: &str) -> u32 {
        if let Some(last) = self.last_customer
            && *self.customers[last as usize].0 == *id
        {
            return last;
        }
        let index = match self.ids.get(id) {
            Some(&i) => i,
            None => {
                let i = self.customers.len() as u32;
                self.ids.insert(id.into(), i);
                self.customers.push((id.into(), CustomerLedger::default()));
                i
            }
        };
        self.last_customer = Some(index);
        index
    }

    fn product_index(&mut self, id: &str) -> u32 {
        if let Some(&i) = self.products.get(id) {
            return i;
        }
        let i = self.products.len() as u32;
        self.products.insert(id.into(), i);
        i
    }

    /// The index of a line's category, compared first with the one its product had.
    fn category_of(&mut self, product: Option<u32>, name: &str) -> u32 {
        let Some(product) = product else { return self.category_index(name) };
        let known = self.product_categories.get(product as usize).copied().flatten();
        if let Some(index) = known
            && *self.category_names[index as usize] == *name
        {
            return index;
        }
        let index = self.category_index(name);
        let slot = product as usize;
        if self.product_categories.len() <= slot {
            self.product_categories.resize(slot + 1, None);
        }
        self.product_categories[slot] = Some(index);
        index
    }

    fn invoice_digest(&mut self, id: &str) -> u64 {
        let (last, digest) = &mut self.last_invoice;
        if last != id || last.is_empty() {
            last.clear();
            last.push_str(id);
            *digest = self::digest(id);
        }
        *digest
    }

    fn category_index(&mut self, name: &str) -> u32 {
        if let Some(&i) = self.categories.get(name) {
            return i;
        }
        let i = self.category_names.len() as u32;
        self.categories.insert(name.into(), i);
        self.category_names.push(name.into());
        i
    }

    /// Product category names, by the index `category_revenue_in` gives.
    pub fn category_names(&self) -> &[Arc<str>] {
        &self.category_names
    }

    /// The customer's ledger, if it has lines.
    pub fn customer(&self, id: &str) -> Option<&CustomerLedger> {
        self.ids.get(id).map(|&i| &self.customers[i as usize].1)
    }

    /// The first customer (by id) whose amounts add up beyond the exact range.
    pub fn overflowing_customer(&self) -> Option<&str> {
        self.customers.iter().filter(|(_, c)| c.overflowed()).map(|(id, _)| id.as_str()).min()
    }

    /// Sum of every customer's `money_magnitude`: while it stays within
    /// i64, no total of the portfolio (revenue, cost, margin) can overflow.
    pub fn money_magnitude(&self) -> u128 {
        self.customers.iter().map(|(_, c)| c.money_magnitude()).sum()
    }

    /// How many customers bought in each month that has sales.
    pub fn customers_per_month(&self) -> std::collections::BTreeMap<MonthIndex, u64> {
        let mut months = std::collections::BTreeMap::new();
        for (_, customer) in &self.customers {
            for totals in &customer.months {
                *months.entry(totals.month).or_insert(0) += 1;
            }
        }
        months
    }

    /// Ids of the customers with lines, in no particular order.
    pub fn customer_ids(&self) -> impl Iterator<Item = &str> {
        self.customers.iter().map(|(id, _)| &**id)
    }

    /// Gives back the room the customers' lists kept to grow, once every
    /// line is in, for the classification to use.
    pub fn shrink_to_fit(&mut self) {
        self.customers.iter_mut().for_each(|(_, customer)| customer.shrink_to_fit());
    }

    /// Folds another ledger into this one.
    pub fn merge(&mut self, other: Ledger) {
        // Product indices are per ledger: translate the other's into ours.
        let translate: Vec<u32> =
            other.product_names().into_iter().map(|name| self.product_index(name)).collect();
        let categories: Vec<u32> =
            other.category_names.iter().map(|name| self.category_index(name)).collect();
        for (id, mut theirs) in other.customers {
            theirs.translate(&translate, &categories);
            let index = self.customer_index(&id);
            let ours = &mut self.customers[index as usize].1;
            if ours.months.is_empty() {
                // A customer this ledger has not seen (the workers' customers are disjoint): moved whole.
                *ours = theirs;
                continue;
            }
            for (their_slot, totals) in theirs.months.iter().enumerate() {
                let slot = ours.month_slot(totals.month);
                ours.months[slot].merge(totals);
                for product in theirs.products.entries(|s| s == their_slot) {
                    ours.products.add(slot, product);
                }
                for sum in theirs.categories.entries(|s| s == their_slot) {
                    ours.categories.add(slot, sum);
                }
            }
            if let Some((date, revenue)) = theirs.first_day {
                ours.note_day(date, revenue);
            }
            ours.invoices.merge(&theirs.invoices);
            ours.invoice_starts.merge(&theirs.invoice_starts);
            for (m, t) in ours.magnitude.iter_mut().zip(theirs.magnitude) {
                *m += t;
            }
        }
        self.columns.merge(other.columns);
        self.latest = self.latest.max(other.latest);
    }
}

/// A 64-bit digest of an id (rustc-hash's string hash: fast and well mixed;
/// digests never leave the process, so their values need not be stable).
fn digest(id: &str) -> u64 {
    let mut h = rustc_hash::FxHasher::default();
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
        let none = ColumnsSeen::default();
        let mut one = Ledger::default();
        lines.iter().for_each(|l| one.add(l, none));
        let (mut left, mut right) = (Ledger::default(), Ledger::default());
        lines[..2].iter().for_each(|l| left.add(l, none));
        lines[2..].iter().for_each(|l| right.add(l, none));
        left.merge(right);
        // The first day's two lines split between the ledgers, the later one first.
        let (mut late, mut early) = (Ledger::default(), Ledger::default());
        lines[1..].iter().for_each(|l| late.add(l, none));
        early.add(&lines[0], none);
        late.merge(early);
        for ledger in [&one, &left, &late] {
            let a = ledger.customer("A").unwrap();
            let first = a.first_day.unwrap();
            assert_eq!((first.0.to_string(), first.1), ("2025-01-03".into(), Amount::from_int(15)));
            let jan = Date::parse_iso("2025-01-01").unwrap().month_index();
            assert_eq!(a.month(jan).unwrap().revenue, Amount::from_int(15));
            assert_eq!(a.invoices.distinct_in(jan, jan + 1), 2);
            assert_eq!(a.invoices.distinct_in(jan + 1, jan + 1), 1);
            assert_eq!(a.distinct_products_in(jan, jan + 1), 1);
            assert_eq!(
                a.purchase_dates(Date::parse_iso("2025-02-27").unwrap())
                    .last()
                    .unwrap()
                    .to_string(),
                "2025-01-03"
            );
            assert_eq!(
                a.purchase_dates(Date::parse_iso("2025-03-31").unwrap())
                    .last()
                    .unwrap()
                    .to_string(),
                "2025-02-28"
            );
            assert_eq!(ledger.latest.unwrap().to_string(), "2025-02-28");
        }
    }

    #[test]
    fn lines_in_any_order_give_the_same_products_and_category_revenue() {
        // 3 months × 40 products in 5 categories, bought twice each: in date
        // order, and with the months interleaved (a file sorted by product).
        let mut lines = Vec::new();
        for round in 0..2 {
            for month in 1..=3 {
                for p in 0..40 {
                    let date = format!("2025-0{month}-1{round}");
                    lines.push((date, format!("P{p}"), format!("K{}", p % 5), p + month));
                }
            }
        }
        let add = |order: &[usize]| {
            let mut ledger = Ledger::default();
            for &i in order {
                let (date, product, category, revenue) = &lines[i];
                let line = SalesLine {
                    product_id: Some(Cow::Borrowed(product.as_str())),
                    product_category: Some(Cow::Borrowed(category.as_str())),
                    revenue: Amount::from_int(*revenue as i64),
                    ..line(date, "A", 0, Some("I1"))
                };
                ledger.add(&line, ColumnsSeen::default());
            }
            ledger
        };
        let in_order: Vec<usize> = (0..lines.len()).collect();
        let mut by_product = in_order.clone();
        by_product.sort_by_key(|&i| (&lines[i].1, i % 120 / 40));
        let (a, b) = (add(&in_order), add(&by_product));
        let names = |l: &Ledger| l.category_names().to_vec();
        for (first, last) in [(1, 1), (2, 3), (1, 3)] {
            let month = |m: u32| Date::parse_iso(&format!("2025-0{m}-01")).unwrap().month_index();
            let (ca, cb) = (a.customer("A").unwrap(), b.customer("A").unwrap());
            assert_eq!(ca.distinct_products_in(month(first), month(last)), 40);
            assert_eq!(cb.distinct_products_in(month(first), month(last)), 40);
            let by_name = |l: &Ledger, c: &CustomerLedger| {
                let mut sums: Vec<(Arc<str>, Amount)> = c
                    .category_revenue_in(month(first), month(last))
                    .into_iter()
                    .map(|(i, r)| (names(l)[i as usize].clone(), r))
                    .collect();
                sums.sort();
                sums
            };
            assert_eq!(by_name(&a, ca), by_name(&b, cb));
            assert_eq!(by_name(&a, ca).len(), 5);
        }
    }

    #[test]
    fn invoices_are_counted_once_however_they_arrive() {
        let mut inv = InvoiceMonths::default();
        for i in 0..500u64 {
            inv.insert(i % 100, 10);
            inv.insert(i % 7, 11);
        }
        assert_eq!(inv.distinct_in(10, 10), 100);
        assert_eq!(inv.distinct_in(11, 11), 7);
        assert_eq!(inv.distinct_in(10, 11), 100);
        assert_eq!(inv.distinct_in(12, 20), 0);
        assert!(inv.digests.len() <= 2 * 107 + 64, "compaction keeps the list short");
    }
}
