// Package device holds the NB-IoT device's power model: the power states a
// UE moves through (PSM, idle with DRX/eDRX paging, connected with or without
// C-DRX, transmitting, receiving), the power drawn in each, and the battery
// that pays for it.
//
// Energy is accounted exactly per state interval; periodic activities that
// are too frequent to simulate one by one (paging occasions in idle mode,
// C-DRX on-durations) are folded into the state's average power, which is
// exact in expectation because their timing does not interact with anything
// else in the model.
package device
