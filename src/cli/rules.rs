//! `trailwatch rules` and `trailwatch explain RULE`.

use trailwatch::report::docs;
use trailwatch::rules::controls;

use super::suggest::nearest;

pub fn list(markdown: bool) -> u8 {
    match controls() {
        Ok(controls) => {
            if markdown {
                print!("{}", docs::rules_table(&controls));
            } else {
                print!("{}", docs::rules_list(&controls));
            }
            0
        }
        Err(e) => internal(&e),
    }
}

pub fn explain(id: &str) -> u8 {
    let controls = match controls() {
        Ok(c) => c,
        Err(e) => return internal(&e),
    };
    match docs::explain(&controls, id) {
        Some(text) => {
            print!("{text}");
            0
        }
        None => {
            let ids = docs::rule_ids(&controls);
            match nearest(id, ids.iter().map(String::as_str)) {
                Some(near) => eprintln!("error: unknown rule `{id}`; did you mean `{near}`?"),
                None => eprintln!("error: unknown rule `{id}`; `trailwatch rules` lists them"),
            }
            2
        }
    }
}

fn internal(message: &str) -> u8 {
    eprintln!("internal error: {message}");
    2
}
