//! Feeds arbitrary input to the share-link decoder. Decoding must return a report or an error
//! for every input and never panic, and a decoded report must encode and decode to itself.
//!
//! Half the inputs are used as link text as pasted (read by `decode_link`, which also finds the
//! payload in a URL or fragment); the other half are base64url-encoded first,
//! so the fuzzer also reaches the version byte, the inflater and the postcard decoder instead of
//! stopping at the base64 alphabet.

#![no_main]

use acr_health_core::share;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use base64::Engine;
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let Some((&mode, rest)) = data.split_first() else {
        return;
    };
    let payload = if mode % 2 == 0 {
        match std::str::from_utf8(rest) {
            Ok(text) => text.to_owned(),
            Err(_) => return,
        }
    } else {
        URL_SAFE_NO_PAD.encode(rest)
    };

    let decoded = if mode % 2 == 0 {
        share::decode_link(&payload)
    } else {
        share::decode(&payload)
    };
    if let Ok(report) = decoded {
        let again = share::decode(&share::encode(&report)).expect("a re-encoded report decodes");
        assert_eq!(again, report);
    }
});
