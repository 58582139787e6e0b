//! Fonts: egui's own fonts first, then the bundled IPAexGothic as the fallback for
//! every character they lack (Japanese), so Japanese renders on a machine with no
//! Japanese font installed. The PDF report embeds the same file.

use egui::epaint::text::{FontInsert, FontPriority, InsertFontFamily};
use egui::{FontData, FontFamily};

/// Adds the bundled Japanese font after egui's fonts, in both families.
pub fn install(ctx: &egui::Context) {
    ctx.add_font(FontInsert::new(
        "IPAexGothic",
        FontData::from_static(crate::output::pdf::FONT),
        vec![
            InsertFontFamily {
                family: FontFamily::Proportional,
                priority: FontPriority::Lowest,
            },
            InsertFontFamily {
                family: FontFamily::Monospace,
                priority: FontPriority::Lowest,
            },
        ],
    ));
}
