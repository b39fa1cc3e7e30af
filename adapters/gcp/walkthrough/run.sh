#!/usr/bin/env bash
# The Google Cloud walkthrough of docs/gcp.md, run from the shell as a person would, against
# rollgate's Cloud Run fake: exit 0 only when every outcome holds.
#   1. an Artifact Registry push of shop:1.1 runs the Cloud Run job 'shop-migrate' and rolls
#      out; SUCCEEDED
#   2. the same event again (Eventarc delivers at least once): a duplicate, nothing deployed
#   3. shop:1.2 at a digest starting sha256:bad (a revision that never becomes healthy): FAILED,
#      then ROLLED_BACK: traffic back to step 1's revision, by name
#   4. shop:1.3 at a digest starting sha256:bad10b (hex for "bad job": the fake's migration job
#      exits 1): FAILED, the service untouched
#   5. status: staging serves step 1's revision and digest
# Events are built from events/fixtures' Eventarc messagePublished and Artifact Registry samples
# (event.json, notification.json). Each run uses a new ledger (ROLLGATE_INVOKE_HOME, a temporary
# directory unless set) and a new fake on WALK_PORT (default 8086; Cloud Storage on the next port).
# ROLLGATE_MVN_LOCK (a file) serialises Maven if the gcp module must be built first.
set -euo pipefail
HERE=$(cd "$(dirname "$0")" && pwd)
ROOT=$(cd "$HERE/../../.." && pwd)
PORT="${WALK_PORT:-8086}"
. "$ROOT/scripts/walkthrough.sh"
walk_init gcp
walk_emulate gcp "$PORT" STORAGE_EMULATOR_HOST

echo "\$ scripts/rollgate emulate gcp create-service --project my-project --region us-west1 --service shop"
rg emulate gcp create-service --project my-project --region us-west1 --service shop
echo "\$ scripts/rollgate emulate gcp create-job --project my-project --region us-west1 --job shop-migrate --command migrate"
rg emulate gcp create-job --project my-project --region us-west1 --job shop-migrate --command migrate
echo "\$ curl -X POST \$STORAGE_EMULATOR_HOST/storage/v1/b?project=my-project -d '{\"name\":\"shop-health\"}'"
curl -sSf -X POST "$STORAGE_EMULATOR_HOST/storage/v1/b?project=my-project" \
  -H 'Content-Type: application/json' -d '{"name":"shop-health"}' >/dev/null
sed "s#http://127.0.0.1:8087#$STORAGE_EMULATOR_HOST#" "$HERE/rollgate.yaml" >"$WORK/rollgate.yaml"
export ROLLGATE_MANIFEST="$WORK/rollgate.yaml"

# event ID TAG DIGEST: an Eventarc messagePublished CloudEvent carrying the notification
event() {
  local data
  data=$(sed "s/@DIGEST@/$3/; s/@TAG@/$2/" "$HERE/notification.json" | base64 | tr -d '\n')
  sed "s/@ID@/$1/g; s/@TIME@/$(date -u +%Y-%m-%dT%H:%M:%S.000Z)/g; s#@DATA@#$data#" \
    "$HERE/event.json" >"$WORK/$1.json"
  echo "$WORK/$1.json"
}
# invoke FUNCTION FILE: runs it, keeps stdout in $WORK/out and its stderr (the function's log) in
# $WORK/log; prints the HTTP status, what rollgate told (its notifier's lines) and, abridged,
# imagePushed's answer (a CloudEvents function answers nothing: rollgate logs it) or the response
invoke() {
  echo "\$ scripts/rollgate invoke gcp $1 --event $(basename "$2")"
  local rc=0
  rg invoke gcp "$1" --event "$2" >"$WORK/out" 2>"$WORK/log" || rc=$?
  step=$((step + 1))
  cp "$WORK/out" "$WORK/step-$step.out" && cp "$WORK/log" "$WORK/step-$step.log"
  grep -E '^HTTP |^(INFO|WARNING): (shop/staging|imagePushed)' "$WORK/log" | cut -c1-240 || true
  [ "$1" = imagePushed ] || cut -c1-240 "$WORK/out"
  return $rc
}
# describe: what Cloud Run itself says serves shop (GetService, GetRevision)
describe() {
  echo "\$ scripts/rollgate emulate gcp describe-service --project my-project --region us-west1 --service shop"
  rg emulate gcp describe-service --project my-project --region us-west1 --service shop \
    | tee "$WORK/describe"
}
serves() { grep -q "serving: $1 100% .*@$2\$" "$WORK/describe"; }
answer() { grep -E '^(INFO|WARNING): imagePushed' "$WORK/log" | tail -1; }
logged() { grep -q -- "$1" "$WORK/log"; }
has() { answer | grep -q -- "$1"; }
status_has() { grep -q -- "$1" "$WORK/out"; }

GOOD="sha256:6ec128e26cd5$(printf '%052d' 1)"
BAD="sha256:bad0$(printf '%060d' 2)"
BADJOB="sha256:bad10b$(printf '%058d' 3)"

echo; echo "# 1. shop:1.1 pushed: the migration job runs, then the rollout"
invoke imagePushed "$(event push-1 1.1 "$GOOD")"
check "SUCCEEDED" has '"phase":"SUCCEEDED"'
check "the migration ran as an execution of shop-migrate" logged 'started projects/my-project/locations/us-west1/jobs/shop-migrate/executions/'
id=$(answer | grep -o '"deployments":\[{"id":"[a-z0-9-]*"' | cut -d'"' -f6)
first="shop-$id"
describe
check "Cloud Run serves the revision named for the deployment, $first, at the digest" \
  serves "$first" "$GOOD"

echo; echo "# 2. the same event again"
invoke imagePushed "$WORK/push-1.json"
check "a duplicate" has '"duplicate":true'

echo; echo "# 3. shop:1.2 at $BAD (never healthy)"
invoke imagePushed "$(event push-2 1.2 "$BAD")"
check "FAILED with Cloud Run's reason" logged 'FAILED: .*revisionReason HEALTH_CHECK_CONTAINER_ERROR'
check "then ROLLED_BACK" has '"phase":"ROLLED_BACK"'
describe
check "Cloud Run's traffic is back on $first, by name" serves "$first" "$GOOD"

echo; echo "# 4. shop:1.3 at $BADJOB (its migration job exits 1)"
invoke imagePushed "$(event push-3 1.3 "$BADJOB")"
check "FAILED" has '"phase":"FAILED"'
check "the execution's failure and its logs are named" \
  has 'migration failed, service untouched: .*NON_ZERO_EXIT_CODE.*logs: https://'
describe
check "the service is untouched: $first still serves" serves "$first" "$GOOD"

echo; echo "# 5. status"
echo '{}' >"$WORK/status.json"
invoke status "$WORK/status.json"
check "staging serves $first at shop:1.1's digest" status_has "$first"
check "... and its digest" status_has "$GOOD"

walk_end
