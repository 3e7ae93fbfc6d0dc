//! Writes a sample I-797C receipt notice, for a person to look at:
//! `cargo run -p ellis-notices --example sample -- target/sample-notice.pdf`

fn main() -> std::io::Result<()> {
    let path = std::env::args().nth(1).unwrap_or_else(|| "sample-notice.pdf".to_owned());
    std::fs::write(&path, ellis_notices::render(&ellis_notices::sample()))?;
    println!("wrote {path}");
    Ok(())
}
