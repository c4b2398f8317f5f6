//! Collection functions: lists, maps and sets (`concat`, `merge`, `lookup`, `keys`,
//! `flatten`, `zipmap`, `sort`, set operations, …).

use super::*;

/// Calls the function `name` of this family.
pub(super) fn call(name: &str, args: &[Value]) -> R {
    match name {
        "concat" => {
            let mut out = Vec::new();
            for l in args {
                out.extend(list(l)?.iter().cloned());
            }
            Ok(Value::List(out))
        }
        "merge" => {
            let mut out = BTreeMap::new();
            for m in args {
                if matches!(m, Value::Null) {
                    continue;
                }
                for (k, v) in map(m)? {
                    out.insert(k.clone(), v.clone());
                }
            }
            Ok(Value::Map(out))
        }
        "lookup" => {
            arity(name, args, 2, 3)?;
            let m = map(&args[0])?;
            let k = to_str(&args[1])?;
            match (m.get(&k.text), args.get(2)) {
                (Some(v), _) => Ok(v.clone()),
                (None, Some(d)) => Ok(d.clone()),
                (None, None) => err(format!("lookup() found no key \"{}\"", k.text)),
            }
        }
        "element" => {
            arity(name, args, 2, 2)?;
            let l = list(&args[0])?;
            let i = int(&args[1])?;
            if l.is_empty() {
                return err("element() cannot use an empty list");
            }
            if i < 0 {
                return err("element() index must not be negative");
            }
            Ok(l[(i as usize) % l.len()].clone())
        }
        "coalesce" => {
            // The arguments take one type first, as in Terraform: with a string among
            // numbers and bools, all are strings.
            let args = unify_primitives(args);
            for a in &args {
                match known(a)? {
                    Value::Null => continue,
                    Value::String(s) if s.text.is_empty() => continue,
                    v => return Ok(v.clone()),
                }
            }
            err("coalesce() found no non-null, non-empty argument")
        }
        "coalescelist" => {
            for a in args {
                if !list(a)?.is_empty() {
                    return Ok(a.clone());
                }
            }
            err("coalescelist() found no non-empty list")
        }
        "compact" => {
            arity(name, args, 1, 1)?;
            let mut out = Vec::new();
            for v in list(&args[0])? {
                match known(v)? {
                    Value::Null => {}
                    Value::String(s) if s.text.is_empty() => {}
                    v => out.push(v.clone()),
                }
            }
            Ok(Value::List(out))
        }
        "distinct" => {
            arity(name, args, 1, 1)?;
            Ok(Value::List(distinct(list(&args[0])?.clone())))
        }
        "flatten" => {
            arity(name, args, 1, 1)?;
            let mut out = Vec::new();
            flatten(list(&args[0])?, &mut out)?;
            Ok(Value::List(out))
        }
        "contains" => {
            arity(name, args, 2, 2)?;
            let l = list(&args[0])?;
            known(&args[1])?;
            if l.contains(&args[1]) {
                return Ok(Value::Bool(true));
            }
            if let Some(v) = l.iter().find(|v| !v.is_known()) {
                known(v)?;
            }
            Ok(Value::Bool(false))
        }
        "length" => {
            arity(name, args, 1, 1)?;
            Ok(Value::Number(match known(&args[0])? {
                Value::String(s) => s.text.chars().count() as f64,
                Value::List(l) => l.len() as f64,
                Value::Map(m) => m.len() as f64,
                v => return err(format!("length() cannot take a {}", v.type_name())),
            }))
        }
        "keys" => {
            arity(name, args, 1, 1)?;
            Ok(Value::List(
                map(&args[0])?
                    .keys()
                    .map(|k| Value::str(k.clone()))
                    .collect(),
            ))
        }
        "values" => {
            arity(name, args, 1, 1)?;
            Ok(Value::List(map(&args[0])?.values().cloned().collect()))
        }
        "toset" => {
            arity(name, args, 1, 1)?;
            Ok(make_set(list(&args[0])?.clone()))
        }
        "tolist" => {
            arity(name, args, 1, 1)?;
            Ok(Value::List(list(&args[0])?.clone()))
        }
        "tomap" => {
            arity(name, args, 1, 1)?;
            let m = map(&args[0])?;
            let values: Vec<Value> = m.values().cloned().collect();
            Ok(Value::Map(
                m.keys().cloned().zip(unify_primitives(&values)).collect(),
            ))
        }
        "zipmap" => {
            arity(name, args, 2, 2)?;
            let k = list(&args[0])?;
            let v = list(&args[1])?;
            if k.len() != v.len() {
                return err("zipmap() lists must have the same length");
            }
            let mut out = BTreeMap::new();
            for (k, v) in k.iter().zip(v) {
                out.insert(to_str(k)?.text, v.clone());
            }
            Ok(Value::Map(out))
        }
        "reverse" => {
            arity(name, args, 1, 1)?;
            let mut l = list(&args[0])?.clone();
            l.reverse();
            Ok(Value::List(l))
        }
        "sort" => {
            arity(name, args, 1, 1)?;
            let mut l: Vec<Str> = list(&args[0])?
                .iter()
                .map(to_str)
                .collect::<Result<_, _>>()?;
            l.sort_by(|a, b| a.text.cmp(&b.text));
            Ok(Value::List(l.into_iter().map(Value::String).collect()))
        }
        "slice" => {
            arity(name, args, 3, 3)?;
            let l = list(&args[0])?;
            let (a, b) = (int(&args[1])?, int(&args[2])?);
            if a < 0 || b < a || b as usize > l.len() {
                return err("slice() indices are out of range");
            }
            Ok(Value::List(l[a as usize..b as usize].to_vec()))
        }
        "one" => {
            arity(name, args, 1, 1)?;
            match list(&args[0])?.as_slice() {
                [] => Ok(Value::Null),
                [v] => Ok(v.clone()),
                _ => err("one() needs a list of zero or one element"),
            }
        }
        "alltrue" | "anytrue" => {
            arity(name, args, 1, 1)?;
            let b: Vec<bool> = list(&args[0])?
                .iter()
                .map(to_bool)
                .collect::<Result<_, _>>()?;
            Ok(Value::Bool(if name == "alltrue" {
                b.iter().all(|x| *x)
            } else {
                b.iter().any(|x| *x)
            }))
        }
        "index" => {
            arity(name, args, 2, 2)?;
            let l = list(&args[0])?;
            match l.iter().position(|v| v == &args[1]) {
                Some(i) => Ok(Value::Number(i as f64)),
                None => err("index() did not find the value in the list"),
            }
        }
        "sensitive" | "nonsensitive" => {
            arity(name, args, 1, 1)?;
            Ok(args[0].clone())
        }
        "setunion" | "setintersection" | "setsubtract" => {
            arity(name, args, 1, usize::MAX)?;
            let sets: Vec<&Vec<Value>> = args.iter().map(list).collect::<Result<_, _>>()?;
            let first = sets[0].clone();
            let out: Vec<Value> = match name {
                "setunion" => sets.iter().flat_map(|s| s.iter().cloned()).collect(),
                "setintersection" => {
                    let others: Vec<Members> = sets[1..].iter().map(|s| Members::of(s)).collect();
                    first
                        .into_iter()
                        .filter(|v| others.iter().all(|s| s.contains(v)))
                        .collect()
                }
                _ => {
                    if sets.len() != 2 {
                        return err("setsubtract() takes 2 arguments");
                    }
                    let minus = Members::of(sets[1]);
                    first.into_iter().filter(|v| !minus.contains(v)).collect()
                }
            };
            Ok(make_set(out))
        }
        _ => unknown(name),
    }
}

pub(super) fn flatten(l: &[Value], out: &mut Vec<Value>) -> Result<(), FnError> {
    for v in l {
        match v {
            Value::List(inner) => flatten(inner, out)?,
            Value::Unknown(_) | Value::Reference(_) => {
                known(v)?;
            }
            v => out.push(v.clone()),
        }
    }
    Ok(())
}
