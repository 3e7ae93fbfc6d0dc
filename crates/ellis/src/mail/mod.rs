//! Email: what each message says (templates under `templates/email/<name>/`), and the outbox worker that
//! delivers them. Emails carry no personal data beyond the first name (DESIGN.md §5).

pub mod worker;

use askama::Template;

/// A message ready for the outbox.
pub struct Composed {
    pub to: String,
    pub subject: String,
    pub text: String,
    pub html: String,
}

impl Composed {
    pub fn as_new_email(&self) -> ellis_store::NewEmail<'_> {
        ellis_store::NewEmail { to: &self.to, subject: &self.subject, body_text: &self.text, body_html: &self.html }
    }
}

/// Wires an email's data struct to its plain-text and HTML templates (which read it as `e`) and its
/// subject, giving it a `compose(to)` method.
macro_rules! email {
    ($name:ident, $text:literal, $html:literal, |$e:ident| $subject:expr) => {
        impl $name {
            pub fn compose(&self, to: &str) -> askama::Result<Composed> {
                #[derive(Template)]
                #[template(path = $text)]
                struct Text<'a> {
                    e: &'a $name,
                }
                #[derive(Template)]
                #[template(path = $html)]
                struct Html<'a> {
                    e: &'a $name,
                }
                let $e = self;
                let subject: String = $subject.into();
                Ok(Composed {
                    to: to.to_owned(),
                    subject,
                    text: Text { e: self }.render()?,
                    html: Html { e: self }.render()?,
                })
            }
        }
    };
}

/// The link that verifies a new account's email address.
pub struct VerifyEmail {
    pub given_name: String,
    pub link: String,
}
email!(VerifyEmail, "email/verify_email/body.txt", "email/verify_email/body.html", |_e| "Confirm your email address");

/// Sent instead of a verification link when someone signs up with an address that has an account, so the
/// sign-up answer itself never tells whether the address is known.
pub struct AlreadyRegistered {
    pub given_name: String,
    pub sign_in_link: String,
}
email!(AlreadyRegistered, "email/already_registered/body.txt", "email/already_registered/body.html", |_e| {
    "You already have a USCIS Online Account"
});

/// A 6-digit code for signing in, or for confirming a password reset.
pub struct OneTimeCode {
    pub given_name: String,
    pub code: String,
    /// What the code is for, e.g. "sign-in" or "password reset".
    pub purpose: &'static str,
}
email!(OneTimeCode, "email/one_time_code/body.txt", "email/one_time_code/body.html", |e| format!(
    "Your {} code",
    e.purpose
));

/// The link that starts setting a new password (30 minutes, single use).
pub struct PasswordReset {
    pub given_name: String,
    pub link: String,
}
email!(PasswordReset, "email/password_reset/body.txt", "email/password_reset/body.html", |_e| "Reset your password");

/// A reminder of the username (the address it is sent to), after a "forgot username" request matched.
pub struct UsernameReminder {
    pub given_name: String,
    pub sign_in_link: String,
}
email!(UsernameReminder, "email/username_reminder/body.txt", "email/username_reminder/body.html", |_e| {
    "Your USCIS Online Account username"
});

/// Sent to a new address: the link that makes it the account's sign-in address.
pub struct ConfirmNewEmail {
    pub given_name: String,
    pub link: String,
}
email!(ConfirmNewEmail, "email/confirm_new_email/body.txt", "email/confirm_new_email/body.html", |_e| {
    "Confirm your new email address"
});

/// A security alert: what happened, and the "this wasn't me" link (10 days) when the holder should be able
/// to say so.
pub struct SecurityAlert {
    pub given_name: String,
    /// A short line, also the subject: "Your password was changed".
    pub headline: &'static str,
    /// One or two sentences on what happened and what it means.
    pub explanation: String,
    pub not_me_link: Option<String>,
}
email!(SecurityAlert, "email/security_alert/body.txt", "email/security_alert/body.html", |e| e.headline);

/// Lost-factor recovery started: when it can finish, and the link that cancels it.
pub struct RecoveryStarted {
    pub given_name: String,
    pub ready_at: String,
    pub cancel_link: String,
}
email!(RecoveryStarted, "email/recovery_started/body.txt", "email/recovery_started/body.html", |_e| {
    "Someone started recovering your account"
});

/// Something changed on a case: says only that, and where to sign in (no case details in email).
pub struct CaseUpdated {
    pub given_name: String,
    pub link: String,
}
email!(CaseUpdated, "email/case_updated/body.txt", "email/case_updated/body.html", |_e| {
    "There is an update in your USCIS Online Account"
});

/// The first word of a given name: the only personal detail an email may carry.
pub fn first_name(given_name: &str) -> String {
    given_name.split_whitespace().next().unwrap_or("").to_owned()
}
