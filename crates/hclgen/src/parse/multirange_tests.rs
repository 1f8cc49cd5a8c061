//! Columns typed by a range's multirange survive render → parse.
#![allow(clippy::unwrap_used, clippy::panic)]

use crate::model::QualifiedName;
use crate::model::{Column, Database, RangeType, Schema, Table, Type, TypeKind};

fn model() -> Database {
    let mut db = Database::default();
    db.schemas.push(Schema {
        name: "public".into(),
        comment: None,
    });
    db.ranges.push(RangeType {
        name: QualifiedName::new("public", "floatrange"),
        subtype: Type::Sql("double precision".into()),
        multirange: Some("floatmultirange".into()),
        ..RangeType::default()
    });
    let col = |name: &str, ty: Type| Column {
        name: name.into(),
        ty,
        nullable: true,
        ..Column::default()
    };
    db.tables.push(Table {
        name: QualifiedName::new("public", "spans"),
        columns: vec![
            col(
                "r",
                Type::Named {
                    kind: TypeKind::Range,
                    name: QualifiedName::new("public", "floatrange"),
                },
            ),
            col(
                "m",
                Type::Named {
                    kind: TypeKind::Range,
                    name: QualifiedName::new("public", "floatmultirange"),
                },
            ),
        ],
        ..Table::default()
    });
    db.normalize();
    db
}

#[test]
fn multirange_column_round_trips() {
    let db = model();
    let text = crate::render(&db);
    assert!(text.contains("range.floatmultirange"), "{text}");
    let back = super::parse("t.hcl", &text).unwrap_or_else(|e| panic!("{e}\n{text}"));
    assert_eq!(back, db);
}

#[test]
fn qualified_multirange_reference_resolves() {
    let text =
        crate::render(&model()).replace("range.floatmultirange", "range.public.floatmultirange");
    let back = super::parse("t.hcl", &text).unwrap_or_else(|e| panic!("{e}\n{text}"));
    assert_eq!(back, model());
}

#[test]
fn unknown_multirange_is_still_an_error() {
    let text = crate::render(&model()).replace("range.floatmultirange", "range.nomultirange");
    let err = super::parse("t.hcl", &text).unwrap_err();
    assert_eq!(err.message(), "range `nomultirange` is not defined");
}
