//! Where sessions live. Its own test binary: it changes the environment,
//! which no other test may observe.
#![allow(unsafe_code)] // set_var is unsafe; the SAFETY notes say why it holds here.

use hotwash::journal::{Header, SessionStore};

#[test]
fn hotwash_dir_overrides_the_data_directory_and_empty_means_unset() {
    let tmp = tempfile::tempdir().expect("tempdir");
    let custom = tmp.path().join("custom");
    let xdg = tmp.path().join("xdg");
    // SAFETY: this binary runs this one test, so no other thread reads the
    // environment meanwhile.
    unsafe {
        std::env::set_var("HOTWASH_DIR", &custom);
        std::env::set_var("XDG_DATA_HOME", &xdg);
    }
    let store = SessionStore::from_env().expect("store");
    assert_eq!(store.root(), custom);
    let session = store
        .create(&Header::new(chrono::Utc::now(), "env", "default"))
        .expect("create");
    assert!(session.dir.starts_with(custom.join("sessions")));

    unsafe { std::env::set_var("HOTWASH_DIR", "") };
    let store = SessionStore::from_env().expect("store");
    #[cfg(target_os = "linux")]
    assert_eq!(store.root(), xdg.join("hotwash"));
    assert_ne!(store.root(), custom);

    unsafe { std::env::remove_var("HOTWASH_DIR") };
    let store = SessionStore::from_env().expect("store");
    assert_ne!(store.root(), custom);
}
