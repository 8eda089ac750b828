#!/usr/bin/env bash
# shellcheck source-path=SCRIPTDIR
# Creates the test users testuser1 and testuser2 (or brings existing ones back to the same state) in the deployed user
# pool, or in the offline sandbox's pool with --offline. Run with --help; docs/deploy.md ("Test users") explains the
# choices.
set -euo pipefail

SCRIPT_NAME=create-test-users
# shellcheck source=lib/common.sh
. "$(dirname "$0")/lib/common.sh"

usage() {
  cat <<'EOF'
Usage: scripts/create-test-users.sh [options]

Creates the test users (testuser1, testuser2) with a permanent password, idempotently: a user that already exists
keeps its user id, gets its attributes re-applied and its password set again. For each user the script calls
  admin-create-user --message-action SUPPRESS (temporary password, no invitation e-mail; e-mail marked verified)
  admin-set-user-password --permanent
and prints the user id (the Cognito sub, which conversations list as participants).

The pool signs in with e-mail, so the usernames testuser1/testuser2 become display names
(preferred_username) and the e-mail addresses are the usernames; Cognito generates the internal username (= sub).

Where:
  (default)              the deployed pool, with the AWS CLI: pool id and region from amplify_outputs.json
                         (written by ampx), --stack-name, or --user-pool-id
  --offline              the offline sandbox's pool (npm run sandbox:offline / npm run dev), over its HTTP API with
                         curl; no AWS CLI or credentials needed. Pool id and endpoint from the sandbox's
                         amplify_outputs.json (default endpoint http://127.0.0.1:20001)

Options:
  --outputs FILE           amplify_outputs.json to read (default: the project's)
  --user-pool-id ID        the pool (env CHAT_APP_USER_POOL_ID); skips amplify_outputs.json
  --stack-name NAME        read the pool id from this root stack's outputs (see scripts/deploy.sh --status)
  --endpoint-url URL       with --offline: the sandbox's Cognito URL (loopback only); without: passed to the AWS CLI
  --region REGION          default: the outputs' auth.aws_region, then CHAT_APP_REGION / AWS_REGION / the profile's
  --profile NAME           AWS profile (sets AWS_PROFILE)
  --user EMAIL[=NAME]      a user to create (repeatable; replaces the defaults test1@example.com=testuser1 and
                           test2@example.com=testuser2)
  --password PASSWORD      permanent password (env CHAT_APP_TEST_PASSWORD; default TestPassword123!)
  --temporary-password PW  password given at creation (default TempPassword123!)
  --dry-run                print every command instead of running it
  -h, --help               this help

Exit codes:
  0 users ready   2 usage error   3 missing prerequisite (aws/curl/node, no pool id, sandbox not running)
  4 a Cognito call failed (the service's message is printed)                   1 unexpected failure
EOF
}

OFFLINE=0
OUTPUTS_FILE="$PROJECT_ROOT/amplify_outputs.json"
USER_POOL_ID=${CHAT_APP_USER_POOL_ID:-}
STACK_NAME=''
ENDPOINT=''
REGION_OPTION=''
PROFILE=''
PASSWORD=${CHAT_APP_TEST_PASSWORD:-TestPassword123!}
TEMPORARY_PASSWORD='TempPassword123!'
USERS=''
while [ $# -gt 0 ]; do
  case $1 in
    --offline) OFFLINE=1 ;;
    --dry-run) DRY_RUN=1 ;;
    --outputs | --user-pool-id | --stack-name | --endpoint-url | --region | --profile | --user | --password | --temporary-password)
      need_value "$@"
      case $1 in
        --outputs) OUTPUTS_FILE=$2 ;;
        --user-pool-id) USER_POOL_ID=$2 ;;
        --stack-name) STACK_NAME=$2 ;;
        --endpoint-url) ENDPOINT=$2 ;;
        --region) REGION_OPTION=$2 ;;
        --profile) PROFILE=$2 ;;
        --user) USERS="$USERS $2" ;;
        --password) PASSWORD=$2 ;;
        --temporary-password) TEMPORARY_PASSWORD=$2 ;;
      esac
      shift
      ;;
    -h | --help)
      usage
      exit 0
      ;;
    *) die "$EXIT_USAGE" "unknown option $1 (see --help)" ;;
  esac
  shift
done
USERS=${USERS:-test1@example.com=testuser1 test2@example.com=testuser2}

if [ -n "$PROFILE" ]; then export AWS_PROFILE=$PROFILE; fi
if [ -n "$USER_POOL_ID" ] && ! [[ $USER_POOL_ID =~ ^[a-z]{2}(-[a-z]+)+-[0-9]+_[0-9A-Za-z]+$ ]]; then
  die "$EXIT_USAGE" "user pool id $USER_POOL_ID is not a pool id (<region>_<id>, like us-east-1_AbCdEf123)"
fi
if [ -n "$USER_POOL_ID" ] && [ -n "$STACK_NAME" ]; then die "$EXIT_USAGE" "give --user-pool-id or --stack-name, not both"; fi
if [ "$OFFLINE" = 1 ] && [ -n "$STACK_NAME" ]; then die "$EXIT_USAGE" "--stack-name names a deployed stack; it does not go with --offline"; fi

# --- JSON helpers (node is a prerequisite of this project) ----------------------------------------------------------

# json_string VALUE: VALUE as a JSON string literal.
json_string() {
  local value=$1
  case $value in *[[:cntrl:]]*) die "$EXIT_USAGE" "control characters are not allowed in '$value'" ;; esac
  value=${value//\\/\\\\}
  value=${value//\"/\\\"}
  printf '"%s"' "$value"
}

# json_get PATH < JSON: the value at a dotted path, '' when absent.
json_get() {
  node -e '
    let text = "";
    process.stdin.on("data", (chunk) => (text += chunk)).on("end", () => {
      let value;
      try { value = JSON.parse(text || "{}"); } catch { value = undefined; }
      for (const key of process.argv[1].split(".")) value = value == null ? undefined : value[key];
      process.stdout.write(value == null ? "" : typeof value === "object" ? JSON.stringify(value) : String(value));
    });' "$1"
}

attributes_json() { # EMAIL NAME
  printf '[{"Name":"email","Value":%s},{"Name":"email_verified","Value":"true"},{"Name":"preferred_username","Value":%s}]' \
    "$(json_string "$1")" "$(json_string "$2")"
}

# --- where: pool id, region, endpoint ------------------------------------------------------------------------------

OUTPUTS_REGION=''
OUTPUTS_ENDPOINT=''
if [ -z "$USER_POOL_ID" ] && [ -z "$STACK_NAME" ]; then
  require_command node 'install Node.js 20 (needed to read amplify_outputs.json), or pass --user-pool-id'
  if [ ! -f "$OUTPUTS_FILE" ]; then
    if [ "$OFFLINE" = 1 ]; then
      die "$EXIT_PREREQ" "$OUTPUTS_FILE does not exist: start the offline sandbox (npm run sandbox:offline), which writes it, or pass --user-pool-id"
    fi
    die "$EXIT_PREREQ" "$OUTPUTS_FILE does not exist: deploy first (scripts/deploy.sh writes it), or pass --user-pool-id or --stack-name"
  fi
  # One node start for the four values: pool id, region, endpoint, offline marker (one per line).
  if ! fields=$(node -e '
    const o = JSON.parse(require("fs").readFileSync(process.argv[1], "utf8"));
    const v = [o?.auth?.user_pool_id, o?.auth?.aws_region, o?.custom?.userPoolEndpoint, o?.custom?.offline];
    process.stdout.write(v.map((x) => (x == null ? "" : String(x).replace(/\s/g, ""))).join("\n") + "\n");' "$OUTPUTS_FILE" 2>&1); then
    die "$EXIT_PREREQ" "$OUTPUTS_FILE is not readable JSON: $(printf '%s\n' "$fields" | grep -m1 -i error || true)"
  fi
  # (Trailing empty values were stripped by $(...): a read that meets the end of input leaves its variable empty.)
  {
    IFS= read -r USER_POOL_ID || true
    IFS= read -r OUTPUTS_REGION || true
    IFS= read -r OUTPUTS_ENDPOINT || true
    IFS= read -r outputs_offline || true
  } <<FIELDS
$fields
FIELDS
  [ -n "$USER_POOL_ID" ] || die "$EXIT_PREREQ" "$OUTPUTS_FILE has no auth.user_pool_id"
  if [ "$outputs_offline" = true ] && [ "$OFFLINE" != 1 ]; then
    die "$EXIT_USAGE" "$OUTPUTS_FILE describes the offline sandbox (pool $USER_POOL_ID): add --offline, or pass --user-pool-id/--stack-name for a deployed pool"
  fi
  if [ "$outputs_offline" != true ] && [ "$OFFLINE" = 1 ]; then
    die "$EXIT_USAGE" "$OUTPUTS_FILE was written by ampx for a deployed backend (pool $USER_POOL_ID): drop --offline, or pass the sandbox's file with --outputs"
  fi
  say "user pool $USER_POOL_ID from $OUTPUTS_FILE"
fi

if [ "$OFFLINE" = 1 ]; then
  require_command curl 'install curl (Debian: apt-get install curl)'
  require_command node 'install Node.js 20'
  ENDPOINT=${ENDPOINT:-${OUTPUTS_ENDPOINT:-http://127.0.0.1:20001}}
  ENDPOINT=${ENDPOINT%/}
  # The offline pool accepts any SigV4-shaped Authorization header; never send such a request anywhere else.
  if ! [[ $ENDPOINT =~ ^https?://(127\.0\.0\.1|localhost|\[::1\])(:[0-9]+)?$ ]]; then
    die "$EXIT_USAGE" "--offline talks to the local sandbox only (http://127.0.0.1:<port>), not $ENDPOINT"
  fi
  REGION=${REGION_OPTION:-${OUTPUTS_REGION:-us-east-1}}
  say "offline sandbox Cognito at $ENDPOINT"
else
  if [ "$DRY_RUN" != 1 ]; then
    require_command aws 'install the AWS CLI v2, or use --offline for the offline sandbox'
  fi
  if [ -n "$REGION_OPTION" ]; then
    CHAT_APP_REGION=$REGION_OPTION
  elif [ -n "$OUTPUTS_REGION" ]; then
    CHAT_APP_REGION=$OUTPUTS_REGION
  fi
  resolve_region
  if [ -n "$STACK_NAME" ]; then
    if ! capture USER_POOL_ID '<user pool id>' aws cloudformation describe-stacks --stack-name "$STACK_NAME" \
      --query "Stacks[0].Outputs[?OutputKey=='userPoolId'].OutputValue" --output text --region "$REGION"; then
      fail_aws "could not read the user pool id of stack $STACK_NAME"
    fi
    [ -n "$USER_POOL_ID" ] || die "$EXIT_PREREQ" "stack $STACK_NAME has no userPoolId output (is it this app's root stack?)"
    say "user pool $USER_POOL_ID from stack $STACK_NAME"
  fi
fi
# A pool id starts with its region: a mismatch means the wrong outputs file or region.
case $USER_POOL_ID in
  "$REGION"_* | '<user pool id>') ;;
  *) die "$EXIT_USAGE" "user pool $USER_POOL_ID is not in region $REGION (pass --region ${USER_POOL_ID%%_*})" ;;
esac

# --- Cognito calls -------------------------------------------------------------------------------------------------

ENDPOINT_ARGS=()
if [ "$OFFLINE" != 1 ] && [ -n "$ENDPOINT" ]; then ENDPOINT_ARGS=(--endpoint-url "$ENDPOINT"); fi
RESPONSE=''

# offline_call OPERATION JSON: one call of the Cognito JSON API on the offline sandbox. 0 with the answer in RESPONSE,
# or 1 with AWS_ERROR in the AWS CLI's words ("An error occurred (Code) when calling the Op operation: message").
offline_call() {
  local operation=$1 body=$2 stamp answer status code type message
  stamp=$(date -u +%Y%m%dT%H%M%SZ)
  # Admin operations need an IAM (SigV4) Authorization header; the offline pool checks its shape, not the signature.
  if capture answer "$(printf '{}\n200')" curl --silent --show-error --max-time 30 -X POST "$ENDPOINT/" \
    -H 'Content-Type: application/x-amz-json-1.1' \
    -H "X-Amz-Target: AWSCognitoIdentityProviderService.$operation" \
    -H "X-Amz-Date: $stamp" \
    -H "Authorization: AWS4-HMAC-SHA256 Credential=offline/${stamp%%T*}/$REGION/cognito-idp/aws4_request, SignedHeaders=content-type;host;x-amz-date;x-amz-target, Signature=$(printf '%064d' 0)" \
    --data-binary "$body" --write-out '\n%{http_code}'; then
    status=0
  else
    status=$?
  fi
  if [ "$status" -ne 0 ]; then
    if [ "$status" -eq 7 ] || [ "$status" -eq 28 ]; then
      die "$EXIT_PREREQ" "the offline sandbox is not reachable at $ENDPOINT ($(aws_error_text)): start it with npm run sandbox:offline (or npm run dev)"
    fi
    die "$EXIT_AWS" "curl $ENDPOINT failed (exit $status): $(aws_error_text)"
  fi
  code=${answer##*$'\n'}
  RESPONSE=${answer%$'\n'*}
  if [ "$code" = 200 ]; then return 0; fi
  type=$(printf '%s' "$RESPONSE" | json_get __type)
  message=$(printf '%s' "$RESPONSE" | json_get message)
  AWS_ERROR="An error occurred (${type:-HTTP $code}) when calling the $operation operation: ${message:-$RESPONSE}"
  return 1
}

# aws_idp PLACEHOLDER OPERATION ARGS...: aws cognito-idp with the region (and endpoint) added; output in RESPONSE.
aws_idp() {
  local placeholder=$1
  shift
  capture RESPONSE "$placeholder" aws cognito-idp "$@" ${ENDPOINT_ARGS[@]+"${ENDPOINT_ARGS[@]}"} --region "$REGION"
}

# create_user EMAIL NAME: 0 created, 10 already existed; dies on any other error.
create_user() {
  local email=$1 name=$2
  if [ "$OFFLINE" = 1 ]; then
    offline_call AdminCreateUser "{\"UserPoolId\":$(json_string "$USER_POOL_ID"),\"Username\":$(json_string "$email"),\"UserAttributes\":$(attributes_json "$email" "$name"),\"TemporaryPassword\":$(json_string "$TEMPORARY_PASSWORD"),\"MessageAction\":\"SUPPRESS\"}" && return 0
  else
    aws_idp '<user id>' admin-create-user --user-pool-id "$USER_POOL_ID" --username "$email" \
      --user-attributes "$(attributes_json "$email" "$name")" --temporary-password "$TEMPORARY_PASSWORD" \
      --message-action SUPPRESS --query User.Username --output text && return 0
  fi
  if aws_error_is UsernameExistsException; then return 10; fi
  fail_aws "could not create $email"
}

update_attributes() { # EMAIL NAME
  local email=$1 name=$2
  if [ "$OFFLINE" = 1 ]; then
    offline_call AdminUpdateUserAttributes "{\"UserPoolId\":$(json_string "$USER_POOL_ID"),\"Username\":$(json_string "$email"),\"UserAttributes\":$(attributes_json "$email" "$name")}" ||
      fail_aws "could not update $email"
  else
    aws_idp '' admin-update-user-attributes --user-pool-id "$USER_POOL_ID" --username "$email" \
      --user-attributes "$(attributes_json "$email" "$name")" || fail_aws "could not update $email"
  fi
}

set_password() { # EMAIL
  local email=$1
  if [ "$OFFLINE" = 1 ]; then
    offline_call AdminSetUserPassword "{\"UserPoolId\":$(json_string "$USER_POOL_ID"),\"Username\":$(json_string "$email"),\"Password\":$(json_string "$PASSWORD"),\"Permanent\":true}" ||
      fail_aws "could not set the password of $email"
  else
    aws_idp '' admin-set-user-password --user-pool-id "$USER_POOL_ID" --username "$email" \
      --password "$PASSWORD" --permanent || fail_aws "could not set the password of $email"
  fi
}

# describe_user EMAIL: USER_ID (the sub) and USER_STATUS of the user.
describe_user() {
  local email=$1
  if [ "$OFFLINE" = 1 ]; then
    offline_call AdminGetUser "{\"UserPoolId\":$(json_string "$USER_POOL_ID"),\"Username\":$(json_string "$email")}" ||
      fail_aws "could not read $email back"
    USER_ID=$(printf '%s' "$RESPONSE" | json_get Username)
    USER_STATUS=$(printf '%s' "$RESPONSE" | json_get UserStatus)
  else
    aws_idp "$(printf '<user id>\t<status>')" admin-get-user --user-pool-id "$USER_POOL_ID" --username "$email" \
      --query '[Username,UserStatus]' --output text || fail_aws "could not read $email back"
    USER_ID=${RESPONSE%%$'\t'*}
    USER_STATUS=${RESPONSE#*$'\t'}
  fi
}

# --- the users -----------------------------------------------------------------------------------------------------

say "creating test users in pool $USER_POOL_ID ($REGION)${AWS_PROFILE:+, profile $AWS_PROFILE}"
results=''
for spec in $USERS; do
  email=${spec%%=*}
  name=${spec#*=}
  if [ "$name" = "$spec" ]; then name=${email%%@*}; fi
  case $email in
    *@*.*) ;;
    *) die "$EXIT_USAGE" "--user $spec: $email is not an e-mail address (the pool signs in with e-mail)" ;;
  esac
  outcome=0
  create_user "$email" "$name" || outcome=$?
  if [ "$outcome" -eq 10 ]; then
    say "$email exists: re-applying its attributes and password"
    update_attributes "$email" "$name"
    action=updated
  else
    action=created
  fi
  set_password "$email"
  describe_user "$email"
  results="$results$(printf '%-28s %-8s %-18s %-10s %s' "$email" "$action" "$USER_STATUS" "$name" "$USER_ID")
"
done

if [ "$DRY_RUN" != 1 ]; then
  printf '%-28s %-8s %-18s %-10s %s\n' E-mail Result Status Name 'User id (sub)'
  printf '%s' "$results"
  say "sign in with these e-mail addresses and the password given (--password; default TestPassword123!)"
fi
