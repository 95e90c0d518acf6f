//! The meeting core: events, the fold that turns them into state, and the rules of the room.

pub mod quick;
