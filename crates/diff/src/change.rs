//! One change between two schemas: what to do, never how to spell it (that is `sql.rs`) nor
//! when (that is `order.rs`). Every variant maps to exactly one SQL statement.

use hclgen::{
    Check, Column, ColumnRef, Composite, Domain, Enum, Exclusion, Extension, Field, ForeignKey,
    Function, FunctionKind, FunctionRef, Identity, Index, Policy, PrimaryKey, QualifiedName,
    RangeType, Schema, Sequence, SequenceOptions, SerialWidth, Table, Trigger, TriggerEnabled,
    Type, TypeKind, UniqueConstraint, View,
};

/// Where a new enum label goes.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum EnumPosition {
    /// At the end (`ADD VALUE 'x'`).
    End,
    /// `ADD VALUE 'x' BEFORE 'y'`.
    Before(String),
    /// `ADD VALUE 'x' AFTER 'y'`.
    After(String),
}

/// A change to a domain (`ALTER DOMAIN`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum DomainChange {
    /// `SET DEFAULT` / `DROP DEFAULT`.
    Default(Option<String>),
    /// `SET NOT NULL` (true) / `DROP NOT NULL`.
    NotNull(bool),
    /// `ADD CONSTRAINT ... CHECK`.
    AddCheck(Check),
    /// `DROP CONSTRAINT`.
    DropCheck(String),
}

/// A change to a composite type (`ALTER TYPE`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum CompositeChange {
    /// `ADD ATTRIBUTE`.
    Add(Field),
    /// `DROP ATTRIBUTE`.
    Drop(String),
    /// `ALTER ATTRIBUTE ... TYPE ... [COLLATE]`.
    Alter(Field),
}

/// Kind of a table constraint (for `DROP CONSTRAINT` comments and ordering).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum ConstraintKind {
    /// `PRIMARY KEY`.
    PrimaryKey,
    /// `UNIQUE`.
    Unique,
    /// `CHECK`.
    Check,
    /// `EXCLUDE`.
    Exclusion,
    /// `FOREIGN KEY`.
    ForeignKey,
}

/// What a `COMMENT ON` statement targets.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum CommentTarget {
    /// `COMMENT ON SCHEMA`.
    Schema(String),
    /// `COMMENT ON EXTENSION`.
    Extension(String),
    /// `COMMENT ON TYPE` (enum, composite, range).
    Type(QualifiedName),
    /// `COMMENT ON DOMAIN`.
    Domain(QualifiedName),
    /// `COMMENT ON SEQUENCE`.
    Sequence(QualifiedName),
    /// `COMMENT ON TABLE`.
    Table(QualifiedName),
    /// `COMMENT ON VIEW` / `COMMENT ON MATERIALIZED VIEW`.
    View {
        /// The view.
        name: QualifiedName,
        /// Materialized.
        materialized: bool,
    },
    /// `COMMENT ON COLUMN` (table, view or composite-type column).
    Column(ColumnRef),
    /// `COMMENT ON INDEX` (the index lives in the schema given).
    Index(QualifiedName),
    /// `COMMENT ON CONSTRAINT name ON table`.
    Constraint {
        /// The table.
        table: QualifiedName,
        /// Constraint name.
        name: String,
    },
    /// `COMMENT ON CONSTRAINT name ON DOMAIN domain`.
    DomainConstraint {
        /// The domain.
        domain: QualifiedName,
        /// Constraint name.
        name: String,
    },
    /// `COMMENT ON FUNCTION` / `COMMENT ON PROCEDURE`.
    Function {
        /// Function or procedure.
        kind: FunctionKind,
        /// The overload.
        function: FunctionRef,
    },
    /// `COMMENT ON TRIGGER name ON table`.
    Trigger {
        /// The table.
        table: QualifiedName,
        /// Trigger name.
        name: String,
    },
    /// `COMMENT ON POLICY name ON table`.
    Policy {
        /// The table.
        table: QualifiedName,
        /// Policy name.
        name: String,
    },
}

/// One change; each becomes one SQL statement.
#[derive(Debug, Clone, PartialEq)]
pub enum Change {
    /// `CREATE SCHEMA`.
    CreateSchema(Schema),
    /// `DROP SCHEMA` (its objects are dropped by earlier steps).
    DropSchema(String),
    /// `CREATE EXTENSION`.
    CreateExtension(Extension),
    /// `ALTER EXTENSION ... UPDATE TO`.
    UpdateExtension {
        /// Extension name.
        name: String,
        /// Target version.
        version: String,
    },
    /// `ALTER EXTENSION ... SET SCHEMA`.
    SetExtensionSchema {
        /// Extension name.
        name: String,
        /// Target schema.
        schema: String,
    },
    /// `DROP EXTENSION`.
    DropExtension(String),
    /// `CREATE TYPE ... AS ENUM`.
    CreateEnum(Enum),
    /// `ALTER TYPE ... ADD VALUE` (cannot be used by later statements of the same transaction).
    AddEnumValue {
        /// The enum.
        name: QualifiedName,
        /// New label.
        value: String,
        /// Where it goes.
        position: EnumPosition,
    },
    /// `ALTER TYPE ... RENAME TO` (moves an enum aside to re-create it).
    RenameType {
        /// Current name.
        name: QualifiedName,
        /// New name in the same schema.
        new_name: String,
    },
    /// `CREATE DOMAIN`.
    CreateDomain(Domain),
    /// `ALTER DOMAIN`.
    AlterDomain {
        /// The domain.
        name: QualifiedName,
        /// What changes.
        change: DomainChange,
    },
    /// `CREATE TYPE ... AS (...)`.
    CreateComposite(Composite),
    /// `ALTER TYPE ... ADD/DROP/ALTER ATTRIBUTE`.
    AlterComposite {
        /// The type.
        name: QualifiedName,
        /// What changes.
        change: CompositeChange,
    },
    /// `CREATE TYPE ... AS RANGE`.
    CreateRange(RangeType),
    /// `DROP TYPE` / `DROP DOMAIN`.
    DropType {
        /// The type.
        name: QualifiedName,
        /// Which kind (domains use `DROP DOMAIN`).
        kind: TypeKind,
    },
    /// `CREATE SEQUENCE` (ownership is set by [`Change::SetSequenceOwner`] once the table exists).
    CreateSequence(Sequence),
    /// `ALTER SEQUENCE` type and options (never `RESTART`: the current value is kept).
    AlterSequence {
        /// The sequence.
        name: QualifiedName,
        /// `AS type`.
        ty: Type,
        /// Options before.
        from: SequenceOptions,
        /// Options after.
        to: SequenceOptions,
    },
    /// `ALTER SEQUENCE ... OWNED BY`.
    SetSequenceOwner {
        /// The sequence.
        name: QualifiedName,
        /// New owner column, or `NONE`.
        owned_by: Option<ColumnRef>,
    },
    /// `DROP SEQUENCE`.
    DropSequence(QualifiedName),
    /// `CREATE TABLE` with columns, primary key, uniques, checks and exclusions inline (foreign
    /// keys and indexes are separate changes).
    CreateTable(Table),
    /// `DROP TABLE`.
    DropTable(QualifiedName),
    /// `ALTER TABLE ... ADD COLUMN`.
    AddColumn {
        /// The table.
        table: QualifiedName,
        /// The column.
        column: Column,
    },
    /// `ALTER TABLE [ONLY] ... DROP COLUMN`.
    DropColumn {
        /// The table.
        table: QualifiedName,
        /// Column name.
        column: String,
        /// `ONLY`: inheritance children keep their copy of the column (as their own).
        only: bool,
    },
    /// `ALTER TABLE ... ALTER COLUMN ... TYPE ... [COLLATE] [USING]`.
    AlterColumnType {
        /// The table.
        table: QualifiedName,
        /// Column name.
        column: String,
        /// New type.
        ty: Type,
        /// New collation (`None`: the type's default).
        collation: Option<String>,
        /// `USING` expression when no implicit or assignment cast exists.
        using: Option<String>,
    },
    /// `ALTER COLUMN ... SET NOT NULL` / `DROP NOT NULL`.
    SetNotNull {
        /// The table.
        table: QualifiedName,
        /// Column name.
        column: String,
        /// `true`: `SET NOT NULL`.
        not_null: bool,
    },
    /// `ALTER COLUMN ... SET DEFAULT` / `DROP DEFAULT`.
    SetDefault {
        /// The table.
        table: QualifiedName,
        /// Column name.
        column: String,
        /// New default.
        default: Option<String>,
    },
    /// `ALTER COLUMN ... ADD GENERATED ... AS IDENTITY`.
    AddIdentity {
        /// The table.
        table: QualifiedName,
        /// Column name.
        column: String,
        /// The column's integer type (for option defaults).
        base: String,
        /// Identity mode and options.
        identity: Identity,
    },
    /// `ALTER COLUMN ... SET GENERATED ... SET ...` (no `RESTART`: the current value is kept).
    AlterIdentity {
        /// The table.
        table: QualifiedName,
        /// Column name.
        column: String,
        /// Before.
        from: Identity,
        /// After.
        to: Identity,
    },
    /// `ALTER COLUMN ... DROP IDENTITY`.
    DropIdentity {
        /// The table.
        table: QualifiedName,
        /// Column name.
        column: String,
    },
    /// `ALTER COLUMN ... DROP EXPRESSION` (a generated column becomes a plain one, keeping data).
    DropExpression {
        /// The table.
        table: QualifiedName,
        /// Column name.
        column: String,
    },
    /// `ALTER COLUMN ... SET EXPRESSION AS (...)` (PostgreSQL 17+): the stored values are
    /// recomputed in place, the column keeps its position, comment and dependants.
    SetExpression {
        /// The table.
        table: QualifiedName,
        /// Column name.
        column: String,
        /// The new generation expression.
        expression: String,
    },
    /// A serial column becomes an identity column, continuing from the sequence's current value.
    SerialToIdentity {
        /// The table.
        table: QualifiedName,
        /// Column name.
        column: String,
        /// The column's integer type.
        base: String,
        /// Identity mode and options.
        identity: Identity,
    },
    /// An identity column becomes serial, continuing from the identity sequence's current value.
    IdentityToSerial {
        /// The table.
        table: QualifiedName,
        /// Column name.
        column: String,
        /// Serial width.
        width: SerialWidth,
    },
    /// A plain integer column becomes serial (a new owned sequence starting after `max(col)`).
    AddSerial {
        /// The table.
        table: QualifiedName,
        /// Column name.
        column: String,
        /// Serial width.
        width: SerialWidth,
    },
    /// A serial column becomes a plain integer column (default and owned sequence dropped).
    DropSerial {
        /// The table.
        table: QualifiedName,
        /// Column name.
        column: String,
    },
    /// The owned sequence of a serial column changes its type (`ALTER SEQUENCE ... AS`).
    SerialWidth {
        /// The table.
        table: QualifiedName,
        /// Column name.
        column: String,
        /// New width.
        width: SerialWidth,
    },
    /// `ADD CONSTRAINT ... PRIMARY KEY`.
    AddPrimaryKey {
        /// The table.
        table: QualifiedName,
        /// The key.
        key: PrimaryKey,
    },
    /// `ADD CONSTRAINT ... UNIQUE`.
    AddUnique {
        /// The table.
        table: QualifiedName,
        /// The constraint.
        unique: UniqueConstraint,
    },
    /// `ADD CONSTRAINT ... CHECK`.
    AddCheck {
        /// The table.
        table: QualifiedName,
        /// The constraint.
        check: Check,
    },
    /// `ADD CONSTRAINT ... EXCLUDE`.
    AddExclusion {
        /// The table.
        table: QualifiedName,
        /// The constraint.
        exclusion: Exclusion,
    },
    /// `ADD CONSTRAINT ... FOREIGN KEY`.
    AddForeignKey {
        /// The table.
        table: QualifiedName,
        /// The constraint.
        fk: ForeignKey,
    },
    /// `VALIDATE CONSTRAINT` (a `NOT VALID` constraint became valid).
    ValidateConstraint {
        /// The table.
        table: QualifiedName,
        /// Constraint name.
        name: String,
    },
    /// `DROP CONSTRAINT`.
    DropConstraint {
        /// The table.
        table: QualifiedName,
        /// Constraint name.
        name: String,
        /// Its kind.
        kind: ConstraintKind,
    },
    /// `CREATE INDEX` on a table or materialized view.
    CreateIndex {
        /// The table or materialized view.
        table: QualifiedName,
        /// The index.
        index: Index,
    },
    /// `DROP INDEX`.
    DropIndex {
        /// The table it was on.
        table: QualifiedName,
        /// Index name (in the table's schema).
        name: String,
    },
    /// `ALTER TABLE parent ATTACH PARTITION`.
    AttachPartition {
        /// The partition.
        table: QualifiedName,
        /// The partitioned table.
        parent: QualifiedName,
        /// `FOR VALUES ...` / `DEFAULT`.
        bound: String,
    },
    /// `ALTER TABLE parent DETACH PARTITION`.
    DetachPartition {
        /// The partition.
        table: QualifiedName,
        /// The partitioned table.
        parent: QualifiedName,
    },
    /// `ALTER TABLE ... INHERIT`.
    Inherit {
        /// The child.
        table: QualifiedName,
        /// The parent.
        parent: QualifiedName,
    },
    /// `ALTER TABLE ... NO INHERIT`.
    NoInherit {
        /// The child.
        table: QualifiedName,
        /// The parent.
        parent: QualifiedName,
    },
    /// `ALTER TABLE ... SET LOGGED` / `SET UNLOGGED`.
    SetUnlogged {
        /// The table.
        table: QualifiedName,
        /// `true`: `SET UNLOGGED`.
        unlogged: bool,
    },
    /// `ALTER TABLE ... ENABLE` / `DISABLE ROW LEVEL SECURITY`.
    SetRls {
        /// The table.
        table: QualifiedName,
        /// `true`: enable.
        enabled: bool,
    },
    /// `ALTER TABLE ... [NO] FORCE ROW LEVEL SECURITY`.
    ForceRls {
        /// The table.
        table: QualifiedName,
        /// `true`: force.
        forced: bool,
    },
    /// `CREATE [OR REPLACE] [MATERIALIZED] VIEW`.
    CreateView {
        /// The view.
        view: View,
        /// `OR REPLACE` (same leading columns).
        replace: bool,
    },
    /// `DROP [MATERIALIZED] VIEW`.
    DropView {
        /// The view.
        name: QualifiedName,
        /// Materialized.
        materialized: bool,
    },
    /// `CREATE [OR REPLACE] FUNCTION/PROCEDURE`.
    CreateFunction {
        /// The function.
        function: Function,
        /// `OR REPLACE` (same signature and return type).
        replace: bool,
    },
    /// `DROP FUNCTION/PROCEDURE`.
    DropFunction {
        /// Function or procedure.
        kind: FunctionKind,
        /// The overload.
        function: FunctionRef,
    },
    /// `CREATE TRIGGER` (followed by its firing state when not the default).
    CreateTrigger(Trigger),
    /// `ALTER TABLE ... ENABLE/DISABLE TRIGGER`.
    SetTriggerEnabled {
        /// The table.
        table: QualifiedName,
        /// Trigger name.
        name: String,
        /// Firing state.
        enabled: TriggerEnabled,
    },
    /// `DROP TRIGGER`.
    DropTrigger {
        /// The table.
        table: QualifiedName,
        /// Trigger name.
        name: String,
    },
    /// `CREATE POLICY`.
    CreatePolicy(Policy),
    /// `ALTER POLICY` (roles, `USING`, `WITH CHECK`).
    AlterPolicy(Policy),
    /// `DROP POLICY`.
    DropPolicy {
        /// The table.
        table: QualifiedName,
        /// Policy name.
        name: String,
    },
    /// `COMMENT ON ... IS '...'` or `IS NULL`.
    Comment {
        /// The object.
        target: CommentTarget,
        /// The new comment; `None` removes it.
        text: Option<String>,
    },
    /// `SET check_function_bodies = off`: function bodies may use objects created later in
    /// the plan (pg_dump does the same).
    SkipFunctionBodyChecks,
    /// `CREATE` / `DROP COLLATION` and friends (`kinds/collation.rs`).
    Collation(crate::kinds::collation::CollationChange),
    /// `ALTER ... OWNER TO` (`kinds/owner.rs`).
    Owner(crate::kinds::owner::OwnerChange),
    /// `GRANT` / `REVOKE` (`kinds/privilege.rs`).
    Privilege(crate::kinds::privilege::PrivilegeChange),
    /// `ALTER DEFAULT PRIVILEGES` (`kinds/default_privilege.rs`).
    DefaultPrivilege(crate::kinds::default_privilege::DefaultPrivilegeChange),
}

impl Change {
    /// The change of a kind laid out in `kinds/`, which spells and places itself.
    pub(crate) fn kind(&self) -> Option<&dyn crate::kinds::KindChange> {
        match self {
            Change::Collation(c) => Some(c),
            Change::Owner(c) => Some(c),
            Change::Privilege(c) => Some(c),
            Change::DefaultPrivilege(c) => Some(c),
            _ => None,
        }
    }

    /// Whether the change loses data that cannot be recovered from the schema alone.
    pub fn is_destructive(&self) -> bool {
        matches!(
            self,
            Change::DropTable(_)
                | Change::DropColumn { .. }
                | Change::DropSchema(_)
                | Change::DropSequence(_)
                | Change::DropExtension(_)
        )
    }

    /// Whether the statement may run inside a transaction block together with later statements.
    /// Every statement of a plan may: a label added by `ALTER TYPE ... ADD VALUE` cannot be
    /// used before the transaction commits, so a plan that uses a new label re-creates the type
    /// instead (PostgreSQL 12+ allows `ADD VALUE` itself in a transaction block).
    pub fn is_transactional(&self) -> bool {
        true
    }
}
