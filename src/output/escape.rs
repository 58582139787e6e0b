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

/// For HTML text and attribute values (always double-quoted): the five characters
/// with meaning are replaced by entities, and control characters other than line
/// breaks and tabs by `?`.
pub fn html(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '&' => out.push_str("&amp;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            '\n' | '\t' => out.push(c),
            c if c.is_control() => out.push('?'),
            c => out.push(c),
        }
    }
    out
}

/// A link target, escaped, when it is a web address (`http:` or `https:`); None for
/// anything else (`javascript:`, `data:`, relative paths), which is shown as text.
pub fn web_href(url: &str) -> Option<String> {
    let url = url.trim();
    let lower = url.to_ascii_lowercase();
    let web = lower.starts_with("https://") || lower.starts_with("http://");
    (web && !url.chars().any(|c| c.is_control() || c.is_whitespace())).then(|| html(url))
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
    fn html_text_cannot_open_tags_or_leave_attributes() {
        assert_eq!(
            html("<a href=\"x\" onclick='y'>&"),
            "&lt;a href=&quot;x&quot; onclick=&#39;y&#39;&gt;&amp;"
        );
        assert_eq!(web_href("javascript:alert(1)"), None);
        assert_eq!(web_href(" JavaScript:alert(1)"), None);
        assert_eq!(
            web_href("https://a.example/x\"y"),
            Some("https://a.example/x&quot;y".into())
        );
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
