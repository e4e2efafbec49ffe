//! The wholesaler's product catalogue: eight categories of 20–40 products each.

use super::rng::{Rng, exp, ln};

/// What a category looks like: its typical price level and margin.
pub(crate) struct CategoryDef {
    /// Three-letter code used in product ids (`P-ELE-014`).
    pub code: &'static str,
    /// Name written in the `product_category` column (no commas or quotes).
    pub name: &'static str,
    /// Typical gross margin on revenue.
    pub margin: f64,
    /// Median list price in EUR (per piece, or per kg for weight-sold goods).
    pub median_price: f64,
    /// Log-scale spread of list prices within the category.
    pub price_spread: f64,
    /// Share of the category's products sold by weight, with decimal quantities.
    pub by_weight: f64,
}

/// The categories, in the order customers' affinity tables refer to them.
pub(crate) const CATEGORIES: [CategoryDef; 8] = [
    cat("FAS", "Fasteners", 0.38, 6.0, 0.9, 0.4),
    cat("HAN", "Hand tools", 0.32, 18.0, 0.8, 0.0),
    cat("POW", "Power tools", 0.22, 160.0, 0.7, 0.0),
    cat("SAF", "Safety equipment", 0.35, 14.0, 0.9, 0.0),
    cat("ADH", "Adhesives & sealants", 0.40, 9.0, 0.6, 0.15),
    cat("PLU", "Plumbing", 0.28, 14.0, 1.0, 0.0),
    cat("ELE", "Electrical", 0.26, 9.0, 1.0, 0.0),
    cat("PAC", "Packaging", 0.30, 5.0, 0.8, 0.3),
];

const fn cat(
    code: &'static str,
    name: &'static str,
    margin: f64,
    median_price: f64,
    price_spread: f64,
    by_weight: f64,
) -> CategoryDef {
    CategoryDef { code, name, margin, median_price, price_spread, by_weight }
}

/// One article.
pub(crate) struct Product {
    /// `P-XXX-NNN`.
    pub id: String,
    pub category: usize,
    /// List price in cents.
    pub price_cents: u64,
    /// The product's typical margin (category margin plus a product-specific offset).
    pub margin: f64,
    /// Decimals of the quantity: 0 for pieces, 1–3 for goods sold by weight.
    pub decimals: u8,
}

/// All products, grouped by category with popularity weights for drawing them.
pub(crate) struct Catalog {
    pub products: Vec<Product>,
    /// Per category: product indexes and their cumulative popularity (ending at 1.0).
    by_category: Vec<(Vec<u32>, Vec<f64>)>,
}

impl Catalog {
    /// Builds the catalogue from its own random stream.
    pub fn generate(rng: &mut Rng) -> Catalog {
        let mut products = Vec::new();
        let mut by_category = Vec::new();
        for (category, def) in CATEGORIES.iter().enumerate() {
            let count = 20 + rng.below(21) as usize;
            let first = products.len() as u32;
            for number in 1..=count {
                products.push(product(rng, category, def, number));
            }
            by_category
                .push(((first..first + count as u32).collect(), cumulative_popularity(rng, count)));
        }
        Catalog { products, by_category }
    }

    /// The product of `category` at popularity quantile `u` in `[0, 1)`.
    pub fn pick(&self, category: usize, u: f64) -> u32 {
        let (ids, cumulative) = &self.by_category[category];
        let at = cumulative.partition_point(|&c| c <= u).min(ids.len() - 1);
        ids[at]
    }
}

fn product(rng: &mut Rng, category: usize, def: &CategoryDef, number: usize) -> Product {
    let price = nice_price(rng.lognormal(def.median_price, def.price_spread));
    let margin = (def.margin + 0.04 * rng.normal()).clamp(0.08, 0.6);
    let decimals = if rng.chance(def.by_weight) { 1 + rng.below(3) as u8 } else { 0 };
    Product {
        id: format!("P-{}-{number:03}", def.code),
        category,
        price_cents: price,
        margin,
        decimals,
    }
}

/// A list price in cents rounded the way price lists are: to 5 cents below 10 EUR, to
/// 10 cents below 100 EUR, else to a whole euro minus one cent (`249.99`).
fn nice_price(eur: f64) -> u64 {
    let cents = (eur * 100.0).clamp(5.0, 500_000.0);
    if cents < 1_000.0 {
        ((cents / 5.0).round() as u64).max(1) * 5
    } else if cents < 10_000.0 {
        (cents / 10.0).round() as u64 * 10
    } else {
        (cents / 100.0).round() as u64 * 100 - 1
    }
}

/// Zipf-like popularity (a few best-sellers, a long tail), in a random order so the
/// best-seller is not always product 001.
fn cumulative_popularity(rng: &mut Rng, count: usize) -> Vec<f64> {
    let mut weights: Vec<f64> = (0..count).map(|rank| exp(-0.9 * ln(rank as f64 + 1.0))).collect();
    rng.shuffle(&mut weights);
    let total: f64 = weights.iter().sum();
    let mut running = 0.0;
    let mut cumulative: Vec<f64> = weights
        .iter()
        .map(|w| {
            running += w / total;
            running
        })
        .collect();
    *cumulative.last_mut().expect("categories have products") = 1.0;
    cumulative
}
