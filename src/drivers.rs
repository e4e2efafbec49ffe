//! Why a customer's revenue changed between the previous window and the
//! current one, product by product: price, volume and mix for the products
//! bought in both windows, the products added and dropped, and what has no
//! price to compare (docs/metrics.md#revenue-bridge).
//!
//! Pure computation in exact amounts: every effect is in ten-thousandths,
//! each rounded quantity effect once, and the effects add up to the change
//! of revenue exactly.

use crate::model::Amount;

/// A product's revenue and quantity in one window.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct ProductWindow {
    pub revenue: Amount,
    pub quantity: Amount,
}

/// The change of a customer's revenue, by cause. The six effects add up to
/// `revenue − revenue_prev` exactly.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Drivers {
    /// Products bought in both windows: what the change of each product's
    /// price (revenue per unit) did, at this window's quantities.
    pub price: Amount,
    /// The change of the total quantity of those products, at the previous
    /// window's average price.
    pub volume: Amount,
    /// The shift of the quantity between those products at different
    /// prices: their quantity effects less the volume effect.
    pub mix: Amount,
    /// Revenue of the products bought in this window and not in the previous one.
    pub new_products: Amount,
    /// Minus the revenue of the products bought in the previous window and not in this one.
    pub dropped_products: Amount,
    /// Everything without a price to compare: products bought in both
    /// windows with a quantity of zero or less in one of them, and lines
    /// without a product.
    pub other: Amount,
}

impl std::ops::AddAssign for Drivers {
    /// Cause by cause: a portfolio's drivers are its customers' summed.
    fn add_assign(&mut self, other: Drivers) {
        self.price += other.price;
        self.volume += other.volume;
        self.mix += other.mix;
        self.new_products += other.new_products;
        self.dropped_products += other.dropped_products;
        self.other += other.other;
    }
}

impl Drivers {
    pub fn total(&self) -> Amount {
        self.price + self.volume + self.mix + self.new_products + self.dropped_products + self.other
    }
}

/// The drivers of a customer's revenue change. `products` pairs each
/// product's previous and current window (`None` where it had no line);
/// `revenue` and `revenue_prev` are the customer's whole revenue in the two
/// windows, lines without a product included.
pub fn drivers(
    products: &[(Option<ProductWindow>, Option<ProductWindow>)],
    revenue_prev: Amount,
    revenue: Amount,
) -> Drivers {
    let units = |a: Amount| i128::from(a.units());
    let mut d = [0i128; 6]; // price, volume, mix, new, dropped, other
    let (mut r0_priced, mut q0_priced, mut q1_priced) = (0i128, 0i128, 0i128);
    let mut quantity_effects = 0i128;
    let (mut prev_products, mut current_products) = (0i128, 0i128);
    for (before, now) in products {
        let (r0, q0) = before.map_or((0, 0), |w| (units(w.revenue), units(w.quantity)));
        let (r1, q1) = now.map_or((0, 0), |w| (units(w.revenue), units(w.quantity)));
        prev_products += r0;
        current_products += r1;
        match (before, now) {
            (None, Some(_)) => d[3] += r1,
            (Some(_), None) => d[4] -= r0,
            (Some(_), Some(_)) if q0 > 0 && q1 > 0 => {
                // P0·(Q1 − Q0) = R0·(Q1 − Q0)/Q0; the rest of R1 − R0 is price.
                let quantity = divide(r0, q1 - q0, q0);
                quantity_effects += quantity;
                d[0] += r1 - r0 - quantity;
                r0_priced += r0;
                q0_priced += q0;
                q1_priced += q1;
            }
            _ => d[5] += r1 - r0,
        }
    }
    if q0_priced > 0 {
        d[1] = divide(r0_priced, q1_priced - q0_priced, q0_priced);
    }
    d[2] = quantity_effects - d[1];
    // Lines without a product.
    d[5] += (units(revenue) - current_products) - (units(revenue_prev) - prev_products);
    let [price, volume, mix, new_products, dropped_products, other] = d.map(amount);
    Drivers { price, volume, mix, new_products, dropped_products, other }
}

/// `a·b / c` in ten-thousandths, rounded to the nearest (halves away from
/// zero); `c` > 0. Beyond 128 bits (sums far past any ledger) in floating point.
fn divide(a: i128, b: i128, c: i128) -> i128 {
    match a.checked_mul(b) {
        Some(n) => {
            let (q, r) = (n / c, n % c);
            if 2 * r.abs() >= c { q + n.signum() } else { q }
        }
        None => (a as f64 * b as f64 / c as f64).round() as i128,
    }
}

/// Back to an amount: the effects are bounded by the customer's revenue
/// magnitude, which the ledger keeps within i64.
fn amount(units: i128) -> Amount {
    Amount::from_units(i64::try_from(units).unwrap_or(if units < 0 { i64::MIN } else { i64::MAX }))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn w(revenue: i64, quantity: i64) -> Option<ProductWindow> {
        Some(ProductWindow {
            revenue: Amount::from_int(revenue),
            quantity: Amount::from_int(quantity),
        })
    }

    /// The worked example of docs/metrics.md#revenue-bridge, by hand.
    #[test]
    fn the_worked_example_adds_up_by_hand() {
        // P1: 100 units at 10 → 120 units at 11. P2: 50 at 20 → 30 at 20.
        // P3 new (300), P4 dropped (200), P5 service without quantity 80 → 95,
        // and 40 of lines without a product now (none before).
        let products = [
            (w(1000, 100), w(1320, 120)),
            (w(1000, 50), w(600, 30)),
            (None, w(300, 0)),
            (w(200, 4), None),
            (w(80, 0), w(95, 0)),
        ];
        let d = drivers(&products, Amount::from_int(2280), Amount::from_int(2355));
        // Quantity effects: P1 10·20 = 200, P2 20·(−20) = −400; price: P1 (11 − 10)·120 = 120.
        // Volume: 2000·(150/150 − 1) = 0; mix: 200 − 400 − 0 = −200.
        assert_eq!(d.price, Amount::from_int(120));
        assert_eq!(d.volume, Amount::ZERO);
        assert_eq!(d.mix, Amount::from_int(-200));
        assert_eq!(d.new_products, Amount::from_int(300));
        assert_eq!(d.dropped_products, Amount::from_int(-200));
        assert_eq!(d.other, Amount::from_int(15 + 40));
        assert_eq!(d.total(), Amount::from_int(2355 - 2280));
    }

    #[test]
    fn volume_is_the_total_quantity_at_the_previous_average_price() {
        // Both products up 50% in quantity at unchanged prices: all volume.
        let products = [(w(1000, 100), w(1500, 150)), (w(500, 10), w(750, 15))];
        let d = drivers(&products, Amount::from_int(1500), Amount::from_int(2250));
        assert_eq!((d.price, d.mix, d.other), (Amount::ZERO, Amount::ZERO, Amount::ZERO));
        assert_eq!(d.volume, Amount::from_int(750));
    }

    #[test]
    fn rounded_effects_still_add_up_to_the_change() {
        // Prices of a third: the quantity effects are not whole ten-thousandths.
        let products = [(w(100, 3), w(200, 7)), (w(10, 3), w(11, 9)), (w(7, 6), w(1, 1))];
        let before = Amount::from_int(117 + 5);
        let now = Amount::from_int(212 - 2);
        let d = drivers(&products, before, now);
        assert_eq!(d.total(), now - before);
        assert_eq!(d.other, Amount::from_int(-2 - 5));
    }

    #[test]
    fn divide_rounds_halves_away_from_zero() {
        assert_eq!(
            [divide(1, 1, 2), divide(-1, 1, 2), divide(1, 1, 3), divide(2, 1, 3)],
            [1, -1, 0, 1]
        );
    }
}
