//! Minimising a smooth function with its gradient: BFGS with a backtracking
//! line search. Deterministic: the same start gives the same steps.

/// Where a minimisation ended.
pub struct Minimum {
    pub point: Vec<f64>,
    pub value: f64,
    pub iterations: usize,
}

/// Minimises `f`, which returns the value and gradient at a point (a value
/// of `+∞` marks a point outside the domain, which the line search backs
/// away from). Stops when the largest gradient component is below
/// `tolerance` times `1 + |value|`, or when a step no longer lowers the
/// value beyond rounding; an error when `max_iterations` pass first.
pub fn bfgs(
    f: impl Fn(&[f64]) -> (f64, Vec<f64>),
    start: Vec<f64>,
    tolerance: f64,
    max_iterations: usize,
) -> Result<Minimum, String> {
    let n = start.len();
    let mut x = start;
    let (mut value, mut gradient) = f(&x);
    if !value.is_finite() {
        return Err("the starting point is outside the model's domain".into());
    }
    // The inverse Hessian estimate, row-major.
    let mut h = identity(n);
    for iteration in 0..max_iterations {
        let largest = gradient.iter().fold(0f64, |m, g| m.max(g.abs()));
        if largest <= tolerance * (1.0 + value.abs()) {
            return Ok(Minimum { point: x, value, iterations: iteration });
        }
        let mut direction: Vec<f64> =
            (0..n).map(|i| -dot(&h[i * n..(i + 1) * n], &gradient)).collect();
        let mut slope = dot(&direction, &gradient);
        if slope >= 0.0 {
            // Not a descent direction: start the curvature estimate again.
            h = identity(n);
            direction = gradient.iter().map(|g| -g).collect();
            slope = dot(&direction, &gradient);
        }
        let mut step = 1.0;
        let (next, next_value, next_gradient) = loop {
            let candidate: Vec<f64> = x.iter().zip(&direction).map(|(x, d)| x + step * d).collect();
            let (v, g) = f(&candidate);
            if v.is_finite() && v <= value + 1e-4 * step * slope {
                break (candidate, v, g);
            }
            step *= 0.5;
            if step < 1e-20 {
                // No lower point along the direction: a minimum to the precision at hand.
                return Ok(Minimum { point: x, value, iterations: iteration });
            }
        };
        // A step that no longer changes the value in double precision: the
        // gradient left is rounding, and the minimum is found.
        if value - next_value <= 1e-15 * (1.0 + value.abs()) {
            return Ok(Minimum { point: next, value: next_value, iterations: iteration + 1 });
        }
        let s: Vec<f64> = next.iter().zip(&x).map(|(a, b)| a - b).collect();
        let y: Vec<f64> = next_gradient.iter().zip(&gradient).map(|(a, b)| a - b).collect();
        let sy = dot(&s, &y);
        if sy > 1e-12 {
            update_inverse_hessian(&mut h, &s, &y, sy);
        }
        x = next;
        value = next_value;
        gradient = next_gradient;
    }
    Err(format!("no convergence in {max_iterations} iterations"))
}

/// Convergence of a likelihood fit: the largest gradient component (over
/// the log-parameters) below this times 1 + |log-likelihood|.
pub const TOLERANCE: f64 = 1e-10;
/// Log-parameters beyond ±this are outside the domain searched (e^30 ≈ 1e13).
const LOG_BOUND: f64 = 30.0;

/// Maximises a log-likelihood over the logarithms of `n` positive
/// parameters, from all of them at 1: `log_likelihood` gives the value and
/// the gradient with respect to the log-parameters. The point found is in
/// log-parameters, `value` the negated maximum.
pub fn maximise_log_parameters<const N: usize>(
    log_likelihood: impl Fn(&[f64]) -> (f64, [f64; N]),
) -> Result<Minimum, String> {
    let objective = |p: &[f64]| {
        if p.iter().any(|v| v.abs() > LOG_BOUND) {
            return (f64::INFINITY, vec![0.0; N]);
        }
        let (ll, gradient) = log_likelihood(p);
        (-ll, gradient.iter().map(|g| -g).collect())
    };
    bfgs(objective, vec![0.0; N], TOLERANCE, 1000)
}

fn identity(n: usize) -> Vec<f64> {
    (0..n * n).map(|k| if k / n == k % n { 1.0 } else { 0.0 }).collect()
}

fn dot(a: &[f64], b: &[f64]) -> f64 {
    a.iter().zip(b).map(|(a, b)| a * b).sum()
}

/// H ← (I − ρ s yᵀ) H (I − ρ y sᵀ) + ρ s sᵀ, ρ = 1 / (yᵀ s).
fn update_inverse_hessian(h: &mut [f64], s: &[f64], y: &[f64], sy: f64) {
    let n = s.len();
    let rho = 1.0 / sy;
    let hy: Vec<f64> = (0..n).map(|i| dot(&h[i * n..(i + 1) * n], y)).collect();
    let yhy = dot(y, &hy);
    for i in 0..n {
        for j in 0..n {
            h[i * n + j] +=
                -rho * (hy[i] * s[j] + s[i] * hy[j]) + (rho * rho * yhy + rho) * s[i] * s[j];
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn finds_the_minimum_of_the_rosenbrock_valley() {
        let f = |p: &[f64]| {
            let (x, y) = (p[0], p[1]);
            let value = (1.0 - x).powi(2) + 100.0 * (y - x * x).powi(2);
            let gradient = vec![-2.0 * (1.0 - x) - 400.0 * x * (y - x * x), 200.0 * (y - x * x)];
            (value, gradient)
        };
        let found = bfgs(f, vec![-1.2, 1.0], 1e-10, 500).unwrap();
        assert!((found.point[0] - 1.0).abs() < 1e-6 && (found.point[1] - 1.0).abs() < 1e-6);
    }
}
