//! Buffer plumbing of the graph renderer: storage buffers that grow by
//! doubling, and the bind groups and layouts that expose them to the shader.

use egui_wgpu::wgpu;

/// Smallest buffer ever created: wgpu rejects zero-sized bindings, and an
/// empty graph still binds every buffer.
const MIN_BUFFER_BYTES: u64 = 256;

/// A buffer that grows by doubling, so a growing graph reallocates
/// O(log n) times.
pub(super) struct GrowBuffer {
    pub(super) buffer: wgpu::Buffer,
    label: &'static str,
    usage: wgpu::BufferUsages,
}

impl GrowBuffer {
    /// A storage buffer.
    pub(super) fn new(device: &wgpu::Device, label: &'static str) -> Self {
        Self::with_usage(device, label, wgpu::BufferUsages::STORAGE)
    }

    /// A buffer for `usage` (and uploads).
    pub(super) fn with_usage(
        device: &wgpu::Device,
        label: &'static str,
        usage: wgpu::BufferUsages,
    ) -> Self {
        Self {
            buffer: create(device, label, usage, MIN_BUFFER_BYTES),
            label,
            usage,
        }
    }

    /// Writes `data` at offset 0; returns true when the buffer was replaced
    /// (bind groups must then be rebuilt).
    pub(super) fn upload(
        &mut self,
        device: &wgpu::Device,
        queue: &wgpu::Queue,
        data: &[u8],
    ) -> bool {
        let needed = data.len() as u64;
        let mut replaced = false;
        if needed > self.buffer.size() {
            // Exact for a graph's first upload (a 1M-edge buffer rounded up
            // to a power of two wastes 8 MB); growing after that doubles.
            let grown = if self.buffer.size() > MIN_BUFFER_BYTES {
                self.buffer.size() * 2
            } else {
                0
            };
            let size = needed.next_multiple_of(4).max(grown).max(MIN_BUFFER_BYTES);
            // The old contents are dropped first: a 1M-edge graph's buffers
            // would otherwise be held twice while the new ones fill.
            self.buffer.destroy();
            self.buffer = create(device, self.label, self.usage, size);
            replaced = true;
        }
        if !data.is_empty() {
            queue.write_buffer(&self.buffer, 0, data);
        }
        replaced
    }
}

fn create(
    device: &wgpu::Device,
    label: &'static str,
    usage: wgpu::BufferUsages,
    size: u64,
) -> wgpu::Buffer {
    device.create_buffer(&wgpu::BufferDescriptor {
        label: Some(label),
        size,
        usage: usage | wgpu::BufferUsages::COPY_DST,
        mapped_at_creation: false,
    })
}

fn entry(binding: u32, buffer: &wgpu::Buffer) -> wgpu::BindGroupEntry<'_> {
    wgpu::BindGroupEntry {
        binding,
        resource: buffer.as_entire_binding(),
    }
}

pub(super) fn storage() -> wgpu::BufferBindingType {
    wgpu::BufferBindingType::Storage { read_only: true }
}

pub(super) fn layout_entry(
    binding: u32,
    ty: wgpu::BufferBindingType,
    visibility: wgpu::ShaderStages,
) -> wgpu::BindGroupLayoutEntry {
    wgpu::BindGroupLayoutEntry {
        binding,
        visibility,
        ty: wgpu::BindingType::Buffer {
            ty,
            has_dynamic_offset: false,
            min_binding_size: None,
        },
        count: None,
    }
}

/// The graph's buffers, as the bind groups see them.
pub(super) struct SceneBuffers<'a> {
    pub positions: &'a GrowBuffer,
    pub styles: &'a GrowBuffer,
    pub edges: &'a GrowBuffer,
    pub overlay_edges: &'a GrowBuffer,
    pub overlay_nodes: &'a GrowBuffer,
}

/// The bind groups of the graph pipelines.
pub(super) struct BindGroups {
    /// Scene with the window frame's uniforms (highlights).
    pub frame_scene: wgpu::BindGroup,
    /// Scene with the picture's uniforms (see cache.rs).
    pub picture_scene: wgpu::BindGroup,
    pub edges: wgpu::BindGroup,
    pub overlay: wgpu::BindGroup,
}

/// Builds every bind group. The overlay-node buffer sits in both edge groups
/// so one pipeline layout serves all the graph pipelines.
pub(super) fn bind_groups(
    device: &wgpu::Device,
    scene_layout: &wgpu::BindGroupLayout,
    edges_layout: &wgpu::BindGroupLayout,
    [frame_uniforms, picture_uniforms]: [&wgpu::Buffer; 2],
    buffers: &SceneBuffers<'_>,
) -> BindGroups {
    let scene = |label: &str, uniforms: &wgpu::Buffer| {
        device.create_bind_group(&wgpu::BindGroupDescriptor {
            label: Some(label),
            layout: scene_layout,
            entries: &[
                entry(0, uniforms),
                entry(1, &buffers.positions.buffer),
                entry(2, &buffers.styles.buffer),
            ],
        })
    };
    let edges_group = |label: &str, edge_buffer: &GrowBuffer| {
        device.create_bind_group(&wgpu::BindGroupDescriptor {
            label: Some(label),
            layout: edges_layout,
            entries: &[
                entry(0, &edge_buffer.buffer),
                entry(1, &buffers.overlay_nodes.buffer),
            ],
        })
    };
    BindGroups {
        frame_scene: scene("linkscope_graph_scene", frame_uniforms),
        picture_scene: scene("linkscope_graph_picture_scene", picture_uniforms),
        edges: edges_group("linkscope_graph_edges", buffers.edges),
        overlay: edges_group("linkscope_graph_overlay", buffers.overlay_edges),
    }
}
