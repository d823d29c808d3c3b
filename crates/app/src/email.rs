//! Notification emails: each notification for a worker with an email address puts a row in the
//! outbox (in the same transaction as the change); [`App::send_waiting_emails`] sends what is
//! due through the authority's SMTP relay, retrying failures with a growing wait.
//!
//! An email carries no personal data: only what kind of thing is waiting and a link to sign
//! in and see it. The relay is trusted plain SMTP on the local network (a relay that speaks
//! TLS upstream); frontdoor does not authenticate to it. Off unless `[email] smtp_relay` is set.

use crate::administration::ActingAs;
use crate::{App, AppError};
use frontdoor_domain::authorization::Action;
use frontdoor_domain::ids::WorkerId;
use frontdoor_store::events::NewEvent;
use serde_json::json;
use std::time::Duration;
use tokio::io::{AsyncBufReadExt, AsyncWriteExt, BufReader};
use tokio::net::TcpStream;

/// Where and as whom to send.
#[derive(Debug, Clone)]
pub struct EmailSettings {
    /// `host:port` of the SMTP relay.
    pub smtp_relay: String,
    /// The sender address, e.g. `frontdoor@council.example`.
    pub from: String,
    /// The address users reach frontdoor at, for links (e.g. `https://frontdoor.council.example`).
    pub base_url: String,
}

/// The subject and body of a notification email: what kind of thing waits, and a link. Nothing
/// about a child, a family or a partner agency.
pub fn email_text(kind: &str, base_url: &str, link: &str) -> (String, String) {
    let what = match kind {
        "new_information_request" => "You have a new information request",
        "information_request_answered" => "An information request you sent has been answered",
        "information_request_withdrawn" => {
            "An information request to your organisation was withdrawn and needs no answer"
        }
        "decision_returned" => "A recommendation you made has been returned to you",
        "authorisation_waiting" => "A recommendation is waiting for your authorisation",
        _ => "Something is waiting for you",
    };
    (
        format!("frontdoor: {}", what.to_lowercase()),
        format!(
            "{what}. Sign in to frontdoor to see it:\r\n{}{link}\r\n\r\nThis email holds no details on purpose: they stay in frontdoor.\r\n",
            base_url.trim_end_matches('/')
        ),
    )
}

/// A plausible single address with nothing that could add a header or a second recipient.
pub fn is_safe_address(address: &str) -> bool {
    let address = address.trim();
    address.len() <= 254
        && address.split('@').count() == 2
        && address.split('@').all(|part| {
            !part.is_empty()
                && part
                    .chars()
                    .all(|c| c.is_ascii_graphic() && !"<>,;\"()[]\\".contains(c))
        })
}

/// Wait before the next try after `attempts` failures: 1, 2, 4 ... minutes, at most an hour.
pub fn retry_after(attempts: i32) -> chrono::Duration {
    let minutes = 1_i64 << attempts.clamp(0, 6);
    chrono::Duration::minutes(minutes.min(60))
}

#[derive(Debug, thiserror::Error)]
enum SmtpError {
    #[error("the relay did not answer in time")]
    Timeout,
    #[error("cannot reach the relay: {0}")]
    Io(#[from] std::io::Error),
    #[error("the relay refused: {0}")]
    Refused(String),
}

/// Reads one (possibly multi-line) reply and checks its code starts with `expect`.
async fn reply(
    reader: &mut BufReader<tokio::net::tcp::OwnedReadHalf>,
    expect: char,
) -> Result<(), SmtpError> {
    loop {
        let mut line = String::new();
        if reader.read_line(&mut line).await? == 0 {
            return Err(SmtpError::Refused("the connection closed".into()));
        }
        if !line.starts_with(expect) {
            return Err(SmtpError::Refused(line.trim().chars().take(200).collect()));
        }
        // "250-..." continues; "250 ..." ends.
        if line.as_bytes().get(3) != Some(&b'-') {
            return Ok(());
        }
    }
}

async fn send_one(
    settings: &EmailSettings,
    to: &str,
    subject: &str,
    body: &str,
) -> Result<(), SmtpError> {
    let stream = TcpStream::connect(&settings.smtp_relay).await?;
    let (read, mut write) = stream.into_split();
    let mut reader = BufReader::new(read);
    reply(&mut reader, '2').await?;
    for (line, expect) in [
        ("EHLO frontdoor\r\n".to_string(), '2'),
        (format!("MAIL FROM:<{}>\r\n", settings.from), '2'),
        (format!("RCPT TO:<{to}>\r\n"), '2'),
        ("DATA\r\n".to_string(), '3'),
    ] {
        write.write_all(line.as_bytes()).await?;
        reply(&mut reader, expect).await?;
    }
    // Dot-stuffing: a line starting with '.' gets another.
    let body = body
        .split("\r\n")
        .map(|line| {
            if line.starts_with('.') {
                format!(".{line}")
            } else {
                line.to_string()
            }
        })
        .collect::<Vec<_>>()
        .join("\r\n");
    let message = format!(
        "From: <{}>\r\nTo: <{to}>\r\nSubject: {subject}\r\nContent-Type: text/plain; charset=utf-8\r\n\r\n{body}\r\n.\r\n",
        settings.from
    );
    write.write_all(message.as_bytes()).await?;
    reply(&mut reader, '2').await?;
    write.write_all(b"QUIT\r\n").await?;
    // The message is accepted already; a relay that closes without a goodbye is no failure.
    let _ = reply(&mut reader, '2').await;
    Ok(())
}

impl App {
    /// Sends the notification emails that are due, through the relay; returns how many went.
    /// A failure is kept for a later try (see [`retry_after`]), with its error, never logged
    /// with an address.
    pub async fn send_waiting_emails(&self, settings: &EmailSettings) -> Result<usize, AppError> {
        let now = self.now();
        let due = self.store.emails_due(now, 50).await?;
        let mut sent = 0;
        for email in due {
            // Another server may be sending the same outbox: only the one that claims it sends.
            if !self
                .store
                .claim_email(email.id, now, now + chrono::Duration::minutes(5))
                .await?
            {
                continue;
            }
            let (subject, body) = email_text(&email.kind, &settings.base_url, &email.link);
            let result = if is_safe_address(&email.to) && is_safe_address(&settings.from) {
                match tokio::time::timeout(
                    Duration::from_secs(20),
                    send_one(settings, email.to.trim(), &subject, &body),
                )
                .await
                {
                    Ok(result) => result,
                    Err(_) => Err(SmtpError::Timeout),
                }
            } else {
                Err(SmtpError::Refused(
                    "the recipient's or sender's address is not valid".into(),
                ))
            };
            match result {
                Ok(()) => {
                    self.store.email_sent(email.id, self.now()).await?;
                    sent += 1;
                }
                Err(error) => {
                    tracing::warn!(email = %email.id, attempts = email.attempts + 1, %error, "notification email not sent; will retry");
                    self.store
                        .email_failed(
                            email.id,
                            &error.to_string(),
                            now + retry_after(email.attempts),
                        )
                        .await?;
                }
            }
        }
        Ok(sent)
    }

    /// Sends waiting emails every `every` until the process ends (the server spawns this when
    /// a relay is configured).
    pub async fn run_email_outbox(self, settings: EmailSettings, every: Duration) {
        loop {
            if let Err(error) = self.send_waiting_emails(&settings).await {
                tracing::warn!(%error, "could not read the email outbox");
            }
            tokio::time::sleep(every).await;
        }
    }

    /// Sets (or, with an empty text, clears) the address a worker's notification emails go to.
    pub async fn set_worker_email(
        &self,
        by: &ActingAs,
        worker: WorkerId,
        email: &str,
    ) -> Result<(), AppError> {
        by.require(Action::ManageWorkers)?;
        let email = email.trim();
        if !email.is_empty() && !is_safe_address(email) {
            return Err(AppError::invalid(
                "email",
                "Enter an email address like name@council.example.",
            ));
        }
        let now = self.now();
        let mut tx = self.store.begin().await?;
        if !frontdoor_store::notifications::set_worker_email(
            &mut tx,
            by.authority(),
            worker,
            (!email.is_empty()).then_some(email),
        )
        .await?
        {
            return Err(AppError::NotFound("The worker"));
        }
        NewEvent::new(by.authority(), now, "worker_email_set", worker.0)
            .recorded_by(by.worker())
            .with(json!({ "email_set": !email.is_empty() }))
            .append(&mut tx)
            .await?;
        tx.commit().await?;
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn emails_say_only_what_waits_and_where() {
        let (subject, body) = email_text(
            "new_information_request",
            "https://fd.example/",
            "/partner/requests/0190",
        );
        assert_eq!(subject, "frontdoor: you have a new information request");
        assert!(body.starts_with("You have a new information request. Sign in to frontdoor"));
        assert!(body.contains("https://fd.example/partner/requests/0190"));
    }

    #[test]
    fn addresses_cannot_smuggle_headers_or_recipients() {
        assert!(is_safe_address("pc.jones@police.example"));
        for bad in [
            "",
            "no-at-sign",
            "a@b@c",
            "a@b\r\nBcc: x@y",
            "a b@c",
            "<a@b>",
            "a@b,c@d",
        ] {
            assert!(!is_safe_address(bad), "{bad:?}");
        }
    }

    #[test]
    fn retries_wait_longer_each_time_up_to_an_hour() {
        let waits: Vec<i64> = (0..9).map(|n| retry_after(n).num_minutes()).collect();
        assert_eq!(waits, [1, 2, 4, 8, 16, 32, 60, 60, 60]);
    }
}
