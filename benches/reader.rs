//! The reader on a 5 MB UTF-8 text (issue 22's speed goals), as the window
//! pays for it on the CPU: egui's pass and its tessellation.
//!
//! - first paint: cutting the text into pieces and the first frame;
//! - scrolling: 300 frames, each jumping further down the text, p50/p95/max;
//! - select, confirm, committed and highlighted: the anchor of the
//!   selection (its quote, prefix, suffix and hash, with the document's
//!   index built at the first capture), the sample's graph grown by the
//!   capture, and the next frame with the passage marked.
//!
//! Run with `cargo bench --bench reader`; it prints the figures.

use std::hint::black_box;
use std::path::Path;
use std::sync::Arc;
use std::sync::atomic::AtomicBool;
use std::time::{Duration, Instant};

use egui::{Pos2, RawInput, Rect, vec2};
use linkscope::model::anchor::SourceText;
use linkscope::model::capture::{Capture, CapturedExcerpt, NewRelation, Stance, grow_by_capture};
use linkscope::store::{LoadProgress, load_graph};
use linkscope::view::reader::{Highlight, ReaderView, reader_ui};

const TARGET_BYTES: usize = 5 * 1024 * 1024;

/// A deterministic article-like text: paragraphs of words, some accented
/// and some Arabic, a blank line between paragraphs.
fn text() -> String {
    let words = [
        "the",
        "meeting",
        "in",
        "Kabul",
        "was",
        "held",
        "to",
        "convey",
        "Russia's",
        "concerns",
        "about",
        "terrorism",
        "café",
        "naïve",
        "مرحبا",
        "security",
        "cooperation",
        "Haqqani",
    ];
    let mut text = String::with_capacity(TARGET_BYTES + 1024);
    let mut state: u64 = 0x9E37_79B9_7F4A_7C15;
    while text.len() < TARGET_BYTES {
        let sentences = 3 + (state % 5) as usize;
        for _ in 0..sentences {
            let length = 8 + (state % 17) as usize;
            for word in 0..length {
                state = state
                    .wrapping_mul(6_364_136_223_846_793_005)
                    .wrapping_add(1_442_695_040_888_963_407);
                if word > 0 {
                    text.push(' ');
                }
                text.push_str(words[(state >> 33) as usize % words.len()]);
            }
            text.push_str(". ");
        }
        text.push_str("\n\n");
    }
    text
}

fn frame(ctx: &egui::Context, view: &mut ReaderView) -> Duration {
    let started = Instant::now();
    let input = RawInput {
        screen_rect: Some(Rect::from_min_size(Pos2::ZERO, vec2(420.0, 900.0))),
        ..RawInput::default()
    };
    let output = ctx.run_ui(input, |ui| {
        egui::CentralPanel::default().show(ui, |ui| {
            black_box(reader_ui(ui, view));
        });
    });
    let primitives = ctx.tessellate(output.shapes, output.pixels_per_point);
    let elapsed = started.elapsed();
    // The text is drawn: the meshes hold its glyphs' quads, thousands of
    // vertices for a screenful.
    let vertices: usize = primitives
        .iter()
        .map(|clipped| match &clipped.primitive {
            egui::epaint::Primitive::Mesh(mesh) => mesh.vertices.len(),
            egui::epaint::Primitive::Callback(_) => 0,
        })
        .sum();
    // (The warm-up frame's short text is the exception.)
    assert!(
        vertices > 5_000 || view.text().len() < 100,
        "only {vertices} vertices were drawn"
    );
    elapsed
}

fn ms(duration: Duration) -> f64 {
    duration.as_secs_f64() * 1000.0
}

fn main() {
    let text: Arc<str> = Arc::from(text());
    let chars = text.chars().count();
    println!(
        "text: {:.1} MB, {chars} chars",
        text.len() as f64 / 1_000_000.0
    );
    let ctx = egui::Context::default();
    // egui's fonts are built by the first pass of a context, as the
    // window's are before any document opens.
    frame(&ctx, &mut ReaderView::new(0, Arc::from("warm up")));

    let started = Instant::now();
    let mut view = ReaderView::new(1, Arc::clone(&text));
    frame(&ctx, &mut view);
    let first_paint = started.elapsed();
    println!("first paint: {:.1} ms (goal <= 1000 ms)", ms(first_paint));

    let mut frames: Vec<Duration> = (0..300)
        .map(|step| {
            let at = (step * 15_001) % chars;
            view.select(at, at + 1);
            frame(&ctx, &mut view)
        })
        .collect();
    frames.sort_unstable();
    let quantile = |q: f64| ms(frames[((frames.len() - 1) as f64 * q) as usize]);
    println!(
        "scrolling frames: p50 {:.2} ms, p95 {:.2} ms, max {:.2} ms (goal p95 <= 16 ms)",
        quantile(0.5),
        quantile(0.95),
        quantile(1.0)
    );

    let sample = Path::new(env!("CARGO_MANIFEST_DIR")).join("sample-db/sample.sqlite");
    let graph = load_graph(
        &sample,
        &LoadProgress::default(),
        &Arc::new(AtomicBool::new(false)),
    )
    .expect("the sample loads")
    .graph;
    let start = chars / 2;
    view.select(start, start + 80);
    frame(&ctx, &mut view);
    let started = Instant::now();
    let index = SourceText::new(text.to_string());
    let indexed = started.elapsed();
    let mut timings = Vec::new();
    for round in 0..20 {
        let started = Instant::now();
        let (from, to) = view.selection().expect("a selection");
        let anchor = index.anchor(from, to);
        let capture = Capture {
            entities: Vec::new(),
            relation: Some(NewRelation {
                id: 10_000 + round,
                subject_id: 1,
                object_id: 2,
                kind: "mentioned_with".to_owned(),
                label: None,
                date_start: None,
                date_end: None,
            }),
            relation_id: 10_000 + round,
            excerpt: CapturedExcerpt {
                id: 10_000 + round,
                document_id: 1,
                anchor,
                page_no: None,
                locator: None,
                credibility: Some("2".to_owned()),
                created_at: String::new(),
                note: None,
            },
            stance: Stance::Supports,
            regraded: None,
        };
        let grown = grow_by_capture(&graph, &capture, 0.5).expect("the graph grows");
        black_box(grown);
        view.highlights.push(Highlight {
            start: from,
            end: to,
            contradicts: false,
        });
        view.clear_selection();
        frame(&ctx, &mut view);
        timings.push(started.elapsed());
        view.select(start, start + 80);
    }
    timings.sort_unstable();
    println!(
        "the document's index (once, at its first capture): {:.1} ms",
        ms(indexed)
    );
    println!(
        "select, confirm, committed and highlighted: median {:.2} ms, max {:.2} ms (goal <= 100 ms)",
        ms(timings[timings.len() / 2]),
        ms(timings[timings.len() - 1])
    );
}
