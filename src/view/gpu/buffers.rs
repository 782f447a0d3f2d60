//! Buffer plumbing of the graph renderer: storage buffers that grow by
//! doubling, and the bind groups and layouts that expose them to the shader.

use egui_wgpu::wgpu;

/// Smallest buffer ever created: wgpu rejects zero-sized bindings, and an
/// empty graph still binds every buffer.
const MIN_BUFFER_BYTES: u64 = 256;

/// A storage buffer that grows by doubling, so a growing graph reallocates
/// O(log n) times.
pub(super) struct GrowBuffer {
    pub(super) buffer: wgpu::Buffer,
    label: &'static str,
}

impl GrowBuffer {
    pub(super) fn new(device: &wgpu::Device, label: &'static str) -> Self {
        Self {
            buffer: create_storage(device, label, MIN_BUFFER_BYTES),
            label,
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
            let size = needed.next_power_of_two().max(MIN_BUFFER_BYTES);
            self.buffer = create_storage(device, self.label, size);
            replaced = true;
        }
        if !data.is_empty() {
            queue.write_buffer(&self.buffer, 0, data);
        }
        replaced
    }
}

fn create_storage(device: &wgpu::Device, label: &'static str, size: u64) -> wgpu::Buffer {
    device.create_buffer(&wgpu::BufferDescriptor {
        label: Some(label),
        size,
        usage: wgpu::BufferUsages::STORAGE | wgpu::BufferUsages::COPY_DST,
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

/// (scene, main edges, overlay) bind groups. The overlay-node buffer sits in
/// both edge groups so one pipeline layout serves all four pipelines.
pub(super) fn bind_groups(
    device: &wgpu::Device,
    scene_layout: &wgpu::BindGroupLayout,
    edges_layout: &wgpu::BindGroupLayout,
    uniforms: &wgpu::Buffer,
    [positions, styles, edges, overlay_edges, overlay_nodes]: [&GrowBuffer; 5],
) -> (wgpu::BindGroup, wgpu::BindGroup, wgpu::BindGroup) {
    let scene = device.create_bind_group(&wgpu::BindGroupDescriptor {
        label: Some("linkscope_graph_scene"),
        layout: scene_layout,
        entries: &[
            entry(0, uniforms),
            entry(1, &positions.buffer),
            entry(2, &styles.buffer),
        ],
    });
    let edges_group = |label: &str, edge_buffer: &GrowBuffer| {
        device.create_bind_group(&wgpu::BindGroupDescriptor {
            label: Some(label),
            layout: edges_layout,
            entries: &[
                entry(0, &edge_buffer.buffer),
                entry(1, &overlay_nodes.buffer),
            ],
        })
    };
    (
        scene,
        edges_group("linkscope_graph_edges", edges),
        edges_group("linkscope_graph_overlay", overlay_edges),
    )
}
