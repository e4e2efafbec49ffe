//! Computed ABC limits (Ultsch & Lötsch 2015, "Computed ABC analysis for
//! rational selection of most informative variables in multivariate
//! data"): instead of fixed shares, the limits come from the shape of the
//! ABC curve itself, as the reference implementation (R `ABCanalysis`
//! 1.2.1) finds them:
//!
//! 1. the curve: values sorted largest first, the cumulative share of the
//!    total against the share of items, interpolated by a cubic spline
//!    (Forsythe, Malcolm & Moler's end conditions) on a grid of 101 points
//!    (1,001 from 101 items);
//! 2. the Pareto point, nearest to the ideal (0, 1); the break-even point,
//!    where the curve's slope is nearest 1 (a further item adds its average
//!    share); the A|B limit is the left of the two;
//! 3. the B|C limit: the point nearest to (x of the right one, 1);
//! 4. the limits in data units: the values at those shares of the items.
//!    A holds the values above the A|B limit, C those below the B|C limit,
//!    B the rest (both limits included).
//!
//! Pure computation; values that are negative count as 0 (they stay items).

/// Where the curve put the limits.
#[derive(Clone, Debug, PartialEq)]
pub struct Limits {
    /// Share of items at the A|B point, the point B and the B|C point.
    pub a_effort: f64,
    pub b_effort: f64,
    pub c_effort: f64,
    /// The break-even point lies left of the Pareto point (then it is A's).
    pub exchanged: bool,
    /// Index (0-based, in the values sorted largest first) of the A|B and
    /// B|C limit values.
    pub ab_rank: usize,
    pub bc_rank: usize,
}

/// The computed limits of `values`; `None` when the curve gives none (every
/// value equal, or the A|B point at no item).
pub fn limits(values: &[f64]) -> Option<Limits> {
    let n = values.len();
    if n < 2 {
        return None;
    }
    let mut sorted: Vec<f64> = values.iter().map(|v| v.max(0.0)).collect();
    sorted.sort_by(|a, b| b.total_cmp(a));
    let total: f64 = sorted.iter().sum();
    if total <= 0.0 {
        return None;
    }
    // The curve's knots: (i/n, cumulative share), from (0, 0).
    let mut x = Vec::with_capacity(n + 1);
    let mut y = Vec::with_capacity(n + 1);
    let mut sum = 0.0;
    for (i, v) in sorted.iter().enumerate() {
        sum += v;
        x.push((i + 1) as f64 / n as f64);
        y.push(sum / total);
    }
    if y[0] > 0.0 {
        x.insert(0, 0.0);
        y.insert(0, 0.0);
    }
    let steps = if n < 101 { 100 } else { 1000 };
    let grid: Vec<f64> = (0..=steps).map(|i| i as f64 / steps as f64).collect();
    let curve = Spline::fmm(&x, &y);
    let mut yield_: Vec<f64> = grid.iter().map(|&p| curve.value(p)).collect();
    if let Some(first) = yield_.iter().position(|&v| v >= 1.0) {
        yield_[first..].iter_mut().for_each(|v| *v = 1.0);
    }
    // The slope is taken at (1..=m)/m, m the grid's length, as the
    // reference does (a shift of under one grid step, kept to match it).
    let m = grid.len();
    let slope_curve = Spline::fmm(&grid, &yield_);
    let slope: Vec<f64> = (1..=m).map(|i| slope_curve.slope(i as f64 / m as f64)).collect();
    let first_min =
        |f: &dyn Fn(usize) -> f64| (0..m).fold(0, |best, i| if f(i) < f(best) { i } else { best });
    let pareto = first_min(&|i| grid[i] * grid[i] + (1.0 - yield_[i]).powi(2));
    let break_even = first_min(&|i| (slope[i] - 1.0).abs());
    let exchanged = grid[break_even] < grid[pareto];
    let (a, b) = if exchanged { (break_even, pareto) } else { (pareto, break_even) };
    let bx = grid[b];
    let c = first_min(&|i| (grid[i] - bx).powi(2) + (1.0 - yield_[i]).powi(2));
    let rank = |effort: f64| round_half_even(effort * n as f64);
    let (ka, kc) = (rank(grid[a]), rank(grid[c]));
    if ka == 0 || kc == 0 {
        return None;
    }
    Some(Limits {
        a_effort: grid[a],
        b_effort: bx,
        c_effort: grid[c],
        exchanged,
        ab_rank: ka.min(n) - 1,
        bc_rank: kc.min(n) - 1,
    })
}

/// Rounds to the nearest whole number, halves to even (IEC 60559, as R does).
fn round_half_even(x: f64) -> usize {
    let r = x.round();
    let r = if (x - x.trunc()).abs() == 0.5 && r % 2.0 != 0.0 { r - x.signum() } else { r };
    r.max(0.0) as usize
}

/// A cubic interpolating spline with Forsythe, Malcolm & Moler's end
/// conditions: at each end the third derivative is that of the cubic
/// through the four nearest knots.
struct Spline {
    x: Vec<f64>,
    y: Vec<f64>,
    b: Vec<f64>,
    c: Vec<f64>,
    d: Vec<f64>,
}

impl Spline {
    fn fmm(x: &[f64], y: &[f64]) -> Spline {
        let n = x.len();
        let (mut b, mut c, mut d) = (vec![0.0; n], vec![0.0; n], vec![0.0; n]);
        if n < 4 {
            // Never reached by the curve (it has four knots or more): a line.
            let slope = (y[n - 1] - y[0]) / (x[n - 1] - x[0]);
            b.iter_mut().for_each(|v| *v = slope);
            return Spline { x: x.to_vec(), y: y.to_vec(), b, c, d };
        }
        let nm1 = n - 1;
        // The tridiagonal system for σ: diagonal b, off-diagonal d, right side c.
        d[0] = x[1] - x[0];
        c[1] = (y[1] - y[0]) / d[0];
        for i in 1..nm1 {
            d[i] = x[i + 1] - x[i];
            b[i] = 2.0 * (d[i - 1] + d[i]);
            c[i + 1] = (y[i + 1] - y[i]) / d[i];
            c[i] = c[i + 1] - c[i];
        }
        b[0] = -d[0];
        b[nm1] = -d[n - 2];
        c[0] = c[2] / (x[3] - x[1]) - c[1] / (x[2] - x[0]);
        c[nm1] = c[n - 2] / (x[nm1] - x[n - 3]) - c[n - 3] / (x[n - 2] - x[n - 4]);
        c[0] = c[0] * d[0] * d[0] / (x[3] - x[0]);
        c[nm1] = -c[nm1] * d[n - 2] * d[n - 2] / (x[nm1] - x[n - 4]);
        for i in 1..n {
            let t = d[i - 1] / b[i - 1];
            b[i] -= t * d[i - 1];
            c[i] -= t * c[i - 1];
        }
        c[nm1] /= b[nm1];
        for i in (0..nm1).rev() {
            c[i] = (c[i] - d[i] * c[i + 1]) / b[i];
        }
        // σ in c; now the coefficients.
        b[nm1] = (y[nm1] - y[n - 2]) / d[n - 2] + d[n - 2] * (c[n - 2] + 2.0 * c[nm1]);
        for i in 0..nm1 {
            b[i] = (y[i + 1] - y[i]) / d[i] - d[i] * (c[i + 1] + 2.0 * c[i]);
            d[i] = (c[i + 1] - c[i]) / d[i];
            c[i] *= 3.0;
        }
        c[nm1] *= 3.0;
        d[nm1] = d[n - 2];
        Spline { x: x.to_vec(), y: y.to_vec(), b, c, d }
    }

    /// The interval of `u`: the last knot at or before it (the first or last
    /// cubic beyond the ends).
    fn interval(&self, u: f64) -> usize {
        match self.x.partition_point(|&k| k <= u) {
            0 => 0,
            i => i - 1,
        }
    }

    fn value(&self, u: f64) -> f64 {
        let i = self.interval(u);
        let dx = u - self.x[i];
        self.y[i] + dx * (self.b[i] + dx * (self.c[i] + dx * self.d[i]))
    }

    fn slope(&self, u: f64) -> f64 {
        let i = self.interval(u);
        let dx = u - self.x[i];
        self.b[i] + dx * (2.0 * self.c[i] + 3.0 * dx * self.d[i])
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_spline_passes_through_its_knots_and_is_exact_on_a_cubic() {
        let x: Vec<f64> = (0..7).map(|i| f64::from(i) * 0.5).collect();
        let cubic = |u: f64| 2.0 - u + 0.5 * u * u - 0.25 * u * u * u;
        let y: Vec<f64> = x.iter().map(|&u| cubic(u)).collect();
        let s = Spline::fmm(&x, &y);
        for u in [0.0, 0.3, 1.1, 2.0, 2.9, 3.0] {
            assert!((s.value(u) - cubic(u)).abs() < 1e-12, "{u}");
            let slope = -1.0 + u - 0.75 * u * u;
            assert!((s.slope(u) - slope).abs() < 1e-11, "{u}");
        }
    }

    #[test]
    fn halves_round_to_even() {
        assert_eq!([0.5, 1.5, 2.5, 2.4, 2.6].map(round_half_even), [0, 2, 2, 2, 3]);
    }

    #[test]
    fn equal_values_have_no_limits() {
        assert_eq!(limits(&[5.0; 50]), None);
        assert_eq!(limits(&[0.0; 10]), None);
    }
}
