package nas

// ESMStatus is ESM STATUS (TS 24.301 §8.3.15), both directions.
type ESMStatus struct {
	ESMHeader
	Cause ESMCause
	Extra []RawIE
}

// esmStatusDesc is TS 24.301 table 8.3.15.1.
var esmStatusDesc = descOf[ESMStatus]{Type: TypeESMStatus, Dir: DirectionUnknown, IEs: []IE{
	{Name: "ESM cause", Format: FormatV, Presence: Mandatory, Len: 1, Field: "Cause"},
}}
