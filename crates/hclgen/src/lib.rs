//! The schema model and its faces:
//!
//! ```text
//! live PostgreSQL ──inspect──▶ Database ──render──▶ HCL text
//!                                 ▲                   │
//!                                 └──────parse────────┘
//! ```
//!
//! `inspect` runs a fixed handful of bulk catalog queries (one per object kind, kept as `.sql`
//! files); `render` writes Atlas's PostgreSQL HCL format deterministically; `parse` reads our HCL
//! and Atlas's back into the same model.

pub mod error;
pub mod inspect;
pub mod model;
pub mod parse;
pub mod render;
mod types;

pub use error::ParseError;
pub use inspect::{InspectError, InspectOptions, inspect};
pub use model::*;
pub use parse::parse;
pub use render::render;
