//! Fast number formatting straight into a byte buffer.
//!
//! The benchmark data set has ten million lines; going through `format!` for each
//! field would dominate the run time, so integers are written digit by digit.

/// Appends the decimal digits of `value`.
pub(crate) fn push_uint(buf: &mut Vec<u8>, mut value: u64) {
    let mut digits = [0u8; 20];
    let mut at = digits.len();
    loop {
        at -= 1;
        digits[at] = b'0' + (value % 10) as u8;
        value /= 10;
        if value == 0 {
            break;
        }
    }
    buf.extend_from_slice(&digits[at..]);
}

/// Appends `value` zero-padded to at least `width` digits.
pub(crate) fn push_padded(buf: &mut Vec<u8>, value: u64, width: usize) {
    let mut digits = Vec::with_capacity(20);
    push_uint(&mut digits, value);
    buf.resize(buf.len() + width.saturating_sub(digits.len()), b'0');
    buf.extend_from_slice(&digits);
}

/// Appends a fixed-point number given in units of `10^-decimals` (`decimals` ≤ 3):
/// `push_fixed(buf, -12345, 2)` writes `-123.45`, `push_fixed(buf, 7, 0)` writes `7`.
pub(crate) fn push_fixed(buf: &mut Vec<u8>, value: i64, decimals: u32) {
    if value < 0 {
        buf.push(b'-');
    }
    let abs = value.unsigned_abs();
    if decimals == 0 {
        push_uint(buf, abs);
        return;
    }
    let scale = 10u64.pow(decimals);
    push_uint(buf, abs / scale);
    buf.push(b'.');
    let mut fraction = abs % scale;
    let mut digits = [b'0'; 3];
    for at in (0..decimals as usize).rev() {
        digits[at] = b'0' + (fraction % 10) as u8;
        fraction /= 10;
    }
    buf.extend_from_slice(&digits[..decimals as usize]);
}

/// Appends an amount in cents as `1234.50`.
pub(crate) fn push_cents(buf: &mut Vec<u8>, cents: i64) {
    push_fixed(buf, cents, 2);
}

/// A cents amount as a string (for the small customer master).
pub(crate) fn cents_string(cents: i64) -> String {
    let mut buf = Vec::with_capacity(16);
    push_cents(&mut buf, cents);
    String::from_utf8(buf).expect("digits are ASCII")
}

#[cfg(test)]
mod tests {
    use super::*;

    fn text(write: impl FnOnce(&mut Vec<u8>)) -> String {
        let mut buf = Vec::new();
        write(&mut buf);
        String::from_utf8(buf).unwrap()
    }

    #[test]
    fn formats_numbers() {
        assert_eq!(text(|b| push_uint(b, 0)), "0");
        assert_eq!(text(|b| push_uint(b, u64::MAX)), u64::MAX.to_string());
        assert_eq!(text(|b| push_padded(b, 123, 6)), "000123");
        assert_eq!(text(|b| push_padded(b, 1_234_567, 6)), "1234567");
        assert_eq!(text(|b| push_cents(b, -5)), "-0.05");
        assert_eq!(text(|b| push_cents(b, 123_450)), "1234.50");
        assert_eq!(text(|b| push_fixed(b, 12_345, 3)), "12.345");
        assert_eq!(text(|b| push_fixed(b, -7, 1)), "-0.7");
        assert_eq!(text(|b| push_fixed(b, 42, 0)), "42");
    }
}
