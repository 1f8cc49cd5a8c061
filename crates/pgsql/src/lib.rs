//! PostgreSQL's lexical rules, in one place for the whole workspace: every crate that scans,
//! splits or writes SQL text goes through here, so a rule (a comment ends at CR too, a tag
//! cannot start with a digit, `name` is an unreserved keyword) is right everywhere or wrong
//! everywhere, and tested once.
//!
//! - [`Lexer`] / [`tokens`]: tokens with byte spans, as PostgreSQL's scanner sees them.
//! - [`split()`]: statements where psql ends them; [`Boundary`] for callers that lex themselves.
//! - [`quote_ident`], [`quote_literal`], [`dollar_tag`] / [`dollar_quote`]: writing names,
//!   values and bodies that read back exactly.
//! - [`line_comment`], [`block_comment`]: comments nothing can break out of.
//! - [`lines`]: lines as PostgreSQL ends them (LF, CR LF, lone CR).
//! - [`is_parenthesized`], [`split_top_level_commas`], [`find_top_level_word`]: structure of
//!   expressions, on tokens.
//! - [`reject_nul`]: PostgreSQL text cannot hold NUL.
//!
//! A leaf crate: it depends on no other crate of the workspace.

mod expr;
mod keywords;
mod lex;
mod quote;
mod split;
mod text;
mod unescape;

pub use expr::{find_top_level_word, is_parenthesized, split_top_level_commas};
pub use keywords::{KeywordCategory, keyword};
pub use lex::{Lexer, Token, TokenKind, tokens};
pub use quote::{NulError, dollar_quote, dollar_tag, quote_ident, quote_literal, reject_nul};
pub use split::{Boundary, Split, Statement, Unterminated, split};
pub use text::{Lines, block_comment, is_unsafe_char, line_comment, lines, single_line};
