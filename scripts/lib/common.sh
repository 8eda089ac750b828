# shellcheck shell=bash
# Variables set here are read by the scripts that source this file:
# shellcheck disable=SC2034
# Shared by scripts/deploy.sh, scripts/destroy.sh and scripts/create-test-users.sh (sourced, never run on its own).
#
# Conventions:
#   - messages go to stderr as "[<script>] ..."; information a caller may want to parse (status, dry-run commands)
#     goes to stdout;
#   - under --dry-run every command that would reach AWS (aws, npx ampx, curl) is printed as "DRY-RUN: <command>"
#     on stdout and not run; values it would have returned are shown as <placeholders>;
#   - exit codes (the same for every script):
#       0 success
#       1 unexpected failure (a bug; bash reports the failing line)
#       2 usage error: unknown option, invalid value (CHAT_APP_ENVIRONMENT, CHAT_APP_PREFIX, region, ...)
#       3 missing prerequisite: aws/npx/node/curl not found, no credentials, no region, region not CDK-bootstrapped,
#         offline sandbox not reachable, no user pool id
#       4 an AWS (or Cognito) call or the ampx deployment failed; the service's message is printed
#       5 aborted: the confirmation was not given
#       6 (deploy.sh --status) the environment is not deployed
#       7 (deploy.sh --status) deployed but not healthy: stack not in a *_COMPLETE state, or an alarm in ALARM
#
# Written for bash 3.2+ (macOS's /bin/bash): no associative arrays, no ${var,,}, no mapfile.

readonly EXIT_USAGE=2 EXIT_PREREQ=3 EXIT_AWS=4 EXIT_ABORTED=5 EXIT_NOT_DEPLOYED=6 EXIT_DEGRADED=7

PROJECT_ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
SCRIPT_NAME=${SCRIPT_NAME:-$(basename "$0" .sh)}
DRY_RUN=${DRY_RUN:-0}
AWS_ERROR=''

# AWS CLI v2 pages long output through `less` by default; these scripts are non-interactive.
export AWS_PAGER=''

say() { printf '[%s] %s\n' "$SCRIPT_NAME" "$*" >&2; }
warn() { printf '[%s] warning: %s\n' "$SCRIPT_NAME" "$*" >&2; }
die() {
  local code=$1
  shift
  printf '[%s] error: %s\n' "$SCRIPT_NAME" "$*" >&2
  exit "$code"
}

lower() { printf '%s' "$1" | tr '[:upper:]' '[:lower:]'; }
trim() {
  local value=$1
  value=${value#"${value%%[![:space:]]*}"}
  value=${value%"${value##*[![:space:]]}"}
  printf '%s' "$value"
}

# quote_into ARG: sets QUOTED to ARG as the shell needs it typed (bare when plain, else quoted). No subshell: a
# dry-run listing quotes dozens of arguments.
quote_into() {
  local arg=$1 escaped_quote="'\\''"
  case $arg in
    '') QUOTED="''" ;;
    *[!A-Za-z0-9_./:=@,+%^-]*)
      case $arg in
        *\'*[\$\`\"\\!]* | *[\$\`\"\\!]*\'*) QUOTED="'${arg//\'/$escaped_quote}'" ;;
        *\'*) QUOTED="\"$arg\"" ;;
        *) QUOTED="'$arg'" ;;
      esac
      ;;
    *) QUOTED=$arg ;;
  esac
}

quote_arg() {
  quote_into "$1"
  printf '%s' "$QUOTED"
}

quote_cmd() {
  local out='' arg
  for arg in "$@"; do
    quote_into "$arg"
    out="$out $QUOTED"
  done
  printf '%s' "${out# }"
}

print_cmd() { printf 'DRY-RUN: %s\n' "$(quote_cmd "$@")"; }
# A comment in the dry-run listing (e.g. "only when the app does not exist yet").
dry_note() { if [ "$DRY_RUN" = 1 ]; then printf 'DRY-RUN: # %s\n' "$*"; fi; }

# run CMD...: runs a command whose output goes to the terminal; prints it instead under --dry-run.
run() {
  if [ "$DRY_RUN" = 1 ]; then
    print_cmd "$@"
    return 0
  fi
  say "\$ $(quote_cmd "$@")"
  "$@"
}

# capture VAR PLACEHOLDER CMD...: runs CMD, stores its stdout (without trailing newlines; the AWS CLI's "None" for a
# missing value becomes empty) in VAR and its stderr in AWS_ERROR, and returns CMD's exit code. Under --dry-run it
# prints CMD, stores PLACEHOLDER and returns 0.
capture() {
  local var=$1 placeholder=$2 errfile out status=0
  shift 2
  if [ "$DRY_RUN" = 1 ]; then
    print_cmd "$@"
    printf -v "$var" '%s' "$placeholder"
    AWS_ERROR=''
    return 0
  fi
  errfile=$(mktemp)
  out=$("$@" 2>"$errfile") || status=$?
  AWS_ERROR=$(cat "$errfile")
  rm -f "$errfile"
  if [ "$out" = None ]; then out=''; fi
  printf -v "$var" '%s' "$out"
  return "$status"
}

# The last line of the AWS CLI's error output: "An error occurred (Code) when calling the Op operation: message".
aws_error_text() {
  local text
  text=$(printf '%s\n' "$AWS_ERROR" | sed '/^[[:space:]]*$/d' | tail -n 1)
  printf '%s' "${text:-no error message}"
}

aws_error_is() { case $AWS_ERROR in *"$1"*) return 0 ;; *) return 1 ;; esac; }

fail_aws() { die "$EXIT_AWS" "$1: $(aws_error_text)"; }

# For an option that takes a value: "$1" is the option, "$2" its value (not empty, not another option).
need_value() {
  if [ $# -lt 2 ] || [ -z "$2" ] || [ "${2#--}" != "$2" ]; then die "$EXIT_USAGE" "$1 needs a value (see --help)"; fi
}

require_command() {
  command -v "$1" >/dev/null 2>&1 || die "$EXIT_PREREQ" "$1 not found on PATH: $2"
}

# --- configuration (the CHAT_APP_* variables; the same rules as amplify/config.ts) -------------------------------

load_chat_config() {
  ENVIRONMENT=$(lower "$(trim "${CHAT_APP_ENVIRONMENT:-}")")
  ENVIRONMENT=${ENVIRONMENT:-dev}
  case $ENVIRONMENT in
    dev | staging | prod) ;;
    *) die "$EXIT_USAGE" "CHAT_APP_ENVIRONMENT=${CHAT_APP_ENVIRONMENT} is not one of dev, staging, prod" ;;
  esac
  PREFIX=$(trim "${CHAT_APP_PREFIX:-}")
  PREFIX=${PREFIX:-realtime-chat}
  if ! [[ $PREFIX =~ ^[a-z][a-z0-9-]{0,30}$ ]]; then
    die "$EXIT_USAGE" "CHAT_APP_PREFIX=$PREFIX must start with a lower-case letter and contain only a-z, 0-9 and '-' (at most 31 characters)"
  fi
  export CHAT_APP_ENVIRONMENT=$ENVIRONMENT CHAT_APP_PREFIX=$PREFIX
}

# REGION from CHAT_APP_REGION, AWS_REGION, AWS_DEFAULT_REGION, then the AWS profile's region.
resolve_region() {
  REGION=$(trim "${CHAT_APP_REGION:-${AWS_REGION:-${AWS_DEFAULT_REGION:-}}}")
  if [ -z "$REGION" ]; then
    if [ "$DRY_RUN" = 1 ]; then
      print_cmd aws configure get region
      REGION='<region of your AWS profile>'
      return 0
    fi
    REGION=$(aws configure get region 2>/dev/null || true)
    REGION=$(trim "$REGION")
  fi
  [ -n "$REGION" ] || die "$EXIT_PREREQ" "no AWS region: set CHAT_APP_REGION (or AWS_REGION, or a region in your AWS profile)"
  if ! [[ $REGION =~ ^[a-z]{2}(-[a-z]+)+-[0-9]+$ ]]; then
    die "$EXIT_USAGE" "CHAT_APP_REGION=$REGION is not an AWS region name (for example us-east-1)"
  fi
  export AWS_REGION=$REGION AWS_DEFAULT_REGION=$REGION
}

# ACCOUNT of the credentials in use (aws sts get-caller-identity); exit 3 without credentials.
resolve_account() {
  if ! capture ACCOUNT '<account id>' aws sts get-caller-identity --query Account --output text --region "$REGION"; then
    die "$EXIT_PREREQ" "no usable AWS credentials${AWS_PROFILE:+ for profile $AWS_PROFILE}: $(aws_error_text) (configure them with \`aws configure\` / \`aws sso login\`, or pass --profile)"
  fi
}

# --- Amplify backend identifiers ---------------------------------------------------------------------------------

sha512_hex() {
  if command -v sha512sum >/dev/null 2>&1; then sha512sum; else shasum -a 512; fi | cut -c1-128
}

alnum() { printf '%s' "$1" | LC_ALL=C tr -cd 'A-Za-z0-9'; }

# stack_name NAMESPACE NAME TYPE: the root stack name ampx deploys to, as @aws-amplify/platform-core's
# BackendIdentifierConversions.toStackName computes it ("amplify-<namespace>-<name>-<type>-<hash>"; the hash is the
# first 10 hex digits of SHA-512(namespace + name)). Amplify documents that this never changes.
stack_name() {
  local namespace=$1 name=$2 type=$3 hash clean_name clean_namespace max
  hash=$(printf '%s%s' "$namespace" "$name" | sha512_hex | cut -c1-10)
  clean_name=$(alnum "$name")
  clean_name=${clean_name:0:50}
  max=$((128 - 7 - ${#type} - ${#clean_name} - 4 - 10))
  clean_namespace=$(alnum "$namespace")
  clean_namespace=${clean_namespace:0:$((max - 1))}
  printf 'amplify-%s-%s-%s-%s' "$clean_namespace" "$clean_name" "$type" "$hash"
}

# backend_name NAME: amplify/backend.ts's name for alarms and the dashboard (lower case, [^a-z0-9-] -> '-').
backend_name() { lower "$1" | LC_ALL=C tr -c 'a-z0-9-' '-'; }

# ampx's sandbox namespace: package.json#name.
package_name() {
  node -e 'process.stdout.write(String(require(process.argv[1]).name))' "$PROJECT_ROOT/package.json"
}
