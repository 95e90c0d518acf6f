//! PagerDuty's bias table ("Blameless Postmortems: How to Actually Do
//! Them"): the cognitive biases that creep into a postmortem, each with
//! the countermeasure the facilitator can use.

use serde::{Deserialize, Serialize};

/// A bias the room can fall into.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Bias {
    /// Knowing the outcome makes it look predictable.
    Hindsight,
    /// Judging a decision by how it turned out.
    Outcome,
    /// Looking for what confirms what we already believe.
    Confirmation,
    /// Blaming the person rather than the situation.
    FundamentalAttribution,
    /// Dwelling on what went wrong, missing what went right.
    Negativity,
    /// Arguing about what could have happened instead.
    Counterfactual,
}

impl Bias {
    /// Every bias, in PagerDuty's order.
    pub const ALL: [Bias; 6] = [
        Bias::Hindsight,
        Bias::Outcome,
        Bias::Confirmation,
        Bias::FundamentalAttribution,
        Bias::Negativity,
        Bias::Counterfactual,
    ];

    /// The name written in an agenda's `biases = [...]`.
    pub fn name(self) -> &'static str {
        match self {
            Bias::Hindsight => "hindsight",
            Bias::Outcome => "outcome",
            Bias::Confirmation => "confirmation",
            Bias::FundamentalAttribution => "fundamental-attribution",
            Bias::Negativity => "negativity",
            Bias::Counterfactual => "counterfactual",
        }
    }

    /// The bias by an agenda's name for it (the full names are accepted too).
    pub fn from_name(name: &str) -> Option<Bias> {
        let n = name.trim().to_lowercase().replace([' ', '_'], "-");
        let n = n.strip_suffix("-bias").unwrap_or(&n);
        let n = n.strip_suffix("-thinking").unwrap_or(n);
        let n = n.strip_suffix("-error").unwrap_or(n);
        Bias::ALL.into_iter().find(|b| b.name() == n)
    }

    /// The names, for messages.
    pub fn names() -> String {
        Bias::ALL.map(Bias::name).join(", ")
    }

    /// Its name where room is short (beside a section's prompts).
    pub fn short(self) -> &'static str {
        match self {
            Bias::FundamentalAttribution => "attribution",
            other => other.name(),
        }
    }

    /// Its title on the card.
    pub fn title(self) -> &'static str {
        match self {
            Bias::Hindsight => "Hindsight bias",
            Bias::Outcome => "Outcome bias",
            Bias::Confirmation => "Confirmation bias",
            Bias::FundamentalAttribution => "Fundamental attribution error",
            Bias::Negativity => "Negativity bias",
            Bias::Counterfactual => "Counterfactual thinking",
        }
    }

    /// What it is, in a sentence.
    pub fn what(self) -> &'static str {
        match self {
            Bias::Hindsight => "Knowing how it ended makes it look obvious and predictable.",
            Bias::Outcome => {
                "Judging a decision by its result, not by what was known when it was made."
            }
            Bias::Confirmation => "Seeking and favouring what confirms what we already believe.",
            Bias::FundamentalAttribution => {
                "Explaining what someone did by who they are, not by their situation."
            }
            Bias::Negativity => "Weighing what went wrong far above what went right.",
            Bias::Counterfactual => "Arguing about what could have happened instead of what did.",
        }
    }

    /// The countermeasure.
    pub fn counter(self) -> &'static str {
        match self {
            Bias::Hindsight => {
                "Start the timeline before the incident; ask what was known at each moment."
            }
            Bias::Outcome => {
                "Ask whether the same decision would be questioned had it turned out well."
            }
            Bias::Confirmation => {
                "Ask what evidence would change our minds; seek the data that disagrees."
            }
            Bias::FundamentalAttribution => {
                "Ask what made that action the sensible one at the time: tools, pressure, information."
            }
            Bias::Negativity => "Spend time on what went well and where we got lucky.",
            Bias::Counterfactual => {
                "Describe what did happen; say \"what made it likely\", not \"what could have\"."
            }
        }
    }
}

impl std::fmt::Display for Bias {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.name())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_bias_has_a_card_and_reads_from_its_name() {
        assert_eq!(Bias::ALL.len(), 6);
        for b in Bias::ALL {
            assert_eq!(Bias::from_name(b.name()), Some(b));
            assert!(!b.what().is_empty() && !b.counter().is_empty());
        }
        assert_eq!(Bias::from_name("Hindsight bias"), Some(Bias::Hindsight));
        assert_eq!(
            Bias::from_name("fundamental attribution error"),
            Some(Bias::FundamentalAttribution)
        );
        assert_eq!(
            Bias::from_name("Counterfactual thinking"),
            Some(Bias::Counterfactual)
        );
        assert_eq!(Bias::from_name("anchoring"), None);
    }
}
