//! Writes a value as nodes with a serde serializer, and replays nodes into any serializer.
//!
//! [`crate::Finding`]'s `Serialize` writes the finding as nodes and replays them, so the derived
//! `Serialize` code of the finding types is compiled once, for [`Writer`], and each output
//! format (the JSON export, the page's JavaScript values) only gets the small replay. The
//! replay writes what the derived code writes in the JSON data model. A struct is a map of its
//! fields in declaration order, a unit variant is its name, and any other variant is a map of
//! its name to its content. So the JSON text and the JavaScript values do not change.

use std::cell::Cell;
use std::fmt;

use serde::ser::{self, Serialize, SerializeMap, SerializeSeq, Serializer};

use super::{Invalid, Node};

impl ser::Error for Invalid {
    fn custom<T: fmt::Display>(_: T) -> Invalid {
        Invalid
    }
}

/// Writes a value's nodes in pre-order.
pub(crate) fn write<T: Serialize + ?Sized>(value: &T) -> Result<Vec<Node>, Invalid> {
    let mut writer = Writer { nodes: Vec::new() };
    value.serialize(&mut writer)?;
    Ok(writer.nodes)
}

/// Serializes the one value `nodes` contain with `serializer`.
pub(crate) fn replay<S: Serializer>(nodes: &[Node], serializer: S) -> Result<S::Ok, S::Error> {
    let cursor = Cursor {
        nodes,
        at: Cell::new(0),
    };
    let value = cursor.serialize(serializer)?;
    if cursor.at.get() == nodes.len() {
        Ok(value)
    } else {
        Err(ser::Error::custom("nodes left over after one value"))
    }
}

struct Writer {
    nodes: Vec<Node>,
}

impl Writer {
    /// Appends a list or map node whose count [`Open::end`] writes.
    fn open(&mut self, node: fn(u32) -> Node) -> Open<'_> {
        let at = self.nodes.len();
        self.nodes.push(node(0));
        Open {
            writer: self,
            at,
            node,
            count: 0,
        }
    }

    /// Appends the map of one entry that contains a variant's content, then opens the content.
    fn open_variant(&mut self, variant: &'static str, node: fn(u32) -> Node) -> Open<'_> {
        self.nodes.push(Node::Map(1));
        self.nodes.push(Node::Key(variant.to_owned()));
        self.open(node)
    }

    fn push(&mut self, node: Node) -> Result<(), Invalid> {
        self.nodes.push(node);
        Ok(())
    }
}

/// A list or map being written.
struct Open<'a> {
    writer: &'a mut Writer,
    at: usize,
    node: fn(u32) -> Node,
    count: u32,
}

impl Open<'_> {
    fn item<T: Serialize + ?Sized>(&mut self, value: &T) -> Result<(), Invalid> {
        value.serialize(&mut *self.writer)?;
        self.count = self.count.checked_add(1).ok_or(Invalid)?;
        Ok(())
    }

    fn field<T: Serialize + ?Sized>(&mut self, key: &str, value: &T) -> Result<(), Invalid> {
        self.writer.nodes.push(Node::Key(key.to_owned()));
        self.item(value)
    }

    fn end(self) -> Result<(), Invalid> {
        self.writer.nodes[self.at] = (self.node)(self.count);
        Ok(())
    }
}

impl<'a> Serializer for &'a mut Writer {
    type Ok = ();
    type Error = Invalid;
    type SerializeSeq = Open<'a>;
    type SerializeTuple = Open<'a>;
    type SerializeTupleStruct = Open<'a>;
    type SerializeTupleVariant = Open<'a>;
    type SerializeMap = Open<'a>;
    type SerializeStruct = Open<'a>;
    type SerializeStructVariant = Open<'a>;

    fn serialize_bool(self, flag: bool) -> Result<(), Invalid> {
        self.push(Node::Bool(flag))
    }

    fn serialize_i8(self, value: i8) -> Result<(), Invalid> {
        self.serialize_i64(value.into())
    }

    fn serialize_i16(self, value: i16) -> Result<(), Invalid> {
        self.serialize_i64(value.into())
    }

    fn serialize_i32(self, value: i32) -> Result<(), Invalid> {
        self.serialize_i64(value.into())
    }

    /// Writes a number that is not negative as unsigned, as JSON reads it back.
    fn serialize_i64(self, value: i64) -> Result<(), Invalid> {
        self.push(match u64::try_from(value) {
            Ok(unsigned) => Node::Unsigned(unsigned),
            Err(_) => Node::Signed(value),
        })
    }

    fn serialize_u8(self, value: u8) -> Result<(), Invalid> {
        self.serialize_u64(value.into())
    }

    fn serialize_u16(self, value: u16) -> Result<(), Invalid> {
        self.serialize_u64(value.into())
    }

    fn serialize_u32(self, value: u32) -> Result<(), Invalid> {
        self.serialize_u64(value.into())
    }

    fn serialize_u64(self, value: u64) -> Result<(), Invalid> {
        self.push(Node::Unsigned(value))
    }

    fn serialize_f32(self, value: f32) -> Result<(), Invalid> {
        self.serialize_f64(value.into())
    }

    fn serialize_f64(self, value: f64) -> Result<(), Invalid> {
        self.push(Node::Float(value))
    }

    fn serialize_char(self, value: char) -> Result<(), Invalid> {
        self.push(Node::Text(value.to_string()))
    }

    fn serialize_str(self, value: &str) -> Result<(), Invalid> {
        self.push(Node::Text(value.to_owned()))
    }

    /// Writes bytes as a list of numbers, as serde_json writes them.
    fn serialize_bytes(self, value: &[u8]) -> Result<(), Invalid> {
        let mut list = self.open(Node::List);
        for byte in value {
            list.item(byte)?;
        }
        list.end()
    }

    fn serialize_none(self) -> Result<(), Invalid> {
        self.push(Node::Null)
    }

    fn serialize_some<T: Serialize + ?Sized>(self, value: &T) -> Result<(), Invalid> {
        value.serialize(self)
    }

    fn serialize_unit(self) -> Result<(), Invalid> {
        self.push(Node::Null)
    }

    fn serialize_unit_struct(self, _: &'static str) -> Result<(), Invalid> {
        self.push(Node::Null)
    }

    fn serialize_unit_variant(
        self,
        _: &'static str,
        _: u32,
        variant: &'static str,
    ) -> Result<(), Invalid> {
        self.serialize_str(variant)
    }

    fn serialize_newtype_struct<T: Serialize + ?Sized>(
        self,
        _: &'static str,
        value: &T,
    ) -> Result<(), Invalid> {
        value.serialize(self)
    }

    fn serialize_newtype_variant<T: Serialize + ?Sized>(
        self,
        _: &'static str,
        _: u32,
        variant: &'static str,
        value: &T,
    ) -> Result<(), Invalid> {
        self.nodes.push(Node::Map(1));
        self.nodes.push(Node::Key(variant.to_owned()));
        value.serialize(self)
    }

    fn serialize_seq(self, _: Option<usize>) -> Result<Open<'a>, Invalid> {
        Ok(self.open(Node::List))
    }

    fn serialize_tuple(self, _: usize) -> Result<Open<'a>, Invalid> {
        Ok(self.open(Node::List))
    }

    fn serialize_tuple_struct(self, _: &'static str, _: usize) -> Result<Open<'a>, Invalid> {
        Ok(self.open(Node::List))
    }

    fn serialize_tuple_variant(
        self,
        _: &'static str,
        _: u32,
        variant: &'static str,
        _: usize,
    ) -> Result<Open<'a>, Invalid> {
        Ok(self.open_variant(variant, Node::List))
    }

    fn serialize_map(self, _: Option<usize>) -> Result<Open<'a>, Invalid> {
        Ok(self.open(Node::Map))
    }

    fn serialize_struct(self, _: &'static str, _: usize) -> Result<Open<'a>, Invalid> {
        Ok(self.open(Node::Map))
    }

    fn serialize_struct_variant(
        self,
        _: &'static str,
        _: u32,
        variant: &'static str,
        _: usize,
    ) -> Result<Open<'a>, Invalid> {
        Ok(self.open_variant(variant, Node::Map))
    }
}

impl ser::SerializeSeq for Open<'_> {
    type Ok = ();
    type Error = Invalid;

    fn serialize_element<T: Serialize + ?Sized>(&mut self, value: &T) -> Result<(), Invalid> {
        self.item(value)
    }

    fn end(self) -> Result<(), Invalid> {
        Open::end(self)
    }
}

impl ser::SerializeTuple for Open<'_> {
    type Ok = ();
    type Error = Invalid;

    fn serialize_element<T: Serialize + ?Sized>(&mut self, value: &T) -> Result<(), Invalid> {
        self.item(value)
    }

    fn end(self) -> Result<(), Invalid> {
        Open::end(self)
    }
}

impl ser::SerializeTupleStruct for Open<'_> {
    type Ok = ();
    type Error = Invalid;

    fn serialize_field<T: Serialize + ?Sized>(&mut self, value: &T) -> Result<(), Invalid> {
        self.item(value)
    }

    fn end(self) -> Result<(), Invalid> {
        Open::end(self)
    }
}

impl ser::SerializeTupleVariant for Open<'_> {
    type Ok = ();
    type Error = Invalid;

    fn serialize_field<T: Serialize + ?Sized>(&mut self, value: &T) -> Result<(), Invalid> {
        self.item(value)
    }

    fn end(self) -> Result<(), Invalid> {
        Open::end(self)
    }
}

impl ser::SerializeMap for Open<'_> {
    type Ok = ();
    type Error = Invalid;

    /// Writes a key, which must be a text, as in JSON.
    fn serialize_key<T: Serialize + ?Sized>(&mut self, key: &T) -> Result<(), Invalid> {
        key.serialize(&mut *self.writer)?;
        match self.writer.nodes.pop() {
            Some(Node::Text(key)) => {
                self.writer.nodes.push(Node::Key(key));
                Ok(())
            }
            _ => Err(Invalid),
        }
    }

    fn serialize_value<T: Serialize + ?Sized>(&mut self, value: &T) -> Result<(), Invalid> {
        self.item(value)
    }

    fn end(self) -> Result<(), Invalid> {
        Open::end(self)
    }
}

impl ser::SerializeStruct for Open<'_> {
    type Ok = ();
    type Error = Invalid;

    fn serialize_field<T: Serialize + ?Sized>(
        &mut self,
        key: &'static str,
        value: &T,
    ) -> Result<(), Invalid> {
        self.field(key, value)
    }

    fn end(self) -> Result<(), Invalid> {
        Open::end(self)
    }
}

impl ser::SerializeStructVariant for Open<'_> {
    type Ok = ();
    type Error = Invalid;

    fn serialize_field<T: Serialize + ?Sized>(
        &mut self,
        key: &'static str,
        value: &T,
    ) -> Result<(), Invalid> {
        self.field(key, value)
    }

    fn end(self) -> Result<(), Invalid> {
        Open::end(self)
    }
}

/// The nodes being replayed and the next one to read. Each `serialize` of it reads one value
/// and its children.
struct Cursor<'a> {
    nodes: &'a [Node],
    at: Cell<usize>,
}

impl Cursor<'_> {
    fn next<E: ser::Error>(&self) -> Result<&Node, E> {
        let at = self.at.get();
        self.at.set(at + 1);
        self.nodes
            .get(at)
            .ok_or_else(|| E::custom("a list or map counts more nodes than there are"))
    }
}

impl Serialize for Cursor<'_> {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        match self.next()? {
            Node::Null => serializer.serialize_unit(),
            Node::Bool(flag) => serializer.serialize_bool(*flag),
            Node::Unsigned(unsigned) => serializer.serialize_u64(*unsigned),
            Node::Signed(signed) => serializer.serialize_i64(*signed),
            Node::Float(float) => serializer.serialize_f64(*float),
            Node::Text(text) => serializer.serialize_str(text),
            Node::List(len) => {
                let mut list = serializer.serialize_seq(Some(*len as usize))?;
                for _ in 0..*len {
                    list.serialize_element(self)?;
                }
                list.end()
            }
            Node::Map(len) => {
                let mut map = serializer.serialize_map(Some(*len as usize))?;
                for _ in 0..*len {
                    let Node::Key(key) = self.next()? else {
                        return Err(ser::Error::custom("a map entry without a key"));
                    };
                    map.serialize_entry(key.as_str(), self)?;
                }
                map.end()
            }
            Node::Key(_) => Err(ser::Error::custom("a key outside a map")),
        }
    }
}
