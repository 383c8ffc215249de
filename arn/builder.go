package arn

import "strconv"

// Builder forms the ARNs of one partition, region and account.
type Builder struct {
	Partition string
	Region    string
	Account   string
}

// NewBuilder returns a Builder for region and account in partition aws;
// empty arguments take the defaults (us-east-1, 123456789012).
func NewBuilder(region, account string) Builder {
	if region == "" {
		region = DefaultRegion
	}
	if account == "" {
		account = DefaultAccount
	}
	return Builder{Partition: DefaultPartition, Region: region, Account: account}
}

func (b Builder) arn(kind Kind, sm, name, id string) ARN {
	return ARN{Kind: kind, Partition: b.Partition, Region: b.Region, Account: b.Account, StateMachine: sm, Name: name, ID: id}
}

// StateMachine returns the ARN of the state machine named name.
func (b Builder) StateMachine(name string) string {
	return b.arn(KindStateMachine, name, name, "").String()
}

// Version returns the ARN of version n of state machine sm.
func (b Builder) Version(sm string, n int64) string {
	a := b.arn(KindVersion, sm, strconv.FormatInt(n, 10), "")
	a.Version = n
	return a.String()
}

// Alias returns the ARN of alias alias of state machine sm.
func (b Builder) Alias(sm, alias string) string {
	return b.arn(KindAlias, sm, alias, "").String()
}

// Execution returns the ARN of a Standard execution.
func (b Builder) Execution(sm, name string) string {
	return b.arn(KindExecution, sm, name, "").String()
}

// ExpressExecution returns the ARN of an Express execution; id is a UUID.
func (b Builder) ExpressExecution(sm, name, id string) string {
	return b.arn(KindExpressExecution, sm, name, id).String()
}

// Activity returns the ARN of the activity named name.
func (b Builder) Activity(name string) string {
	return b.arn(KindActivity, "", name, "").String()
}

// MapRun returns the ARN of a map run.
func (b Builder) MapRun(sm, name, id string) string {
	return b.arn(KindMapRun, sm, name, id).String()
}
