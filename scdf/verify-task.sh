#!/usr/bin/env bash
# Launches a task defined in Spring Cloud Data Flow (scdf/deploy.sh defines daily-etl and ml-train) through its REST
# API, waits for it to end, and exits 0 only when its task execution and every job execution it ran ended COMPLETED.
#
# usage: SCDF_URL=http://localhost:9393 scdf/verify-task.sh NAME [TASK ARGUMENTS...]
#   e.g. scdf/verify-task.sh daily-etl --date=2026-03-29; needs curl and perl; waits at most TIMEOUT seconds
#   (default 1800)
set -euo pipefail

. "$(dirname "${BASH_SOURCE[0]}")/rest.sh"
TIMEOUT="${TIMEOUT:-1800}"
if (( $# < 1 )); then
  echo "usage: scdf/verify-task.sh NAME [TASK ARGUMENTS...]" >&2
  exit 2
fi
NAME="$1"
shift

# How many task processes Data Flow's platform PLATFORM has alive, when it is a local platform (nothing otherwise).
running_locally() { # PLATFORM
  curl -sS "$SCDF_URL/tasks/executions/current" 2>/dev/null | perl -MJSON::PP -e '
    my $platforms = eval { decode_json(join "", <STDIN>) } || [];
    for (ref $platforms eq "ARRAY" ? @$platforms : ()) {
      print $_->{runningExecutionCount} if $_->{name} eq $ARGV[0] && lc($_->{type} // "") eq "local";
    }' "$1"
}

# The last lines of the execution's log, as Data Flow's platform keeps it (from the execution in $BODY).
show_log() {
  local id platform
  id="$(json externalExecutionId)" platform="$(json platformName)"
  [[ -n "$id" ]] || return 0
  echo "Its log (GET /tasks/logs/$id), last lines:" >&2
  curl -sS -G "$SCDF_URL/tasks/logs/$id" --data-urlencode "platformName=${platform:-default}" ${TARGET:+--data-urlencode "schemaTarget=$TARGET"} 2>/dev/null \
    | perl -MJSON::PP -e 'my $log = eval { JSON::PP->new->allow_nonref->decode(join "", <STDIN>) } // ""; my @lines = split /\n/, $log; print map { "  $_\n" } @lines[($#lines > 19 ? $#lines - 19 : 0) .. $#lines]' >&2 || true
}

api POST /tasks/executions/launch --data-urlencode "name=$NAME" --data-urlencode "arguments=$*"
if [[ "$BODY" =~ ^[0-9]+$ ]]; then
  EXECUTION="$BODY" TARGET=""
else
  EXECUTION="$(json executionId)" TARGET="$(json schemaTarget)"
fi
QUERY="${TARGET:+?schemaTarget=$TARGET}"
echo "Launched $NAME as task execution $EXECUTION${TARGET:+ ($TARGET)}"

deadline=$(( SECONDS + TIMEOUT ))
while :; do
  api GET "/tasks/executions/$EXECUTION$QUERY"
  [[ -n "$(json endTime)" ]] && break
  platform="$(json platformName)"
  if [[ "$(running_locally "${platform:-default}")" == 0 ]]; then
    # On a local platform no task process is alive any more: it ended, and recorded its end or never will (it died
    # before Spring Cloud Task recorded it, or the app does not record task executions)
    api GET "/tasks/executions/$EXECUTION$QUERY"
    [[ -n "$(json endTime)" ]] && break
    echo "$NAME (execution $EXECUTION) is no longer running but never recorded its end: $(json taskExecutionStatus)" >&2
    show_log
    exit 1
  fi
  if (( SECONDS > deadline )); then
    echo "$NAME (execution $EXECUTION) has not ended after $TIMEOUT s: $(json taskExecutionStatus)" >&2
    exit 1
  fi
  sleep 2
done

status="$(json taskExecutionStatus)" exit_code="$(json exitCode)" message="$(json errorMessage)"
echo "Task execution $EXECUTION: $status, exit code $exit_code${message:+, $message}"
failed=0
[[ "$status" == "COMPLETE" && "$exit_code" == "0" ]] || failed=1

jobs="$(json jobExecutionIds)"
if [[ -z "$jobs" ]]; then
  echo "Task execution $EXECUTION ran no Spring Batch job" >&2
  failed=1
fi
for job in $jobs; do
  api GET "/jobs/executions/$job$QUERY"
  job_status="$(json jobExecution/status)"
  echo "Job execution $job ($(json name)): ${job_status:-unknown}"
  [[ "$job_status" == "COMPLETED" ]] || failed=1
done
if (( failed )); then
  api GET "/tasks/executions/$EXECUTION$QUERY"
  show_log
fi
exit "$failed"
