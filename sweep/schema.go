package sweep

import _ "embed"

// SchemaJSON is the JSON Schema of a campaign file (draft 2020-12), for
// editors (`nbsim schema campaign`). It is written by hand; TestCampaignSchema
// keeps it to the parser's keys and checks both on good and bad campaigns.
//
//go:embed schema/campaign.schema.json
var SchemaJSON []byte
