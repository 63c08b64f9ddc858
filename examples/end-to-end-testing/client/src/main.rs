fn main() -> std::io::Result<()> {
    let address = std::env::args()
        .nth(1)
        .unwrap_or_else(|| "127.0.0.1:7878".into());
    println!("{}", client::ping(&address, "hello")?);
    Ok(())
}
