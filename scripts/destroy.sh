#!/usr/bin/env bash
# shellcheck source-path=SCRIPTDIR
# Deletes one environment of the chat backend (what scripts/deploy.sh created). Asks for confirmation unless --yes.
# Run with --help; details in docs/deploy.md ("Cleanup").
set -euo pipefail

SCRIPT_NAME=destroy
# shellcheck source=lib/common.sh
. "$(dirname "$0")/lib/common.sh"
# shellcheck source=lib/target.sh
. "$(dirname "$0")/lib/target.sh"

usage() {
  cat <<'EOF'
Usage: scripts/destroy.sh [options]

Deletes the backend stack of one environment (CHAT_APP_ENVIRONMENT): the user pool and its users, every DynamoDB
table and its data, the functions, alarms, dashboard and log groups. Then, for --method branch, the Amplify branch
(the Amplify app itself is kept). Running it again when nothing is left is not an error.

Options:
  --method branch|sandbox  how the environment was deployed (default: branch; env CHAT_APP_DEPLOY_METHOD)
  --app-id ID              Amplify app (env CHAT_APP_AMPLIFY_APP_ID; default: the app named $CHAT_APP_PREFIX)
  --branch NAME            Amplify branch (default: the environment name)
  --identifier NAME        sandbox identifier (default: the environment name)
  --region REGION          overrides CHAT_APP_REGION
  --profile NAME           AWS profile (sets AWS_PROFILE)
  --yes, -y                do not ask for confirmation
  --dry-run                print every command that would reach AWS instead of running it (asks nothing)
  -h, --help               this help

Without --yes the script asks on stdin; anything but "y"/"yes" (including end of input) aborts with exit code 5.

Exit codes:
  0 deleted, or nothing to delete   2 usage error   3 missing prerequisite (tools, credentials, region)
  4 an AWS call or ampx failed      5 aborted: not confirmed                           1 unexpected failure
EOF
}

ASSUME_YES=0
while [ $# -gt 0 ]; do
  if take_target_option "$@"; then
    shift 2
    continue
  fi
  case $1 in
    --yes | -y) ASSUME_YES=1 ;;
    --dry-run) DRY_RUN=1 ;;
    -h | --help)
      usage
      exit 0
      ;;
    *) die "$EXIT_USAGE" "unknown option $1 (see --help)" ;;
  esac
  shift
done

prepare_aws_target
require_command node 'install Node.js 20'
resolve_region
resolve_target
case $METHOD in
  branch) if [ -n "$IDENTIFIER" ]; then die "$EXIT_USAGE" "--identifier applies to --method sandbox"; fi ;;
  sandbox)
    if [ -n "$APP_ID" ] || [ -n "$BRANCH" ]; then die "$EXIT_USAGE" "--app-id and --branch apply to --method branch"; fi
    if [ "$DRY_RUN" != 1 ]; then require_command npx 'install Node.js 20 (npm ci installs ampx)'; fi
    ;;
esac
resolve_account

# What exists: the app (branch method), the stack, the branch.
HAS_BRANCH=0
if [ "$METHOD" = branch ]; then
  find_app
  if [ -z "$APP_ID" ]; then
    say "nothing to delete: there is no Amplify app named $APP_NAME in $REGION (environment $ENVIRONMENT)"
    exit 0
  fi
  if [ "$DRY_RUN" = 1 ]; then
    print_cmd aws amplify get-branch --app-id "$APP_ID" --branch-name "$BRANCH" --query branch.branchName --output text --region "$REGION"
    HAS_BRANCH=1
  elif branch_exists; then
    HAS_BRANCH=1
  fi
fi
fetch_stack_status
if [ "$DRY_RUN" != 1 ] && [ -z "$STACK_STATUS" ] && [ "$HAS_BRANCH" = 0 ]; then
  say "nothing to delete: stack $STACK does not exist in $REGION ($(describe_target))"
  exit 0
fi

# The AppSync API's log group is created by AppSync, not by the stack, so it outlives it: name it afterwards.
API_ID=''
if [ -n "$STACK_STATUS" ]; then
  capture API_ID '<api id>' aws cloudformation describe-stacks --stack-name "$STACK" \
    --query "Stacks[0].Outputs[?OutputKey=='awsAppsyncApiId'].OutputValue" --output text --region "$REGION" || API_ID=''
fi

if [ "$DRY_RUN" != 1 ] && [ "$ASSUME_YES" != 1 ]; then
  {
    printf '\nThis permanently deletes environment %s (%s) in %s, account %s:\n' "$ENVIRONMENT" "$(describe_target)" "$REGION" "$ACCOUNT"
    if [ -n "$STACK_STATUS" ]; then
      printf '  stack %s (%s): the user pool and all users, all conversations and messages (DynamoDB), functions, alarms, dashboard, logs\n' "$STACK" "$STACK_STATUS"
    fi
    if [ "$HAS_BRANCH" = 1 ]; then printf '  Amplify branch %s of app %s\n' "$BRANCH" "$APP_ID"; fi
    printf 'Delete? [y/N] '
  } >&2
  answer=''
  if ! IFS= read -r answer; then answer=''; fi
  case $(lower "$(trim "$answer")") in
    y | yes) ;;
    *)
      printf '\n' >&2
      die "$EXIT_ABORTED" "aborted: nothing was deleted"
      ;;
  esac
fi

if [ "$METHOD" = sandbox ]; then
  # ampx deletes the sandbox's stack and waits for it; it asks again unless --yes (we already asked).
  run env AWS_REGION="$REGION" npx ampx sandbox delete --identifier "$IDENTIFIER" --yes ||
    die "$EXIT_AWS" "npx ampx sandbox delete failed (exit $?): see its messages above"
else
  if [ -n "$STACK_STATUS" ]; then
    run aws cloudformation delete-stack --stack-name "$STACK" --region "$REGION" ||
      die "$EXIT_AWS" "aws cloudformation delete-stack failed (exit $?)"
    if [ "$DRY_RUN" != 1 ]; then say "waiting for the stack to be deleted (several minutes)…"; fi
    run aws cloudformation wait stack-delete-complete --stack-name "$STACK" --region "$REGION" ||
      die "$EXIT_AWS" "the stack was not deleted (exit $?): see its events with \`aws cloudformation describe-stack-events --stack-name $STACK --region $REGION\`"
  fi
  if [ "$HAS_BRANCH" = 1 ]; then
    run aws amplify delete-branch --app-id "$APP_ID" --branch-name "$BRANCH" --query branch.branchName --output text --region "$REGION" ||
      die "$EXIT_AWS" "aws amplify delete-branch failed (exit $?)"
  fi
fi

if [ "$DRY_RUN" != 1 ]; then
  say "deleted environment $ENVIRONMENT ($(describe_target))"
  if [ -n "$API_ID" ]; then
    say "kept: log group /aws/appsync/apis/$API_ID (created by AppSync, expires with its retention); to delete it now:"
    say "  aws logs delete-log-group --log-group-name /aws/appsync/apis/$API_ID --region $REGION"
  fi
  if [ "$METHOD" = branch ]; then
    say "kept: Amplify app $APP_ID (free while it has no hosting); delete it with: aws amplify delete-app --app-id $APP_ID --region $REGION"
  fi
fi
