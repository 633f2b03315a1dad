# complete_line LINE: what the bash completion of luruse (completion/luruse)
# offers for LINE, its last word completed (a trailing space starts a new
# one), one candidate a line, sorted; run in a fresh bash with
# bash-completion loaded, in the current directory. Sourced by
# tests/test_completion.sh and tests/lib/completion_ns.sh.
BASH_COMPLETION_SCRIPT=${BASH_COMPLETION_SCRIPT:-/usr/share/bash-completion/bash_completion}
complete_line() {
  bash --norc --noprofile -c '
    . "$1" || exit 1
    . "$2" || exit 1
    line=$3
    read -ra COMP_WORDS <<< "$line"
    [[ $line == *" " ]] && COMP_WORDS+=("")
    COMP_CWORD=$(( ${#COMP_WORDS[@]} - 1 ))
    COMP_LINE=$line
    COMP_POINT=${#line}
    COMPREPLY=()
    _luruse "${COMP_WORDS[0]}" "${COMP_WORDS[COMP_CWORD]}" "${COMP_WORDS[COMP_CWORD - 1]}"
    printf "%s\n" "${COMPREPLY[@]}" | sed "/^$/d" | sort' \
    _ "$BASH_COMPLETION_SCRIPT" "$LURUSE_SRC/completion/luruse" "$1"
}
# words LINE: complete_line's candidates on one line, space-separated
words() { complete_line "$1" | tr '\n' ' ' | sed 's/ $//'; }
