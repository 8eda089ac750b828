#!/usr/bin/env bash
# shellcheck source-path=SCRIPTDIR
# Amplify Hosting build step helper (amplify.yml): maps the Git branch being built ($AWS_BRANCH) to the CHAT_APP_*
# settings amplify/config.ts reads at synthesis, then runs the given command with them:
#
#   bash scripts/amplify-hosting-env.sh npx ampx pipeline-deploy --branch $AWS_BRANCH --app-id $AWS_APP_ID
#   bash scripts/amplify-hosting-env.sh           (no command: print the settings as shell assignments)
#
# CHAT_APP_ENVIRONMENT
#   1. set for the branch in the Amplify console (Hosting > Environment variables, per-branch override): used as is;
#   2. otherwise from the branch name: main, master, prod, production -> prod;
#      staging, stage, release, release/*, release-* -> staging; every other branch -> dev.
# CHAT_APP_ALARM_EMAIL
#   1. set for the branch in the Amplify console: used as is;
#   2. otherwise CHAT_APP_ALARM_EMAIL_PROD / _STAGING / _DEV (app-wide variables, one per environment);
#   3. otherwise unset: alarms without e-mail notifications.
# Exit codes: 2 AWS_BRANCH missing or CHAT_APP_ENVIRONMENT invalid; otherwise the command's own exit code.
set -euo pipefail

SCRIPT_NAME=amplify-hosting-env
# shellcheck source=lib/common.sh
. "$(dirname "$0")/lib/common.sh"

case ${1:-} in
  -h | --help)
    sed -n '3,18p' "$0" | sed 's/^# \{0,1\}//'
    exit 0
    ;;
esac

branch=$(trim "${AWS_BRANCH:-}")
[ -n "$branch" ] || die "$EXIT_USAGE" "AWS_BRANCH is not set (Amplify Hosting sets it to the branch being built)"

if [ -n "$(trim "${CHAT_APP_ENVIRONMENT:-}")" ]; then
  source_of_environment='CHAT_APP_ENVIRONMENT set for this branch'
else
  case $branch in
    main | master | prod | production) CHAT_APP_ENVIRONMENT=prod ;;
    staging | stage | release | release/* | release-*) CHAT_APP_ENVIRONMENT=staging ;;
    *) CHAT_APP_ENVIRONMENT=dev ;;
  esac
  source_of_environment="branch $branch"
fi
load_chat_config # validates and normalizes CHAT_APP_ENVIRONMENT and CHAT_APP_PREFIX, exports them

if [ -n "$(trim "${CHAT_APP_ALARM_EMAIL:-}")" ]; then
  source_of_email='CHAT_APP_ALARM_EMAIL set for this branch'
else
  upper=$(printf '%s' "$ENVIRONMENT" | tr '[:lower:]' '[:upper:]')
  per_environment="CHAT_APP_ALARM_EMAIL_$upper"
  CHAT_APP_ALARM_EMAIL=$(trim "${!per_environment:-}")
  source_of_email=$per_environment
fi
if [ -n "$CHAT_APP_ALARM_EMAIL" ]; then
  export CHAT_APP_ALARM_EMAIL
else
  unset CHAT_APP_ALARM_EMAIL
fi

say "branch $branch: CHAT_APP_ENVIRONMENT=$ENVIRONMENT ($source_of_environment), CHAT_APP_PREFIX=$PREFIX"
if [ -n "${CHAT_APP_ALARM_EMAIL:-}" ]; then
  say "alarm e-mail: $CHAT_APP_ALARM_EMAIL ($source_of_email)"
else
  say "alarm e-mail: none (set $source_of_email, or CHAT_APP_ALARM_EMAIL for this branch, in the Amplify console)"
fi

if [ $# -eq 0 ]; then
  printf 'CHAT_APP_ENVIRONMENT=%s\nCHAT_APP_PREFIX=%s\n' "$ENVIRONMENT" "$PREFIX"
  if [ -n "${CHAT_APP_ALARM_EMAIL:-}" ]; then printf 'CHAT_APP_ALARM_EMAIL=%s\n' "$(quote_arg "$CHAT_APP_ALARM_EMAIL")"; fi
  exit 0
fi
exec "$@"
