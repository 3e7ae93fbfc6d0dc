//! Where everything goes on the page: a header, the boxed facts of the case, the addressee, the body, the
//! office, and a footer with the verification code and a Code 128 barcode of the receipt number.

use barcoders::sym::code128::Code128;
use ellis_core::notice_kind::NoticeForm;
use pdf_writer::{Content, Finish, Name, Pdf, Rect, Ref, Str, TextStr};

use crate::{CONTACT_CENTER, NOT_A_VISA, Notice, dollars, form_heading, long_date};

const WIDTH: f32 = 612.0;
const HEIGHT: f32 = 792.0;
const MARGIN: f32 = 54.0;
const REGULAR: Name<'static> = Name(b"F1");
const BOLD: Name<'static> = Name(b"F2");
/// Helvetica's average advance is about half the font size; wrapping uses that (a little conservatively).
const AVERAGE_ADVANCE: f32 = 0.52;

/// A page being written: a content stream and the height the next line goes at.
struct Page {
    content: Content,
    y: f32,
}

impl Page {
    fn new() -> Self {
        Self { content: Content::new(), y: HEIGHT - MARGIN }
    }

    fn text(&mut self, x: f32, y: f32, font: Name<'_>, size: f32, text: &str) {
        let bytes = win_ansi(text);
        self.content.begin_text();
        self.content.set_font(font, size);
        self.content.next_line(x, y);
        self.content.show(Str(&bytes));
        self.content.end_text();
    }

    fn line(&mut self, font: Name<'_>, size: f32, text: &str) {
        self.text(MARGIN, self.y, font, size, text);
        self.y -= size * 1.35;
    }

    fn paragraph(&mut self, size: f32, text: &str) {
        let columns = ((WIDTH - 2.0 * MARGIN) / (size * AVERAGE_ADVANCE)) as usize;
        for line in wrap(text, columns) {
            self.line(REGULAR, size, &line);
        }
        self.y -= size * 0.6;
    }

    fn rule(&mut self, y: f32) {
        self.content.set_line_width(0.75);
        self.content.move_to(MARGIN, y);
        self.content.line_to(WIDTH - MARGIN, y);
        self.content.stroke();
    }

    fn boxed_pair(&mut self, x: f32, y: f32, width: f32, label: &str, value: &str) {
        self.content.set_line_width(0.5);
        self.content.rect(x, y - 30.0, width, 30.0);
        self.content.stroke();
        self.text(x + 4.0, y - 10.0, REGULAR, 7.0, label);
        self.text(x + 4.0, y - 24.0, BOLD, 10.0, value);
    }
}

pub fn render(notice: &Notice) -> Vec<u8> {
    let mut pages = vec![Page::new()];
    let page = pages.last_mut().expect("a first page");
    header(page, notice);
    facts(page, notice);
    addressee(page, notice);
    for paragraph in &notice.body {
        if pages.last().is_some_and(|p| p.y < 170.0) {
            pages.push(Page::new());
        }
        pages.last_mut().expect("a page").paragraph(10.0, paragraph);
    }
    let last = pages.last_mut().expect("a page");
    office(last, notice);
    let count = pages.len();
    for (index, page) in pages.iter_mut().enumerate() {
        footer(page, notice, index + 1, count);
    }
    assemble(notice, pages)
}

fn header(page: &mut Page, notice: &Notice) {
    page.text(MARGIN, page.y, BOLD, 9.0, "Department of Homeland Security");
    page.text(MARGIN, page.y - 12.0, REGULAR, 9.0, "U.S. Citizenship and Immigration Services");
    let heading = form_heading(notice.form);
    let x = WIDTH - MARGIN - heading.len() as f32 * 10.0 * AVERAGE_ADVANCE;
    page.text(x, page.y, BOLD, 10.0, heading);
    page.y -= 40.0;
    let title = if notice.form == NoticeForm::AccountAccess { "ACCOUNT ACCESS NOTICE" } else { "NOTICE OF ACTION" };
    page.text(MARGIN, page.y, BOLD, 18.0, title);
    page.y -= 14.0;
}

fn facts(page: &mut Page, notice: &Notice) {
    let column = (WIDTH - 2.0 * MARGIN) / 3.0;
    let mut y = page.y;
    let row = |page: &mut Page, y: f32, cells: [(&str, String); 3]| {
        for (index, (label, value)) in cells.into_iter().enumerate() {
            page.boxed_pair(MARGIN + column * index as f32, y, column, label, &value);
        }
    };
    row(
        page,
        y,
        [
            ("Receipt Number", notice.receipt_number.clone()),
            ("Case Type", notice.case_type.split(" - ").next().unwrap_or_default().to_owned()),
            ("Notice Type", notice.kind.printed().to_owned()),
        ],
    );
    y -= 30.0;
    row(
        page,
        y,
        [
            ("Received Date", long_date(notice.received_date)),
            ("Priority Date", notice.priority_date.map(long_date).unwrap_or_default()),
            ("Notice Date", long_date(notice.notice_date)),
        ],
    );
    y -= 30.0;
    let applicant = match &notice.a_number {
        Some(a_number) => format!("{} ({a_number})", notice.applicant_name),
        None => notice.applicant_name.clone(),
    };
    row(
        page,
        y,
        [
            ("Applicant/Petitioner", applicant),
            ("Beneficiary", notice.beneficiary_name.clone().unwrap_or_default()),
            ("Amount Received", notice.amount_received_cents.map(dollars).unwrap_or_default()),
        ],
    );
    y -= 30.0;
    page.y = y - 16.0;
    page.line(REGULAR, 9.0, &format!("Case Type: {}", notice.case_type));
    if let Some(number) = &notice.account_number {
        page.line(BOLD, 10.0, &format!("USCIS Online Account Number: {number}"));
    }
    page.y -= 8.0;
}

fn addressee(page: &mut Page, notice: &Notice) {
    page.line(BOLD, 10.0, &notice.applicant_name.to_uppercase());
    for line in &notice.mailing_address {
        page.line(REGULAR, 10.0, &line.to_uppercase());
    }
    page.y -= 10.0;
}

fn office(page: &mut Page, notice: &Notice) {
    page.y -= 4.0;
    page.rule(page.y + 8.0);
    page.line(BOLD, 9.0, &notice.office_name);
    for line in &notice.office_address {
        page.line(REGULAR, 9.0, line);
    }
    page.line(REGULAR, 9.0, CONTACT_CENTER);
}

fn footer(page: &mut Page, notice: &Notice, number: usize, count: usize) {
    page.rule(96.0);
    page.text(MARGIN, 84.0, BOLD, 9.0, NOT_A_VISA);
    let verify = format!("Verify this notice at {} with code {}", notice.verify_url, notice.verification_code);
    page.text(MARGIN, 70.0, REGULAR, 8.0, &verify);
    page.text(WIDTH - MARGIN - 50.0, 70.0, REGULAR, 8.0, &format!("Page {number} of {count}"));
    barcode(page, &notice.receipt_number, MARGIN, 36.0, 26.0);
}

/// Code 128 (character set B) of `data`, one module 0.9 pt wide.
fn barcode(page: &mut Page, data: &str, x: f32, y: f32, height: f32) {
    let Ok(code) = Code128::new(format!("\u{0181}{data}")) else {
        return;
    };
    let module = 0.9;
    for (index, bar) in code.encode().iter().enumerate() {
        if *bar == 1 {
            page.content.rect(x + index as f32 * module, y, module, height);
        }
    }
    page.content.fill_nonzero();
}

fn assemble(notice: &Notice, pages: Vec<Page>) -> Vec<u8> {
    let mut pdf = Pdf::new();
    let catalog = Ref::new(1);
    let tree = Ref::new(2);
    let regular = Ref::new(3);
    let bold = Ref::new(4);
    let info = Ref::new(5);
    let first_page = 10;
    let page_ids: Vec<Ref> = (0..pages.len()).map(|i| Ref::new(first_page + 2 * i as i32)).collect();
    pdf.catalog(catalog).pages(tree);
    pdf.pages(tree).kids(page_ids.iter().copied()).count(pages.len() as i32);
    for (font, base) in [(regular, &b"Helvetica"[..]), (bold, &b"Helvetica-Bold"[..])] {
        pdf.type1_font(font).base_font(Name(base)).encoding_predefined(Name(b"WinAnsiEncoding"));
    }
    let title = format!("{} {} {}", form_heading(notice.form), notice.kind.printed(), notice.receipt_number);
    pdf.document_info(info).title(TextStr(&title)).producer(TextStr("ellis"));
    for (page, id) in pages.into_iter().zip(&page_ids) {
        let content_id = Ref::new(id.get() + 1);
        let mut writer = pdf.page(*id);
        writer.media_box(Rect::new(0.0, 0.0, WIDTH, HEIGHT)).parent(tree).contents(content_id);
        let mut resources = writer.resources();
        resources.fonts().pair(REGULAR, regular).pair(BOLD, bold);
        resources.finish();
        writer.finish();
        pdf.stream(content_id, &page.content.finish());
    }
    pdf.finish()
}

/// Breaks `text` into lines of at most `columns` characters, at spaces.
fn wrap(text: &str, columns: usize) -> Vec<String> {
    let mut lines = Vec::new();
    let mut current = String::new();
    for word in text.split_whitespace() {
        if !current.is_empty() && current.chars().count() + 1 + word.chars().count() > columns {
            lines.push(std::mem::take(&mut current));
        }
        if !current.is_empty() {
            current.push(' ');
        }
        current.push_str(word);
    }
    if !current.is_empty() {
        lines.push(current);
    }
    lines
}

/// Latin-1 characters map to the same WinAnsi bytes; the few others print as `?`.
fn win_ansi(text: &str) -> Vec<u8> {
    text.chars()
        .map(|c| match c {
            '\u{20}'..='\u{7e}' | '\u{a0}'..='\u{ff}' => c as u32 as u8,
            '\u{2013}' => 0x96,
            '\u{2014}' => 0x97,
            '\u{2019}' => 0x92,
            _ => b'?',
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn long_text_wraps_at_spaces_within_the_column() {
        let lines = wrap("one two three four five six seven", 10);
        assert_eq!(lines, ["one two", "three four", "five six", "seven"]);
    }

    #[test]
    fn latin_1_names_keep_their_accents_and_others_become_question_marks() {
        assert_eq!(win_ansi("Díaz"), b"D\xedaz");
        assert_eq!(win_ansi("Đặng"), b"??ng");
    }
}
