//! Reading STIX objects one at a time, whatever holds them: a bundle's
//! `objects` array and a bare array are streamed element by element (the
//! bundle itself is never held), JSON lines are read line by line.

use std::cell::Cell;
use std::fmt;
use std::io::{BufRead, Read};
use std::rc::Rc;

use serde::Deserialize as _;
use serde::de::value::MapAccessDeserializer;
use serde::de::{DeserializeSeed, IgnoredAny, MapAccess, SeqAccess, Visitor};
use serde_json::{Map, Value};

use crate::import::{ImportError, ImportInput};

/// Where the objects go, with the line each starts on.
pub(super) trait Sink {
    fn object(&mut self, object: Map<String, Value>, line: u64) -> Result<(), ImportError>;
    fn note(&mut self, line: u64, message: &str) -> Result<(), ImportError>;
}

/// Reads every STIX object of `input` into `sink`.
pub(super) fn read_objects(
    input: &mut ImportInput,
    sink: &mut dyn Sink,
) -> Result<(), ImportError> {
    let name = input.name.clone();
    let read = |error| ImportError::read(&name, error);
    // A byte-order mark and leading white space say nothing.
    let head = input.reader.fill_buf().map_err(read)?;
    if head.starts_with(b"\xef\xbb\xbf") {
        input.reader.consume(3);
    }
    skip_space(input).map_err(read)?;
    let head = input.reader.fill_buf().map_err(read)?;
    let first_line = head.split(|&byte| byte == b'\n').next().unwrap_or(head);
    let complete_line =
        first_line.len() < head.len() && serde_json::from_slice::<IgnoredAny>(first_line).is_ok();
    let bundle_line = first_line
        .windows(b"\"objects\"".len())
        .any(|window| window == b"\"objects\"");
    if head.first() == Some(&b'{') && complete_line && !bundle_line {
        read_lines(input, sink)
    } else {
        read_streamed(input, sink)
    }
}

fn skip_space(input: &mut ImportInput) -> std::io::Result<bool> {
    loop {
        let buffer = input.reader.fill_buf()?;
        if buffer.is_empty() {
            return Ok(false);
        }
        let space = buffer
            .iter()
            .take_while(|byte| byte.is_ascii_whitespace())
            .count();
        let more = space < buffer.len();
        input.reader.consume(space);
        if more {
            return Ok(true);
        }
    }
}

/// JSON lines: one object (or bundle, or array) a line; a line that is not
/// JSON is noted and the next one read.
fn read_lines(input: &mut ImportInput, sink: &mut dyn Sink) -> Result<(), ImportError> {
    let mut line = Vec::new();
    loop {
        line.clear();
        let number = input.reader.line();
        let read = input
            .reader
            .read_until(b'\n', &mut line)
            .map_err(|error| ImportError::read(&input.name, error))?;
        if read == 0 {
            return Ok(());
        }
        if line.iter().all(u8::is_ascii_whitespace) {
            continue;
        }
        match serde_json::from_slice::<Value>(&line) {
            Ok(value) => take_value(value, number, sink)?,
            Err(error) => sink.note(number, &format!("not a JSON object, skipped: {error}"))?,
        }
    }
}

/// One line's value: an object, a bundle of objects, or an array of them.
fn take_value(value: Value, line: u64, sink: &mut dyn Sink) -> Result<(), ImportError> {
    match value {
        Value::Object(mut object)
            if object.get("type").and_then(Value::as_str) == Some("bundle") =>
        {
            match object.remove("objects") {
                Some(Value::Array(objects)) => objects
                    .into_iter()
                    .try_for_each(|value| take_value(value, line, sink)),
                _ => Ok(()),
            }
        }
        Value::Object(object) => sink.object(object, line),
        Value::Array(values) => values
            .into_iter()
            .try_for_each(|value| take_value(value, line, sink)),
        _ => sink.note(line, "not a STIX object, skipped"),
    }
}

/// A reader that counts the newlines read through it, so the streaming
/// parser's objects can be given their lines.
struct Tracking<'a, R> {
    inner: &'a mut R,
    line: Rc<Cell<u64>>,
}

impl<R: Read> Read for Tracking<'_, R> {
    fn read(&mut self, buf: &mut [u8]) -> std::io::Result<usize> {
        let read = self.inner.read(buf)?;
        let newlines = buf[..read].split(|&byte| byte == b'\n').count() - 1;
        self.line.set(self.line.get() + newlines as u64);
        Ok(read)
    }
}

/// A bundle or an array, streamed: the first error ends the import with
/// the line it is on.
fn read_streamed(input: &mut ImportInput, sink: &mut dyn Sink) -> Result<(), ImportError> {
    let name = input.name.clone();
    while skip_space(input).map_err(|error| ImportError::read(&name, error))? {
        let line = Rc::new(Cell::new(input.reader.line()));
        let mut failure = None;
        let result = {
            let tracking = Tracking {
                inner: &mut input.reader,
                line: Rc::clone(&line),
            };
            let mut deserializer = serde_json::Deserializer::from_reader(tracking);
            Top {
                sink: &mut *sink,
                line: &line,
                failure: &mut failure,
            }
            .deserialize(&mut deserializer)
        };
        if let Some(failure) = failure {
            return Err(failure);
        }
        if let Err(error) = result {
            if error.is_io() {
                return Err(ImportError::read(&name, std::io::Error::from(error)));
            }
            return Err(ImportError::Malformed {
                file: name,
                line: line.get(),
                message: format!("not a STIX 2.1 bundle: {error}"),
            });
        }
    }
    Ok(())
}

/// The state the visitors share: where objects go, the line, and an
/// import error that stopped them (serde's errors carry only text).
struct Top<'a, 'b> {
    sink: &'a mut dyn Sink,
    line: &'b Rc<Cell<u64>>,
    failure: &'b mut Option<ImportError>,
}

impl Top<'_, '_> {
    fn reborrow(&mut self) -> Top<'_, '_> {
        Top {
            sink: &mut *self.sink,
            line: self.line,
            failure: &mut *self.failure,
        }
    }

    fn object<E: serde::de::Error>(
        &mut self,
        object: Map<String, Value>,
        line: u64,
    ) -> Result<(), E> {
        self.sink.object(object, line).map_err(|error| {
            *self.failure = Some(error);
            E::custom("the import stopped")
        })
    }

    fn note<E: serde::de::Error>(&mut self, message: &str) -> Result<(), E> {
        let line = self.line.get();
        self.sink.note(line, message).map_err(|error| {
            *self.failure = Some(error);
            E::custom("the import stopped")
        })
    }
}

impl<'de> DeserializeSeed<'de> for Top<'_, '_> {
    type Value = ();

    fn deserialize<D: serde::Deserializer<'de>>(self, deserializer: D) -> Result<(), D::Error> {
        deserializer.deserialize_any(self)
    }
}

impl<'de> Visitor<'de> for Top<'_, '_> {
    type Value = ();

    fn expecting(&self, formatter: &mut fmt::Formatter<'_>) -> fmt::Result {
        formatter.write_str("a STIX bundle or an array of STIX objects")
    }

    fn visit_seq<A: SeqAccess<'de>>(mut self, mut seq: A) -> Result<(), A::Error> {
        while seq.next_element_seed(Element(self.reborrow()))?.is_some() {}
        Ok(())
    }

    fn visit_map<A: MapAccess<'de>>(mut self, mut map: A) -> Result<(), A::Error> {
        let line = self.line.get();
        let mut rest = Map::new();
        while let Some(key) = map.next_key::<String>()? {
            if key == "objects" {
                if let Some(value) = map.next_value_seed(Objects(self.reborrow()))? {
                    rest.insert(key, value);
                }
            } else {
                let value = map.next_value::<Value>()?;
                rest.insert(key, value);
            }
        }
        // A lone object rather than a bundle.
        let is_bundle = rest.get("type").and_then(Value::as_str) == Some("bundle");
        if !is_bundle && rest.contains_key("type") {
            self.object(rest, line)?;
        }
        Ok(())
    }
}

/// A bundle's `objects`: an array streamed, or (in a lone object) a map
/// kept as it is.
struct Objects<'a, 'b>(Top<'a, 'b>);

impl<'de> DeserializeSeed<'de> for Objects<'_, '_> {
    type Value = Option<Value>;

    fn deserialize<D: serde::Deserializer<'de>>(
        self,
        deserializer: D,
    ) -> Result<Option<Value>, D::Error> {
        deserializer.deserialize_any(self)
    }
}

impl<'de> Visitor<'de> for Objects<'_, '_> {
    type Value = Option<Value>;

    fn expecting(&self, formatter: &mut fmt::Formatter<'_>) -> fmt::Result {
        formatter.write_str("an array of STIX objects")
    }

    fn visit_seq<A: SeqAccess<'de>>(mut self, mut seq: A) -> Result<Option<Value>, A::Error> {
        while seq.next_element_seed(Element(self.0.reborrow()))?.is_some() {}
        Ok(None)
    }

    fn visit_map<A: MapAccess<'de>>(self, map: A) -> Result<Option<Value>, A::Error> {
        Value::deserialize(MapAccessDeserializer::new(map)).map(Some)
    }

    fn visit_unit<E: serde::de::Error>(self) -> Result<Option<Value>, E> {
        Ok(None)
    }
}

/// One element of an array of objects.
struct Element<'a, 'b>(Top<'a, 'b>);

impl<'de> DeserializeSeed<'de> for Element<'_, '_> {
    type Value = ();

    fn deserialize<D: serde::Deserializer<'de>>(self, deserializer: D) -> Result<(), D::Error> {
        deserializer.deserialize_any(self)
    }
}

impl<'de> Visitor<'de> for Element<'_, '_> {
    type Value = ();

    fn expecting(&self, formatter: &mut fmt::Formatter<'_>) -> fmt::Result {
        formatter.write_str("a STIX object")
    }

    fn visit_map<A: MapAccess<'de>>(mut self, map: A) -> Result<(), A::Error> {
        let line = self.0.line.get();
        let object = Map::deserialize(MapAccessDeserializer::new(map))?;
        self.0.object(object, line)
    }

    fn visit_seq<A: SeqAccess<'de>>(mut self, mut seq: A) -> Result<(), A::Error> {
        while seq.next_element::<IgnoredAny>()?.is_some() {}
        self.0.note("an array where a STIX object belongs, skipped")
    }

    fn visit_str<E: serde::de::Error>(mut self, _: &str) -> Result<(), E> {
        self.0.note("a string where a STIX object belongs, skipped")
    }

    fn visit_i64<E: serde::de::Error>(mut self, _: i64) -> Result<(), E> {
        self.0.note("a number where a STIX object belongs, skipped")
    }

    fn visit_u64<E: serde::de::Error>(mut self, _: u64) -> Result<(), E> {
        self.0.note("a number where a STIX object belongs, skipped")
    }

    fn visit_f64<E: serde::de::Error>(mut self, _: f64) -> Result<(), E> {
        self.0.note("a number where a STIX object belongs, skipped")
    }

    fn visit_bool<E: serde::de::Error>(mut self, _: bool) -> Result<(), E> {
        self.0
            .note("a boolean where a STIX object belongs, skipped")
    }

    fn visit_unit<E: serde::de::Error>(mut self) -> Result<(), E> {
        self.0.note("null where a STIX object belongs, skipped")
    }
}
