package stripe

import (
	"encoding/json"
	"errors"
	"time"

	stripego "github.com/stripe/stripe-go/v76"
	"github.com/stripe/stripe-go/v76/webhook"

	"github.com/sentra-id/sentra/internal/langganan"
)

// Tolerance is how old a signature may be (Stripe's default, BILLING.md).
const Tolerance = 300 * time.Second

// APIVersion is the API version of stripe-go v76, the one events must have.
const APIVersion = stripego.APIVersion

// ErrSignature is an event whose signature does not verify: a wrong
// secret, a changed body, a stale timestamp, or no signature at all.
var ErrSignature = errors.New("stripe: the event's signature does not verify")

// Verify checks the raw body against the Stripe-Signature header with each
// secret in turn (the current and, while rotating, the previous one; a
// header may carry a v1= signature for each) and the 300 s tolerance, and
// returns what the sync needs of the event. An event of another API
// version verifies: the caller stores it and changes nothing.
func Verify(payload []byte, header string, secrets []string) (langganan.Event, error) {
	if len(secrets) == 0 {
		return langganan.Event{}, ErrSignature
	}
	for _, s := range secrets {
		if s == "" {
			continue
		}
		ev, err := webhook.ConstructEventWithOptions(payload, header, s,
			webhook.ConstructEventOptions{Tolerance: Tolerance, IgnoreAPIVersionMismatch: true})
		if err == nil {
			return eventOf(ev), nil
		}
	}
	return langganan.Event{}, ErrSignature
}

// Secrets are the client's webhook secrets.
func (c *Client) Secrets() []string { return c.secrets }

func eventOf(ev stripego.Event) langganan.Event {
	out := langganan.Event{ID: ev.ID, Type: string(ev.Type), Livemode: ev.Livemode, APIVersion: ev.APIVersion,
		Created: unix(ev.Created)}
	if ev.Data != nil {
		var obj struct {
			Object   string          `json:"object"`
			ID       string          `json:"id"`
			Customer json.RawMessage `json:"customer"`
		}
		if json.Unmarshal(ev.Data.Raw, &obj) == nil {
			if obj.Object == "customer" {
				out.CustomerID = obj.ID
			} else if id, ok := stripego.ParseID(obj.Customer); ok {
				out.CustomerID = id
			} else {
				var expanded struct {
					ID string `json:"id"`
				}
				if json.Unmarshal(obj.Customer, &expanded) == nil {
					out.CustomerID = expanded.ID
				}
			}
		}
	}
	return out
}
