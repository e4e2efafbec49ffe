//! Routing accepted lines to the worker that owns their customer.
//!
//! Each parsing worker aggregates only the customers of its shard and hands
//! lines of other customers, packed in batches, to their owner. Every
//! customer then lives in exactly one ledger: no per-customer state is
//! duplicated across workers, and the final merge is a concatenation.

use crate::ledger::{ColumnsSeen, Ledger};
use crate::model::records::SalesLine;
use crate::model::{Amount, Date};
use std::borrow::Cow;
use std::hash::{Hash, Hasher};

/// The shard (worker index) owning a customer.
pub fn shard_of(customer_id: &str, shards: usize) -> usize {
    let mut h = rustc_hash::FxHasher::default();
    customer_id.hash(&mut h);
    (h.finish() % shards as u64) as usize
}

/// Accepted lines bound for one worker: ids are copied into one string, so a
/// batch of thousands of lines costs a couple of allocations.
#[derive(Default)]
pub struct LineBatch {
    text: String,
    lines: Vec<PackedLine>,
}

struct PackedLine {
    date: Date,
    revenue: Amount,
    cost: Option<Amount>,
    quantity: Option<Amount>,
    customer: (u32, u32),
    invoice: Option<(u32, u32)>,
    product: Option<(u32, u32)>,
    category: Option<(u32, u32)>,
    columns: ColumnsSeen,
}

impl LineBatch {
    pub fn is_empty(&self) -> bool {
        self.lines.is_empty()
    }

    /// Copies a line into the batch.
    pub fn push(&mut self, line: &SalesLine<'_>, columns: ColumnsSeen) {
        let mut store = |s: &str| {
            let start = self.text.len() as u32;
            self.text.push_str(s);
            (start, self.text.len() as u32)
        };
        let customer = store(&line.customer_id);
        let invoice = line.invoice_id.as_deref().map(&mut store);
        let product = line.product_id.as_deref().map(&mut store);
        let category = line.product_category.as_deref().map(&mut store);
        self.lines.push(PackedLine {
            date: line.date,
            revenue: line.revenue,
            cost: line.cost,
            quantity: line.quantity,
            customer,
            invoice,
            product,
            category,
            columns,
        });
    }

    /// Adds every line of the batch to a ledger.
    pub fn add_to(&self, ledger: &mut Ledger) {
        let text =
            |(start, end): (u32, u32)| Cow::Borrowed(&self.text[start as usize..end as usize]);
        for packed in &self.lines {
            let line = SalesLine {
                date: packed.date,
                customer_id: text(packed.customer),
                revenue: packed.revenue,
                invoice_id: packed.invoice.map(text),
                product_id: packed.product.map(text),
                product_category: packed.category.map(text),
                quantity: packed.quantity,
                cost: packed.cost,
            };
            ledger.add(&line, packed.columns);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_batch_adds_what_was_pushed() {
        let line = SalesLine {
            date: Date::parse_iso("2025-01-02").unwrap(),
            customer_id: Cow::Borrowed("C1"),
            revenue: Amount::from_int(5),
            invoice_id: Some(Cow::Borrowed("I1")),
            product_id: None,
            product_category: Some(Cow::Borrowed("Tools")),
            quantity: Some(Amount::from_int(2)),
            cost: None,
        };
        let columns = ColumnsSeen { cost: true, quantity: true, product: false, invoice: true };
        let (mut direct, mut batched) = (Ledger::default(), Ledger::default());
        direct.add(&line, columns);
        let mut batch = LineBatch::default();
        batch.push(&line, columns);
        batch.add_to(&mut batched);
        let month = line.date.month_index();
        let (a, b) = (direct.customer("C1").unwrap(), batched.customer("C1").unwrap());
        assert_eq!(a.month(month), b.month(month));
        assert_eq!(a.invoices.distinct_in(month, month), b.invoices.distinct_in(month, month));
        assert_eq!(batched.columns, columns);
        assert_eq!(a.category_revenue_in(month, month), b.category_revenue_in(month, month));
        assert_eq!(batched.category_names(), direct.category_names());
        assert!(shard_of("C1", 2) < 2);
    }
}
