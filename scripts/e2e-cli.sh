#!/usr/bin/env bash
# End-to-end tour of `stepwise serve` with third-party clients: Debian's aws CLI
# (/usr/bin/aws) and boto3 (/usr/bin/python3), then the conformance runner
# (../shared/conformance/run.py) when it is there.
#
# Fails on any mismatch in the tours and if the server dies; the conformance
# counts are printed, not enforced. Everything is bounded in time and the server
# is stopped on exit.
#
# Usage: scripts/e2e-cli.sh            (from anywhere; builds ./cmd/stepwise)
# Env:   STEPWISE_BIN=path             use this binary instead of building one
#        CONFORMANCE=0                 skip the conformance run
set -euo pipefail
cd "$(dirname "$0")/.."
root=$PWD

AWS=/usr/bin/aws
PY=/usr/bin/python3
unset PYTHONPATH PYTHONHOME || true # a pyenv's settings must not leak into Debian's python
for tool in "$AWS" "$PY"; do
  [[ -x $tool ]] || { echo "e2e-cli: $tool is missing (apt-get install awscli python3-boto3)" >&2; exit 1; }
done

tmp=$(mktemp -d)
pid=""
ok=0
cleanup() {
  if [[ -n $pid ]] && kill -0 "$pid" 2>/dev/null; then
    kill -TERM "$pid" 2>/dev/null || true
    for _ in $(seq 50); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
    kill -KILL "$pid" 2>/dev/null || true
    wait "$pid" 2>/dev/null || true
  fi
  if [[ $ok != 1 && -f $tmp/server.log ]]; then
    echo "--- server log (last 30 lines)" >&2
    tail -n 30 "$tmp/server.log" >&2
  fi
  rm -rf "$tmp"
}
trap cleanup EXIT

fail() { echo "e2e-cli: FAIL: $*" >&2; exit 1; }
alive() { kill -0 "$pid" 2>/dev/null || fail "the server died ($*)"; }

# Clients see only test credentials; no profile or config file of the machine.
export AWS_ACCESS_KEY_ID=test AWS_SECRET_ACCESS_KEY=test AWS_DEFAULT_REGION=us-east-1
export AWS_CONFIG_FILE=$tmp/aws-config AWS_SHARED_CREDENTIALS_FILE=$tmp/aws-credentials
export AWS_PAGER="" AWS_EC2_METADATA_DISABLED=true
unset AWS_PROFILE AWS_SESSION_TOKEN AWS_ENDPOINT_URL || true
: >"$AWS_CONFIG_FILE"; : >"$AWS_SHARED_CREDENTIALS_FILE"

# --- server
bin=${STEPWISE_BIN:-}
if [[ -z $bin ]]; then
  bin=$tmp/stepwise
  go build -o "$bin" ./cmd/stepwise
fi
port=$("$PY" -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
endpoint=http://127.0.0.1:$port
# start_server: starts `stepwise serve` on $port and $tmp/data; process start-up
# is the one thing polled (up to 30 s).
start_server() {
  "$bin" serve --listen "127.0.0.1:$port" --data "$tmp/data" >>"$tmp/server.log" 2>&1 &
  pid=$!
  for i in $(seq 300); do
    if "$PY" -c "import urllib.request,sys; sys.exit(0 if urllib.request.urlopen('$endpoint/healthz', timeout=1).status == 200 else 1)" 2>/dev/null; then
      return 0
    fi
    alive "during start-up"
    [[ $i == 300 ]] && fail "the server did not answer /healthz within 30 s"
    sleep 0.1
  done
}
start_server
echo "== stepwise serve on $endpoint"

sfn() { timeout 60 "$AWS" stepfunctions --endpoint-url "$endpoint" --output json "$@"; }
# jget FILE EXPR: evaluates a Python expression over the JSON document d.
jget() { "$PY" -c "import json,sys; d=json.load(open(sys.argv[1])); print($2)" "$1"; }
# jcheck FILE EXPR MESSAGE: fails unless the Python expression is true.
jcheck() {
  "$PY" -c "import json,sys; d=json.load(open(sys.argv[1])); sys.exit(0 if ($2) else 1)" "$1" ||
    fail "$3: $(head -c 2000 "$1")"
}

definition='{
  "Comment": "e2e tour: Pass, Choice, Wait, Map, intrinsic functions",
  "StartAt": "Greet",
  "States": {
    "Greet": {"Type": "Pass", "Parameters": {"greeting.$": "States.Format(\u0027Hello, {}!\u0027, $.name)", "items.$": "$.items"}, "Next": "Route"},
    "Route": {"Type": "Choice", "Choices": [{"Variable": "$.greeting", "StringEquals": "Hello, fail!", "Next": "Boom"}], "Default": "Nap"},
    "Boom": {"Type": "Fail", "Error": "Tour.Failed", "Cause": "asked to fail"},
    "Nap": {"Type": "Wait", "Seconds": 1, "Next": "Double"},
    "Double": {"Type": "Map", "ItemsPath": "$.items", "MaxConcurrency": 2, "ResultPath": "$.doubled",
      "ItemProcessor": {"StartAt": "Add", "States": {"Add": {"Type": "Pass", "Parameters": {"v.$": "States.MathAdd($, $)"}, "End": true}}},
      "Next": "Done"},
    "Done": {"Type": "Succeed"}
  }
}'
printf '%s' "$definition" >"$tmp/definition.json"
role=arn:aws:iam::123456789012:role/e2e-tour
expected_output='{"greeting":"Hello, world!","items":[1,2,3],"doubled":[{"v":2},{"v":4},{"v":6}]}'

# --- tour 1: the aws CLI
echo "== aws CLI tour ($("$AWS" --version 2>&1 | cut -d' ' -f1))"
sfn create-state-machine --name cli-tour --definition "file://$tmp/definition.json" --role-arn "$role" >"$tmp/create.json"
sm=$(jget "$tmp/create.json" 'd["stateMachineArn"]')
[[ $sm == arn:aws:states:us-east-1:*:stateMachine:cli-tour ]] || fail "create-state-machine ARN $sm"

sfn list-state-machines >"$tmp/list.json"
jcheck "$tmp/list.json" "any(m['name'] == 'cli-tour' and m['stateMachineArn'] == '$sm' and m['type'] == 'STANDARD' for m in d['stateMachines'])" \
  "list-state-machines lacks cli-tour"

sfn describe-state-machine --state-machine-arn "$sm" >"$tmp/describe-sm.json"
jcheck "$tmp/describe-sm.json" "json.loads(d['definition']) == json.load(open('$tmp/definition.json')) and d['status'] == 'ACTIVE' and d['roleArn'] == '$role'" \
  "describe-state-machine"

# await ARN FILE: describe-execution until it is not RUNNING (at most 30 s).
await() {
  for i in $(seq 60); do
    sfn describe-execution --execution-arn "$1" >"$2"
    [[ $(jget "$2" 'd["status"]') != RUNNING ]] && return 0
    alive "while $1 ran"
    sleep 0.5
  done
  fail "execution $1 still RUNNING after 30 s"
}

sfn start-execution --state-machine-arn "$sm" --name run-ok --input '{"name":"world","items":[1,2,3]}' >"$tmp/start.json"
ex=$(jget "$tmp/start.json" 'd["executionArn"]')
[[ $ex == arn:aws:states:us-east-1:*:execution:cli-tour:run-ok ]] || fail "start-execution ARN $ex"
await "$ex" "$tmp/describe.json"
jcheck "$tmp/describe.json" "d['status'] == 'SUCCEEDED' and json.loads(d['output']) == json.loads('$expected_output') and d['name'] == 'run-ok' and d['stateMachineArn'] == '$sm'" \
  "describe-execution of run-ok"

sfn get-execution-history --execution-arn "$ex" >"$tmp/history.json"
# The same run in-process (stepwise run --history) is the reference: the same
# event types, ids and previous ids.
"$bin" run "$tmp/definition.json" --fast --history --input '{"name":"world","items":[1,2,3]}' >"$tmp/local.json"
jcheck "$tmp/history.json" "[(e['id'], e['previousEventId'], e['type']) for e in d['events']] == [(e['id'], e['previousEventId'], e['type']) for e in json.load(open('$tmp/local.json'))['events']]" \
  "get-execution-history differs from stepwise run --history"
jcheck "$tmp/history.json" "d['events'][-1]['type'] == 'ExecutionSucceeded' and json.loads(d['events'][-1]['executionSucceededEventDetails']['output']) == json.loads('$expected_output')" \
  "last history event"
# Reverse order, one page at a time, as the CLI paginates (--page-size 2).
sfn get-execution-history --execution-arn "$ex" --reverse-order --page-size 2 >"$tmp/history-rev.json"
jcheck "$tmp/history-rev.json" "[e['id'] for e in d['events']] == [e['id'] for e in reversed(json.load(open('$tmp/history.json'))['events'])]" \
  "paginated reverse history"

sfn start-execution --state-machine-arn "$sm" --name run-fail --input '{"name":"fail","items":[]}' >"$tmp/start-fail.json"
await "$(jget "$tmp/start-fail.json" 'd["executionArn"]')" "$tmp/describe-fail.json"
jcheck "$tmp/describe-fail.json" "d['status'] == 'FAILED' and d['error'] == 'Tour.Failed' and d['cause'] == 'asked to fail'" \
  "describe-execution of run-fail"

sfn list-executions --state-machine-arn "$sm" >"$tmp/executions.json"
jcheck "$tmp/executions.json" "sorted((e['name'], e['status']) for e in d['executions']) == [('run-fail', 'FAILED'), ('run-ok', 'SUCCEEDED')]" \
  "list-executions"

if sfn describe-execution --execution-arn "${ex%run-ok}missing" >"$tmp/missing.json" 2>"$tmp/missing.err"; then
  fail "describe-execution of an unknown execution succeeded"
fi
grep -q ExecutionDoesNotExist "$tmp/missing.err" || fail "unknown execution: $(cat "$tmp/missing.err")"
if sfn start-execution --state-machine-arn "$sm" --name run-ok --input '{"other":1}' >/dev/null 2>"$tmp/dup.err"; then
  fail "start-execution reused a name with another input"
fi
grep -q ExecutionAlreadyExists "$tmp/dup.err" || fail "reused name: $(cat "$tmp/dup.err")"

# A graceful restart (SIGTERM, exit status 0) keeps everything.
kill -TERM "$pid"
status=0
timeout 30 tail --pid="$pid" -f /dev/null || fail "the server did not stop within 30 s of SIGTERM"
wait "$pid" || status=$?
[[ $status == 0 ]] || fail "the server exited with status $status after SIGTERM"
start_server
sfn get-execution-history --execution-arn "$ex" >"$tmp/history-after.json"
cmp -s "$tmp/history.json" "$tmp/history-after.json" || fail "history changed across a restart"
sfn list-executions --state-machine-arn "$sm" >"$tmp/executions-after.json"
cmp -s "$tmp/executions.json" "$tmp/executions-after.json" || fail "list-executions changed across a restart"

sfn delete-state-machine --state-machine-arn "$sm" >/dev/null
echo "aws CLI tour: ok (create, list, describe, start, describe-execution, history with pages, failure, errors, restart, delete)"
alive "after the aws CLI tour"

# --- tour 2: boto3
echo "== boto3 tour"
timeout 120 "$PY" - "$endpoint" "$tmp/definition.json" "$role" "$expected_output" <<'PYTHON' || fail "boto3 tour"
import json, sys, time
import boto3, botocore

endpoint, definition_file, role, expected = sys.argv[1], sys.argv[2], sys.argv[3], json.loads(sys.argv[4])
definition = open(definition_file).read()
sfn = boto3.client("stepfunctions", endpoint_url=endpoint, region_name="us-east-1",
                   aws_access_key_id="test", aws_secret_access_key="test")

def check(cond, what, got=None):
    if not cond:
        sys.exit(f"boto3 tour: {what}: {got!r}")

sm = sfn.create_state_machine(name="boto3-tour", definition=definition, roleArn=role)["stateMachineArn"]
check(sm.endswith(":stateMachine:boto3-tour"), "create_state_machine ARN", sm)
names = [m["name"] for p in sfn.get_paginator("list_state_machines").paginate() for m in p["stateMachines"]]
check("boto3-tour" in names, "list_state_machines", names)

arns = []
for i in range(5):
    out = sfn.start_execution(stateMachineArn=sm, name=f"b{i}", input=json.dumps({"name": "world", "items": [1, 2, 3]}))
    check(isinstance(out["startDate"], __import__("datetime").datetime), "startDate type", out)
    arns.append(out["executionArn"])
for arn in arns:
    deadline = time.monotonic() + 30
    while True:
        d = sfn.describe_execution(executionArn=arn)
        if d["status"] != "RUNNING":
            break
        check(time.monotonic() < deadline, "execution still RUNNING after 30 s", arn)
        time.sleep(0.25)
    check(d["status"] == "SUCCEEDED" and json.loads(d["output"]) == expected, "describe_execution", d)
    check(d["stopDate"] >= d["startDate"], "stopDate before startDate", d)
    events = [e for p in sfn.get_paginator("get_execution_history").paginate(executionArn=arn, PaginationConfig={"PageSize": 3})
              for e in p["events"]]
    check([e["id"] for e in events] == list(range(1, len(events) + 1)), "history ids", [e["id"] for e in events])
    check(events[0]["type"] == "ExecutionStarted" and events[-1]["type"] == "ExecutionSucceeded", "history ends", events)
    check(json.loads(events[-1]["executionSucceededEventDetails"]["output"]) == expected, "history output", events[-1])

listed = [e["name"] for p in sfn.get_paginator("list_executions").paginate(stateMachineArn=sm, PaginationConfig={"PageSize": 2})
          for e in p["executions"]]
check(sorted(listed) == [f"b{i}" for i in range(5)], "list_executions pages", listed)
try:
    sfn.describe_execution(executionArn=arns[0] + "-missing")
    check(False, "describe_execution of an unknown execution succeeded")
except sfn.exceptions.ExecutionDoesNotExist:
    pass
try:
    sfn.create_state_machine(name="bad", definition='{"StartAt":"Nowhere","States":{}}', roleArn=role)
    check(False, "create_state_machine accepted an invalid definition")
except sfn.exceptions.InvalidDefinition:
    pass
sfn.delete_state_machine(stateMachineArn=sm)
print(f"boto3 tour: ok (boto3 {boto3.__version__}, botocore {botocore.__version__}; 5 executions, paginated history and lists, typed errors)")
PYTHON
alive "after the boto3 tour"

# --- conformance (counts only)
runpy=$root/../shared/conformance/run.py
if [[ ${CONFORMANCE:-1} == 0 ]]; then
  echo "== conformance: skipped (CONFORMANCE=0)"
elif [[ ! -f $runpy ]]; then
  echo "== conformance: skipped ($runpy not found)"
else
  for kinds in execution,choice,validation api; do
    echo "== conformance --kind $kinds"
    status=0
    timeout 900 "$PY" "$runpy" --endpoint "$endpoint" --kind "$kinds" --jobs 4 --quiet \
      --json-report "$tmp/conformance-$kinds.json" >"$tmp/conformance.out" 2>&1 || status=$?
    # The per-kind totals and the last line, then the commonest failure reasons.
    grep -E '^(kind |[a-z]+ +\(all\)|[0-9]+ passed)' "$tmp/conformance.out" || tail -n 5 "$tmp/conformance.out"
    if [[ -f $tmp/conformance-$kinds.json ]]; then
      "$PY" - "$tmp/conformance-$kinds.json" <<'PYTHON'
import collections, json, re, sys
r = json.load(open(sys.argv[1]))
reasons = collections.Counter(re.sub(r"\d+", "N", x.get("reason", ""))[:90] for x in r["results"] if not x["passed"])
for reason, n in reasons.most_common(5):
    print(f"  {n:4d} × {reason}")
PYTHON
    fi
    case $status in
      0) ;;
      124) echo "conformance --kind $kinds: stopped after 15 minutes" ;;
      *) echo "conformance --kind $kinds: run.py exited with $status" ;;
    esac
    alive "during conformance --kind $kinds"
  done
fi

alive "at the end"
ok=1
echo "e2e-cli: ok"
