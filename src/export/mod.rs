//! Pictures of the graph for reports. No egui UI here: exports take pixels
//! or a draw list and write files, each with its provenance.

use std::path::{Path, PathBuf};

pub mod captured;
pub mod evidence_table;
pub mod graph_formats;
pub mod headless;
pub mod metrics_table;
pub mod outlines;
pub mod path_report;
pub mod picture;
mod provenance;
pub mod svg;
pub mod w3c;

pub use provenance::{Provenance, sha256_of_file};

/// Why an export could not be written.
#[derive(Debug, thiserror::Error)]
pub enum ExportError {
    #[error("could not encode the PNG ({source}): {}", path.display())]
    Encode {
        path: PathBuf,
        #[source]
        source: png::EncodingError,
    },
    #[error("could not write the file ({source}): {}", path.display())]
    Io {
        path: PathBuf,
        #[source]
        source: std::io::Error,
    },
    #[error("the picture is empty (0×0 pixels): {}", path.display())]
    Empty { path: PathBuf },
    #[error("the picture would be {width}×{height} pixels; at most {max} on a side can be written (choose a smaller scale or size): {}", path.display(), max = picture::MAX_SIDE_PX)]
    TooLarge {
        path: PathBuf,
        width: u32,
        height: u32,
    },
    #[error("the picture could not be drawn ({detail}): {}", path.display())]
    Render { path: PathBuf, detail: String },
    #[error("the graph file could not be read for the export ({detail}): {}", path.display())]
    Source { path: PathBuf, detail: String },
    #[error("the file name must end in .png or .svg: {}", path.display())]
    UnknownFormat { path: PathBuf },
}

/// Pictures bigger than this (a 2× export of a large window) are
/// compressed with the fast setting: somewhat bigger, several times quicker.
const FAST_PNG_PIXELS: usize = 4_000_000;

/// Writes RGBA pixels (premultiplied, as egui's screenshots are) as a PNG,
/// with `text` as the PNG's text chunks (keyword, UTF-8 value). Writes
/// beside the target and renames, so a failed export never leaves a
/// half-written file where a good one was. The same pixels and text always
/// give the same bytes.
pub fn write_png(
    path: &Path,
    width: usize,
    height: usize,
    rgba_premultiplied: &[u8],
    text: &[(String, String)],
) -> Result<(), ExportError> {
    if width == 0 || height == 0 || rgba_premultiplied.len() != width * height * 4 {
        return Err(ExportError::Empty {
            path: path.to_path_buf(),
        });
    }
    let mut pixels = rgba_premultiplied.to_vec();
    for pixel in pixels.chunks_exact_mut(4) {
        let alpha = pixel[3];
        if alpha != 0 && alpha != 255 {
            for channel in &mut pixel[..3] {
                *channel = ((u16::from(*channel) * 255 + u16::from(alpha) / 2) / u16::from(alpha))
                    .min(255) as u8;
            }
        }
    }
    let io = |source| ExportError::Io {
        path: path.to_path_buf(),
        source,
    };
    let encode = |source| ExportError::Encode {
        path: path.to_path_buf(),
        source,
    };
    let partial = path.with_extension("png.partial");
    let file = std::fs::File::create(&partial).map_err(io)?;
    let written = (|| {
        let mut encoder =
            png::Encoder::new(std::io::BufWriter::new(file), width as u32, height as u32);
        encoder.set_color(png::ColorType::Rgba);
        encoder.set_depth(png::BitDepth::Eight);
        if width * height > FAST_PNG_PIXELS {
            // The default compression takes seconds on a 4× export.
            encoder.set_compression(png::Compression::Fast);
        }
        for (keyword, value) in text {
            encoder
                .add_itxt_chunk(keyword.clone(), value.clone())
                .map_err(encode)?;
        }
        let mut writer = encoder.write_header().map_err(encode)?;
        writer.write_image_data(&pixels).map_err(encode)?;
        writer.finish().map_err(encode)
    })();
    if let Err(error) = written {
        let _ = std::fs::remove_file(&partial);
        return Err(error);
    }
    std::fs::rename(&partial, path).map_err(io)
}

/// Writes `image` (egui's premultiplied pixels) as a PNG with `text` chunks.
pub fn write_color_image(
    path: &Path,
    image: &egui::ColorImage,
    text: &[(String, String)],
) -> Result<(), ExportError> {
    let bytes: Vec<u8> = image
        .pixels
        .iter()
        .flat_map(egui::Color32::to_array)
        .collect();
    write_png(path, image.size[0], image.size[1], &bytes, text)
}

/// Writes `text` to `path` through a temporary file beside it.
pub fn write_text_file(path: &Path, text: &str) -> Result<(), ExportError> {
    let io = |source| ExportError::Io {
        path: path.to_path_buf(),
        source,
    };
    let partial = path.with_extension("partial");
    std::fs::write(&partial, text).map_err(io)?;
    std::fs::rename(&partial, path).map_err(io)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn writes_a_png_that_reads_back() {
        let folder = tempfile::tempdir().unwrap();
        let path = folder.path().join("shot.png");
        let pixels = [255, 0, 0, 255, 0, 0, 128, 128];
        let text = [("Software".to_owned(), "Linkscope 0.1".to_owned())];
        write_png(&path, 2, 1, &pixels, &text).unwrap();
        let image = image::open(&path).unwrap().to_rgba8();
        assert_eq!(image.dimensions(), (2, 1));
        assert_eq!(image.get_pixel(0, 0).0, [255, 0, 0, 255]);
        assert_eq!(image.get_pixel(1, 0).0, [0, 0, 255, 128]);
        assert!(!folder.path().join("shot.png.partial").exists());
    }

    #[test]
    fn refuses_an_empty_picture() {
        let folder = tempfile::tempdir().unwrap();
        assert!(write_png(&folder.path().join("x.png"), 0, 0, &[], &[]).is_err());
    }
}
