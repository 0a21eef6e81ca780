//! Changes-only records (`--changes-only`) made whole again, so that they export as the full
//! records they stand for: per run and record type, the objects last written and their order;
//! a keyframe replaces them, a changes record updates the objects it names (its keys replace the
//! stored object's), removes those in `gone` and places new ones right after the element written
//! before them — the README's "Changes-only records" rules, as `scripts/expand_changes.py`
//! implements them.

use std::collections::HashMap;

use serde_json::{Map, Value};

/// The keys that identify an object, per record type.
fn identity_keys(record_type: &str) -> Option<&'static [&'static str]> {
    Some(match record_type {
        "ip" => &["ifindex"],
        "tc" => &["dev", "dev_bytes", "handle", "root", "parent"],
        "ss" => &["netid", "local", "peer", "cookie"],
        "queue_limits" => &["ifname", "ifname_bytes", "queue"],
        "small_queue" => &[],
        _ => return None,
    })
}

/// An element's identity: its identity keys and values, as text.
fn identity(keys: &[&str], element: &Value) -> String {
    let mut id = Map::new();
    if let Some(object) = element.as_object() {
        for k in keys {
            if let Some(v) = object.get(*k) {
                id.insert((*k).to_owned(), v.clone());
            }
        }
    }
    Value::Object(id).to_string()
}

/// One reader's objects in one run.
#[derive(Default)]
struct Objects {
    order: Vec<String>,
    by_identity: HashMap<String, Value>,
}

/// What was made of a changes record.
pub enum Expanded {
    /// Not a changes record: use it as it is.
    AsIs(Value),
    /// The full record it stands for.
    Full(Value),
    /// A changes record before its reader's first keyframe in the run: it cannot be completed.
    Incomplete,
}

/// Turns changes records into full ones, in file order.
#[derive(Default)]
pub struct Expander {
    readers: HashMap<(String, String), Objects>,
}

impl Expander {
    /// Expand one record (a line's JSON).
    pub fn expand(&mut self, mut record: Value) -> Result<Expanded, String> {
        if record["changes"] != Value::Bool(true) {
            return Ok(Expanded::AsIs(record));
        }
        let record_type = record["type"].as_str().unwrap_or_default().to_owned();
        let keys = identity_keys(&record_type)
            .ok_or_else(|| format!("changes record of unknown type {record_type:?}"))?;
        let run = record["run"].as_str().unwrap_or_default().to_owned();
        let keyframe = record["keyframe"] == Value::Bool(true);
        let key = (run, record_type.clone());
        if !keyframe && !self.readers.contains_key(&key) {
            return Ok(Expanded::Incomplete);
        }
        let objects = self.readers.entry(key).or_default();
        let Some(fields) = record.as_object_mut() else {
            return Err("a record that is not an object".into());
        };
        let elements = match fields.remove("stats") {
            Some(Value::Array(v)) => v,
            _ => Vec::new(),
        };
        let gone = fields.remove("gone");
        fields.remove("changes");
        fields.remove("keyframe");
        if keyframe {
            objects.order = elements.iter().map(|e| identity(keys, e)).collect();
            objects.by_identity = objects
                .order
                .iter()
                .cloned()
                .zip(elements.clone())
                .collect();
            fields.insert("stats".into(), Value::Array(elements));
            return Ok(Expanded::Full(record));
        }
        if let Some(Value::Array(gone)) = gone {
            let gone: Vec<String> = gone.iter().map(|g| identity(keys, g)).collect();
            objects.order.retain(|i| !gone.contains(i));
            for g in &gone {
                objects.by_identity.remove(g);
            }
        }
        let place: HashMap<&str, usize> = objects
            .order
            .iter()
            .enumerate()
            .map(|(n, i)| (i.as_str(), n))
            .collect();
        let mut order = Vec::with_capacity(objects.order.len());
        let mut copied = 0;
        let mut updates = Vec::new();
        for element in elements {
            let id = identity(keys, &element);
            match place.get(id.as_str()) {
                Some(&n) => {
                    if n < copied {
                        return Err(format!("{record_type} object {id} out of order"));
                    }
                    order.extend_from_slice(&objects.order[copied..=n]);
                    copied = n + 1;
                    updates.push((id, element));
                }
                None => {
                    order.push(id.clone());
                    updates.push((id, element));
                }
            }
        }
        order.extend_from_slice(&objects.order[copied..]);
        for (id, element) in updates {
            match (objects.by_identity.get_mut(&id), element) {
                (Some(Value::Object(stored)), Value::Object(changed)) => {
                    for (k, v) in changed {
                        stored.insert(k, v);
                    }
                }
                (_, element) => {
                    objects.by_identity.insert(id, element);
                }
            }
        }
        objects.order = order;
        let stats = objects
            .order
            .iter()
            .filter_map(|i| objects.by_identity.get(i).cloned())
            .collect();
        fields.insert("stats".into(), Value::Array(stats));
        Ok(Expanded::Full(record))
    }
}
