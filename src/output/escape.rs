//! Neutralising untrusted text for each medium.

/// For a terminal: control characters (ANSI escapes among them) become `?`, so a
/// resource name cannot move the cursor or recolour the screen.
pub fn terminal(s: &str) -> String {
    s.chars()
        .map(|c| if c.is_control() { '?' } else { c })
        .collect()
}

/// For a Markdown table cell or inline text: no line breaks, and characters with
/// Markdown or HTML meaning are escaped.
pub fn markdown_cell(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '\n' | '\r' | '\t' => out.push(' '),
            c if c.is_control() => out.push('?'),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '&' => out.push_str("&amp;"),
            '\\' | '`' | '*' | '_' | '[' | ']' | '|' | '#' | '!' => {
                out.push('\\');
                out.push(c);
            }
            c => out.push(c),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn terminal_removes_escape_sequences() {
        assert_eq!(terminal("db\x1b[31mred"), "db?[31mred");
        assert_eq!(terminal("a\nb"), "a?b");
    }

    #[test]
    fn markdown_cells_cannot_break_tables_or_inject_html() {
        let cell = markdown_cell("a|b\n<script>alert(1)</script> [x](javascript:y)");
        assert!(!cell.contains('\n'));
        assert!(!cell.contains("<script>"));
        assert!(cell.contains("a\\|b"));
        assert!(cell.contains("\\[x\\]"));
    }
}
