//! A small HTTP/1.1 client over one kept-alive connection, for the tests and the benchmark of
//! `paralign serve` (a pool of such connections is how a CAT tool or Weblate's HTTP session
//! calls a server), and percent-encoding as Weblate does it. Errors are returned, not
//! asserted: the caller counts them.
#![allow(dead_code)] // the benchmark uses a part of it

use std::io::{self, BufRead, BufReader, Read, Write};
use std::net::TcpStream;

/// One connection to the server.
pub struct Conn {
    stream: BufReader<TcpStream>,
    addr: String,
}

/// An answer: the status, the head (status line and headers) and the body.
pub struct Response {
    pub status: u16,
    pub head: String,
    pub body: Vec<u8>,
}

impl Response {
    /// The body as text.
    pub fn text(&self) -> String {
        String::from_utf8_lossy(&self.body).into_owned()
    }
}

fn bad(what: &str) -> io::Error {
    io::Error::new(io::ErrorKind::InvalidData, what.to_string())
}

impl Conn {
    pub fn open(addr: &str) -> io::Result<Conn> {
        let s = TcpStream::connect(addr)?;
        s.set_nodelay(true)?;
        Ok(Conn {
            stream: BufReader::new(s),
            addr: addr.to_string(),
        })
    }

    /// Give up reading an answer after `limit`.
    pub fn set_timeout(&self, limit: std::time::Duration) -> io::Result<()> {
        self.stream.get_ref().set_read_timeout(Some(limit))
    }

    /// Send one request (extra header lines in `headers`) and read its answer whole.
    pub fn send(
        &mut self,
        method: &str,
        path: &str,
        headers: &[&str],
        body: &[u8],
    ) -> io::Result<Response> {
        let extra: String = headers.iter().map(|h| format!("{h}\r\n")).collect();
        let mut req = format!(
            "{method} {path} HTTP/1.1\r\nHost: {}\r\n{extra}Content-Length: {}\r\n\r\n",
            self.addr,
            body.len()
        )
        .into_bytes();
        req.extend_from_slice(body);
        self.stream.get_mut().write_all(&req)?;
        let mut head = String::new();
        loop {
            let mut line = String::new();
            if self.stream.read_line(&mut line)? == 0 {
                return Err(bad("the server closed the connection"));
            }
            if line == "\r\n" {
                break;
            }
            head.push_str(&line);
        }
        let status: u16 = head
            .split(' ')
            .nth(1)
            .and_then(|s| s.parse().ok())
            .ok_or_else(|| bad("no status"))?;
        let lower = head.to_ascii_lowercase();
        let length = lower
            .lines()
            .find_map(|l| l.strip_prefix("content-length:"))
            .and_then(|v| v.trim().parse::<usize>().ok());
        let body = match length {
            Some(n) => {
                let mut b = vec![0; n];
                self.stream.read_exact(&mut b)?;
                b
            }
            None if lower.contains("transfer-encoding: chunked") => self.chunked()?,
            None => return Err(bad("neither a length nor chunks")),
        };
        Ok(Response { status, head, body })
    }

    fn chunked(&mut self) -> io::Result<Vec<u8>> {
        let mut out = Vec::new();
        loop {
            let mut line = String::new();
            self.stream.read_line(&mut line)?;
            let n = usize::from_str_radix(line.trim(), 16).map_err(|_| bad("chunk size"))?;
            let mut chunk = vec![0; n + 2];
            self.stream.read_exact(&mut chunk)?;
            if n == 0 {
                return Ok(out);
            }
            out.extend_from_slice(&chunk[..n]);
        }
    }
}

/// Percent-encode as Python's `urllib.parse.quote` does (safe: letters, digits, `_.-~/`), as
/// Weblate encodes the text of a tmserver request.
pub fn quote(text: &str) -> String {
    text.bytes()
        .map(|c| {
            if c.is_ascii_alphanumeric() || b"_.-~/".contains(&c) {
                (c as char).to_string()
            } else {
                format!("%{c:02X}")
            }
        })
        .collect()
}
