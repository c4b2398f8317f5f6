//! Number functions: `max`/`min`/`sum`, `abs`/`ceil`/`floor`, `range`, and conversions to
//! number and bool.

use super::*;

/// Calls the function `name` of this family.
pub(super) fn call(name: &str, args: &[Value]) -> R {
    match name {
        "tonumber" => {
            arity(name, args, 1, 1)?;
            if matches!(args[0], Value::Null) {
                return Ok(Value::Null);
            }
            Ok(Value::Number(to_num(&args[0])?))
        }
        "tobool" => {
            arity(name, args, 1, 1)?;
            if matches!(args[0], Value::Null) {
                return Ok(Value::Null);
            }
            Ok(Value::Bool(to_bool(&args[0])?))
        }
        "range" => {
            arity(name, args, 1, 3)?;
            let n: Vec<f64> = args.iter().map(to_num).collect::<Result<_, _>>()?;
            let (start, end, step) = match n.as_slice() {
                [e] => (0.0, *e, 1.0),
                [s, e] => (*s, *e, if e >= s { 1.0 } else { -1.0 }),
                [s, e, st] => (*s, *e, *st),
                _ => return err("range() takes 1 to 3 arguments"),
            };
            if step == 0.0 || (end > start && step < 0.0) || (end < start && step > 0.0) {
                return err("range() step must move from start towards the limit");
            }
            let mut out = Vec::new();
            let mut x = start;
            while (step > 0.0 && x < end) || (step < 0.0 && x > end) {
                if out.len() >= 1024 {
                    return err("range() would produce more than 1024 elements");
                }
                out.push(Value::Number(x));
                x += step;
            }
            Ok(Value::List(out))
        }
        "max" | "min" | "sum" => {
            let items: Vec<Value> = if name == "sum" {
                arity(name, args, 1, 1)?;
                list(&args[0])?.clone()
            } else {
                args.to_vec()
            };
            let n: Vec<f64> = items.iter().map(to_num).collect::<Result<_, _>>()?;
            if n.is_empty() {
                return err(format!("{name}() needs at least one number"));
            }
            Ok(Value::Number(match name {
                "max" => n.iter().copied().fold(f64::NEG_INFINITY, f64::max),
                "min" => n.iter().copied().fold(f64::INFINITY, f64::min),
                _ => n.iter().sum(),
            }))
        }
        "abs" | "ceil" | "floor" => {
            arity(name, args, 1, 1)?;
            let n = to_num(&args[0])?;
            Ok(Value::Number(match name {
                "abs" => n.abs(),
                "ceil" => n.ceil(),
                _ => n.floor(),
            }))
        }
        _ => unknown(name),
    }
}
