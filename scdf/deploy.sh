#!/usr/bin/env bash
# Registers MailPulse's apps with Spring Cloud Data Flow, creates the stream and task definitions (and the tasks'
# schedules where the platform has a scheduler) and deploys the streams, through SCDF's REST API (SCDF_URL, default
# http://localhost:9393). Safe to run again: registrations are replaced, existing definitions and schedules kept,
# deployed streams left running unless --redeploy is given.
#
# usage: scdf/deploy.sh [--redeploy]
#   needs curl and perl; MAILPULSE_RECIPIENT_HASH_SECRET (else taken from run/secrets.env, as bin/mailpulse up does)
#   and the other MAILPULSE_* connection settings of README.md are filled into the deployment properties, and
#   MAILPULSE_MODEL_DIR (where ml-train keeps its models: a directory every launch of the task reaches) into the task
#   definitions.
set -euo pipefail

DIR="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
ROOT="$(cd "$DIR/.." && pwd)"
. "$DIR/rest.sh"
REDEPLOY=false
case "${1:-}" in
  --redeploy) REDEPLOY=true ;;
  "") ;;
  *) echo "usage: scdf/deploy.sh [--redeploy]" >&2; exit 2 ;;
esac

# A file's lines other than comments, ${VAR:-default} and ${VAR} filled from the environment.
filled() {
  perl -ne '
    next if /^\s*(#|$)/;
    chomp;
    my $line = $_; # as written: no value of the environment (a secret) goes into the message
    s/\$\{(\w+)(?::-([^}]*))?\}/defined $ENV{$1} && $ENV{$1} ne "" ? $ENV{$1} : defined $2 ? $2 : die "set $1 (needed by $ARGV: $line)\n"/ge;
    print "$_\n"' "$1"
}

# A deployment properties file as a JSON object, filled; a property left empty is not sent.
deployment_json() {
  local lines
  lines="$(filled "$1")" || return 1
  perl -MJSON::PP -ne '
    chomp;
    my ($key, $value) = split /=/, $_, 2;
    $props{$key} = $value if $value ne "";  # SCDF cannot parse an empty value back: unset instead
    END { print JSON::PP->new->canonical->encode(\%props); }' <<< "$lines"
}

# name = definition lines of a definitions file, filled.
definitions() { filled "$1" | sed 's/^\s*\([^ =]*\)\s*=\s*/\1\t/'; }

if [[ -z "${MAILPULSE_RECIPIENT_HASH_SECRET:-}" && -f "$ROOT/run/secrets.env" ]]; then
  set -a; . "$ROOT/run/secrets.env"; set +a
fi

TASKS="$(definitions "$DIR/mailpulse.tasks")" # before anything is changed: a setting missing stops it here

api GET /about
echo "Data Flow $(json versionInfo/implementation/version) at $SCDF_URL"

echo "Registering the apps of scdf/apps.properties ..."
# SCDF reads the lines itself and takes comments for registrations: they are left out.
api POST /apps --data-urlencode "apps=$(grep -v '^\s*\(#\|$\)' "$DIR/apps.properties")" --data-urlencode force=true
grep -c '^[a-z]*\.[a-z-]*=' "$DIR/apps.properties" | xargs printf '  %s apps registered\n'

while IFS=$'\t' read -r name definition; do
  if [[ "$(status_of "/streams/definitions/$name")" == 200 ]]; then
    api GET "/streams/definitions/$name"
    if [[ "$(json originalDslText)" != "$definition" ]]; then
      if ! $REDEPLOY; then
        echo "Stream $name exists with another definition ($(json originalDslText)); run with --redeploy to replace it" >&2
        exit 1
      fi
      echo "Replacing stream $name ..."
      api DELETE "/streams/definitions/$name"
    elif $REDEPLOY && [[ "$(json status)" != undeployed ]]; then
      echo "Undeploying stream $name ..."
      api DELETE "/streams/deployments/$name"
    fi
  fi
  if [[ "$(status_of "/streams/definitions/$name")" != 200 ]]; then
    echo "Creating stream $name = $definition"
    api POST /streams/definitions --data-urlencode "name=$name" --data-urlencode "definition=$definition" --data-urlencode deploy=false
  fi
  api GET "/streams/definitions/$name"
  if [[ "$(json status)" == undeployed ]]; then
    echo "Deploying stream $name with scdf/$name.deployment.properties ..."
    properties="$(deployment_json "$DIR/$name.deployment.properties")"
    api POST "/streams/deployments/$name" -H 'Content-Type: application/json' --data-binary "$properties"
  else
    echo "Stream $name is $(json status); left as it is"
  fi
done < <(definitions "$DIR/mailpulse.stream")

while IFS=$'\t' read -r name definition; do
  if [[ "$(status_of "/tasks/definitions/$name")" != 200 ]]; then
    echo "Creating task $name = $definition"
    api POST /tasks/definitions --data-urlencode "name=$name" --data-urlencode "definition=$definition"
  fi
done <<< "$TASKS"

api GET /about
if [[ "$(json featureInfo/schedulesEnabled)" == 1 ]]; then
  while IFS=$'\t' read -r name cron; do
    if [[ "$(status_of "/tasks/schedules/$name-schedule")" != 200 ]]; then
      echo "Scheduling task $name: $cron"
      api POST /tasks/schedules --data-urlencode "scheduleName=$name-schedule" --data-urlencode "taskDefinitionName=$name" \
        --data-urlencode "properties=scheduler.cron.expression=$cron"
    fi
  done < <(definitions "$DIR/mailpulse.schedules")
else
  echo "Data Flow's schedules are off on this platform: the console's scheduler launches the tasks (scdf/README.md)"
fi

echo "Waiting for the streams to deploy ..."
for _ in $(seq 90); do
  pending=""
  while IFS=$'\t' read -r name _; do
    api GET "/streams/definitions/$name"
    [[ "$(json status)" == deployed ]] || pending+=" $name ($(json status))"
  done < <(definitions "$DIR/mailpulse.stream")
  [[ -z "$pending" ]] && break
  sleep 2
done
if [[ -n "$pending" ]]; then
  echo "Not deployed after 3 minutes:$pending; see $SCDF_URL/dashboard" >&2
  exit 1
fi
echo "Deployed. Streams and tasks: $SCDF_URL/dashboard"
