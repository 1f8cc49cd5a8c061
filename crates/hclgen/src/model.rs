//! The schema model: plain data, filled by `inspect`, written by `render`, read by `parse`,
//! compared by the `diff` crate.
//!
//! Conventions every producer follows (so that two models of the same schema compare equal):
//! - Every list of named objects is sorted by [`Database::normalize`]: by (schema, name), or by name
//!   inside a table. Columns, enum values, function arguments and composite fields keep their
//!   declared order.
//! - SQL fragments (defaults, expressions, predicates, view bodies) are kept exactly as PostgreSQL's
//!   deparser prints them (`pg_get_expr`, `pg_get_viewdef`, …) with an empty `search_path`, so
//!   names outside `pg_catalog` come back schema-qualified.
//! - Built-in types are spelled as `format_type()` prints them (`character varying(255)`,
//!   `timestamp(3) with time zone`, `integer`); see [`Type`].
//! - Values that equal PostgreSQL's default (sequence options, index NULLS order, `btree`, …) are
//!   stored as their real value, not as "unset": the renderer decides what to omit.

mod access;
mod collation;

pub use access::*;
pub use collation::*;

/// A schema-qualified object name.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash, Default)]
pub struct QualifiedName {
    /// Schema the object lives in.
    pub schema: String,
    /// Object name, unquoted (exactly as stored in the catalog).
    pub name: String,
}

impl QualifiedName {
    /// Builds a name from its two parts.
    pub fn new(schema: impl Into<String>, name: impl Into<String>) -> Self {
        Self {
            schema: schema.into(),
            name: name.into(),
        }
    }
}

impl std::fmt::Display for QualifiedName {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}.{}", self.schema, self.name)
    }
}

/// Everything dbmigration knows about one database (Atlas calls it a realm).
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Database {
    /// User schemas (never `pg_catalog`, `information_schema`, `pg_toast`, `pg_temp_*`).
    pub schemas: Vec<Schema>,
    /// Installed extensions.
    pub extensions: Vec<Extension>,
    /// Enum types.
    pub enums: Vec<Enum>,
    /// Domains.
    pub domains: Vec<Domain>,
    /// Composite types (`CREATE TYPE x AS (...)`).
    pub composites: Vec<Composite>,
    /// Range types (`CREATE TYPE x AS RANGE (...)`).
    pub ranges: Vec<RangeType>,
    /// Sequences not owned by an identity column, nor by a column rendered as `serial`.
    pub sequences: Vec<Sequence>,
    /// Ordinary, partitioned, unlogged tables and partitions.
    pub tables: Vec<Table>,
    /// Views and materialized views.
    pub views: Vec<View>,
    /// Functions and procedures (not aggregates, not objects owned by extensions).
    pub functions: Vec<Function>,
    /// Triggers on tables and views (not internal FK triggers).
    pub triggers: Vec<Trigger>,
    /// Row-level-security policies.
    pub policies: Vec<Policy>,
    /// User-defined collations.
    pub collations: Vec<Collation>,
    /// Privileges that differ from a fresh object's, sorted.
    pub permissions: Vec<Permission>,
    /// Owners that differ from the database's owner, sorted.
    pub owners: Vec<Owner>,
    /// Default privileges that differ from the built-in ones, sorted.
    pub default_permissions: Vec<DefaultPermission>,
}

/// `CREATE SCHEMA`.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Schema {
    /// Schema name.
    pub name: String,
    /// `COMMENT ON SCHEMA` (a fresh `public` carries "standard public schema").
    pub comment: Option<String>,
}

/// `CREATE EXTENSION`.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Extension {
    /// Extension name (`pgcrypto`).
    pub name: String,
    /// Schema holding its objects.
    pub schema: String,
    /// Installed version (`1.3`).
    pub version: String,
    /// `COMMENT ON EXTENSION`.
    pub comment: Option<String>,
}

/// `CREATE TYPE ... AS ENUM`.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Enum {
    /// Qualified type name.
    pub name: QualifiedName,
    /// Labels in `enumsortorder` order.
    pub values: Vec<String>,
    /// `COMMENT ON TYPE`.
    pub comment: Option<String>,
}

/// `CREATE DOMAIN`.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Domain {
    /// Qualified domain name.
    pub name: QualifiedName,
    /// Base type.
    pub ty: Type,
    /// `NOT NULL` on the domain.
    pub not_null: bool,
    /// Default expression.
    pub default: Option<String>,
    /// Non-default collation.
    pub collation: Option<String>,
    /// CHECK constraints, sorted by name.
    pub checks: Vec<Check>,
    /// `COMMENT ON DOMAIN`.
    pub comment: Option<String>,
}

/// `CREATE TYPE ... AS (field type, ...)`.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Composite {
    /// Qualified type name.
    pub name: QualifiedName,
    /// Fields in declared order.
    pub fields: Vec<Field>,
    /// `COMMENT ON TYPE`.
    pub comment: Option<String>,
}

/// One field of a composite type.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Field {
    /// Field name.
    pub name: String,
    /// Field type.
    pub ty: Type,
    /// Non-default collation.
    pub collation: Option<String>,
    /// `COMMENT ON COLUMN type.field`.
    pub comment: Option<String>,
}

/// `CREATE TYPE ... AS RANGE`.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct RangeType {
    /// Qualified type name.
    pub name: QualifiedName,
    /// Element type.
    pub subtype: Type,
    /// Non-default operator class of the subtype (qualified text).
    pub subtype_opclass: Option<String>,
    /// Non-default collation.
    pub collation: Option<String>,
    /// Canonical function (qualified), when set.
    pub canonical: Option<String>,
    /// Subtype difference function (qualified), when set.
    pub subtype_diff: Option<String>,
    /// Name of the multirange type PostgreSQL created alongside (schema-local name).
    pub multirange: Option<String>,
    /// `COMMENT ON TYPE`.
    pub comment: Option<String>,
}

/// A standalone sequence.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Sequence {
    /// Qualified sequence name.
    pub name: QualifiedName,
    /// `smallint`, `integer` or `bigint` (as [`Type::Sql`]).
    pub ty: Type,
    /// START, INCREMENT, MINVALUE, MAXVALUE, CACHE, CYCLE.
    pub options: SequenceOptions,
    /// `OWNED BY table.column`.
    pub owned_by: Option<ColumnRef>,
    /// `COMMENT ON SEQUENCE`.
    pub comment: Option<String>,
}

/// Options shared by sequences and identity columns. Always the real values.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct SequenceOptions {
    /// START WITH.
    pub start: i64,
    /// INCREMENT BY.
    pub increment: i64,
    /// MINVALUE.
    pub min_value: i64,
    /// MAXVALUE.
    pub max_value: i64,
    /// CACHE.
    pub cache: i64,
    /// CYCLE.
    pub cycle: bool,
}

impl SequenceOptions {
    /// PostgreSQL's defaults for an ascending sequence of the given integer type
    /// (`smallint`, `integer`, anything else is treated as `bigint`).
    pub fn defaults_for(ty: &str) -> Self {
        let max_value = match ty {
            "smallint" => i64::from(i16::MAX),
            "integer" => i64::from(i32::MAX),
            _ => i64::MAX,
        };
        Self {
            start: 1,
            increment: 1,
            min_value: 1,
            max_value,
            cache: 1,
            cycle: false,
        }
    }
}

/// Reference to one column of one table.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash, Default)]
pub struct ColumnRef {
    /// The table (or view).
    pub table: QualifiedName,
    /// The column name.
    pub column: String,
}

/// A data type as used by a column, field, argument, domain or sequence.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Type {
    /// A built-in or extension type, spelled exactly as `format_type(oid, typmod)` prints it with an
    /// empty `search_path`: `integer`, `character varying(255)`, `numeric(10,2)`,
    /// `timestamp(3) with time zone`, `interval day to second(4)`, `public.citext`.
    /// Never an array and never a type defined in this model.
    Sql(String),
    /// `smallserial` / `serial` / `bigserial`: an integer column whose default is `nextval` of the
    /// sequence `<table>_<column>_seq` that it owns. That sequence is not listed in
    /// [`Database::sequences`] and the column's `default` is `None`.
    Serial(SerialWidth),
    /// A user-defined type of this model.
    Named {
        /// Which kind of type the name refers to.
        kind: TypeKind,
        /// The qualified type name.
        name: QualifiedName,
    },
    /// An array of the element type (PostgreSQL does not enforce dimensions, so none are kept).
    Array(Box<Type>),
}

impl Default for Type {
    fn default() -> Self {
        Type::Sql("text".to_owned())
    }
}

/// Which user-defined type a [`Type::Named`] refers to.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum TypeKind {
    /// An [`Enum`].
    Enum,
    /// A [`Domain`].
    Domain,
    /// A [`Composite`].
    Composite,
    /// A [`RangeType`] (or its multirange).
    Range,
}

/// Width of a serial column.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum SerialWidth {
    /// `smallserial` (smallint).
    Small,
    /// `serial` (integer).
    Regular,
    /// `bigserial` (bigint).
    Big,
}

/// A table: ordinary, partitioned, a partition, unlogged or inheriting.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Table {
    /// Qualified table name.
    pub name: QualifiedName,
    /// Columns in `attnum` order (dropped columns excluded). Partitions and inheritance children
    /// list every column they have, including inherited ones (see [`Column::inherited`]).
    pub columns: Vec<Column>,
    /// Primary key.
    pub primary_key: Option<PrimaryKey>,
    /// Foreign keys, sorted by name.
    pub foreign_keys: Vec<ForeignKey>,
    /// Indexes that do not back a constraint, sorted by name.
    pub indexes: Vec<Index>,
    /// CHECK constraints, sorted by name. `NOT NULL` is not a check: see [`Column::nullable`].
    pub checks: Vec<Check>,
    /// UNIQUE constraints, sorted by name.
    pub uniques: Vec<UniqueConstraint>,
    /// EXCLUDE constraints, sorted by name.
    pub exclusions: Vec<Exclusion>,
    /// `PARTITION BY` when this table is partitioned.
    pub partition_by: Option<PartitionKey>,
    /// `PARTITION OF parent FOR VALUES ...` when this table is a partition.
    pub partition_of: Option<PartitionOf>,
    /// `INHERITS (...)` parents in `inhseqno` order (not set for partitions).
    pub inherits: Vec<QualifiedName>,
    /// `UNLOGGED`.
    pub unlogged: bool,
    /// `ALTER TABLE ... ENABLE ROW LEVEL SECURITY`.
    pub rls_enabled: bool,
    /// `ALTER TABLE ... FORCE ROW LEVEL SECURITY`.
    pub rls_forced: bool,
    /// `COMMENT ON TABLE`.
    pub comment: Option<String>,
}

/// One table column.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Column {
    /// Column name.
    pub name: String,
    /// Column type.
    pub ty: Type,
    /// `false` when the column is `NOT NULL`.
    pub nullable: bool,
    /// Default expression as `pg_get_expr` prints it (`now()`, `'new'::text`, `0`); `None` for
    /// serial columns (the `nextval` default is implied by [`Type::Serial`]).
    pub default: Option<String>,
    /// `GENERATED ... AS IDENTITY`.
    pub identity: Option<Identity>,
    /// `GENERATED ALWAYS AS (expr) STORED`: the expression.
    pub generated: Option<String>,
    /// The generated column is `VIRTUAL` (PostgreSQL 18+: computed when read, the default
    /// kind there) rather than `STORED`.
    pub generated_virtual: bool,
    /// Non-default collation, qualified as `pg_catalog."C"` style text is not used: just the
    /// collation name as `CREATE ... COLLATE` needs it, e.g. `C`, `en_US`, `public.ci`.
    pub collation: Option<String>,
    /// `true` when the column comes only from a parent (partition or `INHERITS`) and is not declared
    /// locally (`attislocal = false`).
    pub inherited: bool,
    /// `COMMENT ON COLUMN`.
    pub comment: Option<String>,
}

/// An identity column's generation mode and sequence options.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Identity {
    /// `ALWAYS` (true) or `BY DEFAULT` (false).
    pub always: bool,
    /// Options of the backing sequence.
    pub options: SequenceOptions,
}

/// Constraint deferrability.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Default)]
pub enum Deferrable {
    /// `NOT DEFERRABLE` (the default).
    #[default]
    No,
    /// `DEFERRABLE INITIALLY IMMEDIATE`.
    InitiallyImmediate,
    /// `DEFERRABLE INITIALLY DEFERRED`.
    InitiallyDeferred,
}

/// `PRIMARY KEY`.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct PrimaryKey {
    /// Constraint name (PostgreSQL's default is `<table>_pkey`).
    pub name: String,
    /// Key columns in order.
    pub columns: Vec<String>,
    /// `INCLUDE (...)` columns.
    pub include: Vec<String>,
    /// Deferrability.
    pub deferrable: Deferrable,
    /// `COMMENT ON CONSTRAINT`.
    pub comment: Option<String>,
}

/// A UNIQUE constraint (unique *indexes* are [`Index`] with `unique = true`).
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct UniqueConstraint {
    /// Constraint name.
    pub name: String,
    /// Key columns in order.
    pub columns: Vec<String>,
    /// `INCLUDE (...)` columns.
    pub include: Vec<String>,
    /// `NULLS NOT DISTINCT`.
    pub nulls_not_distinct: bool,
    /// Deferrability.
    pub deferrable: Deferrable,
    /// `COMMENT ON CONSTRAINT`.
    pub comment: Option<String>,
}

/// Referential action of a foreign key.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Default)]
pub enum FkAction {
    /// `NO ACTION` (the default).
    #[default]
    NoAction,
    /// `RESTRICT`.
    Restrict,
    /// `CASCADE`.
    Cascade,
    /// `SET NULL`.
    SetNull,
    /// `SET DEFAULT`.
    SetDefault,
}

/// `FOREIGN KEY`.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct ForeignKey {
    /// Constraint name.
    pub name: String,
    /// Referencing columns.
    pub columns: Vec<String>,
    /// Referenced table.
    pub ref_table: QualifiedName,
    /// Referenced columns.
    pub ref_columns: Vec<String>,
    /// `ON UPDATE`.
    pub on_update: FkAction,
    /// `ON DELETE`.
    pub on_delete: FkAction,
    /// `MATCH FULL` (otherwise `MATCH SIMPLE`).
    pub match_full: bool,
    /// Deferrability.
    pub deferrable: Deferrable,
    /// Added `NOT VALID` and not validated since.
    pub not_valid: bool,
    /// `COMMENT ON CONSTRAINT`.
    pub comment: Option<String>,
}

/// `CHECK` constraint (on a table or a domain).
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Check {
    /// Constraint name.
    pub name: String,
    /// The expression as `pg_get_constraintdef` prints it inside `CHECK (...)`, i.e. usually
    /// wrapped in one pair of parentheses: `(price > 0)`.
    pub expr: String,
    /// `NO INHERIT`.
    pub no_inherit: bool,
    /// Added `NOT VALID` and not validated since.
    pub not_valid: bool,
    /// `COMMENT ON CONSTRAINT`.
    pub comment: Option<String>,
}

/// An index that does not back a constraint (also used for indexes on materialized views).
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Index {
    /// Index name (indexes live in their table's schema).
    pub name: String,
    /// `UNIQUE`.
    pub unique: bool,
    /// Access method: `btree`, `gin`, `gist`, `brin`, `hash`, `spgist`, or an extension's.
    pub method: String,
    /// Key parts in order.
    pub parts: Vec<IndexPart>,
    /// `INCLUDE (...)` columns.
    pub include: Vec<String>,
    /// Partial-index predicate as `pg_get_expr` prints it.
    pub predicate: Option<String>,
    /// `NULLS NOT DISTINCT`.
    pub nulls_not_distinct: bool,
    /// Storage parameters `WITH (...)`, as `key=value` strings sorted by key.
    pub with: Vec<String>,
    /// `COMMENT ON INDEX`.
    pub comment: Option<String>,
}

/// What an index part indexes.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum IndexKey {
    /// A plain column.
    Column(String),
    /// An expression as `pg_get_indexdef(oid, n, true)` prints it (without the extra parentheses
    /// `CREATE INDEX` needs around it).
    Expr(String),
}

impl Default for IndexKey {
    fn default() -> Self {
        IndexKey::Column(String::new())
    }
}

/// One key part of an index.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct IndexPart {
    /// Column or expression.
    pub key: IndexKey,
    /// `DESC`.
    pub desc: bool,
    /// Whether NULLs sort first (PostgreSQL's default: `desc`). Always the real value.
    pub nulls_first: bool,
    /// Operator class when it is not the default for the type (qualified only when outside
    /// `pg_catalog`), with parameters if any: `jsonb_path_ops`, `gist_trgm_ops(siglen=32)`.
    pub opclass: Option<String>,
    /// Non-default collation.
    pub collation: Option<String>,
}

/// `EXCLUDE USING method (element WITH operator, ...)`.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Exclusion {
    /// Constraint name.
    pub name: String,
    /// Access method (`gist` usually).
    pub method: String,
    /// Elements with their operators, in order.
    pub elements: Vec<ExclusionElement>,
    /// `INCLUDE (...)` columns.
    pub include: Vec<String>,
    /// `WHERE (...)` predicate.
    pub predicate: Option<String>,
    /// Deferrability.
    pub deferrable: Deferrable,
    /// `COMMENT ON CONSTRAINT`.
    pub comment: Option<String>,
}

/// One element of an exclusion constraint.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct ExclusionElement {
    /// The indexed column or expression, sort order, op class.
    pub part: IndexPart,
    /// The operator, e.g. `=` or `&&` (qualified when outside `pg_catalog`).
    pub operator: String,
}

/// Partitioning strategy.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Default)]
pub enum PartitionStrategy {
    /// `PARTITION BY RANGE`.
    #[default]
    Range,
    /// `PARTITION BY LIST`.
    List,
    /// `PARTITION BY HASH`.
    Hash,
}

/// `PARTITION BY strategy (keys)`.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct PartitionKey {
    /// Strategy.
    pub strategy: PartitionStrategy,
    /// Key parts (columns or expressions; op class and collation when not default).
    pub parts: Vec<IndexPart>,
}

/// `PARTITION OF parent FOR VALUES ...`.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct PartitionOf {
    /// The partitioned parent table.
    pub parent: QualifiedName,
    /// The bound as `pg_get_expr(relpartbound)` prints it: `FOR VALUES FROM ('2024-01-01') TO
    /// ('2025-01-01')`, `FOR VALUES IN (1, 2)`, `FOR VALUES WITH (modulus 4, remainder 0)`, `DEFAULT`.
    pub bound: String,
}

/// A view or materialized view.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct View {
    /// Qualified view name.
    pub name: QualifiedName,
    /// `CREATE MATERIALIZED VIEW`.
    pub materialized: bool,
    /// The query as `pg_get_viewdef(oid, true)` prints it (leading space and trailing `;` trimmed).
    pub definition: String,
    /// Output columns in order (type from the catalog; informative, derived from the query).
    pub columns: Vec<ViewColumn>,
    /// `WITH [LOCAL | CASCADED] CHECK OPTION`.
    pub check_option: Option<CheckOption>,
    /// `security_barrier` reloption.
    pub security_barrier: bool,
    /// `security_invoker` reloption.
    pub security_invoker: bool,
    /// Indexes (materialized views only), sorted by name.
    pub indexes: Vec<Index>,
    /// Objects the query reads, from `pg_depend` via `pg_rewrite`, sorted.
    pub depends_on: Vec<Dependency>,
    /// `COMMENT ON VIEW` / `COMMENT ON MATERIALIZED VIEW`.
    pub comment: Option<String>,
}

/// One output column of a view.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct ViewColumn {
    /// Column name.
    pub name: String,
    /// Column type.
    pub ty: Type,
    /// `COMMENT ON COLUMN`.
    pub comment: Option<String>,
}

/// `WITH ... CHECK OPTION` on a view.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum CheckOption {
    /// `LOCAL`.
    Local,
    /// `CASCADED`.
    Cascaded,
}

/// An object another object depends on; used by `diff` to order statements.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Dependency {
    /// A whole table (or partitioned table).
    Table(QualifiedName),
    /// One column of a table.
    Column(ColumnRef),
    /// A view or materialized view.
    View(QualifiedName),
    /// A function, by schema, name and identity argument types: `(schema, name, "integer, text")`.
    Function(FunctionRef),
    /// A user-defined type.
    Type(QualifiedName),
    /// A sequence.
    Sequence(QualifiedName),
}

/// Identifies one function overload.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash, Default)]
pub struct FunctionRef {
    /// Schema and name.
    pub name: QualifiedName,
    /// Identity arguments as `pg_get_function_identity_arguments` prints them, e.g.
    /// `a integer, b text` is NOT used: only the types, comma-separated: `integer, text`.
    pub args: String,
}

/// Function or procedure.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Default)]
pub enum FunctionKind {
    /// `CREATE FUNCTION`.
    #[default]
    Function,
    /// `CREATE PROCEDURE`.
    Procedure,
}

/// `CREATE FUNCTION` / `CREATE PROCEDURE`.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Function {
    /// Qualified name (overloads share it; [`Function::identity`] tells them apart).
    pub name: QualifiedName,
    /// Function or procedure.
    pub kind: FunctionKind,
    /// Arguments in order.
    pub args: Vec<FunctionArg>,
    /// Return type; `None` for procedures.
    pub returns: Option<Returns>,
    /// Language name: `sql`, `plpgsql`, `c`, …
    pub language: String,
    /// The body (`prosrc`), verbatim.
    pub body: String,
    /// Volatility.
    pub volatility: Volatility,
    /// `STRICT`.
    pub strict: bool,
    /// `SECURITY DEFINER`.
    pub security_definer: bool,
    /// `LEAKPROOF`.
    pub leakproof: bool,
    /// `PARALLEL ...`.
    pub parallel: Parallel,
    /// `COST` (PostgreSQL's default: 100 for SQL/PL functions, 1 for C/internal).
    pub cost: f64,
    /// `ROWS` for set-returning functions (0 otherwise).
    pub rows: f64,
    /// `SET name = value` clauses, as `name=value` strings in catalog order.
    pub config: Vec<String>,
    /// Objects the function depends on (types), sorted.
    pub depends_on: Vec<Dependency>,
    /// `COMMENT ON FUNCTION`.
    pub comment: Option<String>,
}

impl Function {
    /// The reference other objects (triggers, dependencies) use for this overload.
    pub fn identity(&self) -> FunctionRef {
        FunctionRef {
            name: self.name.clone(),
            args: self
                .args
                .iter()
                .filter(|a| a.mode != ArgMode::Out && a.mode != ArgMode::Table)
                .map(|a| a.ty.to_sql())
                .collect::<Vec<_>>()
                .join(", "),
        }
    }
}

/// One function argument.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct FunctionArg {
    /// Name, empty when unnamed.
    pub name: String,
    /// Type.
    pub ty: Type,
    /// Mode.
    pub mode: ArgMode,
    /// Default expression.
    pub default: Option<String>,
}

/// Argument mode.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Default)]
pub enum ArgMode {
    /// `IN`.
    #[default]
    In,
    /// `OUT`.
    Out,
    /// `INOUT`.
    InOut,
    /// `VARIADIC`.
    Variadic,
    /// A column of `RETURNS TABLE (...)`.
    Table,
}

/// What a function returns.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Returns {
    /// `RETURNS [SETOF] type`.
    Type {
        /// The type.
        ty: Type,
        /// `SETOF`.
        setof: bool,
    },
    /// `RETURNS TABLE (...)`: the columns are the [`ArgMode::Table`] arguments.
    Table,
    /// `RETURNS trigger`.
    Trigger,
}

/// Volatility.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Default)]
pub enum Volatility {
    /// `VOLATILE` (the default).
    #[default]
    Volatile,
    /// `STABLE`.
    Stable,
    /// `IMMUTABLE`.
    Immutable,
}

/// Parallel safety.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Default)]
pub enum Parallel {
    /// `PARALLEL UNSAFE` (the default).
    #[default]
    Unsafe,
    /// `PARALLEL RESTRICTED`.
    Restricted,
    /// `PARALLEL SAFE`.
    Safe,
}

/// `CREATE TRIGGER`.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Trigger {
    /// The table or view the trigger is on (the trigger lives in its schema).
    pub table: QualifiedName,
    /// Trigger name.
    pub name: String,
    /// `BEFORE`, `AFTER`, `INSTEAD OF`.
    pub timing: TriggerTiming,
    /// Events, in the order INSERT, UPDATE, DELETE, TRUNCATE.
    pub events: Vec<TriggerEvent>,
    /// `UPDATE OF col, ...`.
    pub update_of: Vec<String>,
    /// `FOR EACH ROW` (otherwise `FOR EACH STATEMENT`).
    pub for_each_row: bool,
    /// `WHEN (...)` condition.
    pub when: Option<String>,
    /// The trigger function.
    pub function: FunctionRef,
    /// Literal arguments passed to the function.
    pub args: Vec<String>,
    /// `REFERENCING OLD TABLE AS x`.
    pub old_table: Option<String>,
    /// `REFERENCING NEW TABLE AS x`.
    pub new_table: Option<String>,
    /// `CREATE CONSTRAINT TRIGGER` with its deferrability.
    pub constraint: Option<Deferrable>,
    /// Firing state (`ALTER TABLE ... ENABLE/DISABLE TRIGGER`).
    pub enabled: TriggerEnabled,
    /// `COMMENT ON TRIGGER`.
    pub comment: Option<String>,
}

/// When a trigger fires.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Default)]
pub enum TriggerTiming {
    /// `BEFORE`.
    #[default]
    Before,
    /// `AFTER`.
    After,
    /// `INSTEAD OF`.
    InsteadOf,
}

/// A trigger event.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum TriggerEvent {
    /// `INSERT`.
    Insert,
    /// `UPDATE` (see [`Trigger::update_of`]).
    Update,
    /// `DELETE`.
    Delete,
    /// `TRUNCATE`.
    Truncate,
}

/// `pg_trigger.tgenabled`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Default)]
pub enum TriggerEnabled {
    /// `O`: fires in origin and local mode (the default).
    #[default]
    Origin,
    /// `D`: disabled.
    Disabled,
    /// `R`: fires in replica mode only.
    Replica,
    /// `A`: always fires.
    Always,
}

/// Commands a policy applies to.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Default)]
pub enum PolicyCommand {
    /// `FOR ALL`.
    #[default]
    All,
    /// `FOR SELECT`.
    Select,
    /// `FOR INSERT`.
    Insert,
    /// `FOR UPDATE`.
    Update,
    /// `FOR DELETE`.
    Delete,
}

/// `CREATE POLICY`.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Policy {
    /// The table.
    pub table: QualifiedName,
    /// Policy name.
    pub name: String,
    /// `AS PERMISSIVE` (true) or `AS RESTRICTIVE`.
    pub permissive: bool,
    /// `FOR ...`.
    pub command: PolicyCommand,
    /// `TO ...` role names, sorted; `public` for PUBLIC.
    pub roles: Vec<String>,
    /// `USING (...)`.
    pub using: Option<String>,
    /// `WITH CHECK (...)`.
    pub check: Option<String>,
    /// `COMMENT ON POLICY`.
    pub comment: Option<String>,
}

impl Type {
    /// The type as SQL text usable in DDL, with user-defined names quoted where needed.
    pub fn to_sql(&self) -> String {
        match self {
            Type::Sql(s) => s.clone(),
            Type::Serial(SerialWidth::Small) => "smallserial".to_owned(),
            Type::Serial(SerialWidth::Regular) => "serial".to_owned(),
            Type::Serial(SerialWidth::Big) => "bigserial".to_owned(),
            Type::Named { name, .. } => {
                format!("{}.{}", quote_ident(&name.schema), quote_ident(&name.name))
            }
            Type::Array(inner) => format!("{}[]", inner.to_sql()),
        }
    }

    /// The user-defined type this type refers to, if any (looking through arrays).
    pub fn named(&self) -> Option<(TypeKind, &QualifiedName)> {
        match self {
            Type::Named { kind, name } => Some((*kind, name)),
            Type::Array(inner) => inner.named(),
            Type::Sql(_) | Type::Serial(_) => None,
        }
    }
}

/// Identifier and literal quoting live in `pgsql` (PostgreSQL's own keyword list); re-exported
/// here because the model's SQL renderings use them.
pub use pgsql::{quote_ident, quote_literal};

impl Database {
    /// Sorts every list of named objects into the canonical order (see the module docs), so that
    /// two models of the same schema compare equal and render byte-identically.
    pub fn normalize(&mut self) {
        self.schemas.sort_by(|a, b| a.name.cmp(&b.name));
        self.extensions.sort_by(|a, b| a.name.cmp(&b.name));
        self.enums.sort_by(|a, b| a.name.cmp(&b.name));
        self.domains.sort_by(|a, b| a.name.cmp(&b.name));
        for d in &mut self.domains {
            d.checks.sort_by(|a, b| a.name.cmp(&b.name));
        }
        self.composites.sort_by(|a, b| a.name.cmp(&b.name));
        self.ranges.sort_by(|a, b| a.name.cmp(&b.name));
        self.sequences.sort_by(|a, b| a.name.cmp(&b.name));
        self.tables.sort_by(|a, b| a.name.cmp(&b.name));
        for t in &mut self.tables {
            t.foreign_keys.sort_by(|a, b| a.name.cmp(&b.name));
            t.indexes.sort_by(|a, b| a.name.cmp(&b.name));
            t.checks.sort_by(|a, b| a.name.cmp(&b.name));
            t.uniques.sort_by(|a, b| a.name.cmp(&b.name));
            t.exclusions.sort_by(|a, b| a.name.cmp(&b.name));
        }
        self.views.sort_by(|a, b| a.name.cmp(&b.name));
        for v in &mut self.views {
            v.indexes.sort_by(|a, b| a.name.cmp(&b.name));
            v.depends_on.sort();
            v.depends_on.dedup();
        }
        self.functions
            .sort_by(|a, b| (&a.name, a.identity().args).cmp(&(&b.name, b.identity().args)));
        for f in &mut self.functions {
            f.depends_on.sort();
            f.depends_on.dedup();
        }
        self.triggers
            .sort_by(|a, b| (&a.table, &a.name).cmp(&(&b.table, &b.name)));
        self.policies
            .sort_by(|a, b| (&a.table, &a.name).cmp(&(&b.table, &b.name)));
        for p in &mut self.policies {
            p.roles.sort();
        }
        self.collations.sort_by(|a, b| a.name.cmp(&b.name));
        self.permissions.sort();
        self.permissions.dedup();
        self.owners.sort();
        self.owners.dedup();
        self.default_permissions.sort();
        self.default_permissions.dedup();
    }

    /// Leaves out privileges and default privileges (`--no-privileges`).
    pub fn without_privileges(mut self) -> Self {
        self.permissions.clear();
        self.default_permissions.clear();
        self
    }

    /// Leaves out owners (`--no-owners`).
    pub fn without_owners(mut self) -> Self {
        self.owners.clear();
        self
    }

    /// Looks up a table by qualified name.
    pub fn table(&self, name: &QualifiedName) -> Option<&Table> {
        self.tables.iter().find(|t| &t.name == name)
    }
}
