//! The reader's widgets: the find bar, the text laid out piece by piece
//! with its highlights, and the pointer and keys that select in it.

use std::sync::Arc;

use egui::text::{CCursor, LayoutJob, TextFormat};
use egui::{Color32, FontId, Key, Rect, Sense, Vec2};

use super::{PARAGRAPH_GAP, Piece, ReaderAction, ReaderView, Step, TEXT_SIZE, known_or};

/// Shows the reader's text; returns what the analyst asked for.
pub fn reader_ui(ui: &mut egui::Ui, view: &mut ReaderView) -> Vec<ReaderAction> {
    let mut actions = Vec::new();
    find_bar_ui(ui, view);
    ui.horizontal(|ui| {
        let selected = view.selection();
        let text = match selected {
            Some((start, end)) => format!("Selected {} characters", end - start),
            None => "Select a passage to capture it".to_owned(),
        };
        ui.label(text);
        let button = ui.add_enabled(selected.is_some(), egui::Button::new("Capture..."));
        if button
            .on_hover_text("Turn the selected passage into a quoted excerpt of a relation")
            .clicked()
        {
            actions.push(ReaderAction::Capture);
        }
    });
    ui.separator();
    text_ui(ui, view);
    actions
}

fn find_bar_ui(ui: &mut egui::Ui, view: &mut ReaderView) {
    ui.horizontal(|ui| {
        let label = ui.label("Find in text:");
        let field = ui
            .add(
                egui::TextEdit::singleline(&mut view.find_text)
                    .hint_text("words in this document")
                    .desired_width(160.0),
            )
            .labelled_by(label.id);
        if field.changed() {
            view.find_hits.clear();
        }
        let enter = field.lost_focus() && ui.input(|input| input.key_pressed(Key::Enter));
        let next_button = ui.button("Next");
        if next_button.clicked() || enter {
            view.find_next();
            if enter {
                view.request_focus();
            }
        }
        let (hits, current) = view.find_status();
        if !view.find_text.is_empty() && !view.find_hits.is_empty() {
            ui.label(format!("{current} of {hits}"));
        } else if !view.find_text.is_empty() && enter {
            ui.label("Not found");
        }
    });
}

fn text_ui(ui: &mut egui::Ui, view: &mut ReaderView) {
    let font = FontId::proportional(TEXT_SIZE);
    let width = (ui.available_width() - 12.0).max(80.0);
    if (width - view.heights_width).abs() > 0.5 {
        view.heights.iter_mut().for_each(|height| *height = 0.0);
        view.heights_width = width;
    }
    let row_height = ui.fonts_mut(|fonts| fonts.row_height(&font));
    let chars_per_row = (width / (TEXT_SIZE * 0.5)).max(1.0);
    let estimate_of =
        |piece: &Piece| row_height * ((piece.chars as f32 / chars_per_row).ceil().max(1.0));
    let mut scroll = egui::ScrollArea::vertical()
        .id_salt(("reader", view.document_id))
        .auto_shrink([false, false]);
    if let Some(offset) = view.scroll_to.take() {
        let index = view.piece_of(offset);
        let y: f32 = view.pieces[..index]
            .iter()
            .zip(&view.heights)
            .map(|(piece, height)| known_or(*height, estimate_of(piece)) + PARAGRAPH_GAP)
            .sum();
        scroll = scroll.vertical_scroll_offset((y - 3.0 * row_height).max(0.0));
    }
    let id = ui.scope_id().with(("reader-text", view.document_id));
    scroll.show_viewport(ui, |ui, viewport| {
        let total: f32 = view
            .pieces
            .iter()
            .zip(&view.heights)
            .map(|(piece, height)| known_or(*height, estimate_of(piece)) + PARAGRAPH_GAP)
            .sum();
        let (content, _) = ui.allocate_exact_size(Vec2::new(width, total), Sense::hover());
        let response = ui.interact(content, id, Sense::click_and_drag());
        response
            .widget_info(|| egui::WidgetInfo::labeled(egui::Role::Document, true, "Source text"));
        view.painted.clear();
        let mut y = 0.0;
        let style = ui.style().clone();
        for index in 0..view.pieces.len() {
            let piece = view.pieces[index];
            let known = view.heights[index];
            let height = if known > 0.0 {
                known
            } else {
                estimate_of(&piece)
            };
            if y + height < viewport.min.y {
                y += height + PARAGRAPH_GAP;
                continue;
            }
            if y > viewport.max.y {
                break;
            }
            let job = piece_job(view, index, &font, &style, width);
            let galley = ui.fonts_mut(|fonts| fonts.layout_job(job));
            let laid = galley.size().y.max(row_height);
            view.heights[index] = laid;
            let top_left = content.min + Vec2::new(0.0, y);
            ui.painter()
                .galley(top_left, Arc::clone(&galley), style.visuals.text_color());
            let rect = Rect::from_min_size(top_left, Vec2::new(width, laid));
            view.painted.push((index, rect, galley));
            y += laid + PARAGRAPH_GAP;
        }
        pointer_ui(ui, view, &response);
        if view.focus_next {
            view.focus_next = false;
            response.request_focus();
        }
        view.focused = response.has_focus();
        if response.has_focus() {
            // The arrows move the caret, not the focus to another widget.
            ui.memory_mut(|memory| {
                memory.set_focus_lock_filter(
                    id,
                    egui::EventFilter {
                        horizontal_arrows: true,
                        vertical_arrows: true,
                        ..egui::EventFilter::default()
                    },
                );
            });
            keyboard_ui(ui, view);
            caret_ui(ui, view);
        }
    });
}

/// The layout of piece `index`, its highlights, the selection and the find
/// hits as backgrounds.
fn piece_job(
    view: &ReaderView,
    index: usize,
    font: &FontId,
    style: &egui::Style,
    width: f32,
) -> LayoutJob {
    let piece = view.pieces[index];
    let text = view.piece_text(index);
    let (start, end) = (piece.char_start, piece.char_start + piece.chars);
    let dark = style.visuals.dark_mode;
    let captured = if dark {
        Color32::from_rgb(90, 80, 20)
    } else {
        Color32::from_rgb(255, 236, 150)
    };
    let contradicting = if dark {
        Color32::from_rgb(110, 40, 40)
    } else {
        Color32::from_rgb(255, 200, 200)
    };
    let flash = if dark {
        Color32::from_rgb(40, 110, 60)
    } else {
        Color32::from_rgb(170, 235, 180)
    };
    let selection = style.visuals.selection.bg_fill;
    // Each char's background, by priority: selection, flash, find hit,
    // captured passage.
    let mut spans: Vec<(usize, usize, Color32)> = Vec::new();
    for highlight in &view.highlights {
        spans.push((
            highlight.start,
            highlight.end,
            if highlight.contradicts {
                contradicting
            } else {
                captured
            },
        ));
    }
    let hit_colour = style.visuals.warn_fg_color.gamma_multiply(0.35);
    let first_hit = view
        .find_hits
        .partition_point(|(_, hit_end)| *hit_end <= start);
    for &(hit_start, hit_end) in view.find_hits[first_hit..]
        .iter()
        .take_while(|(hit_start, _)| *hit_start < end)
    {
        spans.push((hit_start, hit_end, hit_colour));
    }
    if let Some((flash_start, flash_end)) = view.flash {
        spans.push((flash_start, flash_end, flash));
    }
    if let Some((selected_start, selected_end)) = view.selection() {
        spans.push((selected_start, selected_end, selection));
    }
    let mut cuts = vec![start, end];
    for &(span_start, span_end, _) in &spans {
        if span_end > start && span_start < end {
            cuts.push(span_start.clamp(start, end));
            cuts.push(span_end.clamp(start, end));
        }
    }
    cuts.sort_unstable();
    cuts.dedup();
    let mut job = LayoutJob {
        wrap: egui::text::TextWrapping {
            max_width: width,
            ..Default::default()
        },
        ..LayoutJob::default()
    };
    let byte_of: Vec<usize> = text
        .char_indices()
        .map(|(byte, _)| byte)
        .chain(std::iter::once(text.len()))
        .collect();
    for pair in cuts.windows(2) {
        let (from, to) = (pair[0], pair[1]);
        if from == to {
            continue;
        }
        let background = spans
            .iter()
            .rev()
            .find(|(span_start, span_end, _)| *span_start <= from && to <= *span_end)
            .map_or(Color32::TRANSPARENT, |(_, _, colour)| *colour);
        let section = &text[byte_of[from - start]..byte_of[to - start]];
        job.append(
            section,
            0.0,
            TextFormat {
                font_id: font.clone(),
                color: style.visuals.text_color(),
                background,
                ..TextFormat::default()
            },
        );
    }
    if text.is_empty() {
        job.append(
            "",
            0.0,
            TextFormat::simple(font.clone(), style.visuals.text_color()),
        );
    }
    job
}

/// The char under the pointer at `pos`, if it is over a painted piece.
fn offset_at(view: &ReaderView, pos: egui::Pos2) -> Option<usize> {
    let nearest = view.painted.iter().min_by(|a, b| {
        let distance = |rect: &Rect| (rect.center().y - pos.y).abs() - rect.height() / 2.0;
        distance(&a.1).total_cmp(&distance(&b.1))
    })?;
    let (index, rect, galley) = nearest;
    let cursor = galley.cursor_from_pos(pos - rect.min);
    Some(view.pieces[*index].char_start + cursor.index.0)
}

fn pointer_ui(ui: &egui::Ui, view: &mut ReaderView, response: &egui::Response) {
    let pointer = ui.input(|input| input.pointer.interact_pos());
    let Some(pos) = pointer else {
        return;
    };
    if response.double_clicked() {
        if let Some(offset) = offset_at(view, pos) {
            let (start, end) = view.word_at(offset);
            view.anchor = start;
            view.caret = end;
            view.flash = None;
        }
        response.request_focus();
        return;
    }
    if response.drag_started() {
        // The drag is recognised once the pointer has moved a little: the
        // selection starts where the button went down.
        let origin = ui
            .input(|input| input.pointer.press_origin())
            .unwrap_or(pos);
        if let Some(offset) = offset_at(view, origin) {
            view.anchor = view.boundary(offset, false);
            view.caret = view.anchor;
            view.flash = None;
        }
        response.request_focus();
    }
    if response.clicked() {
        if let Some(offset) = offset_at(view, pos) {
            let offset = view.boundary(offset, false);
            if !ui.input(|input| input.modifiers.shift) {
                view.anchor = offset;
            }
            view.caret = offset;
            view.flash = None;
        }
        response.request_focus();
    } else if response.dragged()
        && let Some(offset) = offset_at(view, pos)
    {
        let forward = offset >= view.anchor;
        view.caret = view.boundary(offset, forward);
    }
}

fn keyboard_ui(ui: &egui::Ui, view: &mut ReaderView) {
    let events = ui.input(|input| input.events.clone());
    for event in events {
        let egui::Event::Key {
            key,
            pressed: true,
            modifiers,
            ..
        } = event
        else {
            continue;
        };
        let step = if modifiers.command || modifiers.alt {
            Step::Word
        } else {
            Step::Grapheme
        };
        let moved = match key {
            Key::ArrowRight => Some(view.step(view.caret, step, true)),
            Key::ArrowLeft => Some(view.step(view.caret, step, false)),
            Key::ArrowDown => Some(view.step(view.caret, Step::Sentence, true)),
            Key::ArrowUp => Some(view.step(view.caret, Step::Sentence, false)),
            Key::Home => Some(view.pieces[view.piece_of(view.caret)].char_start),
            Key::End => {
                let piece = view.pieces[view.piece_of(view.caret)];
                Some(piece.char_start + piece.chars)
            }
            _ => None,
        };
        if let Some(caret) = moved {
            view.caret = caret;
            if !modifiers.shift {
                view.anchor = caret;
            }
            view.flash = None;
            view.scroll_to = Some(caret);
        }
    }
}

fn caret_ui(ui: &egui::Ui, view: &ReaderView) {
    let index = view.piece_of(view.caret);
    let Some((_, rect, galley)) = view.painted.iter().find(|(painted, ..)| *painted == index)
    else {
        return;
    };
    let local = view.caret - view.pieces[index].char_start;
    let at = galley
        .pos_from_cursor(CCursor::new(local))
        .translate(rect.min.to_vec2());
    ui.painter().line_segment(
        [at.left_top(), at.left_bottom()],
        egui::Stroke::new(1.5, ui.visuals().text_color()),
    );
}
