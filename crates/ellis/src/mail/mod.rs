//! Email: what each message says (templates under `templates/email/<name>/`), and the outbox worker that
//! delivers them. Emails carry no personal data beyond the first name (DESIGN.md §5).

pub mod worker;

use askama::Template;

/// A message ready for the outbox.
pub struct Composed {
    pub to: String,
    pub subject: &'static str,
    pub text: String,
    pub html: String,
}

impl Composed {
    pub fn as_new_email(&self) -> ellis_store::NewEmail<'_> {
        ellis_store::NewEmail { to: &self.to, subject: self.subject, body_text: &self.text, body_html: &self.html }
    }
}

/// The link that verifies a new account's email address.
pub struct VerifyEmail {
    pub given_name: String,
    pub link: String,
}

/// Sent instead of a verification link when someone signs up with an address that has an account, so the
/// sign-up answer itself never tells whether the address is known.
pub struct AlreadyRegistered {
    pub given_name: String,
    pub sign_in_link: String,
}

/// A 6-digit code for signing in.
pub struct SignInCode {
    pub given_name: String,
    pub code: String,
}

#[derive(Template)]
#[template(path = "email/verify_email/body.txt")]
struct VerifyEmailText<'a> {
    e: &'a VerifyEmail,
}

#[derive(Template)]
#[template(path = "email/verify_email/body.html")]
struct VerifyEmailHtml<'a> {
    e: &'a VerifyEmail,
}

#[derive(Template)]
#[template(path = "email/already_registered/body.txt")]
struct AlreadyRegisteredText<'a> {
    e: &'a AlreadyRegistered,
}

#[derive(Template)]
#[template(path = "email/already_registered/body.html")]
struct AlreadyRegisteredHtml<'a> {
    e: &'a AlreadyRegistered,
}

#[derive(Template)]
#[template(path = "email/sign_in_code/body.txt")]
struct SignInCodeText<'a> {
    e: &'a SignInCode,
}

#[derive(Template)]
#[template(path = "email/sign_in_code/body.html")]
struct SignInCodeHtml<'a> {
    e: &'a SignInCode,
}

impl VerifyEmail {
    pub fn compose(&self, to: &str) -> askama::Result<Composed> {
        compose(to, "Confirm your email address", VerifyEmailText { e: self }, VerifyEmailHtml { e: self })
    }
}

impl AlreadyRegistered {
    pub fn compose(&self, to: &str) -> askama::Result<Composed> {
        compose(
            to,
            "You already have a USCIS Online Account",
            AlreadyRegisteredText { e: self },
            AlreadyRegisteredHtml { e: self },
        )
    }
}

impl SignInCode {
    pub fn compose(&self, to: &str) -> askama::Result<Composed> {
        compose(to, "Your sign-in code", SignInCodeText { e: self }, SignInCodeHtml { e: self })
    }
}

fn compose(to: &str, subject: &'static str, text: impl Template, html: impl Template) -> askama::Result<Composed> {
    Ok(Composed { to: to.to_owned(), subject, text: text.render()?, html: html.render()? })
}

/// The first word of a given name: the only personal detail an email may carry.
pub fn first_name(given_name: &str) -> String {
    given_name.split_whitespace().next().unwrap_or("").to_owned()
}
