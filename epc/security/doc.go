// Package security is nbsim's EPS security: subscriber authentication
// (EPS AKA), key derivation and NAS message protection, on both the network
// (HSS/MME) and the UE (USIM/ME) side.
//
//   - MILENAGE (TS 35.206 §4): f1, f1*, f2, f3, f4, f5, f5* and OPc from OP,
//     on crypto/aes. Checked against the test sets of TS 35.207 §4–6 and
//     TS 35.208 §4.3.
//   - EPS AKA (TS 33.401 §6.1, TS 33.102 §6.3): authentication vector
//     generation (RAND, XRES, AUTN = SQN ⊕ AK ‖ AMF ‖ MAC, K_ASME), the USIM
//     checks (MAC failure, the AMF separation bit of TS 33.401 §6.1.1, and
//     sequence number freshness with SQN = SEQ ‖ IND as in TS 33.102
//     Annex C.2, giving a synch failure with AUTS = SQN_MS ⊕ AK* ‖ MAC-S),
//     and the network side of re-synchronisation (SQN_MS from AUTS and the
//     MAC-S check, TS 33.102 §6.3.5).
//   - Key derivation (TS 33.401 Annex A with the KDF of TS 33.220 Annex
//     B.2, HMAC-SHA-256): K_ASME (A.2, FC 0x10, serving network identity
//     encoded as in TS 24.301 §9.9.3.32), K_eNB (A.3, FC 0x11, uplink NAS
//     COUNT) and K_NASenc/K_NASint (A.7, FC 0x15, algorithm type
//     distinguisher 0x01/0x02 and algorithm identity, the 128 least
//     significant bits of the output).
//   - The NAS algorithms (TS 33.401 Annex B): 128-EEA0..3 and 128-EIA0..3
//     with bit-exact lengths. SNOW 3G and ZUC keystreams come from
//     github.com/free5gc/nas/security/snow3g and .../zuc; 128-EEA2 is
//     AES-CTR and 128-EIA2 AES-CMAC on crypto/aes with the expanded key
//     kept per context. (The wrappers of github.com/free5gc/nas/security
//     itself are not used: that package needs github.com/aead/cmac, which
//     this module's go.mod does not list; free5gc_crosscheck_test.go
//     compares against them when built with -tags free5gc_nas.)
//   - NAS security (TS 24.301 §4.4, §9.1; TS 33.401 §8): a per-UE Context
//     that builds and opens security protected NAS messages with the NAS
//     COUNT (16-bit overflow ‖ 8-bit sequence number) of each direction,
//     estimates the received NAS COUNT from its sequence number
//     (§4.4.3.1), and rejects MAC failures, replays and unprotected
//     messages after security mode control.
//
// The bit lengths, byte orders and test data follow TS 33.401 Annex C
// (128-EEA1/EIA1 C.3/C.4, 128-EEA2/EIA2 C.1/C.2) and TS 35.222/35.223
// (128-EEA3/EIA3).
package security
