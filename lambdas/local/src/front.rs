//! The local server's front door. It reads each request line before hyper
//! does, so an over-long one (a filter of thousands of terms) is answered
//! with a SCIM Error like every other refusal; hyper itself would answer
//! 414 with an empty body (an `http::Uri` holds at most 65,534 bytes).
//!
//! The cap is API Gateway's: a REST API takes at most 10,240 bytes of
//! request line and headers, so a longer request line could never reach the
//! deployed bridge either. Connections are not kept alive, so every request
//! passes this check.

use std::future::Future;
use std::io;
use std::pin::Pin;
use std::task::{Context, Poll};

use axum::Router;
use hyper_util::rt::TokioIo;
use hyper_util::service::TowerToHyperService;
use tokio::io::{AsyncRead, AsyncReadExt, AsyncWrite, AsyncWriteExt, ReadBuf};
use tokio::net::{TcpListener, TcpStream};

/// The longest request line served, in bytes.
pub const MAX_REQUEST_LINE: usize = 10_240;

/// Serves `app` on `listener` until `shutdown` completes.
pub async fn serve(listener: TcpListener, app: Router, shutdown: impl Future<Output = ()>) -> io::Result<()> {
    tokio::pin!(shutdown);
    loop {
        let (stream, _) = tokio::select! {
            accepted = listener.accept() => accepted?,
            () = &mut shutdown => return Ok(()),
        };
        let app = app.clone();
        tokio::spawn(async move {
            if let Err(e) = connection(stream, app).await {
                tracing::debug!(error = %e, "connection ended");
            }
        });
    }
}

async fn connection(mut stream: TcpStream, app: Router) -> io::Result<()> {
    let mut head = Vec::with_capacity(1024);
    let mut chunk = [0u8; 4096];
    loop {
        if head.windows(2).any(|w| w == b"\r\n") {
            break;
        }
        if head.len() > MAX_REQUEST_LINE {
            return refuse(&mut stream).await;
        }
        let read = stream.read(&mut chunk).await?;
        if read == 0 {
            return Ok(());
        }
        head.extend_from_slice(chunk.get(..read).unwrap_or_default());
    }
    let line_length = head.windows(2).position(|w| w == b"\r\n").unwrap_or(head.len());
    if line_length > MAX_REQUEST_LINE {
        return refuse(&mut stream).await;
    }
    let io = TokioIo::new(Replay { head, at: 0, stream });
    hyper::server::conn::http1::Builder::new()
        .keep_alive(false)
        .serve_connection(io, TowerToHyperService::new(app))
        .await
        .map_err(io::Error::other)
}

/// 414 with a SCIM Error body; the request itself is never read further.
async fn refuse(stream: &mut TcpStream) -> io::Result<()> {
    let body = serde_json::json!({
        "schemas": ["urn:ietf:params:scim:api:messages:2.0:Error"],
        "status": "414",
        "detail": format!(
            "The request line is longer than {MAX_REQUEST_LINE} bytes, the most the deployed API (API Gateway) \
             accepts: shorten the filter, or page with startIndex and count"
        ),
    })
    .to_string();
    let response = format!(
        "HTTP/1.1 414 URI Too Long\r\ncontent-type: application/scim+json\r\ncontent-length: {}\r\nconnection: close\r\n\r\n{body}",
        body.len()
    );
    stream.write_all(response.as_bytes()).await?;
    // Read what the client is still sending before closing: closing a socket
    // with unread data resets it, and the client could lose the answer.
    let drain = async {
        let mut sink = [0u8; 8192];
        let mut tail: Vec<u8> = Vec::new();
        let mut total = 0usize;
        while total < DRAIN_LIMIT {
            let read = stream.read(&mut sink).await?;
            if read == 0 {
                break;
            }
            total += read;
            tail.extend_from_slice(sink.get(..read).unwrap_or_default());
            if tail.windows(4).any(|w| w == b"\r\n\r\n") {
                break;
            }
            let keep = tail.len().saturating_sub(3);
            tail.drain(..keep);
        }
        Ok::<(), io::Error>(())
    };
    let _ = tokio::time::timeout(std::time::Duration::from_secs(2), drain).await;
    stream.shutdown().await
}

/// The most of a refused request read before closing.
const DRAIN_LIMIT: usize = 4 << 20;

/// A stream that first gives back the bytes already read from it.
struct Replay {
    head: Vec<u8>,
    at: usize,
    stream: TcpStream,
}

impl AsyncRead for Replay {
    fn poll_read(
        mut self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        buf: &mut ReadBuf<'_>,
    ) -> Poll<io::Result<()>> {
        let this = &mut *self;
        if let Some(rest) = this.head.get(this.at..).filter(|r| !r.is_empty()) {
            let n = rest.len().min(buf.remaining());
            buf.put_slice(rest.get(..n).unwrap_or_default());
            this.at += n;
            return Poll::Ready(Ok(()));
        }
        Pin::new(&mut this.stream).poll_read(cx, buf)
    }
}

impl AsyncWrite for Replay {
    fn poll_write(mut self: Pin<&mut Self>, cx: &mut Context<'_>, buf: &[u8]) -> Poll<io::Result<usize>> {
        Pin::new(&mut self.stream).poll_write(cx, buf)
    }

    fn poll_flush(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<io::Result<()>> {
        Pin::new(&mut self.stream).poll_flush(cx)
    }

    fn poll_shutdown(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<io::Result<()>> {
        Pin::new(&mut self.stream).poll_shutdown(cx)
    }
}
