//! What differs between Unix and Windows, one file per concern, each with both implementations
//! (the program is built for these two only). The rest of the crate calls these and needs no `cfg`.

pub mod file_id;
pub mod network;
pub mod permissions;
pub mod processes;
pub mod replace;
pub mod signals;
pub mod user;
