package teststate_test

import (
	"context"
	"fmt"
	"time"

	"github.com/stepwise-run/stepwise/teststate"
)

func ExampleRun() {
	input := `{"order":{"total":120}}`
	mock := `{"Payload":{"approved":true}}`
	resp, err := teststate.Run(context.Background(), &teststate.Request{
		Definition: `{"Type":"Task","Resource":"arn:aws:states:::lambda:invoke",
			"Parameters":{"total.$":"$.order.total"},"ResultSelector":{"approved.$":"$.Payload.approved"},
			"ResultPath":"$.approval","Next":"Ship"}`,
		Input:           &input,
		InspectionLevel: teststate.LevelDebug,
		Mock:            &teststate.Mock{Result: &mock},
	}, teststate.Options{Now: time.Date(2026, 1, 2, 3, 4, 5, 0, time.UTC)})
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println(resp.Status, resp.NextState)
	fmt.Println(resp.Output)
	fmt.Println(resp.InspectionData.AfterParameters)
	// Output:
	// SUCCEEDED Ship
	// {"order":{"total":120},"approval":{"approved":true}}
	// {"total":120}
}
