package clinic

import "backdesk"

// toPatient is an email to a patient that opens "Hello <their name>,",
// addressed as it is stored (OutboxMessage.ToPatient).
func toPatient(patientID int64, kind, subject, body string) *backdesk.OutboxMessage {
	return &backdesk.OutboxMessage{Kind: kind, ToPatient: patientID, Subject: subject, Greeting: "Hello ", Body: ",\n\n" + body}
}
