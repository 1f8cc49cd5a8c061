//! One plain struct per catalog query, converted from `tokio_postgres::Row` (which has no public
//! constructor) so that [`super::assemble`] can be tested with hand-written rows.

use tokio_postgres::Row;

/// Defines a row struct whose fields are read by column name (the field name), plus its
/// `TryFrom<&Row>`.
macro_rules! row {
    ($(#[$meta:meta])* $name:ident { $($(#[$fmeta:meta])* $field:ident: $ty:ty),* $(,)? }) => {
        $(#[$meta])*
        #[derive(Debug, Clone, PartialEq, Default)]
        pub(crate) struct $name {
            $($(#[$fmeta])* pub(crate) $field: $ty,)*
        }

        impl TryFrom<&Row> for $name {
            type Error = tokio_postgres::Error;
            fn try_from(row: &Row) -> Result<Self, Self::Error> {
                Ok(Self { $($field: row.try_get(stringify!($field))?,)* })
            }
        }
    };
}

row!(
    /// `schemas.sql`.
    SchemaRow { name: String, comment: Option<String> }
);

row!(
    /// `extensions.sql`.
    ExtensionRow { name: String, schema: String, version: String, comment: Option<String> }
);

row!(
    /// `enums.sql`.
    EnumRow { oid: u32, schema: String, name: String, labels: Vec<String>, comment: Option<String> }
);

row!(
    /// `domains.sql`.
    DomainRow {
        oid: u32,
        schema: String,
        name: String,
        type_oid: u32,
        elem_oid: u32,
        type_name: String,
        not_null: bool,
        default: Option<String>,
        collation: Option<String>,
        comment: Option<String>,
    }
);

row!(
    /// `composites.sql`.
    CompositeRow { oid: u32, relid: u32, schema: String, name: String, comment: Option<String> }
);

row!(
    /// `ranges.sql`.
    RangeRow {
        oid: u32,
        multirange_oid: u32,
        schema: String,
        name: String,
        type_oid: u32,
        elem_oid: u32,
        type_name: String,
        subtype_opclass: Option<String>,
        collation: Option<String>,
        canonical: Option<String>,
        subtype_diff: Option<String>,
        multirange: Option<String>,
        comment: Option<String>,
    }
);

row!(
    /// `sequences.sql`.
    SequenceRow {
        oid: u32,
        schema: String,
        name: String,
        type_name: String,
        start: i64,
        increment: i64,
        min_value: i64,
        max_value: i64,
        cache: i64,
        cycle: bool,
        /// Table owning the sequence (`OWNED BY` / serial / identity).
        owner_oid: Option<u32>,
        owner_attnum: Option<i16>,
        /// `a` (OWNED BY, serial) or `i` (identity).
        owner_deptype: Option<String>,
        /// `'schema.name'` as `nextval(...::regclass)` prints it.
        regclass_literal: String,
        comment: Option<String>,
    }
);

row!(
    /// `tables.sql`: tables, partitioned tables, views and materialized views.
    TableRow {
        oid: u32,
        schema: String,
        name: String,
        /// `relkind`: `r`, `p`, `v`, `m`.
        kind: String,
        unlogged: bool,
        rls_enabled: bool,
        rls_forced: bool,
        options: Vec<String>,
        is_partition: bool,
        partition_bound: Option<String>,
        partition_strategy: Option<String>,
        partition_keydef: Option<String>,
        partition_attnums: Vec<i16>,
        partition_columns: Vec<String>,
        partition_opclasses: Vec<String>,
        partition_collations: Vec<String>,
        view_definition: Option<String>,
        comment: Option<String>,
    }
);

row!(
    /// `inherits.sql`: one parent of one table.
    InheritRow { relid: u32, seqno: i32, parent_schema: String, parent_name: String }
);

row!(
    /// `columns.sql`.
    ColumnRow {
        relid: u32,
        attnum: i16,
        name: String,
        type_oid: u32,
        elem_oid: u32,
        type_name: String,
        nullable: bool,
        default: Option<String>,
        generated: Option<String>,
        /// `attgenerated = 'v'` (PostgreSQL 18+).
        generated_virtual: bool,
        /// `attidentity`: empty, `a` or `d`.
        identity: String,
        collation: Option<String>,
        inherited: bool,
        comment: Option<String>,
    }
);

row!(
    /// `constraints.sql`.
    ConstraintRow {
        oid: u32,
        relid: u32,
        typid: u32,
        name: String,
        /// `p`, `u`, `f`, `c`, `x`.
        kind: String,
        /// `pg_get_constraintdef`, for CHECK constraints only.
        definition: String,
        /// `conkey`.
        attnums: Vec<i16>,
        ref_schema: Option<String>,
        ref_table: Option<String>,
        ref_relid: u32,
        /// `confkey`.
        ref_attnums: Vec<i16>,
        /// Referenced column names, only when the referenced table is outside the inspected
        /// schemas.
        ref_columns: Vec<String>,
        on_update: String,
        on_delete: String,
        match_type: String,
        deferrable: bool,
        deferred: bool,
        validated: bool,
        no_inherit: bool,
        index_oid: u32,
        exclusion_operators: Vec<String>,
        comment: Option<String>,
    }
);

row!(
    /// `indexes.sql`: one row per index.
    IndexRow {
        oid: u32,
        relid: u32,
        name: String,
        is_unique: bool,
        method: String,
        constraint_oid: u32,
        /// `INCLUDE` columns as attnums of the table.
        include_attnums: Vec<i16>,
        predicate: Option<String>,
        nulls_not_distinct: bool,
        options: Vec<String>,
        comment: Option<String>,
    }
);

row!(
    /// `index_parts.sql`: one key part of one index (empty strings mean none).
    IndexPartRow {
        index_oid: u32,
        position: i32,
        column_name: String,
        expr: String,
        descending: bool,
        nulls_first: bool,
        opclass: String,
        collation: String,
    }
);

row!(
    /// `view_dependencies.sql`.
    ViewDependencyRow {
        view_oid: u32,
        /// `table`, `view`, `column`, `sequence`, `function`, `type`.
        kind: String,
        ref_oid: u32,
        /// `relkind` of the referenced relation (empty for functions and types).
        ref_relkind: String,
        ref_schema: String,
        ref_name: String,
        ref_column: String,
        ref_args: String,
    }
);

row!(
    /// `functions.sql`.
    FunctionRow {
        oid: u32,
        schema: String,
        name: String,
        /// `f` or `p`.
        kind: String,
        arg_names: Vec<String>,
        arg_modes: Vec<String>,
        arg_type_oids: Vec<u32>,
        arg_elem_oids: Vec<u32>,
        arg_type_names: Vec<String>,
        arguments: String,
        ret_oid: u32,
        ret_elem_oid: u32,
        ret_type_name: String,
        setof: bool,
        language: String,
        body: String,
        volatility: String,
        strict: bool,
        security_definer: bool,
        leakproof: bool,
        parallel: String,
        cost: f64,
        rows: f64,
        config: Vec<String>,
        comment: Option<String>,
    }
);

row!(
    /// `triggers.sql`.
    TriggerRow {
        relid: u32,
        name: String,
        type_bits: i32,
        update_of: Vec<String>,
        definition: String,
        function_oid: u32,
        function_schema: String,
        function_name: String,
        function_args: String,
        args: Vec<u8>,
        nargs: i32,
        old_table: Option<String>,
        new_table: Option<String>,
        is_constraint: bool,
        deferrable: bool,
        deferred: bool,
        enabled: String,
        comment: Option<String>,
    }
);

row!(
    /// `policies.sql`.
    PolicyRow {
        relid: u32,
        name: String,
        permissive: bool,
        command: String,
        roles: Vec<String>,
        using_expr: Option<String>,
        check_expr: Option<String>,
        comment: Option<String>,
    }
);

row!(
    /// `access.sql`: one ACL entry (or none) of one object, with its owner.
    AccessRow {
        kind: String,
        schema: String,
        name: String,
        oid: u32,
        column_name: Option<String>,
        owned_by: u32,
        owner: Option<String>,
        fresh: Option<bool>,
        grantee: Option<String>,
        privilege: Option<String>,
        grantable: Option<bool>,
    }
);

row!(
    /// `default_acl.sql`: one entry of one default ACL.
    DefaultAclRow {
        role: String,
        schema: Option<String>,
        objtype: String,
        fresh: bool,
        grantee: Option<String>,
        privilege: String,
        grantable: bool,
    }
);

row!(
    /// `collations.sql`.
    CollationRow {
        schema: String,
        name: String,
        provider: String,
        locale: Option<String>,
        lc_collate: Option<String>,
        lc_ctype: Option<String>,
        deterministic: bool,
        rules: Option<String>,
        comment: Option<String>,
    }
);

/// Every query's rows, as [`super::assemble`] takes them.
#[derive(Debug, Clone, Default)]
pub(crate) struct Rows {
    pub(crate) schemas: Vec<SchemaRow>,
    pub(crate) extensions: Vec<ExtensionRow>,
    pub(crate) enums: Vec<EnumRow>,
    pub(crate) domains: Vec<DomainRow>,
    pub(crate) composites: Vec<CompositeRow>,
    pub(crate) ranges: Vec<RangeRow>,
    pub(crate) sequences: Vec<SequenceRow>,
    pub(crate) tables: Vec<TableRow>,
    pub(crate) inherits: Vec<InheritRow>,
    pub(crate) columns: Vec<ColumnRow>,
    pub(crate) constraints: Vec<ConstraintRow>,
    pub(crate) indexes: Vec<IndexRow>,
    pub(crate) index_parts: Vec<IndexPartRow>,
    pub(crate) view_dependencies: Vec<ViewDependencyRow>,
    pub(crate) functions: Vec<FunctionRow>,
    pub(crate) triggers: Vec<TriggerRow>,
    pub(crate) policies: Vec<PolicyRow>,
    pub(crate) collations: Vec<CollationRow>,
    pub(crate) access: Vec<AccessRow>,
    pub(crate) default_acl: Vec<DefaultAclRow>,
}
