//! Pictures of the graph for reports. No egui UI here: exports take pixels
//! or data and write files.

use std::path::{Path, PathBuf};

/// Why an export could not be written.
#[derive(Debug, thiserror::Error)]
pub enum ExportError {
    #[error("could not encode the PNG ({source}): {}", path.display())]
    Encode {
        path: PathBuf,
        #[source]
        source: image::ImageError,
    },
    #[error("could not write the file ({source}): {}", path.display())]
    Io {
        path: PathBuf,
        #[source]
        source: std::io::Error,
    },
    #[error("the picture is empty (0×0 pixels): {}", path.display())]
    Empty { path: PathBuf },
}

/// Writes RGBA pixels (premultiplied, as egui's screenshots are) as a PNG.
/// Writes beside the target and renames, so a failed export never leaves a
/// half-written file where a good one was.
pub fn write_png(
    path: &Path,
    width: usize,
    height: usize,
    rgba_premultiplied: &[u8],
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
    let partial = path.with_extension("png.partial");
    image::save_buffer_with_format(
        &partial,
        &pixels,
        width as u32,
        height as u32,
        image::ExtendedColorType::Rgba8,
        image::ImageFormat::Png,
    )
    .map_err(|source| ExportError::Encode {
        path: path.to_path_buf(),
        source,
    })?;
    std::fs::rename(&partial, path).map_err(|source| ExportError::Io {
        path: path.to_path_buf(),
        source,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn writes_a_png_that_reads_back() {
        let folder = tempfile::tempdir().unwrap();
        let path = folder.path().join("shot.png");
        let pixels = [255, 0, 0, 255, 0, 0, 128, 128];
        write_png(&path, 2, 1, &pixels).unwrap();
        let image = image::open(&path).unwrap().to_rgba8();
        assert_eq!(image.dimensions(), (2, 1));
        assert_eq!(image.get_pixel(0, 0).0, [255, 0, 0, 255]);
        assert_eq!(image.get_pixel(1, 0).0, [0, 0, 255, 128]);
        assert!(!folder.path().join("shot.png.partial").exists());
    }

    #[test]
    fn refuses_an_empty_picture() {
        let folder = tempfile::tempdir().unwrap();
        assert!(write_png(&folder.path().join("x.png"), 0, 0, &[]).is_err());
    }
}
