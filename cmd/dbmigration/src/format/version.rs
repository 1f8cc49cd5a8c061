//! Version ordering shared by the formats: numeric, never plain string order (`2_x` before
//! `10_x`), and without integer overflow on long timestamps.

use std::cmp::Ordering;

/// Compares two runs of ASCII digits by numeric value, at any length (`002` == `2`, `10` > `9`).
pub fn cmp_digits(a: &str, b: &str) -> Ordering {
    let a = a.trim_start_matches('0');
    let b = b.trim_start_matches('0');
    a.len().cmp(&b.len()).then_with(|| a.cmp(b))
}

/// Natural order: digit runs compare by value, everything else character by character;
/// ties (`01_a` vs `1_a`) are broken by plain string order so the order is total.
pub fn natural_cmp(a: &str, b: &str) -> Ordering {
    let (mut x, mut y) = (a, b);
    loop {
        match (x.chars().next(), y.chars().next()) {
            (None, None) => return a.cmp(b),
            (None, Some(_)) => return Ordering::Less,
            (Some(_), None) => return Ordering::Greater,
            (Some(c), Some(d)) if c.is_ascii_digit() && d.is_ascii_digit() => {
                let (dx, rx) = split_digits(x);
                let (dy, ry) = split_digits(y);
                match cmp_digits(dx, dy) {
                    Ordering::Equal => (x, y) = (rx, ry),
                    o => return o,
                }
            }
            (Some(c), Some(d)) => match c.cmp(&d) {
                Ordering::Equal => (x, y) = (&x[c.len_utf8()..], &y[d.len_utf8()..]),
                o => return o,
            },
        }
    }
}

/// Splits the leading run of ASCII digits off `s`.
pub fn split_digits(s: &str) -> (&str, &str) {
    let end = s.find(|c: char| !c.is_ascii_digit()).unwrap_or(s.len());
    s.split_at(end)
}

/// Compares dotted versions (`1.2.10` > `1.2.9`) part by part numerically; missing parts count
/// as zero, so `1` == `1.0` (as Flyway treats them).
pub fn cmp_dotted(a: &[&str], b: &[&str]) -> Ordering {
    for i in 0..a.len().max(b.len()) {
        let x = a.get(i).copied().unwrap_or("0");
        let y = b.get(i).copied().unwrap_or("0");
        match cmp_digits(x, y) {
            Ordering::Equal => {}
            o => return o,
        }
    }
    Ordering::Equal
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn digits_compare_by_value() {
        assert_eq!(cmp_digits("2", "10"), Ordering::Less);
        assert_eq!(cmp_digits("002", "2"), Ordering::Equal);
        assert_eq!(
            cmp_digits("99999999999999999999999", "100000000000000000000000"),
            Ordering::Less
        );
        assert_eq!(cmp_digits("0", "000"), Ordering::Equal);
    }

    #[test]
    fn natural_order() {
        let mut v = vec![
            "10_x.sql", "2_x.sql", "1_b.sql", "01_a.sql", "b.sql", "a10.sql", "a9.sql",
        ];
        v.sort_by(|a, b| natural_cmp(a, b));
        assert_eq!(
            v,
            [
                "01_a.sql", "1_b.sql", "2_x.sql", "10_x.sql", "a9.sql", "a10.sql", "b.sql"
            ]
        );
    }

    #[test]
    fn dotted_versions() {
        assert_eq!(
            cmp_dotted(&["1", "2", "10"], &["1", "2", "9"]),
            Ordering::Greater
        );
        assert_eq!(cmp_dotted(&["1"], &["1", "0"]), Ordering::Equal);
        assert_eq!(cmp_dotted(&["1", "10"], &["2"]), Ordering::Less);
    }

    proptest::proptest! {
        #[test]
        fn digits_agree_with_u128(a in 0u64..u64::MAX, b in 0u64..u64::MAX, za in 0usize..3, zb in 0usize..3) {
            let sa = format!("{}{a}", "0".repeat(za));
            let sb = format!("{}{b}", "0".repeat(zb));
            proptest::prop_assert_eq!(cmp_digits(&sa, &sb), a.cmp(&b));
        }

        #[test]
        fn natural_is_antisymmetric(a in "[a-c0-9_]{0,8}", b in "[a-c0-9_]{0,8}") {
            proptest::prop_assert_eq!(natural_cmp(&a, &b), natural_cmp(&b, &a).reverse());
        }
    }
}
