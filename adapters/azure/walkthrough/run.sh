#!/usr/bin/env bash
# The Azure walkthrough of docs/azure.md, run from the shell as a person would, against rollgate's
# ARM fake (scripts/rollgate emulate azure) and the packaged Function App (scripts/rollgate invoke
# azure): exit 0 only when every outcome holds.
#   0. the Container App 'shop' (Multiple revision mode, env, a secret reference, a probe) and the
#      Manual job 'shop-migrate' are created with ARM's own PUT (app.json, job.json), as `az
#      containerapp create` and infra/azure do, each long-running operation awaited
#   1. an ACR push of shop:1.1 through Event Grid (Event Grid schema) runs the job as `alembic
#      upgrade head` with the release's image, then rolls out: SUCCEEDED, traffic 100 % on the
#      revision named for the deployment
#   2. the same event again (Event Grid delivers at least once): a duplicate, nothing deployed
#   3. shop:1.2 at a digest starting sha256:bad (a revision that never becomes healthy, while ARM
#      says Succeeded), in the CloudEvents schema: FAILED, then ROLLED_BACK: traffic back to step
#      1's revision by name, the failed revision deactivated
#   4. shop:1.3 at a digest starting sha256:bad10b (hex for "bad job": the fake's job execution
#      fails): FAILED, the app untouched
#   5. status: staging serves step 1's revision and digest
# The manifest is read from Blob Storage on Azurite (the real emulator, started with npx on
# WALK_PORT + 2; PutBlob.java uploads it), as a Function App reads it from its storage account.
# Events are events/fixtures' ACR ImagePushed samples with this registry, tag and digest put in
# (event.json: Event Grid schema; event-cloudevents.json: CloudEvents 1.0 schema). Each run uses a
# new ledger (ROLLGATE_INVOKE_HOME, a temporary directory unless set), a new fake on WALK_PORT
# (default 8446) and HealthServer.java (the app's health endpoint: the fake runs no containers) on
# the next port. Needs a JDK 17, Maven (to build once), curl, and node with npx (for Azurite). ROLLGATE_MVN_LOCK (a file)
# serialises Maven if the azure module must be built first.
set -euo pipefail
HERE=$(cd "$(dirname "$0")" && pwd)
ROOT=$(cd "$HERE/../../.." && pwd)
PORT="${WALK_PORT:-8446}"
HEALTH_PORT=$((PORT + 1))
SUB=3f2a7c1e-5b6d-4e8f-9a0b-1c2d3e4f5a6b
command -v curl >/dev/null 2>&1 || { echo "the walkthrough calls ARM with curl: install curl" >&2; exit 1; }
command -v npx >/dev/null 2>&1 || { echo "the walkthrough runs Azurite with npx: install node and npm (apt-get install nodejs npm)" >&2; exit 1; }
. "$ROOT/scripts/walkthrough.sh"
walk_init azure
walk_emulate azure "$PORT" ROLLGATE_AZURE_TRUST_CERTIFICATE
ARM="${ROLLGATE_AZURE_ENDPOINT:-}"
[ -n "$ARM" ] || { echo "the emulator printed no endpoint" >&2; exit 1; }
APP_ID="/subscriptions/$SUB/resourceGroups/shop-rg/providers/Microsoft.App"

java "$HERE/HealthServer.java" "$HEALTH_PORT" >"$WORK/health.out" 2>&1 &
WALK_PIDS+=($!)

# arm METHOD PATH [BODY_FILE]: one ARM call as any client makes it (any bearer token passes)
arm() {
  local args=(-sS --cacert "$ROLLGATE_AZURE_TRUST_CERTIFICATE" -X "$1" -H 'Authorization: Bearer walkthrough')
  [ $# -lt 3 ] || args+=(-H 'Content-Type: application/json' --data-binary "@$3")
  curl "${args[@]}" -D "$WORK/headers" "$ARM$2"
}
# create KIND NAME FILE: PUT, then poll Azure-AsyncOperation until Succeeded (as `az` does)
create() {
  echo "\$ curl -X PUT '\$ROLLGATE_AZURE_ENDPOINT$APP_ID/$1/$2?api-version=2025-01-01' -d @$(basename "$3")"
  arm PUT "$APP_ID/$1/$2?api-version=2025-01-01" "$3" >/dev/null
  local op
  op=$(tr -d '\r' <"$WORK/headers" | sed -n 's/^[Aa]zure-[Aa]sync[Oo]peration: //p')
  [ -n "$op" ] || { echo "ARM answered no Azure-AsyncOperation for $1/$2" >&2; exit 1; }
  for _ in $(seq 1 60); do
    curl -sS --cacert "$ROLLGATE_AZURE_TRUST_CERTIFICATE" -H 'Authorization: Bearer walkthrough' "$op" \
      | grep -q '"status":"Succeeded"' && return 0
    sleep 0.5
  done
  echo "the operation creating $1/$2 did not succeed" >&2
  exit 1
}
echo
echo "# 0. the Container App and its migration job, created with ARM's own calls"
create containerApps shop "$HERE/app.json"
create jobs shop-migrate "$HERE/job.json"
sed "s#http://127.0.0.1:8449#http://127.0.0.1:$HEALTH_PORT#" "$HERE/rollgate.yaml" >"$WORK/rollgate.yaml"

echo
echo "# the manifest, in Blob Storage on Azurite"
BLOB_PORT=$((PORT + 2))
echo "\$ npx -p azurite azurite-blob --blobPort $BLOB_PORT --inMemoryPersistence &"
setsid npx --yes -p azurite azurite-blob --blobHost 127.0.0.1 --blobPort "$BLOB_PORT" --inMemoryPersistence \
  --skipApiVersionCheck --disableTelemetry >"$WORK/azurite.out" 2>&1 &
WALK_GROUPS+=($!)
for _ in $(seq 1 600); do
  grep -q 'successfully listens' "$WORK/azurite.out" 2>/dev/null && break
  sleep 0.1
done
grep -q 'successfully listens' "$WORK/azurite.out" || { cat "$WORK/azurite.out" >&2; echo "Azurite did not start" >&2; exit 1; }
# Azurite's well-known development account and key (public, in Azurite's documentation)
ACCOUNT=devstoreaccount1
KEY='Eby8vdM02xNOcqFlqUwJPLlmEtlCDXJ1OUzFT50uSRZ6IFsuFq2UVErCz4I6tq/K1SZFPTOtr/KBHBeksoGMGw=='
BLOBS="http://127.0.0.1:$BLOB_PORT/$ACCOUNT"
echo "\$ java PutBlob.java $BLOBS $ACCOUNT \$KEY deploy rollgate.yaml rollgate.yaml"
java "$HERE/PutBlob.java" "$BLOBS" "$ACCOUNT" "$KEY" deploy rollgate.yaml "$WORK/rollgate.yaml"
export AZURE_STORAGE_CONNECTION_STRING="DefaultEndpointsProtocol=http;AccountName=$ACCOUNT;AccountKey=$KEY;BlobEndpoint=$BLOBS;"
export ROLLGATE_MANIFEST="azblob://$ACCOUNT/deploy/rollgate.yaml"
echo "\$ export ROLLGATE_MANIFEST=$ROLLGATE_MANIFEST AZURE_STORAGE_CONNECTION_STRING=...$ACCOUNT..."

# event TEMPLATE ID TAG DIGEST: an ACR ImagePushed event from a template
event() {
  sed "s/@ID@/$2/g; s/@TAG@/$3/g; s/@DIGEST@/$4/g; s/@TIME@/$(date -u +%Y-%m-%dT%H:%M:%S.0000000Z)/g" \
    "$HERE/$1" >"$WORK/$2.json"
  echo "$WORK/$2.json"
}
# invoke FUNCTION FILE: runs it, keeps stdout in $WORK/out and stderr (the function's log) in
# $WORK/log; prints the outcome and what rollgate told (its notifier's lines), abridged
invoke() {
  echo "\$ scripts/rollgate invoke azure $1 --event $(basename "$2")"
  local rc=0
  rg invoke azure "$1" --event "$2" >"$WORK/out" 2>"$WORK/log" || rc=$?
  step=$((step + 1))
  cp "$WORK/out" "$WORK/step-$step.out" && cp "$WORK/log" "$WORK/step-$step.log"
  grep -E '^HTTP |^\[(INFO|WARNING)\] imagePushed|^(INFO|WARNING): shop/staging' "$WORK/log" | cut -c1-240 || true
  cut -c1-240 "$WORK/out"
  return $rc
}
# describe: what ARM itself says of shop: traffic by revision, and each revision's image and state
describe() {
  echo "\$ curl '\$ROLLGATE_AZURE_ENDPOINT$APP_ID/containerApps/shop?api-version=2025-01-01'"
  arm GET "$APP_ID/containerApps/shop?api-version=2025-01-01" >"$WORK/app"
  arm GET "$APP_ID/containerApps/shop/revisions?api-version=2025-01-01" >"$WORK/revisions"
  grep -o '"traffic":\[[^]]*\]' "$WORK/app" || true
}
serves() { grep -q "\"traffic\":\[{\"revisionName\":\"$1\",\"weight\":100" "$WORK/app"; }
revision() { sed 's/{"id":"/\n{"id":"/g' "$WORK/revisions" | grep "/revisions/$1\""; } # its JSON
runs() { revision "$1" | grep -q "\"image\":\"$2\""; }
inactive() { revision "$1" | grep -q '"active":false'; }
logged() { grep -q -- "$1" "$WORK/log"; }
said() { grep -q -- "$1" "$WORK/out"; }

GOOD="sha256:6ec128e26cd5$(printf '%052d' 1)"
BAD="sha256:bad0$(printf '%060d' 2)"
BADJOB="sha256:bad10b$(printf '%058d' 3)"

echo; echo "# 1. shop:1.1 pushed: the migration job runs, then the rollout"
invoke imagePushed "$(event event.json push-1 1.1 "$GOOD")"
check "acknowledged" said '"status":"Succeeded"'
check "SUCCEEDED" logged '"phase":"SUCCEEDED"'
check "the migration ran as an execution of shop-migrate" logged "containerapps job: started shop-migrate-"
id=$(grep -o '"deployments":\[{"id":"[a-z0-9-]*"' "$WORK/log" | head -1 | cut -d'"' -f6)
first="shop--rg-$id"
describe
check "traffic: 100 % on the revision named for the deployment, $first" serves "$first"
check "... which runs shop:1.1 by digest" runs "$first" "shopacr.azurecr.io/shop@$GOOD"

echo; echo "# 2. the same event again"
invoke imagePushed "$WORK/push-1.json"
check "a duplicate" logged '"duplicate":true'

echo; echo "# 3. shop:1.2 at $BAD (never healthy), in the CloudEvents schema"
invoke imagePushed "$(event event-cloudevents.json push-2 1.2 "$BAD")"
check "FAILED with the revision's own state, though ARM says Succeeded" \
  logged 'FAILED: .*healthState Unhealthy; provisioningError: .*provisioningState Succeeded is not taken'
check "then ROLLED_BACK" logged '"phase":"ROLLED_BACK"'
failed="shop--rg-$(grep -o '"deployments":\[{"id":"[a-z0-9-]*"' "$WORK/log" | head -1 | cut -d'"' -f6)"
describe
check "traffic is back on $first, by name" serves "$first"
check "the failed revision $failed is deactivated" inactive "$failed"

echo; echo "# 4. shop:1.3 at $BADJOB (its migration job execution fails)"
invoke imagePushed "$(event event.json push-3 1.3 "$BADJOB")"
check "FAILED" logged '"phase":"FAILED"'
check "the execution's failure is named" logged 'migration failed, service untouched: .*Failed'
describe
check "the app is untouched: $first still serves" serves "$first"

echo; echo "# 5. status"
echo '{}' >"$WORK/status.json"
invoke status "$WORK/status.json"
check "staging serves $first" said "$first"
check "... at shop:1.1's digest" said "$GOOD"

walk_end
