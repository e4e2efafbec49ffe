//! Sales lines, generated and written one month at a time.
//!
//! For each month every customer decides how many invoices it places (a few bytes
//! each: day, customer, kind and a seed); the month's invoices are sorted by day and
//! customer, numbered, and only then expanded into lines from their seeds and written.
//! A credit note carries the seed of the invoice it corrects and regenerates its lines,
//! so nothing but one month's invoice heads is ever held in memory.

use std::fs::File;
use std::io::{self, Write};
use std::path::{Path, PathBuf};

use super::catalog::{CATEGORIES, Product};
use super::profile::Profile;
use super::rng::Rng;
use super::text::{push_cents, push_fixed, push_padded};
use super::world::{CREDIT_RATE, FULL_REVERSAL_SHARE, SECOND_RETURN_LINE, World, purpose};
use crate::model::date::{days_in_month, format_month, split_month};
use crate::model::{Date, MonthIndex};

const HEADER: &[u8] =
    b"date,invoice_id,customer_id,product_id,product_category,quantity,revenue,cost\n";
/// Output is written in chunks of about this many bytes.
const FLUSH_AT: usize = 1 << 20;
/// Invoices have at most this many lines.
const MAX_LINES: u32 = 8;
/// Share of lines sold below cost (clearance, pricing mistakes, matched competitor offers).
const BELOW_COST_RATE: f64 = 0.023;
/// Share of lines with a promotional discount on top of the customer's own.
const PROMOTION_RATE: f64 = 0.1;

/// What the sales files hold per customer, for the customer master.
#[derive(Clone, Copy, Debug, Default)]
pub(crate) struct Totals {
    pub revenue_cents: i64,
    pub cost_cents: i64,
    /// Sale invoices (credit notes not counted).
    pub invoices: u32,
    /// First and last month offset with a sale invoice.
    pub sale_months: Option<(u32, u32)>,
}

/// What `write_sales` produced.
pub(crate) struct SalesReport {
    pub lines: u64,
    pub files: Vec<PathBuf>,
    /// Per profile, in profile order.
    pub totals: Vec<Totals>,
}

/// Writes the sales of every month into `sales_dir`: one `sales.csv`, or one
/// `YYYY-MM.csv` per month.
pub(crate) fn write_sales(
    world: &World,
    sales_dir: &Path,
    single_file: bool,
) -> io::Result<SalesReport> {
    let mut generator = Generator::new(world);
    let mut files = Vec::new();
    let mut single =
        if single_file { Some(SalesFile::create(sales_dir.join("sales.csv"))?) } else { None };
    for offset in 0..world.months {
        if let Some(out) = single.as_mut() {
            generator.write_month(offset, out)?;
        } else {
            let month = world.first_month + offset as i32;
            let mut out =
                SalesFile::create(sales_dir.join(format!("{}.csv", format_month(month))))?;
            generator.write_month(offset, &mut out)?;
            files.push(out.finish()?);
        }
    }
    if let Some(out) = single {
        files.push(out.finish()?);
    }
    Ok(SalesReport { lines: generator.lines_written, files, totals: generator.totals })
}

/// What an invoice is.
#[derive(Clone, Copy, Debug)]
enum Kind {
    Sale,
    /// Credit note reversing every line of the invoice generated from `source`.
    Reversal {
        source: u64,
    },
    /// Credit note for part of one or two lines of the invoice generated from `source`.
    Return {
        source: u64,
    },
}

/// An invoice before it is expanded into lines.
#[derive(Clone, Copy, Debug)]
struct Head {
    day: u8,
    customer: u32,
    kind: Kind,
    seed: u64,
}

/// One invoice line; quantity in thousandths, money in cents.
#[derive(Clone, Copy, Debug)]
struct Line {
    product: u32,
    quantity_milli: i64,
    discount_bp: u32,
    margin_bp: i32,
    revenue: i64,
    cost: i64,
}

/// Generation state carried from month to month.
struct Generator<'w> {
    world: &'w World,
    /// Invoice number within the current year.
    sequence: u64,
    heads: Vec<Head>,
    lines: Vec<Line>,
    source_lines: Vec<Line>,
    invoice_id: Vec<u8>,
    totals: Vec<Totals>,
    lines_written: u64,
}

impl<'w> Generator<'w> {
    fn new(world: &'w World) -> Generator<'w> {
        Generator {
            world,
            sequence: 0,
            heads: Vec::new(),
            lines: Vec::with_capacity(MAX_LINES as usize),
            source_lines: Vec::with_capacity(MAX_LINES as usize),
            invoice_id: Vec::with_capacity(32),
            totals: vec![Totals::default(); world.profiles.len()],
            lines_written: 0,
        }
    }

    /// Generates and writes one month, sorted by date and invoice number.
    fn write_month(&mut self, offset: u32, out: &mut SalesFile) -> io::Result<()> {
        let month = self.world.first_month + offset as i32;
        let (year, month_of_year) = split_month(month);
        if month_of_year == 1 {
            self.sequence = 0;
        }
        let days = business_days(month);
        let dates = date_texts(month);
        let mut heads = std::mem::take(&mut self.heads);
        heads.clear();
        for customer in 0..self.world.profiles.len() {
            self.plan_customer_month(customer, offset, &days, &mut heads);
        }
        // Stable: a credit note dated the same day stays after the invoice it corrects.
        heads.sort_by_key(|head| (head.day, head.customer));
        let prefix = format!("INV-{year:04}-");
        for head in &heads {
            self.sequence += 1;
            self.invoice_id.clear();
            self.invoice_id.extend_from_slice(prefix.as_bytes());
            push_padded(&mut self.invoice_id, self.sequence, self.world.invoice_digits);
            self.expand(head);
            self.write_invoice(head, offset, &dates[usize::from(head.day) - 1], out.buffer());
            out.flush_if_full()?;
        }
        self.heads = heads;
        Ok(())
    }

    /// The invoices one customer places in one month, and the credit notes some get.
    fn plan_customer_month(
        &self,
        customer: usize,
        offset: u32,
        days: &[u8],
        heads: &mut Vec<Head>,
    ) {
        let Some(plan) = self.world.plan(customer, offset) else { return };
        let key = (customer as u64) << 32 | u64::from(offset);
        let mut rng = Rng::stream(self.world.seed, purpose::MONTH, key);
        if !rng.chance(plan.buy) {
            return;
        }
        let count = invoice_count(&mut rng, plan.invoices, self.world.profiles[customer].steady);
        let customer = customer as u32;
        for _ in 0..count {
            let at = rng.below(days.len() as u64) as usize;
            let seed = rng.next_u64();
            heads.push(Head { day: days[at], customer, kind: Kind::Sale, seed });
            if rng.chance(CREDIT_RATE) {
                // Credit notes follow within a few working days, in the same month.
                let credit_at = at + rng.below((days.len() - at).min(4) as u64) as usize;
                let kind = if rng.chance(FULL_REVERSAL_SHARE) {
                    Kind::Reversal { source: seed }
                } else {
                    Kind::Return { source: seed }
                };
                heads.push(Head { day: days[credit_at], customer, kind, seed: rng.next_u64() });
            }
        }
    }

    /// Fills `self.lines` with the invoice's lines.
    fn expand(&mut self, head: &Head) {
        let profile = &self.world.profiles[head.customer as usize];
        let catalog = &self.world.catalog.products;
        match head.kind {
            Kind::Sale => sale_lines(profile, self.world, head.seed, &mut self.lines),
            Kind::Reversal { source } => {
                sale_lines(profile, self.world, source, &mut self.lines);
                self.lines.iter_mut().for_each(|line| *line = negated(*line));
            }
            Kind::Return { source } => {
                sale_lines(profile, self.world, source, &mut self.source_lines);
                return_lines(catalog, &self.source_lines, head.seed, &mut self.lines);
            }
        }
    }

    /// Appends `self.lines` as CSV rows and adds them to the customer's totals.
    fn write_invoice(&mut self, head: &Head, offset: u32, date: &[u8; 10], buf: &mut Vec<u8>) {
        let customer = head.customer as usize;
        let id = self.world.profiles[customer].id.as_bytes();
        let totals = &mut self.totals[customer];
        for line in &self.lines {
            let product = &self.world.catalog.products[line.product as usize];
            buf.extend_from_slice(date);
            buf.push(b',');
            buf.extend_from_slice(&self.invoice_id);
            buf.push(b',');
            buf.extend_from_slice(id);
            buf.push(b',');
            buf.extend_from_slice(product.id.as_bytes());
            buf.push(b',');
            buf.extend_from_slice(CATEGORIES[product.category].name.as_bytes());
            buf.push(b',');
            push_quantity(buf, line.quantity_milli, product.decimals);
            buf.push(b',');
            push_cents(buf, line.revenue);
            buf.push(b',');
            push_cents(buf, line.cost);
            buf.push(b'\n');
            totals.revenue_cents += line.revenue;
            totals.cost_cents += line.cost;
        }
        self.lines_written += self.lines.len() as u64;
        if let Kind::Sale = head.kind {
            totals.invoices += 1;
            totals.sale_months = Some(match totals.sale_months {
                Some((first, _)) => (first, offset),
                None => (offset, offset),
            });
        }
    }
}

/// Invoices in a buying month, at least one and `max(1, expected)` on average: steady
/// buyers round the expectation up or down at random, others vary as 1 + Poisson.
fn invoice_count(rng: &mut Rng, expected: f64, steady: bool) -> u64 {
    let expected = expected.max(1.0);
    if steady { (expected + rng.unit()).floor() as u64 } else { 1 + rng.poisson(expected - 1.0) }
}

/// The lines of a sale invoice, drawn from its seed alone (so credit notes can
/// regenerate them).
fn sale_lines(profile: &Profile, world: &World, seed: u64, out: &mut Vec<Line>) {
    out.clear();
    let mut rng = Rng::new(seed);
    let count = 1 + rng.binomial(MAX_LINES - 1, profile.line_spread);
    for _ in 0..count {
        let product = distinct_product(&mut rng, profile, world, out);
        out.push(sale_line(&mut rng, profile, &world.catalog.products[product as usize], product));
    }
}

/// A product from the customer's basket, retrying a few times to avoid repeating
/// a product already on the invoice.
fn distinct_product(rng: &mut Rng, profile: &Profile, world: &World, taken: &[Line]) -> u32 {
    let mut product = 0;
    for _ in 0..4 {
        let category = profile.category(rng.unit());
        product = world.catalog.pick(category, rng.unit());
        if !taken.iter().any(|line| line.product == product) {
            break;
        }
    }
    product
}

/// One sale line: a quantity worth about the customer's usual line value, the
/// customer's discount (sometimes a promotion on top) and a margin that shrinks with
/// the discount; now and then the line is sold below cost.
fn sale_line(rng: &mut Rng, profile: &Profile, product: &Product, id: u32) -> Line {
    let mut discount_bp = profile.discount_bp;
    if rng.chance(PROMOTION_RATE) {
        discount_bp += 500 + 100 * rng.below(6) as u32;
    }
    let discount_bp = discount_bp.min(6_000);
    let discount = f64::from(discount_bp) / 10_000.0;
    let unit_net = product.price_cents as f64 / 100.0 * (1.0 - discount);
    let value = rng.lognormal(profile.line_value, 0.5);
    let quantity_milli = quantity_milli(value / unit_net, product.decimals);
    let mut margin = product.margin - 0.4 * discount + 0.025 * rng.normal() + profile.margin_shift;
    if rng.chance(BELOW_COST_RATE) {
        margin = -rng.range(0.01, 0.15);
    }
    let margin_bp = ((margin * 10_000.0).round() as i32).clamp(-9_000, 9_000);
    let (revenue, cost) = amounts(product, quantity_milli, discount_bp, margin_bp);
    Line { product: id, quantity_milli, discount_bp, margin_bp, revenue, cost }
}

/// A quantity in thousandths: whole pieces (rounded to tens from 50 up, as packs are),
/// or weight with the product's decimals.
fn quantity_milli(units: f64, decimals: u8) -> i64 {
    if decimals == 0 {
        let pieces = units.round().clamp(1.0, 10_000.0) as i64;
        let pieces = if pieces >= 50 { (pieces + 5) / 10 * 10 } else { pieces };
        return pieces * 1000;
    }
    let step = 10i64.pow(3 - u32::from(decimals));
    let steps = (units * 1000.0 / step as f64).round().clamp(1.0, 1e7 / step as f64) as i64;
    steps * step
}

/// Revenue = quantity × list price × (1 − discount) and cost = revenue × (1 − margin),
/// each rounded half up to the cent, in exact integer arithmetic.
fn amounts(product: &Product, quantity_milli: i64, discount_bp: u32, margin_bp: i32) -> (i64, i64) {
    // At most 1e7 × 5e5 × 1e4 = 5e16: well within u64.
    let gross = quantity_milli as u64 * product.price_cents * u64::from(10_000 - discount_bp);
    let revenue = ((gross + 5_000_000) / 10_000_000) as i64;
    let cost = (revenue * i64::from(10_000 - margin_bp) + 5_000) / 10_000;
    (revenue, cost)
}

/// A credit note for part of one line of the source invoice, sometimes two.
fn return_lines(products: &[Product], source: &[Line], seed: u64, out: &mut Vec<Line>) {
    out.clear();
    let mut rng = Rng::new(seed);
    let first = rng.below(source.len() as u64) as usize;
    out.push(partial_return(&mut rng, products, source[first]));
    if source.len() > 1 && rng.chance(SECOND_RETURN_LINE) {
        let mut second = rng.below(source.len() as u64 - 1) as usize;
        if second >= first {
            second += 1;
        }
        out.push(partial_return(&mut rng, products, source[second]));
    }
}

/// Returns part (possibly all) of a line's quantity at the line's price and margin.
fn partial_return(rng: &mut Rng, products: &[Product], line: Line) -> Line {
    let product = &products[line.product as usize];
    let step = 10i64.pow(3 - u32::from(product.decimals));
    let steps = line.quantity_milli / step;
    let quantity_milli = (1 + rng.below(steps as u64) as i64) * step;
    let (revenue, cost) = amounts(product, quantity_milli, line.discount_bp, line.margin_bp);
    negated(Line { quantity_milli, revenue, cost, ..line })
}

/// The same line with quantity, revenue and cost negated (a credit).
fn negated(line: Line) -> Line {
    Line { quantity_milli: -line.quantity_milli, revenue: -line.revenue, cost: -line.cost, ..line }
}

/// Appends a quantity with the product's number of decimals.
fn push_quantity(buf: &mut Vec<u8>, quantity_milli: i64, decimals: u8) {
    let decimals = u32::from(decimals);
    push_fixed(buf, quantity_milli / 10i64.pow(3 - decimals), decimals);
}

/// Monday-to-Friday days of a month: invoices are issued on working days.
fn business_days(month: MonthIndex) -> Vec<u8> {
    let first = Date::first_of_month(month).days();
    let (year, month_of_year) = split_month(month);
    (1..=days_in_month(year, month_of_year) as u8)
        .filter(|&day| {
            // 1970-01-01 was a Thursday; with Monday = 0, Saturday = 5 and Sunday = 6.
            (first + i32::from(day) - 1 + 3).rem_euclid(7) < 5
        })
        .collect()
}

/// `YYYY-MM-DD` for each day of a month (index = day − 1).
fn date_texts(month: MonthIndex) -> Vec<[u8; 10]> {
    let (year, month_of_year) = split_month(month);
    (1..=days_in_month(year, month_of_year))
        .map(|day| {
            let mut text = [0u8; 10];
            let mut buf = Vec::with_capacity(10);
            push_padded(&mut buf, year as u64, 4);
            buf.push(b'-');
            push_padded(&mut buf, u64::from(month_of_year), 2);
            buf.push(b'-');
            push_padded(&mut buf, u64::from(day), 2);
            text.copy_from_slice(&buf);
            text
        })
        .collect()
}

/// One sales file being written through a large buffer.
struct SalesFile {
    path: PathBuf,
    file: File,
    buf: Vec<u8>,
}

impl SalesFile {
    /// Creates the file and writes the header.
    fn create(path: PathBuf) -> io::Result<SalesFile> {
        let file = File::create(&path)?;
        let mut buf = Vec::with_capacity(FLUSH_AT + 4096);
        buf.extend_from_slice(HEADER);
        Ok(SalesFile { path, file, buf })
    }

    fn buffer(&mut self) -> &mut Vec<u8> {
        &mut self.buf
    }

    fn flush_if_full(&mut self) -> io::Result<()> {
        if self.buf.len() >= FLUSH_AT {
            self.file.write_all(&self.buf)?;
            self.buf.clear();
        }
        Ok(())
    }

    /// Writes what is left and returns the file's path.
    fn finish(mut self) -> io::Result<PathBuf> {
        self.file.write_all(&self.buf)?;
        self.file.flush()?;
        Ok(self.path)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn business_days_skip_weekends() {
        // June 2025 starts on a Sunday: 21 working days, the first on Monday the 2nd.
        let june = 2025 * 12 + 5;
        let days = business_days(june);
        assert_eq!(days.len(), 21);
        assert_eq!(days[0], 2);
        assert_eq!(&date_texts(june)[29], b"2025-06-30");
    }

    #[test]
    fn quantities_are_whole_or_weighed() {
        assert_eq!(quantity_milli(0.2, 0), 1000);
        assert_eq!(quantity_milli(57.0, 0), 60_000);
        assert_eq!(quantity_milli(3.456_78, 2), 3460);
        assert_eq!(quantity_milli(0.0001, 3), 1);
        let mut buf = Vec::new();
        push_quantity(&mut buf, -3460, 2);
        assert_eq!(buf, b"-3.46");
    }
}
