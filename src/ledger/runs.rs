//! Per-month lists of one customer (its products, its revenue per
//! category) kept one after another in a single vector.
//!
//! A list per month would cost an allocation and a vector header for each
//! of a portfolio's customer-months, more than the entries themselves.
//! Lines mostly arrive in date order, so the entries of the month being read
//! are appended at the end; an entry for an earlier month (a file not in
//! date order) is kept apart, in `late`.

use crate::model::Amount;

/// An entry of a run: a key (product or category index), and what two
/// entries of the same key make together.
pub trait Entry: Copy {
    fn key(&self) -> u32;
    /// Folds `other`, an entry of the same key, into this one.
    fn absorb(&mut self, other: Self);
    fn with_key(self, key: u32) -> Self;
}

/// A product index: two entries of one product are one.
impl Entry for u32 {
    fn key(&self) -> u32 {
        *self
    }
    fn absorb(&mut self, _: Self) {}
    fn with_key(self, key: u32) -> Self {
        key
    }
}

/// A product's revenue and quantity in one month: those of one product add up.
/// Packed to 4-byte alignment, 20 bytes instead of 24: a ledger keeps one
/// per customer, month and product, nearly one per line in some data.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
#[repr(C, packed(4))]
pub struct ProductSum {
    /// Index into the ledger's product names.
    pub product: u32,
    pub revenue: Amount,
    /// Missing quantities count 0.
    pub quantity: Amount,
}

impl Entry for ProductSum {
    fn key(&self) -> u32 {
        self.product
    }
    fn absorb(&mut self, other: Self) {
        // Whole-field reads and writes: a packed field cannot be borrowed.
        self.revenue = { self.revenue } + other.revenue;
        self.quantity = { self.quantity } + other.quantity;
    }
    fn with_key(self, key: u32) -> Self {
        ProductSum { product: key, ..self }
    }
}

/// A category index and revenue: revenues of one category add up.
impl Entry for (u32, Amount) {
    fn key(&self) -> u32 {
        self.0
    }
    fn absorb(&mut self, other: Self) {
        self.1 += other.1;
    }
    fn with_key(self, key: u32) -> Self {
        (key, self.1)
    }
}

/// Runs of entries, one per month slot of a customer (slots are numbered
/// in the order the months first had a line). Slot `i`'s run goes from
/// `starts[i]` to the next start (the last one to the end); only the last
/// run grows. A key appears once per run and slot in `late` — looked for
/// while a run is short, and past that merged by sorting whenever the run
/// has doubled, so a month with thousands of products costs a logarithmic
/// time per line — except in the run still growing, where repeats may wait
/// for the next sorting; readers fold them.
#[derive(Clone, Debug, Default)]
pub struct Runs<T> {
    starts: Vec<u32>,
    items: Vec<T>,
    /// Length of the last run when it was last sorted.
    sorted: u32,
    /// Entries of earlier slots than the last, as (slot, entry).
    late: Vec<(u32, T)>,
    late_sorted: u32,
}

/// Runs up to this length are kept without repeats by looking through them.
const SHORT: usize = 16;

impl<T: Entry> Runs<T> {
    /// Starts the run of a new slot, the last one from now on.
    pub fn open(&mut self) {
        self.sort_last();
        super::grow_gently(&mut self.starts);
        self.starts.push(self.items.len() as u32);
        self.sorted = 0;
    }

    /// Adds an entry to the run of `slot`.
    pub fn add(&mut self, slot: usize, entry: T) {
        if slot + 1 == self.starts.len() {
            self.add_last(entry);
        } else {
            self.add_late(slot as u32, entry);
        }
    }

    fn add_last(&mut self, entry: T) {
        let start = self.starts.last().map_or(0, |s| *s as usize);
        let run = &mut self.items[start..];
        let look = run.len() <= SHORT || run.last().is_some_and(|e| e.key() == entry.key());
        if look && let Some(found) = run.iter_mut().rev().find(|e| e.key() == entry.key()) {
            found.absorb(entry);
            return;
        }
        super::grow_gently(&mut self.items);
        self.items.push(entry);
        if self.items.len() - start > SHORT && self.items.len() - start >= 2 * self.sorted as usize
        {
            self.sort_last();
        }
    }

    /// Sorts the last run and folds its repeats.
    fn sort_last(&mut self) {
        let start = self.starts.last().map_or(0, |s| *s as usize);
        if self.items.len() - start > SHORT {
            let kept = fold(&mut self.items[start..], |e| e.key(), |a, b| a.absorb(b));
            self.items.truncate(start + kept);
        }
        self.sorted = (self.items.len() - start) as u32;
    }

    fn add_late(&mut self, slot: u32, entry: T) {
        if let Some((s, last)) = self.late.last_mut()
            && *s == slot
            && last.key() == entry.key()
        {
            last.absorb(entry);
            return;
        }
        super::grow_gently(&mut self.late);
        self.late.push((slot, entry));
        if self.late.len() >= 64 && self.late.len() >= 2 * self.late_sorted as usize {
            let kept = fold(&mut self.late, |(s, e)| (*s, e.key()), |a, b| a.1.absorb(b.1));
            self.late.truncate(kept);
            self.late_sorted = kept as u32;
        }
    }

    /// The entries of the slots `wanted` says yes to, with their keys
    /// possibly repeated (callers fold them).
    pub fn entries(&self, wanted: impl Fn(usize) -> bool) -> Vec<T> {
        let ends = self.starts.iter().skip(1).copied().chain([self.items.len() as u32]);
        let mut entries: Vec<T> = Vec::new();
        for (slot, (&start, end)) in self.starts.iter().zip(ends).enumerate() {
            if wanted(slot) {
                entries.extend_from_slice(&self.items[start as usize..end as usize]);
            }
        }
        entries
            .extend(self.late.iter().filter(|(slot, _)| wanted(*slot as usize)).map(|(_, e)| *e));
        entries
    }

    /// The entries of the slots `wanted` says yes to, one per key, sorted by key.
    pub fn folded(&self, wanted: impl Fn(usize) -> bool) -> Vec<T> {
        let mut entries = self.entries(wanted);
        let kept = fold(&mut entries, |e| e.key(), |a, b| a.absorb(b));
        entries.truncate(kept);
        entries
    }

    pub fn shrink_to_fit(&mut self) {
        self.starts.shrink_to_fit();
        self.items.shrink_to_fit();
        self.late.shrink_to_fit();
    }

    /// Renumbers the keys: another ledger's indices into this one's.
    pub fn translate(&mut self, keys: &[u32]) {
        for entry in self.items.iter_mut().chain(self.late.iter_mut().map(|(_, e)| e)) {
            *entry = entry.with_key(keys[entry.key() as usize]);
        }
    }
}

/// Sorts `entries` by `key` and folds those of one key into the first of
/// them, in place; returns how many are kept (the first ones).
fn fold<T: Copy, K: Ord>(
    entries: &mut [T],
    key: impl Fn(&T) -> K,
    absorb: impl Fn(&mut T, T),
) -> usize {
    entries.sort_unstable_by_key(&key);
    let mut kept = 0;
    for i in 0..entries.len() {
        let entry = entries[i];
        if kept > 0 && key(&entries[kept - 1]) == key(&entry) {
            absorb(&mut entries[kept - 1], entry);
        } else {
            entries[kept] = entry;
            kept += 1;
        }
    }
    kept
}

#[cfg(test)]
mod tests {
    use super::*;

    fn products_of(runs: &Runs<u32>, slot: usize) -> Vec<u32> {
        runs.folded(|s| s == slot)
    }

    #[test]
    fn runs_keep_each_slot_apart_in_any_arrival_order() {
        let mut runs = Runs::<u32>::default();
        runs.open();
        for p in (0..200).rev() {
            runs.add(0, p % 50);
        }
        runs.open();
        runs.add(1, 7);
        runs.add(0, 999); // a late line of the first month
        runs.add(1, 7);
        assert_eq!(products_of(&runs, 0).len(), 51);
        assert!(products_of(&runs, 0).contains(&999));
        assert_eq!(products_of(&runs, 1), [7]);
        assert!(runs.items.len() <= 2 * 51 + 1, "the first run was sorted and folded");
    }

    #[test]
    fn category_revenue_adds_up_however_lines_arrive() {
        let mut runs = Runs::<(u32, Amount)>::default();
        runs.open();
        runs.open();
        for i in 0..300u32 {
            runs.add((i % 2) as usize, (i % 40, Amount::from_int(1)));
        }
        for slot in 0..2 {
            let sums = runs.folded(|s| s == slot);
            assert_eq!(sums.len(), 20);
            assert_eq!(sums.iter().map(|e| e.1).sum::<Amount>(), Amount::from_int(150));
        }
    }
}
