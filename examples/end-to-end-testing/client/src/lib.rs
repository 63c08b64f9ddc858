//! Talks to the server.

use std::io::{BufRead, BufReader, Write};
use std::net::TcpStream;

/// Sends `message` to the server at `address` and returns its answer.
pub fn ping(address: &str, message: &str) -> std::io::Result<String> {
    let mut stream = TcpStream::connect(address)?;
    writeln!(stream, "{message}")?;
    let mut answer = String::new();
    BufReader::new(stream).read_line(&mut answer)?;
    Ok(answer.trim_end().to_owned())
}

#[cfg(test)]
mod tests {
    /// Runs against a live server at $SERVER_ADDR (the flake's check starts one).
    #[test]
    fn server_answers() {
        let Ok(address) = std::env::var("SERVER_ADDR") else {
            eprintln!("SERVER_ADDR is not set; start the server and set it to run this test");
            return;
        };
        assert_eq!(super::ping(&address, "hello").unwrap(), "pong hello");
    }
}
