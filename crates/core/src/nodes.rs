//! A finding's JSON tree as a flat list of nodes in pre-order, and a serde deserializer that
//! reads a finding from such a list.
//!
//! Every finding is read through this one deserializer: share links store the nodes, and
//! [`Finding`]'s `Deserialize` collects the nodes from any self-describing input (serde_json,
//! the page's serde-wasm-bindgen) before reading them here. So the page links the derived
//! `Deserialize` code of the finding types once, instead of once for each input format.
//!
//! The reader accepts what the JSON form of a finding contains: an enum is a variant name or a
//! map of one variant name to its content, and a struct is a map of field names. Its error
//! carries no message, so none of serde's messages are linked either.
//!
//! Every node is at most [`MAX_DEPTH`] lists or maps deep, so crafted input cannot exhaust
//! the stack, and a count of children larger than the nodes left fails when the nodes run out
//! instead of allocating.
//!
//! [`Finding`]: crate::Finding

use std::fmt;

use serde::de::{self, DeserializeSeed, IntoDeserializer, Visitor};
use serde::{forward_to_deserialize_any, Deserialize, Serialize};

mod write;

pub(crate) use write::{replay, write};

/// Maximum nesting of lists and maps in a finding's JSON. Real findings nest three levels.
const MAX_DEPTH: usize = 16;

/// One node of a JSON tree in pre-order. `List` and `Map` give the number of children that
/// follow them; each child of a map is a `Key` and then its value.
#[derive(Serialize, Deserialize)]
#[cfg_attr(test, derive(Debug, PartialEq))]
pub(crate) enum Node {
    Null,
    Bool(bool),
    Unsigned(u64),
    Signed(i64),
    Float(f64),
    Text(String),
    List(u32),
    Map(u32),
    Key(String),
}

/// The reason nodes do not read back as a value. It carries no detail, so that no message
/// formatting is linked; callers report their own error.
#[derive(Debug)]
pub(crate) struct Invalid;

impl fmt::Display for Invalid {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("not a report of this version")
    }
}

impl std::error::Error for Invalid {}

impl de::Error for Invalid {
    fn custom<T: fmt::Display>(_: T) -> Invalid {
        Invalid
    }
}

/// Reads one value from all of `nodes`. Nodes left over make it fail.
pub(crate) fn read<T: de::DeserializeOwned>(mut nodes: Vec<Node>) -> Result<T, Invalid> {
    nodes.reverse();
    let mut reader = Reader { nodes, depth: 0 };
    let value = T::deserialize(&mut reader)?;
    if reader.nodes.is_empty() {
        Ok(value)
    } else {
        Err(Invalid)
    }
}

struct Reader {
    /// The nodes not read yet, last first.
    nodes: Vec<Node>,
    /// Lists and maps around the next node.
    depth: usize,
}

impl Reader {
    fn next(&mut self) -> Result<Node, Invalid> {
        if self.depth > MAX_DEPTH {
            return Err(Invalid);
        }
        self.nodes.pop().ok_or(Invalid)
    }

    /// Reads the `len` children of a list or a map with `read`, one level deeper, and fails
    /// unless `read` took all of them.
    fn children<V>(
        &mut self,
        len: u32,
        read: impl FnOnce(&mut Children<'_>) -> Result<V, Invalid>,
    ) -> Result<V, Invalid> {
        self.depth += 1;
        let mut children = Children {
            reader: self,
            left: len,
        };
        let value = read(&mut children)?;
        if children.left != 0 {
            return Err(Invalid);
        }
        self.depth -= 1;
        Ok(value)
    }
}

/// The children of one list or map that are not read yet.
struct Children<'a> {
    reader: &'a mut Reader,
    left: u32,
}

impl<'de> de::Deserializer<'de> for &mut Reader {
    type Error = Invalid;

    fn deserialize_any<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, Invalid> {
        match self.next()? {
            Node::Null => visitor.visit_unit(),
            Node::Bool(flag) => visitor.visit_bool(flag),
            Node::Unsigned(unsigned) => visitor.visit_u64(unsigned),
            Node::Signed(signed) => visitor.visit_i64(signed),
            // JSON has no NaN or infinity, so a finding's JSON contains `null` in their place.
            Node::Float(float) if float.is_finite() => visitor.visit_f64(float),
            Node::Float(_) => visitor.visit_unit(),
            Node::Text(text) => visitor.visit_string(text),
            Node::List(len) => self.children(len, |items| visitor.visit_seq(items)),
            Node::Map(len) => self.children(len, |entries| visitor.visit_map(entries)),
            Node::Key(_) => Err(Invalid),
        }
    }

    fn deserialize_option<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, Invalid> {
        match self.nodes.last() {
            Some(Node::Null) => {
                self.next()?;
                visitor.visit_none()
            }
            Some(Node::Float(float)) if !float.is_finite() => {
                self.next()?;
                visitor.visit_none()
            }
            _ => visitor.visit_some(self),
        }
    }

    fn deserialize_struct<V: Visitor<'de>>(
        self,
        _: &'static str,
        _: &'static [&'static str],
        visitor: V,
    ) -> Result<V::Value, Invalid> {
        match self.next()? {
            Node::Map(len) => self.children(len, |entries| visitor.visit_map(entries)),
            _ => Err(Invalid),
        }
    }

    fn deserialize_enum<V: Visitor<'de>>(
        self,
        _: &'static str,
        _: &'static [&'static str],
        visitor: V,
    ) -> Result<V::Value, Invalid> {
        match self.next()? {
            // A unit variant is its name alone.
            Node::Text(name) => visitor.visit_enum(name.into_deserializer()),
            // Any other variant is a map of its name to its content.
            Node::Map(1) => self.children(1, |entries| {
                entries.left = 0;
                match entries.reader.nodes.pop() {
                    Some(Node::Key(name)) => visitor.visit_enum(Variant {
                        reader: &mut *entries.reader,
                        name,
                    }),
                    _ => Err(Invalid),
                }
            }),
            _ => Err(Invalid),
        }
    }

    fn deserialize_newtype_struct<V: Visitor<'de>>(
        self,
        _: &'static str,
        visitor: V,
    ) -> Result<V::Value, Invalid> {
        visitor.visit_newtype_struct(self)
    }

    forward_to_deserialize_any! {
        bool i8 i16 i32 i64 i128 u8 u16 u32 u64 u128 f32 f64 char str string bytes byte_buf
        unit unit_struct seq tuple tuple_struct map identifier ignored_any
    }
}

impl<'de> de::SeqAccess<'de> for Children<'_> {
    type Error = Invalid;

    fn next_element_seed<T: DeserializeSeed<'de>>(
        &mut self,
        seed: T,
    ) -> Result<Option<T::Value>, Invalid> {
        if self.left == 0 {
            return Ok(None);
        }
        self.left -= 1;
        seed.deserialize(&mut *self.reader).map(Some)
    }

    fn size_hint(&self) -> Option<usize> {
        Some((self.left as usize).min(self.reader.nodes.len()))
    }
}

impl<'de> de::MapAccess<'de> for Children<'_> {
    type Error = Invalid;

    fn next_key_seed<K: DeserializeSeed<'de>>(
        &mut self,
        seed: K,
    ) -> Result<Option<K::Value>, Invalid> {
        if self.left == 0 {
            return Ok(None);
        }
        self.left -= 1;
        match self.reader.nodes.pop() {
            Some(Node::Key(key)) => seed.deserialize(key.into_deserializer()).map(Some),
            _ => Err(Invalid),
        }
    }

    fn next_value_seed<V: DeserializeSeed<'de>>(&mut self, seed: V) -> Result<V::Value, Invalid> {
        seed.deserialize(&mut *self.reader)
    }

    fn size_hint(&self) -> Option<usize> {
        Some((self.left as usize).min(self.reader.nodes.len()))
    }
}

/// A variant written as a map of its name to its content.
struct Variant<'a> {
    reader: &'a mut Reader,
    name: String,
}

impl<'de, 'a> de::EnumAccess<'de> for Variant<'a> {
    type Error = Invalid;
    type Variant = &'a mut Reader;

    fn variant_seed<T: DeserializeSeed<'de>>(
        self,
        seed: T,
    ) -> Result<(T::Value, &'a mut Reader), Invalid> {
        let variant = seed.deserialize(self.name.into_deserializer())?;
        Ok((variant, self.reader))
    }
}

impl<'de> de::VariantAccess<'de> for &mut Reader {
    type Error = Invalid;

    /// `{"name": null}` reads as a unit variant, as serde_json reads it.
    fn unit_variant(self) -> Result<(), Invalid> {
        de::Deserialize::deserialize(self)
    }

    fn newtype_variant_seed<T: DeserializeSeed<'de>>(self, seed: T) -> Result<T::Value, Invalid> {
        seed.deserialize(self)
    }

    fn tuple_variant<V: Visitor<'de>>(self, _: usize, visitor: V) -> Result<V::Value, Invalid> {
        match self.next()? {
            Node::List(len) => self.children(len, |items| visitor.visit_seq(items)),
            _ => Err(Invalid),
        }
    }

    fn struct_variant<V: Visitor<'de>>(
        self,
        fields: &'static [&'static str],
        visitor: V,
    ) -> Result<V::Value, Invalid> {
        de::Deserializer::deserialize_struct(self, "", fields, visitor)
    }
}

/// Collects the nodes of one value from a self-describing deserializer.
pub(crate) fn collect<'de, D: de::Deserializer<'de>>(
    deserializer: D,
) -> Result<Vec<Node>, D::Error> {
    let mut nodes = Vec::new();
    deserializer.deserialize_any(Collect {
        nodes: &mut nodes,
        depth: 0,
    })?;
    Ok(nodes)
}

/// Appends the nodes of one value, `depth` lists or maps deep.
struct Collect<'a> {
    nodes: &'a mut Vec<Node>,
    depth: usize,
}

impl Collect<'_> {
    /// Appends a list or map node, then its children with `read`, and writes their count into
    /// the node once it is known.
    fn children<E: de::Error>(
        self,
        node: fn(u32) -> Node,
        read: impl FnOnce(&mut Vec<Node>, usize) -> Result<u32, E>,
    ) -> Result<(), E> {
        if self.depth >= MAX_DEPTH {
            return Err(E::custom("nested too deep"));
        }
        let at = self.nodes.len();
        self.nodes.push(node(0));
        let count = read(&mut *self.nodes, self.depth + 1)?;
        self.nodes[at] = node(count);
        Ok(())
    }
}

impl<'de> DeserializeSeed<'de> for Collect<'_> {
    type Value = ();

    fn deserialize<D: de::Deserializer<'de>>(self, deserializer: D) -> Result<(), D::Error> {
        deserializer.deserialize_any(self)
    }
}

impl<'de> Visitor<'de> for Collect<'_> {
    type Value = ();

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a finding")
    }

    fn visit_unit<E: de::Error>(self) -> Result<(), E> {
        self.nodes.push(Node::Null);
        Ok(())
    }

    fn visit_none<E: de::Error>(self) -> Result<(), E> {
        self.visit_unit()
    }

    fn visit_some<D: de::Deserializer<'de>>(self, deserializer: D) -> Result<(), D::Error> {
        deserializer.deserialize_any(self)
    }

    fn visit_newtype_struct<D: de::Deserializer<'de>>(
        self,
        deserializer: D,
    ) -> Result<(), D::Error> {
        deserializer.deserialize_any(self)
    }

    fn visit_bool<E: de::Error>(self, flag: bool) -> Result<(), E> {
        self.nodes.push(Node::Bool(flag));
        Ok(())
    }

    fn visit_i64<E: de::Error>(self, signed: i64) -> Result<(), E> {
        self.nodes.push(match u64::try_from(signed) {
            Ok(unsigned) => Node::Unsigned(unsigned),
            Err(_) => Node::Signed(signed),
        });
        Ok(())
    }

    fn visit_u64<E: de::Error>(self, unsigned: u64) -> Result<(), E> {
        self.nodes.push(Node::Unsigned(unsigned));
        Ok(())
    }

    fn visit_f64<E: de::Error>(self, float: f64) -> Result<(), E> {
        self.nodes.push(Node::Float(float));
        Ok(())
    }

    fn visit_str<E: de::Error>(self, text: &str) -> Result<(), E> {
        self.nodes.push(Node::Text(text.to_owned()));
        Ok(())
    }

    fn visit_string<E: de::Error>(self, text: String) -> Result<(), E> {
        self.nodes.push(Node::Text(text));
        Ok(())
    }

    fn visit_seq<A: de::SeqAccess<'de>>(self, mut items: A) -> Result<(), A::Error> {
        self.children(Node::List, |nodes, depth| {
            let mut count = 0u32;
            while items.next_element_seed(Collect { nodes, depth })?.is_some() {
                count = count
                    .checked_add(1)
                    .ok_or_else(|| de::Error::custom("too many items"))?;
            }
            Ok(count)
        })
    }

    fn visit_map<A: de::MapAccess<'de>>(self, mut entries: A) -> Result<(), A::Error> {
        self.children(Node::Map, |nodes, depth| {
            let mut count = 0u32;
            while let Some(key) = entries.next_key::<String>()? {
                nodes.push(Node::Key(key));
                entries.next_value_seed(Collect {
                    nodes: &mut *nodes,
                    depth,
                })?;
                count = count
                    .checked_add(1)
                    .ok_or_else(|| de::Error::custom("too many fields"))?;
            }
            Ok(count)
        })
    }
}
