use serde::de::{self, DeserializeSeed, IntoDeserializer, Visitor};
use serde::Deserialize;
use serde_json::Value;

use super::*;

/// Returns one finding for every combination of variants the finding types allow (every
/// variant of every finding, with every variant of the enums inside it). Each text is unique
/// and is not an identifier (`text/1`, `text/2`, ...), so it cannot be mistaken for a variant
/// name in the finding's JSON. Options are `Some`, lists hold two items.
pub(crate) fn every_finding() -> Vec<Finding> {
    let registry = every::<RegistryFinding>().into_iter().map(Finding::from);
    let environment = every::<EnvironmentFinding>().into_iter().map(Finding::from);
    let arm = every::<ArmFinding>().into_iter().map(Finding::from);
    registry.chain(environment).chain(arm).collect()
}

/// Returns one value for every combination of variants of `T` and the enums inside it.
fn every<T: de::DeserializeOwned>() -> Vec<T> {
    let mut values = Vec::new();
    let mut script = Vec::new();
    loop {
        let mut maker = Maker {
            script: &script,
            decisions: Vec::new(),
            texts: 0,
        };
        values.push(T::deserialize(&mut maker).expect("the maker builds every shape"));

        // The next script: the last decision that has a variant left moves to it; the
        // decisions after it start again from their first variant.
        let decisions = maker.decisions;
        let Some(last) = decisions
            .iter()
            .rposition(|(chosen, count)| chosen + 1 < *count)
        else {
            return values;
        };
        script = decisions[..last].iter().map(|(chosen, _)| *chosen).collect();
        script.push(decisions[last].0 + 1);
    }
}

/// A deserializer that makes values instead of reading them: each enum takes the variant its
/// script names (the first once the script runs out), and records the choice it made.
struct Maker<'a> {
    script: &'a [usize],
    /// Each enum met so far: the variant taken and the number of variants.
    decisions: Vec<(usize, usize)>,
    texts: usize,
}

#[derive(Debug)]
struct Unsupported(String);

impl std::fmt::Display for Unsupported {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.0)
    }
}

impl std::error::Error for Unsupported {}

impl de::Error for Unsupported {
    fn custom<T: std::fmt::Display>(msg: T) -> Self {
        Unsupported(msg.to_string())
    }
}

impl<'de> de::Deserializer<'de> for &mut Maker<'_> {
    type Error = Unsupported;

    fn deserialize_any<V: Visitor<'de>>(self, _: V) -> Result<V::Value, Unsupported> {
        Err(Unsupported("a self-describing value".into()))
    }

    fn deserialize_bool<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, Unsupported> {
        visitor.visit_bool(true)
    }

    fn deserialize_i8<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, Unsupported> {
        visitor.visit_i64(1)
    }

    fn deserialize_i16<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, Unsupported> {
        visitor.visit_i64(1)
    }

    fn deserialize_i32<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, Unsupported> {
        visitor.visit_i64(1)
    }

    fn deserialize_i64<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, Unsupported> {
        visitor.visit_i64(1)
    }

    fn deserialize_u8<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, Unsupported> {
        visitor.visit_u64(1)
    }

    fn deserialize_u16<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, Unsupported> {
        visitor.visit_u64(1)
    }

    fn deserialize_u32<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, Unsupported> {
        visitor.visit_u64(1)
    }

    fn deserialize_u64<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, Unsupported> {
        visitor.visit_u64(1)
    }

    fn deserialize_f32<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, Unsupported> {
        visitor.visit_f64(1.0)
    }

    fn deserialize_f64<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, Unsupported> {
        visitor.visit_f64(1.0)
    }

    fn deserialize_char<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, Unsupported> {
        visitor.visit_char('x')
    }

    fn deserialize_str<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, Unsupported> {
        self.deserialize_string(visitor)
    }

    fn deserialize_string<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, Unsupported> {
        self.texts += 1;
        visitor.visit_string(format!("text/{}", self.texts))
    }

    fn deserialize_bytes<V: Visitor<'de>>(self, _: V) -> Result<V::Value, Unsupported> {
        Err(Unsupported("bytes".into()))
    }

    fn deserialize_byte_buf<V: Visitor<'de>>(self, _: V) -> Result<V::Value, Unsupported> {
        Err(Unsupported("bytes".into()))
    }

    fn deserialize_option<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, Unsupported> {
        visitor.visit_some(self)
    }

    fn deserialize_unit<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, Unsupported> {
        visitor.visit_unit()
    }

    fn deserialize_unit_struct<V: Visitor<'de>>(
        self,
        _: &'static str,
        visitor: V,
    ) -> Result<V::Value, Unsupported> {
        visitor.visit_unit()
    }

    fn deserialize_newtype_struct<V: Visitor<'de>>(
        self,
        _: &'static str,
        visitor: V,
    ) -> Result<V::Value, Unsupported> {
        visitor.visit_newtype_struct(self)
    }

    fn deserialize_seq<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, Unsupported> {
        visitor.visit_seq(Items {
            maker: self,
            left: 2,
        })
    }

    fn deserialize_tuple<V: Visitor<'de>>(
        self,
        len: usize,
        visitor: V,
    ) -> Result<V::Value, Unsupported> {
        visitor.visit_seq(Items {
            maker: self,
            left: len,
        })
    }

    fn deserialize_tuple_struct<V: Visitor<'de>>(
        self,
        _: &'static str,
        len: usize,
        visitor: V,
    ) -> Result<V::Value, Unsupported> {
        self.deserialize_tuple(len, visitor)
    }

    fn deserialize_map<V: Visitor<'de>>(self, _: V) -> Result<V::Value, Unsupported> {
        Err(Unsupported("a map".into()))
    }

    fn deserialize_struct<V: Visitor<'de>>(
        self,
        _: &'static str,
        fields: &'static [&'static str],
        visitor: V,
    ) -> Result<V::Value, Unsupported> {
        self.deserialize_tuple(fields.len(), visitor)
    }

    fn deserialize_enum<V: Visitor<'de>>(
        self,
        _: &'static str,
        variants: &'static [&'static str],
        visitor: V,
    ) -> Result<V::Value, Unsupported> {
        let chosen = self.script.get(self.decisions.len()).copied().unwrap_or(0);
        self.decisions.push((chosen, variants.len()));
        visitor.visit_enum(Variant {
            maker: self,
            index: chosen,
        })
    }

    fn deserialize_identifier<V: Visitor<'de>>(self, _: V) -> Result<V::Value, Unsupported> {
        Err(Unsupported("an identifier".into()))
    }

    fn deserialize_ignored_any<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, Unsupported> {
        visitor.visit_unit()
    }
}

struct Items<'m, 'a> {
    maker: &'m mut Maker<'a>,
    left: usize,
}

impl<'de> de::SeqAccess<'de> for Items<'_, '_> {
    type Error = Unsupported;

    fn next_element_seed<T: DeserializeSeed<'de>>(
        &mut self,
        seed: T,
    ) -> Result<Option<T::Value>, Unsupported> {
        if self.left == 0 {
            return Ok(None);
        }
        self.left -= 1;
        seed.deserialize(&mut *self.maker).map(Some)
    }
}

struct Variant<'m, 'a> {
    maker: &'m mut Maker<'a>,
    index: usize,
}

impl<'de, 'm, 'a> de::EnumAccess<'de> for Variant<'m, 'a> {
    type Error = Unsupported;
    type Variant = Self;

    fn variant_seed<T: DeserializeSeed<'de>>(
        self,
        seed: T,
    ) -> Result<(T::Value, Self), Unsupported> {
        let index = u32::try_from(self.index).expect("few variants");
        let value = seed.deserialize(index.into_deserializer())?;
        Ok((value, self))
    }
}

impl<'de> de::VariantAccess<'de> for Variant<'_, '_> {
    type Error = Unsupported;

    fn unit_variant(self) -> Result<(), Unsupported> {
        Ok(())
    }

    fn newtype_variant_seed<T: DeserializeSeed<'de>>(
        self,
        seed: T,
    ) -> Result<T::Value, Unsupported> {
        seed.deserialize(self.maker)
    }

    fn tuple_variant<V: Visitor<'de>>(
        self,
        len: usize,
        visitor: V,
    ) -> Result<V::Value, Unsupported> {
        de::Deserializer::deserialize_tuple(self.maker, len, visitor)
    }

    fn struct_variant<V: Visitor<'de>>(
        self,
        fields: &'static [&'static str],
        visitor: V,
    ) -> Result<V::Value, Unsupported> {
        de::Deserializer::deserialize_tuple(self.maker, fields.len(), visitor)
    }
}

/// Every made text in a finding's JSON, with the name of the object field that holds it.
fn texts_in_json(value: &Value, field: &str, names: &mut Vec<(String, String)>) {
    match value {
        Value::String(text) if text.starts_with("text/") => {
            names.push((field.to_owned(), text.clone()));
        }
        Value::Array(items) => {
            for item in items {
                texts_in_json(item, field, names);
            }
        }
        Value::Object(fields) => {
            for (key, item) in fields {
                texts_in_json(item, key, names);
            }
        }
        _ => {}
    }
}

/// The variant names of an enum, as serde names them.
fn variant_names<'de, T: Deserialize<'de>>() -> &'static [&'static str] {
    struct Names(&'static [&'static str]);

    impl<'de> de::Deserializer<'de> for &mut Names {
        type Error = Unsupported;

        fn deserialize_any<V: Visitor<'de>>(self, _: V) -> Result<V::Value, Unsupported> {
            Err(Unsupported("not an enum".into()))
        }

        fn deserialize_enum<V: Visitor<'de>>(
            self,
            _: &'static str,
            variants: &'static [&'static str],
            _: V,
        ) -> Result<V::Value, Unsupported> {
            self.0 = variants;
            Err(Unsupported("names only".into()))
        }

        serde::forward_to_deserialize_any! {
            bool i8 i16 i32 i64 i128 u8 u16 u32 u64 u128 f32 f64 char str string bytes byte_buf
            option unit unit_struct newtype_struct seq tuple tuple_struct map struct identifier
            ignored_any
        }
    }

    let mut names = Names(&[]);
    let _ = T::deserialize(&mut names);
    names.0
}

#[test]
fn every_finding_covers_every_variant() {
    let mut seen = std::collections::BTreeSet::new();
    for finding in every_finding() {
        let json = serde_json::to_value(&finding).unwrap();
        let (area, inner) = json.as_object().unwrap().iter().next().unwrap();
        let variant = match inner {
            Value::String(name) => name.clone(),
            Value::Object(fields) => fields.keys().next().unwrap().clone(),
            other => panic!("unexpected finding JSON {other}"),
        };
        seen.insert(format!("{area}.{variant}"));
    }

    let mut expected = std::collections::BTreeSet::new();
    for (area, names) in [
        ("Registry", variant_names::<RegistryFinding>()),
        ("Environment", variant_names::<EnvironmentFinding>()),
        ("Arm", variant_names::<ArmFinding>()),
    ] {
        assert!(names.len() > 10, "{area} has {} variants", names.len());
        expected.extend(names.iter().map(|name| format!("{area}.{name}")));
    }
    assert_eq!(seen, expected);
}

#[test]
fn every_text_of_every_finding_is_visited_with_its_field_name() {
    for finding in every_finding() {
        let json = serde_json::to_value(&finding).unwrap();
        let mut in_json = Vec::new();
        texts_in_json(&json, "", &mut in_json);

        let mut visited = Vec::new();
        let mut copy = finding.clone();
        copy.visit_texts("", &mut |field, text| {
            visited.push((field.to_owned(), text.clone()));
        });

        in_json.sort();
        visited.sort();
        assert_eq!(visited, in_json, "finding {json}");
    }
}

#[test]
fn rewritten_texts_stay_in_the_finding() {
    for finding in every_finding() {
        let mut rewritten = finding.clone();
        rewritten.visit_texts("", &mut |_, text| *text = format!("<{text}>"));

        let mut texts = Vec::new();
        texts_in_json(&serde_json::to_value(&rewritten).unwrap(), "", &mut texts);
        assert!(
            texts.is_empty(),
            "a text kept its old value in {rewritten:?}"
        );
    }
}
