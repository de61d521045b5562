// Package hss is nbsim's Home Subscriber Server: the subscriber store the
// MME asks for authentication vectors (TS 29.272 Authentication-Information
// procedure, reduced to a Go call) and subscription data.
//
// Subscribers come from a YAML file (Parse documents the schema; the
// default one is testdata/hss/subscribers.yaml). Besides single
// subscribers the file can give an IMSI range, so that a million simulated
// devices take one entry: K is then derived per IMSI as AES-128_k("0" ‖
// IMSI) (DeriveK) unless k_rule is shared.
//
// NextAuthVector generates EPS authentication vectors with package
// security (MILENAGE, K_ASME for the serving network). Sequence numbers
// follow TS 33.102 Annex C with SQN = SEQ ‖ IND and a 5-bit IND: the HSS
// keeps the IND of the configured SQN and increments SEQ by one per vector
// (SQN += 32), which a USIM checking freshness as in Annex C.2 accepts
// vector after vector. Resync verifies AUTS (MAC-S) and moves the next SQN
// past SQN_MS when the USIM would not accept it (TS 33.102 §6.3.5).
//
// Each subscriber may carry PSM and eDRX policies (epc.PSMPolicy,
// epc.EDRXPolicy) and the PDN types it may use (TS 24.301 §9.9.4.10).
package hss
