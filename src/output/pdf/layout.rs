//! Page layout for the PDF report: onwatch's own, small and predictable. Text is
//! wrapped with the font's glyph advances (at spaces and punctuation in Latin text, at
//! any character in Japanese), tables break across pages and repeat their header row,
//! and headings stay with what follows them. The result is a list of pages of drawing
//! operations in points, y growing downwards; `render` turns them into PDF.

use ttf_parser::Face;

/// A4 in points.
pub const PAGE_W: f32 = 595.28;
pub const PAGE_H: f32 = 841.89;
pub const MARGIN_X: f32 = 50.0;
pub const TOP: f32 = 60.0;
pub const BOTTOM: f32 = PAGE_H - 60.0;
pub const CONTENT_W: f32 = PAGE_W - 2.0 * MARGIN_X;
/// A cell longer than this many lines is cut (saying so): one hostile or huge value
/// must not push a table row past a page.
const MAX_CELL_LINES: usize = 40;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Rgb(pub u8, pub u8, pub u8);

pub const INK: Rgb = Rgb(0x1f, 0x23, 0x28);
pub const MUTED: Rgb = Rgb(0x5f, 0x66, 0x6d);
pub const RULE: Rgb = Rgb(0xd0, 0xd7, 0xde);
pub const HEADER_BG: Rgb = Rgb(0xee, 0xf1, 0xf4);
pub const ACCENT: Rgb = Rgb(0x0b, 0x5c, 0xad);

#[derive(Debug, Clone, PartialEq)]
pub enum Op {
    /// `y` is the baseline.
    Text {
        x: f32,
        y: f32,
        size: f32,
        color: Rgb,
        text: String,
    },
    Rect {
        x: f32,
        y: f32,
        w: f32,
        h: f32,
        color: Rgb,
    },
    /// A clickable area that goes to a place in the document.
    Link {
        x: f32,
        y: f32,
        w: f32,
        h: f32,
        page: usize,
        to_y: f32,
    },
}

/// A heading's place, for the contents page and the PDF outline.
#[derive(Debug, Clone, PartialEq)]
pub struct Mark {
    pub level: u8,
    pub title: String,
    pub page: usize,
    pub y: f32,
}

/// Glyph advances of the report's font.
pub struct Metrics<'a> {
    face: Face<'a>,
    units_per_em: f32,
    ascii: [f32; 128],
}

impl<'a> Metrics<'a> {
    pub fn new(data: &'a [u8]) -> Result<Self, String> {
        let face = Face::parse(data, 0)
            .map_err(|e| crate::t!("pdf_layout.font_unreadable", e = e).into_owned())?;
        let units_per_em = f32::from(face.units_per_em());
        let mut metrics = Metrics {
            face,
            units_per_em,
            ascii: [0.0; 128],
        };
        for c in 0u8..128 {
            metrics.ascii[usize::from(c)] = metrics.lookup(char::from(c));
        }
        Ok(metrics)
    }

    fn lookup(&self, c: char) -> f32 {
        let gid = self.face.glyph_index(c).unwrap_or(ttf_parser::GlyphId(0));
        f32::from(self.face.glyph_hor_advance(gid).unwrap_or(0)) / self.units_per_em
    }

    /// The advance of a character in ems.
    fn advance(&self, c: char) -> f32 {
        match self.ascii.get(c as usize) {
            Some(a) => *a,
            None => self.lookup(c),
        }
    }

    pub fn width(&self, text: &str, size: f32) -> f32 {
        text.chars().map(|c| self.advance(c)).sum::<f32>() * size
    }

    /// The lines `text` takes at `size` in `width` points. Explicit newlines are kept;
    /// control characters become spaces so nothing from AWS can move the pen.
    pub fn wrap(&self, text: &str, size: f32, width: f32) -> Vec<String> {
        let mut lines = Vec::new();
        for paragraph in text.split('\n') {
            let chars: Vec<char> = paragraph
                .chars()
                .map(|c| match c {
                    '\t' => ' ',
                    c if c.is_control() => ' ',
                    c => c,
                })
                .collect();
            self.wrap_paragraph(&chars, size, width, &mut lines);
        }
        lines
    }

    fn wrap_paragraph(&self, chars: &[char], size: f32, width: f32, lines: &mut Vec<String>) {
        let mut start = 0;
        let mut used = 0.0;
        // Where the next line may start: after a space or punctuation, around CJK.
        let mut opening: Option<usize> = None;
        let mut i = 0;
        while i < chars.len() {
            let c = chars[i];
            if is_cjk(c) && i > start && may_break_before(chars, i) {
                opening = Some(i);
            }
            let w = self.advance(c) * size;
            if used + w > width && i > start && c != ' ' {
                let cut = opening.filter(|o| *o > start).unwrap_or(i);
                lines.push(
                    chars[start..cut]
                        .iter()
                        .collect::<String>()
                        .trim_end()
                        .to_string(),
                );
                start = cut;
                while start < chars.len() && chars[start] == ' ' {
                    start += 1;
                }
                used = chars[start..i.max(start)]
                    .iter()
                    .map(|c| self.advance(*c) * size)
                    .sum();
                opening = None;
                i = i.max(start);
                continue;
            }
            used += w;
            let breaks_after = matches!(
                c,
                ' ' | '/' | ',' | '-' | ':' | ';' | '.' | '_' | '|' | '=' | '&'
            ) || is_cjk(c);
            if breaks_after && (c == ' ' || may_break_before(chars, i + 1)) {
                opening = Some(i + 1);
            }
            i += 1;
        }
        let rest: String = chars[start.min(chars.len())..].iter().collect();
        lines.push(rest.trim_end().to_string());
    }
}

/// Kinsoku (禁則処理): a line does not start with closing punctuation (、。）」 and the
/// like) nor end with an opening bracket (（「 and the like). When a line has no other
/// place to break, the rule gives way (the text is never lost).
fn may_break_before(chars: &[char], at: usize) -> bool {
    const NO_START: &str = "、。，．・：；？！）」』】〕〉》〙〗’”ゝゞー…‥ぁぃぅぇぉっゃゅょゎァィゥェォッャュョヮヵヶ)]},.!?:;%";
    const NO_END: &str = "（「『【〔〈《〘〖‘“([{";
    let starts = chars.get(at).is_some_and(|c| NO_START.contains(*c));
    let ends = at > 0 && chars.get(at - 1).is_some_and(|c| NO_END.contains(*c));
    !starts && !ends
}

/// Japanese and Chinese characters, kana and full-width forms: a line may break
/// before or after any of them.
fn is_cjk(c: char) -> bool {
    matches!(c as u32,
        0x3000..=0x30FF | 0x3400..=0x4DBF | 0x4E00..=0x9FFF | 0xF900..=0xFAFF | 0xFF00..=0xFFEF)
}

/// How a run of text looks.
#[derive(Debug, Clone, Copy)]
pub struct Style {
    pub size: f32,
    pub color: Rgb,
    pub indent: f32,
}

impl Style {
    pub const BODY: Style = Style {
        size: 9.5,
        color: INK,
        indent: 0.0,
    };
    pub const SMALL: Style = Style {
        size: 8.0,
        color: MUTED,
        indent: 0.0,
    };

    pub fn color(self, color: Rgb) -> Style {
        Style { color, ..self }
    }

    pub fn indent(self, indent: f32) -> Style {
        Style { indent, ..self }
    }

    fn line_height(self) -> f32 {
        self.size * 1.4
    }
}

/// A table cell: its text and colour.
pub struct Cell {
    pub text: String,
    pub color: Rgb,
}

impl Cell {
    pub fn new(text: impl Into<String>) -> Cell {
        Cell {
            text: text.into(),
            color: INK,
        }
    }

    pub fn colored(text: impl Into<String>, color: Rgb) -> Cell {
        Cell {
            text: text.into(),
            color,
        }
    }
}

pub struct Layout<'a> {
    metrics: &'a Metrics<'a>,
    pub pages: Vec<Vec<Op>>,
    pub marks: Vec<Mark>,
    y: f32,
}

impl<'a> Layout<'a> {
    pub fn new(metrics: &'a Metrics<'a>) -> Self {
        Layout {
            metrics,
            pages: vec![Vec::new()],
            marks: Vec::new(),
            y: TOP,
        }
    }

    pub fn metrics(&self) -> &Metrics<'a> {
        self.metrics
    }

    pub fn page(&self) -> usize {
        self.pages.len() - 1
    }

    pub fn y(&self) -> f32 {
        self.y
    }

    pub fn new_page(&mut self) {
        self.pages.push(Vec::new());
        self.y = TOP;
    }

    /// A new page unless this one is still empty.
    pub fn page_break(&mut self) {
        if self.pages.last().is_some_and(|p| !p.is_empty()) {
            self.new_page();
        }
    }

    /// Moves to a new page when less than `height` is left (unless at the top already).
    pub fn ensure(&mut self, height: f32) {
        if self.y + height > BOTTOM && self.y > TOP {
            self.new_page();
        }
    }

    pub fn gap(&mut self, height: f32) {
        self.y += height;
    }

    pub fn push(&mut self, op: Op) {
        if let Some(page) = self.pages.last_mut() {
            page.push(op);
        }
    }

    /// Wrapped text, breaking across pages line by line.
    pub fn text(&mut self, text: &str, style: Style) {
        let lines = self
            .metrics
            .wrap(text, style.size, CONTENT_W - style.indent);
        let lh = style.line_height();
        for line in lines {
            self.ensure(lh);
            self.push(Op::Text {
                x: MARGIN_X + style.indent,
                y: self.y + style.size,
                size: style.size,
                color: style.color,
                text: line,
            });
            self.y += lh;
        }
    }

    /// A heading kept with at least a few lines of what follows; levels 1 and 2 go to
    /// the contents and the outline.
    pub fn heading(&mut self, level: u8, title: &str) {
        let size = match level {
            1 => 17.0,
            2 => 13.0,
            _ => 11.0,
        };
        if self.y > TOP {
            self.gap(size * 0.7);
        }
        self.ensure(size * 1.4 + 60.0);
        self.marks.push(Mark {
            level,
            title: title.to_string(),
            page: self.page(),
            y: self.y,
        });
        let color = if level == 1 { ACCENT } else { INK };
        self.text(
            title,
            Style {
                size,
                color,
                indent: 0.0,
            },
        );
        if level == 1 {
            self.push(Op::Rect {
                x: MARGIN_X,
                y: self.y,
                w: CONTENT_W,
                h: 0.8,
                color: ACCENT,
            });
        }
        self.gap(size * 0.35);
    }

    /// A table whose rows break across pages, the header row repeated on each page.
    /// `widths` are shares of the text width.
    pub fn table(&mut self, header: &[&str], widths: &[f32], rows: Vec<Vec<Cell>>) {
        let size = 8.0;
        let lh = size * 1.35;
        let pad = 3.0;
        let total: f32 = widths.iter().sum();
        let cols: Vec<(f32, f32)> = widths
            .iter()
            .scan(MARGIN_X, |x, w| {
                let width = w / total * CONTENT_W;
                let col = (*x, width);
                *x += width;
                Some(col)
            })
            .collect();
        let head: Vec<Vec<String>> = header
            .iter()
            .zip(&cols)
            .map(|(h, (_, w))| self.metrics.wrap(h, size, w - 2.0 * pad))
            .collect();
        // A table of label/value pairs has no header row.
        let head_h = if header.iter().all(|h| h.is_empty()) {
            0.0
        } else {
            head.iter().map(Vec::len).max().unwrap_or(1) as f32 * lh + 2.0 * pad
        };
        let wrapped: Vec<Vec<(Vec<String>, Rgb)>> = rows
            .into_iter()
            .map(|row| {
                row.into_iter()
                    .zip(&cols)
                    .map(|(cell, (_, w))| {
                        let mut lines = self.metrics.wrap(&cell.text, size, w - 2.0 * pad);
                        if lines.len() > MAX_CELL_LINES {
                            let cut = lines.len() - MAX_CELL_LINES + 1;
                            lines.truncate(MAX_CELL_LINES - 1);
                            lines.push(crate::t!("pdf_layout.cell_cut", n = cut).into_owned());
                        }
                        (lines, cell.color)
                    })
                    .collect()
            })
            .collect();
        let row_h = |row: &Vec<(Vec<String>, Rgb)>| {
            row.iter().map(|(l, _)| l.len()).max().unwrap_or(1).max(1) as f32 * lh + 2.0 * pad
        };
        let first = wrapped.first().map_or(0.0, row_h);
        self.ensure(head_h + first);
        self.table_header(&head, &cols, head_h, size, lh, pad);
        for row in &wrapped {
            let h = row_h(row);
            if self.y + h > BOTTOM {
                self.new_page();
                self.table_header(&head, &cols, head_h, size, lh, pad);
            }
            for ((lines, color), (x, _)) in row.iter().zip(&cols) {
                self.cell(lines, x + pad, *color, size, lh, pad);
            }
            self.y += h;
            self.push(Op::Rect {
                x: MARGIN_X,
                y: self.y - 0.4,
                w: CONTENT_W,
                h: 0.4,
                color: RULE,
            });
        }
        self.gap(8.0);
    }

    fn table_header(
        &mut self,
        head: &[Vec<String>],
        cols: &[(f32, f32)],
        h: f32,
        size: f32,
        lh: f32,
        pad: f32,
    ) {
        if h == 0.0 {
            return;
        }
        self.push(Op::Rect {
            x: MARGIN_X,
            y: self.y,
            w: CONTENT_W,
            h,
            color: HEADER_BG,
        });
        for (lines, (x, _)) in head.iter().zip(cols) {
            self.cell(lines, x + pad, MUTED, size, lh, pad);
        }
        self.y += h;
    }

    /// The lines of one cell of the row that starts at the current height.
    fn cell(&mut self, lines: &[String], x: f32, color: Rgb, size: f32, lh: f32, pad: f32) {
        for (n, line) in lines.iter().enumerate() {
            self.push(Op::Text {
                x,
                y: self.y + pad + size + n as f32 * lh,
                size,
                color,
                text: line.clone(),
            });
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const FONT: &[u8] = include_bytes!("../../../assets/fonts/ipaexg.ttf");

    #[test]
    fn wrapped_lines_fit_and_keep_every_word() {
        let m = Metrics::new(FONT).expect("font");
        let text = "GuardDuty is not turned on in this region, so nobody hears about stolen keys arn:aws:logs:eu-west-1:111122223333:log-group:/ecs/a-very-long-service-name-without-spaces-at-all";
        let lines = m.wrap(text, 9.0, 150.0);
        assert!(lines.len() > 3, "{lines:?}");
        for line in &lines {
            assert!(m.width(line, 9.0) <= 150.0 + 0.01, "{line} is too wide");
        }
        let joined: String = lines.concat().split_whitespace().collect();
        let expected: String = text.split_whitespace().collect();
        assert_eq!(joined, expected, "no character is lost or added");
    }

    #[test]
    fn japanese_lines_follow_kinsoku() {
        let m = Metrics::new(FONT).expect("font");
        let text = "アクションのないアラーム（誰にも届かない）は、コンソール上で色が変わるだけです。「記録のみ」のアラームは、アクションがなくても合格とします。ログの保持期間は、30 日（監査に必要な場合はそれ以上）にします。";
        for width in (60..240).step_by(7) {
            let lines = m.wrap(text, 10.0, width as f32);
            assert_eq!(
                lines.concat().replace(' ', ""),
                text.replace(' ', ""),
                "nothing lost at {width}"
            );
            for pair in lines.windows(2) {
                let next = pair[1].chars().next().unwrap_or(' ');
                let last = pair[0].chars().last().unwrap_or(' ');
                assert!(
                    !"、。）」".contains(next),
                    "at {width} a line starts with {next}: {lines:?}"
                );
                assert!(
                    !"（「".contains(last),
                    "at {width} a line ends with {last}: {lines:?}"
                );
            }
        }
    }

    #[test]
    fn japanese_breaks_between_characters() {
        let m = Metrics::new(FONT).expect("font");
        let text = "ロググループに保持期間が設定されていないため、古いログが無期限に保存されます。";
        let lines = m.wrap(text, 10.0, 100.0);
        assert!(lines.len() > 1, "{lines:?}");
        assert_eq!(lines.concat(), text);
        for line in &lines {
            assert!(m.width(line, 10.0) <= 100.0 + 0.01, "{line} is too wide");
        }
    }

    #[test]
    fn a_table_that_outgrows_a_page_repeats_its_header() {
        let m = Metrics::new(FONT).expect("font");
        let mut l = Layout::new(&m);
        let rows = (0..200)
            .map(|i| vec![Cell::new(format!("row {i}")), Cell::new("x")])
            .collect();
        l.table(&["Resource", "Status"], &[3.0, 1.0], rows);
        assert!(l.pages.len() > 1);
        for page in &l.pages {
            let headers = page
                .iter()
                .filter(|op| matches!(op, Op::Text { text, .. } if text == "Resource"))
                .count();
            assert_eq!(headers, 1, "each page starts with the header row once");
            for op in page {
                if let Op::Text { y, .. } = op {
                    assert!(*y <= BOTTOM, "nothing is drawn below the bottom margin");
                }
            }
        }
    }
}
