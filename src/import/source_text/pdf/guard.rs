//! Checks made before pdf-extract reads a PDF, for the damage that sends it
//! into recursion without end: a stack overflow (an abort that
//! `catch_unwind` cannot catch) or, where the optimiser turned the
//! recursion into a loop, a reader that never returns:
//!
//! - pdf-extract looks up a page's inherited keys by recursion along
//!   `/Parent`, with no guard against a chain that loops;
//! - it follows `Do` into `XObject`s by recursion, with no guard against a
//!   form that draws itself, directly or through others.
//!
//! Both are walked here the way pdf-extract walks them, with bounds.

use std::collections::HashSet;

use pdf_extract::content::Content;
use pdf_extract::{Dictionary, Document, Object, ObjectId};

/// Real page trees are a few levels deep.
const MAX_PARENT_STEPS: usize = 64;
/// Real documents nest forms a few levels deep.
const MAX_FORM_DEPTH: usize = 32;
/// A bound on the whole walk, so a crafted web of forms cannot make it slow.
const MAX_FORM_VISITS: usize = 10_000;

/// `Err` with a message when the document would send pdf-extract into
/// unbounded recursion.
pub(super) fn check(document: &Document) -> Result<(), String> {
    let empty = Dictionary::new();
    let mut walk = Walk {
        document,
        stack: Vec::new(),
        done: HashSet::new(),
        visits: 0,
    };
    for (page_no, page_id) in document.get_pages() {
        let Ok(page) = document.get_dictionary(page_id) else {
            continue;
        };
        let resources = inherited_resources(document, page)
            .map_err(|()| format!("page {page_no}: its page tree loops (/Parent)"))?
            .unwrap_or(&empty);
        let content = document.get_page_content(page_id).unwrap_or_default();
        walk.content(&content, resources)
            .map_err(|message| format!("page {page_no}: {message}"))?;
    }
    Ok(())
}

/// The page's `/Resources`, its own or its nearest ancestor's; `Err` when
/// the `/Parent` chain does not end (pdf-extract climbs it to the root for
/// a missing `/MediaBox` as well).
fn inherited_resources<'a>(
    document: &'a Document,
    page: &'a Dictionary,
) -> Result<Option<&'a Dictionary>, ()> {
    let mut resources = None;
    let mut node = page;
    for _ in 0..MAX_PARENT_STEPS {
        if resources.is_none() {
            resources = node
                .get(b"Resources")
                .ok()
                .and_then(|r| dictionary(document, r));
        }
        let Some(parent) = node
            .get(b"Parent")
            .ok()
            .and_then(|p| dictionary(document, p))
        else {
            return Ok(resources);
        };
        node = parent;
    }
    Err(())
}

struct Walk<'a> {
    document: &'a Document,
    /// The `XObject`s being drawn, outermost first.
    stack: Vec<ObjectId>,
    /// `XObject`s already walked with the same resources.
    done: HashSet<(ObjectId, *const Dictionary)>,
    visits: usize,
}

impl<'a> Walk<'a> {
    /// Follows every `Do` in `content`, as pdf-extract would.
    fn content(&mut self, content: &[u8], resources: &'a Dictionary) -> Result<(), String> {
        let Ok(content) = Content::decode(content) else {
            return Ok(());
        };
        let xobjects = resources
            .get(b"XObject")
            .ok()
            .and_then(|x| dictionary(self.document, x));
        for operation in content.operations {
            if operation.operator != "Do" {
                continue;
            }
            let Some(name) = operation.operands.first().and_then(|n| n.as_name().ok()) else {
                continue;
            };
            let Some(Ok(&Object::Reference(id))) = xobjects.map(|x| x.get(name)) else {
                continue;
            };
            self.xobject(id, resources)?;
        }
        Ok(())
    }

    fn xobject(&mut self, id: ObjectId, outer: &'a Dictionary) -> Result<(), String> {
        if self.stack.contains(&id) {
            return Err(format!("the drawing {} {} draws itself", id.0, id.1));
        }
        if self.stack.len() >= MAX_FORM_DEPTH {
            return Err(format!("drawings nested over {MAX_FORM_DEPTH} deep"));
        }
        self.visits += 1;
        if self.visits > MAX_FORM_VISITS {
            return Err(format!("over {MAX_FORM_VISITS} nested drawings"));
        }
        let Ok(Object::Stream(stream)) = self.document.get_object(id) else {
            return Ok(());
        };
        // A form without resources of its own uses its caller's.
        let resources = stream
            .dict
            .get(b"Resources")
            .ok()
            .and_then(|r| dictionary(self.document, r))
            .unwrap_or(outer);
        if !self.done.insert((id, std::ptr::from_ref(resources))) {
            return Ok(());
        }
        let content = stream
            .decompressed_content()
            .unwrap_or_else(|_| stream.content.clone());
        self.stack.push(id);
        let walked = self.content(&content, resources);
        self.stack.pop();
        walked
    }
}

fn dictionary<'a>(document: &'a Document, object: &'a Object) -> Option<&'a Dictionary> {
    match object {
        Object::Reference(id) => document.get_dictionary(*id).ok(),
        Object::Dictionary(dictionary) => Some(dictionary),
        _ => None,
    }
}
