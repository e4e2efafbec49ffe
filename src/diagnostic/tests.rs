use super::*;

#[test]
fn a_plain_text_is_never_read_for_a_place() {
    // Places are built where a problem arises; a message that merely looks
    // located stays a plain message.
    let d = Diagnostics::from("data/customers.csv:12:4: segment: expected a number".to_string());
    assert_eq!((d.0[0].file.as_os_str().is_empty(), d.0[0].position), (true, None));
    let boxed = Box::new(Diagnostic::error("r.toml", Some((2, 3)), "bad").with_hint("try"));
    assert_eq!(Diagnostics::from(boxed).0[0].to_string(), "r.toml:2:3: bad; try");
}

#[test]
fn the_short_form_puts_hints_after_the_message() {
    let d = Diagnostic::error("r.toml", Some((2, 3)), "unknown segment \"kep\"")
        .with_hint("did you mean \"keep\"?");
    assert_eq!(d.to_string(), "r.toml:2:3: unknown segment \"kep\"; did you mean \"keep\"?");
    assert_eq!(Diagnostic::plain("no sales").to_string(), "no sales");
}
