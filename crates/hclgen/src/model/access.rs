//! Who may do what: privileges (`GRANT`), owners (`ALTER ... OWNER TO`) and default privileges
//! (`ALTER DEFAULT PRIVILEGES`).
//!
//! Privileges are kept as the difference from what a fresh object has: an entry is either a
//! privilege granted beyond that (`revoked = false`) or a built-in one taken away
//! (`revoked = true`, e.g. `REVOKE EXECUTE ON FUNCTION f FROM PUBLIC`). An object whose ACL is
//! untouched therefore has no entries, and the owner's own privileges are never listed (they
//! move with the owner). Owners are listed only where they differ from the database's owner
//! (`pg_database.datdba`, the role migrations run as on the scratch server).

use super::{ColumnRef, FunctionRef, QualifiedName};

/// An object that has privileges or an owner.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum ObjectRef {
    /// A schema.
    Schema(String),
    /// A table (ordinary, partitioned or a partition).
    Table(QualifiedName),
    /// A view.
    View(QualifiedName),
    /// A materialized view.
    MaterializedView(QualifiedName),
    /// A sequence (standalone or owned by a serial or identity column).
    Sequence(QualifiedName),
    /// One column of a table or view (privileges only).
    Column(ColumnRef),
    /// A function.
    Function(FunctionRef),
    /// A procedure.
    Procedure(FunctionRef),
    /// An enum, composite or range type.
    Type(QualifiedName),
    /// A domain.
    Domain(QualifiedName),
}

impl ObjectRef {
    /// The schema the object lives in (the schema itself for [`ObjectRef::Schema`]).
    pub fn schema(&self) -> &str {
        match self {
            ObjectRef::Schema(s) => s,
            ObjectRef::Table(n)
            | ObjectRef::View(n)
            | ObjectRef::MaterializedView(n)
            | ObjectRef::Sequence(n)
            | ObjectRef::Type(n)
            | ObjectRef::Domain(n) => &n.schema,
            ObjectRef::Column(c) => &c.table.schema,
            ObjectRef::Function(f) | ObjectRef::Procedure(f) => &f.name.schema,
        }
    }
}

/// Who receives a privilege.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Grantee {
    /// `PUBLIC`: every role.
    Public,
    /// One role, by name (unquoted, as the catalog stores it).
    Role(String),
}

impl std::fmt::Display for Grantee {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Grantee::Public => f.write_str("PUBLIC"),
            Grantee::Role(r) => f.write_str(r),
        }
    }
}

/// One privilege keyword (the words `GRANT` takes; a fixed list, so never untrusted text).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Privilege {
    /// `SELECT`.
    Select,
    /// `INSERT`.
    Insert,
    /// `UPDATE`.
    Update,
    /// `DELETE`.
    Delete,
    /// `TRUNCATE`.
    Truncate,
    /// `REFERENCES`.
    References,
    /// `TRIGGER`.
    Trigger,
    /// `MAINTAIN` (PostgreSQL 17+).
    Maintain,
    /// `USAGE`.
    Usage,
    /// `CREATE`.
    Create,
    /// `EXECUTE`.
    Execute,
}

impl Privilege {
    /// Every privilege, in the order `GRANT` lists them.
    pub const ALL: [Privilege; 11] = [
        Privilege::Select,
        Privilege::Insert,
        Privilege::Update,
        Privilege::Delete,
        Privilege::Truncate,
        Privilege::References,
        Privilege::Trigger,
        Privilege::Maintain,
        Privilege::Usage,
        Privilege::Create,
        Privilege::Execute,
    ];

    /// The SQL keyword (`SELECT`), as `aclexplode` also prints it.
    pub fn keyword(self) -> &'static str {
        match self {
            Privilege::Select => "SELECT",
            Privilege::Insert => "INSERT",
            Privilege::Update => "UPDATE",
            Privilege::Delete => "DELETE",
            Privilege::Truncate => "TRUNCATE",
            Privilege::References => "REFERENCES",
            Privilege::Trigger => "TRIGGER",
            Privilege::Maintain => "MAINTAIN",
            Privilege::Usage => "USAGE",
            Privilege::Create => "CREATE",
            Privilege::Execute => "EXECUTE",
        }
    }

    /// The privilege a keyword names (case-insensitive).
    pub fn from_keyword(word: &str) -> Option<Privilege> {
        Privilege::ALL
            .into_iter()
            .find(|p| p.keyword().eq_ignore_ascii_case(word))
    }
}

/// One privilege of one grantee on one object, beyond or short of what a fresh object has.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Permission {
    /// The object.
    pub object: ObjectRef,
    /// Who holds (or lost) the privilege.
    pub grantee: Grantee,
    /// The privilege.
    pub privilege: Privilege,
    /// `WITH GRANT OPTION`.
    pub grantable: bool,
    /// A privilege a fresh object gives (`EXECUTE` on functions, `USAGE` on types to
    /// `PUBLIC`) that was revoked.
    pub revoked: bool,
}

/// The owner of one object, when it is not the database's owner.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Owner {
    /// The object (never a column).
    pub object: ObjectRef,
    /// The owning role.
    pub role: String,
}

/// Which objects a default privilege applies to (`ALTER DEFAULT PRIVILEGES ... ON <kind>`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum DefaultObjects {
    /// `TABLES` (tables and views).
    Tables,
    /// `SEQUENCES`.
    Sequences,
    /// `FUNCTIONS` (functions and procedures).
    Functions,
    /// `TYPES` (and domains).
    Types,
    /// `SCHEMAS` (only without `IN SCHEMA`).
    Schemas,
}

impl DefaultObjects {
    /// Every kind, in catalog order.
    pub const ALL: [DefaultObjects; 5] = [
        DefaultObjects::Tables,
        DefaultObjects::Sequences,
        DefaultObjects::Functions,
        DefaultObjects::Types,
        DefaultObjects::Schemas,
    ];

    /// The SQL keyword (`TABLES`).
    pub fn keyword(self) -> &'static str {
        match self {
            DefaultObjects::Tables => "TABLES",
            DefaultObjects::Sequences => "SEQUENCES",
            DefaultObjects::Functions => "FUNCTIONS",
            DefaultObjects::Types => "TYPES",
            DefaultObjects::Schemas => "SCHEMAS",
        }
    }

    /// The kind a keyword names (case-insensitive).
    pub fn from_keyword(word: &str) -> Option<DefaultObjects> {
        DefaultObjects::ALL
            .into_iter()
            .find(|k| k.keyword().eq_ignore_ascii_case(word))
    }
}

/// One default privilege (`pg_default_acl`), beyond or short of the built-in defaults.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct DefaultPermission {
    /// `FOR ROLE`: objects this role creates get the privilege.
    pub role: String,
    /// `IN SCHEMA`; `None` for the role's defaults everywhere.
    pub schema: Option<String>,
    /// Which objects.
    pub on: DefaultObjects,
    /// Who receives the privilege.
    pub grantee: Grantee,
    /// The privilege.
    pub privilege: Privilege,
    /// `WITH GRANT OPTION`.
    pub grantable: bool,
    /// A built-in default (`EXECUTE` on functions, `USAGE` on types to `PUBLIC`) revoked
    /// (`ALTER DEFAULT PRIVILEGES REVOKE ...`; only without `IN SCHEMA`).
    pub revoked: bool,
}
