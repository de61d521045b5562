// Package gpp holds, once, the 3GPP primitives that the codecs, the core,
// the model, the decoder and the module share. It imports only the
// standard library and nothing in nbsim imports below it.
//
// What it holds and where each comes from:
//
//   - PLMN identity: 3 octets, MCC digit 2|1, MNC digit 3|MCC digit 3,
//     MNC digit 2|1, MNC digit 3 = 1111 for a two-digit MNC
//     (TS 24.008 §10.5.1.13, TS 24.301 §9.9.3.32, TS 36.413 §9.2.3.8,
//     TS 33.401 A.2 for the serving network identity).
//   - TBCD digit packing (TS 29.002 §17.7.8 TBCD-STRING) and the BCD
//     digits of a mobile identity (TS 24.008 §10.5.1.4), with the filler
//     rule stated at [AppendTBCD] and [DecodeTBCD].
//   - GPRS timer, GPRS timer 2 and GPRS timer 3 units and values
//     (TS 24.008 §10.5.7.3, §10.5.7.4, §10.5.7.4a), "deactivated"
//     included, and the octet nearest a duration.
//   - Extended DRX cycles and paging time windows of NB-S1 mode
//     (TS 24.008 §10.5.5.32, Table 10.5.5.32; cycle lengths as TS 36.304
//     §7.3 uses them), with the codes nearest a cycle and a window.
//   - EMM and ESM cause names (TS 24.301 §9.9.3.9, §9.9.4.4, Annex A).
//   - S1AP elementary procedure message names (TS 36.413 §9.1, as
//     Wireshark writes them) and Cause group and value names (TS 36.413
//     §9.2.1.3).
package gpp
