//! Mail as the user receives it: the outbox worker runs once and the `.eml` files it wrote are read back.

use std::path::PathBuf;

use super::TestApp;

#[derive(Debug, Clone)]
pub struct Email {
    pub to: String,
    pub subject: String,
    pub text: String,
    pub html: String,
}

impl Email {
    /// The first link in the plain-text body.
    pub fn link(&self) -> String {
        let start = self.text.find("http").unwrap_or_else(|| panic!("no link in {:?}", self.text));
        self.text[start..].split_whitespace().next().expect("link").to_owned()
    }

    /// The `token` parameter of the first link.
    pub fn token(&self) -> String {
        let link = self.link();
        link.split("token=").nth(1).expect("token in link").to_owned()
    }

    /// The first run of six digits in the body.
    pub fn code(&self) -> String {
        let digits: Vec<char> = self.text.chars().collect();
        for window in digits.windows(6) {
            if window.iter().all(char::is_ascii_digit) {
                return window.iter().collect();
            }
        }
        panic!("no code in {:?}", self.text)
    }
}

impl TestApp {
    /// Delivers everything queued and returns the emails written since the last call.
    pub async fn deliver_mail(&self) -> Vec<Email> {
        // One delivery at a time: a concurrent caller must not read the folder while another writes to it.
        let _delivering = self.delivering.lock().await;
        ellis::mail::worker::deliver_due(&self.state, &self.transport).await.expect("outbox delivery");
        let mut files: Vec<(std::time::SystemTime, PathBuf)> = std::fs::read_dir(&self.outbox)
            .map(|dir| {
                dir.filter_map(Result::ok)
                    .map(|entry| (entry.metadata().and_then(|m| m.modified()).expect("mtime"), entry.path()))
                    .collect()
            })
            .unwrap_or_default();
        files.sort();
        let mut seen = self.seen_mail.lock().expect("seen mail");
        let mut fresh = Vec::new();
        for (_, path) in files {
            if !seen.contains(&path) {
                fresh.push(parse(&std::fs::read_to_string(&path).expect("eml file")));
                seen.push(path);
            }
        }
        self.inbox.lock().expect("inbox").extend(fresh.iter().cloned());
        fresh
    }

    /// The one email just sent to `to` with a subject containing `subject`; fails if there is none.
    pub async fn email_to(&self, to: &str, subject: &str) -> Email {
        self.deliver_mail().await;
        // Taken out of the shared inbox, so tests running several people at once each get their own.
        let mut inbox = self.inbox.lock().expect("inbox");
        let index = inbox
            .iter()
            .rposition(|e| e.to == to && e.subject.contains(subject))
            .unwrap_or_else(|| panic!("no email to {to} about {subject:?}"));
        inbox.remove(index)
    }
}

impl TestApp {
    /// Every email just sent to `to`, taken out of the inbox (oldest first).
    pub async fn emails_to(&self, to: &str) -> Vec<Email> {
        self.deliver_mail().await;
        let mut inbox = self.inbox.lock().expect("inbox");
        let (mine, rest): (Vec<Email>, Vec<Email>) = inbox.drain(..).partition(|e| e.to == to);
        *inbox = rest;
        mine
    }
}

fn parse(eml: &str) -> Email {
    let header = |name: &str| {
        eml.lines()
            .find_map(|line| line.strip_prefix(name))
            .map(|v| v.trim().trim_matches(|c| c == '<' || c == '>').to_owned())
            .unwrap_or_default()
    };
    let part = |content_type: &str| {
        let start = eml.find(content_type).unwrap_or_else(|| panic!("no {content_type} part"));
        let body_start = start
            + eml[start..]
                .find("\r\n\r\n")
                .map(|i| i + 4)
                .or_else(|| eml[start..].find("\n\n").map(|i| i + 2))
                .expect("part body");
        let end = eml[body_start..]
            .find("\r\n--")
            .or_else(|| eml[body_start..].find("\n--"))
            .map_or(eml.len(), |i| body_start + i);
        eml[body_start..end].replace("\r\n", "\n")
    };
    Email {
        to: header("To: "),
        subject: header("Subject: "),
        text: part("Content-Type: text/plain"),
        html: part("Content-Type: text/html"),
    }
}
