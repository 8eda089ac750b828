#!/usr/bin/env bash
# A recording stand-in for a command (`aws`, `npx`), copied by tests/deploy/stand-in.ts into a temporary bin
# directory under the command's name. It appends each call to $STANDIN_DIR/calls.jsonl and answers from the first
# rule of $STANDIN_DIR/rules.tsv that matches:
#   tool, regex (bash ERE, tested against the arguments joined with spaces), when, unless, set (comma-separated state
#   flags), exit code, stay alive (1 = run until SIGINT/SIGTERM), file to write, delay in seconds ('-' = empty)
# with the rule's stdout/stderr/file contents in rule-<n>.out / .err / .file. No matching rule: exit 99.
set -u

dir=$STANDIN_DIR
tool=${0##*/}

# json VALUE: sets JSON to VALUE as a JSON string (no subshell: these stand-ins must start fast).
json() {
  local s=$1
  s=${s//\\/\\\\}
  s=${s//\"/\\\"}
  s=${s//$'\n'/\\n}
  s=${s//$'\t'/\\t}
  s=${s//$'\r'/\\r}
  JSON="\"$s\""
}

args_json=''
for arg in "$@"; do
  json "$arg"
  args_json="$args_json${args_json:+,}$JSON"
done
env_json=''
for key in CI AWS_REGION AWS_DEFAULT_REGION AWS_PROFILE AWS_PAGER CHAT_APP_ENVIRONMENT CHAT_APP_PREFIX CHAT_APP_ALARM_EMAIL; do
  if [ -n "${!key+x}" ]; then
    json "${!key}"
    env_json="$env_json${env_json:+,}\"$key\":$JSON"
  fi
done
json "$PWD"
cwd_json=$JSON
# record EXTRA: appends the call (EXTRA: more JSON members, e.g. ,"signal":"SIGTERM").
record() {
  printf '{"tool":"%s","args":[%s],"cwd":%s,"env":{%s}%s}\n' "$tool" "$args_json" "$cwd_json" "$env_json" "$1" >>"$dir/calls.jsonl"
}
record ''

line="$*"
state=''
if [ -f "$dir/state" ]; then state=$(<"$dir/state"); fi
has() {
  case $'\n'"$state"$'\n' in
    *$'\n'"$1"$'\n'*) return 0 ;;
    *) return 1 ;;
  esac
}

n=0
found=0
while IFS=$'\t' read -r r_tool r_regex r_when r_unless r_set r_exit r_stay r_file r_delay; do
  n=$((n + 1))
  [ "$r_tool" = "$tool" ] || continue
  [[ $line =~ $r_regex ]] || continue
  ok=1
  if [ "$r_when" != - ]; then for flag in ${r_when//,/ }; do has "$flag" || ok=0; done; fi
  if [ "$r_unless" != - ]; then for flag in ${r_unless//,/ }; do if has "$flag"; then ok=0; fi; done; fi
  if [ "$ok" = 1 ]; then
    found=1
    break
  fi
done <"$dir/rules.tsv"
if [ "$found" = 0 ]; then
  printf 'stand-in %s: no canned answer for: %s\n' "$tool" "$line" >&2
  exit 99
fi

if [ "$r_set" != - ]; then
  {
    printf '%s\n' "$state"
    printf '%s\n' "${r_set//,/$'\n'}"
  } | sed '/^$/d' | sort -u >"$dir/state.$$"
  mv "$dir/state.$$" "$dir/state"
fi
if [ -f "$dir/rule-$n.out" ]; then cat "$dir/rule-$n.out"; fi
if [ -f "$dir/rule-$n.err" ]; then cat "$dir/rule-$n.err" >&2; fi

write_file() {
  sleep "$r_delay"
  cp "$dir/rule-$n.file" "$r_file"
}
if [ "$r_stay" = 1 ]; then
  trap 'record ",\"signal\":\"SIGINT\""; exit "$r_exit"' INT
  trap 'record ",\"signal\":\"SIGTERM\""; exit "$r_exit"' TERM
  if [ "$r_file" != - ]; then write_file & fi
  while :; do
    sleep 1 &
    wait $! 2>/dev/null || true
  done
fi
if [ "$r_file" != - ]; then write_file; fi
exit "$r_exit"
