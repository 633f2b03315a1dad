#!/bin/bash
# The bash completion (completion/luruse), run by bash itself with
# bash-completion loaded: commands, each command's options (exactly those its
# --help lists), file and directory arguments, and, with a running daemon in
# a private network namespace, the banned addresses for unban.
. "$(dirname "$0")/lib/common.sh"
setup
. "$TESTS_LIB/completion.sh"
[ -f "$BASH_COMPLETION_SCRIPT" ] || skip "bash-completion is missing ($BASH_COMPLETION_SCRIPT)"
[ -f "$LURUSE_SRC/completion/luruse" ] || die "completion/luruse is missing"
B=$LURUSE_BIN

# the commands `luruse --help` lists (its commands: block and "also: ...")
help_commands() {
  "$B" --help | python3 -c '
import re, sys
block = sys.stdin.read().split("commands:", 1)[1].split("\n\n", 1)[0]
cmds = re.findall(r"^  ([a-z][a-z-]*) ", block, re.M)
for also in re.findall(r"also: ([^;)]*)", block.replace("\n", " ")):
    cmds += re.findall(r"[a-z][a-z-]*", also)
print("\n".join(dict.fromkeys(cmds)))'
}
# the option names of `luruse CMD --help`'s option lines, sorted
help_options() {
  "$B" "$1" --help | sed -nE 's/^ {2,6}(-[[:alnum:]], )?(--?[[:alnum:]][[:alnum:]-]*).*/\1 \2/p' \
    | tr -d ',' | tr ' ' '\n' | sed '/^$/d' | sort -u
}

all=$(complete_line "$B ")
missing=
for c in $(help_commands); do grep -qxF -- "$c" <<< "$all" || missing="$missing $c"; done
assert_eq "every command of luruse --help is completed" "" "$missing"
assert_eq "luruse ch<TAB>" "check" "$(words "$B ch")"
assert_eq "luruse re<TAB>" "reload replay report restore" "$(words "$B re")"
assert_eq "luruse --v<TAB>" "--version" "$(words "$B --v")"

for c in $(help_commands); do
  want=$(help_options "$c")
  [ -n "$want" ] || { bad "luruse $c --help lists no option"; continue; }
  assert_eq "luruse $c -<TAB>: the options of its --help" "$(tr '\n' ' ' <<< "$want")" \
    "$(complete_line "$B $c -" | tr '\n' ' ')"
done
assert_eq "luruse replay --no-<TAB>" "--no-bans --no-email" "$(words "$B replay --no-")"
assert_eq "luruse explain --j<TAB>" "--journal --journal-dir --journal-file --json" "$(words "$B explain --j")"
assert_eq "luruse ban --f<TAB>" "--for --force" "$(words "$B ban --f")"
assert_eq "luruse status --f<TAB>: ban's options are ban's" "" "$(words "$B status --f")"

mkdir -p "$T/files/sub" && cd "$T/files" || die "cd"
touch rules.lua pyruse.json notes.txt system.journal action_nftBan.py.json
assert_eq "-c RULES: Lua and JSON files, directories" "action_nftBan.py.json pyruse.json rules.lua sub" \
  "$(words "$B run -c ")"
assert_eq "--config=RULES too" "rules.lua" "$(words "$B check --config=ru")"
assert_eq "--storage DIR: directories" "sub" "$(words "$B report --storage ")"
assert_eq "--journal-file FILE: journal files" "sub system.journal" "$(words "$B replay --journal-file ")"
assert_eq "--lines FILE|-: any file, or -" "- action_nftBan.py.json notes.txt pyruse.json rules.lua sub system.journal" \
  "$(words "$B replay --lines ")"
assert_eq "explain --lines FILE (also in a description line): a file" "notes.txt" "$(words "$B explain --lines no")"
assert_eq "explain --json FILE: a file" "notes.txt" "$(words "$B explain --json no")"
assert_eq "explain -o FORMAT" "json text" "$(words "$B explain -o ")"
assert_eq "status --json takes no file: nothing after it" "" "$(words "$B status --json ")"
assert_eq "import-pyruse-bans FILE: JSON files" "action_nftBan.py.json pyruse.json sub" \
  "$(words "$B import-pyruse-bans ")"
assert_eq "an unknown command: nothing" "" "$(words "$B frobnicate -")"
cd "$T" || die "cd"

run_in_netns "unban completion" completion_ns.sh 90
finish
