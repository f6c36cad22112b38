# Data Flow's REST API for the scripts here, which source this file: SCDF_URL (default http://localhost:9393), and
# api, status_of and json. Needs curl and perl.
SCDF_URL="${SCDF_URL:-http://localhost:9393}"

# Calls the API; leaves the body in BODY, or says what SCDF answered and fails.
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

# A value of $BODY at a path of keys (a/b/c); an array one element a line, true as 1; nothing when absent or null.
json() {
  perl -MJSON::PP -e '
    my $v = decode_json(join "", <STDIN>);
    for my $key (split m{/}, $ARGV[0]) { $v = ref $v eq "HASH" ? $v->{$key} : undef; }
    print ref $v eq "ARRAY" ? join("\n", @$v) : defined $v ? $v : "";' "$1" <<<"$BODY"
}
