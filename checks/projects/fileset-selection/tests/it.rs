#[test]
fn word() {
    assert_eq!(member::WORD, "selected");
}
