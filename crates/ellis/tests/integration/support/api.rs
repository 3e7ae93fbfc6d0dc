//! Talking to the JSON API as a client would, and the journeys many tests start from.

use ellis_core::totp::TotpSecret;
use reqwest::Method;
use serde_json::json;

use super::TestApp;

pub type Json = serde_json::Value;

/// A response, read whole.
#[derive(Debug)]
pub struct Answer {
    pub status: u16,
    pub body: Json,
    pub raw: String,
    pub headers: reqwest::header::HeaderMap,
}

impl Answer {
    /// The problem document's `code`.
    pub fn code(&self) -> &str {
        self.body["code"].as_str().unwrap_or("")
    }

    /// The fields named in a 422's `errors`.
    pub fn fields(&self) -> Vec<String> {
        self.body["errors"]
            .as_array()
            .map(|errors| errors.iter().filter_map(|e| e["field"].as_str().map(str::to_owned)).collect())
            .unwrap_or_default()
    }
}

pub const PASSWORD: &str = "correct horse battery staple";

/// An account that finished security setup.
pub struct Holder {
    pub email: String,
    pub password: String,
    pub token: String,
    pub totp: TotpSecret,
    pub backup_codes: Vec<String>,
    pub account_number: String,
}

impl TestApp {
    pub async fn call(&self, method: Method, path: &str, body: Option<Json>, token: Option<&str>) -> Answer {
        let mut request = self.http.request(method, self.url(path));
        if let Some(token) = token {
            request = request.bearer_auth(token);
        }
        if let Some(body) = body {
            request = request.json(&body);
        }
        let response = request.send().await.expect("request sent");
        let status = response.status().as_u16();
        let headers = response.headers().clone();
        let raw = response.text().await.expect("body read");
        let body = serde_json::from_str(&raw).unwrap_or(Json::Null);
        Answer { status, body, raw, headers }
    }

    pub async fn post(&self, path: &str, body: Json, token: Option<&str>) -> Answer {
        self.call(Method::POST, path, Some(body), token).await
    }

    /// `POST /api/v1/sessions/current/second-factor` with `method` and `code`.
    pub async fn step_up(&self, token: &str, method: &str, code: &str) -> Answer {
        self.post("/api/v1/sessions/current/second-factor", json!({"method": method, "code": code}), Some(token)).await
    }

    pub async fn get(&self, path: &str, token: &str) -> Answer {
        self.call(Method::GET, path, None, Some(token)).await
    }

    pub fn sign_up_body(email: &str) -> Json {
        json!({"email": email, "password": PASSWORD, "given_name": "Ana María", "family_name": "Díaz",
               "date_of_birth": "1990-04-01"})
    }

    /// Signs up and verifies the email.
    pub async fn register_verified(&self, email: &str) {
        let answer = self.post("/api/v1/accounts", Self::sign_up_body(email), None).await;
        assert_eq!(answer.status, 202, "{}", answer.raw);
        let token = self.email_to(email, "Confirm your email").await.token();
        let answer = self.post("/api/v1/email-verifications", json!({"token": token}), None).await;
        assert_eq!(answer.status, 200, "{}", answer.raw);
    }

    pub async fn sign_in(&self, email: &str, password: &str) -> Answer {
        self.post("/api/v1/sessions", json!({"email": email, "password": password}), None).await
    }

    /// Signs in with the password and returns the token, asserting success.
    pub async fn password_session(&self, email: &str) -> String {
        let answer = self.sign_in(email, PASSWORD).await;
        assert_eq!(answer.status, 201, "{}", answer.raw);
        answer.body["token"].as_str().expect("token").to_owned()
    }

    pub fn three_answers() -> Json {
        json!({"answers": [
            {"question_id": 1, "answer": "Fido"},
            {"question_id": 2, "answer": "San Antonio"},
            {"question_id": 5, "answer": "Mrs. Alvarez"},
        ]})
    }

    /// Enrols an authenticator on the session and confirms it; returns the secret and the confirm answer.
    pub async fn enrol_totp(&self, token: &str) -> (TotpSecret, Answer) {
        let started = self.post("/api/v1/me/totp", json!({}), Some(token)).await;
        assert_eq!(started.status, 201, "{}", started.raw);
        let secret = TotpSecret::from_base32(started.body["secret"].as_str().expect("secret")).expect("base32");
        let code = secret.code_at(self.now_unix());
        let confirmed = self.post("/api/v1/me/totp/confirm", json!({"code": code}), Some(token)).await;
        (secret, confirmed)
    }

    /// Registers, verifies, signs in and completes security setup.
    pub async fn holder(&self, email: &str) -> Holder {
        self.register_verified(email).await;
        let token = self.password_session(email).await;
        let answer =
            self.call(Method::PUT, "/api/v1/me/security-questions", Some(Self::three_answers()), Some(&token)).await;
        assert_eq!(answer.status, 204, "{}", answer.raw);
        let (totp, confirmed) = self.enrol_totp(&token).await;
        assert_eq!(confirmed.status, 200, "{}", confirmed.raw);
        let backup_codes = confirmed.body["backup_codes"]
            .as_array()
            .expect("codes")
            .iter()
            .map(|c| c.as_str().expect("code").to_owned())
            .collect();
        let account_number = confirmed.body["account_number"].as_str().expect("account number").to_owned();
        // The code just used is spent; later sign-ins need a later step.
        self.advance(time::Duration::seconds(30));
        Holder { email: email.to_owned(), password: PASSWORD.to_owned(), token, totp, backup_codes, account_number }
    }

    /// Asks for a password reset and returns the link's token.
    pub async fn reset_token(&self, email: &str) -> String {
        let answer = self.post("/api/v1/password-resets", json!({"email": email}), None).await;
        assert_eq!(answer.status, 202, "{}", answer.raw);
        self.email_to(email, "Reset your password").await.token()
    }

    /// `POST /api/v1/password-resets/confirm` with an optional `(method, code)`.
    pub async fn confirm_reset(&self, token: &str, new_password: &str, factor: Option<(&str, &str)>) -> Answer {
        let mut body = json!({"token": token, "new_password": new_password});
        if let Some((method, code)) = factor {
            body["second_factor"] = json!({"method": method, "code": code});
        }
        self.post("/api/v1/password-resets/confirm", body, None).await
    }

    /// A new session for a holder, through password and authenticator code.
    pub async fn two_factor_session(&self, holder: &Holder) -> String {
        let token = self.password_session(&holder.email).await;
        let code = holder.totp.code_at(self.now_unix());
        let answer = self.step_up(&token, "totp", &code).await;
        assert_eq!(answer.status, 200, "{}", answer.raw);
        self.advance(time::Duration::seconds(30));
        token
    }
}
