//! `/`: the landing page.

use askama::Template;
use askama_web::WebTemplate;

use crate::web::extract::{CsrfToken, MaybePageAuth};

#[derive(Template, WebTemplate)]
#[template(path = "pages/home.html")]
pub struct HomePage {
    signed_in: bool,
    csrf: String,
}

pub async fn show(MaybePageAuth(auth): MaybePageAuth, CsrfToken(csrf): CsrfToken) -> HomePage {
    HomePage { signed_in: auth.is_some(), csrf }
}
