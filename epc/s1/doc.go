// Package s1 is the S1AP layer between eNodeBs and nbsim's MME state
// machine (epc/mme): the S1-MME elementary procedures of TS 36.413 §8 that
// an NB-IoT core using the control-plane CIoT optimisation needs, on top of
// the codec (epc/s1ap) and the transport (epc/s1mme).
//
// # MME side
//
// MMEServer is a state machine without I/O or clock, like the MME it wraps:
// HandleS1AP takes one S1AP PDU from an eNB association (an EnbID the
// caller chooses) and returns the PDUs to send (Out, with the SCTP stream:
// 0 for non-UE-associated signalling, 1 for UE-associated, TS 36.412 §7).
//
//   - S1 Setup (§8.7.3): answered with S1 Setup Response (served GUMMEI of
//     the MME's PLMN, MME group ID, MME code, relative capacity) when one of
//     the eNB's supported TAs broadcasts the MME's PLMN, else S1 Setup
//     Failure with cause misc unknown-PLMN. The TACs the eNB declares (and
//     which are NB-IoT, RAT-Type nbiot) are kept for paging. A repeated S1
//     Setup, or one with the Global eNB ID of another association, resets
//     the UE connections of the earlier one.
//   - Initial UE Message (§8.6.2.1): a new UE-associated logical S1
//     connection, MME UE S1AP ID = the MME's UEID. An S-TMSI in the message
//     (an idle UE's service request or TAU) finds the UE's context.
//   - Uplink / Downlink NAS Transport (§8.6.2.2-3): the NAS of the MME.
//   - UE Context Release (§8.3.3): the MME's Release effects become UE
//     Context Release Command (cause NAS normal-release, detach,
//     authentication-failure or unspecified); a UE Context Release Request
//     from the eNB (e.g. radio user-inactivity) is answered with a Command
//     of the same cause; UE Context Release Complete ends the connection
//     and tells the MME the UE is in ECM-IDLE.
//   - Paging (§8.5): a Page effect becomes a Paging message to every eNB
//     that declared the UE's TAC (the TAC it last connected from and the
//     MME's TAI-list TAC), with UE identity index value IMSI mod 1024, for
//     NB-IoT TAs the NB-IoT UE identity index value IMSI mod 4096, UE paging
//     identity S-TMSI (IMSI before one is known) and CN domain PS.
//   - Reset (§8.7.1) of the whole interface is acknowledged and releases
//     the eNB's UE connections.
//   - Error handling (§10): a PDU that does not decode, a procedure the
//     MME does not serve, a message before S1 Setup, missing mandatory IEs
//     or unknown UE S1AP IDs get an Error Indication with the matching
//     cause (nothing for an unknown procedure of criticality ignore), and
//     are counted in Counters.Errors.
//   - ENBLost: the association is gone; its UEs are released (ECM-IDLE)
//     once, whatever arrives later.
//
// Uplink user data (the MME's Deliver effects) goes to MMEServer.OnDeliver
// (the SGi side); HandleDownlink takes data from SGi.
//
// S-TMSI: the MME allocates no GUTI (the simulated devices always attach
// with their IMSI), so the S-TMSI of a registered UE is the MME code of
// this MME with M-TMSI = MTMSI(IMSI), the IMSI modulo 2^32 — unique within
// any block of 2^32 consecutive IMSIs, as a simulation needs. The eNB side
// (ENB) puts it into Initial UE Messages of registered devices and matches
// it in Paging.
//
// # Transport
//
// Serve runs an MMEServer on an s1mme.Listener: one reading goroutine per
// association, every call into the MMEServer under one mutex (the MME is
// single-threaded), one writing goroutine per association so a slow eNB
// does not hold the others up. Server.Downlink injects SGi data.
//
// The Server turns on the MME's procedure timers and ticks them
// (MMEServer.Tick) every ServerConfig.TickInterval: UE contexts whose
// attach does not complete are freed with their connections. Every call
// into the MMEServer recovers a panic: it is counted by cause
// (Server.Stats), logged (rate-limited), and the UE the PDU names is
// dropped (MMEServer.DropUE), or the association closed when it names
// none. Accept errors are retried with a back-off; associations are
// bounded (MaxAssociations) and must complete S1 Setup within
// SetupTimeout; what the ASN.1 library logs goes to the server's
// rate-limited log (s1ap.SetLibraryLog).
//
// # eNB side
//
// ENB is a simulated eNodeB on a real S1-MME association: DialENB does the
// S1 Setup (supported TA with RAT-Type nbiot), AttachDevice and SendData
// drive simulated devices (epc/uenas) through Initial UE Message and
// Uplink NAS Transport; it answers Downlink NAS Transport with the device's
// NAS, UE Context Release Command with Complete, Paging with the device's
// control plane service request, and Initial Context Setup Request with a
// Response (it keeps K_eNB). RemoteCore answers Initial Context Setup the
// same way.
//
// # Not implemented
//
// S1-U (GTP-U: Initial Context Setup sets up the E-RAB, but user-plane
// data is not carried), handover, eNB/MME Configuration Update, Overload,
// NAS Non Delivery handling beyond counting, and detecting a silently dead
// association (the transport reports only an orderly or aborted end).
package s1
