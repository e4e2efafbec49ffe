use super::*;

#[test]
fn reads_the_place_at_the_start_of_a_text() {
    let d = Diagnostic::from_text("data/customers.csv:12:4: segment: expected a number");
    assert_eq!(d.file, PathBuf::from("data/customers.csv"));
    assert_eq!(d.position, Some((12, 4)));
    assert_eq!(d.message, "segment: expected a number");
    let d = Diagnostic::from_text("out/plans.csv:3: the date is not a date");
    assert_eq!((d.file.to_str(), d.position), (Some("out/plans.csv"), Some((3, 0))));
    assert_eq!(d.to_string(), "out/plans.csv:3: the date is not a date");
    let d = Diagnostic::from_text("--months 130: expected 1 to 120");
    assert_eq!((d.file, d.position), (PathBuf::new(), None));
    assert_eq!(d.message, "--months 130: expected 1 to 120");
}

#[test]
fn the_short_form_puts_hints_after_the_message() {
    let d = Diagnostic::error("r.toml", Some((2, 3)), "unknown segment \"kep\"")
        .with_hint("did you mean \"keep\"?");
    assert_eq!(d.to_string(), "r.toml:2:3: unknown segment \"kep\"; did you mean \"keep\"?");
    assert_eq!(Diagnostic::plain("no sales").to_string(), "no sales");
}
