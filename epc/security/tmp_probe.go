package security

import (
	"github.com/free5gc/nas/security/snow3g"
	"github.com/free5gc/nas/security/zuc"
)

var _ = snow3g.GetKeyStream
var _ = zuc.Zuc
