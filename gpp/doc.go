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
//   - TBCD digit packing (TS 29.002 §17.7.8 TBCD-STRING: the IMSI of S1AP
//     UE Paging Identity, TS 36.413 §9.2.3.11) and the BCD digits of a
//     mobile identity (TS 24.008 §10.5.1.4, which puts digit 1 in the
//     identity's first octet and packs the rest the same way). The rule,
//     once for every caller: two digits an octet, the first in bits 4-1;
//     an odd number of digits ends with the filler 1111 in bits 8-5 of the
//     last octet (TS 29.002 "filler", TS 24.008 Figure 10.5.4 "end mark");
//     digits are decimal (TS 29.002's *, #, a, b, c, nibbles 1010-1110,
//     have no place in an IMSI and are refused); decoding stops at the
//     first filler, and a filler anywhere else (a low nibble, or an octet
//     after it) is misplaced: [DecodeTBCD] returns the digits before it
//     with [ErrTBCDFiller], so a tolerant caller may keep them.
//   - GPRS timer, GPRS timer 2 and GPRS timer 3 units and values
//     (TS 24.008 §10.5.7.3, §10.5.7.4, §10.5.7.4a), "deactivated"
//     included, and the octet nearest a duration.
//   - Extended DRX cycles and paging time windows of NB-S1 mode
//     (TS 24.008 §10.5.5.32, Table 10.5.5.32; cycle lengths as TS 36.304
//     §7.3 uses them), with the codes nearest a cycle and a window.
//   - EMM and ESM cause names (TS 24.301 §9.9.3.9, §9.9.4.4, Annexes A
//     and B).
//   - S1AP elementary procedure message names (TS 36.413 §9.1, as
//     Wireshark writes them) and Cause group and value names (TS 36.413
//     §9.2.1.3).
package gpp
