package service

import (
	"bytes"
	"context"
	"encoding/base64"
	"encoding/json"
	"fmt"
	"hash/fnv"
	"strconv"
	"strings"

	"github.com/stepwise-run/stepwise/arn"
	"github.com/stepwise-run/stepwise/history"
	"github.com/stepwise-run/stepwise/store"
)

// GetExecutionHistoryInput is the request of GetExecutionHistory.
type GetExecutionHistoryInput struct {
	ExecutionArn string `json:"executionArn"`
	// MaxResults is the page size: 0 means 100, at most 1000.
	MaxResults   int    `json:"maxResults,omitempty"`
	ReverseOrder bool   `json:"reverseOrder,omitempty"`
	NextToken    string `json:"nextToken,omitempty"`
	// IncludeExecutionData, when false, leaves inputs, outputs and task
	// parameters out of the events. Nil means true.
	IncludeExecutionData *bool `json:"includeExecutionData,omitempty"`
}

// GetExecutionHistoryOutput is the response of GetExecutionHistory. Each
// event is the JSON encoding of a history.Event (without its data when
// IncludeExecutionData was false).
type GetExecutionHistoryOutput struct {
	Events    []json.RawMessage `json:"events"`
	NextToken string            `json:"nextToken,omitempty"`
}

// defaultHistoryPage is GetExecutionHistory's page size when maxResults is 0.
const defaultHistoryPage = 100

// GetExecutionHistory returns a page of an execution's history events, in
// event order or, with ReverseOrder, newest first.
func (s *Service) GetExecutionHistory(ctx context.Context, in *GetExecutionHistoryInput) (*GetExecutionHistoryOutput, error) {
	if _, err := parseARN(in.ExecutionArn, "executionArn", arn.KindExecution); err != nil {
		return nil, err
	}
	limit, err := pageLimit(in.MaxResults)
	if err != nil {
		return nil, err
	}
	if limit == 0 {
		limit = defaultHistoryPage
	}
	if err := checkToken(in.NextToken); err != nil {
		return nil, err
	}
	from := int64(0)
	if in.NextToken != "" {
		if from, err = decodeHistoryToken(in.NextToken, in.ExecutionArn, in.ReverseOrder); err != nil {
			return nil, err
		}
	}
	if _, err := s.store.GetExecution(ctx, in.ExecutionArn); err != nil {
		return nil, notFoundAs(err, executionDoesNotExist(in.ExecutionArn), "get execution history")
	}
	events, more, err := s.readEvents(ctx, in.ExecutionArn, from, in.ReverseOrder, limit)
	if err != nil {
		return nil, err
	}
	withData := in.IncludeExecutionData == nil || *in.IncludeExecutionData
	out := &GetExecutionHistoryOutput{Events: make([]json.RawMessage, 0, len(events))}
	for i := range events {
		b, err := json.Marshal(&events[i])
		if err != nil {
			return nil, internal("encode history event", err)
		}
		if !withData {
			if b, err = stripData(b); err != nil {
				return nil, internal("encode history event", err)
			}
		}
		out.Events = append(out.Events, b)
	}
	if more && len(events) > 0 {
		next := events[len(events)-1].ID + 1
		if in.ReverseOrder {
			next = events[len(events)-1].ID - 1
		}
		out.NextToken = encodeHistoryToken(in.ExecutionArn, next, in.ReverseOrder)
	}
	return out, nil
}

// readEvents reads up to limit events starting at event from (0: the first,
// or the last when reverse) and reports whether more follow.
func (s *Service) readEvents(ctx context.Context, execARN string, from int64, reverse bool, limit int) ([]history.Event, bool, error) {
	var out []history.Event
	next := from
	for {
		chunks, err := s.store.ReadHistory(ctx, &store.ReadHistoryParams{ExecutionARN: execARN, FromEventID: next, Reverse: reverse, Limit: 16})
		if err != nil {
			return nil, false, internal("read history", err)
		}
		if len(chunks) == 0 {
			return out, false, nil
		}
		before := len(out)
		for _, c := range chunks {
			var evs []history.Event
			if err := json.Unmarshal(c.Events, &evs); err != nil {
				return nil, false, internal("decode history chunk", err)
			}
			if reverse {
				for i := len(evs) - 1; i >= 0; i-- {
					e := evs[i]
					if next != 0 && e.ID > next {
						continue
					}
					if len(out) == limit {
						return out, true, nil
					}
					out = append(out, e)
				}
			} else {
				for _, e := range evs {
					if e.ID < next {
						continue
					}
					if len(out) == limit {
						return out, true, nil
					}
					out = append(out, e)
				}
			}
		}
		if len(out) == before {
			return out, false, nil
		}
		if reverse {
			next = out[len(out)-1].ID - 1
			if next < 1 {
				return out, false, nil
			}
		} else {
			next = out[len(out)-1].ID + 1
		}
	}
}

// dataKeys are the members stripped from event details when
// includeExecutionData is false.
var dataKeys = []string{"input", "output", "parameters", "assignedVariables"}

// stripData removes the payload members from an encoded event's details.
func stripData(b []byte) ([]byte, error) {
	d := json.NewDecoder(bytes.NewReader(b))
	d.UseNumber()
	var m map[string]any
	if err := d.Decode(&m); err != nil {
		return nil, err
	}
	for k, v := range m {
		if det, ok := v.(map[string]any); ok && strings.HasSuffix(k, "EventDetails") {
			for _, dk := range dataKeys {
				delete(det, dk)
			}
		}
	}
	return json.Marshal(m)
}

// History tokens are "h1.<fnv of the ARN>.<direction>.<event id>" in
// base64url: opaque to clients, bound to one execution and direction.
func encodeHistoryToken(execARN string, next int64, reverse bool) string {
	dir := "f"
	if reverse {
		dir = "r"
	}
	raw := fmt.Sprintf("h1.%x.%s.%d", arnHash(execARN), dir, next)
	return base64.RawURLEncoding.EncodeToString([]byte(raw))
}

func decodeHistoryToken(tok, execARN string, reverse bool) (int64, error) {
	raw, err := base64.RawURLEncoding.DecodeString(tok)
	if err != nil {
		return 0, invalidToken("Invalid token")
	}
	parts := strings.Split(string(raw), ".")
	if len(parts) != 4 || parts[0] != "h1" || parts[1] != fmt.Sprintf("%x", arnHash(execARN)) {
		return 0, invalidToken("Invalid token")
	}
	if (parts[2] == "r") != reverse || parts[2] != "r" && parts[2] != "f" {
		return 0, invalidToken("Invalid token")
	}
	n, err := strconv.ParseInt(parts[3], 10, 64)
	if err != nil || n < 1 {
		return 0, invalidToken("Invalid token")
	}
	return n, nil
}

func arnHash(s string) uint64 {
	h := fnv.New64a()
	h.Write([]byte(s))
	return h.Sum64()
}
