package nas

// EMMStatus is EMM STATUS (TS 24.301 §8.2.14), both directions.
type EMMStatus struct {
	Cause EMMCause
	Extra []RawIE
}

// emmStatusDesc is TS 24.301 table 8.2.14.1.
var emmStatusDesc = descOf[EMMStatus]{Type: TypeEMMStatus, Dir: DirectionUnknown, IEs: []IE{
	{Name: "EMM cause", Format: FormatV, Presence: Mandatory, Len: 1, Field: "Cause"},
}}

// EMMInformation is EMM INFORMATION (TS 24.301 §8.2.13), network to UE.
// The network names and times are kept as their octets (TS 24.008
// §10.5.3.5a, §10.5.3.8, §10.5.3.9, §10.5.3.12).
type EMMInformation struct {
	FullNetworkName               []byte
	ShortNetworkName              []byte
	LocalTimeZone                 []byte
	UniversalTimeAndLocalTimeZone []byte
	NetworkDaylightSavingTime     []byte
	Extra                         []RawIE
}

// emmInformationDesc is TS 24.301 table 8.2.13.1.
var emmInformationDesc = descOf[EMMInformation]{Type: TypeEMMInformation, Dir: Downlink, IEs: []IE{
	{IEI: 0x43, Name: "full name for network", Format: FormatTLV, Presence: Optional, Field: "FullNetworkName"},
	{IEI: 0x45, Name: "short name for network", Format: FormatTLV, Presence: Optional, Field: "ShortNetworkName"},
	{IEI: 0x46, Name: "local time zone", Format: FormatTV, Presence: Optional, Len: 2, Field: "LocalTimeZone"},
	{IEI: 0x47, Name: "universal time and local time zone", Format: FormatTV, Presence: Optional, Len: 8, Field: "UniversalTimeAndLocalTimeZone"},
	{IEI: 0x49, Name: "network daylight saving time", Format: FormatTLV, Presence: Optional, Field: "NetworkDaylightSavingTime"},
}}
