//! Agendas: the TOML schema, validation with file/line/column, and the embedded default.

use serde::{Deserialize, Serialize};

/// What a section captures.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum SectionKind {
    /// Free notes (opening, what went well, impact, close).
    Notes,
    /// Timeline events with a time and a source.
    Timeline,
    /// Contributing factors with tags.
    Factors,
    /// Action items with owner, priority, due date, ticket.
    Actions,
    /// Review of the parked tangents.
    ParkingLot,
}

/// One validated agenda section.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Section {
    /// Unique id within the agenda.
    pub id: String,
    /// Title shown to the room.
    pub title: String,
    /// What the section captures.
    pub kind: SectionKind,
    /// The timebox, in whole seconds (always > 0).
    pub timebox_secs: u64,
    /// Questions shown to the room.
    #[serde(default)]
    pub prompts: Vec<String>,
}

/// A validated agenda.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Agenda {
    /// Name of the agenda.
    pub name: String,
    /// Optional description.
    #[serde(default)]
    pub description: Option<String>,
    /// The word that parks a tangent.
    pub safeword: String,
    /// Ground rules stated at the opening.
    #[serde(default)]
    pub ground_rules: Vec<String>,
    /// Sections in order (never empty).
    pub sections: Vec<Section>,
}
