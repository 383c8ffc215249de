#!/usr/bin/env bash
# Activity worker for the shipping and notification steps, written with the
# aws CLI only: it long-polls GetActivityTask and answers with
# SendTaskSuccess.
#   ENDPOINT=http://127.0.0.1:8083 ./worker.sh
# It stops when the file named by STOP_FILE (default ./worker.stop) exists.
set -euo pipefail
ENDPOINT="${ENDPOINT:-http://127.0.0.1:8083}"
ARN_PREFIX="${ARN_PREFIX:-arn:aws:states:us-east-1:123456789012:activity:}"
STOP_FILE="${STOP_FILE:-./worker.stop}"
AWS="${AWS:-aws}"
export AWS_ACCESS_KEY_ID="${AWS_ACCESS_KEY_ID:-test}" AWS_SECRET_ACCESS_KEY="${AWS_SECRET_ACCESS_KEY:-test}"
export AWS_DEFAULT_REGION="${AWS_DEFAULT_REGION:-us-east-1}" AWS_PAGER=""

sfn() { "$AWS" stepfunctions --endpoint-url "$ENDPOINT" "$@"; }

# order_id reads .orderId from a JSON document on stdin without jq.
order_id() { sed -n 's/.*"orderId" *: *"\([^"]*\)".*/\1/p'; }

work() { # activity-name -> output JSON, given the input on stdin
  local id
  id=$(order_id)
  case "$1" in
    ship-order) printf '{"trackingNumber":"TRK-%s","carrier":"stepwise-post"}' "$id" ;;
    notify-customer) printf '{"notified":true,"channel":"email","orderId":"%s"}' "$id" ;;
  esac
}

# poll serves one activity: GetActivityTask long-polls (up to 60 s), so each
# activity gets its own loop.
poll() {
  local activity=$1 reply token input output
  while [ ! -e "$STOP_FILE" ]; do
    reply=$(sfn get-activity-task --activity-arn "${ARN_PREFIX}${activity}" --worker-name "shell-worker" \
      --cli-read-timeout 70 --query '[taskToken,input]' --output text 2>/dev/null || true)
    token=${reply%%$'\t'*}
    input=${reply#*$'\t'}
    if [ -z "$reply" ] || [ "$token" = "None" ] || [ "$token" = "$reply" ]; then
      continue
    fi
    output=$(printf '%s' "$input" | work "$activity")
    sfn send-task-success --task-token "$token" --task-output "$output" >/dev/null
  done
}

poll ship-order &
poll notify-customer &
wait
