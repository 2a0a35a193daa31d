//! `pdf-extract-probe IN.pdf OUT.txt`: the text pdf-extract reads, pages
//! separated by form feeds; exit status 2 when it fails or panics.

fn main() {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let [input, output] = args.as_slice() else {
        eprintln!("usage: pdf-extract-probe IN.pdf OUT.txt");
        std::process::exit(64);
    };
    let bytes = std::fs::read(input).expect("readable input");
    let pages = std::panic::catch_unwind(|| pdf_extract::extract_text_from_mem_by_pages(&bytes));
    match pages {
        Ok(Ok(pages)) => std::fs::write(output, pages.join("\u{c}")).expect("writable output"),
        Ok(Err(e)) => {
            eprintln!("pdf-extract: {e}");
            std::process::exit(2);
        }
        Err(_) => {
            eprintln!("pdf-extract panicked");
            std::process::exit(2);
        }
    }
}
