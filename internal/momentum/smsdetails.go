package momentum

import "encoding/json"

type smsDetails struct {
	Recipients []SMSRecipientRecord `json:"recipients"`
}

func decodeSMSDetails(s string) (smsDetails, error) {
	var d smsDetails
	if s == "" {
		return d, nil
	}
	err := json.Unmarshal([]byte(s), &d)
	return d, err
}
