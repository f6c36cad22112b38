#!/usr/bin/env bash
# Registers MailPulse's apps with Spring Cloud Data Flow, creates the stream and task definitions and deploys the
# streams, through SCDF's REST API (SCDF_URL, default http://localhost:9393). Safe to run again: registrations are
# replaced, existing definitions kept, deployed streams left running unless --redeploy is given.
#
# usage: scdf/deploy.sh [--redeploy]
#   needs curl and perl; MAILPULSE_RECIPIENT_HASH_SECRET (else taken from run/secrets.env, as bin/mailpulse up does)
#   and the other MAILPULSE_* connection settings of README.md are filled into the deployment properties.
set -euo pipefail

DIR="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
ROOT="$(cd "$DIR/.." && pwd)"
SCDF_URL="${SCDF_URL:-http://localhost:9393}"
REDEPLOY=false
case "${1:-}" in
  --redeploy) REDEPLOY=true ;;
  "") ;;
  *) echo "usage: scdf/deploy.sh [--redeploy]" >&2; exit 2 ;;
esac

# Calls the API; prints the body, or says what SCDF answered and fails.
api() { # METHOD PATH [curl options]
  local method="$1" path="$2" out status
  shift 2
  out="$(curl -sS -X "$method" -w '\n%{http_code}' "$SCDF_URL$path" "$@")" || { echo "Cannot reach Data Flow at $SCDF_URL" >&2; exit 1; }
  status="${out##*$'\n'}"
  BODY="${out%$'\n'*}"
  if (( status >= 400 )); then
    echo "Data Flow answered $status to $method $path: $BODY" >&2
    return 1
  fi
}

# The HTTP status of a GET, without failing.
status_of() { curl -s -o /dev/null -w '%{http_code}' "$SCDF_URL$1"; }

# A JSON field of $BODY (top level).
field() { perl -MJSON::PP -e 'my $v = decode_json(join "", <STDIN>)->{$ARGV[0]}; print defined $v ? $v : ""' "$1" <<<"$BODY"; }

# A deployment properties file as a JSON object, ${VAR:-default} and ${VAR} filled from the environment; a property
# left empty is not sent.
deployment_json() {
  perl -MJSON::PP -ne '
    next if /^\s*(#|$)/;
    chomp;
    my ($key, $value) = split /=/, $_, 2;
    $value =~ s/\$\{(\w+)(?::-([^}]*))?\}/defined $ENV{$1} && $ENV{$1} ne "" ? $ENV{$1} : defined $2 ? $2 : die "set $1 (needed by $key)\n"/ge;
    $props{$key} = $value if $value ne "";  # SCDF cannot parse an empty value back: unset instead
    END { print JSON::PP->new->canonical->encode(\%props) if !$?; }' "$1"
}

# name = definition lines of a definitions file.
definitions() { grep -v '^\s*\(#\|$\)' "$1" | sed 's/^\s*\([^ =]*\)\s*=\s*/\1\t/'; }

if [[ -z "${MAILPULSE_RECIPIENT_HASH_SECRET:-}" && -f "$ROOT/run/secrets.env" ]]; then
  set -a; . "$ROOT/run/secrets.env"; set +a
fi

api GET /about
echo "Data Flow $(perl -MJSON::PP -e 'print decode_json(join "", <STDIN>)->{versionInfo}{implementation}{version}' <<<"$BODY") at $SCDF_URL"

echo "Registering the apps of scdf/apps.properties ..."
# SCDF reads the lines itself and takes comments for registrations: they are left out.
api POST /apps --data-urlencode "apps=$(grep -v '^\s*\(#\|$\)' "$DIR/apps.properties")" --data-urlencode force=true
grep -c '^[a-z]*\.[a-z-]*=' "$DIR/apps.properties" | xargs printf '  %s apps registered\n'

while IFS=$'\t' read -r name definition; do
  if [[ "$(status_of "/streams/definitions/$name")" == 200 ]]; then
    api GET "/streams/definitions/$name"
    if [[ "$(field originalDslText)" != "$definition" ]]; then
      if ! $REDEPLOY; then
        echo "Stream $name exists with another definition ($(field originalDslText)); run with --redeploy to replace it" >&2
        exit 1
      fi
      echo "Replacing stream $name ..."
      api DELETE "/streams/definitions/$name"
    elif $REDEPLOY && [[ "$(field status)" != undeployed ]]; then
      echo "Undeploying stream $name ..."
      api DELETE "/streams/deployments/$name"
    fi
  fi
  if [[ "$(status_of "/streams/definitions/$name")" != 200 ]]; then
    echo "Creating stream $name = $definition"
    api POST /streams/definitions --data-urlencode "name=$name" --data-urlencode "definition=$definition" --data-urlencode deploy=false
  fi
  api GET "/streams/definitions/$name"
  if [[ "$(field status)" == undeployed ]]; then
    echo "Deploying stream $name with scdf/$name.deployment.properties ..."
    properties="$(deployment_json "$DIR/$name.deployment.properties")"
    api POST "/streams/deployments/$name" -H 'Content-Type: application/json' --data-binary "$properties"
  else
    echo "Stream $name is $(field status); left as it is"
  fi
done < <(definitions "$DIR/mailpulse.stream")

while IFS=$'\t' read -r name definition; do
  if [[ "$(status_of "/tasks/definitions/$name")" != 200 ]]; then
    echo "Creating task $name = $definition"
    api POST /tasks/definitions --data-urlencode "name=$name" --data-urlencode "definition=$definition"
  fi
done < <(definitions "$DIR/mailpulse.tasks")

echo "Waiting for the streams to deploy ..."
for _ in $(seq 90); do
  pending=""
  while IFS=$'\t' read -r name _; do
    api GET "/streams/definitions/$name"
    [[ "$(field status)" == deployed ]] || pending+=" $name ($(field status))"
  done < <(definitions "$DIR/mailpulse.stream")
  [[ -z "$pending" ]] && break
  sleep 2
done
if [[ -n "$pending" ]]; then
  echo "Not deployed after 3 minutes:$pending; see $SCDF_URL/dashboard" >&2
  exit 1
fi
echo "Deployed. Streams and tasks: $SCDF_URL/dashboard"
