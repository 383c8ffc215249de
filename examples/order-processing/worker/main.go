// Command worker is the Go activity worker of the order-processing example:
// it serves the validation, inventory, payment, allocation and
// compensation activities through the AWS SDK for Go v2, exactly as it
// would against AWS Step Functions.
//
//	go run ./examples/order-processing/worker --endpoint http://127.0.0.1:8083
//
// Orders are JSON objects {"orderId", "items": [{"sku", "qty"}], "total",
// "card"}. A card "declined" fails the payment with PaymentDeclined; a SKU
// starting with "OUT-" is out of stock.
package main

import (
	"context"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"log"
	"os"
	"os/signal"
	"strings"
	"sync"
	"syscall"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/credentials"
	"github.com/aws/aws-sdk-go-v2/service/sfn"
)

// order is the part of the execution input the workers read.
type order struct {
	OrderID string `json:"orderId"`
	Items   []struct {
		SKU string `json:"sku"`
		Qty int    `json:"qty"`
	} `json:"items"`
	Total float64 `json:"total"`
	Card  string  `json:"card"`
}

// taskError is an activity failure with an error name.
type taskError struct{ name, cause string }

func (e *taskError) Error() string { return e.name + ": " + e.cause }

// handlers maps activity names to their work.
var handlers = map[string]func(o order) (any, error){
	"validate-order": func(o order) (any, error) {
		return map[string]any{"valid": o.OrderID != "" && len(o.Items) > 0 && o.Total > 0}, nil
	},
	"check-inventory": func(o order) (any, error) {
		for _, it := range o.Items {
			if strings.HasPrefix(it.SKU, "OUT-") {
				return map[string]any{"available": false, "missing": it.SKU}, nil
			}
		}
		return map[string]any{"available": true}, nil
	},
	"process-payment": func(o order) (any, error) {
		if o.Card == "declined" {
			return nil, &taskError{"PaymentDeclined", "the card was declined for order " + o.OrderID}
		}
		return map[string]any{"transactionId": "txn-" + o.OrderID, "amount": o.Total}, nil
	},
	"allocate-inventory": func(o order) (any, error) {
		return map[string]any{"allocationId": "alloc-" + o.OrderID}, nil
	},
	"refund-payment": func(o order) (any, error) {
		return map[string]any{"refunded": true}, nil
	},
	"release-inventory": func(o order) (any, error) {
		return map[string]any{"released": true}, nil
	},
}

func main() {
	endpoint := flag.String("endpoint", "http://127.0.0.1:8083", "Step Functions endpoint")
	prefix := flag.String("activity-prefix", "arn:aws:states:us-east-1:123456789012:activity:", "activity ARN prefix")
	name := flag.String("name", "go-worker", "worker name")
	flag.Parse()
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	client := sfn.New(sfn.Options{
		BaseEndpoint: aws.String(*endpoint),
		Region:       "us-east-1",
		Credentials:  credentials.NewStaticCredentialsProvider("test", "test", ""),
	})
	var wg sync.WaitGroup
	for activity, h := range handlers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			serve(ctx, client, *prefix+activity, *name, h)
		}()
	}
	wg.Wait()
}

// serve polls one activity until ctx ends.
func serve(ctx context.Context, client *sfn.Client, arn, worker string, h func(order) (any, error)) {
	for ctx.Err() == nil {
		task, err := client.GetActivityTask(ctx, &sfn.GetActivityTaskInput{ActivityArn: aws.String(arn), WorkerName: aws.String(worker)})
		if err != nil {
			if ctx.Err() == nil {
				log.Printf("poll %s: %v", arn, err)
			}
			continue
		}
		if task.TaskToken == nil || *task.TaskToken == "" {
			continue // the long poll ended without a task
		}
		if err := complete(ctx, client, *task.TaskToken, aws.ToString(task.Input), h); err != nil {
			log.Printf("complete %s: %v", arn, err)
		}
	}
}

func complete(ctx context.Context, client *sfn.Client, token, input string, h func(order) (any, error)) error {
	var o order
	if err := json.Unmarshal([]byte(input), &o); err != nil {
		_, ferr := client.SendTaskFailure(ctx, &sfn.SendTaskFailureInput{TaskToken: aws.String(token),
			Error: aws.String("BadInput"), Cause: aws.String(err.Error())})
		return errors.Join(err, ferr)
	}
	out, err := h(o)
	if err != nil {
		name, cause := "WorkerError", err.Error()
		var te *taskError
		if errors.As(err, &te) {
			name, cause = te.name, te.cause
		}
		_, err := client.SendTaskFailure(ctx, &sfn.SendTaskFailureInput{TaskToken: aws.String(token),
			Error: aws.String(name), Cause: aws.String(cause)})
		return err
	}
	b, err := json.Marshal(out)
	if err != nil {
		return fmt.Errorf("encode output: %w", err)
	}
	_, err = client.SendTaskSuccess(ctx, &sfn.SendTaskSuccessInput{TaskToken: aws.String(token), Output: aws.String(string(b))})
	return err
}
