/**
 * `ankagit completion bash|zsh`: a shell completion script generated from the commander definitions
 * themselves (every command, subcommand, alias, option, option value and argument choice), so a new
 * command or flag completes without anyone editing a list. Positional arguments without fixed choices
 * complete as ref names (asked of `ankagit show-ref` at completion time) and files.
 */
import { Argument, Command, type Help } from 'commander'
import type { CliIo } from './io.js'

/** One command of the tree, as the scripts need it. */
export interface CompletionSpec {
  /** Names from the top, without the program's: [] for ankagit itself, ['remote', 'add']. */
  path: string[]
  /** The name and its aliases. */
  names: string[]
  description: string
  options: Array<{ flags: string[]; description: string; takesValue: boolean; choices?: string[] }>
  args: Array<{ name: string; variadic: boolean; choices?: string[] }>
  subcommands: CompletionSpec[]
}

export function makeCompletionCommand(io: CliIo): Command {
  return new Command('completion')
    .description('print a bash or zsh completion script for ankagit')
    .addArgument(new Argument('<shell>', 'the shell: bash or zsh').choices(['bash', 'zsh']))
    .addHelpText('after', `
The script is generated from ankagit's own command definitions, so it always matches this version.
It completes commands, subcommands, options and their fixed values; other arguments complete as
branch and tag names (from 'ankagit show-ref') and files.
Exit status: 2 for a shell other than bash or zsh.

Install for bash (bash-completion 2 loads it on first use):
  mkdir -p ~/.local/share/bash-completion/completions
  ankagit completion bash > ~/.local/share/bash-completion/completions/ankagit
  # or, without bash-completion: echo 'source <(ankagit completion bash)' >> ~/.bashrc

Install for zsh (a folder on $fpath, before compinit runs in ~/.zshrc):
  mkdir -p ~/.zfunc && ankagit completion zsh > ~/.zfunc/_ankagit
  # and in ~/.zshrc: fpath=(~/.zfunc $fpath); autoload -Uz compinit && compinit
  # or, after compinit: source <(ankagit completion zsh)

Examples:
  ankagit completion bash
  source <(ankagit completion zsh)`)
    .action(function (this: Command, shell: 'bash' | 'zsh') {
      let root: Command = this
      while (root.parent) root = root.parent
      const spec = describeCommands(root)
      io.out(shell === 'bash' ? bashCompletion(spec) : zshCompletion(spec))
    })
}

/** The command tree as commander shows it in --help: visible commands (with the implicit help
 *  command, whose argument is one of its siblings) and visible options (with --help). */
export function describeCommands(cmd: Command, path: string[] = [], help: Help = cmd.createHelp()): CompletionSpec {
  const visible = help.visibleCommands(cmd)
  const subcommands = visible.map((sub) => {
    const spec = describeCommands(sub, [...path, sub.name()], help)
    // commander's implicit `help [command]` is not in cmd.commands: its argument names a sibling.
    if (!cmd.commands.includes(sub)) for (const a of spec.args) a.choices = visible.filter((s) => s !== sub).map((s) => s.name())
    return spec
  })
  return {
    path,
    names: [cmd.name(), ...cmd.aliases()],
    description: help.commandDescription(cmd),
    options: help.visibleOptions(cmd).map((o) => ({
      flags: [o.short, o.long].filter((f): f is string => Boolean(f)),
      description: o.description,
      takesValue: o.required || o.optional,
      ...(o.argChoices ? { choices: [...o.argChoices] } : {}),
    })),
    args: cmd.registeredArguments.map((a) => ({ name: a.name(), variadic: a.variadic, ...(a.argChoices ? { choices: [...a.argChoices] } : {}) })),
    subcommands,
  }
}

function allSpecs(spec: CompletionSpec): CompletionSpec[] {
  return [spec, ...spec.subcommands.flatMap(allSpecs)]
}

/** Every way a command can be typed: its path with each alias at each level. */
function typedPaths(spec: CompletionSpec, prefix: string[] = []): Array<{ path: string; spec: CompletionSpec }> {
  const names = spec.path.length === 0 ? [''] : spec.names
  return names.flatMap((n) => {
    const p = n ? [...prefix, n] : prefix
    return [{ path: p.join(' '), spec }, ...spec.subcommands.flatMap((s) => typedPaths(s, p))]
  })
}

const shellWord = /^[A-Za-z0-9_.,:/+=@%-]+$/

function quote(s: string): string {
  return shellWord.test(s) ? s : `'${s.replace(/'/g, `'\\''`)}'`
}

/** A bash function per question the completer asks, as case statements (bash 3.2, macOS's, has no associative arrays). */
export function bashCompletion(root: CompletionSpec): string {
  const paths = typedPaths(root)
  const cases = (rows: Array<[string, string]>, fallback: string) =>
    [...rows.map(([k, v]) => `    ${quote(k)}) ${v} ;;`), `    *) ${fallback} ;;`].join('\n')
  const words = paths.map(({ path, spec }): [string, string] => [path, `echo ${quote([...spec.subcommands.flatMap((s) => s.names), ...spec.options.flatMap((o) => o.flags)].join(' '))}`])
  const subs = paths.filter(({ spec }) => spec.subcommands.length).map(({ path, spec }): [string, string] => [path, `echo ${quote(spec.subcommands.flatMap((s) => s.names).join(' '))}`])
  // Keys are "$1 $2": the command path, a space, the option (" --progress" for ankagit itself).
  const valued = paths.flatMap(({ path, spec }) => spec.options.filter((o) => o.takesValue).flatMap((o) => o.flags.map((f) => `${path} ${f}`)))
  const optChoices = paths.flatMap(({ path, spec }) => spec.options.filter((o) => o.choices).flatMap((o) => o.flags.map((f): [string, string] => [`${path} ${f}`, `echo ${quote(o.choices!.join(' '))}`])))
  const argChoices = paths.filter(({ spec }) => spec.args.some((a) => a.choices)).map(({ path, spec }): [string, string] => [path, `echo ${quote(spec.args.flatMap((a) => a.choices ?? []).join(' '))}`])
  const withArgs = paths.filter(({ spec }) => spec.args.length && !spec.args.some((a) => a.choices)).map(({ path }) => path)
  return `# bash completion for ankagit, generated by 'ankagit completion bash' from its command definitions.
# Install: ankagit completion bash > ~/.local/share/bash-completion/completions/ankagit
#      or: echo 'source <(ankagit completion bash)' >> ~/.bashrc

# Subcommand names and options of a command path ("" for ankagit itself, "remote add").
_ankagit_words() {
  case "$1" in
${cases(words, ':')}
  esac
}

_ankagit_subcommands() {
  case "$1" in
${cases(subs, ':')}
  esac
}

# Whether option $2 of command path $1 takes a value (the next word).
_ankagit_takes_value() {
  case "$1 $2" in
${valued.length ? `    ${valued.map(quote).join('|')}) return 0 ;;\n` : ''}    *) return 1 ;;
  esac
}

_ankagit_option_choices() {
  case "$1 $2" in
${cases(optChoices, ':')}
  esac
}

_ankagit_argument_choices() {
  case "$1" in
${cases(argChoices, ':')}
  esac
}

_ankagit_takes_arguments() {
  case "$1" in
${withArgs.length ? `    ${withArgs.map(quote).join('|')}) return 0 ;;\n` : ''}    *) return 1 ;;
  esac
}

# Branch, tag and remote-tracking names, short, as the repository around the current folder has them.
_ankagit_refs() {
  local id ref
  "\${COMP_WORDS[0]}" show-ref 2>/dev/null | while read -r id ref; do
    ref=\${ref#refs/heads/}; ref=\${ref#refs/tags/}; ref=\${ref#refs/remotes/}
    printf '%s\\n' "$ref"
  done
}

_ankagit() {
  local cur=\${COMP_WORDS[COMP_CWORD]} prev=\${COMP_WORDS[COMP_CWORD-1]} path="" skip="" i w choices
  # The command path: words that name a (sub)command, skipping options and the values they take.
  for ((i = 1; i < COMP_CWORD; i++)); do
    w=\${COMP_WORDS[i]}
    if [[ -n $skip ]]; then skip=""; continue; fi
    if [[ $w == -* ]]; then
      [[ $w != *=* ]] && _ankagit_takes_value "$path" "$w" && skip=1
      continue
    fi
    if [[ " $(_ankagit_subcommands "$path") " == *" $w "* ]]; then path=\${path:+$path }$w; fi
  done
  COMPREPLY=()
  if [[ $COMP_CWORD -gt 1 && $prev == -* ]] && _ankagit_takes_value "$path" "$prev"; then
    choices=$(_ankagit_option_choices "$path" "$prev")
    if [[ -n $choices ]]; then COMPREPLY=($(compgen -W "$choices" -- "$cur")); else COMPREPLY=($(compgen -f -- "$cur")); fi
    return 0
  fi
  if [[ $cur == -* ]]; then
    COMPREPLY=($(compgen -W "$(_ankagit_words "$path")" -- "$cur"))
    return 0
  fi
  choices=$(_ankagit_subcommands "$path")
  [[ -z $choices ]] && choices=$(_ankagit_argument_choices "$path")
  if [[ -n $choices ]]; then
    COMPREPLY=($(compgen -W "$choices" -- "$cur"))
  elif _ankagit_takes_arguments "$path"; then
    COMPREPLY=($(compgen -W "$(_ankagit_refs)" -- "$cur") $(compgen -f -- "$cur"))
  fi
  return 0
}

complete -o filenames -F _ankagit ankagit
`
}

/** zsh: one function per command path using _arguments, with _describe for subcommands. */
export function zshCompletion(root: CompletionSpec): string {
  const fn = (spec: CompletionSpec) => ['_ankagit', ...spec.path].join('_').replace(/[^A-Za-z0-9_]/g, '_')
  const bracket = (s: string) => s.replace(/\\/g, '\\\\').replace(/([[\]:])/g, '\\$1').replace(/'/g, `'\\''`).replace(/\s+/g, ' ')
  const optionSpecs = (spec: CompletionSpec) =>
    spec.options.map((o) => {
      const excl = o.flags.length > 1 ? `(${o.flags.join(' ')})` : ''
      const names = o.flags.map((f) => (o.takesValue ? (f.startsWith('--') ? `${f}=` : `${f}+`) : f))
      const value = o.takesValue ? `:${bracket(o.flags.at(-1)!.replace(/^-+/, ''))}:${o.choices ? `(${o.choices.join(' ')})` : '_files'}` : ''
      const body = `[${bracket(o.description)}]${value}`
      return names.length > 1 ? `'${excl}'{${names.join(',')}}'${body}'` : `'${excl}${names[0]}${body}'`
    })
  const argSpecs = (spec: CompletionSpec) =>
    spec.args.map((a, i) => `'${a.variadic ? '*' : i + 1}:${bracket(a.name)}:${a.choices ? `(${a.choices.join(' ')})` : '_ankagit_positional'}'`)
  const body = (spec: CompletionSpec): string => {
    if (!spec.subcommands.length) return `  _arguments -s -S \\\n${[...optionSpecs(spec), ...argSpecs(spec)].map((s) => `    ${s}`).join(' \\\n')}`
    const items = spec.subcommands.flatMap((s) => s.names.map((n) => `'${n}:${s.description.replace(/'/g, `'\\''`)}'`))
    const dispatch = spec.subcommands.map((s) => `      ${s.names.join('|')}) ${fn(s)} ;;`).join('\n')
    return `  local curcontext="$curcontext" state line
  typeset -A opt_args
  _arguments -C \\
${[...optionSpecs(spec), `'1: :->command'`, `'*:: :->args'`].map((s) => `    ${s}`).join(' \\\n')} && return
  case $state in
    command)
      local -a commands
      commands=(
${items.map((i) => `        ${i}`).join('\n')}
      )
      _describe -t commands '${['ankagit', ...spec.path].join(' ')} command' commands ;;
    args)
      curcontext="\${curcontext%:*:*}:${fn(spec).slice(1)}-$words[1]:"
      case $words[1] in
${dispatch}
      esac ;;
  esac`
  }
  const functions = allSpecs(root).map((s) => `${fn(s)}() {\n${body(s)}\n}`).join('\n\n')
  return `#compdef ankagit
# zsh completion for ankagit, generated by 'ankagit completion zsh' from its command definitions.
# Install: ankagit completion zsh > ~/.zfunc/_ankagit   (with fpath=(~/.zfunc $fpath) before compinit)
#      or: source <(ankagit completion zsh)              (after compinit)

# Branch, tag and remote-tracking names, short, and files.
_ankagit_positional() {
  local -a refs
  refs=(\${\${\${\${(f)"$(ankagit show-ref 2>/dev/null)"}#* }#refs/heads/}#refs/tags/})
  refs=(\${refs#refs/remotes/})
  _alternative "refs:ref:(\${(j: :)\${(@q)refs}})" 'files:file:_files'
}

${functions}

if [[ "\${funcstack[1]}" == _ankagit ]]; then
  _ankagit "$@"
else
  compdef _ankagit ankagit
fi
`
}
