//! `POST /sign-out`: ends the session and forgets the cookie.

use axum::extract::State;
use axum::response::{IntoResponse, Redirect};
use axum_extra::extract::cookie::{Cookie, CookieJar};

use crate::AppState;
use crate::services::sign_in;
use crate::web::extract::{ClientInfo, MaybePageAuth, SESSION_COOKIE};
use crate::web::pages::PageResult;

pub async fn submit(
    State(state): State<AppState>,
    ClientInfo(client): ClientInfo,
    MaybePageAuth(auth): MaybePageAuth,
    jar: CookieJar,
) -> PageResult {
    if let Some(auth) = auth {
        sign_in::sign_out(&state, &auth, &client).await?;
    }
    let jar = jar.remove(Cookie::build(SESSION_COOKIE).path("/"));
    Ok((jar, Redirect::to("/")).into_response())
}
