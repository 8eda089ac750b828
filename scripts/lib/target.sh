# shellcheck shell=bash
# Variables set here are read by the scripts that source this file:
# shellcheck disable=SC2034
# What scripts/deploy.sh and scripts/destroy.sh act on: one environment (CHAT_APP_ENVIRONMENT) of the backend, deployed
# by one of the two ampx paths that exist outside Amplify Hosting's own build (see docs/deploy.md, "Which deploy"):
#
#   branch  (default) a branch backend of an Amplify app: `ampx pipeline-deploy --branch <env> --app-id <app>`, the
#           command Amplify Hosting runs and Amplify documents for custom pipelines. The app (named $CHAT_APP_PREFIX
#           unless CHAT_APP_AMPLIFY_APP_ID / --app-id names one) and its branch are created when missing. Stack:
#           amplify-<appId>-<branch>-branch-<hash>.
#   sandbox a cloud sandbox named after the environment: `ampx sandbox --once --identifier <env>`, for development
#           copies (hotswap deployments, every resource deleted with the stack). Refused for prod.
#           Stack: amplify-<package name>-<identifier>-sandbox-<hash>.
#
# Needs common.sh (load_chat_config, resolve_region already run).

METHOD=${METHOD:-}
APP_ID=${APP_ID:-}
APP_NAME=${APP_NAME:-}
BRANCH=${BRANCH:-}
IDENTIFIER=${IDENTIFIER:-}
STACK=''
STACK_STATUS=''
PROFILE=${PROFILE:-}

# The target options deploy.sh and destroy.sh share. If "$1" is one, sets its variable from "$2" and returns 0 (the
# caller shifts both away); otherwise returns 1.
take_target_option() {
  case $1 in
    --method | --app-id | --branch | --identifier | --region | --profile) need_value "$@" ;;
    *) return 1 ;;
  esac
  case $1 in
    --method) METHOD=$2 ;;
    --app-id) APP_ID=$2 ;;
    --branch) BRANCH=$2 ;;
    --identifier) IDENTIFIER=$2 ;;
    --region) CHAT_APP_REGION=$2 ;;
    --profile) PROFILE=$2 ;;
  esac
}

# After the options: settings from CHAT_APP_*, the profile, and the AWS CLI unless this is a dry run.
prepare_aws_target() {
  cd "$PROJECT_ROOT" || exit 1
  load_chat_config
  if [ -n "$PROFILE" ]; then export AWS_PROFILE=$PROFILE; fi
  if [ "$DRY_RUN" != 1 ]; then
    require_command aws 'install the AWS CLI v2 (https://docs.aws.amazon.com/cli/latest/userguide/getting-started-install.html)'
  fi
}

resolve_target() {
  METHOD=$(lower "$(trim "${METHOD:-${CHAT_APP_DEPLOY_METHOD:-branch}}")")
  case $METHOD in
    branch)
      APP_ID=$(trim "${APP_ID:-${CHAT_APP_AMPLIFY_APP_ID:-}}")
      APP_NAME=$(trim "${APP_NAME:-${CHAT_APP_AMPLIFY_APP_NAME:-$PREFIX}}")
      BRANCH=$(trim "${BRANCH:-$ENVIRONMENT}")
      if [ -n "$APP_ID" ] && ! [[ $APP_ID =~ ^[a-z0-9]{1,20}$ ]]; then
        die "$EXIT_USAGE" "Amplify app id $APP_ID is not an app id (lower-case letters and digits, like d1a2b3c4d5e6f7)"
      fi
      if ! [[ $BRANCH =~ ^[A-Za-z0-9._/-]{1,255}$ ]]; then die "$EXIT_USAGE" "branch name '$BRANCH' is not a valid Amplify branch name"; fi
      TARGET_NAME=$BRANCH
      ;;
    sandbox)
      IDENTIFIER=$(trim "${IDENTIFIER:-$ENVIRONMENT}")
      if ! [[ $IDENTIFIER =~ ^[a-zA-Z0-9-]{1,15}$ ]]; then
        die "$EXIT_USAGE" "sandbox identifier '$IDENTIFIER' must be 1-15 characters of a-z, A-Z, 0-9 and '-' (an ampx rule)"
      fi
      TARGET_NAME=$IDENTIFIER
      STACK=$(stack_name "$(package_name)" "$IDENTIFIER" sandbox)
      ;;
    *) die "$EXIT_USAGE" "--method $METHOD is not one of branch, sandbox" ;;
  esac
  # amplify/backend.ts names alarms and the dashboard <prefix>-<environment>-<backend name>.
  MONITORING_NAME="$PREFIX-$ENVIRONMENT-$(backend_name "$TARGET_NAME")"
  ALARM_PREFIX="$MONITORING_NAME-"
  DASHBOARD_NAME=$(printf '%s' "$MONITORING_NAME" | LC_ALL=C tr -c 'A-Za-z0-9_-' '-')
}

describe_target() {
  case $METHOD in
    branch) printf 'branch %s of Amplify app %s' "$BRANCH" "${APP_ID:-"named $APP_NAME"}" ;;
    sandbox) printf 'cloud sandbox %s' "$IDENTIFIER" ;;
  esac
}

# find_app: sets APP_ID to the app given, or to the one app named APP_NAME, or to '' when there is none.
find_app() {
  local ids count
  if [ -n "$APP_ID" ]; then
    if ! capture ids "$APP_ID" aws amplify get-app --app-id "$APP_ID" --query app.appId --output text --region "$REGION"; then
      if aws_error_is NotFoundException; then die "$EXIT_USAGE" "there is no Amplify app $APP_ID in $REGION (check --app-id / CHAT_APP_AMPLIFY_APP_ID and the region)"; fi
      fail_aws "aws amplify get-app failed"
    fi
    set_branch_stack
    return 0
  fi
  if ! capture ids '<app-id>' aws amplify list-apps --query "apps[?name=='$APP_NAME'].appId" --output text --region "$REGION"; then
    fail_aws "aws amplify list-apps failed"
  fi
  count=$(printf '%s\n' "$ids" | wc -w | tr -d ' ')
  if [ "$count" -gt 1 ]; then
    die "$EXIT_USAGE" "several Amplify apps are named $APP_NAME in $REGION ($(printf '%s' "$ids" | tr -s '[:space:]' ' ')): pass --app-id"
  fi
  APP_ID=$(trim "$ids")
  set_branch_stack
  return 0
}

set_branch_stack() {
  if [ -z "$APP_ID" ]; then
    STACK=''
  elif [ "$APP_ID" = '<app-id>' ]; then
    STACK="amplify-<app-id>-$(alnum "$BRANCH")-branch-<hash>"
  else
    STACK=$(stack_name "$APP_ID" "$BRANCH" branch)
  fi
}

# branch_exists: 0 when the Amplify app has the branch, 1 when it does not.
branch_exists() {
  local name
  if capture name "$BRANCH" aws amplify get-branch --app-id "$APP_ID" --branch-name "$BRANCH" --query branch.branchName --output text --region "$REGION"; then
    return 0
  fi
  if aws_error_is NotFoundException; then return 1; fi
  fail_aws "aws amplify get-branch failed"
}

# fetch_stack_status: STACK_STATUS of STACK, '' when the stack does not exist.
fetch_stack_status() {
  STACK_STATUS=''
  if capture STACK_STATUS '<stack status>' aws cloudformation describe-stacks --stack-name "$STACK" --query 'Stacks[0].StackStatus' --output text --region "$REGION"; then
    return 0
  fi
  if aws_error_is 'does not exist'; then
    STACK_STATUS=''
    return 0
  fi
  fail_aws "aws cloudformation describe-stacks failed"
}
