//! A small deterministic random source and the distributions the generator draws from.
//!
//! The sample files must stay byte-identical for a given spec and seed, forever and on
//! every platform. So nothing here depends on an external crate's algorithm choices or
//! on the platform's libm: `ln` and `exp` from libm may differ in the last bit between
//! systems, and after rounding to cents that would occasionally change a figure. Only
//! IEEE basic operations (+ − × ÷, sqrt, round) are used, which are exactly specified.

/// SplitMix64 increment (the golden ratio in 64-bit fixed point).
const GOLDEN: u64 = 0x9E37_79B9_7F4A_7C15;

/// A SplitMix64 generator: tiny state, good statistical quality, trivially seekable.
#[derive(Clone, Debug)]
pub(crate) struct Rng(u64);

impl Rng {
    /// A generator starting from `seed`.
    pub fn new(seed: u64) -> Rng {
        Rng(seed)
    }

    /// An independent stream for one `(purpose, key)` pair of a seed.
    ///
    /// Each customer, month and invoice draws from its own stream, so changing how
    /// much one part of the data consumes never shifts the numbers of another part.
    pub fn stream(seed: u64, purpose: u64, key: u64) -> Rng {
        let base = mix(seed.wrapping_add(purpose.wrapping_mul(GOLDEN)));
        Rng(mix(base ^ key.wrapping_mul(0xD1B5_4A32_D192_ED03)))
    }

    pub fn next_u64(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(GOLDEN);
        mix(self.0)
    }

    /// Uniform in `[0, 1)` with 53 random bits.
    pub fn unit(&mut self) -> f64 {
        (self.next_u64() >> 11) as f64 * (1.0 / (1u64 << 53) as f64)
    }

    /// Uniform integer in `0..n` (Lemire's multiply-shift; the bias is below 2⁻⁴⁰ here).
    pub fn below(&mut self, n: u64) -> u64 {
        ((u128::from(self.next_u64()) * u128::from(n)) >> 64) as u64
    }

    /// Uniform in `[lo, hi)`.
    pub fn range(&mut self, lo: f64, hi: f64) -> f64 {
        lo + (hi - lo) * self.unit()
    }

    /// True with probability `p`.
    pub fn chance(&mut self, p: f64) -> bool {
        self.unit() < p
    }

    /// Standard normal, by Marsaglia's polar form of Box–Muller (no sin/cos needed).
    pub fn normal(&mut self) -> f64 {
        loop {
            let u = 2.0 * self.unit() - 1.0;
            let v = 2.0 * self.unit() - 1.0;
            let s = u * u + v * v;
            if s > 0.0 && s < 1.0 {
                return u * (-2.0 * ln(s) / s).sqrt();
            }
        }
    }

    /// Lognormal with the given median and log-scale spread.
    pub fn lognormal(&mut self, median: f64, sigma: f64) -> f64 {
        median * exp(sigma * self.normal())
    }

    /// Poisson count: Knuth's product method for small means, a rounded normal above 30
    /// (invoice counts only need the right mean and a plausible spread).
    pub fn poisson(&mut self, mean: f64) -> u64 {
        if mean <= 0.0 {
            return 0;
        }
        if mean >= 30.0 {
            let x = mean + mean.sqrt() * self.normal();
            return x.round().max(0.0) as u64;
        }
        let limit = exp(-mean);
        let mut product = self.unit();
        let mut count = 0;
        while product > limit {
            product *= self.unit();
            count += 1;
        }
        count
    }

    /// Number of successes in `trials` draws of probability `p`.
    pub fn binomial(&mut self, trials: u32, p: f64) -> u32 {
        (0..trials).map(|_| u32::from(self.chance(p))).sum()
    }

    /// One item, uniformly.
    pub fn pick<'a, T>(&mut self, items: &'a [T]) -> &'a T {
        &items[self.below(items.len() as u64) as usize]
    }

    /// An index drawn with probability proportional to `weights`.
    pub fn weighted(&mut self, weights: &[f64]) -> usize {
        let total: f64 = weights.iter().sum();
        let mut target = self.unit() * total;
        for (i, w) in weights.iter().enumerate() {
            if target < *w {
                return i;
            }
            target -= w;
        }
        weights.len() - 1
    }

    /// Fisher–Yates shuffle.
    pub fn shuffle<T>(&mut self, items: &mut [T]) {
        for i in (1..items.len()).rev() {
            let j = self.below(i as u64 + 1) as usize;
            items.swap(i, j);
        }
    }
}

/// SplitMix64 output function (a strong 64-bit mixer).
fn mix(mut z: u64) -> u64 {
    z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
    z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
    z ^ (z >> 31)
}

/// ln 2 split in a high part with trailing zero bits (so `n * LN_2_HI` is exact) and
/// the remainder, as in fdlibm.
const LN_2_HI: f64 = f64::from_bits(0x3FE6_2E42_FEE0_0000);
const LN_2_LO: f64 = f64::from_bits(0x3DEA_39EF_3579_3C76);

/// `e^x` from basic operations only: `x = n·ln2 + r`, a Taylor series for `e^r`
/// (|r| ≤ 0.35, so 16 terms are exact to the last bit or two), then a scale by `2^n`.
pub(crate) fn exp(x: f64) -> f64 {
    if x > 700.0 {
        return f64::INFINITY;
    }
    if x < -700.0 {
        return 0.0;
    }
    let n = (x * std::f64::consts::LOG2_E).round();
    let r = (x - n * LN_2_HI) - n * LN_2_LO;
    let mut series = 1.0;
    for k in (1..=16).rev() {
        series = 1.0 + series * r / f64::from(k);
    }
    series * f64::from_bits(((n as i64 + 1023) as u64) << 52)
}

/// Natural logarithm of a positive normal number from basic operations only:
/// `x = m·2^e` with `m` in `[√½, √2)`, then `ln m = 2·atanh((m−1)/(m+1))` as a series.
pub(crate) fn ln(x: f64) -> f64 {
    debug_assert!(x.is_normal() && x > 0.0, "ln of {x}");
    let bits = x.to_bits();
    let mut e = ((bits >> 52) & 0x7FF) as i64 - 1023;
    let mut m = f64::from_bits((bits & 0x000F_FFFF_FFFF_FFFF) | 0x3FF0_0000_0000_0000);
    if m > std::f64::consts::SQRT_2 {
        m *= 0.5;
        e += 1;
    }
    let s = (m - 1.0) / (m + 1.0);
    let s2 = s * s;
    let mut series = 0.0;
    for k in (0..=14).rev() {
        series = series * s2 + 1.0 / f64::from(2 * k + 1);
    }
    2.0 * s * series + e as f64 * LN_2_HI + e as f64 * LN_2_LO
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn portable_exp_and_ln_match_libm_closely() {
        for i in -2000..=2000 {
            let x = f64::from(i) / 97.0;
            let (ours, libm) = (exp(x), x.exp());
            assert!((ours - libm).abs() <= libm * 1e-14, "exp({x}) = {ours} vs {libm}");
        }
        for i in 1..=4000 {
            let x = f64::from(i) * 0.37;
            let (ours, libm) = (ln(x), x.ln());
            assert!((ours - libm).abs() <= 1e-14 * libm.abs().max(1.0), "ln({x})");
        }
        assert!((ln(1e-300) - 1e-300f64.ln()).abs() < 1e-12);
    }

    #[test]
    fn streams_are_stable_and_distinct() {
        let a = Rng::stream(7, 1, 2).next_u64();
        assert_eq!(a, Rng::stream(7, 1, 2).next_u64());
        assert_ne!(a, Rng::stream(7, 2, 1).next_u64());
        assert_ne!(a, Rng::stream(8, 1, 2).next_u64());
    }

    #[test]
    fn distributions_have_the_right_means() {
        let mut rng = Rng::new(42);
        let n = 200_000;
        let normal: f64 = (0..n).map(|_| rng.normal()).sum::<f64>() / f64::from(n);
        assert!(normal.abs() < 0.01);
        for mean in [0.3, 4.0, 45.0] {
            let avg = (0..n).map(|_| rng.poisson(mean) as f64).sum::<f64>() / f64::from(n);
            assert!((avg - mean).abs() < mean * 0.02 + 0.01, "poisson {mean}: {avg}");
        }
        assert!((0..1000).all(|_| rng.below(3) < 3));
    }
}
