//! Laid-out pages to PDF with krilla: text with the embedded font (subset, with a
//! ToUnicode map so text can be searched and copied), rectangles, links, a footer
//! with the page number on every page but the cover, the outline and the metadata.

use krilla::Document;
use krilla::annotation::{Annotation, LinkAnnotation, Target};
use krilla::color::rgb;
use krilla::destination::XyzDestination;
use krilla::geom::{PathBuilder, Point, Rect};
use krilla::metadata::{DateTime, Metadata};
use krilla::num::NormalizedF32;
use krilla::outline::{Outline, OutlineNode};
use krilla::page::PageSettings;
use krilla::paint::Fill;
use krilla::surface::Surface;
use krilla::text::{Font, TextDirection};

use crate::t;
use chrono::{Datelike, Timelike};

use super::FONT;
use super::layout::{MARGIN_X, MUTED, Mark, Op, PAGE_H, PAGE_W, Rgb};
use crate::report::Report;

fn fill(surface: &mut Surface, color: Rgb) {
    surface.set_fill(Some(Fill {
        paint: rgb::Color::new(color.0, color.1, color.2).into(),
        opacity: NormalizedF32::ONE,
        rule: Default::default(),
    }));
}

fn draw(surface: &mut Surface, font: &Font, op: &Op) {
    match op {
        Op::Text {
            x,
            y,
            size,
            color,
            text,
        } => {
            if text.is_empty() {
                return;
            }
            fill(surface, *color);
            surface.draw_text(
                Point::from_xy(*x, *y),
                font.clone(),
                *size,
                text,
                false,
                TextDirection::Auto,
            );
        }
        Op::Rect { x, y, w, h, color } => {
            let Some(rect) = Rect::from_xywh(*x, *y, *w, *h) else {
                return;
            };
            let mut path = PathBuilder::new();
            path.push_rect(rect);
            if let Some(path) = path.finish() {
                fill(surface, *color);
                surface.draw_path(&path);
            }
        }
        Op::Link { .. } => {}
    }
}

pub fn pdf(
    pages: &[Vec<Op>],
    marks: &[Mark],
    report: &Report,
    account: &str,
) -> Result<Vec<u8>, String> {
    let font = Font::new(FONT.into(), 0).ok_or_else(|| t!("pdf.font_failed").into_owned())?;
    let settings = PageSettings::from_wh(PAGE_W, PAGE_H)
        .ok_or_else(|| t!("pdf.bad_page_size").into_owned())?;
    let mut document = Document::new();
    let total = pages.len();
    for (n, ops) in pages.iter().enumerate() {
        let mut page = document.start_page_with(settings.clone());
        let mut surface = page.surface();
        for op in ops {
            draw(&mut surface, &font, op);
        }
        if n > 0 {
            let footer = [
                Op::Text {
                    x: MARGIN_X,
                    y: PAGE_H - 30.0,
                    size: 7.5,
                    color: MUTED,
                    text: t!("pdf.footer", account = account).into_owned(),
                },
                Op::Text {
                    x: PAGE_W - MARGIN_X - 60.0,
                    y: PAGE_H - 30.0,
                    size: 7.5,
                    color: MUTED,
                    text: t!("pdf.page", n = n + 1, m = total).into_owned(),
                },
            ];
            for op in &footer {
                draw(&mut surface, &font, op);
            }
        }
        surface.finish();
        for op in ops {
            if let Op::Link {
                x,
                y,
                w,
                h,
                page: to,
                to_y,
            } = op
                && let Some(rect) = Rect::from_xywh(*x, *y, *w, *h)
            {
                let dest = XyzDestination::new(*to, Point::from_xy(0.0, *to_y));
                page.add_annotation(Annotation::new_link(
                    LinkAnnotation::new(rect, Target::Destination(dest.into())),
                    None,
                ));
            }
        }
        page.finish();
    }
    document.set_outline(outline(marks));
    let at = report.generated_at;
    let date = DateTime::new(u16::try_from(at.year()).unwrap_or(2000))
        .month(u8::try_from(at.month()).unwrap_or(1))
        .day(u8::try_from(at.day()).unwrap_or(1))
        .hour(u8::try_from(at.hour()).unwrap_or(0))
        .minute(u8::try_from(at.minute()).unwrap_or(0))
        .second(u8::try_from(at.second()).unwrap_or(0))
        .utc_offset_hour(0);
    document.set_metadata(
        Metadata::new()
            .title(t!("pdf.metadata_title", account = account).into_owned())
            .creator(format!("onwatch {}", env!("CARGO_PKG_VERSION")))
            .language(crate::i18n::current().code().to_string())
            .creation_date(date),
    );
    document
        .finish()
        .map_err(|e| t!("pdf.write_failed", error = format!("{e:?}")).into_owned())
}

/// Level-1 headings as top entries, level-2 under the last one.
fn outline(marks: &[Mark]) -> Outline {
    let mut outline = Outline::new();
    let mut current: Option<OutlineNode> = None;
    for mark in marks.iter().filter(|m| m.level <= 2) {
        let node = OutlineNode::new(
            mark.title.clone(),
            XyzDestination::new(mark.page, Point::from_xy(0.0, mark.y)),
        );
        if mark.level == 1 {
            if let Some(done) = current.take() {
                outline.push_child(done);
            }
            current = Some(node);
        } else if let Some(parent) = current.as_mut() {
            parent.push_child(node);
        } else {
            outline.push_child(node);
        }
    }
    if let Some(done) = current {
        outline.push_child(done);
    }
    outline
}
