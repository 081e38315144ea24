//! Raw deflate against a preset dictionary: text that most reports contain, so that even its
//! first occurrence in a payload costs a back-reference instead of literal bytes.
//!
//! The encoder compresses the dictionary, flushes to a byte boundary, drops that output and then
//! compresses the report. The decoder starts with the dictionary already in its output window.
//! On the typical report of the tests this shrinks the compressed wire form by about a fifth.
//!
//! Changing [`DICTIONARY`] changes what every payload means, so it requires a new
//! [`super::PAYLOAD_VERSION`], and the old dictionary stays for the links made with it.

use miniz_oxide::deflate::core::{
    compress_to_output, create_comp_flags_from_zip_params, CompressorOxide, TDEFLFlush, TDEFLStatus,
};
use miniz_oxide::inflate::core::inflate_flags::TINFL_FLAG_USING_NON_WRAPPING_OUTPUT_BUF;
use miniz_oxide::inflate::core::{decompress, DecompressorOxide};
use miniz_oxide::inflate::TINFLStatus;

/// Words of the registry and environment findings, evidence labels, headers and URLs, roughly
/// least frequent first, because nearer text costs fewer bits to refer to. Payload version 2
/// used these alone.
macro_rules! registry_words {
    () => {
        "\
CommandFoundCommandNotFoundVersionFoundDaemonReachableDnsResolvedProxyNoneTlsEstablished\
NotaryAbsentPullNeedsConsentSkippedNoCommandmajorminorpatchversionplatformlinux/amd64\
/usr/bin/dockerhelmnotarycommandexit_statusoutputDocker version , build \
Environmenttoken_grantedrefresh_token_issuedclock_in_syncclock_skeweddate_headersourceserver_ms\
local_msdata_path_worksblob_urlendpointredirectedmanifest_not_foundforbiddenclient_ip\
request_failedunreachablefailurenetworktimed_outafter_mscors_blockedcors_readableskipped_cors_blocked\
skipped_after_failurechallenge_issuedlogin_serverAzureCloudcustom.azurecr.ioChrome \
content-typeapplication/jsondocker-distribution-api-versionregistry/2.0x-ms-correlation-request-id\
{\"errors\":[{\"code\":\"UNAUTHORIZED\",\"message\":\"authentication required\",\"detail\":\
www-authenticateBearer realm=\"\",service=\"\",scope=\"repository:hello-world:pull\"\
/oauth2/exchange/oauth2/token?service=&scope=repository%3Ahello-world%3Apullrefresh_token\
expires_at_msgrantedflowscopepullelapsed_mslocationstatusdate GMT, Dec 2026 Registrykindurl\
http://127.0.0.1:https:///v2/hello-world/manifests/latest/v2/hello-world/blobs/sha256:/v2/"
    };
}

/// Words of the ARM checks, which fewer reports contain than those of [`registry_words`].
macro_rules! arm_words {
    () => {
        "cmk_identity_deletedcmk_identity_presentprivate_dns_mismatchprivate_dns_matches\
private_endpoints_listedpublic_access_disabledno_permissionregistry_not_foundclient_denied\
client_allowednetwork_openclient_idkey_identifieridentity_typeprivate_dns\
Armtoken_acceptedtenantregistry_foundsubscriptionskuPremiumadmin_user_enabled\
anonymous_pull_enabledno_private_endpointsnot_encryptedclient_admittedclient_ip_unknown\
rulesrule_countforbidden_seenin_browserdata_hostaudhttps://management.azure.com/\
resource_id/subscriptions//resourceGroups//providers/Microsoft.ContainerRegistry/registries/\
locationdata_endpointpublic_network_accessEnableddefault_actionDenyip_rule"
    };
}

/// The dictionary of the current payload version: the words of the ARM checks, then those of
/// version 2.
pub(super) const DICTIONARY: &[u8] = concat!(arm_words!(), registry_words!()).as_bytes();

/// The dictionary of payload version 2, kept so that links made with it still open. It is the
/// end of [`DICTIONARY`], so the page stores its words once.
pub(super) const DICTIONARY_V2: &[u8] = DICTIONARY.split_at(arm_words!().len()).1;

/// Returns the dictionary of a payload version, or `None` for a version this build cannot
/// read.
pub(super) fn for_version(version: u8) -> Option<&'static [u8]> {
    match version {
        super::OLDEST_PAYLOAD_VERSION => Some(DICTIONARY_V2),
        super::PAYLOAD_VERSION => Some(DICTIONARY),
        _ => None,
    }
}

/// Compresses `data` as raw deflate against [`DICTIONARY`].
pub(super) fn compress(data: &[u8]) -> Vec<u8> {
    compress_with(data, DICTIONARY)
}

/// Compresses `data` as raw deflate against `dictionary`.
pub(super) fn compress_with(data: &[u8], dictionary: &[u8]) -> Vec<u8> {
    let flags = create_comp_flags_from_zip_params(10, 0, 0);
    let mut compressor = CompressorOxide::new(flags);

    // Prime the window with the dictionary; the decoder has it already, so its output is dropped.
    let (status, read) =
        compress_to_output(&mut compressor, dictionary, TDEFLFlush::Sync, |_| true);
    assert_eq!(status, TDEFLStatus::Okay, "priming the compressor failed");
    assert_eq!(
        read,
        dictionary.len(),
        "the compressor read the whole dictionary"
    );

    let mut out = Vec::new();
    let (status, read) = compress_to_output(&mut compressor, data, TDEFLFlush::Finish, |chunk| {
        out.extend_from_slice(chunk);
        true
    });
    assert_eq!(status, TDEFLStatus::Done, "compressing into memory failed");
    assert_eq!(read, data.len(), "the compressor read all input");
    out
}

/// Decompresses what [`compress_with`] produced with the same dictionary. Fails with
/// `HasMoreOutput` when the data expands past `limit` bytes, and with another status when it is
/// damaged or cut short.
pub(super) fn decompress_with_limit(
    compressed: &[u8],
    dictionary: &[u8],
    limit: usize,
) -> Result<Vec<u8>, TINFLStatus> {
    let start = dictionary.len();
    let mut out = vec![0; start + compressed.len().saturating_mul(4).clamp(1024, limit)];
    out[..start].copy_from_slice(dictionary);

    // The whole buffer is one non-wrapping window, so back-references reach into the dictionary.
    let mut decompressor = DecompressorOxide::new();
    let mut input = compressed;
    let mut out_pos = start;
    loop {
        let (status, read, written) = decompress(
            &mut decompressor,
            input,
            &mut out,
            out_pos,
            TINFL_FLAG_USING_NON_WRAPPING_OUTPUT_BUF,
        );
        input = &input[read..];
        out_pos += written;

        match status {
            TINFLStatus::Done => {
                out.truncate(out_pos);
                out.drain(..start);
                return Ok(out);
            }
            TINFLStatus::HasMoreOutput => {
                let produced = out_pos - start;
                if produced >= limit {
                    return Err(TINFLStatus::HasMoreOutput);
                }
                let grown = (produced * 2).clamp(1024, limit);
                out.resize(start + grown, 0);
            }
            other => return Err(other),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn version_2_dictionary_is_the_registry_words() {
        assert_eq!(DICTIONARY_V2, registry_words!().as_bytes());
    }

    #[test]
    fn dictionary_is_the_arm_words_then_version_2() {
        assert_eq!(
            DICTIONARY,
            [arm_words!().as_bytes(), DICTIONARY_V2].concat().as_slice()
        );
    }
}
