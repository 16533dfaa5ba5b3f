//! Tests of the proficiency record, checks and write plans.

use super::*;

fn p(name: &str, value: &str, level: f64) -> Proficiency {
    Proficiency {
        attribute_name: name.into(),
        attribute_value: value.into(),
        level,
    }
}

#[test]
fn writes_are_the_difference_by_value_and_level() {
    let granted = [p("Language", "Spanish", 2.0), p("Skill", "Billing", 3.0)];
    let table = [
        (vec![], ProficiencyWrites::default()),
        (
            vec![p("language", "SPANISH", 2.0), p("Skill", "Billing", 3.0)],
            ProficiencyWrites::default(),
        ),
        (
            vec![p("Language", "Spanish", 4.0), p("Skill", "Billing", 3.0)],
            ProficiencyWrites {
                update: vec![p("Language", "Spanish", 4.0)],
                ..Default::default()
            },
        ),
        (
            vec![
                p("Language", "Spanish", 2.0),
                p("Skill", "Billing", 3.0),
                p("Language", "French", 1.0),
            ],
            ProficiencyWrites {
                associate: vec![p("Language", "French", 1.0)],
                ..Default::default()
            },
        ),
        (
            vec![p("Skill", "Billing", 3.0)],
            ProficiencyWrites {
                disassociate: vec![p("Language", "Spanish", 2.0)],
                ..Default::default()
            },
        ),
    ];
    assert_eq!(
        ProficiencyWrites::between(&[], &granted).associate,
        granted.to_vec()
    );
    for (wanted, expected) in table.iter().skip(1) {
        assert_eq!(
            &ProficiencyWrites::between(&granted, wanted),
            expected,
            "{wanted:?}"
        );
    }
    let none = ProficiencyWrites::between(&granted, &table[0].0);
    assert_eq!(none.disassociate, granted.to_vec());
}

#[test]
fn the_record_round_trips_through_tags_of_any_length() {
    let long: Vec<Proficiency> = (0..10)
        .map(|i| p(&format!("Attribute {i} {}", "x".repeat(60)), &"v".repeat(90), 5.0))
        .collect();
    for (list, from_map) in [(vec![p("Language", "Spanish", 4.0)], false), (long, true)] {
        let tags = with_granted(&BTreeMap::new(), Some(&list), from_map);
        assert!(tags.values().all(|v| v.chars().count() <= CHUNK));
        assert_eq!(granted(&tags), Some((list.clone(), from_map)));
        let cleared = with_granted(&tags, None, false);
        assert!(cleared.is_empty(), "{cleared:?}");
        // A shrunk record whose old second chunk could not be removed.
        let mut shrunk = with_granted(&BTreeMap::new(), Some(&list[..1]), from_map);
        shrunk.insert(format!("{TAG_PROFICIENCIES}.2"), "stale".to_owned());
        assert_eq!(granted(&shrunk), Some((list[..1].to_vec(), from_map)));
    }
    assert_eq!(granted(&BTreeMap::new()), None);
}

#[test]
fn connect_rules_need_no_lookup() {
    assert!(check(&[p("A", "b", 1.0), p("A", "c", 5.0)], "x").is_ok());
    for level in [0.0, 2.5, 6.0] {
        assert!(check(&[p("A", "b", level)], "x").is_err(), "{level}");
    }
    let eleven: Vec<Proficiency> = (0..11).map(|i| p("A", &i.to_string(), 1.0)).collect();
    assert!(check(&eleven, "x").is_err());
}

#[test]
fn unknown_names_list_what_the_instance_has() {
    let catalogue = Catalogue {
        attributes: vec![("Language".into(), vec!["Spanish".into(), "French".into()])],
    };
    assert_eq!(
        catalogue.resolve(&p("language", "spanish", 3.0)).unwrap(),
        p("Language", "Spanish", 3.0)
    );
    let err = catalogue.resolve(&p("Skill", "x", 1.0)).unwrap_err();
    assert!(err.contains("it has: Language"), "{err}");
    let err = catalogue.resolve(&p("Language", "German", 1.0)).unwrap_err();
    assert!(err.contains("Spanish, French"), "{err}");
}
