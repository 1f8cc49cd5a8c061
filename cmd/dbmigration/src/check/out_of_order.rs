//! `out-of-order`: a migration new at TO whose version sorts before the latest one production
//! ran. What happens next is the tool's rule ([`super::tool::OutOfOrder`]).

use super::tool::OutOfOrder;
use super::{Check, Context, Finding, Severity, at_file};

/// See the module docs.
pub struct OutOfOrderCheck;

impl Check for OutOfOrderCheck {
    fn code(&self) -> &'static str {
        "out-of-order"
    }

    fn summary(&self) -> &'static str {
        "a new migration sorts before the latest migration at FROM"
    }

    fn check_histories(&self, cx: &Context<'_>, out: &mut Vec<Finding>) {
        let severity = match cx.tool.out_of_order {
            OutOfOrder::Applied => Severity::Warning,
            OutOfOrder::Refused | OutOfOrder::NeverApplied => Severity::Error,
        };
        for (m, latest) in &cx.upgrade.out_of_order {
            out.push(Finding {
                code: self.code(),
                severity,
                message: format!(
                    "{} (version {}) is new but sorts before {} (version {}), which production already ran: {}",
                    m.path.display(),
                    m.version,
                    latest.path.display(),
                    latest.version,
                    cx.tool.out_of_order_says
                ),
                location: Some(at_file(m)),
                help: "give the migration a version after the latest released one (rename the file), so every database applies it in the same order".to_owned(),
                detail: None,
            });
        }
    }
}
