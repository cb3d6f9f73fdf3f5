#!/usr/bin/env bash
# Turn loose TAP from several producers into one proper TAP stream.
#
#   producers | vm/tap-report.sh        (or: vm/tap-report.sh FILE...)
#
# Producers print "ok - desc" / "not ok - desc" (numbers optional, they are
# replaced), "# comments", and whatever else escapes them (compiler output,
# a shell error): such lines become comments. Lines are numbered and echoed
# as they arrive, so a long run shows progress. At the end: the plan "1..N",
# then exactly one line "P passed, F failed". Exit status 1 if anything
# failed or nothing ran. "ok ... # SKIP" counts as skipped, never as passed.
set -euo pipefail

n=0 passed=0 failed=0 skipped=0

emit() {	# emit ok|not-ok DESCRIPTION
	n=$((n + 1))
	if [ "$1" = ok ]; then
		echo "ok $n${2:+ - $2}"
		shopt -s nocasematch
		if [[ $2 =~ \#[[:space:]]*skip ]]; then
			skipped=$((skipped + 1))
		else
			passed=$((passed + 1))
		fi
		shopt -u nocasematch
	else
		echo "not ok $n${2:+ - $2}"
		failed=$((failed + 1))
	fi
}

tap_re='^(not ok|ok)([[:space:]]+[0-9]+)?([[:space:]]+-)?([[:space:]]+(.*))?$'
while IFS= read -r line || [ -n "$line" ]; do
	line=${line%$'\r'}
	if [[ $line =~ $tap_re ]]; then
		[ "${BASH_REMATCH[1]}" = ok ] && result=ok || result=not-ok
		emit "$result" "${BASH_REMATCH[5]}"
	elif [[ $line =~ ^Bail\ out! ]]; then
		emit not-ok "$line"
	elif [[ -z ${line//[[:space:]]/} || $line =~ ^TAP\ version ]]; then
		:
	elif [[ $line =~ ^# ]]; then
		echo "$line"
	else
		# Includes sub-plans "1..N": only the combined plan counts.
		echo "# $line"
	fi
done < <(cat -- "$@")

[ $n -gt 0 ] || emit not-ok "no test results at all"
echo "1..$n"
[ $skipped -eq 0 ] || echo "# $skipped skipped (counted neither passed nor failed)"
echo "$passed passed, $failed failed"
[ $failed -eq 0 ]
