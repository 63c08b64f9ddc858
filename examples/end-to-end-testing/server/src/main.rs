//! Answers each line sent to it with `pong <line>`, on the address given as argument.

use std::io::{BufRead, BufReader, Write};
use std::net::TcpListener;

fn main() -> std::io::Result<()> {
    let address = std::env::args()
        .nth(1)
        .unwrap_or_else(|| "127.0.0.1:7878".into());
    let listener = TcpListener::bind(&address)?;
    eprintln!("server: listening on {address}");
    for stream in listener.incoming() {
        let mut stream = stream?;
        let mut line = String::new();
        BufReader::new(&stream).read_line(&mut line)?;
        writeln!(stream, "pong {}", line.trim_end())?;
    }
    Ok(())
}
