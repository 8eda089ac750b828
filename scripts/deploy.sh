#!/usr/bin/env bash
# shellcheck source-path=SCRIPTDIR
# Deploys (or updates) one environment of the chat backend to AWS, or shows its status. Run with --help.
# How it works and why: docs/deploy.md. Shared code: scripts/lib/common.sh, scripts/lib/target.sh.
set -euo pipefail

SCRIPT_NAME=deploy
# shellcheck source=lib/common.sh
. "$(dirname "$0")/lib/common.sh"
# shellcheck source=lib/target.sh
. "$(dirname "$0")/lib/target.sh"

usage() {
  cat <<'EOF'
Usage: scripts/deploy.sh [options]          deploy or update the environment (idempotent)
       scripts/deploy.sh --status [options] show stack status, outputs, GraphQL URL, user pool and alarm states

Options:
  --method branch|sandbox  how to deploy (default: branch; env CHAT_APP_DEPLOY_METHOD)
                             branch   `ampx pipeline-deploy` into a branch of an Amplify app (created when missing)
                             sandbox  `ampx sandbox --once --identifier <environment>` (development copies; not prod)
  --app-id ID              Amplify app to use (env CHAT_APP_AMPLIFY_APP_ID; default: the app named $CHAT_APP_PREFIX,
                           or CHAT_APP_AMPLIFY_APP_NAME)
  --branch NAME            Amplify branch (default: the environment name)
  --identifier NAME        sandbox identifier (default: the environment name)
  --region REGION          overrides CHAT_APP_REGION
  --profile NAME           AWS profile for aws and ampx (sets AWS_PROFILE)
  --status                 report instead of deploying
  --dry-run                print every command that would reach AWS instead of running it
  -h, --help               this help

Environment:
  CHAT_APP_ENVIRONMENT  dev (default), staging or prod
  CHAT_APP_REGION       AWS region (else AWS_REGION, AWS_DEFAULT_REGION, the profile's region)
  CHAT_APP_PREFIX       resource-name prefix (default realtime-chat); also the Amplify app name
  CHAT_APP_ALARM_EMAIL and the other CHAT_APP_* settings of README.md are passed to the synthesis unchanged.

Exit codes:
  0 deployed / healthy    2 usage error            3 missing prerequisite (tools, credentials, region, CDK bootstrap)
  4 an AWS call or the ampx deployment failed       6 (--status) not deployed
  7 (--status) stack not in a *_COMPLETE state, or an alarm in ALARM               1 unexpected failure
EOF
}

MODE=deploy
while [ $# -gt 0 ]; do
  if take_target_option "$@"; then
    shift 2
    continue
  fi
  case $1 in
    --status) MODE=status ;;
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
if [ "$DRY_RUN" != 1 ] && [ "$MODE" = deploy ]; then require_command npx 'install Node.js 20 (npm ci installs ampx)'; fi
require_command node 'install Node.js 20'
resolve_region
resolve_target
case $METHOD in
  branch) if [ -n "$IDENTIFIER" ]; then die "$EXIT_USAGE" "--identifier applies to --method sandbox"; fi ;;
  sandbox)
    if [ -n "$APP_ID" ] || [ -n "$BRANCH" ]; then die "$EXIT_USAGE" "--app-id and --branch apply to --method branch"; fi
    if [ "$MODE" = deploy ] && [ "$ENVIRONMENT" = prod ]; then
      die "$EXIT_USAGE" "--method sandbox deploys with hotswap and deletes every resource with the stack: not for prod (use --method branch)"
    fi
    ;;
esac

# --- status --------------------------------------------------------------------------------------------------------

# output_value KEY: one output of the root stack (from OUTPUTS, "key<TAB>value" lines).
output_value() { printf '%s\n' "$OUTPUTS" | awk -F '\t' -v key="$1" '$1 == key { print $2; exit }'; }

row() { printf '%-13s %s\n' "$1" "$2"; }

# Prints the environment's status; returns 0 (healthy), EXIT_NOT_DEPLOYED or EXIT_DEGRADED.
show_status() {
  local alarms ok=0 firing=0 insufficient=0 state health_problems=''
  if [ "$METHOD" = branch ] && [ "$MODE" = status ]; then find_app; fi
  if [ "$METHOD" = branch ] && [ -z "$APP_ID" ]; then
    row Environment "$ENVIRONMENT: not deployed (no Amplify app named $APP_NAME in $REGION)"
    return "$EXIT_NOT_DEPLOYED"
  fi
  fetch_stack_status
  if [ -z "$STACK_STATUS" ]; then
    row Environment "$ENVIRONMENT: not deployed ($(describe_target); stack $STACK does not exist in $REGION)"
    return "$EXIT_NOT_DEPLOYED"
  fi
  capture OUTPUTS '' aws cloudformation describe-stacks --stack-name "$STACK" --query 'Stacks[0].Outputs[].[OutputKey,OutputValue]' --output text --region "$REGION" ||
    fail_aws "aws cloudformation describe-stacks failed"
  capture alarms '' aws cloudwatch describe-alarms --alarm-name-prefix "$ALARM_PREFIX" --query 'MetricAlarms[].[StateValue,AlarmName]' --output text --region "$REGION" ||
    fail_aws "aws cloudwatch describe-alarms failed"
  if [ "$DRY_RUN" = 1 ]; then return 0; fi

  local api_id
  api_id=$(output_value awsAppsyncApiId)
  row Environment "$ENVIRONMENT: $(describe_target) in $REGION, account $ACCOUNT"
  row Stack "$STACK: $STACK_STATUS"
  row 'GraphQL URL' "$(output_value awsAppsyncApiEndpoint)"
  row 'User pool' "$(output_value userPoolId) (web client $(output_value webClientId))"
  row 'AppSync API' "${api_id} (field logs: /aws/appsync/apis/${api_id})"
  while IFS="$(printf '\t')" read -r state _; do
    case $state in
      OK) ok=$((ok + 1)) ;;
      ALARM) firing=$((firing + 1)) ;;
      INSUFFICIENT_DATA) insufficient=$((insufficient + 1)) ;;
      *) continue ;;
    esac
  done <<EOF
$alarms
EOF
  if [ $((ok + firing + insufficient)) -eq 0 ]; then
    row Alarms "none named $ALARM_PREFIX* (deployed with another CHAT_APP_PREFIX or CHAT_APP_ENVIRONMENT?)"
  else
    row Alarms "$ok OK, $firing ALARM, $insufficient INSUFFICIENT_DATA"
    # ALARM first, then INSUFFICIENT_DATA, then OK.
    printf '%s\n' "$alarms" | awk -F '\t' 'NF == 2 { rank = ($1 == "ALARM") ? 0 : ($1 == "INSUFFICIENT_DATA") ? 1 : 2; printf "%d\t  %-18s %s\n", rank, $1, $2 }' |
      sort -t "$(printf '\t')" -k1,1n -k2 | cut -f2-
  fi
  row Dashboard "https://$REGION.console.aws.amazon.com/cloudwatch/home?region=$REGION#dashboards/dashboard/$DASHBOARD_NAME"
  case $STACK_STATUS in
    CREATE_COMPLETE | UPDATE_COMPLETE | IMPORT_COMPLETE) ;;
    *) health_problems="stack is $STACK_STATUS" ;;
  esac
  if [ "$firing" -gt 0 ]; then health_problems="${health_problems:+$health_problems; }$firing alarm(s) in ALARM"; fi
  if [ -n "$health_problems" ]; then
    row Health "degraded: $health_problems"
    return "$EXIT_DEGRADED"
  fi
  row Health ok
  return 0
}

if [ "$MODE" = status ]; then
  resolve_account
  status=0
  show_status || status=$?
  exit "$status"
fi

# --- deploy --------------------------------------------------------------------------------------------------------

check_bootstrap() {
  local version
  if capture version 6 aws ssm get-parameter --name /cdk-bootstrap/hnb659fds/version --query Parameter.Value --output text --region "$REGION"; then
    if [[ $version =~ ^[0-9]+$ ]] && [ "$version" -ge 6 ]; then return 0; fi
    die "$EXIT_PREREQ" "the CDK bootstrap stack in $REGION is version $version; ampx needs 6 or later: run \`npx cdk bootstrap aws://$ACCOUNT/$REGION\`"
  fi
  if aws_error_is ParameterNotFound; then
    die "$EXIT_PREREQ" "account $ACCOUNT is not CDK-bootstrapped in $REGION: run \`npx cdk bootstrap aws://$ACCOUNT/$REGION\` once (or https://$REGION.console.aws.amazon.com/amplify/create/bootstrap?region=$REGION)"
  fi
  warn "could not check the CDK bootstrap version ($(aws_error_text)); continuing, ampx will check it too"
}

stage_for() {
  case $1 in
    prod) printf PRODUCTION ;;
    staging) printf BETA ;;
    *) printf DEVELOPMENT ;;
  esac
}

say "environment $ENVIRONMENT -> $(describe_target), region $REGION${AWS_PROFILE:+, profile $AWS_PROFILE}"
say "settings: CHAT_APP_PREFIX=$PREFIX${CHAT_APP_ALARM_EMAIL:+ CHAT_APP_ALARM_EMAIL=$CHAT_APP_ALARM_EMAIL}${CHAT_APP_LOG_LEVEL:+ CHAT_APP_LOG_LEVEL=$CHAT_APP_LOG_LEVEL}"
if [ -z "${CHAT_APP_ALARM_EMAIL:-}" ]; then say "no CHAT_APP_ALARM_EMAIL: alarms are created without e-mail notifications"; fi
resolve_account
check_bootstrap

if [ "$METHOD" = branch ]; then
  find_app
  if [ -z "$APP_ID" ] || [ "$APP_ID" = '<app-id>' ]; then
    dry_note "only when no Amplify app named $APP_NAME exists:"
    capture APP_ID "$APP_ID" aws amplify create-app --name "$APP_NAME" --platform WEB \
      --description "Backend environments of $PREFIX (scripts/deploy.sh)" --query app.appId --output text --region "$REGION" ||
      fail_aws "aws amplify create-app failed"
    if [ "$DRY_RUN" != 1 ]; then say "created Amplify app $APP_NAME ($APP_ID)"; fi
    set_branch_stack
  else
    say "using Amplify app $APP_NAME ($APP_ID)"
  fi
  if [ "$DRY_RUN" = 1 ]; then
    print_cmd aws amplify get-branch --app-id "$APP_ID" --branch-name "$BRANCH" --query branch.branchName --output text --region "$REGION"
    dry_note "only when the branch does not exist yet:"
    print_cmd aws amplify create-branch --app-id "$APP_ID" --branch-name "$BRANCH" --stage "$(stage_for "$ENVIRONMENT")" --no-enable-auto-build \
      --description "$ENVIRONMENT environment (scripts/deploy.sh)" --query branch.branchName --output text --region "$REGION"
  elif branch_exists; then
    say "using branch $BRANCH"
  else
    local_created=''
    capture local_created '' aws amplify create-branch --app-id "$APP_ID" --branch-name "$BRANCH" --stage "$(stage_for "$ENVIRONMENT")" --no-enable-auto-build \
      --description "$ENVIRONMENT environment (scripts/deploy.sh)" --query branch.branchName --output text --region "$REGION" ||
      fail_aws "aws amplify create-branch failed"
    say "created branch ${local_created:-$BRANCH}"
  fi
  # ampx pipeline-deploy refuses to run outside CI (it checks the CI variable): this script is the pipeline.
  say "deploying stack $STACK with ampx pipeline-deploy (CI=1: ampx runs this command only in pipelines, and this is one)"
  run env CI=1 AWS_REGION="$REGION" CHAT_APP_ENVIRONMENT="$ENVIRONMENT" CHAT_APP_PREFIX="$PREFIX" \
    npx ampx pipeline-deploy --branch "$BRANCH" --app-id "$APP_ID" ||
    die "$EXIT_AWS" "npx ampx pipeline-deploy failed (exit $?): see its messages above and docs/deploy.md#troubleshooting"
else
  say "deploying stack $STACK with ampx sandbox --once"
  run env AWS_REGION="$REGION" CHAT_APP_ENVIRONMENT="$ENVIRONMENT" CHAT_APP_PREFIX="$PREFIX" \
    npx ampx sandbox --once --identifier "$IDENTIFIER" ||
    die "$EXIT_AWS" "npx ampx sandbox --once failed (exit $?): see its messages above and docs/deploy.md#troubleshooting"
fi

if [ "$DRY_RUN" != 1 ]; then say "deployed; amplify_outputs.json now points at this environment (npm run build bundles it)"; fi
status=0
show_status || status=$?
if [ "$status" -ne 0 ] && [ "$DRY_RUN" != 1 ]; then
  warn "the deployment finished but the status is not healthy (exit $status of --status); see above"
fi
exit 0
